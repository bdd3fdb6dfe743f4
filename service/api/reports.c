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
#include "api/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/template.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "store/reports.h"

static const char *const period_kinds[] = { "half_year", "year", "custom", "ad_hoc", NULL };

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
		validation_fail_text(v, pointer, text ? text : "");
		free(text);
	}
}

void report_templates_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_report_templates_list(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void report_template_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_report_template_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

/* The template to store {code, title, fields (normalized)} as text, or
 * NULL with the call answered. */
static char *template_text_or_answer(struct call *c)
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
	if (!api_valid_or_answer(c, &v)) {
		json_decref(fields);
		return NULL;
	}
	json_t *doc = json_pack("{s:s, s:s, s:o}", "code", code, "title", title, "fields", fields);
	char *text = json_dumps(doc, REPORT_JSON_FLAGS);
	json_decref(doc);
	if (!text)
		call_problem(c, problem_internal());
	return text;
}

void report_template_create(struct call *c)
{
	struct writer w;
	struct write_result r;
	char *text = template_text_or_answer(c);
	if (text && api_writer_or_answer(c, &w)) {
		store_report_template_create(&w, text, &r);
		api_answer_write(c, &r, "/v1/report-templates");
	}
	free(text);
}

void report_periods_list(struct call *c)
{
	long limit;
	int64_t after;
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 20, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_report_periods_list(db, c->who.org_id, after, limit, &json);
	api_answer_page(c, st, json, NULL);
}

void report_period_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_report_period_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void report_period_close(struct call *c)
{
	int64_t id;
	int version;
	struct writer w;
	struct write_result r;
	if (api_path_id_or_answer(c, "id", &id) && api_if_match_or_answer(c, &version) &&
	    api_writer_or_answer(c, &w)) {
		store_report_period_close(&w, id, version, &r);
		api_answer_write(c, &r, NULL);
	}
}

/* The validated period as text for the store, or NULL answered. */
static char *period_text_or_answer(struct call *c)
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
	/* YYYY-MM-DD compares as text */
	if (*start && *end && strcmp(end, start) < 0)
		validation_fail(&v, "ends_on", "must not be before starts_on");
	if (field_id_array(&v, "unit_ids", true, 1000) &&
	    json_array_size(json_object_get(c->body, "unit_ids")) == 0)
		validation_fail(&v, "unit_ids", "must name at least one unit");
	if (!api_valid_or_answer(c, &v))
		return NULL;
	return api_json_text_or_answer(c, c->body);
}

void report_period_create(struct call *c)
{
	struct writer w;
	struct write_result r;
	char *text = period_text_or_answer(c);
	if (text && api_writer_or_answer(c, &w)) {
		store_report_period_create(&w, text, &r);
		api_answer_write(c, &r, "/v1/report-periods");
	}
	free(text);
}
