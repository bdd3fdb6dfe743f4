/*
 * workbook.h — Excel documents (the roster, consolidated reports): what
 * their layouts share.
 *
 * export/ lays documents out; it knows neither HTTP nor the database: a
 * layout gets a JSON document and gives bytes.  libxlsxwriter (Debian's
 * 1.1.4) writes only to a file, so a workbook is written to a private
 * temporary file, read back and removed.  Each layout fills the workbook
 * through a callback with the formats here.
 */
#ifndef THIDUA_EXPORT_WORKBOOK_H
#define THIDUA_EXPORT_WORKBOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct book_formats {
	lxw_format *bold, *title, *head, *cell, *wrap, *number, *count;
};

/* Fills the workbook from ctx. */
typedef void (*book_fill_fn)(lxw_workbook *wb, const struct book_formats *f, const void *ctx);

/* The workbook fill makes from ctx, as bytes (new, *len long); NULL when
 * it cannot be written. */
char *workbook_render_new(book_fill_fn fill, const void *ctx, size_t *len);

/* The column headings of a sheet: msgids (NULL-terminated, at most 7)
 * translated into names, in the thread's language. */
void book_headings(const char *const *msgids, const char *names[8]);

/* A header row: names (NULL-terminated) and their column widths. */
void book_header(lxw_worksheet *ws, lxw_row_t row, const char *const *names, const double *widths,
		 const struct book_formats *f);

/* The string member key of o, or "". */
const char *book_text(const json_t *o, const char *key);

#endif
