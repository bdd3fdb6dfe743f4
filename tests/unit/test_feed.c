/*
 * Unit tests: the news feed as Atom and as JSON Feed (export/feed.c).
 *
 * The Atom document is parsed back with libxml2 and read with XPath, and
 * validated against RFC 4287's own schema (tests/fixtures/atom.rng, from
 * its Appendix B), with the two Schematron rules of that appendix checked
 * here as XPath.  The JSON Feed is read back with jansson; its JSON
 * Schema (tests/fixtures/jsonfeed-1.1.schema.json) is checked by
 * tests/api/feed_check.py, C having no validator in Debian.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "export/feed.h"
#include "quoted_json.h"

#define X(s) ((const xmlChar *)(s))
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define BASE "https://thidua.gialai.gov.vn"
#define NEWS BASE "/public/v1/bqlkkt-gialai/news"
#define SELF "/public/v1/bqlkkt-gialai/news.atom?limit=3"
#define ORG "Ban Quản lý Khu kinh tế tỉnh Gia Lai"
/* A title to escape, with stacked diacritics (ễ: circumflex and tilde). */
#define TITLE2 "Khen thưởng bà Nguyễn Thị Ánh Tuyết & tập thể <Phòng Quản lý Đầu tư>"
/* The summary as the feed must carry it: the same marks decomposed (NFD:
 * e, U+0302, U+0303) kept byte for byte; the vertical tab, which XML 1.0
 * cannot carry, turned into a space in Atom only. */
#define SUMMARY2_NFD "Chị Nguye\xcc\x82\xcc\x83n Thị Ánh Tuyết"
#define CURSOR "eyJkIjoiMjAyMi0wMi0xMCJ9+/=&x"
#define CURSOR_ENC "eyJkIjoiMjAyMi0wMi0xMCJ9%2B%2F%3D%26x"

/* Three items: a decision with everything; one whose texts need escaping;
 * a plan with neither summary nor publication date. */
static json_t *sample(const char *cursor)
{
	json_t *doc = quoted_json(
		"{'organization': {'code': 'bqlkkt-gialai', 'name': '" ORG "'},"
		" 'updated': '2022-12-30T09:12:00.000000+00:00',"
		" 'items': ["
		"  {'id': 'decision-1', 'kind': 'decision',"
		"   'title': 'Quyết định số 01/QĐ-BQLKKT ngày 30/12/2022 về việc tặng danh hiệu"
		" thi đua năm 2022',"
		"   'summary': 'Tặng danh hiệu thi đua cho 12 cá nhân, 2 tập thể.',"
		"   'published': '2022-12-30', 'updated': '2022-12-30T09:12:00.000000+00:00',"
		"   'path': '/public/v1/bqlkkt-gialai/decisions/1'},"
		"  {'id': 'decision-2', 'kind': 'decision', 'title': '" TITLE2 "',"
		"   'summary': 'Chị Nguye\\u0302\\u0303n Thị Ánh Tuyết\\u000bđạt 3 năm',"
		"   'published': '2022-12-29', 'updated': '2022-12-29T10:00:00.000000+00:00',"
		"   'path': '/public/v1/bqlkkt-gialai/decisions/2'},"
		"  {'id': 'plan-3', 'kind': 'plan', 'title': 'Kế hoạch số 125/KH-BQLKKT',"
		"   'summary': null, 'published': null,"
		"   'updated': '2022-02-10T09:00:00.500000+07:00',"
		"   'path': '/public/v1/bqlkkt-gialai/plans/3'}],"
		" 'next_cursor': null}");
	if (cursor)
		assert_int_equal(json_object_set_new(doc, "next_cursor", json_string(cursor)), 0);
	return doc;
}

static xmlDoc *atom_of(const json_t *doc, const char *base, const char *self)
{
	size_t len = 0;
	char *xml = feed_atom_new(doc, base, self, &len);
	assert_non_null(xml);
	assert_int_equal(strlen(xml), len);
	xmlDoc *d = xmlReadMemory(xml, (int)len, "feed.atom", NULL, XML_PARSE_NONET);
	free(xml);
	assert_non_null(d);
	return d;
}

/* The string value of expr (a: the Atom namespace) in d is want. */
static void assert_xpath(xmlDoc *d, const char *expr, const char *want)
{
	xmlXPathContext *ctx = xmlXPathNewContext(d);
	assert_non_null(ctx);
	assert_int_equal(xmlXPathRegisterNs(ctx, X("a"), X(ATOM_NS)), 0);
	xmlXPathObject *r = xmlXPathEvalExpression(X(expr), ctx);
	xmlChar *got = r ? xmlXPathCastToString(r) : NULL;
	char msg[1024];
	bool same = got && strcmp((const char *)got, want) == 0;
	snprintf(msg, sizeof msg, "%s: got \"%s\", want \"%s\"", expr,
		 got ? (const char *)got : "(no value)", want);
	xmlFree(got);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	if (!same)
		fail_msg("%s", msg);
}

static void first_error(void *ctx, xmlError *e)
{
	char *msg = ctx;
	if (msg[0] == '\0')
		snprintf(msg, 512, "line %d: %s", e->line, e->message ? e->message : "?");
}

/* 0 when d is valid against RFC 4287's schema; the first error in msg
 * (512 bytes) otherwise. */
static int rng_validate(xmlDoc *d, char msg[512])
{
	const char *dir = getenv("THIDUA_SOURCE_DIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/atom.rng", dir ? dir : ".");
	msg[0] = '\0';
	xmlRelaxNGParserCtxt *pc = xmlRelaxNGNewParserCtxt(path);
	assert_non_null(pc);
	xmlRelaxNG *schema = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (schema == NULL)
		fail_msg("%s: not a RELAX NG schema", path);
	xmlRelaxNGValidCtxt *vc = xmlRelaxNGNewValidCtxt(schema);
	assert_non_null(vc);
	xmlRelaxNGSetValidStructuredErrors(vc, first_error, msg);
	int rc = xmlRelaxNGValidateDoc(vc, d);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(schema);
	return rc;
}

/* Valid by the schema and by the two rules of RFC 4287 it cannot say. */
static void assert_atom_valid(xmlDoc *d)
{
	char msg[512];
	if (rng_validate(d, msg) != 0)
		fail_msg("Atom feed invalid (RFC 4287 schema): %s", msg);
	assert_xpath(d, "boolean(/a:feed/a:author or not(/a:feed/a:entry[not(a:author)]))", "true");
	assert_xpath(d,
		     "count(/a:feed/a:entry[not(a:link[@rel='alternate'] or a:link[not(@rel)]"
		     " or a:content)])",
		     "0");
}

static void test_atom_feed(void **state)
{
	(void)state;
	json_t *doc = sample(CURSOR);
	xmlDoc *d = atom_of(doc, BASE, SELF);
	static const char *const rows[][2] = {
		{ "/a:feed/@xml:lang", "vi" },
		{ "/a:feed/a:id", NEWS },
		{ "/a:feed/a:title", ORG " — Tin thi đua, khen thưởng" },
		{ "/a:feed/a:updated", "2022-12-30T09:12:00Z" },
		{ "/a:feed/a:author/a:name", ORG },
		{ "/a:feed/a:link[@rel='self']/@href", BASE SELF },
		{ "/a:feed/a:link[@rel='self']/@type", "application/atom+xml" },
		{ "/a:feed/a:link[@rel='alternate']/@href", NEWS },
		{ "/a:feed/a:link[@rel='alternate']/@type", "application/json" },
		{ "/a:feed/a:link[@rel='next']/@href", BASE SELF "&cursor=" CURSOR_ENC },
		{ "count(/a:feed/a:entry)", "3" },
		{ "/a:feed/a:entry[1]/a:id", BASE "/public/v1/bqlkkt-gialai/decisions/1" },
		{ "/a:feed/a:entry[1]/a:title", "Quyết định số 01/QĐ-BQLKKT ngày 30/12/2022 về "
						"việc tặng danh hiệu thi đua năm 2022" },
		{ "/a:feed/a:entry[1]/a:updated", "2022-12-30T09:12:00Z" },
		{ "/a:feed/a:entry[1]/a:published", "2022-12-30T00:00:00+07:00" },
		{ "/a:feed/a:entry[1]/a:summary",
		  "Tặng danh hiệu thi đua cho 12 cá nhân, 2 tập thể." },
		{ "/a:feed/a:entry[1]/a:summary/@type", "text" },
		{ "/a:feed/a:entry[1]/a:link[@rel='alternate']/@href",
		  BASE "/public/v1/bqlkkt-gialai/decisions/1" },
		{ "/a:feed/a:entry[1]/a:category/@term", "decision" },
		{ "/a:feed/a:entry[2]/a:title", TITLE2 },
		{ "/a:feed/a:entry[2]/a:summary", SUMMARY2_NFD " đạt 3 năm" },
		{ "/a:feed/a:entry[3]/a:updated", "2022-02-10T09:00:00.5+07:00" },
		{ "count(/a:feed/a:entry[3]/a:published | /a:feed/a:entry[3]/a:summary)", "0" },
		{ "/a:feed/a:entry[3]/a:category/@term", "plan" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_xpath(d, rows[i][0], rows[i][1]);
	assert_atom_valid(d);
	xmlFreeDoc(d);
	json_decref(doc);
}

/* The escaping is the writer's, and the text stays UTF-8, not references. */
static void test_atom_bytes(void **state)
{
	(void)state;
	json_t *doc = sample(NULL);
	size_t len;
	char *xml = feed_atom_new(doc, BASE, SELF, &len);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(xml, " xmlns=\"" ATOM_NS "\"")); /* the default namespace */
	assert_non_null(strstr(xml, "Tuyết &amp; tập thể &lt;Phòng Quản lý Đầu tư&gt;"));
	assert_non_null(strstr(xml, "href=\"" BASE SELF "\""));
	assert_null(strstr(xml, "rel=\"next\""));
	assert_null(strstr(xml, "&#"));
	free(xml);
	json_decref(doc);
}

/* The schema is not vacuous: documents it must refuse, made from a good
 * one. */
static void test_atom_schema_refuses(void **state)
{
	(void)state;
	static const char *const drop[] = { "/a:feed/a:id", "/a:feed/a:title",
					    "/a:feed/a:entry[1]/a:updated" };
	json_t *doc = sample(NULL);
	char msg[512];
	for (size_t i = 0; i < sizeof drop / sizeof drop[0] + 1; i++) {
		xmlDoc *d = atom_of(doc, BASE, SELF);
		xmlXPathContext *ctx = xmlXPathNewContext(d);
		assert_int_equal(xmlXPathRegisterNs(ctx, X("a"), X(ATOM_NS)), 0);
		const char *expr = i < 3 ? drop[i] : "/a:feed/a:entry[1]/a:published";
		xmlXPathObject *r = xmlXPathEvalExpression(X(expr), ctx);
		assert_true(r && r->nodesetval && r->nodesetval->nodeNr == 1);
		xmlNode *n = r->nodesetval->nodeTab[0];
		if (i < 3) { /* a required element gone */
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else { /* not an xsd:dateTime */
			xmlNodeSetContent(n, X("30/12/2022"));
		}
		xmlXPathFreeObject(r);
		xmlXPathFreeContext(ctx);
		if (rng_validate(d, msg) == 0)
			fail_msg("accepted without %s", expr);
		xmlFreeDoc(d);
	}
	json_decref(doc);
}

static void test_empty_feed(void **state)
{
	(void)state;
	json_t *doc = quoted_json("{'organization': {'code': 'bqlkkt-gialai', 'name': '" ORG "'},"
				  " 'updated': null, 'items': [], 'next_cursor': null}");
	xmlDoc *d = atom_of(doc, BASE, SELF);
	assert_xpath(d, "/a:feed/a:updated", "1970-01-01T00:00:00Z");
	assert_xpath(d, "count(/a:feed/a:entry | /a:feed/a:link[@rel='next'])", "0");
	assert_atom_valid(d);
	xmlFreeDoc(d);
	char *text = feed_json_new(doc, BASE, "/public/v1/bqlkkt-gialai/news.json");
	json_t *feed = json_loads(text, 0, NULL);
	assert_non_null(feed);
	assert_int_equal(json_array_size(json_object_get(feed, "items")), 0);
	assert_true(json_is_array(json_object_get(feed, "items")));
	assert_null(json_object_get(feed, "next_url"));
	json_decref(feed);
	free(text);
	json_decref(doc);
}

static const char *member(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (s == NULL)
		fail_msg("no string member %s", key);
	return s;
}

static void test_json_feed(void **state)
{
	(void)state;
	json_t *doc = sample(CURSOR);
	char *text = feed_json_new(doc, BASE, "/public/v1/bqlkkt-gialai/news.json");
	assert_non_null(text);
	assert_non_null(strstr(text, "Nguyễn Thị Ánh Tuyết")); /* UTF-8, not \u escapes */
	assert_null(strchr(text, '\n')); /* compact */
	json_t *f = json_loads(text, 0, NULL);
	assert_non_null(f);
	assert_string_equal(member(f, "version"), "https://jsonfeed.org/version/1.1");
	assert_string_equal(member(f, "title"), ORG " — Tin thi đua, khen thưởng");
	assert_string_equal(member(f, "home_page_url"), NEWS);
	assert_string_equal(member(f, "feed_url"), BASE "/public/v1/bqlkkt-gialai/news.json");
	assert_string_equal(member(f, "next_url"),
			    BASE "/public/v1/bqlkkt-gialai/news.json?cursor=" CURSOR_ENC);
	assert_string_equal(member(f, "language"), "vi");
	assert_string_equal(member(json_array_get(json_object_get(f, "authors"), 0), "name"), ORG);
	const json_t *items = json_object_get(f, "items");
	assert_int_equal(json_array_size(items), 3);
	const json_t *one = json_array_get(items, 0), *two = json_array_get(items, 1),
		     *three = json_array_get(items, 2);
	assert_string_equal(member(one, "id"), BASE "/public/v1/bqlkkt-gialai/decisions/1");
	assert_string_equal(member(one, "url"), BASE "/public/v1/bqlkkt-gialai/decisions/1");
	assert_string_equal(member(one, "content_text"), member(one, "summary"));
	assert_string_equal(member(one, "date_published"), "2022-12-30T00:00:00+07:00");
	assert_string_equal(member(one, "date_modified"), "2022-12-30T09:12:00Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(one, "tags"), 0)),
			    "decision");
	assert_string_equal(member(two, "title"), TITLE2);
	assert_string_equal(member(two, "summary"), SUMMARY2_NFD "\v"
								 "đạt 3 năm");
	/* no summary: the title is the text; no date: no date_published */
	assert_string_equal(member(three, "content_text"), "Kế hoạch số 125/KH-BQLKKT");
	assert_null(json_object_get(three, "summary"));
	assert_null(json_object_get(three, "date_published"));
	assert_string_equal(member(three, "date_modified"), "2022-02-10T09:00:00.5+07:00");
	json_decref(f);
	free(text);
	json_decref(doc);
}

/* Identifiers do not depend on the page, the format, or a slash after
 * the base URL. */
static void test_stable_ids(void **state)
{
	(void)state;
	json_t *doc = sample(CURSOR);
	size_t n1, n2;
	char *a = feed_atom_new(doc, BASE, SELF, &n1), *b = feed_atom_new(doc, BASE "/", SELF, &n2);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(b);
	free(a);
	xmlDoc *d = atom_of(doc, BASE, "/public/v1/bqlkkt-gialai/news.atom?cursor=abc");
	assert_xpath(d, "/a:feed/a:id", NEWS);
	assert_xpath(d, "/a:feed/a:entry[2]/a:id", BASE "/public/v1/bqlkkt-gialai/decisions/2");
	xmlFreeDoc(d);
	json_decref(doc);
}

/* The next page keeps the page's other parameters and replaces its cursor. */
static void test_next_url(void **state)
{
	(void)state;
	static const struct {
		const char *name, *self, *cursor, *want; /* want: after BASE "/n" */
	} rows[] = {
		{ "no query", "/n", "abc", "?cursor=abc" },
		{ "limit kept", "/n?limit=2", "abc", "?limit=2&cursor=abc" },
		{ "cursor first, replaced", "/n?cursor=old&limit=2", "new", "?limit=2&cursor=new" },
		{ "cursor last, replaced", "/n?limit=2&cursor=old", "new", "?limit=2&cursor=new" },
		{ "bare cursor dropped", "/n?cursor&limit=2", "new", "?limit=2&cursor=new" },
		{ "cursors is another parameter", "/n?cursors=1", "new", "?cursors=1&cursor=new" },
		{ "empty parameters dropped", "/n?&limit=2&", "new", "?limit=2&cursor=new" },
		{ "reserved characters encoded", "/n", CURSOR, "?cursor=" CURSOR_ENC },
		{ "UTF-8 encoded", "/n", "Tiếng Việt", "?cursor=Ti%E1%BA%BFng%20Vi%E1%BB%87t" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *doc = sample(rows[i].cursor);
		char *text = feed_json_new(doc, BASE, rows[i].self), want[256];
		json_t *f = json_loads(text, 0, NULL);
		snprintf(want, sizeof want, BASE "/n%s", rows[i].want);
		const char *got = json_string_value(json_object_get(f, "next_url"));
		if (got == NULL || strcmp(got, want) != 0)
			fail_msg("%s: next_url %s, want %s", rows[i].name, got ? got : "(none)",
				 want);
		json_decref(f);
		free(text);
		json_decref(doc);
	}
}

/* The sample with item 1's member key set to value (JSON, ' for "). */
static json_t *sample_with(const char *key, const char *value)
{
	json_t *doc = sample(NULL);
	json_t *item = json_array_get(json_object_get(doc, "items"), 0);
	assert_int_equal(json_object_set_new(item, key, quoted_json(value)), 0);
	return doc;
}

/* Dates as the document may hold them and as both feeds must write them;
 * NULL: not a date, and no feed.  A written one must be an xsd:dateTime. */
static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *key, *in, *want;
	} rows[] = {
		{ "updated", "'2022-12-30T09:12:00.000000+00:00'", "2022-12-30T09:12:00Z" },
		{ "updated", "'2022-12-30T09:12:00+00:00'", "2022-12-30T09:12:00Z" },
		{ "updated", "'2022-12-30T16:12:00.250000+07:00'", "2022-12-30T16:12:00.25+07:00" },
		{ "updated", "'2022-12-30T09:12:00.123456Z'", "2022-12-30T09:12:00.123456Z" },
		{ "updated", "'2022-12-30T04:12:00-05:00'", "2022-12-30T04:12:00-05:00" },
		{ "updated", "'2024-02-29T23:59:59.999999+07:00'",
		  "2024-02-29T23:59:59.999999+07:00" },
		{ "updated", "'2023-02-29T00:00:00Z'", NULL },
		{ "updated", "'2022-12-30 09:12:00+00:00'", NULL },
		{ "updated", "'2022-12-30T24:00:00Z'", NULL },
		{ "updated", "'2022-12-30T09:60:00Z'", NULL },
		{ "updated", "'2022-12-30T09:12:60Z'", NULL },
		{ "updated", "'2022-12-30T09:12:00'", NULL },
		{ "updated", "'2022-12-30T09:12:00+0000'", NULL },
		{ "updated", "'2022-12-30T09:12:00+07'", NULL },
		{ "updated", "'2022-12-30T09:12:00.Z'", NULL },
		{ "updated", "'2022-12-30T09:12:001Z'", NULL },
		{ "updated", "'2022-12-30T09:12:00.1234567890Z'", NULL },
		{ "updated", "'2022-12-30T09:12:00Zjunk'", NULL },
		{ "updated", "'2022-12-30'", NULL },
		{ "updated", "null", NULL },
		{ "published", "'2022-01-05'", "2022-01-05T00:00:00+07:00" },
		{ "published", "'05/01/2022'", NULL },
		{ "published", "'2022-02-30'", NULL },
		{ "published", "'2022-12-30T00:00:00Z'", NULL },
		{ "published", "20221230", NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *doc = sample_with(rows[i].key, rows[i].in);
		char *text = feed_json_new(doc, BASE, SELF), msg[512];
		size_t len;
		char *xml = feed_atom_new(doc, BASE, SELF, &len);
		if (!rows[i].want && (text || xml))
			fail_msg("%s %s: accepted", rows[i].key, rows[i].in);
		if (rows[i].want) {
			json_t *f = json_loads(text, 0, NULL);
			const char *got = json_string_value(json_object_get(
				json_array_get(json_object_get(f, "items"), 0),
				strcmp(rows[i].key, "updated") == 0 ? "date_modified"
								    : "date_published"));
			if (!got || strcmp(got, rows[i].want) != 0 || !xml)
				fail_msg("%s %s: got %s", rows[i].key, rows[i].in,
					 got ? got : "(none)");
			json_decref(f);
			xmlDoc *d =
				xmlReadMemory(xml, (int)len, "feed.atom", NULL, XML_PARSE_NONET);
			if (!d || rng_validate(d, msg) != 0)
				fail_msg("%s %s: Atom invalid: %s", rows[i].key, rows[i].in, msg);
			xmlFreeDoc(d);
		}
		free(xml);
		free(text);
		json_decref(doc);
	}
}

/* Documents that are not news documents: both renderers refuse them. */
static void test_refused(void **state)
{
	(void)state;
	static const char *const rows[][2] = {
		{ "organization", "null" },
		{ "organization", "{'code': '', 'name': 'x'}" },
		{ "organization", "{'code': 'x'}" },
		{ "items", "{}" },
		{ "items", "[{'kind': 'plan', 'title': 't', 'updated': '2022-12-30T09:12:00Z'}]" },
		{ "items", "[{'kind': 'plan', 'title': 't', 'updated': '2022-12-30T09:12:00Z',"
			   " 'path': 'public/v1/x'}]" },
		{ "items", "[{'kind': 'plan', 'path': '/p', 'updated': '2022-12-30T09:12:00Z'}]" },
		{ "items", "[{'title': 't', 'path': '/p', 'updated': '2022-12-30T09:12:00Z'}]" },
		{ "items", "[{'kind': 'plan', 'title': 't', 'path': '/p',"
			   " 'updated': '2022-12-30T09:12:00Z', 'summary': 12}]" },
		{ "next_cursor", "42" },
		{ "updated", "'yesterday'" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *doc = sample(NULL);
		assert_int_equal(json_object_set_new(doc, rows[i][0], quoted_json(rows[i][1])), 0);
		size_t len;
		char *xml = feed_atom_new(doc, BASE, SELF, &len),
		     *text = feed_json_new(doc, BASE, SELF);
		if (xml || text)
			fail_msg("%s: %s accepted", rows[i][0], rows[i][1]);
		json_decref(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atom_feed),
		cmocka_unit_test(test_atom_bytes),
		cmocka_unit_test(test_atom_schema_refuses),
		cmocka_unit_test(test_empty_feed),
		cmocka_unit_test(test_json_feed),
		cmocka_unit_test(test_stable_ids),
		cmocka_unit_test(test_next_url),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_refused),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser(); /* libxml2's globals, so that LeakSanitizer sees none */
	return failed;
}
