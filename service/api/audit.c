/*
 * audit.c — GET /v1/audit (entries, newest first, keyset pages) and
 * GET /v1/audit/verify (recompute the organisation's hash chain).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

static bool short_filter(struct call *c, const char *name, const char **out, struct problem **p)
{
	*out = u_map_get(c->req->map_url, name);
	if (*out && (strlen(*out) > 100 || utf8_chars(*out) == SIZE_MAX)) {
		char ptr[64];
		snprintf(ptr, sizeof ptr, "/query/%s", name);
		*p = problem_new(P_BAD_REQUEST, "Invalid filter.");
		problem_add_error(*p, ptr, "at most 100 characters of UTF-8 text");
		return false;
	}
	return true;
}

void audit_list(struct call *c)
{
	struct audit_filter f = { .org_id = c->who.org_id };
	struct problem *p = NULL;
	if (!query_int(c, "limit", 1, 100, 20, &f.limit, &p) || !api_cursor(c, &f.before_id, &p) ||
	    !short_filter(c, "entity_type", &f.entity_type, &p) ||
	    !short_filter(c, "entity_id", &f.entity_id, &p) ||
	    !short_filter(c, "action", &f.action, &p)) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_audit_list(db, &f, &json);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "audit list");
	} else {
		api_send_page(c, json);
	}
	api_release(c, db);
}

void audit_verify(struct call *c)
{
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_audit_verify(db, c->who.org_id, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "audit verify");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}
