/*
 * paper.h — the parts an administrative document shares (Decree 30/2020,
 * Appendix I), over export/pdf.h: the issuer and the national name at the
 * top, place and date, the signer's block.  Decisions, cover letters,
 * minutes and certificates are built from them.
 */
#ifndef THIDUA_EXPORT_PAPER_H
#define THIDUA_EXPORT_PAPER_H

#include <jansson.h>
#include <stddef.h>

#include "export/pdf.h"

#define PAPER_SERIF "Liberation Serif"
#define PAPER_NATION "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define PAPER_MOTTO "Độc lập - Tự do - Hạnh phúc"

/* The string member key of o, or "". */
const char *paper_str(const json_t *o, const char *key);

/* s in capitals, Vietnamese included (GLib's Unicode tables): free with
 * paper_free. */
char *paper_upper(const char *s);
void paper_free(char *s);

/* "Gia Lai, ngày 30 tháng 12 năm 2022" of an ISO date. */
void paper_place_date(const char *place, const char *iso, char *out, size_t size);
/* "30/12/2022" of an ISO date; "" when it is not one. */
void paper_short_date(const char *iso, char out[11]);

/* A4 portrait with Decree 30's margins (20 mm top and bottom, 30 mm left,
 * 15 mm right); NULL when out of memory. */
struct pdf *paper_new_portrait(void);

/* The head of a document: the issuer in capitals and number_line under it
 * (left), the national name, the motto and place_date (right); the cursor
 * goes below. */
void paper_header(struct pdf *p, const char *issuer, const char *number_line,
		  const char *place_date);

/* The signer's block on the right (title in capitals, room for the
 * signature and seal, name), with "Nơi nhận:" and recipients on the left
 * when recipients is not NULL; on a new page when it does not fit. */
void paper_signature(struct pdf *p, const char *title, const char *name, const char *recipients);

#endif
