/* Unit tests: two-decimal amounts read from JSON doubles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/decimal.h"

struct row {
	const char *name;
	const char *json; /* the number as a client writes it */
	bool ok;
	int64_t cents;
};

static void test_cents(void **state)
{
	(void)state;
	static const struct row rows[] = {
		{ "a 30 % cut", "30.00", true, 3000 },
		{ "one decimal", "31.5", true, 3150 },
		{ "two decimals", "31.55", true, 3155 },
		{ "three decimals", "31.555", false, 0 },
		{ "a tenth is not exact in binary but has one decimal", "0.1", true, 10 },
		{ "a sum that shows its binary error", "0.30000000000000004", false, 0 },
		{ "hundredths", "0.07", true, 7 },
		{ "thousandths", "0.007", false, 0 },
		{ "negative", "-12.34", true, -1234 },
		{ "zero", "0.0", true, 0 },
		{ "negative zero", "-0.0", true, 0 },
		{ "largest with two decimals", "999999999999.99", true, 99999999999999 },
		{ "the bound itself", "1000000000000.0", false, 0 },
		{ "exponent form, whole", "1.5e3", true, 150000 },
		{ "exponent form, hundredths", "1.25e-1", false, 0 },
		{ "exponent form, two decimals", "12.5e-1", true, 125 },
		{ "huge", "1e300", false, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t cents = -1;
		bool ok = decimal_cents(strtod(rows[i].json, NULL), &cents);
		if (ok != rows[i].ok)
			fail_msg("%s (%s): got %s", rows[i].name, rows[i].json,
				 ok ? "accepted" : "refused");
		if (ok && cents != rows[i].cents)
			fail_msg("%s: got %lld cents", rows[i].name, (long long)cents);
	}
}

static void test_integers_and_text(void **state)
{
	(void)state;
	int64_t cents;
	assert_true(decimal_cents_of_integer(30, &cents));
	assert_int_equal(cents, 3000);
	assert_true(decimal_cents_of_integer(-999999999999, &cents));
	assert_false(decimal_cents_of_integer(1000000000000, &cents));
	assert_false(decimal_cents_of_integer(INT64_MIN, &cents));
	char out[DECIMAL_TEXT_LEN];
	assert_string_equal(decimal_text(out, 3150), "31.50");
	assert_string_equal(decimal_text(out, -7), "-0.07");
	assert_string_equal(decimal_text(out, 0), "0.00");
	assert_string_equal(decimal_text(out, 99999999999999), "999999999999.99");
	assert_string_equal(decimal_text(out, -99999999999999), "-999999999999.99");
}

static void test_integer_text(void **state)
{
	(void)state;
	char out[INTEGER_TEXT_LEN];
	assert_string_equal(integer_text(out, 0), "0");
	assert_string_equal(integer_text(out, 4322), "4322");
	assert_string_equal(integer_text(out, -17), "-17");
	assert_string_equal(integer_text(out, INT64_MAX), "9223372036854775807");
	assert_string_equal(integer_text(out, INT64_MIN), "-9223372036854775808");
	/* written at the end: the bytes before it are free for a prefix */
	char *at = integer_text(out, 12);
	assert_true(at - out >= 4);
	*--at = 's';
	assert_string_equal(at, "s12");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cents),
		cmocka_unit_test(test_integers_and_text),
		cmocka_unit_test(test_integer_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
