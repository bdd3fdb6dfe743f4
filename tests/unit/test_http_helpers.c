/* Unit tests: request ids, CORS allow-list, JSON media types, problems,
 * query strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "http/dispatch.h"
#include "http/form.h"
#include "http/netaddr.h"
#include "http/problem.h"
#include "http/query.h"

static void test_request_id(void **state)
{
	(void)state;
	char big[200];
	memset(big, 'a', sizeof big);
	big[128] = '\0';
	assert_true(request_id_valid(big)); /* 128 is the most we accept */
	big[128] = 'a';
	big[129] = '\0';
	assert_false(request_id_valid(big));
	assert_true(request_id_valid("abc-123_x.y:z"));
	assert_false(request_id_valid(""));
	assert_false(request_id_valid("has space"));
	assert_false(request_id_valid("tab\there"));
	assert_false(request_id_valid("new\nline"));
	assert_false(request_id_valid("caf\xc3\xa9"));
	char a[33], b[33];
	request_id_generate(a);
	request_id_generate(b);
	assert_int_equal(strlen(a), 32);
	assert_true(request_id_valid(a));
	assert_string_not_equal(a, b);
}

static void test_cors(void **state)
{
	(void)state;
	const char *list = "https://portal.gialai.gov.vn, https://app.example";
	assert_true(cors_origin_allowed(list, "https://portal.gialai.gov.vn"));
	assert_true(cors_origin_allowed(list, "https://app.example"));
	assert_false(cors_origin_allowed(list, "https://app.example.evil"));
	assert_false(cors_origin_allowed(list, "https://app.exampl"));
	assert_false(cors_origin_allowed(list, "null"));
	assert_false(cors_origin_allowed(list, ""));
	assert_false(cors_origin_allowed("", "https://app.example"));
	assert_false(cors_origin_allowed(list, NULL));
}

static void test_media_type(void **state)
{
	(void)state;
	assert_true(media_type_is_json("application/json"));
	assert_true(media_type_is_json("application/json; charset=utf-8"));
	assert_true(media_type_is_json("Application/JSON"));
	assert_true(media_type_is_json("application/merge-patch+json"));
	assert_false(media_type_is_json("application/jsonx"));
	assert_false(media_type_is_json("text/json"));
	assert_false(media_type_is_json("application/x-www-form-urlencoded"));
	assert_false(media_type_is_json("application/+json"));
	assert_false(media_type_is_json(NULL));
}

static void test_problem_json(void **state)
{
	(void)state;
	struct problem *p = problem_new(P_VALIDATION, "%d fields", 2);
	problem_add_error(p, "/name", "must not be empty");
	problem_add_error(p, "/query/limit", "at most %d", 100);
	json_t *j = problem_to_json_new(p, "/v1/x", "rid-1");
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "urn:thidua:problem:validation");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "2 fields");
	assert_string_equal(json_string_value(json_object_get(j, "instance")), "/v1/x");
	assert_string_equal(json_string_value(json_object_get(j, "request_id")), "rid-1");
	json_t *errs = json_object_get(j, "errors");
	assert_int_equal(json_array_size(errs), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "pointer")),
			    "/query/limit");
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "detail")),
			    "at most 100");
	json_decref(j);
	problem_free(p);
}

static void test_problem_errors_capped(void **state)
{
	(void)state;
	struct problem *p = problem_new(P_BAD_REQUEST, "Unknown members.");
	for (int i = 0; i < PROBLEM_MAX_ERRORS + 7; i++)
		problem_add_error(p, "/x", "unknown field %d", i);
	problem_add_error_text(p, "/y", "one more");
	json_t *j = problem_to_json_new(p, NULL, NULL);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), PROBLEM_MAX_ERRORS);
	assert_int_equal(json_integer_value(json_object_get(j, "errors_omitted")), 8);
	assert_non_null(
		strstr(json_string_value(json_object_get(j, "detail")), "Unknown members. "));
	json_decref(j);
	problem_free(p);
}

/* One row per query string: what the map holds afterwards ("" when the
 * row expects a fault), or the fault and the parameter it names. */
struct query_row {
	const char *name, *query;
	enum query_fault fault;
	const char *bad; /* the parameter named by a NOT_UTF8 fault */
	const char *keys[4], *values[4];
};

static const struct query_row query_rows[] = {
	{ "empty", "", QUERY_OK, NULL, { NULL }, { NULL } },
	{ "plain", "limit=10&cursor=abc", QUERY_OK, NULL, { "limit", "cursor" }, { "10", "abc" } },
	{ "plus is a space, %2B a plus",
	  "q=nguyen+van%2Ba",
	  QUERY_OK,
	  NULL,
	  { "q" },
	  { "nguyen van+a" } },
	{ "UTF-8 percent-encoded",
	  "q=%C4%90%E1%BA%A1t",
	  QUERY_OK,
	  NULL,
	  { "q" },
	  { "\xc4\x90\xe1\xba\xa1t" } },
	{ "a name without '=' is empty", "verbose", QUERY_OK, NULL, { "verbose" }, { "" } },
	{ "a repeated name joins its values", "s=a&s=b", QUERY_OK, NULL, { "s" }, { "a,b" } },
	{ "a stray '%' stays", "q=100%&r=%zz", QUERY_OK, NULL, { "q", "r" }, { "100%", "%zz" } },
	{ "a trailing '&' adds nothing", "a=1&", QUERY_OK, NULL, { "a" }, { "1" } },
	{ "a lone byte 0xFF", "x=%FF", QUERY_NOT_UTF8, "x", { NULL }, { NULL } },
	{ "a lead byte without its tail", "x=%C3%28", QUERY_NOT_UTF8, "x", { NULL }, { NULL } },
	{ "an overlong '/'", "x=%C0%AF", QUERY_NOT_UTF8, "x", { NULL }, { NULL } },
	{ "a surrogate", "x=%ED%A0%80", QUERY_NOT_UTF8, "x", { NULL }, { NULL } },
	{ "in the name, named as sent", "%FFa=1", QUERY_NOT_UTF8, "%FFa", { NULL }, { NULL } },
};

static void test_query_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof query_rows / sizeof query_rows[0]; i++) {
		const struct query_row *r = &query_rows[i];
		struct _u_map *map;
		struct query_problem qp;
		query_parse(r->query, &map, &qp);
		if (qp.fault != r->fault)
			fail_msg("%s: fault %d, expected %d", r->name, qp.fault, r->fault);
		if (r->bad && strcmp(qp.name, r->bad) != 0)
			fail_msg("%s: names \"%s\"", r->name, qp.name);
		if (!*r->query && map)
			fail_msg("%s: a map for an empty query", r->name);
		size_t n = 0;
		for (; n < 4 && r->keys[n]; n++) {
			const char *v = map ? u_map_get(map, r->keys[n]) : NULL;
			if (!v || strcmp(v, r->values[n]) != 0)
				fail_msg("%s: %s is \"%s\"", r->name, r->keys[n], v ? v : "(none)");
		}
		int count = map ? u_map_count(map) : 0;
		if (r->fault == QUERY_OK && (size_t)count != n)
			fail_msg("%s: %d parameters", r->name, count);
		if (map)
			u_map_clean_full(map);
	}
}

static void test_query_too_many(void **state)
{
	(void)state;
	char q[QUERY_MAX_PARAMS * 8 + 16] = "";
	size_t len = 0;
	for (int i = 0; i <= QUERY_MAX_PARAMS; i++)
		len += (size_t)snprintf(q + len, sizeof q - len, "%sp%d=1", i ? "&" : "", i);
	struct _u_map *map;
	struct query_problem qp;
	query_parse(q, &map, &qp);
	assert_int_equal(qp.fault, QUERY_TOO_MANY);
	assert_null(map); /* refused before anything is stored */
	*strrchr(q, '&') = '\0'; /* exactly the most */
	query_parse(q, &map, &qp);
	assert_int_equal(qp.fault, QUERY_OK);
	assert_non_null(map);
	assert_int_equal(u_map_count(map), QUERY_MAX_PARAMS);
	u_map_clean_full(map);
}

/* The answer's headers: replaced by name whatever the case, long values
 * beyond the inline room, and everything freed by http_answer_clear (the
 * sanitizer build reports a leak or a double free). */
static void test_answer_headers(void **state)
{
	(void)state;
	static struct http_request req;
	static struct http_answer res;
	struct call c = { .req = &req, .res = &res };
	call_set_header(&c, "ETag", "\"1\"");
	call_set_header(&c, "etag", "\"2\"");
	assert_int_equal(res.n_headers, 1);
	assert_string_equal(http_answer_header(&res, "ETAG"), "\"2\"");
	char long_value[3000];
	memset(long_value, 'x', sizeof long_value - 1);
	long_value[sizeof long_value - 1] = '\0';
	call_set_header(&c, "Link", long_value);
	assert_true(res.headers[1].owned);
	call_set_header(&c, "Link", "<short>");
	assert_string_equal(http_answer_header(&res, "Link"), "<short>");
	call_add_vary(&c, "Origin");
	call_add_vary(&c, "Accept-Language");
	call_add_vary(&c, "origin");
	assert_string_equal(http_answer_header(&res, "Vary"), "Origin, Accept-Language");
	/* names are literals: more distinct ones than the answer holds are dropped */
	static const char *const names[] = { "A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7",
					     "A8", "A9", "B0", "B1", "B2", "B3", "B4", "B5",
					     "B6", "B7", "B8", "B9", "C0", "C1", "C2", "C3" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		call_set_header(&c, names[i], long_value);
	assert_int_equal(res.n_headers, ANSWER_MAX_HEADERS);
	assert_null(http_answer_header(&res, "C3"));
	call_bytes(&c, 200, "text/plain", "hello", 5);
	assert_int_equal(res.body_len, 5);
	call_reset_answer(&c);
	assert_int_equal(res.n_headers, 0);
	assert_null(res.body);
	assert_null(http_answer_header(&res, "ETag"));
	http_answer_clear(&res);
}

/* A producer of n pieces "0123456789", failing at piece fail_at (0: never),
 * counting its release. */
struct pieces {
	int n, done, fail_at, released;
};

static enum stream_step produce_pieces(void *ctx, struct stream_out *out)
{
	struct pieces *p = ctx;
	if (p->fail_at && p->done + 1 == p->fail_at)
		return STREAM_FAILED;
	if (!stream_write(out, "0123456789", 10))
		return STREAM_FAILED;
	return ++p->done < p->n ? STREAM_MORE : STREAM_DONE;
}

static void release_pieces(void *ctx)
{
	((struct pieces *)ctx)->released++;
}

/* A streamed answer that cannot be streamed is collected into the body
 * (70,000 pieces: the buffer grows past its first 64 KiB many times); a
 * producer that fails leaves no body; the producer is released exactly
 * once in every case, also when the answer is dropped unsent. */
static void test_stream_collected(void **state)
{
	(void)state;
	static struct http_request req;
	static struct http_answer res;
	struct call c = { .req = &req, .res = &res };
	struct pieces p = { .n = 70000 };
	struct answer_stream how = { produce_pieces, release_pieces, &p };
	call_stream(&c, 200, "application/json", &how);
	assert_int_equal(c.status, 200);
	assert_string_equal(http_answer_header(&res, "Content-Type"), "application/json");
	assert_true(http_answer_collect(&res));
	assert_int_equal(p.released, 1);
	assert_int_equal(res.body_len, 700000);
	assert_memory_equal(res.body + 699990, "0123456789", 10);
	assert_null(res.stream.produce);
	http_answer_clear(&res);

	struct pieces bad = { .n = 5, .fail_at = 3 };
	how = (struct answer_stream){ produce_pieces, release_pieces, &bad };
	call_reset_answer(&c);
	call_stream(&c, 200, "application/json", &how);
	assert_false(http_answer_collect(&res));
	assert_int_equal(bad.released, 1);
	assert_null(res.body);

	struct pieces unsent = { .n = 1 };
	how = (struct answer_stream){ produce_pieces, release_pieces, &unsent };
	call_reset_answer(&c);
	call_stream(&c, 200, "application/json", &how);
	call_reset_answer(&c);
	assert_int_equal(unsent.released, 1);
	assert_int_equal(unsent.done, 0);
	http_answer_clear(&res);
}

/* An address, IPv4 or IPv6, as netaddr_is_public reads it. */
static bool public_text(const char *text)
{
	struct sockaddr_in6 s6 = { 0 };
	struct sockaddr_in s4 = { 0 };
	if (inet_pton(AF_INET, text, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		return netaddr_is_public((const struct sockaddr *)&s4);
	}
	assert_int_equal(inet_pton(AF_INET6, text, &s6.sin6_addr), 1);
	s6.sin6_family = AF_INET6;
	return netaddr_is_public((const struct sockaddr *)&s6);
}

/* Webhooks are not posted into the service's own network. */
static void test_netaddr(void **state)
{
	(void)state;
	static const char *const closed[] = { "127.0.0.1",
					      "127.255.0.9",
					      "10.1.2.3",
					      "172.16.0.1",
					      "172.31.255.255",
					      "192.168.1.1",
					      "169.254.169.254",
					      "100.64.0.1",
					      "0.0.0.0",
					      "224.0.0.1",
					      "255.255.255.255",
					      "::1",
					      "::",
					      "fd00::1",
					      "fe80::1",
					      "ff02::1",
					      "::ffff:127.0.0.1",
					      "::ffff:10.0.0.1",
					      "64:ff9b::7f00:1",
					      "2002:c0a8:0101::1",
					      "2001:0:4136:e378::1" };
	static const char *const open[] = { "8.8.8.8",		"172.32.0.1",
					    "172.15.255.255",	"1.1.1.1",
					    "100.128.0.1",	"2001:4860:4860::8888",
					    "::ffff:8.8.4.4",	"14.160.0.1",
					    "64:ff9b::808:808", "2002:0808:0808::1" };
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++)
		assert_false(public_text(closed[i]));
	for (size_t i = 0; i < sizeof open / sizeof open[0]; i++)
		assert_true(public_text(open[i]));
	struct sockaddr unix_sa = { .sa_family = AF_UNIX };
	assert_false(netaddr_is_public(&unix_sa));
	assert_false(netaddr_is_public(NULL));
}

/* The token endpoint's forms: decoded, each field once, UTF-8 only. */
static void test_form(void **state)
{
	(void)state;
	const char *why = NULL;
	const char *ok = "grant_type=client_credentials&client_id=portal&&client_secret=s%2Bx+y%21"
			 "&scope=&t%E1%BB%AB=c%C3%B3";
	json_t *f = form_parse(ok, strlen(ok), &why);
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "grant_type")),
			    "client_credentials");
	assert_string_equal(json_string_value(json_object_get(f, "client_secret")), "s+x y!");
	assert_string_equal(json_string_value(json_object_get(f, "scope")), "");
	assert_string_equal(json_string_value(json_object_get(f, "t\xe1\xbb\xab")), "c\xc3\xb3");
	assert_int_equal(json_object_size(f), 5);
	json_decref(f);
	f = form_parse("", 0, &why);
	assert_non_null(f);
	assert_int_equal(json_object_size(f), 0);
	json_decref(f);
	static const char *const bad[] = { "a=1&a=2", "a=%zz", "a=%4",	"a=%",	"=x",
					   "a=%00",   "a=%FF", "%C3=1", "a=b%", NULL };
	for (size_t i = 0; bad[i]; i++) {
		why = NULL;
		assert_null(form_parse(bad[i], strlen(bad[i]), &why));
		assert_non_null(why);
	}
	/* a NUL in the raw bytes is no field's */
	assert_null(form_parse("a=b\0c", 5, &why));
	assert_true(media_type_is_form("application/x-www-form-urlencoded"));
	assert_true(media_type_is_form("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
	assert_false(media_type_is_form("application/x-www-form-urlencodedx"));
	assert_false(media_type_is_form("multipart/form-data"));
	assert_false(media_type_is_form(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_id),
		cmocka_unit_test(test_netaddr),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_cors),
		cmocka_unit_test(test_media_type),
		cmocka_unit_test(test_problem_json),
		cmocka_unit_test(test_problem_errors_capped),
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test(test_query_too_many),
		cmocka_unit_test(test_answer_headers),
		cmocka_unit_test(test_stream_collected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
