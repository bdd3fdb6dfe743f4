/*
 * records.c — what the handlers of the record resources share (catalogue.c,
 * movements.c, sessions.c, results.c): dated pages, refused writes, and the
 * plain create that validates, stores and answers.
 *
 * Dated lists (movements, sessions) are ordered newest first by a date and
 * then by id; their cursor is the last row's "YYYY-MM-DD.id", which stays
 * URL-safe inside the Link header without encoding.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

/* Parses "YYYY-MM-DD.id" into date and *id; false when it is not one. */
static bool dated_cursor_parse(const char *v, char date[11], int64_t *id)
{
	struct civil_date d;
	if (strlen(v) < 12 || v[10] != '.')
		return false;
	memcpy(date, v, 10);
	date[10] = '\0';
	const char *digits = v + 11;
	char *end;
	errno = 0;
	long long n = strtoll(digits, &end, 10);
	if (!civil_date_parse(date, &d) || errno || *end || n <= 0 ||
	    strspn(digits, "0123456789") != strlen(digits))
		return false;
	*id = n;
	return true;
}

bool api_dated_page(struct call *c, struct dated_page *pg, char date[11])
{
	struct problem *p = NULL;
	long plan = 0;
	*pg = (struct dated_page){ .after_date = "infinity" };
	if (!query_int(c, "limit", 1, 100, 20, &pg->limit, &p) ||
	    !query_int(c, "plan_id", 1, LONG_MAX, 0, &plan, &p)) {
		call_problem(c, p);
		return false;
	}
	pg->plan_id = plan;
	const char *cursor = u_map_get(c->req->map_url, "cursor");
	if (cursor) {
		if (!dated_cursor_parse(cursor, date, &pg->after_id)) {
			p = problem_new(P_BAD_REQUEST, "Invalid cursor.");
			problem_add_error(p, "/query/cursor",
					  "use next_cursor from the previous page");
			call_problem(c, p);
			return false;
		}
		pg->after_date = date;
	}
	return true;
}

void api_refused(struct call *c, const char *pointer, const char *detail)
{
	struct problem *p = problem_new(P_VALIDATION, "Some fields are missing or invalid; see errors.");
	problem_add_error(p, pointer, "%s", detail);
	call_problem(c, p);
}


void api_create(struct call *c, record_create_fn create, const struct write_answer *w)
{
	char *fields = json_dumps(c->body, JSON_COMPACT);
	struct db *db = fields ? api_db(c) : NULL;
	if (!db) {
		if (!fields)
			call_problem(c, problem_internal());
		free(fields);
		return;
	}
	struct actor a;
	legacy_actor(c, &a);
	char *json = NULL;
	enum db_status st = create(db, &a, fields, &json);
	free(fields);
	if (st == DB_OK && json && !w->collection)
		api_send_json_text(c, 201, json); /* a record with no route of its own */
	else
		legacy_answer_write(c, db, st, json, 0, w);
	api_release(c, db);
}
