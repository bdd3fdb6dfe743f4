/*
 * decimal.c — two-decimal amounts from doubles (see decimal.h).
 *
 * The shortest round-trip form is found the classic way: the fewest
 * significant digits (1 to 17) whose %.*e text parses back to the same
 * double.  Its decimals are the significant digits after the point minus
 * the exponent; trailing zeros never occur in a shortest form, except for
 * zero itself.
 */
#include "domain/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimals of the shortest text that reads back as v (v finite). */
static int shortest_decimals(double v)
{
	char text[40];
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(text, sizeof text, "%.*e", digits - 1, v);
		if (strtod(text, NULL) != v)
			continue;
		/* text is "-d.ddde+XX": significant digits after the first, and the exponent */
		const char *e = strchr(text, 'e');
		int exponent = e ? (int)strtol(e + 1, NULL, 10) : 0;
		int after = digits - 1;
		const char *last = e ? e - 1 : text + strlen(text) - 1;
		while (after > 0 && *last == '0') { /* %.*e pads with zeros */
			after--;
			last--;
		}
		int decimals = after - exponent;
		return decimals > 0 ? decimals : 0;
	}
	return 17; /* not reached for a finite double */
}

bool decimal_cents(double v, int64_t *cents)
{
	if (!isfinite(v) || v >= DECIMAL_LIMIT || v <= -DECIMAL_LIMIT || shortest_decimals(v) > 2)
		return false;
	/* |v| * 100 < 2^53: the product is within half a unit of the integer
	 * (rounded by hand: llround would need libm for this one call) */
	double scaled = v * 100.0;
	*cents = (int64_t)(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
	return true;
}

bool decimal_cents_of_integer(int64_t n, int64_t *cents)
{
	if (n <= -(int64_t)DECIMAL_LIMIT || n >= (int64_t)DECIMAL_LIMIT)
		return false;
	*cents = n * 100;
	return true;
}

const char *decimal_text(char out[DECIMAL_TEXT_LEN], int64_t cents)
{
	/* |cents| < 10^14 (DECIMAL_LIMIT * 100): no overflow in negation */
	int64_t a = cents < 0 ? -cents : cents;
	snprintf(out, DECIMAL_TEXT_LEN, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100),
		 (long long)(a % 100));
	return out;
}

char *integer_text(char out[INTEGER_TEXT_LEN], int64_t v)
{
	size_t i = INTEGER_TEXT_LEN - 1;
	out[i] = '\0';
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		out[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[--i] = '-';
	return out + i;
}
