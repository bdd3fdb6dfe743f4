/*
 * roster_book.h — the registration roster (danh sách đăng ký thi đua) as
 * the Excel workbook the Office sends to the emulation bloc and the
 * province.
 */
#ifndef THIDUA_EXPORT_ROSTER_BOOK_H
#define THIDUA_EXPORT_ROSTER_BOOK_H

#include <jansson.h>
#include <stddef.h>

/* The workbook of a roster document (registration_roster(), db/procedures),
 * as bytes (new); NULL when it cannot be written. */
char *roster_book_new(const json_t *doc, size_t *len);

#endif
