/*
 * feed.c — the news as Atom and as JSON Feed (see feed.h).
 *
 * Both formats are written from one reading of the document: a head
 * (struct head: the feed's title, author, URLs and date) and an entry per
 * item (struct entry: its URL, texts and dates), so the two feeds cannot
 * disagree on an identifier or a date.  Atom is written with libxml2's
 * xmlTextWriter, which escapes text and attribute values and declares the
 * namespace; no XML is assembled by hand.  The JSON Feed is built with
 * jansson.
 *
 * Dates.  The document's timestamps are PostgreSQL's ISO form
 * ("2022-12-30T09:12:00.000000+00:00"); they are checked and written as
 * RFC 3339 date-times naming the same instant, which Atom's date construct
 * (xsd:dateTime) accepts too: "Z" for +00:00, the fraction of a second
 * without its trailing zeros.  A publication date is a day in Vietnam and
 * becomes the instant it begins there, 00:00 +07:00.
 */
#include "export/feed.h"

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "domain/calendar.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define JSON_FEED_VERSION "https://jsonfeed.org/version/1.1"
#define TITLE_SUFFIX " — Tin thi đua, khen thưởng"
#define TIME_LEN 40 /* "2022-12-30T09:12:00.123456789+07:00" is 35 */
#define FRACTION_MAX 9 /* digits of a second's fraction: nanoseconds */
/* The feed's date when the document has none (no item yet).  Fixed rather
 * than the time of the request, so the same document always gives the
 * same bytes (and ETag); the epoch tells a reader "never updated". */
#define EMPTY_FEED_UPDATED "1970-01-01T00:00:00Z"

#define X(s) ((const xmlChar *)(s))

/* The site's origin: base_url without one trailing slash. */
struct origin {
	const char *s;
	int len; /* for "%.*s" */
};

struct head {
	const char *name; /* the organisation's (borrowed from the document) */
	char *title; /* new */
	char *news_url; /* new: the JSON news; the feed's id and home page */
	char *self_url; /* new */
	char *next_url; /* new; NULL on the last page */
	char updated[TIME_LEN];
};

struct entry {
	char *url; /* new: origin + path, the entry's id and its link */
	const char *title, *kind; /* borrowed */
	const char *summary; /* borrowed; NULL when the item has none */
	char published[TIME_LEN]; /* "" when the item has no date */
	char updated[TIME_LEN];
};

/* ---- reading the document ---- */

/* The string member key of o when it is a non-empty string (borrowed),
 * else NULL. */
static const char *required_text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

/* *out: the string member key of o (borrowed), or NULL when it is absent
 * or null; false when it is something else. */
static bool optional_text(const json_t *o, const char *key, const char **out)
{
	const json_t *v = json_object_get(o, key);
	*out = json_string_value(v);
	return v == NULL || json_is_null(v) || *out != NULL;
}

/* The value of the two decimal digits at p, or -1. */
static int two_digits(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* "Z" or ±HH:MM, and nothing after it. */
static bool zone_valid(const char *z)
{
	if (strcmp(z, "Z") == 0)
		return true;
	if ((z[0] != '+' && z[0] != '-') || strlen(z) != 6 || z[3] != ':')
		return false;
	int h = two_digits(z + 1), m = two_digits(z + 4);
	return h >= 0 && h <= 23 && m >= 0 && m <= 59;
}

/* "YYYY-MM-DDTHH:MM:SS" at s, a real date and time of day; a leap second
 * (:60) is refused, as xsd:dateTime refuses it. */
static bool date_time_valid(const char *s)
{
	char day[11];
	struct civil_date d;
	if (strlen(s) < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	int hh = two_digits(s + 11), mm = two_digits(s + 14), ss = two_digits(s + 17);
	return civil_date_parse(day, &d) && hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 &&
	       ss <= 59;
}

/* s, "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", as an RFC 3339 date-time
 * of the same instant: "Z" for +00:00, the fraction without its trailing
 * zeros (nor its point when none is left).  false when s is not one. */
static bool time_normalise(const char *s, char out[TIME_LEN])
{
	if (!date_time_valid(s))
		return false;
	const char *frac = s + 19, *zone = frac;
	size_t digits = 0;
	if (*frac == '.') {
		zone = ++frac;
		while (*zone >= '0' && *zone <= '9')
			zone++;
		digits = (size_t)(zone - frac);
		if (digits == 0 || digits > FRACTION_MAX)
			return false;
	}
	if (!zone_valid(zone))
		return false;
	while (digits > 0 && frac[digits - 1] == '0')
		digits--;
	bool utc = strcmp(zone, "Z") == 0 || strcmp(zone, "+00:00") == 0;
	snprintf(out, TIME_LEN, "%.19s%s%.*s%s", s, digits ? "." : "", (int)digits, frac,
		 utc ? "Z" : zone);
	return true;
}

/* A publication date ("YYYY-MM-DD", a day in Vietnam) as the instant the
 * day begins there (UTC+7 all year, see domain/calendar.h). */
static bool day_start(const char *s, char out[TIME_LEN])
{
	struct civil_date d;
	if (!civil_date_parse(s, &d))
		return false;
	snprintf(out, TIME_LEN, "%.10sT00:00:00+07:00", s);
	return true;
}

/* ---- URLs ---- */

static struct origin origin_of(const char *base_url)
{
	size_t n = strlen(base_url);
	assert(n < INT_MAX);
	if (n > 0 && base_url[n - 1] == '/')
		n--;
	return (struct origin){ .s = base_url, .len = (int)n };
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* s percent-encoded (new): everything but RFC 3986's unreserved
 * characters, so that a cursor's '+', '/', '=' or '&' cannot change the
 * query it is put in, nor a code the path. */
static char *url_encode_new(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(3 * strlen(s) + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (unreserved(*p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* The parameters of query (what follows '?') but cursor, each followed by
 * '&' (new): the page's other parameters (its limit) carry over to the
 * next page.  Kept parameters and their '&' are at most the query and one
 * '&' long. */
static char *query_without_cursor_new(const char *query)
{
	char *out = malloc(strlen(query) + 2), *o = out;
	if (out == NULL)
		return NULL;
	for (const char *p = query; *p;) {
		size_t n = strcspn(p, "&");
		bool cursor = n >= 6 && strncmp(p, "cursor", 6) == 0 && (n == 6 || p[6] == '=');
		if (n > 0 && !cursor) {
			memcpy(o, p, n);
			o += n;
			*o++ = '&';
		}
		p += n + (p[n] == '&');
	}
	*o = '\0';
	return out;
}

/* The next page: self_path on the origin, its cursor parameter replaced
 * by cursor (new). */
static char *next_url_new(const struct origin *o, const char *self_path, const char *cursor)
{
	const char *q = strchr(self_path, '?');
	size_t path_len = q ? (size_t)(q - self_path) : strlen(self_path);
	char *kept = query_without_cursor_new(q ? q + 1 : ""), *enc = url_encode_new(cursor);
	char *url = NULL;
	if (kept && enc &&
	    asprintf(&url, "%.*s%.*s?%scursor=%s", o->len, o->s, (int)path_len, self_path, kept,
		     enc) < 0)
		url = NULL;
	free(enc);
	free(kept);
	return url;
}

/* ---- the head and the entries ---- */

/* The feed's date: the document's, or EMPTY_FEED_UPDATED when it has none. */
static bool head_updated(const json_t *v, char out[TIME_LEN])
{
	if (v == NULL || json_is_null(v)) {
		snprintf(out, TIME_LEN, "%s", EMPTY_FEED_UPDATED);
		return true;
	}
	return json_is_string(v) && time_normalise(json_string_value(v), out);
}

static bool head_urls_init(struct head *h, const struct origin *o, const char *code,
			   const char *self_path, const char *cursor)
{
	char *enc = url_encode_new(code);
	if (enc == NULL)
		return false;
	if (asprintf(&h->news_url, "%.*s/public/v1/%s/news", o->len, o->s, enc) < 0)
		h->news_url = NULL;
	free(enc);
	if (asprintf(&h->self_url, "%.*s%s", o->len, o->s, self_path) < 0)
		h->self_url = NULL;
	if (cursor)
		h->next_url = next_url_new(o, self_path, cursor);
	return h->news_url && h->self_url && (!cursor || h->next_url);
}

/* h from the document; false when it is not a news document or memory
 * runs out.  h is to be cleared either way. */
static bool head_init(struct head *h, const json_t *news, const struct origin *o,
		      const char *self_path)
{
	*h = (struct head){ .title = NULL };
	const json_t *org = json_object_get(news, "organization");
	const char *code = required_text(org, "code"), *cursor;
	h->name = required_text(org, "name");
	if (!code || !h->name || !json_is_array(json_object_get(news, "items")) ||
	    !optional_text(news, "next_cursor", &cursor) ||
	    !head_updated(json_object_get(news, "updated"), h->updated))
		return false;
	if (asprintf(&h->title, "%s%s", h->name, TITLE_SUFFIX) < 0) {
		h->title = NULL;
		return false;
	}
	return head_urls_init(h, o, code, self_path, cursor);
}

static void head_clear(struct head *h)
{
	free(h->next_url);
	free(h->self_url);
	free(h->news_url);
	free(h->title);
}

/* e from an item; false when it is not a news item or memory runs out.
 * e is to be cleared either way. */
static bool entry_init(struct entry *e, const json_t *item, const struct origin *o)
{
	*e = (struct entry){ .url = NULL };
	const char *path = required_text(item, "path"), *updated = required_text(item, "updated");
	const char *published;
	e->title = required_text(item, "title");
	e->kind = required_text(item, "kind");
	if (!path || path[0] != '/' || !updated || !e->title || !e->kind ||
	    !optional_text(item, "summary", &e->summary) ||
	    !optional_text(item, "published", &published))
		return false;
	if (!time_normalise(updated, e->updated) ||
	    (published && !day_start(published, e->published)))
		return false;
	if (asprintf(&e->url, "%.*s%s", o->len, o->s, path) < 0) {
		e->url = NULL;
		return false;
	}
	return true;
}

static void entry_clear(struct entry *e)
{
	free(e->url);
}

/* ---- Atom ---- */

/* libxml2 2.9 sets its globals up on first use, unguarded: two threads
 * rendering the first feeds at once would race.  The service renders on
 * its HTTP threads, so the setting up is done once, here. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
	xmlInitParser();
}

/* A copy of s (new) that XML 1.0 can carry (§2.2, Char): a C0 control
 * other than tab, newline and return becomes a space, the non-characters
 * U+FFFE and U+FFFF become U+FFFD (as long in UTF-8).  A title pasted from
 * a word processor may hold a vertical tab; the writer would copy it and
 * no reader could parse the feed.  s is valid UTF-8 (jansson's strings
 * are). */
static char *xml_text_new(const char *s)
{
	char *t = strdup(s);
	if (t == NULL)
		return NULL;
	for (unsigned char *p = (unsigned char *)t; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			*p = ' ';
		else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
			p[2] = 0xBD;
	}
	return t;
}

static bool write_attr(xmlTextWriter *w, const char *name, const char *value)
{
	char *v = xml_text_new(value);
	bool ok = v && xmlTextWriterWriteAttribute(w, X(name), X(v)) >= 0;
	free(v);
	return ok;
}

/* <name>text</name>, or <name type="text">text</name> when typed. */
static bool write_text(xmlTextWriter *w, const char *name, const char *text, bool typed)
{
	char *t = xml_text_new(text);
	bool ok = t && xmlTextWriterStartElement(w, X(name)) >= 0 &&
		  (!typed || xmlTextWriterWriteAttribute(w, X("type"), X("text")) >= 0) &&
		  xmlTextWriterWriteString(w, X(t)) >= 0 && xmlTextWriterEndElement(w) >= 0;
	free(t);
	return ok;
}

/* <link rel href type/>; type may be NULL. */
static bool write_link(xmlTextWriter *w, const char *rel, const char *href, const char *type)
{
	return xmlTextWriterStartElement(w, X("link")) >= 0 && write_attr(w, "rel", rel) &&
	       write_attr(w, "href", href) && (!type || write_attr(w, "type", type)) &&
	       xmlTextWriterEndElement(w) >= 0;
}

/* The feed's metadata.  Its author is the organisation, which makes every
 * entry's author too (RFC 4287 §4.1.1: an entry without one inherits the
 * feed's). */
static bool write_head(xmlTextWriter *w, const struct head *h)
{
	return write_text(w, "id", h->news_url, false) && write_text(w, "title", h->title, false) &&
	       write_text(w, "updated", h->updated, false) &&
	       xmlTextWriterStartElement(w, X("author")) >= 0 &&
	       write_text(w, "name", h->name, false) && xmlTextWriterEndElement(w) >= 0 &&
	       write_link(w, "self", h->self_url, FEED_ATOM_TYPE) &&
	       write_link(w, "alternate", h->news_url, "application/json") &&
	       (!h->next_url || write_link(w, "next", h->next_url, FEED_ATOM_TYPE));
}

/* An entry; its link has no type: what the item's path answers with is
 * the public API's to say. */
static bool write_entry(xmlTextWriter *w, const struct entry *e)
{
	return xmlTextWriterStartElement(w, X("entry")) >= 0 &&
	       write_text(w, "id", e->url, false) && write_text(w, "title", e->title, false) &&
	       write_text(w, "updated", e->updated, false) &&
	       (!e->published[0] || write_text(w, "published", e->published, false)) &&
	       (!e->summary || write_text(w, "summary", e->summary, true)) &&
	       write_link(w, "alternate", e->url, NULL) &&
	       xmlTextWriterStartElement(w, X("category")) >= 0 && write_attr(w, "term", e->kind) &&
	       xmlTextWriterEndElement(w) >= 0 && xmlTextWriterEndElement(w) >= 0;
}

static bool write_entries(xmlTextWriter *w, const json_t *items, const struct origin *o)
{
	size_t i;
	const json_t *item;
	json_array_foreach(items, i, item)
	{
		struct entry e;
		bool ok = entry_init(&e, item, o) && write_entry(w, &e);
		entry_clear(&e);
		if (!ok)
			return false;
	}
	return true;
}

static bool write_feed(xmlTextWriter *w, const struct head *h, const json_t *items,
		       const struct origin *o)
{
	return xmlTextWriterSetIndent(w, 1) >= 0 && xmlTextWriterSetIndentString(w, X("  ")) >= 0 &&
	       xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) >= 0 &&
	       xmlTextWriterStartElementNS(w, NULL, X("feed"), X(ATOM_NS)) >= 0 &&
	       xmlTextWriterWriteAttribute(w, X("xml:lang"), X("vi")) >= 0 && write_head(w, h) &&
	       write_entries(w, items, o) && xmlTextWriterEndDocument(w) >= 0;
}

/* The document in a buffer of the C library's (new, *len long, with a
 * NUL after it), so that the caller frees it with free(). */
static char *atom_render_new(const struct head *h, const json_t *items, const struct origin *o,
			     size_t *len)
{
	char *out = NULL;
	xmlBuffer *buf = xmlBufferCreate();
	xmlTextWriter *w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (w == NULL) {
		xmlBufferFree(buf);
		return NULL;
	}
	bool ok = write_feed(w, h, items, o);
	xmlFreeTextWriter(w); /* flushes what it still holds into buf */
	int n = xmlBufferLength(buf);
	if (ok && n > 0 && (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, xmlBufferContent(buf), (size_t)n);
		out[n] = '\0';
		*len = (size_t)n;
	}
	xmlBufferFree(buf);
	return out;
}

char *feed_atom_new(const json_t *news, const char *base_url, const char *self_path, size_t *len)
{
	assert(base_url && self_path && self_path[0] == '/' && len);
	pthread_once(&xml_once, xml_init_once);
	struct origin o = origin_of(base_url);
	struct head h;
	char *out = NULL;
	if (head_init(&h, news, &o, self_path))
		out = atom_render_new(&h, json_object_get(news, "items"), &o, len);
	head_clear(&h);
	return out;
}

/* ---- JSON Feed ---- */

/* An item (new).  JSON Feed requires content_text or content_html: the
 * text is the summary, or the title when there is none. */
static json_t *json_item_new(const struct entry *e)
{
	return json_pack("{s:s, s:s, s:s, s:s*, s:s, s:s*, s:s, s:[s]}", "id", e->url, "url",
			 e->url, "title", e->title, "summary", e->summary, "content_text",
			 e->summary ? e->summary : e->title, "date_published",
			 e->published[0] ? e->published : NULL, "date_modified", e->updated, "tags",
			 e->kind);
}

static json_t *json_items_new(const json_t *items, const struct origin *o)
{
	json_t *out = json_array();
	size_t i;
	const json_t *item;
	if (out == NULL)
		return NULL;
	json_array_foreach(items, i, item)
	{
		struct entry e;
		bool ok = entry_init(&e, item, o) &&
			  json_array_append_new(out, json_item_new(&e)) == 0;
		entry_clear(&e);
		if (!ok) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

char *feed_json_new(const json_t *news, const char *base_url, const char *self_path)
{
	assert(base_url && self_path && self_path[0] == '/');
	struct origin o = origin_of(base_url);
	struct head h;
	json_t *feed = NULL;
	char *out = NULL;
	if (head_init(&h, news, &o, self_path))
		feed = json_pack("{s:s, s:s, s:s, s:s, s:s*, s:s, s:[{s:s}]}", "version",
				 JSON_FEED_VERSION, "title", h.title, "home_page_url", h.news_url,
				 "feed_url", h.self_url, "next_url", h.next_url, "language", "vi",
				 "authors", "name", h.name);
	/* set_new takes the items, or frees them when it fails */
	if (feed && json_object_set_new(feed, "items",
					json_items_new(json_object_get(news, "items"), &o)) == 0)
		out = json_dumps(feed, JSON_COMPACT);
	json_decref(feed);
	head_clear(&h);
	return out;
}
