/* Unit tests: staff dates and status, spreadsheet values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/staff_rules.h"

static struct civil_date D(const char *s) {
	struct civil_date d = { 0, 0, 0 };
	assert_true(civil_date_parse(s, &d));
	return d;
}

struct row {
	const char *name;
	struct staff_dates d;
	const char *bad_field; /* NULL: valid */
};

static void test_rows(void **state)
{
	(void)state;
	struct row rows[] = {
		{ "plain active", { .status = "active", .start = D("2020-01-01") }, NULL },
		{ "born 15 years before start (Labour Code 2019 art. 143)",
		  { .status = "active",
		    .start = D("2020-01-01"),
		    .has_birth = true,
		    .birth = D("2005-01-01") },
		  NULL },
		{ "younger than 15 at start",
		  { .status = "active",
		    .start = D("2020-01-01"),
		    .has_birth = true,
		    .birth = D("2005-01-02") },
		  "date_of_birth" },
		{ "leap-day birth turns 15 on 28 February",
		  { .status = "active",
		    .start = D("2019-02-28"),
		    .has_birth = true,
		    .birth = D("2004-02-29") },
		  NULL },
		{ "on leave without leave_from",
		  { .status = "on_leave", .start = D("2020-01-01") },
		  "leave_from" },
		{ "on leave with dates",
		  { .status = "on_leave",
		    .start = D("2020-01-01"),
		    .has_leave_from = true,
		    .leave_from = D("2022-03-01"),
		    .has_leave_until = true,
		    .leave_until = D("2022-08-31") },
		  NULL },
		{ "leave ends before it starts",
		  { .status = "on_leave",
		    .start = D("2020-01-01"),
		    .has_leave_from = true,
		    .leave_from = D("2022-03-01"),
		    .has_leave_until = true,
		    .leave_until = D("2022-02-28") },
		  "leave_until" },
		{ "left without a date",
		  { .status = "left", .start = D("2020-01-01") },
		  "left_on" },
		{ "left before starting",
		  { .status = "left",
		    .start = D("2020-01-01"),
		    .has_left_on = true,
		    .left_on = D("2019-12-31") },
		  "left_on" },
		{ "left on the first day",
		  { .status = "left",
		    .start = D("2020-01-01"),
		    .has_left_on = true,
		    .left_on = D("2020-01-01") },
		  NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct staff_rule_error err = { 0 };
		bool ok = staff_dates_valid(&rows[i].d, &err);
		if (ok != (rows[i].bad_field == NULL))
			fail_msg("%s: valid=%d", rows[i].name, ok);
		if (!ok && strcmp(err.field, rows[i].bad_field) != 0)
			fail_msg("%s: points at %s", rows[i].name, err.field);
	}
}

static void test_codes(void **state)
{
	(void)state;
	assert_string_equal(staff_gender_code("Nam"), "male");
	assert_string_equal(staff_gender_code("NAM"), "male");
	assert_string_equal(staff_gender_code("Nữ"), "female");
	assert_string_equal(staff_gender_code("female"), "female");
	assert_null(staff_gender_code("n"));
	assert_null(staff_gender_code(""));
	assert_string_equal(staff_employment_code("Công chức"), "civil_servant");
	assert_string_equal(staff_employment_code("Viên chức"), "public_employee");
	assert_string_equal(staff_employment_code("Người lao động"), "contract_worker");
	assert_string_equal(staff_employment_code("contract_worker"), "contract_worker");
	assert_null(staff_employment_code("Bộ đội"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
