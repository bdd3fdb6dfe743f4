/*
 * facts.c — the year's facts that titles are decided on (migration 0011):
 * a person's ratings, discipline, cases under review and leave, and the
 * organisation's initiatives and research works.
 *
 * GET /v1/staff/{id}/facts?year= (the person's file as the eligibility
 * engine reads it), PUT /v1/staff/{id}/ratings/{year},
 * POST /v1/staff/{id}/disciplines, /leaves, /cases,
 * POST /v1/cases/{id}/close, GET/POST /v1/initiatives (?year=),
 * POST /v1/ratings/import (text/csv, all rows or none).
 * The Office records facts for the whole organisation; a unit head reads
 * the files of their subtree, a staff member their own.  A person the
 * caller cannot see is not found.
 */
#include <stdlib.h>
#include <string.h>

#include "api/csv_import.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/year_end.h"

static const char *const ratings[] = { "excellent", "good", "completed", "not_completed", NULL };
static const char *const discipline_forms[] = { "reprimand", "warning", "salary_demotion",
						"demotion",  "removal", "dismissal",
						NULL };
static const char *const leave_kinds[] = {
	"maternity", "sickness", "study", "unpaid", "other", NULL
};
static const char *const case_kinds[] = { "discipline_review", "investigation", "inspection",
					  "complaint",	       "denunciation",	NULL };
static const char *const initiative_kinds[] = { "initiative", "research", NULL };
static const char *const levels[] = { "base", "province", "national", NULL };

/* Facts have no route of their own: a create answers 201 without
 * Location (the person's file, GET /v1/staff/{id}/facts, shows them). */
#define NO_COLLECTION ""

/* Validates, then writes the body through `write` for the person {id}. */
typedef void (*person_write_fn)(const struct writer *w, int64_t staff_id, const char *fields,
				struct write_result *r);

static void write_for_person(struct call *c, struct validation *v, person_write_fn write,
			     const char *collection)
{
	int64_t staff_id;
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_path_id_or_answer(c, "id", &staff_id) && api_valid_or_answer(c, v) &&
	    (body = api_json_text_or_answer(c, c->body)) && api_writer_or_answer(c, &w)) {
		write(&w, staff_id, body, &r);
		api_answer_write(c, &r, collection);
	}
	free(body);
}

/* from/until style spans: until (when given, or required) not before from. */
static void field_span(struct validation *v, const char *from, const char *until,
		       bool until_required)
{
	struct civil_date a, b;
	char text[11];
	bool has_a = field_date(v, from, true, &a, text);
	bool has_b = (until_required || api_field_given(v, until)) &&
		     field_date(v, until, until_required, &b, text);
	if (has_a && has_b && civil_days(b) < civil_days(a))
		validation_failf(v, until, "must not be before %s", from);
}

void person_facts_get(struct call *c)
{
	int64_t id;
	int year;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !api_year_or_answer(c, &year) ||
	    !(db = api_db_or_answer(c)))
		return;
	if (year == 0)
		year = api_today().year;
	struct row_scope scope = api_scope(c);
	enum db_status st = store_person_facts(db, &scope, id, year, &json);
	api_answer_read(c, st, json);
}

void rating_put(struct call *c)
{
	static const char *const fields[] = { "rating", "rated_on", "source_document",
					      "disciplined", NULL };
	int64_t staff_id;
	int year;
	if (!api_path_id_or_answer(c, "id", &staff_id) || !api_path_year_or_answer(c, &year))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	bool b;
	struct civil_date d;
	char text[11];
	field_enum(&v, "rating", true, ratings, &s);
	field_date(&v, "rated_on", true, &d, text);
	field_string(&v, "source_document", true, 1, 300, &s);
	/* absent or null: not stated, which is never read as "not disciplined" */
	if (api_field_given(&v, "disciplined"))
		field_bool(&v, "disciplined", false, &b);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_rating_put(&w, staff_id, year, body, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

void discipline_create(struct call *c)
{
	static const char *const fields[] = {
		"form",		  "decision_number", "decided_on", "in_force_from",
		"in_force_until", "reason",	     NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_enum(&v, "form", true, discipline_forms, &s);
	field_string(&v, "decision_number", true, 1, 60, &s);
	field_date(&v, "decided_on", true, &d, text);
	field_span(&v, "in_force_from", "in_force_until", false);
	if (api_field_given(&v, "reason"))
		field_text(&v, "reason", false, 2000, &s);
	write_for_person(c, &v, store_discipline_create, NO_COLLECTION);
}

void leave_create(struct call *c)
{
	static const char *const fields[] = { "kind", "from", "until", "note", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_enum(&v, "kind", true, leave_kinds, &s);
	field_span(&v, "from", "until", true);
	if (api_field_given(&v, "note"))
		field_text(&v, "note", false, 1000, &s);
	write_for_person(c, &v, store_leave_create, NO_COLLECTION);
}

void case_create(struct call *c)
{
	static const char *const fields[] = { "kind",	   "opened_on", "closed_on",
					      "reference", "note",	NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_enum(&v, "kind", true, case_kinds, &s);
	field_span(&v, "opened_on", "closed_on", false);
	if (api_field_given(&v, "reference"))
		field_string(&v, "reference", false, 0, 200, &s);
	if (api_field_given(&v, "note"))
		field_text(&v, "note", false, 2000, &s);
	write_for_person(c, &v, store_case_create, NO_COLLECTION);
}

/* POST /v1/cases/{id}/close {closed_on}: an open case is closed once. */
void case_close(struct call *c)
{
	static const char *const fields[] = { "closed_on", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date closed;
	char text[11];
	field_date(&v, "closed_on", true, &closed, text);
	struct writer w;
	struct write_result r;
	if (api_valid_or_answer(c, &v) && api_writer_or_answer(c, &w)) {
		store_case_close(&w, id, closed, &r);
		api_answer_write(c, &r, NULL);
	}
}

void initiatives_list(struct call *c)
{
	int year;
	struct db *db;
	char *json = NULL;
	if (!api_year_or_answer(c, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_initiatives_list(db, c->who.org_id, year, &json);
	api_answer_read(c, st, json);
}

void initiative_create(struct call *c)
{
	static const char *const fields[] = {
		"kind",		 "title",	  "level",   "recognised_by", "decision_number",
		"recognised_on", "province_wide", "summary", "staff_ids",     NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	bool b;
	struct civil_date d;
	char text[11];
	field_enum(&v, "kind", true, initiative_kinds, &s);
	field_string(&v, "title", true, 1, 500, &s);
	field_enum(&v, "level", true, levels, &s);
	field_string(&v, "recognised_by", true, 1, 300, &s);
	field_string(&v, "decision_number", true, 1, 60, &s);
	field_date(&v, "recognised_on", true, &d, text);
	if (api_field_given(&v, "province_wide"))
		field_bool(&v, "province_wide", false, &b);
	if (api_field_given(&v, "summary"))
		field_text(&v, "summary", false, 5000, &s);
	/* the people credited: at least one, of the organisation (the
	 * foreign key says so) */
	if (field_id_array(&v, "staff_ids", true, 50) &&
	    json_array_size(json_object_get(c->body, "staff_ids")) == 0)
		validation_fail(&v, "staff_ids", "must name at least one person");
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_initiative_create(&w, body, &r);
		api_answer_write(c, &r, NO_COLLECTION);
	}
	free(body);
}

/* --- ratings import ------------------------------------------------------- */

static const char *const rating_columns[] = { "staff_id",	 "year",       "rating", "rated_on",
					      "source_document", "disciplined" };

/* The rating of a cell: its code, or the words of the decision
 * (Decree 90/2020 Art. 2), in either case; NULL when neither. */
static const char *rating_of_cell(const char *s)
{
	static const struct {
		const char *words, *lower, *code;
	} names[] = {
		{ "Hoàn thành xuất sắc nhiệm vụ", "hoàn thành xuất sắc nhiệm vụ", "excellent" },
		{ "Hoàn thành tốt nhiệm vụ", "hoàn thành tốt nhiệm vụ", "good" },
		{ "Hoàn thành nhiệm vụ", "hoàn thành nhiệm vụ", "completed" },
		{ "Không hoàn thành nhiệm vụ", "không hoàn thành nhiệm vụ", "not_completed" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i].words) == 0 || strcmp(s, names[i].lower) == 0 ||
		    strcmp(s, names[i].code) == 0)
			return names[i].code;
	return NULL;
}

/* "có"/"không" (or yes/no, true/false); empty: not stated. *ok false when
 * the cell says something else. */
static json_t *disciplined_of_cell(const char *s, bool *ok)
{
	*ok = true;
	if (!*s)
		return json_null();
	if (!strcmp(s, "có") || !strcmp(s, "Có") || !strcmp(s, "yes") || !strcmp(s, "true"))
		return json_true();
	if (!strcmp(s, "không") || !strcmp(s, "Không") || !strcmp(s, "no") || !strcmp(s, "false"))
		return json_false();
	*ok = false;
	return json_null();
}

static void rating_row(struct import *im, size_t row, const int col[6], int64_t *staff, long *year)
{
	json_t *doc = json_object();
	char *end = NULL;
	const char *s = import_cell(im, row, col[0]);
	long long id = strtoll(s, &end, 10);
	*staff = *s && !*end && id > 0 ? id : 0;
	if (!*staff)
		import_cell_error(im, row, col[0], N_("must be the number of a staff record"));
	json_object_set_new(doc, "staff_id", json_integer(*staff));
	s = import_cell(im, row, col[1]);
	*year = strtol(s, &end, 10);
	if (!*s || *end || *year < 2000 || *year > 2100) {
		import_cell_error(im, row, col[1], N_("must be a year from 2000 to 2100"));
		*year = 0;
	}
	json_object_set_new(doc, "year", json_integer(*year));
	const char *rating = rating_of_cell(import_cell(im, row, col[2]));
	if (!rating)
		import_cell_error(im, row, col[2],
				  N_("must be Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm "
				     "vụ, Hoàn thành nhiệm vụ or Không hoàn thành nhiệm vụ"));
	json_object_set_new(doc, "rating", rating ? json_string(rating) : json_null());
	struct civil_date d;
	bool has;
	import_date(im, doc, row, col[3], "rated_on", true, &d, &has);
	s = import_cell(im, row, col[4]);
	if (utf8_chars(s) < 1 || utf8_chars(s) > 300)
		import_cell_error(im, row, col[4], N_("must be 1 to 300 characters"));
	json_object_set_new(doc, "source_document", json_string(s));
	bool ok;
	json_object_set_new(doc, "disciplined",
			    disciplined_of_cell(import_cell(im, row, col[5]), &ok));
	if (!ok)
		import_cell_error(im, row, col[5],
				  N_("must be có or không, or empty when not stated"));
	json_array_append_new(im->rows, doc);
}

/* The rows checked, each person against the organisation's staff and each
 * (person, year) once; false answered. */
static bool ratings_check_or_answer(struct call *c, struct db *db, struct import *im,
				    const int col[6])
{
	json_t *ids = json_array(), *seen = json_object();
	int64_t *staff = calloc(im->t->n_rows, sizeof *staff);
	long *years = calloc(im->t->n_rows, sizeof *years);
	im->rows = json_array();
	bool ok = ids && seen && staff && years && im->rows;
	for (size_t r = 0; ok && r < im->t->n_rows; r++) {
		rating_row(im, r, col, &staff[r], &years[r]);
		json_array_append_new(ids, json_integer(staff[r]));
	}
	char *known_text = NULL, *ids_text = ok ? json_dumps(ids, JSON_COMPACT) : NULL;
	enum db_status st =
		ids_text ? store_staff_ids_known(db, c->who.org_id, ids_text, &known_text)
			 : DB_ERROR;
	json_t *known = known_text ? json_loads(known_text, 0, NULL) : NULL;
	json_t *known_set = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(known, i, v)
	{
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
		json_object_set_new(known_set, key, json_true());
	}
	for (size_t r = 0; st == DB_OK && r < im->t->n_rows; r++) {
		char key[48];
		snprintf(key, sizeof key, "%lld", (long long)staff[r]);
		if (staff[r] && !json_object_get(known_set, key))
			import_cell_error(im, r, col[0],
					  N_("no such staff member in your organisation"));
		snprintf(key, sizeof key, "%lld/%ld", (long long)staff[r], years[r]);
		if (staff[r] && years[r] && json_object_get(seen, key))
			import_cell_error(im, r, col[1],
					  N_("this person's rating for the year is on an earlier "
					     "line"));
		json_object_set_new(seen, key, json_true());
	}
	free(ids_text);
	free(known_text);
	free(staff);
	free(years);
	json_decref(ids);
	json_decref(seen);
	json_decref(known);
	json_decref(known_set);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "ratings import");
		return false;
	}
	return import_valid_or_answer(c, im);
}

/* POST /v1/ratings/import (text/csv): the year's ratings of many people,
 * all rows or none; a rating already recorded is replaced. */
void ratings_import(struct call *c)
{
	int col[6];
	struct writer w;
	struct csv_table *t = csv_import_parse_or_answer(
		c, rating_columns, 6, 5, "staff_id, year, rating, rated_on, source_document", 20000,
		col);
	if (!t)
		return;
	struct import im = { .t = t };
	if (api_writer_or_answer(c, &w) && ratings_check_or_answer(c, w.db, &im, col)) {
		char *rows = json_dumps(im.rows, JSON_COMPACT);
		struct write_result r;
		if (rows) {
			store_ratings_import(&w, rows, &r);
			api_answer_write(c, &r, "");
		} else {
			call_problem(c, problem_internal());
		}
		free(rows);
	}
	problem_free(im.p);
	json_decref(im.rows);
	csv_table_free(t);
}
