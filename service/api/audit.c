/*
 * audit.c — GET /v1/audit (entries, newest first, keyset pages) and
 * GET /v1/audit/verify (recompute the organisation's hash chain; a broken
 * one is also counted and logged for the operators, jobs/audit_watch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "jobs/audit_watch.h"

/* ?name= of at most 100 characters of UTF-8, or absent (*out NULL). */
static bool short_filter_or_answer(struct call *c, const char *name, const char **out)
{
	*out = call_query(c, name);
	if (!*out || (strlen(*out) <= 100 && utf8_chars(*out) != SIZE_MAX))
		return true;
	char ptr[64];
	snprintf(ptr, sizeof ptr, "/query/%s", name);
	struct problem *p = problem_new(P_BAD_REQUEST, "Invalid filter.");
	problem_add_error(p, ptr, "at most 100 characters of UTF-8 text");
	call_problem(c, p);
	return false;
}

void audit_list(struct call *c)
{
	struct audit_filter f = { .org_id = c->who.org_id };
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 20, &f.limit) || !api_cursor_or_answer(c, &f.before_id) ||
	    !short_filter_or_answer(c, "entity_type", &f.entity_type) ||
	    !short_filter_or_answer(c, "entity_id", &f.entity_id) ||
	    !short_filter_or_answer(c, "action", &f.action) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_audit_list(db, &f, &json);
	api_answer_page(c, st, json, NULL);
}

/* The reasons a chain breaks (AuditVerification.reason): values of an enum
 * of the contract that clients switch on, and, as msgids, the sentences of
 * `explanation`. */
static const char *const break_reasons[] = {
	N_("content does not match its hash"),
	N_("does not link to the previous entry"),
	N_("sequence has a gap before it"),
	N_("entries after this point are missing"),
};

/* The verification as the store made it, with `explanation`: the reason in
 * the caller's language (null when the chain is intact).  New text, or
 * NULL when doc is not JSON.  A broken chain is counted and logged. */
static char *explained_new(const struct call *c, const char *json)
{
	json_t *doc = json_loads(json, 0, NULL);
	struct audit_verdict v;
	if (store_audit_verdict_read(doc, &v) && !v.ok)
		audit_watch_broken(AUDIT_WATCH_REQUEST, c->who.org_id, &v, c->request_id);
	const char *reason = json_string_value(json_object_get(doc, "reason"));
	const char *sentence = NULL;
	for (size_t i = 0; reason && i < sizeof break_reasons / sizeof break_reasons[0]; i++)
		if (strcmp(reason, break_reasons[i]) == 0)
			sentence = _(break_reasons[i]);
	json_object_set_new(doc, "explanation", sentence ? json_string(sentence) : json_null());
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	return text;
}

void audit_verify(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_audit_verify(db, c->who.org_id, &json);
	if (st == DB_OK && json) {
		char *explained = explained_new(c, json);
		free(json);
		json = explained;
		if (!json) {
			call_problem(c, problem_internal());
			return;
		}
		call_language_headers(c);
	}
	api_answer_read(c, st, json);
}
