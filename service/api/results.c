/*
 * results.c — the year's results that targets are measured against, as far
 * as they are recorded by hand: collective ratings (xếp loại tập thể),
 * recognitions (công sở văn hóa, an toàn về an ninh, trật tự) and numbers
 * reported by units against a target of kind reported_number.
 *
 * GET/POST /v1/collective-ratings, GET/POST /v1/recognitions (?year=),
 * POST /v1/plans/{id}/targets/{code}/reports.
 * Ratings and recognitions are the Office's to record; a unit head reports
 * numbers for the units they lead, a reporting system (reports:write) for
 * any unit of the organisation.  Results have no route of their own, so a
 * create answers 201 without Location.
 */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "domain/decimal.h"
#include "http/validate.h"

static const char *const subject_kinds[] = { "agency", "unit", "party_cell", "mass_organization",
					     NULL };
static const char *const ratings[] = { "excellent", "good", "completed", "not_completed", NULL };
static const char *const recognition_kinds[] = { "cultural_office", "security_order", NULL };

/* The characters of a target code (plan_targets.code in 0003_plans.sql). */
#define TARGET_CODE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* ?year= of the result lists; 0 when absent. */
static bool year_filter(struct call *c, int *year)
{
	struct problem *p = NULL;
	long y;
	if (!query_int(c, "year", 2000, 2100, 0, &y, &p)) {
		call_problem(c, p);
		return false;
	}
	*year = (int)y;
	return true;
}

typedef enum db_status (*year_list_fn)(struct db *db, int64_t org_id, int year, char **json);

static void list_by_year(struct call *c, year_list_fn list, const char *what)
{
	int year;
	if (!year_filter(c, &year))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = list(db, c->who.org_id, year, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, what);
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

static void field_year(struct validation *v)
{
	const json_t *j = json_object_get(v->body, "year");
	if (!j)
		validation_fail(v, "year", "is required");
	else if (!json_is_integer(j) || json_integer_value(j) < 2000 ||
		 json_integer_value(j) > 2100)
		validation_fail(v, "year", "must be a year from 2000 to 2100");
}

void ratings_list(struct call *c)
{
	list_by_year(c, store_ratings_list, "collective ratings");
}

static void annotate_rating(struct db *db, struct problem *p)
{
	const char *state = db_last_sqlstate(db);
	if (!strcmp(state, "23505"))
		problem_add_error(p, "/subject_name",
				  "this collective is already rated for the year");
	else if (!strcmp(state, "23503"))
		problem_add_error(p, "/unit_id", "no such unit in your organisation");
}

void rating_create(struct call *c)
{
	static const char *const fields[] = {
		"year",	  "subject_kind", "subject_name",    "unit_id",
		"rating", "rated_on",	  "source_document", NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t id;
	struct civil_date d;
	char text[11];
	field_year(&v);
	field_enum(&v, "subject_kind", true, subject_kinds, &s);
	field_string(&v, "subject_name", true, 1, 300, &s);
	if (api_field_given(&v, "unit_id"))
		field_id(&v, "unit_id", false, &id);
	field_enum(&v, "rating", true, ratings, &s);
	field_date(&v, "rated_on", true, &d, text);
	field_string(&v, "source_document", true, 1, 300, &s);
	if (!api_valid(c, &v))
		return;
	static const struct write_answer w = { NULL, "rating", "collective rating create",
					       annotate_rating };
	api_create(c, store_rating_create, &w);
}

void recognitions_list(struct call *c)
{
	list_by_year(c, store_recognitions_list, "recognitions");
}

static void annotate_recognition(struct db *db, struct problem *p)
{
	if (!strcmp(db_last_sqlstate(db), "23505"))
		problem_add_error(p, "/kind", "this recognition is already recorded for the year");
}

void recognition_create(struct call *c)
{
	static const char *const fields[] = { "year",	"kind",	    "granted_on",
					      "issuer", "evidence", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_year(&v);
	field_enum(&v, "kind", true, recognition_kinds, &s);
	field_date(&v, "granted_on", true, &d, text);
	field_string(&v, "issuer", true, 1, 300, &s);
	/* evidence may run over several lines, but must say something */
	if (field_text(&v, "evidence", true, 1000, &s) && !s[strspn(s, " \t\r\n")])
		validation_fail(&v, "evidence", "must be 1 to 1000 characters long, not blank");
	if (!api_valid(c, &v))
		return;
	static const struct write_answer w = { NULL, "recognition", "recognition create",
					       annotate_recognition };
	api_create(c, store_recognition_create, &w);
}

/* --- target reports ----------------------------------------------------- */

/* The path's {code}; one that cannot be a target's code names nothing (404). */
static bool path_target_code(struct call *c, const char **code)
{
	const char *s = path_param(&c->params, "code");
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 20 || strspn(s, TARGET_CODE_CHARS) != n) {
		call_problem(c, problem_not_found());
		return false;
	}
	*code = s;
	return true;
}

/* value: a number with at most two decimals below 10^12 in magnitude,
 * written into text as numeric ("31.50"). */
static void field_amount(struct validation *v, char text[DECIMAL_TEXT_LEN])
{
	const json_t *j = json_object_get(v->body, "value");
	int64_t cents = 0;
	if (!j) {
		validation_fail(v, "value", "is required");
		return;
	}
	bool ok = json_is_integer(j) ? decimal_cents_of_integer(json_integer_value(j), &cents)
				     : json_is_real(j) && decimal_cents(json_real_value(j), &cents);
	if (ok)
		decimal_text(text, cents);
	else
		validation_fail(
			v, "value",
			"must be a number with at most 2 decimals, below 10^12 in magnitude");
}

static void validate_report(struct validation *v, char value[DECIMAL_TEXT_LEN])
{
	int64_t id;
	const char *s;
	struct civil_date d;
	char text[11];
	field_id(v, "unit_id", true, &id);
	field_amount(v, value);
	if (api_field_given(v, "reported_on"))
		field_date(v, "reported_on", false, &d, text);
	if (api_field_given(v, "note"))
		field_text(v, "note", false, 2000, &s);
}

static void answer_report(struct call *c, struct db *db, enum db_status st, char *json,
			  const char *refusal)
{
	static const struct write_answer w = { NULL, "report", "target report create", NULL };
	if (st == DB_OK && json)
		api_send_json_text(c, 201, json);
	else if (st == DB_OK && refusal && *refusal)
		api_refused(c, refusal, "no such unit in your organisation, or not one you lead");
	else if (st == DB_OK && refusal)
		api_refused(c, refusal,
			    "this target is counted from the records; only a target of kind "
			    "reported_number takes reported numbers");
	else
		legacy_answer_write(c, db, st, NULL, 0, &w);
}

void target_report_create(struct call *c)
{
	static const char *const fields[] = { "unit_id", "value", "reported_on", "note", NULL };
	struct target_report_in in = { 0 };
	if (!api_path_id(c, "id", &in.plan_id) || !path_target_code(c, &in.code))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	char value[DECIMAL_TEXT_LEN] = "";
	validate_report(&v, value);
	if (!api_valid(c, &v))
		return;
	char *body = json_dumps(c->body, JSON_COMPACT);
	struct db *db = body ? api_db(c) : NULL;
	if (!db) {
		if (!body)
			call_problem(c, problem_internal());
		free(body);
		return;
	}
	struct actor a;
	legacy_actor(c, &a);
	struct row_scope scope = api_scope(c);
	in.value = value;
	in.fields = body;
	char *json = NULL, *refusal = NULL;
	enum db_status st = store_target_report_create(db, &a, &scope, &in, &json, &refusal);
	answer_report(c, db, st, json, refusal);
	free(refusal);
	free(body);
	api_release(c, db);
}
