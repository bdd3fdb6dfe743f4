/*
 * decision_book.h — the annexed list of a signed commendation decision
 * (danh sách kèm theo quyết định khen thưởng) as an Excel workbook: the
 * twin of the list decision_pdf.h prints, for the Office to sort, sum and
 * pay from.
 */
#ifndef THIDUA_EXPORT_DECISION_BOOK_H
#define THIDUA_EXPORT_DECISION_BOOK_H

#include <jansson.h>
#include <stddef.h>

/* The workbook of a decision (GET /v1/decisions/{id}'s document, signed):
 * the issuer, number, date and signer, then a row per award with its
 * bonus and the total.  Bytes (new, *len long); NULL when it cannot be
 * written. */
char *decision_book_new(const json_t *decision, size_t *len);

#endif
