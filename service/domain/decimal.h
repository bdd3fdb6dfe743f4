/*
 * decimal.h — amounts with two decimals (hundredths) from JSON numbers.
 *
 * A JSON body carries a reported value as a number; jansson reads it as a
 * double, which has no decimals of its own: 31.5 and 31.50 are the same
 * double, and 0.1 is not exactly one tenth.  What the client wrote is the
 * shortest decimal that reads back as the same double, so that is what we
 * count the decimals of.  The result is an exact count of hundredths, which
 * the store passes to PostgreSQL as numeric text.  Pure: no I/O.
 */
#ifndef THIDUA_DOMAIN_DECIMAL_H
#define THIDUA_DOMAIN_DECIMAL_H

#include <stdbool.h>
#include <stdint.h>

/* Magnitude bound of an amount: |v| < 10^12, which numeric(14, 2) holds. */
#define DECIMAL_LIMIT 1e12

/* True when v is finite, |v| < DECIMAL_LIMIT and has at most two decimals;
 * *cents is then exactly v * 100. */
bool decimal_cents(double v, int64_t *cents);

/* True when |n| < DECIMAL_LIMIT; *cents is n * 100. */
bool decimal_cents_of_integer(int64_t n, int64_t *cents);

/* Writes cents as "-31.50" (no exponent, two decimals); out holds 24 bytes. */
#define DECIMAL_TEXT_LEN 24
const char *decimal_text(char out[DECIMAL_TEXT_LEN], int64_t cents);

/* Writes v in decimal at the end of out and returns where it starts (the
 * bytes before it are free: a prefix fits there).  Hand-written because
 * it runs on every request: snprintf was 1.5 % of the service's user time
 * on GET /v1/staff/{id}. */
#define INTEGER_TEXT_LEN 24
char *integer_text(char out[INTEGER_TEXT_LEN], int64_t v);

#endif
