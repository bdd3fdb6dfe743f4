/*
 * blocs.c — emulation blocs (khối thi đua) and their year (issue 14 §1-2).
 *
 * GET/POST /v1/blocs, GET /v1/blocs/{id}; per year: GET/PUT
 * /v1/blocs/{id}/years/{year} (the province names the head and deputy),
 * PUT .../pact and .../table (the head), PUT .../scores/{member_id}
 * (self-scoring, or cross-scoring when assigned), POST .../adjustments
 * (the head, with reasons), GET .../ranking, POST .../flags (the head).
 * What the caller's organisation may do is its part in the bloc, checked
 * by the procedures (db/procedures/blocs.sql) in the write's transaction;
 * the handlers check the shape of what is sent.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/blocs.h"

/* ---- reads ----------------------------------------------------------------- */

void blocs_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_blocs(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void bloc_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_bloc(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

/* {id} and {year} of the path; false when answered (404). */
static bool bloc_year_or_answer(struct call *c, int64_t *id, int *year)
{
	return api_path_id_or_answer(c, "id", id) && api_path_year_or_answer(c, year);
}

void bloc_year_get(struct call *c)
{
	int64_t id;
	int year;
	struct db *db;
	char *json = NULL;
	if (!bloc_year_or_answer(c, &id, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_bloc_year(db, c->who.org_id, id, year, &json);
	api_answer_document(c, st, json);
}

void bloc_ranking(struct call *c)
{
	int64_t id;
	int year;
	struct db *db;
	char *json = NULL;
	if (!bloc_year_or_answer(c, &id, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_bloc_ranking(db, c->who.org_id, id, year, &json);
	api_answer_read(c, st, json);
}

/* GET /v1/blocs/{id}/years/{year}/reports: the members' consolidated
 * reports and targets, for the year's head and the province; a member
 * that is neither is answered 403 (it knows the bloc). */
void bloc_reports(struct call *c)
{
	int64_t id;
	int year;
	struct db *db;
	char *json = NULL;
	if (!bloc_year_or_answer(c, &id, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_bloc_reports(db, c->who.org_id, id, year, &json);
	if (st == DB_OK && json && !strstr(json, "\"members\"")) {
		free(json);
		call_problem(c, problem_new(P_FORBIDDEN, "Only the year's head of the bloc and its "
							 "province read the members' reports."));
		return;
	}
	api_answer_read(c, st, json);
}

/* ---- validation ------------------------------------------------------------ */

static void check_member(struct validation *v)
{
	int64_t id;
	struct civil_date d;
	char text[11];
	field_id(v, "organization_id", true, &id);
	field_date(v, "valid_from", true, &d, text);
	if (field_has(v, "valid_until") && !field_is_null(v, "valid_until"))
		field_date(v, "valid_until", false, &d, text);
}

static void check_commitment(struct validation *v)
{
	int64_t id;
	const char *s;
	field_id(v, "member_id", true, &id);
	field_nonblank_text(v, "commitment", true, 5000, &s);
}

static void check_criterion(struct validation *v)
{
	const char *s;
	int64_t n;
	if (field_string(v, "code", true, 1, 20, &s) &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(s))
		validation_fail(v, "code", "may hold only letters, digits, '.', '_' and '-'");
	field_string(v, "title", true, 1, 500, &s);
	field_centi(v, "max_points", true, 1, 100000, &n);
}

static void check_adjustment(struct validation *v)
{
	const char *s;
	int64_t n;
	field_string(v, "code", true, 1, 20, &s);
	field_string(v, "title", true, 1, 500, &s);
	if (field_centi(v, "points", true, -10000, 10000, &n) && n == 0)
		validation_fail(v, "points", "must not be 0");
}

static void check_cross(struct validation *v)
{
	int64_t id;
	field_id(v, "scorer_id", true, &id);
	field_id(v, "member_id", true, &id);
}

/* The codes of array name's objects are distinct. */
static void codes_distinct(struct validation *v, const char *name)
{
	const json_t *a = json_object_get(v->body, name);
	for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++)
		for (size_t j = 0; j < i; j++) {
			const char *x =
				json_string_value(json_object_get(json_array_get(a, i), "code"));
			const char *y =
				json_string_value(json_object_get(json_array_get(a, j), "code"));
			if (x && y && !strcmp(x, y)) {
				char at[64];
				snprintf(at, sizeof at, "%s/%zu/code", name, i);
				validation_fail(v, at, "repeats another code");
			}
		}
}

/* ---- writes ---------------------------------------------------------------- */

/* Validates with check (fields allowed), then runs the write; answers. */
static void write_year(struct call *c, enum bloc_write what, const char *const *fields,
		       void (*check)(struct validation *))
{
	int64_t id;
	int year;
	struct writer w;
	if (!bloc_year_or_answer(c, &id, &year))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	check(&v);
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_bloc_write(&w, what, id, year, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void bloc_create(struct call *c)
{
	static const char *const fields[] = { "code", "name", "members", NULL };
	static const char *const member_fields[] = { "organization_id", "valid_from", "valid_until",
						     NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	if (field_string(&v, "code", true, 1, 40, &s) &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(s))
		validation_fail(&v, "code", "may hold only letters, digits, '.', '_' and '-'");
	field_string(&v, "name", true, 1, 300, &s);
	api_each_object(&v, "members", true, 200, member_fields, check_member);
	struct writer w;
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_bloc_create(&w, body, &r);
	free(body);
	api_answer_write(c, &r, "/v1/blocs");
}

static void check_year(struct validation *v)
{
	int64_t id;
	field_id(v, "head_id", true, &id);
	if (field_has(v, "deputy_id") && !field_is_null(v, "deputy_id"))
		field_id(v, "deputy_id", false, &id);
}

void bloc_year_put(struct call *c)
{
	static const char *const fields[] = { "head_id", "deputy_id", NULL };
	write_year(c, BLOC_YEAR, fields, check_year);
}

static void check_pact(struct validation *v)
{
	static const char *const commitment_fields[] = { "member_id", "commitment", NULL };
	const char *s;
	struct civil_date d;
	char text[11];
	field_string(v, "theme", true, 1, 500, &s);
	field_date(v, "signed_on", true, &d, text);
	if (field_has(v, "place"))
		field_string(v, "place", false, 0, 200, &s);
	api_each_object(v, "commitments", false, 200, commitment_fields, check_commitment);
}

void bloc_pact_put(struct call *c)
{
	static const char *const fields[] = { "theme", "signed_on", "place", "commitments", NULL };
	write_year(c, BLOC_PACT, fields, check_pact);
}

static void check_table(struct validation *v)
{
	static const char *const criterion_fields[] = { "code", "title", "max_points", NULL };
	static const char *const adjustment_fields[] = { "code", "title", "points", NULL };
	static const char *const cross_fields[] = { "scorer_id", "member_id", NULL };
	const json_t *a;
	api_each_object(v, "criteria", true, 100, criterion_fields, check_criterion);
	if (field_has(v, "criteria") && json_array_size(json_object_get(v->body, "criteria")) == 0)
		validation_fail(v, "criteria", "must name at least one criterion");
	codes_distinct(v, "criteria");
	api_each_object(v, "adjustments", false, 100, adjustment_fields, check_adjustment);
	codes_distinct(v, "adjustments");
	if (field_has(v, "tie_break") && field_array(v, "tie_break", false, 100, &a)) {
		size_t i;
		const json_t *x;
		json_array_foreach(a, i, x) if (!json_is_string(x))
		{
			char at[32];
			snprintf(at, sizeof at, "tie_break/%zu", i);
			validation_fail(v, at, "must be a criterion's code");
		}
	}
	api_each_object(v, "cross_scorers", false, 1000, cross_fields, check_cross);
}

void bloc_table_put(struct call *c)
{
	static const char *const fields[] = { "criteria", "adjustments", "tie_break",
					      "cross_scorers", NULL };
	write_year(c, BLOC_TABLE, fields, check_table);
}

static void check_adjust(struct validation *v)
{
	int64_t id, n;
	const char *s;
	field_id(v, "member_id", true, &id);
	if (field_centi(v, "points", true, -10000, 10000, &n) && n == 0)
		validation_fail(v, "points", "must not be 0");
	field_nonblank_text(v, "reason", true, 2000, &s);
}

void bloc_adjust(struct call *c)
{
	static const char *const fields[] = { "member_id", "points", "reason", NULL };
	write_year(c, BLOC_ADJUST, fields, check_adjust);
}

void bloc_score_put(struct call *c)
{
	static const char *const fields[] = { "points", "claimed", "evidence", NULL };
	int64_t id, member;
	int year;
	struct writer w;
	if (!bloc_year_or_answer(c, &id, &year) || !api_path_id_or_answer(c, "member_id", &member))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const json_t *points;
	const char *s;
	/* each value a number: the procedure checks each against its criterion */
	if (field_object(&v, "points", true, &points)) {
		const char *k;
		const json_t *x;
		json_object_foreach((json_t *)points, k, x) if (!json_is_number(x))
		{
			char at[64];
			snprintf(at, sizeof at, "points/%.40s", k);
			validation_fail(&v, at, "must be a number");
		}
	}
	if (field_has(&v, "claimed"))
		field_text_array(&v, "claimed", false, 100, 20);
	if (field_has(&v, "evidence"))
		field_text(&v, "evidence", false, 5000, &s);
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_bloc_score(&w, id, year, member, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void bloc_flag_propose(struct call *c)
{
	static const char *const fields[] = { "member_id", "flag", "proposed_on", NULL };
	static const char *const flags[] = { "provincial", "government", NULL };
	int64_t id, member;
	int year;
	struct writer w;
	if (!bloc_year_or_answer(c, &id, &year))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_id(&v, "member_id", true, &member);
	field_enum(&v, "flag", true, flags, &s);
	if (field_has(&v, "proposed_on") && field_date(&v, "proposed_on", false, &d, text) &&
	    civil_days(d) > civil_days(api_today()))
		validation_fail(&v, "proposed_on", "must not be after today");
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_bloc_flag(&w, id, year, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}
