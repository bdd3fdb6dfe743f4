/*
 * plans.c — emulation plans (kế hoạch thi đua) and their targets.
 *
 * GET/POST /v1/plans, GET/PATCH /v1/plans/{id}, POST /v1/plans/{id}/issue,
 * /close, /amend, GET /v1/plans/{id}/history.  A plan is drafted by the
 * Office, issued (ban hành) by the head of the agency, and then never
 * edited: an amendment is a new version of the same series.  Progress is in
 * progress.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/plan_body.h"
#include "http/validate.h"

static void annotate_plan(struct db *db, struct problem *p)
{
	const char *k = db_last_constraint(db);
	if (strcmp(k, "plans_cited_documents") == 0)
		problem_add_error(p, "/cited_document_ids",
				  "no such document in your organisation");
	else if (strcmp(k, "plan_targets_documents") == 0)
		problem_add_error(p, "/targets",
				  "a target names a document that does not exist "
				  "in your organisation");
	else if (strcmp(k, "plans_period") == 0)
		problem_add_error(p, "/period_end", "must not be before period_start");
	else if (strcmp(k, "plans_one_draft") == 0)
		problem_add_error(p, "", "an amendment of this plan is already in draft");
}

static const struct write_answer plan_written = { NULL, "plan", "plan write", annotate_plan };
static const struct write_answer plan_created = { "/v1/plans", "plan", "plan create",
						  annotate_plan };

void plans_list(struct call *c)
{
	static const char *const statuses[] = { "draft", "issued", "superseded", "closed", NULL };
	struct plan_filter f = { 0 };
	struct problem *p = NULL;
	long year = 0;
	if (!query_int(c, "limit", 1, 100, 20, &f.limit, &p) ||
	    !query_int(c, "year", 2000, 2100, 0, &year, &p) || !api_cursor(c, &f.after_id, &p)) {
		call_problem(c, p);
		return;
	}
	f.year = year;
	f.status = u_map_get(c->req->map_url, "status");
	bool known = !f.status;
	for (size_t i = 0; f.status && statuses[i]; i++)
		known |= strcmp(f.status, statuses[i]) == 0;
	if (!known) {
		p = problem_new(P_BAD_REQUEST, "Invalid status filter.");
		problem_add_error(p, "/query/status",
				  "must be draft, issued, superseded or closed");
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_plans_list(db, c->who.org_id, &f, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "plans list");
	else
		api_send_page(c, json);
	api_release(c, db);
}

void plan_get(struct call *c)
{
	api_read_item(c, store_plan_get, "plan");
}

void plan_history(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_plan_history(db, c->who.org_id, id, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "plan history");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

void plan_create(struct call *c)
{
	struct problem *p = plan_body_problem(c->body, false);
	if (p) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	struct step_outcome o;
	enum db_status st = store_plan_create(db, &a, fields, &o);
	free(fields);
	api_answer_step(c, db, st, &o, &plan_created);
	api_release(c, db);
}

void plan_patch(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct problem *p = plan_body_problem(c->body, true);
	if (p) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	struct step_outcome o;
	enum db_status st = store_plan_update(db, &a, id, version, fields, &o);
	free(fields);
	api_answer_step(c, db, st, &o, &plan_written);
	api_release(c, db);
}

/* issue and close: If-Match; issue takes an optional {number, issued_on}. */
static void plan_transition(struct call *c, const char *step)
{
	static const char *const issue_fields[] = { "number", "issued_on", NULL };
	static const char *const no_fields[] = { NULL };
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
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
	struct db *db = api_valid(c, &v) ? api_db(c) : NULL;
	if (db) {
		struct actor a;
		legacy_actor(c, &a);
		char today[11];
		legacy_today(today);
		struct step_outcome o;
		enum db_status st = store_plan_step(db, &a, id, version, step, fields, today, &o);
		api_answer_step(c, db, st, &o, &plan_written);
		api_release(c, db);
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

void plan_amend(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	struct step_outcome o;
	enum db_status st = store_plan_amend(db, &a, id, &o);
	api_answer_step(c, db, st, &o, &plan_created);
	api_release(c, db);
}
