/*
 * decision_pdf.c — a decision and its certificates as PDF (see
 * decision_pdf.h).
 *
 * The wording is Vietnamese whatever the request's language: these are
 * the State's documents, whose form Decree 30/2020 fixes.  Sizes follow
 * its Appendix I: A4, margins 20 mm top and bottom, 30 mm left, 15 mm
 * right; the national name 12-13 pt bold upper case, the motto 13-14 pt
 * bold, the body 13-14 pt.
 */
#include "export/decision_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bonus.h"
#include "export/paper.h"
#include "export/pdf.h"

#define SERIF PAPER_SERIF
#define BODY SERIF " 13.5"
#define BOLD SERIF " Bold 13.5"
#define ITALIC SERIF " Italic 13.5"
#define NATION PAPER_NATION
#define MOTTO PAPER_MOTTO

#define str paper_str

/* ---- the decision -------------------------------------------------------- */

static void header(struct pdf *p, const json_t *d)
{
	char number[96], when[96];
	snprintf(number, sizeof number, "Số: %s", str(d, "number_text"));
	paper_place_date(str(d, "place"), str(d, "decided_on"), when, sizeof when);
	paper_header(p, str(d, "organization"), number, when);
}

/* Article 1 the awards, article 2 the money when there is any, the last
 * who carries it out; returns the number of the last. */
static int articles(struct pdf *p, const json_t *d)
{
	char text[1024], total[BONUS_TEXT_LEN];
	json_int_t count = json_integer_value(json_object_get(d, "count"));
	snprintf(text, sizeof text,
		 "Điều 1. Tặng danh hiệu thi đua, hình thức khen thưởng cho %lld cá nhân, "
		 "tập thể có tên trong danh sách kèm theo, đã có thành tích trong phong trào "
		 "thi đua.",
		 (long long)count);
	pdf_paragraph(p, text, BODY, PDF_JUSTIFY, 6);
	const json_t *sum = json_object_get(d, "total_amount");
	if (json_is_integer(sum)) {
		snprintf(text, sizeof text,
			 "Điều 2. Tiền thưởng kèm theo theo quy định, tổng cộng %s đồng, "
			 "chi từ quỹ thi đua, khen thưởng của cơ quan.",
			 bonus_grouped(total, json_integer_value(sum), '.'));
		pdf_paragraph(p, text, BODY, PDF_JUSTIFY, 6);
	}
	snprintf(text, sizeof text,
		 "Điều %d. Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan và các cá nhân, "
		 "tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
		 json_is_integer(sum) ? 3 : 2);
	pdf_paragraph(p, text, BODY, PDF_JUSTIFY, 14);
	return json_is_integer(sum) ? 3 : 2;
}

static void signature(struct pdf *p, const json_t *d, int executors)
{
	char to[160];
	snprintf(to, sizeof to, "- Như Điều %d;\n- Lưu: VT, hồ sơ thi đua, khen thưởng.",
		 executors);
	paper_signature(p, str(d, "signer_title"), str(d, "signer_name"), to);
}

static void annex(struct pdf *p, const json_t *d)
{
	static const char *const head[] = { "STT", "Họ và tên", "Chức vụ, đơn vị",
					    "Danh hiệu, hình thức", "Tiền thưởng (đồng)" };
	static const bool center[] = { true, false, false, false, true };
	double w = pdf_width(p);
	const double widths[] = { w * 0.07, w * 0.27, w * 0.25, w * 0.26, w * 0.15 };
	char when[11], line[300];
	pdf_new_page(p);
	pdf_paragraph(p, "DANH SÁCH", BOLD, PDF_CENTER, 2);
	pdf_paragraph(p, "cá nhân, tập thể được khen thưởng", BOLD, PDF_CENTER, 2);
	paper_short_date(str(d, "decided_on"), when);
	snprintf(line, sizeof line, "(Kèm theo Quyết định số %s ngày %s của %s)",
		 str(d, "number_text"), when, str(d, "organization"));
	pdf_paragraph(p, line, ITALIC, PDF_CENTER, 10);
	pdf_table_row(p, widths, head, (const bool[]){ true, true, true, true, true }, 5,
		      SERIF " Bold 11", NULL, NULL);
	size_t i;
	const json_t *item;
	json_array_foreach(json_object_get(d, "items"), i, item)
	{
		char no[24], amount[BONUS_TEXT_LEN] = "", who[400];
		snprintf(no, sizeof no, "%zu", i + 1);
		const char *pos = str(item, "position_title"), *unit = str(item, "unit");
		snprintf(who, sizeof who, "%s%s%s", pos, *pos && *unit ? ", " : "", unit);
		const json_t *a = json_object_get(item, "amount");
		if (json_is_integer(a))
			bonus_grouped(amount, json_integer_value(a), '.');
		const char *cells[] = { no, str(item, "name"), who, str(item, "award_name_vi"),
					amount };
		pdf_table_row(p, widths, cells, center, 5, SERIF " 11", head, SERIF " Bold 11");
	}
}

char *decision_pdf_new(const json_t *d, size_t *len)
{
	struct pdf *p =
		pdf_new(PDF_A4_SHORT, PDF_A4_LONG,
			(struct pdf_margins){ 20 * PDF_MM, 15 * PDF_MM, 20 * PDF_MM, 30 * PDF_MM });
	if (!p)
		return NULL;
	header(p, d);
	pdf_paragraph(p, "QUYẾT ĐỊNH", SERIF " Bold 14", PDF_CENTER, 2);
	pdf_paragraph(p, str(d, "title"), SERIF " Bold 14", PDF_CENTER, 4);
	pdf_line(p, pdf_left(p) + pdf_width(p) * 0.4, pdf_y(p), pdf_width(p) * 0.2);
	pdf_set_y(p, pdf_y(p) + 14);
	char *title = paper_upper(str(d, "signer_title"));
	pdf_paragraph(p, title, SERIF " Bold 14", PDF_CENTER, 12);
	paper_free(title);
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(d, "grounds"), i, g)
	{
		char text[700];
		snprintf(text, sizeof text, "Căn cứ %s;", str(g, "text"));
		pdf_paragraph(p, text, ITALIC, PDF_JUSTIFY, 4);
	}
	pdf_set_y(p, pdf_y(p) + 8);
	pdf_paragraph(p, "QUYẾT ĐỊNH:", SERIF " Bold 14", PDF_CENTER, 10);
	signature(p, d, articles(p, d));
	annex(p, d);
	return pdf_finish(p, len);
}

/* ---- a certificate ----------------------------------------------------- */

static const json_t *item_at(const json_t *d, long position)
{
	size_t i;
	const json_t *item;
	json_array_foreach(json_object_get(d, "items"), i, item)
	{
		if (json_integer_value(json_object_get(item, "position")) == position)
			return item;
	}
	return NULL;
}

/* Lines 1 to 5 and the recipient, centred down the page; returns the y
 * below them. */
static double certificate_body(struct pdf *p, const json_t *d, const json_t *item)
{
	double x = pdf_left(p), w = pdf_width(p), y = pdf_y(p);
	bool title = strcmp(str(item, "category"), "title") == 0;
	char *signer = paper_upper(str(d, "signer_title"));
	char *award = paper_upper(str(item, "award_name_vi"));
	y += pdf_text_at(p, x, y, w, NATION, SERIF " Bold 14", PDF_CENTER);
	double h = pdf_text_at(p, x, y, w, MOTTO, SERIF " Bold 15", PDF_CENTER);
	pdf_line(p, x + w * 0.38, y + h + 2, w * 0.24);
	y += h + 22;
	y += pdf_text_at(p, x, y, w, signer, SERIF " Bold 16", PDF_CENTER) + 12;
	y += pdf_text_at(p, x, y, w, title ? "TẶNG DANH HIỆU" : "TẶNG", SERIF " Bold 18",
			 PDF_CENTER) +
	     6;
	y += pdf_text_at(p, x, y, w, award, SERIF " Bold 30", PDF_CENTER) + 14;
	if (!title)
		y += pdf_text_at(p, x, y, w, "Cho", SERIF " Italic 15", PDF_CENTER) + 2;
	y += pdf_text_at(p, x, y, w, str(item, "name"), SERIF " Bold 22", PDF_CENTER) + 4;
	const char *pos = str(item, "position_title"), *unit = str(item, "unit");
	char who[400];
	snprintf(who, sizeof who, "%s%s%s", pos, *pos && *unit ? ", " : "", unit);
	if (*who)
		y += pdf_text_at(p, x, y, w, who, SERIF " Italic 15", PDF_CENTER) + 6;
	const char *why = str(item, "achievement");
	if (*why)
		y += pdf_text_at(p, x + w * 0.1, y, w * 0.8, why, SERIF " 15", PDF_CENTER);
	paper_free(signer);
	paper_free(award);
	return y;
}

static void certificate_foot(struct pdf *p, const json_t *d, const json_t *item, double y)
{
	double x = pdf_left(p), w = pdf_width(p);
	char when[11], line[300], place[96];
	paper_short_date(str(d, "decided_on"), when);
	snprintf(line, sizeof line, "Quyết định số %s\nngày %s\nSố sổ vàng: %lld",
		 str(d, "number_text"), when,
		 (long long)json_integer_value(json_object_get(item, "position")));
	pdf_text_at(p, x, y + 70, w * 0.4, line, SERIF " 12", PDF_LEFT);
	paper_place_date(str(d, "place"), str(d, "decided_on"), place, sizeof place);
	char *signer = paper_upper(str(d, "signer_title"));
	double h = pdf_text_at(p, x + w * 0.5, y + 12, w * 0.5, place, SERIF " Italic 13.5",
			       PDF_CENTER);
	h += pdf_text_at(p, x + w * 0.5, y + 12 + h, w * 0.5, signer, SERIF " Bold 13.5",
			 PDF_CENTER);
	pdf_text_at(p, x + w * 0.5, y + 12 + h + 56, w * 0.5, str(d, "signer_name"),
		    SERIF " Bold 14", PDF_CENTER);
	paper_free(signer);
}

char *certificate_pdf_new(const json_t *d, long position, size_t *len)
{
	const json_t *item = item_at(d, position);
	if (!item)
		return NULL;
	struct pdf *p =
		pdf_new(PDF_A4_LONG, PDF_A4_SHORT,
			(struct pdf_margins){ 18 * PDF_MM, 20 * PDF_MM, 15 * PDF_MM, 20 * PDF_MM });
	if (!p)
		return NULL;
	pdf_set_y(p, pdf_y(p) + 24);
	double y = certificate_body(p, d, item);
	/* the foot at the bottom of the page, below a long achievement */
	double foot = PDF_A4_SHORT - 15 * PDF_MM - 125;
	certificate_foot(p, d, item, y + 10 > foot ? y + 10 : foot);
	return pdf_finish(p, len);
}
