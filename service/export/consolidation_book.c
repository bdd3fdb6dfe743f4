/*
 * consolidation_book.c — a consolidated report as a workbook (see
 * consolidation_book.h): a sheet of the fields with their totals, one of
 * the units' narratives, and one of the units that have not reported.
 */
#include "export/consolidation_book.h"

#include <stdio.h>
#include <string.h>

#include "export/workbook.h"

/* ---- the workbook ---------------------------------------------------------- */

static const char *label_vi(const char *code, const char *const (*labels)[2])
{
	for (size_t i = 0; labels[i][0]; i++)
		if (strcmp(code, labels[i][0]) == 0)
			return labels[i][1];
	return code;
}

static const char *type_vi(const char *type)
{
	static const char *const labels[][2] = {
		{ "number", "Số" },
		{ "percent", "Tỷ lệ (%)" },
		{ "boolean", "Có/Không" },
		{ "text", "Văn bản ngắn" },
		{ "narrative", "Thuyết minh" },
		{ NULL, NULL },
	};
	return label_vi(type, labels);
}

static const char *aggregate_vi(const char *aggregate)
{
	static const char *const labels[][2] = {
		{ "sum", "Cộng" },
		{ "ratio", "Tính lại tỷ lệ từ tử số và mẫu số" },
		{ "average", "Bình quân" },
		{ "count", "Đếm" },
		{ "collate", "Tổng hợp theo đơn vị" },
		{ "none", "Không tổng hợp" },
		{ NULL, NULL },
	};
	return label_vi(aggregate, labels);
}

/* Rows 0 and 1: the agency, the period's title; row 2: what the sheet is.
 * Returns the header row. */
static lxw_row_t write_heading(lxw_worksheet *ws, const char *org_name, const json_t *doc,
			       const char *what, lxw_col_t last_col, const struct book_formats *f)
{
	worksheet_write_string(ws, 0, 0, org_name, f->bold);
	worksheet_write_string(ws, 1, 0, book_text(json_object_get(doc, "period"), "title"),
			       f->bold);
	worksheet_merge_range(ws, 2, 0, 2, last_col, what, f->title);
	return 4;
}

/* A decimal string ("58.14") as a number cell; null as an empty cell. */
static void write_decimal(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const json_t *v,
			  const struct book_formats *f)
{
	if (json_is_string(v))
		worksheet_write_number(ws, row, col, strtod(json_string_value(v), NULL), f->number);
	else if (json_is_integer(v))
		worksheet_write_number(ws, row, col, (double)json_integer_value(v), f->count);
	else
		worksheet_write_blank(ws, row, col, f->cell);
}

static void write_fields(lxw_workbook *wb, const char *org, const json_t *doc,
			 const struct book_formats *f)
{
	static const char *const names[] = {
		"STT",	    "Chỉ tiêu",		 "Loại", "Cách tổng hợp", "Giá trị",
		"Chi tiết", "Số đơn vị báo cáo", NULL
	};
	static const double widths[] = { 6, 44, 14, 26, 14, 26, 12 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
	lxw_row_t row = write_heading(ws, org, doc, "BÁO CÁO TỔNG HỢP", 6, f);
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "fields"), i, e)
	{
		const char *aggregate = book_text(e, "aggregate");
		const json_t *detail = json_object_get(e, "detail");
		char text[160] = "";
		if (strcmp(aggregate, "ratio") == 0)
			snprintf(text, sizeof text, "%s / %s", book_text(detail, "numerator"),
				 book_text(detail, "denominator"));
		else if (strcmp(aggregate, "count") == 0)
			snprintf(text, sizeof text, "Có: %lld; Không: %lld",
				 (long long)json_integer_value(json_object_get(detail, "yes")),
				 (long long)json_integer_value(json_object_get(detail, "no")));
		else if (strcmp(aggregate, "collate") == 0)
			snprintf(text, sizeof text, "Xem sheet Thuyết minh");
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, book_text(e, "label"), f->wrap);
		worksheet_write_string(ws, row, 2, type_vi(book_text(e, "type")), f->cell);
		worksheet_write_string(ws, row, 3, aggregate_vi(aggregate), f->wrap);
		write_decimal(ws, row, 4, json_object_get(e, "value"), f);
		worksheet_write_string(ws, row, 5, text, f->wrap);
		worksheet_write_number(ws, row, 6,
				       (double)json_integer_value(json_object_get(e, "reported")),
				       f->count);
		row++;
	}
	char total[200];
	snprintf(total, sizeof total,
		 "Số đơn vị phải báo cáo: %lld; đã báo cáo: %zu; chưa báo cáo: %zu",
		 (long long)json_integer_value(json_object_get(doc, "units_expected")),
		 json_array_size(json_object_get(doc, "units_reported")),
		 json_array_size(json_object_get(doc, "units_missing")));
	worksheet_write_string(ws, row + 1, 1, total, f->bold);
}

static void write_narratives(lxw_workbook *wb, const char *org, const json_t *doc,
			     const struct book_formats *f)
{
	static const char *const names[] = { "STT", "Đơn vị", "Nội dung", NULL };
	static const double widths[] = { 6, 34, 90 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Thuyết minh");
	lxw_row_t row = write_heading(ws, org, doc, "THUYẾT MINH", 2, f);
	book_header(ws, row++, names, widths, f);
	size_t i, k;
	json_t *n, *s;
	json_array_foreach(json_object_get(doc, "narratives"), i, n)
	{
		worksheet_merge_range(ws, row, 0, row, 2, book_text(n, "label"), f->bold);
		row++;
		json_array_foreach(json_object_get(n, "sections"), k, s)
		{
			worksheet_write_number(ws, row, 0, (double)(k + 1), f->cell);
			worksheet_write_string(ws, row, 1, book_text(s, "unit_name"), f->cell);
			worksheet_write_string(ws, row, 2, book_text(s, "text"), f->wrap);
			row++;
		}
	}
}

static void write_missing(lxw_workbook *wb, const char *org, const json_t *doc,
			  const struct book_formats *f)
{
	static const char *const names[] = { "STT", "Đơn vị chưa báo cáo", NULL };
	static const double widths[] = { 6, 50 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Chưa báo cáo");
	lxw_row_t row = write_heading(ws, org, doc, "ĐƠN VỊ CHƯA BÁO CÁO", 1, f);
	book_header(ws, row++, names, widths, f);
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(doc, "units_missing"), i, u)
	{
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, book_text(u, "unit_name"), f->cell);
		row++;
	}
}

/* What the workbook is made of: the document and the organisation's name. */
struct consolidation_book {
	const json_t *doc;
	const char *org;
};

static void fill_consolidation(lxw_workbook *wb, const struct book_formats *f, const void *ctx)
{
	const struct consolidation_book *b = ctx;
	write_fields(wb, b->org, b->doc, f);
	write_narratives(wb, b->org, b->doc, f);
	write_missing(wb, b->org, b->doc, f);
}

char *consolidation_book_new(const json_t *doc, const char *org, size_t *len)
{
	struct consolidation_book b = { doc, org ? org : "" };
	return workbook_render_new(fill_consolidation, &b, len);
}
