/* Unit tests: Vietnam's calendar day, strict dates, deadlines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/fnv.h"
#include "domain/timespec.h"

struct day_row {
	const char *name;
	int64_t t;
	int y, m, d;
};

static void test_vn_date_of(void **state)
{
	(void)state;
	static const struct day_row rows[] = {
		{ "epoch is 07:00 on 1970-01-01 in Hanoi", 0, 1970, 1, 1 },
		{ "16:59:59Z is still the same day", 1669309199, 2022, 11, 24 },
		{ "17:00Z is the next day in Vietnam", 1669309200, 2022, 11, 25 },
		{ "new year in Vietnam 7 hours before UTC", 1672506000, 2023, 1, 1 },
		{ "leap day 2024", 1709164800, 2024, 2, 29 },
		{ "before the epoch", -86400, 1969, 12, 31 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct civil_date d = vn_date_of(rows[i].t);
		if (d.year != rows[i].y || d.month != rows[i].m || d.day != rows[i].d)
			fail_msg("%s: got %d-%d-%d", rows[i].name, d.year, d.month, d.day);
	}
}

static void test_parse(void **state)
{
	(void)state;
	struct civil_date d;
	assert_true(civil_date_parse("2022-10-31", &d));
	assert_int_equal(d.year, 2022);
	assert_int_equal(d.month, 10);
	assert_int_equal(d.day, 31);
	assert_true(civil_date_parse("2024-02-29", &d));
	static const char *const bad[] = { "2023-02-29", "2022-13-01", "2022-00-10", "2022-04-31",
					   "22-10-31",	 "2022/10/31", "2022-10-3",  "2022-10-311",
					   "",		 "abcd-ef-gh", "2100-02-29" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (civil_date_parse(bad[i], &d))
			fail_msg("accepted %s", bad[i]);
}

static void test_deadline(void **state)
{
	(void)state;
	struct civil_date dl = { 2022, 11, 24 };
	/* the whole deadline day counts, in Vietnam's time */
	assert_false(vn_deadline_passed(dl, 1669309199)); /* 23:59:59 on the 24th, UTC+7 */
	assert_true(vn_deadline_passed(dl, 1669309200)); /* 00:00 on the 25th, UTC+7 */
	assert_int_equal(vn_day_end(dl), 1669309200);
	assert_int_equal(civil_days((struct civil_date){ 1970, 1, 1 }), 0);
	assert_int_equal(civil_days((struct civil_date){ 2000, 3, 1 }), 11017);
}

/* The deadline of a wait: milliseconds carried into seconds. */
static void test_timespec_plus_ms(void **state)
{
	(void)state;
	struct timespec t = timespec_plus_ms((struct timespec){ 10, 999999999L }, 1);
	assert_int_equal(t.tv_sec, 11);
	assert_int_equal(t.tv_nsec, 999999L);
	t = timespec_plus_ms((struct timespec){ 10, 500000000L }, 10500);
	assert_int_equal(t.tv_sec, 21);
	assert_int_equal(t.tv_nsec, 0);
	t = timespec_plus_ms((struct timespec){ 0, 0 }, 0);
	assert_int_equal(t.tv_sec, 0);
	assert_int_equal(t.tv_nsec, 0);
}

/* The published FNV-1a 64 test vectors, and that a hash carries over. */
static void test_fnv1a64(void **state)
{
	(void)state;
	assert_true(fnv1a64(FNV1A64_INIT, "", 0) == 0xcbf29ce484222325u);
	assert_true(fnv1a64(FNV1A64_INIT, "a", 1) == 0xaf63dc4c8601ec8cu);
	assert_true(fnv1a64(FNV1A64_INIT, "foobar", 6) == 0x85944171f73967e8u);
	assert_true(fnv1a64(fnv1a64(FNV1A64_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8u);
}

static void test_timespec_diff_ms(void **state)
{
	(void)state;
	struct timespec a = { 11, 999999L }, b = { 10, 999999999L };
	assert_int_equal(timespec_diff_ms(&a, &b), 1);
	assert_int_equal(timespec_diff_ms(&b, &a), -1);
	struct timespec c = { 21, 0 }, d = { 10, 500000000L };
	assert_int_equal(timespec_diff_ms(&c, &d), 10500);
	struct timespec e = { 10, 500000L };
	assert_int_equal(timespec_diff_ms(&e, &(struct timespec){ 10, 0 }), 0);
}

static void test_document_date(void **state)
{
	(void)state;
	char out[VN_DOC_DATE_LEN];
	assert_string_equal(vn_document_date(out, (struct civil_date){ 2022, 2, 5 }),
			    "ngày 05 tháng 02 năm 2022");
	assert_string_equal(vn_document_date(out, (struct civil_date){ 2022, 3, 9 }),
			    "ngày 09 tháng 3 năm 2022");
	assert_string_equal(vn_document_date(out, (struct civil_date){ 2022, 12, 30 }),
			    "ngày 30 tháng 12 năm 2022");
	assert_string_equal(vn_document_date(out, (struct civil_date){ 2023, 1, 10 }),
			    "ngày 10 tháng 01 năm 2023");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_date),
		cmocka_unit_test(test_vn_date_of),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_timespec_plus_ms),
		cmocka_unit_test(test_timespec_diff_ms),
		cmocka_unit_test(test_fnv1a64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
