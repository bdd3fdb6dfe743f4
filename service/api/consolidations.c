/*
 * consolidations.c — the agency's consolidated report of a reporting period
 * (báo cáo tổng hợp) for the provincial Emulation–Commendation Committee and
 * the head of the emulation bloc.
 *
 * POST /v1/report-periods/{id}/consolidations generates a draft from the
 * units' submitted or accepted reports (the arithmetic is SQL, in
 * store/consolidations.c); GET /v1/consolidations/{id} answers it as JSON or
 * as an Excel workbook (?format=xlsx); POST /v1/consolidations/{id}/send
 * marks it sent (If-Match), which puts it in the feed GET
 * /v1/integration/consolidations?after=SEQ that provincial and bloc systems
 * poll.  Machine clients see sent consolidations only: a draft is the
 * Office's work in progress, and answers 404 to them.
 * The workbook is written and sent by api/workbook.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/workbook.h"
#include "http/validate.h"
#include "store/consolidations.h"

static const struct write_answer consolidation_created = { "/v1/consolidations", "consolidation",
							   "consolidation create", NULL };
static const struct write_answer consolidation_written = { NULL, "consolidation",
							   "consolidation send", NULL };

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

static void send_xlsx(struct call *c, const char *json, const char *org)
{
	json_t *k = json_loads(json, 0, NULL);
	struct consolidation_book b = { json_object_get(k, "document"), org ? org : "" };
	char name[64];
	snprintf(name, sizeof name, "tong-hop-bao-cao-%lld.xlsx",
		 (long long)json_integer_value(json_object_get(k, "period_id")));
	book_send(c, fill_consolidation, b.doc ? &b : NULL, name, "consolidation");
	json_decref(k);
}

/* ---- handlers ------------------------------------------------------------- */

/* POST /v1/report-periods/{id}/consolidations — a new draft from what the
 * units submitted so far. */
void consolidation_create(struct call *c)
{
	int64_t period;
	if (!api_path_id(c, "id", &period))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *json = NULL;
	enum db_status st = store_consolidation_create(db, &a, period, &json);
	legacy_answer_write(c, db, st, json, 0, &consolidation_created);
	api_release(c, db);
}

/* GET /v1/consolidations/{id}?format=json|xlsx */
void consolidation_get(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	bool xlsx;
	if (!book_format(c, &xlsx))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL, *org = NULL;
	bool sent_only = c->who.kind == CALLER_CLIENT;
	enum db_status st = store_consolidation_get(db, c->who.org_id, id, sent_only, &json, &org);
	if (st != DB_OK)
		api_fail_db(c, db, st, "consolidation");
	else if (!json)
		call_problem(c, problem_not_found());
	else if (xlsx)
		send_xlsx(c, json, org);
	else {
		api_send_versioned(c, 200, json);
		json = NULL; /* taken */
	}
	free(json);
	free(org);
	api_release(c, db);
}

/* POST /v1/consolidations/{id}/send — draft → sent, into the feed. */
void consolidation_send(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	struct step_outcome o;
	enum db_status st = store_consolidation_send(db, &a, id, version, &o);
	api_answer_step(c, db, st, &o, &consolidation_written);
	api_release(c, db);
}

/* GET /v1/integration/consolidations?after=SEQ&limit=N — the sent
 * consolidations after a feed position, oldest first. */
void consolidations_feed(struct call *c)
{
	long limit, after;
	struct problem *p = NULL;
	if (!query_int(c, "limit", 1, 100, 20, &limit, &p) ||
	    !query_int(c, "after", 0, LONG_MAX, 0, &after, &p)) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_consolidation_feed(db, c->who.org_id, after, limit, &json);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "consolidation feed");
	} else {
		json_t *page = json ? json_loads(json, 0, NULL) : NULL;
		const char *next = json_string_value(json_object_get(page, "next_cursor"));
		if (next) {
			char link[200];
			snprintf(link, sizeof link, "<%s?after=%s&limit=%ld>; rel=\"next\"",
				 c->path, next, limit);
			call_set_header(c, "Link", link);
		}
		json_decref(page);
		api_send_json_text(c, 200, json);
	}
	api_release(c, db);
}
