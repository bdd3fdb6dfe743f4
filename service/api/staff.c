/*
 * staff.c — staff members (công chức, viên chức, người lao động).
 *
 * GET /v1/staff, GET /v1/staff/{id}, POST /v1/staff, PATCH /v1/staff/{id},
 * POST /v1/staff/import (text/csv, all rows or none).
 * Reads are confined to the caller's scope (organisation, unit subtree or
 * self); a record outside it answers 404.  Lists are sorted by given name
 * in Vietnamese order and searched without accents.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/app.h"
#include "domain/csv.h"
#include "domain/staff_rules.h"
#include "http/validate.h"

static const char *const genders[] = { "female", "male", "other", NULL };
static const char *const employment_types[] = { "civil_servant", "public_employee",
						"contract_worker", "other", NULL };
static const char *const statuses[] = { "active", "on_leave", "left", NULL };
static const char *const staff_fields[] = { "unit_id",	     "full_name", "gender",
					    "date_of_birth", "position",  "employment_type",
					    "start_date",    "status",	  "leave_from",
					    "leave_until",   "left_on",	  NULL };

/* Reads the list's filters; NULL when all are valid, else the 400. */
static struct problem *staff_filters(struct call *c, struct staff_filter *f)
{
	struct problem *p = NULL;
	long unit = 0;
	if (!query_int(c, "limit", 1, 100, 20, &f->limit, &p) ||
	    !query_int(c, "unit_id", 1, LONG_MAX, 0, &unit, &p))
		return p;
	f->unit_id = unit;
	f->q = u_map_get(c->req->map_url, "q");
	f->status = u_map_get(c->req->map_url, "status");
	if (f->q && utf8_chars(f->q) > 100) { /* SIZE_MAX when not UTF-8 */
		p = problem_new(P_BAD_REQUEST, "Invalid search text.");
		problem_add_error(p, "/query/q", "at most 100 characters of UTF-8 text");
		return p;
	}
	bool known = !f->status;
	for (size_t i = 0; f->status && statuses[i]; i++)
		known |= strcmp(f->status, statuses[i]) == 0;
	if (!known) {
		p = problem_new(P_BAD_REQUEST, "Invalid status filter.");
		problem_add_error(p, "/query/status", "must be active, on_leave or left");
	}
	return p;
}

void staff_list(struct call *c)
{
	struct staff_filter f = { 0 };
	struct problem *p = staff_filters(c, &f);
	json_t *key = p ? NULL : api_key_cursor_new(c, &p);
	if (!key) {
		call_problem(c, p);
		return;
	}
	f.after_given = json_string_value(json_array_get(key, 0));
	f.after_full = json_string_value(json_array_get(key, 1));
	f.after_id = json_integer_value(json_array_get(key, 2));
	struct db *db = api_db(c);
	if (db) {
		struct row_scope scope = api_scope(c);
		char *json = NULL, *next = NULL;
		enum db_status st = store_staff_list(db, c->app->caches.staff_pages, &scope, &f, &json, &next);
		if (st != DB_OK)
			api_fail_db(c, db, st, "staff list");
		else
			api_send_page_cursor(c, json, next);
		free(next);
		api_release(c, db);
	}
	json_decref(key);
}

void staff_get(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct row_scope scope = api_scope(c);
	char *json = NULL;
	int version = 0;
	enum db_status st = store_staff_get(db, &scope, id, &json, &version);
	if (st != DB_OK)
		api_fail_db(c, db, st, "staff get");
	else
		api_send_with_etag(c, 200, json, version);
	api_release(c, db);
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
	optional_date(v, "left_on", &d.has_left_on, &d.left_on);
	struct staff_rule_error err;
	/* a partial document is checked as a whole by the database's constraints */
	if (!partial && has_start && !v->p && !staff_dates_valid(&d, &err))
		validation_fail(v, err.field, err.message);
}

/* A foreign key of a new record can only be its unit. */
static void annotate_staff(struct db *db, struct problem *p)
{
	if (p->status == 422 && strcmp(db_last_sqlstate(db), "23503") == 0)
		problem_add_error(p, "/unit_id", "no such unit in your organisation");
}

void staff_create(struct call *c)
{
	struct validation v;
	validation_begin(&v, c->body, staff_fields);
	validate_staff(&v, false);
	if (!api_valid(c, &v))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	enum db_status st = store_staff_create(db, &a, fields, &json);
	free(fields);
	static const struct write_answer w = { "/v1/staff", "record", "staff create",
					       annotate_staff };
	legacy_answer_write(c, db, st, json, 0, &w);
	api_release(c, db);
}

void staff_patch(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, staff_fields);
	validate_staff(&v, true);
	if (json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	if (!api_valid(c, &v))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	struct row_scope scope = api_scope(c);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	int current = 0;
	enum db_status st = store_staff_patch(db, &a, &scope, id, version, fields, &json, &current);
	free(fields);
	static const struct write_answer w = { NULL, "record", "staff patch", NULL };
	legacy_answer_write(c, db, st, json, current, &w);
	api_release(c, db);
}

/* --- import --------------------------------------------------------------- */

#define IMPORT_MAX_ERRORS 50

struct import {
	const struct csv_table *t;
	json_t *units; /* {"code": id} of the organisation; borrowed */
	json_t *rows; /* validated documents; owned */
	struct problem *p; /* 422 with one error per bad cell; owned */
	size_t errors;
};

static void cell_error(struct import *im, size_t row, int col, const char *msg)
{
	if (!im->p)
		im->p = problem_new(P_VALIDATION, "The file has invalid rows; nothing was imported.");
	if (++im->errors > IMPORT_MAX_ERRORS)
		return;
	problem_add_error(im->p, "", "line %zu, column %d (%s): %s", im->t->row_line[row], col + 1,
			  col >= 0 ? im->t->header[col] : "?", msg);
	/* the pointer names the cell, for programs: /line/N/column/M */
	json_t *last = json_array_get(im->p->errors, json_array_size(im->p->errors) - 1);
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/line/%zu/column/%d", im->t->row_line[row], col + 1);
	json_object_set_new(last, "pointer", json_string(ptr));
	json_object_set_new(last, "line", json_integer((json_int_t)im->t->row_line[row]));
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
			cell_error(im, row, col, "is required");
		return;
	}
	if (!civil_date_parse(s, out)) {
		cell_error(im, row, col, "must be a date written YYYY-MM-DD");
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
		cell_error(im, row, col[0], "full name must be 1 to 200 characters");
	json_object_set_new(doc, "full_name", json_string(name));
	const char *g = staff_gender_code(cell(im, row, col[1]));
	if (!g)
		cell_error(im, row, col[1],
			   "gender must be Nam, Nữ, Khác (or male, female, other)");
	json_object_set_new(doc, "gender", g ? json_string(g) : json_null());
	const char *e = staff_employment_code(cell(im, row, col[2]));
	if (!e)
		cell_error(im, row, col[2],
			   "employment type must be Công chức, Viên chức, "
			   "Người lao động (or a code)");
	json_object_set_new(doc, "employment_type", e ? json_string(e) : json_null());
	json_t *unit = json_object_get(im->units, cell(im, row, col[4]));
	if (!unit)
		cell_error(im, row, col[4], "no unit with this code in your organisation");
	json_object_set(doc, "unit_id", unit ? unit : json_null());
	const char *position = cell(im, row, col[6]);
	if (utf8_chars(position) > 200)
		cell_error(im, row, col[6], "position must be at most 200 characters");
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

/* Parses and validates the whole file; on success im->rows holds every row. */
static struct problem *import_parse(struct call *c, struct csv_table **out)
{
	const char *ct = call_req_header(c, "Content-Type");
	if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
		return problem_new(P_UNSUPPORTED_MEDIA_TYPE, "Send the file as text/csv (UTF-8).");
	struct csv_limits limits = { .max_bytes = c->req->binary_body_length + 1,
				     .max_rows = 20000,
				     .max_columns = 32,
				     .max_field_bytes = 1024,
				     .delimiter = ',' };
	struct csv_error err;
	*out = csv_parse_new(c->req->binary_body, c->req->binary_body_length, &limits, &err);
	if (!*out) {
		struct problem *p =
			problem_new(P_INVALID_CSV, "line %zu, column %zu: %s",
				    err.line, err.column, err.message);
		char ptr[64];
		snprintf(ptr, sizeof ptr, "/line/%zu/column/%zu", err.line, err.column);
		problem_add_error(p, ptr, "%s", err.message);
		return p;
	}
	if ((*out)->n_rows == 0)
		return problem_bad_request("", "The file has a header but no rows.");
	return NULL;
}

static const char *const import_columns[] = { "full_name",  "gender",	 "employment_type",
					      "start_date", "unit_code", "date_of_birth",
					      "position" };

void staff_import(struct call *c)
{
	struct csv_table *t = NULL;
	struct import im = { 0 };
	struct problem *p = import_parse(c, &t);
	int col[7];
	for (int i = 0; !p && i < 7; i++) {
		col[i] = csv_column(t, import_columns[i]);
		if (col[i] < 0 && i < 5) {
			p = problem_new(P_INVALID_CSV, "The header lacks the column \"%s\".", import_columns[i]);
			problem_add_error(p, "/line/1",
					  "required columns: full_name, gender, "
					  "employment_type, start_date, unit_code");
		}
	}
	if (p) {
		csv_table_free(t);
		{
			call_problem(c, p);
			return;
		}
	}
	struct db *db = api_db(c);
	if (!db) {
		csv_table_free(t);
		return;
	}
	char *codes = NULL;
	enum db_status st = store_unit_codes(db, c->who.org_id, &codes);
	im.t = t;
	im.units = codes ? json_loads(codes, 0, NULL) : json_object();
	im.rows = json_array();
	free(codes);
	for (size_t r = 0; st == DB_OK && r < t->n_rows; r++)
		import_row(&im, r, col);
	long inserted = 0;
	if (st == DB_OK && !im.p) {
		struct actor a;
		legacy_actor(c, &a);
		char *rows = json_dumps(im.rows, JSON_COMPACT);
		st = store_staff_import(db, &a, rows, &inserted);
		free(rows);
	}
	struct problem *wp = st != DB_OK ? api_db_write_problem(db, st) : NULL;
	if (wp)
		call_problem(c, wp);
	else if (st != DB_OK)
		api_fail_db(c, db, st, "staff import");
	else if (im.p)
		call_problem(c, im.p);
	else
		call_json(c, 201, json_pack("{s:i}", "imported", (int)inserted));
	if (st != DB_OK)
		problem_free(im.p);
	api_release(c, db);
	json_decref(im.units);
	json_decref(im.rows);
	csv_table_free(t);
}
