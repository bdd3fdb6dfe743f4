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
 *
 * libxlsxwriter (Debian's 1.1.4) writes only to a file, so the workbook is
 * written to a private temporary file, read back and removed, as in
 * roster.c.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/app.h"
#include "http/log.h"
#include "http/validate.h"
#include "store/consolidations.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define WORKBOOK_MAX_BYTES (64u << 20)

static const struct write_answer consolidation_created = { "/v1/consolidations", "consolidation",
							   "consolidation create", NULL };
static const struct write_answer consolidation_written = { NULL, "consolidation",
							   "consolidation send", NULL };

/* ---- the workbook ---------------------------------------------------------- */

struct book_formats {
	lxw_format *bold, *title, *head, *cell, *wrap, *number, *count;
};

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

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
	worksheet_write_string(ws, 1, 0, text_of(json_object_get(doc, "period"), "title"), f->bold);
	worksheet_merge_range(ws, 2, 0, 2, last_col, what, f->title);
	return 4;
}

static void write_header(lxw_worksheet *ws, lxw_row_t row, const char *const *names,
			 const double *widths, const struct book_formats *f)
{
	for (lxw_col_t c = 0; names[c]; c++) {
		worksheet_set_column(ws, c, c, widths[c], NULL);
		worksheet_write_string(ws, row, c, names[c], f->head);
	}
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
	write_header(ws, row++, names, widths, f);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "fields"), i, e)
	{
		const char *aggregate = text_of(e, "aggregate");
		const json_t *detail = json_object_get(e, "detail");
		char text[160] = "";
		if (strcmp(aggregate, "ratio") == 0)
			snprintf(text, sizeof text, "%s / %s", text_of(detail, "numerator"),
				 text_of(detail, "denominator"));
		else if (strcmp(aggregate, "count") == 0)
			snprintf(text, sizeof text, "Có: %lld; Không: %lld",
				 (long long)json_integer_value(json_object_get(detail, "yes")),
				 (long long)json_integer_value(json_object_get(detail, "no")));
		else if (strcmp(aggregate, "collate") == 0)
			snprintf(text, sizeof text, "Xem sheet Thuyết minh");
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, text_of(e, "label"), f->wrap);
		worksheet_write_string(ws, row, 2, type_vi(text_of(e, "type")), f->cell);
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
	write_header(ws, row++, names, widths, f);
	size_t i, k;
	json_t *n, *s;
	json_array_foreach(json_object_get(doc, "narratives"), i, n)
	{
		worksheet_merge_range(ws, row, 0, row, 2, text_of(n, "label"), f->bold);
		row++;
		json_array_foreach(json_object_get(n, "sections"), k, s)
		{
			worksheet_write_number(ws, row, 0, (double)(k + 1), f->cell);
			worksheet_write_string(ws, row, 1, text_of(s, "unit_name"), f->cell);
			worksheet_write_string(ws, row, 2, text_of(s, "text"), f->wrap);
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
	write_header(ws, row++, names, widths, f);
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(doc, "units_missing"), i, u)
	{
		worksheet_write_number(ws, row, 0, (double)(i + 1), f->cell);
		worksheet_write_string(ws, row, 1, text_of(u, "unit_name"), f->cell);
		row++;
	}
}

static void make_formats(lxw_workbook *wb, struct book_formats *f)
{
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	f->cell = workbook_add_format(wb);
	format_set_border(f->cell, LXW_BORDER_THIN);
	format_set_align(f->cell, LXW_ALIGN_VERTICAL_TOP);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(f->head);
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
	f->number = workbook_add_format(wb);
	format_set_border(f->number, LXW_BORDER_THIN);
	format_set_num_format(f->number, "#,##0.00");
	f->count = workbook_add_format(wb);
	format_set_border(f->count, LXW_BORDER_THIN);
	format_set_num_format(f->count, "#,##0");
}

/* Reads the whole file; NULL on failure. */
static char *slurp(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || (size_t)st.st_size > WORKBOOK_MAX_BYTES)
		return NULL;
	char *buf = malloc((size_t)st.st_size);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
		if (n <= 0) {
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	*len = got;
	return buf;
}

/* The workbook of the document as bytes; NULL on failure. */
static char *consolidation_xlsx(const json_t *doc, const char *org, size_t *len)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/thidua-consolidation-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	char *data = NULL;
	if (wb) {
		struct book_formats f;
		make_formats(wb, &f);
		write_fields(wb, org, doc, &f);
		write_narratives(wb, org, doc, &f);
		write_missing(wb, org, doc, &f);
		if (workbook_close(wb) == LXW_NO_ERROR)
			data = slurp(fd, len);
	}
	unlink(path);
	close(fd);
	return data;
}

static void send_xlsx(struct call *c, const char *json, const char *org)
{
	json_t *k = json_loads(json, 0, NULL);
	const json_t *doc = json_object_get(k, "document");
	size_t len = 0;
	char *data = doc ? consolidation_xlsx(doc, org ? org : "", &len) : NULL;
	if (!data) {
		log_msgf(LOG_ERROR, "consolidation workbook failed (request %s)", c->request_id);
		call_problem(c, problem_new(500, "internal", "Internal Server Error",
					    "The workbook could not be written."));
	} else {
		char disp[96];
		snprintf(disp, sizeof disp, "attachment; filename=\"tong-hop-bao-cao-%lld.xlsx\"",
			 (long long)json_integer_value(json_object_get(k, "period_id")));
		call_set_header(c, "Content-Disposition", disp);
		call_take(c, 200, XLSX_TYPE, data, len);
	}
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
	api_actor(c, &a);
	char *json = NULL;
	enum db_status st = store_consolidation_create(db, &a, period, &json);
	api_answer_write(c, db, st, json, 0, &consolidation_created);
	api_release(c, db);
}

/* GET /v1/consolidations/{id}?format=json|xlsx */
void consolidation_get(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	const char *format = u_map_get(c->req->map_url, "format");
	bool xlsx = format && strcmp(format, "xlsx") == 0;
	if (format && !xlsx && strcmp(format, "json") != 0) {
		struct problem *p =
			problem_new(400, "bad-request", "Bad Request", "Invalid format.");
		problem_add_error(p, "/query/format", "must be json or xlsx");
		call_problem(c, p);
		return;
	}
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
	api_actor(c, &a);
	struct step_outcome o;
	enum db_status st = store_consolidation_send(db, &a, id, version, &o);
	if (st == DB_OK && strcmp(o.outcome, "consolidation-sent") == 0) {
		call_problem(c, problem_new(409, "consolidation-sent", "Consolidation Already Sent",
					    "%s", o.detail ? o.detail : "Already sent."));
		step_outcome_clear(&o);
	} else {
		api_answer_step(c, db, st, &o, &consolidation_written);
	}
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
