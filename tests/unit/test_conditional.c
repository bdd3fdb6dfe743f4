/* Unit tests: entity tags and dates of conditional requests (RFC 9110
 * §13), and the RFC 3339 timestamps PostgreSQL writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/conditional.h"

static void test_etag_lists(void **state)
{
	(void)state;
	const char *tag = "\"a1b2\"";
	assert_true(http_etag_matches("\"a1b2\"", tag));
	assert_true(http_etag_matches("W/\"a1b2\"", tag)); /* weak comparison */
	assert_true(http_etag_matches("\"x\", \"a1b2\"", tag));
	assert_true(http_etag_matches(" \"x\" ,W/\"a1b2\" ", tag));
	assert_true(http_etag_matches("*", tag));
	assert_false(http_etag_matches("\"a1b\"", tag));
	assert_false(http_etag_matches("\"a1b2", tag)); /* unterminated */
	assert_false(http_etag_matches("a1b2", tag)); /* unquoted */
	assert_false(http_etag_matches("\"x\" junk, \"a1b2\"", tag)); /* malformed: nothing */
	assert_false(http_etag_matches("", tag));
	assert_false(http_etag_matches(NULL, tag));
	assert_false(http_etag_matches("**", tag));
}

static void test_http_dates(void **state)
{
	(void)state;
	char out[HTTP_DATE_LEN];
	http_date_format(784111777, out);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
	time_t t = 0;
	assert_true(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t));
	assert_int_equal(t, 784111777);
	http_date_format(1672444800, out); /* 2022-12-31T00:00:00Z */
	assert_string_equal(out, "Sat, 31 Dec 2022 00:00:00 GMT");
	assert_true(http_date_parse(out, &t));
	assert_int_equal(t, 1672444800);
	/* the obsolete formats, and anything else, are not dates here */
	assert_false(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t));
	assert_false(http_date_parse("Sun Nov  6 08:49:37 1994", &t));
	assert_false(http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", &t));
	assert_false(http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT", &t));
	assert_false(http_date_parse("Sun, 36 Nov 1994 08:49:37 GMT", &t));
	assert_false(http_date_parse("", &t));
	assert_false(http_date_parse(NULL, &t));
}

static void test_rfc3339(void **state)
{
	(void)state;
	time_t t = 0;
	assert_true(rfc3339_parse("2022-12-31T00:00:00Z", &t));
	assert_int_equal(t, 1672444800);
	assert_true(rfc3339_parse("2022-12-31T07:00:00.123456+07:00", &t));
	assert_int_equal(t, 1672444800);
	assert_true(rfc3339_parse("2022-12-30T19:00:00-05:00", &t));
	assert_int_equal(t, 1672444800);
	assert_true(rfc3339_parse("2024-02-29T12:00:00+00:00", &t));
	assert_int_equal(t, 1709208000);
	assert_false(rfc3339_parse("2022-12-31", &t));
	assert_false(rfc3339_parse("2022-12-31T00:00:00", &t)); /* no offset */
	assert_false(rfc3339_parse("2022-12-31T00:00:00.Z", &t));
	assert_false(rfc3339_parse("2022-13-31T00:00:00Z", &t));
	assert_false(rfc3339_parse("2022-12-31T00:00:00+07", &t));
	assert_false(rfc3339_parse("2022-12-31T00:00:00Zjunk", &t));
	assert_false(rfc3339_parse(NULL, &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_etag_lists),
		cmocka_unit_test(test_http_dates),
		cmocka_unit_test(test_rfc3339),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
