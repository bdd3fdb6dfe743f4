/*
 * plans.c — emulation plans (kế hoạch thi đua) and their targets.
 *
 * GET/POST /v1/plans, GET/PATCH /v1/plans/{id}, POST /v1/plans/{id}/issue,
 * /close, /amend, GET /v1/plans/{id}/history.  A plan is drafted by the
 * Office, issued (ban hành) by the head of the agency, and then never
 * edited: an amendment is a new version of the same series.  Progress is in
 * progress.c.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/plan_body.h"
#include "api/reply.h"
#include "http/validate.h"

void plans_list(struct call *c)
{
	static const char *const statuses[] = { "draft", "issued", "superseded", "closed", NULL };
	struct plan_filter f = { 0 };
	int year;
	if (!api_limit_or_answer(c, 20, &f.limit) || !api_year_or_answer(c, &year) ||
	    !api_cursor_or_answer(c, &f.after_id))
		return;
	f.year = year;
	f.status = call_query(c, "status");
	bool known = !f.status;
	for (size_t i = 0; f.status && statuses[i]; i++)
		known |= strcmp(f.status, statuses[i]) == 0;
	if (!known) {
		struct problem *p = problem_new(P_BAD_REQUEST, "Invalid status filter.");
		problem_add_error(p, "/query/status",
				  "must be draft, issued, superseded or closed");
		call_problem(c, p);
		return;
	}
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_plans_list(db, c->who.org_id, &f, &json);
	api_answer_page(c, st, json, NULL);
}

void plan_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_plan_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void plan_history(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_plan_history(db, c->who.org_id, id, &json);
	api_answer_read(c, st, json);
}

/* The validated plan document as text for the store, or NULL answered. */
static char *plan_fields_or_answer(struct call *c, bool partial)
{
	struct problem *p = plan_body_problem(c->body, partial);
	if (p) {
		call_problem(c, p);
		return NULL;
	}
	return api_json_text_or_answer(c, c->body);
}

void plan_create(struct call *c)
{
	struct writer w;
	struct write_result r;
	char *fields = plan_fields_or_answer(c, false);
	if (fields && api_writer_or_answer(c, &w)) {
		store_plan_create(&w, fields, &r);
		api_answer_write(c, &r, "/v1/plans");
	}
	free(fields);
}

void plan_patch(struct call *c)
{
	int64_t id;
	int version;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	char *fields = plan_fields_or_answer(c, true);
	if (fields && api_writer_or_answer(c, &w)) {
		store_plan_update(&w, id, version, fields, &r);
		api_answer_write(c, &r, NULL);
	}
	free(fields);
}

/* issue and close: If-Match; issue takes an optional {number, issued_on}. */
static void plan_transition(struct call *c, const char *step)
{
	static const char *const issue_fields[] = { "number", "issued_on", NULL };
	static const char *const no_fields[] = { NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	json_t *empty = json_object();
	const json_t *body = c->body ? c->body : empty;
	struct validation v;
	validation_begin(&v, body, strcmp(step, "issue") == 0 ? issue_fields : no_fields);
	const char *s;
	char text[11];
	struct civil_date d;
	if (field_has(&v, "number"))
		field_string(&v, "number", true, 1, 20, &s);
	if (field_has(&v, "issued_on"))
		field_date(&v, "issued_on", true, &d, text);
	char *fields = json_dumps(body, JSON_COMPACT);
	json_decref(empty);
	struct writer w;
	struct write_result r;
	if (api_valid_or_answer(c, &v) && api_writer_or_answer(c, &w)) {
		store_plan_step(&w, id, version, step, fields, &r);
		api_answer_write(c, &r, NULL);
	}
	free(fields);
}

void plan_issue(struct call *c)
{
	plan_transition(c, "issue");
}

void plan_close(struct call *c)
{
	plan_transition(c, "close");
}

/* POST /v1/plans/{id}/reopen {reason}: If-Match; a closed plan issued
 * again, its frozen results dropped, the reason kept on the plan. */
void plan_reopen(struct call *c)
{
	int64_t id;
	int version;
	const char *reason;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version) ||
	    !api_step_reason_or_answer(c, true, &reason))
		return;
	char *fields = api_json_text_or_answer(c, c->body);
	struct writer w;
	struct write_result r;
	if (fields && api_writer_or_answer(c, &w)) {
		store_plan_step(&w, id, version, "reopen", fields, &r);
		api_answer_write(c, &r, NULL);
	}
	free(fields);
}

void plan_amend(struct call *c)
{
	int64_t id;
	struct writer w;
	struct write_result r;
	if (api_path_id_or_answer(c, "id", &id) && api_writer_or_answer(c, &w)) {
		store_plan_amend(&w, id, &r);
		api_answer_write(c, &r, "/v1/plans");
	}
}
