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

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "domain/decimal.h"
#include "http/validate.h"

static const char *const subject_kinds[] = { "agency", "unit", "party_cell", "mass_organization",
					     NULL };
static const char *const ratings[] = { "excellent", "good", "completed", "not_completed", NULL };
static const char *const recognition_kinds[] = { "cultural_office", "security_order", NULL };

/* The characters of a target code (plan_targets.code in 0003_plans.sql). */
#define TARGET_CODE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

typedef enum db_status (*year_list_fn)(struct db *db, int64_t org_id, int year, char **json);

/* A list of results, of the year ?year= (every year when absent). */
static void list_by_year(struct call *c, year_list_fn list)
{
	int year;
	struct db *db;
	char *json = NULL;
	if (!api_year_or_answer(c, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = list(db, c->who.org_id, year, &json);
	api_answer_read(c, st, json);
}

/* Results have no route of their own: a create answers 201 without
 * Location (an empty collection). */
#define NO_COLLECTION ""

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
	list_by_year(c, store_ratings_list);
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
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_rating_create(&w, body, &r);
		api_answer_write(c, &r, NO_COLLECTION);
	}
	free(body);
}

void recognitions_list(struct call *c)
{
	list_by_year(c, store_recognitions_list);
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
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_recognition_create(&w, body, &r);
		api_answer_write(c, &r, NO_COLLECTION);
	}
	free(body);
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
 * in hundredths. */
static void field_amount(struct validation *v, int64_t *cents)
{
	const json_t *j = json_object_get(v->body, "value");
	if (!j) {
		validation_fail(v, "value", "is required");
		return;
	}
	bool ok = json_is_integer(j) ? decimal_cents_of_integer(json_integer_value(j), cents)
				     : json_is_real(j) && decimal_cents(json_real_value(j), cents);
	if (!ok)
		validation_fail(
			v, "value",
			"must be a number with at most 2 decimals, below 10^12 in magnitude");
}

static void validate_report(struct validation *v, int64_t *cents)
{
	int64_t id;
	const char *s;
	struct civil_date d;
	char text[11];
	field_id(v, "unit_id", true, &id);
	field_amount(v, cents);
	if (api_field_given(v, "reported_on"))
		field_date(v, "reported_on", false, &d, text);
	if (api_field_given(v, "note"))
		field_text(v, "note", false, 2000, &s);
}

void target_report_create(struct call *c)
{
	static const char *const fields[] = { "unit_id", "value", "reported_on", "note", NULL };
	struct target_report_in in = { 0 };
	if (!api_path_id_or_answer(c, "id", &in.plan_id) || !path_target_code(c, &in.code))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_report(&v, &in.value_cents);
	struct writer w;
	struct write_result r;
	struct row_scope scope = api_scope(c);
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		in.fields = body;
		store_target_report_create(&w, &scope, &in, &r);
		api_answer_write(c, &r, NO_COLLECTION);
	}
	free(body);
}

/* GET /v1/plans/{id}/targets/{code}/reports: the numbers reported for a
 * target, read back (issue 14 §3), newest first by cursor; a unit head
 * sees those of the units under it. */
void target_reports_list(struct call *c)
{
	int64_t plan_id, after = 0;
	const char *code;
	long limit;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &plan_id) || !path_target_code(c, &code) ||
	    !api_limit_or_answer(c, 50, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	struct row_scope scope = api_scope(c);
	enum db_status st = store_target_reports(db, &scope, plan_id, code, after, limit, &json);
	if (st == DB_OK && !json) {
		call_problem(c, problem_not_found());
		return;
	}
	api_answer_page(c, st, json, NULL);
}
