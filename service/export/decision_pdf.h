/*
 * decision_pdf.h — a signed commendation decision printed (quyết định khen
 * thưởng) with its annexed list, and the certificate of one of its awards
 * (Giấy khen, Chiến sĩ thi đua cơ sở...), in the layouts of domain.md
 * §5.4 (Decree 30/2020; Decree 98/2023 Art. 104).
 */
#ifndef THIDUA_EXPORT_DECISION_PDF_H
#define THIDUA_EXPORT_DECISION_PDF_H

#include <jansson.h>
#include <stddef.h>

/* The decision (GET /v1/decisions/{id}'s document, signed) as a PDF:
 * A4, the national name and motto, number and symbol, place and date,
 * its grounds and articles, the signer's block, then the annexed list.
 * Bytes (new, *len long); NULL when it cannot be written. */
char *decision_pdf_new(const json_t *decision, size_t *len);

/* The certificate of the decision's award at position as a PDF (A4
 * landscape): lines 1-5 (national name, motto, the signer's title, "TẶNG"
 * or "TẶNG DANH HIỆU", the award), the recipient and the achievement; the
 * decision's number and date and "Số sổ vàng" lower left; place, date and
 * signer lower right.  NULL when it cannot be written or no item is at
 * position. */
char *certificate_pdf_new(const json_t *decision, long position, size_t *len);

#endif
