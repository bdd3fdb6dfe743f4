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
#include "api/csv_import.h"
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
	"unit_id",	   "full_name",	 "gender", "date_of_birth",	 "position",
	"employment_type", "start_date", "status", "leave_from",	 "leave_until",
	"leave_kind",	   "left_on",	 "code",   "recipient_category", "tdkt_since",
	"training_level",  NULL
};
/* What the statistics forms of Circular 02/2023 ask of a person
 * (statistics.sql): their place among the recipients of 0602 and 0603,
 * and their training, for 0605. */
static const char *const recipient_categories[] = {
	"ministry_province_leader", "department_leader", "other_leader",
	"businessperson",	    "direct_worker",	 NULL
};
static const char *const training_levels[] = { "elementary", "intermediate", "college",
					       "university", "postgraduate", NULL };

/* A staff code (mã cán bộ): 1 to 30 of A-Z, a-z, 0-9, '.', '_', '/', '-'. */
static bool staff_code_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 30 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-") == n;
}

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
	if (field_has(v, "code") && !field_is_null(v, "code") &&
	    field_string(v, "code", false, 1, 30, &s) && !staff_code_ok(s))
		validation_fail(
			v, "code",
			"may hold only letters, digits, '.', '_', '/' and '-' (30 at most)");
	if (field_has(v, "recipient_category") && !field_is_null(v, "recipient_category"))
		field_enum(v, "recipient_category", false, recipient_categories, &s);
	if (field_has(v, "training_level") && !field_is_null(v, "training_level"))
		field_enum(v, "training_level", false, training_levels, &s);
	bool has_tdkt;
	struct civil_date tdkt;
	optional_date(v, "tdkt_since", &has_tdkt, &tdkt);
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

/* The row's staff code, when the file has the column and the cell is not
 * empty: well formed, and no earlier row of the file has it (one person,
 * one row). */
static void import_code(struct import *im, json_t *doc, json_t *seen, size_t row, int col)
{
	const char *code = col >= 0 ? import_cell(im, row, col) : "";
	if (!*code)
		return;
	if (!staff_code_ok(code)) {
		import_cell_error(im, row, col,
				  N_("staff code may hold only letters, digits, '.', '_', '/' and "
				     "'-' (30 at most)"));
		return;
	}
	if (json_object_get(seen, code)) {
		import_cell_error(im, row, col,
				  N_("staff code repeats an earlier row of the file"));
		return;
	}
	json_object_set_new(seen, code, json_true());
	json_object_set_new(doc, "code", json_string(code));
}

static void import_row(struct import *im, const json_t *units, json_t *seen, size_t row,
		       const int col[8])
{
	json_t *doc = json_object();
	const char *name = import_cell(im, row, col[0]);
	size_t chars = utf8_chars(name);
	if (chars == 0 || chars > 200)
		import_cell_error(im, row, col[0], N_("full name must be 1 to 200 characters"));
	json_object_set_new(doc, "full_name", json_string(name));
	const char *g = staff_gender_code(import_cell(im, row, col[1]));
	if (!g)
		import_cell_error(im, row, col[1],
				  N_("gender must be Nam, Nữ, Khác (or male, female, other)"));
	json_object_set_new(doc, "gender", g ? json_string(g) : json_null());
	const char *e = staff_employment_code(import_cell(im, row, col[2]));
	if (!e)
		import_cell_error(im, row, col[2],
				  N_("employment type must be Công chức, Viên chức, "
				     "Người lao động (or a code)"));
	json_object_set_new(doc, "employment_type", e ? json_string(e) : json_null());
	json_t *unit = json_object_get(units, import_cell(im, row, col[4]));
	if (!unit)
		import_cell_error(im, row, col[4],
				  N_("no unit with this code in your organisation"));
	json_object_set(doc, "unit_id", unit ? unit : json_null());
	const char *position = import_cell(im, row, col[6]);
	if (utf8_chars(position) > 200)
		import_cell_error(im, row, col[6], N_("position must be at most 200 characters"));
	json_object_set_new(doc, "position", json_string(position));
	import_code(im, doc, seen, row, col[7]);

	struct staff_dates d = { .status = "active" };
	bool has_start;
	import_date(im, doc, row, col[3], "start_date", true, &d.start, &has_start);
	import_date(im, doc, row, col[5], "date_of_birth", false, &d.birth, &d.has_birth);
	struct staff_rule_error err;
	if (has_start && !staff_dates_valid(&d, &err))
		import_cell_error(im, row, col[5], err.message);
	json_array_append_new(im->rows, doc);
}

static const char *const import_columns[] = { "full_name",  "gender",	 "employment_type",
					      "start_date", "unit_code", "date_of_birth",
					      "position",   "code" };

/* Parses the file and finds its columns (col[i]: import_columns[i], -1
 * when an optional one is absent); NULL answered. */
static struct csv_table *import_parse_or_answer(struct call *c, int col[8])
{
	return csv_import_parse_or_answer(c, import_columns, 8, 5,
					  "full_name, gender, employment_type, start_date, "
					  "unit_code",
					  20000, col);
}

/* Every row checked, against the organisation's units; false answered (a
 * 422 naming every bad cell, or the database's failure). */
static bool import_check_or_answer(struct call *c, struct db *db, struct import *im, json_t **units,
				   const int col[8])
{
	char *codes = NULL;
	enum db_status st = store_unit_codes(db, c->who.org_id, &codes);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "unit codes");
		return false;
	}
	*units = codes ? json_loads(codes, 0, NULL) : json_object();
	im->rows = json_array();
	free(codes);
	json_t *seen = json_object(); /* the staff codes of the rows before */
	for (size_t r = 0; r < im->t->n_rows; r++)
		import_row(im, *units, seen, r, col);
	json_decref(seen);
	return import_valid_or_answer(c, im);
}

void staff_import(struct call *c)
{
	int col[8];
	struct writer w;
	struct csv_table *t = import_parse_or_answer(c, col);
	if (!t)
		return;
	struct import im = { .t = t };
	json_t *units = NULL;
	if (api_writer_or_answer(c, &w) && import_check_or_answer(c, w.db, &im, &units, col)) {
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
	json_decref(units);
	json_decref(im.rows);
	csv_table_free(t);
}
