/*
 * money.h — the calculation of a bonus as an answer shows it (api/bonus.c),
 * shared by the rates and the fund's payments.
 */
#ifndef THIDUA_API_MONEY_H
#define THIDUA_API_MONEY_H

#include <stdint.h>

/* "0,3 × 2.340.000 đồng = 702.000 đồng, …: 710.000 đồng" in the answer's
 * language (a new string; NULL when out of memory). */
char *api_bonus_calculation(int hundredths, int64_t base, int64_t amount);

#endif
