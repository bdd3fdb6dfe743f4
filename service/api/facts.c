/*
 * facts.c — the year's facts that titles are decided on (migration 0011):
 * a person's ratings, discipline, cases under review and leave, and the
 * organisation's initiatives and research works.
 *
 * GET /v1/staff/{id}/facts?year= (the person's file as the eligibility
 * engine reads it), PUT /v1/staff/{id}/ratings/{year},
 * POST /v1/staff/{id}/disciplines, /leaves, /cases,
 * POST /v1/cases/{id}/close, GET/POST /v1/initiatives (?year=).
 * The Office records facts for the whole organisation; a unit head reads
 * the files of their subtree, a staff member their own.  A person the
 * caller cannot see is not found.
 */
#include <stdlib.h>
#include <string.h>

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

/* The year of a path ({year}): 2000..2100, else nothing is named (404). */
static bool path_year_or_answer(struct call *c, int *year)
{
	const char *s = path_param(&c->params, "year");
	char *end = NULL;
	long y = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || strlen(s) != 4 || y < 2000 || y > 2100) {
		call_problem(c, problem_not_found());
		return false;
	}
	*year = (int)y;
	return true;
}

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
	if (!api_path_id_or_answer(c, "id", &staff_id) || !path_year_or_answer(c, &year))
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
