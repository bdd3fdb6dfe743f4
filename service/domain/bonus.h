/*
 * bonus.h — the money of an award (domain.md §4, rules 26-29).
 *
 * A bonus is the coefficient of the award under its rule set times the
 * base salary in force on the date of the decision, rounded up to the
 * next 10,000 VND (Decree 152 Art. 49.1-2; Decree 91 Art. 68.2).  The
 * coefficient is kept in hundredths (0.3 is 30; a household's Giấy khen,
 * 1.5 × 0.3, is 45) and the arithmetic is integer, so 0.8 × 1,390,000 =
 * 1,112,000 is paid 1,120,000 and never 1,119,999.99 rounded the wrong
 * way: published tables that print 702,000 for LĐTT on
 * a base of 2,340,000 forgot the rounding (710,000).  Pure: no I/O.
 */
#ifndef THIDUA_DOMAIN_BONUS_H
#define THIDUA_DOMAIN_BONUS_H

#include <stdint.h>

/* The step amounts are rounded up to, in VND. */
#define BONUS_STEP ((int64_t)10000)
/* Bounds of the inputs: a coefficient of at most 100 (the table's largest
 * is 12), a base salary under a billion. */
#define BONUS_HUNDREDTHS_MAX 10000
#define BONUS_BASE_MAX 1000000000

/* The amount of an award of coefficient hundredths/100 on base, rounded
 * up to BONUS_STEP; -1 when an input is out of its bounds. */
int64_t bonus_amount(int hundredths, int64_t base);

/* hundredths × base / 100 before rounding, in VND (rounded down; exact
 * for a base that is a multiple of 100, as every base salary is); -1 when
 * an input is out of its bounds.  For the calculation an answer shows. */
int64_t bonus_product(int hundredths, int64_t base);

/* v (≥ 0) with its thousands grouped by sep: "2.340.000" in Vietnamese,
 * "2,340,000" in English.  Returns out. */
#define BONUS_TEXT_LEN 32
const char *bonus_grouped(char out[BONUS_TEXT_LEN], int64_t v, char sep);

/* A coefficient in hundredths as a decimal with mark: "0,3", "1", "1,5",
 * "0,45" (mark ','), "0.3" (mark '.').  Returns out. */
#define BONUS_COEF_LEN 16
const char *bonus_coefficient_text(char out[BONUS_COEF_LEN], int hundredths, char mark);

#endif
