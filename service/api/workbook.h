/*
 * workbook.h — Excel answers (the roster, consolidated reports), shared.
 *
 * libxlsxwriter (Debian's 1.1.4) writes only to a file, so a workbook is
 * written to a private temporary file, read back and removed.  Each answer
 * fills the workbook through a callback with the formats here; this file
 * also reads ?format= and sends the bytes.
 */
#ifndef THIDUA_API_WORKBOOK_H
#define THIDUA_API_WORKBOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "http/call.h"

struct book_formats {
	lxw_format *bold, *title, *head, *cell, *wrap, *number, *count;
};

/* Fills the workbook from ctx. */
typedef void (*book_fill_fn)(lxw_workbook *wb, const struct book_formats *f, const void *ctx);

/* ?format=json|xlsx; answers 400 and returns false for anything else. */
bool book_format(struct call *c, bool *xlsx);

/* Writes the workbook and answers it as an attachment named filename; a
 * 500 when it cannot be written (logged with what). */
void book_send(struct call *c, book_fill_fn fill, const void *ctx, const char *filename,
	       const char *what);

/* A header row: names (NULL-terminated) and their column widths. */
void book_header(lxw_worksheet *ws, lxw_row_t row, const char *const *names, const double *widths,
		 const struct book_formats *f);

/* The string member key of o, or "". */
const char *book_text(const json_t *o, const char *key);

#endif
