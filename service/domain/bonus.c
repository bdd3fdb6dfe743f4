/*
 * bonus.c — the money of an award (see bonus.h).
 */
#include "domain/bonus.h"

#include <stdio.h>
#include <string.h>

static int in_bounds(int hundredths, int64_t base)
{
	return hundredths > 0 && hundredths <= BONUS_HUNDREDTHS_MAX && base > 0 &&
	       base < BONUS_BASE_MAX;
}

int64_t bonus_amount(int hundredths, int64_t base)
{
	if (!in_bounds(hundredths, base))
		return -1;
	/* hundredths × base / 100 rounded up to a multiple of 10,000: the
	 * product counted in units of 100 × 10,000, rounded up (at most
	 * 10^13: no overflow) */
	int64_t units = ((int64_t)hundredths * base + 100 * BONUS_STEP - 1) / (100 * BONUS_STEP);
	return units * BONUS_STEP;
}

int64_t bonus_product(int hundredths, int64_t base)
{
	return in_bounds(hundredths, base) ? (int64_t)hundredths * base / 100 : -1;
}

const char *bonus_grouped(char out[BONUS_TEXT_LEN], int64_t v, char sep)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? 0 : v));
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = sep;
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

const char *bonus_coefficient_text(char out[BONUS_COEF_LEN], int hundredths, char mark)
{
	int whole = hundredths / 100, part = hundredths % 100;
	if (part == 0)
		snprintf(out, BONUS_COEF_LEN, "%d", whole);
	else if (part % 10 == 0)
		snprintf(out, BONUS_COEF_LEN, "%d%c%d", whole, mark, part / 10);
	else
		snprintf(out, BONUS_COEF_LEN, "%d%c%02d", whole, mark, part);
	return out;
}
