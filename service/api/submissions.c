/*
 * submissions.c — what units and machines report for a period.
 *
 * POST /v1/report-periods/{id}/submissions (Idempotency-Key),
 * GET /v1/report-periods/{id}/submissions, GET/PUT /v1/submissions/{id},
 * POST /v1/submissions/{id}/submit, /accept, /return,
 * GET /v1/submissions/{id}/versions.
 * Answers are checked against the template the period was opened with
 * (domain/report_template.h).  A unit head reports for the units of their
 * subtree, a machine client with reports:write for any unit of the period.
 * Late submissions are marked late, never refused.  Every change keeps the
 * previous version.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "domain/report_template.h"
#include "http/validate.h"
#include "cache/page_cache.h"
#include "store/reports.h"

/* The fields (new reference), or NULL with the call answered (404, 5xx). */
static json_t *template_fields(struct call *c, struct db *db, bool of_submission, int64_t id)
{
	/* template fields of a period, and of a submission's period, never
	 * change: they are cached without a revision */
	struct page_cache *fields_cache = c->app->caches.template_fields;
	char key[64], *text = NULL, *none = NULL;
	snprintf(key, sizeof key, "%c/%lld/%lld", of_submission ? 's' : 'p',
		 (long long)c->who.org_id, (long long)id);
	if (!fields_cache || !page_cache_get(fields_cache, key, 0, &text, &none)) {
		enum db_status st = of_submission
					    ? store_submission_fields(db, c->who.org_id, id, &text)
					    : store_period_fields(db, c->who.org_id, id, &text);
		if (st != DB_OK) {
			api_fail_db(c, db, st, "template fields");
			return NULL;
		}
		if (text && fields_cache)
			page_cache_put(fields_cache, key, 0, text, NULL);
	}
	json_t *fields = text ? json_loads(text, 0, NULL) : NULL;
	if (!text)
		call_problem(c, problem_not_found());
	else if (!fields)
		call_problem(c, problem_internal());
	free(text);
	return fields;
}

/* {answers (checked), submit} as text to store, or NULL with v failed. */
static char *checked_answers(struct validation *v, const json_t *fields, const json_t *body,
			     int64_t unit)
{
	bool submit = false;
	if (field_has(v, "submit"))
		field_bool(v, "submit", true, &submit);
	struct report_errors err = { 0 };
	json_t *answers = NULL;
	if (!field_has(v, "answers"))
		validation_fail(v, "answers", "is required");
	else if (!(answers = report_answers_check(fields, json_object_get(body, "answers"), submit,
						  &err)))
		api_report_errors(v, &err, "answers");
	if (v->p || !answers) {
		json_decref(answers);
		return NULL;
	}
	json_t *doc = json_pack("{s:o, s:b}", "answers", answers, "submit", submit);
	if (unit)
		json_object_set_new(doc, "unit_id", json_integer(unit));
	char *text = json_dumps(doc, REPORT_JSON_FLAGS);
	json_decref(doc);
	return text;
}

/* The 409s, 422s and replays of a creation that api_answer_step does not know. */
static bool answer_special(struct call *c, struct step_outcome *o)
{
	const char *out = o->outcome ? o->outcome : "";
	if (strcmp(out, "replay") == 0) {
		if (o->detail)
			call_set_header(c, "Location", o->detail);
		call_set_header(c, "Idempotent-Replayed", "true");
		api_send_versioned(c, o->current, o->body);
		o->body = NULL;
	} else if (strcmp(out, "submission-exists") == 0) {
		struct problem *p = problem_new(P_SUBMISSION_EXISTS, "This unit already has a submission for the period (version %d); change it "
			"with PUT /v1/submissions/%s.",
			o->current, o->detail ? o->detail : "?");
		problem_set_member(p, "submission_id",
				   json_integer(o->detail ? strtoll(o->detail, NULL, 10) : 0));
		problem_set_member(p, "current_version", json_integer(o->current));
		call_problem(c, p);
	} else if (strcmp(out, "idempotency-key-reused") == 0) {
		struct problem *p = problem_new(P_IDEMPOTENCY_KEY_REUSED, "%s", o->detail);
		problem_add_error(p, "/header/Idempotency-Key", "was used with another body");
		call_problem(c, p);
	} else {
		return false;
	}
	step_outcome_clear(o);
	return true;
}

/* Idempotency-Key: 1 to 255 visible ASCII characters, or absent. */
static bool read_key(struct call *c, const char **key)
{
	*key = call_req_header(c, "Idempotency-Key");
	size_t n = *key ? strlen(*key) : 0;
	bool ok = !*key || (n >= 1 && n <= 255);
	for (size_t i = 0; ok && i < n; i++)
		ok = (*key)[i] > 0x20 && (*key)[i] < 0x7f;
	if (!ok)
		call_problem(c, problem_bad_request("/header/Idempotency-Key",
						    "Use 1 to 255 visible ASCII characters."));
	return ok;
}

/* SHA-256 of what makes two requests "the same": path and body bytes. */
static void request_hash(struct call *c, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)c->path, strlen(c->path) + 1);
	crypto_hash_sha256_update(&st, c->req->binary_body, c->req->binary_body_length);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

static const struct write_answer created = { "/v1/submissions", "submission", "submission create",
					     NULL };
static const struct write_answer changed = { NULL, "submission", "submission change", NULL };

void submission_create(struct call *c)
{
	static const char *const members[] = { "unit_id", "answers", "submit", NULL };
	int64_t period, unit = 0;
	const char *key;
	if (!api_path_id(c, "id", &period) || !read_key(c, &key))
		return;
	struct validation v;
	validation_begin(&v, c->body, members);
	field_id(&v, "unit_id", true, &unit);
	struct db *db = api_db(c);
	if (!db) {
		problem_free(validation_end(&v));
		return;
	}
	json_t *fields = template_fields(c, db, false, period);
	char *text = fields ? checked_answers(&v, fields, c->body, unit) : NULL;
	if (!fields) {
		problem_free(validation_end(&v));
	} else if (api_valid(c, &v)) {
		struct actor a;
		legacy_actor(c, &a);
		char today[11], hash[2 * crypto_hash_sha256_BYTES + 1];
		legacy_today(today);
		request_hash(c, hash);
		struct reg_scope scope = api_reg_scope(c);
		struct step_outcome o;
		enum db_status st = store_submission_create(db, &a, key, hash, period, scope.unit,
							    text, today, &o);
		if (st != DB_OK || !answer_special(c, &o))
			api_answer_step(c, db, st, &o, &created);
	}
	free(text);
	json_decref(fields);
	api_release(c, db);
}

void submissions_list(struct call *c)
{
	int64_t period;
	if (!api_path_id(c, "id", &period))
		return;
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_submissions_list(db, c->who.org_id, period, scope.unit, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "submissions list");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

/* GET /v1/submissions/{id} and its versions. */
static void submission_read(struct call *c, bool versions)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st =
		versions ? store_submission_versions(db, c->who.org_id, id, scope.unit, &json)
			 : store_submission_get(db, c->who.org_id, id, scope.unit, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "submission read");
	else if (versions)
		api_send_json_text(c, 200, json);
	else
		api_send_versioned(c, 200, json);
	api_release(c, db);
}

void submission_get(struct call *c)
{
	submission_read(c, false);
}

void submission_versions(struct call *c)
{
	submission_read(c, true);
}

void submission_put(struct call *c)
{
	static const char *const members[] = { "answers", "submit", NULL };
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct validation v;
	validation_begin(&v, c->body, members);
	json_t *fields = template_fields(c, db, true, id);
	char *text = fields ? checked_answers(&v, fields, c->body, 0) : NULL;
	if (!fields) {
		problem_free(validation_end(&v));
	} else if (api_valid(c, &v)) {
		struct actor a;
		legacy_actor(c, &a);
		char today[11];
		legacy_today(today);
		struct reg_scope scope = api_reg_scope(c);
		struct step_outcome o;
		enum db_status st = store_submission_change(db, &a, id, version, scope.unit,
							    "update", text, NULL, today, &o);
		api_answer_step(c, db, st, &o, &changed);
	}
	free(text);
	json_decref(fields);
	api_release(c, db);
}

/* Before a submission goes in, its stored answers must be complete. */
static bool answers_complete(struct call *c, struct db *db, int64_t id, int version, int64_t unit)
{
	char *json = NULL;
	enum db_status st = store_submission_get(db, c->who.org_id, id, unit, &json);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "submission read");
		return false;
	}
	json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
	free(json);
	json_t *fields = doc ? template_fields(c, db, true, id) : NULL;
	bool ok = false;
	if (!doc) {
		call_problem(c, problem_not_found());
	} else if (json_integer_value(json_object_get(doc, "version")) != version) {
		ok = true; /* the step itself answers 412 */
	} else if (fields) {
		struct report_errors err = { 0 };
		json_t *checked =
			report_answers_check(fields, json_object_get(doc, "answers"), true, &err);
		ok = checked != NULL;
		json_decref(checked);
		if (!ok) {
			struct validation v = { NULL, NULL, false };
			api_report_errors(&v, &err, "answers");
			call_problem(c, validation_end(&v));
		}
	}
	json_decref(fields);
	json_decref(doc);
	return ok;
}

static void submission_step(struct call *c, const char *step)
{
	int64_t id;
	int version;
	const char *reason;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version) ||
	    !api_step_reason(c, strcmp(step, "return") == 0, &reason))
		return;
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (db &&
	    (strcmp(step, "submit") != 0 || answers_complete(c, db, id, version, scope.unit))) {
		struct actor a;
		legacy_actor(c, &a);
		char today[11];
		legacy_today(today);
		struct step_outcome o;
		enum db_status st = store_submission_change(db, &a, id, version, scope.unit, step,
							    NULL, reason, today, &o);
		api_answer_step(c, db, st, &o, &changed);
	}
	if (db)
		api_release(c, db);
}

void submission_submit(struct call *c)
{
	submission_step(c, "submit");
}

void submission_accept(struct call *c)
{
	submission_step(c, "accept");
}

void submission_return(struct call *c)
{
	submission_step(c, "return");
}
