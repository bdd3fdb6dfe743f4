/*
 * fund_book.h — the report of a year's emulation fund (báo cáo quỹ thi
 * đua, khen thưởng) as an Excel workbook: the fund, what it set aside,
 * paid and holds, and every bonus paid.
 */
#ifndef THIDUA_EXPORT_FUND_BOOK_H
#define THIDUA_EXPORT_FUND_BOOK_H

#include <jansson.h>
#include <stddef.h>

/* The workbook of a fund's report (GET /v1/funds/{year}'s document, its
 * payments explained), as bytes (new); NULL when it cannot be written. */
char *fund_book_new(const json_t *doc, size_t *len);

#endif
