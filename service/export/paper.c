/*
 * paper.c — the parts an administrative document shares (see paper.h).
 */
#include "export/paper.h"

#include <glib.h>
#include <stdio.h>

#include "domain/calendar.h"

const char *paper_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

char *paper_upper(const char *s)
{
	return g_utf8_strup(s, -1);
}

void paper_free(char *s)
{
	g_free(s);
}

void paper_place_date(const char *place, const char *iso, char *out, size_t size)
{
	struct civil_date day = { 0 };
	char words[VN_DOC_DATE_LEN] = "";
	if (civil_date_parse(iso, &day))
		vn_document_date(words, day);
	snprintf(out, size, "%s, %s", place, words);
}

void paper_short_date(const char *iso, char out[11])
{
	struct civil_date day;
	if (civil_date_parse(iso, &day))
		snprintf(out, 11, "%02d/%02d/%04d", day.day, day.month, day.year);
	else
		out[0] = '\0';
}

struct pdf *paper_new_portrait(void)
{
	return pdf_new(PDF_A4_SHORT, PDF_A4_LONG,
		       (struct pdf_margins){ 20 * PDF_MM, 15 * PDF_MM, 20 * PDF_MM, 30 * PDF_MM });
}

void paper_header(struct pdf *p, const char *issuer, const char *number_line,
		  const char *place_date)
{
	double x = pdf_left(p), w = pdf_width(p), y = pdf_y(p);
	double lw = w * 0.38, rw = w - lw;
	char *up = paper_upper(issuer);
	double h1 = pdf_text_at(p, x, y, lw, up, PAPER_SERIF " Bold 12", PDF_CENTER);
	pdf_line(p, x + lw * 0.3, y + h1 + 2, lw * 0.4);
	pdf_text_at(p, x, y + h1 + 10, lw, number_line, PAPER_SERIF " 13", PDF_CENTER);
	double r1 = pdf_text_at(p, x + lw, y, rw, PAPER_NATION, PAPER_SERIF " Bold 12", PDF_CENTER);
	double r2 = pdf_text_at(p, x + lw, y + r1, rw, PAPER_MOTTO, PAPER_SERIF " Bold 13.5",
				PDF_CENTER);
	pdf_line(p, x + lw + rw * 0.2, y + r1 + r2 + 2, rw * 0.6);
	pdf_text_at(p, x + lw, y + r1 + r2 + 10, rw, place_date, PAPER_SERIF " Italic 13.5",
		    PDF_CENTER);
	pdf_set_y(p, y + r1 + r2 + 46);
	paper_free(up);
}

void paper_signature(struct pdf *p, const char *title, const char *name, const char *recipients)
{
	double x = pdf_left(p), w = pdf_width(p);
	if (pdf_y(p) + 140 > PDF_A4_LONG - 20 * PDF_MM)
		pdf_new_page(p);
	double y = pdf_y(p);
	char *up = paper_upper(title);
	if (recipients) {
		pdf_text_at(p, x, y, w * 0.5, "Nơi nhận:", PAPER_SERIF " Bold Italic 12", PDF_LEFT);
		pdf_text_at(p, x, y + 16, w * 0.5, recipients, PAPER_SERIF " 11", PDF_LEFT);
	}
	double h =
		pdf_text_at(p, x + w * 0.5, y, w * 0.5, up, PAPER_SERIF " Bold 13.5", PDF_CENTER);
	pdf_text_at(p, x + w * 0.5, y + h + 70, w * 0.5, name, PAPER_SERIF " Bold 13.5",
		    PDF_CENTER);
	pdf_set_y(p, y + h + 100);
	paper_free(up);
}
