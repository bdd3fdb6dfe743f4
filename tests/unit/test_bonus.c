/* Unit tests: the money of an award against domain.md §4.2 and the worked
 * amounts of §4.3, rounded up to 10,000 VND. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/bonus.h"

/* domain.md §4.3: a coefficient (hundredths) and its amount on each base;
 * the households' rows are §4.1's 1.5 × an individual's (Decree 152). */
static const int64_t bases[4] = { 1490000, 1800000, 2340000, 2530000 };
static const struct {
	const char *item;
	int hundredths;
	int64_t amount[4]; /* 0: not in the table */
} worked[] = {
	{ "LĐTT / Giấy khen, individual", 30, { 450000, 540000, 710000, 760000 } },
	{ "CSTĐCS", 100, { 1490000, 1800000, 2340000, 2530000 } },
	{ "provincial CSTĐ", 300, { 4470000, 5400000, 7020000, 7590000 } },
	{ "TTLĐTT", 80, { 1200000, 1440000, 1880000, 2030000 } },
	{ "TTLĐXS", 150, { 2240000, 2700000, 3510000, 3800000 } },
	{ "Giấy khen, collective", 60, { 900000, 1080000, 1410000, 1520000 } },
	{ "provincial Bằng khen, 1.0", 100, { 1490000, 1800000, 2340000, 0 } },
	{ "provincial Bằng khen, 1.5", 150, { 0, 0, 3510000, 3800000 } },
	{ "provincial flag", 800, { 11920000, 14400000, 18720000, 20240000 } },
	/* 0.45 × 2,340,000 = 1,053,000, rounded once: not 1.5 × 710,000 */
	{ "Giấy khen, household", 45, { 0, 0, 1060000, 1140000 } },
	{ "provincial Bằng khen, household", 225, { 0, 0, 5270000, 5700000 } },
};

static void test_worked_amounts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof worked / sizeof worked[0]; i++)
		for (int b = 0; b < 4; b++) {
			if (!worked[i].amount[b])
				continue;
			int64_t got = bonus_amount(worked[i].hundredths, bases[b]);
			if (got != worked[i].amount[b])
				fail_msg("%s on %lld: %lld, not %lld", worked[i].item,
					 (long long)bases[b], (long long)got,
					 (long long)worked[i].amount[b]);
		}
}

static void test_rounding_is_up_and_exact(void **state)
{
	(void)state;
	/* the central committee's example: 0.8 × 1,390,000 = 1,112,000 */
	assert_int_equal(bonus_product(80, 1390000), 1112000);
	assert_int_equal(bonus_amount(80, 1390000), 1120000);
	/* a multiple of 10,000 stays; one đồng over goes to the next step */
	assert_int_equal(bonus_amount(100, 1800000), 1800000);
	assert_int_equal(bonus_amount(100, 1800001), 1810000);
	assert_int_equal(bonus_amount(100, 1799999), 1800000);
	assert_int_equal(bonus_amount(30, 2340000), 710000);
	assert_int_equal(bonus_product(30, 2340000), 702000);
	/* the largest inputs: no overflow */
	assert_int_equal(bonus_amount(BONUS_HUNDREDTHS_MAX, BONUS_BASE_MAX - 1), 100000000000LL);
}

static void test_out_of_bounds(void **state)
{
	(void)state;
	assert_int_equal(bonus_amount(0, 1490000), -1);
	assert_int_equal(bonus_amount(-30, 1490000), -1);
	assert_int_equal(bonus_amount(BONUS_HUNDREDTHS_MAX + 1, 1490000), -1);
	assert_int_equal(bonus_amount(30, 0), -1);
	assert_int_equal(bonus_amount(30, BONUS_BASE_MAX), -1);
	assert_int_equal(bonus_product(30, -1), -1);
}

static void test_texts(void **state)
{
	(void)state;
	char g[BONUS_TEXT_LEN], c[BONUS_COEF_LEN];
	assert_string_equal(bonus_grouped(g, 2340000, '.'), "2.340.000");
	assert_string_equal(bonus_grouped(g, 2340000, ','), "2,340,000");
	assert_string_equal(bonus_grouped(g, 710000, '.'), "710.000");
	assert_string_equal(bonus_grouped(g, 999, '.'), "999");
	assert_string_equal(bonus_grouped(g, 0, '.'), "0");
	assert_string_equal(bonus_grouped(g, 99999999910000LL, ','), "99,999,999,910,000");
	assert_string_equal(bonus_coefficient_text(c, 30, ','), "0,3");
	assert_string_equal(bonus_coefficient_text(c, 30, '.'), "0.3");
	assert_string_equal(bonus_coefficient_text(c, 100, ','), "1");
	assert_string_equal(bonus_coefficient_text(c, 150, ','), "1,5");
	assert_string_equal(bonus_coefficient_text(c, 1200, '.'), "12");
	assert_string_equal(bonus_coefficient_text(c, 45, ','), "0,45");
	assert_string_equal(bonus_coefficient_text(c, 225, '.'), "2.25");
	assert_string_equal(bonus_coefficient_text(c, 5, '.'), "0.05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_amounts),
		cmocka_unit_test(test_rounding_is_up_and_exact),
		cmocka_unit_test(test_out_of_bounds),
		cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
