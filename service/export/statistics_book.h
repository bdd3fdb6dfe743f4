/*
 * statistics_book.h — the statistics forms of emulation and commendation
 * of a report year (Circular 02/2023/TT-BNV, forms 0601-0605.N/BNV-TĐKT)
 * as an Excel workbook in the forms' layout.
 */
#ifndef THIDUA_EXPORT_STATISTICS_BOOK_H
#define THIDUA_EXPORT_STATISTICS_BOOK_H

#include <jansson.h>
#include <stddef.h>

/* The workbook of the forms' document (stat_forms_json), one sheet per
 * form, as bytes (new); NULL when it cannot be written. */
char *statistics_book_new(const json_t *doc, size_t *len);

#endif
