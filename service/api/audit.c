/*
 * audit.c — GET /v1/audit (entries, newest first, keyset pages) and
 * GET /v1/audit/verify (recompute the organisation's hash chain).
 */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

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

/* The reason of a break is a value of an enum of the contract
 * (AuditVerification.reason), answered as the store reads it. */
void audit_verify(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_audit_verify(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}
