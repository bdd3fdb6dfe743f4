/*
 * council_pdf.c — the minutes and the cover letter printed (see
 * council_pdf.h).  Vietnamese whatever the request's language, as the
 * decision: these are the agency's papers.
 */
#include "export/council_pdf.h"

#include <stdio.h>
#include <string.h>

#include "export/paper.h"
#include "export/pdf.h"

#define SERIF PAPER_SERIF
#define BODY SERIF " 13.5"
#define ITALIC SERIF " Italic 13.5"
#define TITLE SERIF " Bold 14"
#define CELL SERIF " 11"
#define CELL_BOLD SERIF " Bold 11"

#define str paper_str

static const char *council_role_vi(const char *role)
{
	return !strcmp(role, "chair")	     ? "Chủ tịch"
	       : !strcmp(role, "vice_chair") ? "Phó Chủ tịch"
	       : !strcmp(role, "secretary")  ? "Thư ký"
					     : "Thành viên";
}

static const char *attendance_vi(const char *status)
{
	return !strcmp(status, "present")   ? "Có mặt"
	       : !strcmp(status, "written") ? "Vắng, có ý kiến bằng văn bản"
					    : "Vắng mặt";
}

static long long number(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The name of the member with that council role, or "". */
static const char *member_named(const json_t *m, const char *role)
{
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(m, "members"), i, x)
	{
		if (!strcmp(str(x, "council_role"), role))
			return str(x, "name");
	}
	return "";
}

static void members_table(struct pdf *p, const json_t *m)
{
	static const char *const head[] = { "STT", "Họ và tên", "Chức danh trong Hội đồng",
					    "Tham dự" };
	static const bool center[] = { true, false, false, false };
	double w = pdf_width(p);
	const double widths[] = { w * 0.08, w * 0.34, w * 0.22, w * 0.36 };
	pdf_table_row(p, widths, head, (const bool[]){ true, true, true, true }, 4, CELL_BOLD, NULL,
		      NULL);
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(m, "members"), i, x)
	{
		char no[24];
		snprintf(no, sizeof no, "%zu", i + 1);
		const char *cells[] = { no, str(x, "name"), council_role_vi(str(x, "council_role")),
					attendance_vi(str(x, "attendance")) };
		pdf_table_row(p, widths, cells, center, 4, CELL, head, CELL_BOLD);
	}
}

static void results_table(struct pdf *p, const json_t *m)
{
	static const char *const head[] = { "STT",	  "Họ và tên", "Danh hiệu, hình thức",
					    "Biểu quyết", "Đồng ý",    "Không",
					    "Cần",	  "Kết quả" };
	static const bool center[] = { true, false, false, false, true, true, true, true };
	double w = pdf_width(p);
	const double widths[] = { w * 0.06, w * 0.20, w * 0.20, w * 0.16,
				  w * 0.09, w * 0.08, w * 0.08, w * 0.13 };
	pdf_table_row(p, widths, head,
		      (const bool[]){ true, true, true, true, true, true, true, true }, 8,
		      CELL_BOLD, NULL, NULL);
	size_t i;
	const json_t *t;
	json_array_foreach(json_object_get(m, "tally"), i, t)
	{
		char no[24], yes[24], nay[24], need[24];
		snprintf(no, sizeof no, "%zu", i + 1);
		snprintf(yes, sizeof yes, "%lld", number(t, "yes"));
		snprintf(nay, sizeof nay, "%lld", number(t, "no"));
		snprintf(need, sizeof need, "%lld/%lld", number(t, "needed"), number(t, "base"));
		const char *award = str(t, "award_name_vi");
		const char *cells[] = {
			no,
			str(t, "name"),
			*award ? award : str(t, "award_code"),
			!strcmp(str(t, "method"), "secret_ballot") ? "Bỏ phiếu kín" : "Giơ tay",
			yes,
			nay,
			need,
			json_is_true(json_object_get(t, "approved")) ? "Đạt" : "Không đạt",
		};
		pdf_table_row(p, widths, cells, center, 8, CELL, head, CELL_BOLD);
	}
}

/* The ties between candidates of one title, with the preference of
 * Decree 152 Art. 4.6. */
static void ties(struct pdf *p, const json_t *m)
{
	size_t i;
	const json_t *t;
	json_array_foreach(json_object_get(m, "tally"), i, t)
	{
		if (json_array_size(json_object_get(t, "tied_with")) == 0)
			continue;
		char text[600];
		snprintf(text, sizeof text, "%s có số phiếu đồng ý bằng với %zu trường hợp khác%s.",
			 str(t, "name"), json_array_size(json_object_get(t, "tied_with")),
			 json_is_true(json_object_get(t, "women_preferred"))
				 ? "; được ưu tiên theo Nghị định 152/2025/NĐ-CP Điều 4.6"
				 : "");
		pdf_paragraph(p, text, ITALIC, PDF_JUSTIFY, 3);
	}
}

char *minutes_pdf_new(const json_t *m, size_t *len)
{
	struct pdf *p = paper_new_portrait();
	if (!p)
		return NULL;
	char when[96], line[1200], day[11];
	paper_place_date(str(m, "place"), str(m, "held_on"), when, sizeof when);
	paper_header(p, str(m, "organization"), "", when);
	pdf_paragraph(p, "BIÊN BẢN", TITLE, PDF_CENTER, 2);
	pdf_paragraph(p, str(m, "name"), TITLE, PDF_CENTER, 12);
	paper_short_date(str(m, "held_on"), day);
	snprintf(line, sizeof line, "Thời gian: ngày %s. Địa điểm: %s.", day, str(m, "place"));
	pdf_paragraph(p, line, BODY, PDF_JUSTIFY, 4);
	snprintf(line, sizeof line,
		 "Thành phần: %lld thành viên Hội đồng; có mặt %lld, vắng mặt có ý kiến bằng văn "
		 "bản %lld, vắng mặt %lld.",
		 number(m, "members_total"), number(m, "present"), number(m, "written"),
		 number(m, "absent"));
	pdf_paragraph(p, line, BODY, PDF_JUSTIFY, 6);
	members_table(p, m);
	pdf_set_y(p, pdf_y(p) + 10);
	size_t used =
		(size_t)snprintf(line, sizeof line, "Nội dung: xem xét danh sách đề nghị của");
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(m, "rounds"), i, r)
	{
		if (used < sizeof line)
			used += (size_t)snprintf(line + used, sizeof line - used, "%s %s",
						 i ? ";" : "", str(r, "name"));
	}
	if (used < sizeof line)
		snprintf(line + used, sizeof line - used, ".");
	pdf_paragraph(p, line, BODY, PDF_JUSTIFY, 6);
	pdf_paragraph(p, "Kết quả biểu quyết:", SERIF " Bold 13.5", PDF_LEFT, 4);
	results_table(p, m);
	pdf_set_y(p, pdf_y(p) + 8);
	ties(p, m);
	snprintf(
		line, sizeof line,
		"Số mã phiếu đã cấp: %lld; số phiếu bỏ: %lld. Các phiếu được công bố, kèm mã cam "
		"kết SHA-256 %s và khóa của phiên %s, để mọi thành viên tự kiểm tra phiếu của mình "
		"và kiểm lại kết quả.",
		number(m, "tokens_issued"), number(m, "ballots_cast"), str(m, "commitment"),
		str(m, "ballot_key"));
	pdf_paragraph(p, line, SERIF " 11", PDF_JUSTIFY, 14);
	if (!json_is_true(json_object_get(m, "signed")))
		pdf_paragraph(p, "(Dự thảo: biên bản chưa được ký.)", ITALIC, PDF_CENTER, 8);
	double y = pdf_y(p), x = pdf_left(p), w = pdf_width(p);
	if (y + 120 > PDF_A4_LONG - 20 * PDF_MM) {
		pdf_new_page(p);
		y = pdf_y(p);
	}
	pdf_text_at(p, x, y, w * 0.5, "THƯ KÝ", SERIF " Bold 13.5", PDF_CENTER);
	pdf_text_at(p, x, y + 86, w * 0.5, member_named(m, "secretary"), SERIF " Bold 13.5",
		    PDF_CENTER);
	pdf_text_at(p, x + w * 0.5, y, w * 0.5, "CHỦ TỊCH HỘI ĐỒNG", SERIF " Bold 13.5",
		    PDF_CENTER);
	pdf_text_at(p, x + w * 0.5, y + 86, w * 0.5, member_named(m, "chair"), SERIF " Bold 13.5",
		    PDF_CENTER);
	return pdf_finish(p, len);
}

/* ---- the cover letter ---------------------------------------------------- */

static void proposal_list(struct pdf *p, const json_t *d)
{
	static const char *const head[] = { "STT",
					    "Họ và tên",
					    "Chức vụ, đơn vị",
					    "Danh hiệu, hình thức đề nghị",
					    "Kết quả bỏ phiếu",
					    "Tóm tắt thành tích" };
	static const bool center[] = { true, false, false, false, true, false };
	double w = pdf_width(p);
	const double widths[] = { w * 0.06, w * 0.18, w * 0.18, w * 0.18, w * 0.12, w * 0.28 };
	pdf_new_page(p);
	pdf_paragraph(p, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", TITLE, PDF_CENTER, 2);
	char line[300];
	snprintf(line, sizeof line, "(Kèm theo Tờ trình số %s của %s)",
		 *str(d, "number_text") ? str(d, "number_text") : "      ", str(d, "organization"));
	pdf_paragraph(p, line, ITALIC, PDF_CENTER, 10);
	pdf_table_row(p, widths, head, (const bool[]){ true, true, true, true, true, true }, 6,
		      CELL_BOLD, NULL, NULL);
	size_t i;
	const json_t *item;
	json_array_foreach(json_object_get(d, "items"), i, item)
	{
		char no[24], vote[64], who[400];
		const json_t *res = json_object_get(item, "council_result");
		snprintf(no, sizeof no, "%zu", i + 1);
		if (json_is_integer(json_object_get(res, "yes")))
			snprintf(vote, sizeof vote, "%lld/%lld (cần %lld)", number(res, "yes"),
				 number(res, "base"), number(res, "needed"));
		else
			snprintf(vote, sizeof vote, "Đạt");
		const char *pos = str(item, "position_title"), *unit = str(item, "unit");
		snprintf(who, sizeof who, "%s%s%s", pos, *pos && *unit ? ", " : "", unit);
		const char *row[] = { no,   str(item, "name"),
				      who,  str(item, "award_name_vi"),
				      vote, str(item, "achievement") };
		pdf_table_row(p, widths, row, center, 6, CELL, head, CELL_BOLD);
	}
}

char *proposal_pdf_new(const json_t *d, size_t *len)
{
	struct pdf *p = paper_new_portrait();
	if (!p)
		return NULL;
	char number_line[120], when[120], line[1400];
	bool sent = *str(d, "number_text") != '\0';
	if (sent) {
		snprintf(number_line, sizeof number_line, "Số: %s", str(d, "number_text"));
		paper_place_date(str(d, "place"), str(d, "sent_on"), when, sizeof when);
	} else {
		snprintf(number_line, sizeof number_line, "Số:       /%s", str(d, "symbol"));
		snprintf(when, sizeof when, "%s, ngày      tháng      năm", str(d, "place"));
	}
	paper_header(p, str(d, "organization"), number_line, when);
	pdf_paragraph(p, "TỜ TRÌNH", TITLE, PDF_CENTER, 2);
	pdf_paragraph(p, str(d, "title"), TITLE, PDF_CENTER, 12);
	snprintf(line, sizeof line, "Kính gửi: %s.", str(d, "recipient"));
	pdf_paragraph(p, line, SERIF " Bold 13.5", PDF_CENTER, 12);
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(d, "grounds"), i, g)
	{
		snprintf(line, sizeof line, "Căn cứ %s;", str(g, "text"));
		pdf_paragraph(p, line, ITALIC, PDF_JUSTIFY, 4);
	}
	pdf_set_y(p, pdf_y(p) + 6);
	snprintf(line, sizeof line,
		 "Căn cứ kết quả họp xét và bỏ phiếu của Hội đồng Thi đua – Khen thưởng, %s kính "
		 "đề nghị %s xem xét, khen thưởng cho %lld cá nhân, tập thể đã có thành tích xuất "
		 "sắc (danh sách và tóm tắt thành tích kèm theo).",
		 str(d, "organization"), str(d, "recipient"), number(d, "count"));
	pdf_paragraph(p, line, BODY, PDF_JUSTIFY, 6);
	pdf_paragraph(p,
		      "Hồ sơ kèm theo gồm: tờ trình; báo cáo thành tích của từng cá nhân, tập thể; "
		      "biên bản họp Hội đồng Thi đua – Khen thưởng kèm kết quả bỏ phiếu.",
		      BODY, PDF_JUSTIFY, 6);
	snprintf(line, sizeof line, "Kính trình %s xem xét, quyết định./.", str(d, "recipient"));
	pdf_paragraph(p, line, BODY, PDF_JUSTIFY, 14);
	paper_signature(p, str(d, "signer_title"), str(d, "signer_name"),
			"- Như trên;\n- Lưu: VT, hồ sơ thi đua, khen thưởng.");
	proposal_list(p, d);
	return pdf_finish(p, len);
}
