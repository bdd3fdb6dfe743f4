/*
 * reports.c — report templates (mẫu báo cáo) and reporting periods (kỳ báo
 * cáo).
 *
 * GET/POST /v1/report-templates, GET /v1/report-templates/{id},
 * GET/POST /v1/report-periods, GET /v1/report-periods/{id},
 * POST /v1/report-periods/{id}/close.
 * A template is never changed: posting a code again makes its next
 * version, and a period keeps the version it was opened with.  The Office
 * manages both; every member who reports reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/template.h"
#include "api/app.h"
#include "domain/report_template.h"
#include "http/validate.h"
#include "store/reports.h"

static const char *const period_kinds[] = { "half_year", "year", "custom", "ad_hoc", NULL };

/* The errors of the domain checks, under prefix ("/fields", "/answers"),
 * worded in the request's language with the values they name. */
void api_report_errors(struct validation *v, const struct report_errors *err, const char *prefix)
{
	for (size_t i = 0; i < err->count && i < REPORT_ERRORS_MAX; i++) {
		const struct report_error *e = &err->e[i];
		json_t *args = json_pack("{s:s, s:s, s:I}", "min", e->min, "max", e->max,
					 "max_length", (json_int_t)e->max_length);
		char *text = template_expand_new(e->detail ? e->detail : "", args);
		json_decref(args);
		char pointer[208];
		snprintf(pointer, sizeof pointer, "/%s%s", prefix, e->pointer);
		/* the problem validation_fail() would start; http/validate.h has
		 * no way to add a sentence already in the request's language */
		if (!v->p)
			v->p = problem_new(P_VALIDATION,
					   "Some fields are missing or invalid; see errors.");
		problem_add_error_text(v->p, pointer, text ? text : "");
		free(text);
	}
}

void report_templates_list(struct call *c)
{
	api_read_org(c, store_report_templates_list, "report templates", false);
}

void report_template_get(struct call *c)
{
	api_read_item(c, store_report_template_get, "report template");
}

void report_template_create(struct call *c)
{
	static const char *const members[] = { "code", "title", "fields", NULL };
	struct validation v;
	validation_begin(&v, c->body, members);
	const char *code = NULL, *title;
	if (field_string(&v, "code", true, 1, 40, &code) &&
	    strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(code))
		validation_fail(&v, "code", "may hold only a-z, 0-9, '.', '_' and '-'");
	field_string(&v, "title", true, 1, 500, &title);
	json_t *fields = NULL;
	struct report_errors err = { 0 };
	if (!field_has(&v, "fields"))
		validation_fail(&v, "fields", "is required");
	else if (!(fields = report_fields_normalize(json_object_get(c->body, "fields"), &err)))
		api_report_errors(&v, &err, "fields");
	if (!api_valid(c, &v)) {
		json_decref(fields);
		return;
	}
	json_t *doc = json_pack("{s:s, s:s, s:o}", "code", code, "title", title, "fields", fields);
	char *text = json_dumps(doc, REPORT_JSON_FLAGS);
	json_decref(doc);
	struct db *db = text ? api_db(c) : NULL;
	if (db) {
		struct actor a;
		legacy_actor(c, &a);
		struct step_outcome o;
		enum db_status st = store_report_template_create(db, &a, text, &o);
		static const struct write_answer w = { "/v1/report-templates", "template",
						       "report template create", NULL };
		api_answer_step(c, db, st, &o, &w);
		api_release(c, db);
	} else if (!text) {
		call_problem(c, problem_internal());
	}
	free(text);
}

void report_periods_list(struct call *c)
{
	long limit;
	int64_t after;
	struct problem *p = NULL;
	if (!query_int(c, "limit", 1, 100, 20, &limit, &p) || !api_cursor(c, &after, &p)) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_report_periods_list(db, c->who.org_id, after, limit, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "report periods");
	else
		api_send_page(c, json);
	api_release(c, db);
}

void report_period_get(struct call *c)
{
	api_read_item(c, store_report_period_get, "report period");
}

void report_period_close(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	struct step_outcome o;
	enum db_status st = store_report_period_close(db, &a, id, version, &o);
	static const struct write_answer w = { NULL, "period", "report period close", NULL };
	api_answer_step(c, db, st, &o, &w);
	api_release(c, db);
}

static void annotate_period(struct db *db, struct problem *p)
{
	if (strcmp(db_last_sqlstate(db), "23503") != 0)
		return;
	if (strstr(db_last_constraint(db), "template"))
		problem_add_error(p, "/template_id", "no such template in your organisation");
	else
		problem_add_error(p, "/unit_ids", "names a unit that is not in your organisation");
}

void report_period_create(struct call *c)
{
	static const char *const members[] = { "template_id", "kind",	"title",    "starts_on",
					       "ends_on",     "due_on", "unit_ids", NULL };
	struct validation v;
	validation_begin(&v, c->body, members);
	const char *s;
	int64_t id;
	char start[11] = "", end[11] = "", due[11];
	struct civil_date d;
	field_id(&v, "template_id", true, &id);
	field_enum(&v, "kind", true, period_kinds, &s);
	field_string(&v, "title", true, 1, 500, &s);
	field_date(&v, "starts_on", true, &d, start);
	field_date(&v, "ends_on", true, &d, end);
	field_date(&v, "due_on", true, &d, due);
	if (*start && *end && strcmp(end, start) < 0)
		validation_fail(&v, "ends_on", "must not be before starts_on");
	if (field_id_array(&v, "unit_ids", true, 1000) &&
	    json_array_size(json_object_get(c->body, "unit_ids")) == 0)
		validation_fail(&v, "unit_ids", "must name at least one unit");
	if (!api_valid(c, &v))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *text = json_dumps(c->body, JSON_COMPACT);
	struct step_outcome o;
	enum db_status st = store_report_period_create(db, &a, text, &o);
	free(text);
	static const struct write_answer w = { "/v1/report-periods", "period",
					       "report period create", annotate_period };
	api_answer_step(c, db, st, &o, &w);
	api_release(c, db);
}
