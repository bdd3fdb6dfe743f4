/*
 * consolidation_book.h — the agency's consolidated report of a reporting
 * period (báo cáo tổng hợp) as an Excel workbook.
 */
#ifndef THIDUA_EXPORT_CONSOLIDATION_BOOK_H
#define THIDUA_EXPORT_CONSOLIDATION_BOOK_H

#include <jansson.h>
#include <stddef.h>

/* The workbook of the consolidation's document, headed with the agency's
 * name org, as bytes (new); NULL when it cannot be written. */
char *consolidation_book_new(const json_t *doc, const char *org, size_t *len);

#endif
