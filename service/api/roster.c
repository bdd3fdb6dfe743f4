/*
 * roster.c — GET /v1/plans/{id}/roster: the registration roster (danh sách
 * đăng ký thi đua) that the Office sends to the emulation bloc and the
 * province, as JSON or as an Excel workbook (?format=xlsx).
 *
 * The workbook has the layout such rosters are sent in: the agency's name,
 * the title with the year and the plan's number, then a table of
 * individuals (STT, full name, position, unit, title registered,
 * commitment, status) and a sheet of collectives, with totals per title.
 * libxlsxwriter (Debian's 1.1.4) writes only to a file, so the workbook is
 * written to a private temporary file, read back and removed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/app.h"
#include "http/log.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define ROSTER_MAX_BYTES (64u << 20)

struct sheet_formats {
	lxw_format *bold, *title, *head, *cell, *wrap;
};

static const char *status_vi(const char *status)
{
	return status && strcmp(status, "accepted") == 0 ? "Đã được chấp nhận" : "Đã gửi";
}

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Rows 0..3: agency, title, plan reference; returns the header row. */
static lxw_row_t write_heading(lxw_worksheet *ws, const json_t *doc, const char *what,
			       lxw_col_t last_col, const struct sheet_formats *f)
{
	const json_t *plan = json_object_get(doc, "plan");
	char title[200], ref[200];
	snprintf(title, sizeof title, "DANH SÁCH %s ĐĂNG KÝ THI ĐUA NĂM %lld", what,
		 (long long)json_integer_value(json_object_get(plan, "year")));
	snprintf(ref, sizeof ref, "(Kèm theo Kế hoạch số %s/%s)", text_of(plan, "number"),
		 text_of(plan, "symbol"));
	worksheet_write_string(ws, 0, 0, text_of(json_object_get(doc, "organization"), "name"),
			       f->bold);
	worksheet_merge_range(ws, 2, 0, 2, last_col, title, f->title);
	worksheet_merge_range(ws, 3, 0, 3, last_col, ref, f->cell);
	return 5;
}

static void write_header(lxw_worksheet *ws, lxw_row_t row, const char *const *names,
			 const double *widths, const struct sheet_formats *f)
{
	for (lxw_col_t c = 0; names[c]; c++) {
		worksheet_set_column(ws, c, c, widths[c], NULL);
		worksheet_write_string(ws, row, c, names[c], f->head);
	}
}

static void write_individuals(lxw_workbook *wb, const json_t *doc, const struct sheet_formats *f)
{
	static const char *const names[] = {
		"STT",	   "Họ và tên",	 "Chức vụ", "Đơn vị", "Danh hiệu đăng ký",
		"Cam kết", "Trạng thái", NULL
	};
	static const double widths[] = { 6, 28, 22, 34, 26, 40, 18 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Cá nhân");
	lxw_row_t row = write_heading(ws, doc, "CÁ NHÂN", 6, f);
	write_header(ws, row++, names, widths, f);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "individuals"), i, e)
	{
		worksheet_write_number(
			ws, row, 0, (double)json_integer_value(json_object_get(e, "stt")), f->cell);
		worksheet_write_string(ws, row, 1, text_of(e, "full_name"), f->cell);
		worksheet_write_string(ws, row, 2, text_of(e, "position"), f->cell);
		worksheet_write_string(ws, row, 3, text_of(e, "unit_name"), f->cell);
		worksheet_write_string(ws, row, 4, text_of(e, "title_name"), f->cell);
		worksheet_write_string(ws, row, 5, text_of(e, "commitment"), f->wrap);
		worksheet_write_string(ws, row, 6, status_vi(text_of(e, "status")), f->cell);
		row++;
	}
	char total[120];
	snprintf(total, sizeof total, "Tổng cộng: %zu cá nhân",
		 json_array_size(json_object_get(doc, "individuals")));
	worksheet_write_string(ws, row + 1, 1, total, f->bold);
}

static void write_collectives(lxw_workbook *wb, const json_t *doc, const struct sheet_formats *f)
{
	static const char *const names[] = { "STT",	"Tập thể",    "Danh hiệu đăng ký",
					     "Cam kết", "Trạng thái", NULL };
	static const double widths[] = { 6, 40, 40, 50, 18 };
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Tập thể");
	lxw_row_t row = write_heading(ws, doc, "TẬP THỂ", 4, f);
	write_header(ws, row++, names, widths, f);
	size_t i, k;
	json_t *e, *t;
	json_array_foreach(json_object_get(doc, "collectives"), i, e)
	{
		char titles[600] = "";
		size_t used = 0;
		json_array_foreach(json_object_get(e, "title_names"), k, t) used +=
			(size_t)snprintf(titles + used,
					 used < sizeof titles ? sizeof titles - used : 0, "%s%s",
					 k ? "; " : "", json_string_value(t));
		worksheet_write_number(
			ws, row, 0, (double)json_integer_value(json_object_get(e, "stt")), f->cell);
		worksheet_write_string(ws, row, 1, text_of(e, "unit_name"), f->cell);
		worksheet_write_string(ws, row, 2, titles, f->wrap);
		worksheet_write_string(ws, row, 3, text_of(e, "commitments"), f->wrap);
		worksheet_write_string(ws, row, 4, status_vi(text_of(e, "status")), f->cell);
		row++;
	}
}

static void make_formats(lxw_workbook *wb, struct sheet_formats *f)
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
}

/* Reads the whole file; NULL on failure. */
static char *slurp(int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || (size_t)st.st_size > ROSTER_MAX_BYTES)
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

/* The workbook as bytes; NULL on failure. */
static char *roster_xlsx(const json_t *doc, size_t *len)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/thidua-roster-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	char *data = NULL;
	if (wb) {
		struct sheet_formats f;
		make_formats(wb, &f);
		write_individuals(wb, doc, &f);
		write_collectives(wb, doc, &f);
		if (workbook_close(wb) == LXW_NO_ERROR)
			data = slurp(fd, len);
	}
	unlink(path);
	close(fd);
	return data;
}

static void send_xlsx(struct call *c, const char *json)
{
	json_t *doc = json_loads(json, 0, NULL);
	size_t len = 0;
	char *data = doc ? roster_xlsx(doc, &len) : NULL;
	if (!data) {
		log_msgf(LOG_ERROR, "roster workbook failed (request %s)", c->request_id);
		call_problem(c, problem_new(500, "internal", "Internal Server Error",
					    "The workbook could not be written."));
	} else {
		char disp[96];
		snprintf(disp, sizeof disp, "attachment; filename=\"dang-ky-thi-dua-%lld.xlsx\"",
			 (long long)json_integer_value(
				 json_object_get(json_object_get(doc, "plan"), "year")));
		call_set_header(c, "Content-Disposition", disp);
		call_take(c, 200, XLSX_TYPE, data, len);
	}
	json_decref(doc);
}

void plan_roster(struct call *c)
{
	int64_t plan;
	if (!api_path_id(c, "id", &plan))
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
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_registration_roster(db, c->who.org_id, plan, scope.unit, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "roster");
	else if (!json)
		call_problem(c, problem_not_found());
	else if (xlsx)
		send_xlsx(c, json);
	else {
		api_send_json_text(c, 200, json);
		json = NULL;
	}
	free(json);
	api_release(c, db);
}
