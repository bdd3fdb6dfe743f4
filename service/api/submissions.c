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
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "api/reports.h"
#include "cache/page_cache.h"
#include "store/reports.h"

/* The fields of the template of a period (of_submission false) or of a
 * submission's period, as a new reference; NULL with the call answered
 * (404, 5xx). */
static json_t *template_fields_or_answer(struct call *c, struct db *db, bool of_submission,
					 int64_t id)
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
			api_answer_db_failure(c, st, "template fields");
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

/* {answers (checked), submit, unit_id when given} as text to store, or
 * NULL with v failed (or out of memory). */
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

/* The checked body (see checked_answers), or NULL with the call answered:
 * its validation failed, or the text could not be made. */
static char *answers_or_answer(struct call *c, struct validation *v, const json_t *fields,
			       int64_t unit)
{
	char *text = checked_answers(v, fields, c->body, unit);
	if (!api_valid_or_answer(c, v)) {
		free(text);
		return NULL;
	}
	if (!text)
		call_problem(c, problem_internal());
	return text;
}

/* Idempotency-Key: 1 to 255 visible ASCII characters, or absent (NULL). */
static bool idempotency_key_or_answer(struct call *c, const char **key)
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
static void request_hash(const struct call *c, unsigned char hash[SUBMISSION_HASH_LEN])
{
	_Static_assert(SUBMISSION_HASH_LEN == crypto_hash_sha256_BYTES, "a SHA-256");
	size_t len;
	const void *body = call_body(c, &len);
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)c->path, strlen(c->path) + 1);
	crypto_hash_sha256_update(&st, body, len);
	crypto_hash_sha256_final(&st, hash);
}

void submission_create(struct call *c)
{
	static const char *const members[] = { "unit_id", "answers", "submit", NULL };
	int64_t period, unit = 0;
	struct submission_key k;
	if (!api_path_id_or_answer(c, "id", &period) || !idempotency_key_or_answer(c, &k.key))
		return;
	struct validation v;
	validation_begin(&v, c->body, members);
	field_id(&v, "unit_id", true, &unit);
	struct writer w;
	json_t *fields = api_writer_or_answer(c, &w)
				 ? template_fields_or_answer(c, w.db, false, period)
				 : NULL;
	char *text = fields ? answers_or_answer(c, &v, fields, unit) : NULL;
	if (!fields)
		problem_free(validation_end(&v)); /* the call answered 404 or 5xx */
	if (text) {
		struct write_result r;
		struct reg_scope scope = api_reg_scope(c);
		request_hash(c, k.hash);
		store_submission_create(&w, &k, period, scope.unit, text, &r);
		api_answer_write(c, &r, "/v1/submissions");
	}
	free(text);
	json_decref(fields);
}

void submissions_list(struct call *c)
{
	int64_t period;
	struct db *db;
	char *json = NULL;
	struct reg_scope scope = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &period) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_submissions_list(db, c->who.org_id, period, scope.unit, &json);
	api_answer_read(c, st, json);
}

void submission_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	struct reg_scope scope = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_submission_get(db, c->who.org_id, id, scope.unit, &json);
	api_answer_document(c, st, json);
}

void submission_versions(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	struct reg_scope scope = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_submission_versions(db, c->who.org_id, id, scope.unit, &json);
	api_answer_read(c, st, json);
}

void submission_put(struct call *c)
{
	static const char *const members[] = { "answers", "submit", NULL };
	int64_t id;
	int version;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version) ||
	    !api_writer_or_answer(c, &w))
		return;
	struct validation v;
	validation_begin(&v, c->body, members);
	json_t *fields = template_fields_or_answer(c, w.db, true, id);
	char *text = fields ? answers_or_answer(c, &v, fields, 0) : NULL;
	if (!fields)
		problem_free(validation_end(&v)); /* the call answered 404 or 5xx */
	if (text) {
		struct write_result r;
		struct reg_scope scope = api_reg_scope(c);
		store_submission_change(&w, id, version, scope.unit, "update", text, NULL, &r);
		api_answer_write(c, &r, NULL);
	}
	free(text);
	json_decref(fields);
}

/* Before a submission goes in, its stored answers must be complete; false
 * with the call answered (404, 422, 5xx).  A stale version passes: the
 * step itself answers 412. */
static bool answers_complete_or_answer(struct call *c, struct db *db, int64_t id, int version,
				       int64_t unit)
{
	char *json = NULL;
	enum db_status st = store_submission_get(db, c->who.org_id, id, unit, &json);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "submission read");
		return false;
	}
	json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
	free(json);
	json_t *fields = doc ? template_fields_or_answer(c, db, true, id) : NULL;
	bool ok = false;
	if (!doc) {
		call_problem(c, problem_not_found());
	} else if (json_integer_value(json_object_get(doc, "version")) != version) {
		ok = true;
	} else if (fields) {
		struct report_errors err = { 0 };
		json_t *checked =
			report_answers_check(fields, json_object_get(doc, "answers"), true, &err);
		struct validation v = { NULL, NULL, false };
		if (!checked)
			api_report_errors(&v, &err, "answers");
		ok = api_valid_or_answer(c, &v);
		json_decref(checked);
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
	struct writer w;
	struct reg_scope scope = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version) ||
	    !api_step_reason_or_answer(c, strcmp(step, "return") == 0, &reason) ||
	    !api_writer_or_answer(c, &w))
		return;
	if (strcmp(step, "submit") == 0 &&
	    !answers_complete_or_answer(c, w.db, id, version, scope.unit))
		return;
	struct write_result r;
	store_submission_change(&w, id, version, scope.unit, step, NULL, reason, &r);
	api_answer_write(c, &r, NULL);
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
