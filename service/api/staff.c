/*
 * staff.c — staff members (công chức, viên chức, người lao động).
 *
 * GET /v1/staff, GET /v1/staff/{id}, POST /v1/staff, PATCH /v1/staff/{id},
 * POST /v1/staff/import (text/csv, all rows or none).
 * Reads are confined to the caller's scope (organisation, unit subtree or
 * self); a record outside it answers 404.  Lists are sorted by given name
 * in Vietnamese order and searched without accents.  The database's rules
 * (a unit of the organisation, the CHECKs on dates and status) are answered
 * from the registry (answers.def, identity), with the member at fault.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answers/template.h"
#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "domain/csv.h"
#include "domain/staff_rules.h"
#include "http/validate.h"

static const char *const genders[] = { "female", "male", "other", NULL };
static const char *const employment_types[] = { "civil_servant", "public_employee",
						"contract_worker", "other", NULL };
static const char *const statuses[] = { "active", "on_leave", "left", NULL };
/* The kind of the leave on the record: maternity leave counts as time
 * worked (Decree 152/2025 Art. 4.5), so the person stays rated. */
static const char *const leave_kinds[] = {
	"maternity", "sickness", "study", "unpaid", "other", NULL
};
static const char *const staff_fields[] = {
	"unit_id",	   "full_name",	 "gender", "date_of_birth", "position",
	"employment_type", "start_date", "status", "leave_from",    "leave_until",
	"leave_kind",	   "left_on",	 NULL
};

/* ?unit_id= (a positive id; 0 when absent). */
/* The list's filters; false when one is invalid (answered). */
static bool staff_filters_or_answer(struct call *c, struct staff_filter *f)
{
	long unit = 0;
	if (!api_limit_or_answer(c, 20, &f->limit) ||
	    !api_query_int_or_answer(c, "unit_id", 1, LONG_MAX, 0, &unit))
		return false;
	f->unit_id = unit;
	f->q = call_query(c, "q");
	/* a search of no word is no search: the whole list, as "q=" always was */
	if (f->q && !f->q[strspn(f->q, " \t\n\v\f\r")])
		f->q = NULL;
	f->status = call_query(c, "status");
	struct problem *p = NULL;
	if (f->q && utf8_chars(f->q) > 100) { /* SIZE_MAX when not UTF-8 */
		p = problem_new(P_BAD_REQUEST, "Invalid search text.");
		problem_add_error(p, "/query/q", "at most 100 characters of UTF-8 text");
	}
	bool known = !f->status;
	for (size_t i = 0; f->status && statuses[i]; i++)
		known |= strcmp(f->status, statuses[i]) == 0;
	if (!p && !known) {
		p = problem_new(P_BAD_REQUEST, "Invalid status filter.");
		problem_add_error(p, "/query/status", "must be active, on_leave or left");
	}
	if (p)
		call_problem(c, p);
	return !p;
}

void staff_list(struct call *c)
{
	struct staff_filter f = { 0 };
	json_t *key;
	if (!staff_filters_or_answer(c, &f) || !(key = api_key_cursor_or_answer(c)))
		return;
	f.after_given = json_string_value(json_array_get(key, 0));
	f.after_full = json_string_value(json_array_get(key, 1));
	f.after_id = json_integer_value(json_array_get(key, 2));
	struct db *db = api_db_or_answer(c);
	if (db) {
		struct row_scope scope = api_scope(c);
		char *json = NULL, *next = NULL;
		enum db_status st =
			store_staff_list(db, c->app->caches.staff_pages, &scope, &f, &json, &next);
		api_answer_page(c, st, json, next);
		free(next);
	}
	json_decref(key);
}

void staff_get(struct call *c)
{
	int64_t id;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	struct row_scope scope = api_scope(c);
	char *json = NULL;
	int version = 0;
	enum db_status st = store_staff_get(db, &scope, id, &json, &version);
	api_answer_versioned(c, st, json, version);
}

/* Reads an optional date that may be null; records presence. */
static void optional_date(struct validation *v, const char *name, bool *has, struct civil_date *out)
{
	char text[11];
	*has = false;
	if (field_has(v, name) && !field_is_null(v, name))
		*has = field_date(v, name, false, out, text);
}

/* Validates a full staff document (create) or a partial one (patch). */
static void validate_staff(struct validation *v, bool partial)
{
	const char *s;
	int64_t id;
	char text[11];
	struct staff_dates d = { .status = "active" };
	bool need = !partial;
	if (need || field_has(v, "unit_id"))
		field_id(v, "unit_id", true, &id);
	if (need || field_has(v, "full_name"))
		field_string(v, "full_name", true, 1, 200, &s);
	if (need || field_has(v, "gender"))
		field_enum(v, "gender", true, genders, &s);
	if (need || field_has(v, "employment_type"))
		field_enum(v, "employment_type", true, employment_types, &s);
	if (field_has(v, "position"))
		field_string(v, "position", false, 0, 200, &s);
	if (field_has(v, "status"))
		field_enum(v, "status", false, statuses, &d.status);
	bool has_start = (need || field_has(v, "start_date")) &&
			 field_date(v, "start_date", true, &d.start, text);
	optional_date(v, "date_of_birth", &d.has_birth, &d.birth);
	optional_date(v, "leave_from", &d.has_leave_from, &d.leave_from);
	optional_date(v, "leave_until", &d.has_leave_until, &d.leave_until);
	if (field_has(v, "leave_kind") && !field_is_null(v, "leave_kind"))
		field_enum(v, "leave_kind", false, leave_kinds, &s);
	optional_date(v, "left_on", &d.has_left_on, &d.left_on);
	struct staff_rule_error err;
	/* a partial document is checked as a whole by the database's constraints */
	if (!partial && has_start && !v->p && !staff_dates_valid(&d, &err))
		validation_fail(v, err.field, err.message);
}

/* The validated body as text for the store, or NULL answered. */
static char *staff_fields_or_answer(struct call *c, bool partial)
{
	struct validation v;
	validation_begin(&v, c->body, staff_fields);
	validate_staff(&v, partial);
	if (partial && json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	if (!api_valid_or_answer(c, &v))
		return NULL;
	return api_json_text_or_answer(c, c->body);
}

void staff_create(struct call *c)
{
	struct writer w;
	char *fields = staff_fields_or_answer(c, false);
	if (fields && api_writer_or_answer(c, &w)) {
		struct write_result r;
		store_staff_create(&w, fields, &r);
		api_answer_write(c, &r, "/v1/staff");
	}
	free(fields);
}

void staff_patch(struct call *c)
{
	int64_t id;
	int version;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	char *fields = staff_fields_or_answer(c, true);
	if (fields && api_writer_or_answer(c, &w)) {
		struct row_scope scope = api_scope(c);
		struct write_result r;
		store_staff_patch(&w, &scope, id, version, fields, &r);
		api_answer_write(c, &r, NULL);
	}
	free(fields);
}

/* --- import --------------------------------------------------------------- */

#define IMPORT_MAX_ERRORS 50

struct import {
	const struct csv_table *t;
	json_t *units; /* {"code": id} of the organisation; owned */
	json_t *rows; /* validated documents; owned */
	struct problem *p; /* 422 with one error per bad cell; owned */
	size_t errors;
};

/* A sentence about a place in the file, in the caller's language: msgid
 * with {line}, {column}, {name} (the column's header) and {problem} (a
 * sentence already translated).  New string, or NULL. */
static char *place_text_new(const char *msgid, size_t line, size_t column, const char *name,
			    const char *problem)
{
	json_t *args = json_pack("{s:I, s:I, s:s, s:s}", "line", (json_int_t)line, "column",
				 (json_int_t)column, "name", name, "problem", problem);
	char *text = args ? template_expand_new(msgid, args) : NULL;
	json_decref(args);
	return text;
}

/* Why the parser refused the file, in the caller's language; new string or
 * NULL. */
static char *csv_reason_new(const struct csv_error *e)
{
	json_t *args = json_object();
	for (size_t i = 0; args && i < CSV_ERROR_ARGS; i++)
		if (e->args[i].name)
			json_object_set_new(args, e->args[i].name, json_string(e->args[i].value));
	char *text = args ? template_expand_new(e->msgid ? e->msgid : e->message, args) : NULL;
	json_decref(args);
	return text;
}

/* 422 invalid-csv naming the place the parser stopped: /line/N/column/M. */
static struct problem *csv_problem(const struct csv_error *e)
{
	struct problem *p = problem_new(P_INVALID_CSV, NULL);
	char *reason = csv_reason_new(e);
	p->detail = place_text_new(N_("line {line}, column {column}: {problem}"), e->line,
				   e->column, "", reason ? reason : "");
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/line/%zu/column/%zu", e->line, e->column);
	problem_add_error_text(p, ptr, reason ? reason : "");
	free(reason);
	return p;
}

/* Records that a cell is wrong; msgid is an English msgid (marked N_ where
 * written), translated here. */
static void cell_error(struct import *im, size_t row, int col, const char *msgid)
{
	if (!im->p)
		im->p = problem_new(P_VALIDATION,
				    "The file has invalid rows; nothing was imported.");
	if (++im->errors > IMPORT_MAX_ERRORS)
		return;
	size_t line = im->t->row_line[row];
	char *text = place_text_new(N_("line {line}, column {column} ({name}): {problem}"), line,
				    (size_t)col + 1, col >= 0 ? im->t->header[col] : "?", _(msgid));
	/* the pointer names the cell, for programs: /line/N/column/M */
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/line/%zu/column/%d", line, col + 1);
	problem_add_error_text(im->p, ptr, text ? text : "");
	free(text);
	json_t *last = json_array_get(im->p->errors, json_array_size(im->p->errors) - 1);
	json_object_set_new(last, "line", json_integer((json_int_t)line));
	json_object_set_new(last, "column", json_integer(col + 1));
}

static const char *cell(const struct import *im, size_t row, int col)
{
	return col >= 0 ? im->t->rows[row][col] : "";
}

static void import_date(struct import *im, json_t *doc, size_t row, int col, const char *name,
			bool required, struct civil_date *out, bool *has)
{
	const char *s = cell(im, row, col);
	*has = false;
	if (!*s) {
		if (required)
			cell_error(im, row, col, N_("is required"));
		return;
	}
	if (!civil_date_parse(s, out)) {
		cell_error(im, row, col, N_("must be a date written YYYY-MM-DD"));
		return;
	}
	*has = true;
	json_object_set_new(doc, name, json_string(s));
}

static void import_row(struct import *im, size_t row, const int col[7])
{
	json_t *doc = json_object();
	const char *name = cell(im, row, col[0]);
	size_t chars = utf8_chars(name);
	if (chars == 0 || chars > 200)
		cell_error(im, row, col[0], N_("full name must be 1 to 200 characters"));
	json_object_set_new(doc, "full_name", json_string(name));
	const char *g = staff_gender_code(cell(im, row, col[1]));
	if (!g)
		cell_error(im, row, col[1],
			   N_("gender must be Nam, Nữ, Khác (or male, female, other)"));
	json_object_set_new(doc, "gender", g ? json_string(g) : json_null());
	const char *e = staff_employment_code(cell(im, row, col[2]));
	if (!e)
		cell_error(im, row, col[2],
			   N_("employment type must be Công chức, Viên chức, "
			      "Người lao động (or a code)"));
	json_object_set_new(doc, "employment_type", e ? json_string(e) : json_null());
	json_t *unit = json_object_get(im->units, cell(im, row, col[4]));
	if (!unit)
		cell_error(im, row, col[4], N_("no unit with this code in your organisation"));
	json_object_set(doc, "unit_id", unit ? unit : json_null());
	const char *position = cell(im, row, col[6]);
	if (utf8_chars(position) > 200)
		cell_error(im, row, col[6], N_("position must be at most 200 characters"));
	json_object_set_new(doc, "position", json_string(position));

	struct staff_dates d = { .status = "active" };
	bool has_start;
	import_date(im, doc, row, col[3], "start_date", true, &d.start, &has_start);
	import_date(im, doc, row, col[5], "date_of_birth", false, &d.birth, &d.has_birth);
	struct staff_rule_error err;
	if (has_start && !staff_dates_valid(&d, &err))
		cell_error(im, row, col[5], err.message);
	json_array_append_new(im->rows, doc);
}

static const char *const import_columns[] = { "full_name",  "gender",	 "employment_type",
					      "start_date", "unit_code", "date_of_birth",
					      "position" };

/* Parses the file and finds its columns (col[i]: import_columns[i], -1
 * when an optional one is absent); NULL answered. */
static struct csv_table *import_parse_or_answer(struct call *c, int col[7])
{
	const char *ct = call_req_header(c, "Content-Type");
	if (!ct || strncasecmp(ct, "text/csv", 8) != 0) {
		call_problem(c, problem_new(P_UNSUPPORTED_MEDIA_TYPE,
					    "Send the file as text/csv (UTF-8)."));
		return NULL;
	}
	size_t len;
	const char *data = call_body(c, &len);
	struct csv_limits limits = { .max_bytes = len + 1,
				     .max_rows = 20000,
				     .max_columns = 32,
				     .max_field_bytes = 1024,
				     .delimiter = ',',
				     .single_line = true }; /* as POST /v1/staff */
	struct csv_error err;
	struct csv_table *t = csv_parse_new(data, len, &limits, &err);
	struct problem *p = t ? NULL : csv_problem(&err);
	if (t && t->n_rows == 0)
		p = problem_bad_request("", "The file has a header but no rows.");
	for (int i = 0; !p && i < 7; i++) {
		bool required = i < 5; /* the first five columns; the others are optional */
		col[i] = csv_column(t, import_columns[i]);
		if (required && col[i] < 0) {
			p = problem_new(P_INVALID_CSV, "The header lacks the column \"%s\".",
					import_columns[i]);
			problem_add_error(p, "/line/1",
					  "required columns: full_name, gender, "
					  "employment_type, start_date, unit_code");
		}
	}
	if (!p)
		return t;
	csv_table_free(t);
	call_problem(c, p);
	return NULL;
}

/* Every row checked, against the organisation's units; false answered (a
 * 422 naming every bad cell, or the database's failure). */
static bool import_check_or_answer(struct call *c, struct db *db, struct import *im,
				   const int col[7])
{
	char *codes = NULL;
	enum db_status st = store_unit_codes(db, c->who.org_id, &codes);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "unit codes");
		return false;
	}
	im->units = codes ? json_loads(codes, 0, NULL) : json_object();
	im->rows = json_array();
	free(codes);
	for (size_t r = 0; r < im->t->n_rows; r++)
		import_row(im, r, col);
	if (!im->p)
		return true;
	call_problem(c, im->p);
	im->p = NULL; /* taken */
	return false;
}

void staff_import(struct call *c)
{
	int col[7];
	struct writer w;
	struct csv_table *t = import_parse_or_answer(c, col);
	if (!t)
		return;
	struct import im = { .t = t };
	if (api_writer_or_answer(c, &w) && import_check_or_answer(c, w.db, &im, col)) {
		char *rows = json_dumps(im.rows, JSON_COMPACT);
		struct write_result r;
		if (rows) {
			store_staff_import(&w, rows, &r);
			/* 201 without a Location: the answer is a count */
			api_answer_write(c, &r, "");
		} else {
			call_problem(c, problem_internal());
		}
		free(rows);
	}
	json_decref(im.units);
	json_decref(im.rows);
	csv_table_free(t);
}
