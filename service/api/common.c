/*
 * common.c — answers shared by every resource.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "http/log.h"
#include "http/validate.h"

struct problem *problem_from_db(enum db_status st)
{
	switch (st) {
	case DB_UNAVAILABLE:
		return problem_unavailable("The database cannot be reached; try again shortly.", 2);
	case DB_BUSY:
		return problem_unavailable("The service is busy; try again shortly.", 1);
	case DB_TIMEOUT:
		return problem_unavailable("The database took too long to answer; try again.", 2);
	case DB_CONFLICT:
		return problem_unavailable(
			N_("Concurrent changes kept colliding with this one; try again shortly."), 1);
	case DB_OK:
	case DB_ERROR:
		break;
	}
	return problem_internal();
}

struct db *api_db(struct call *c)
{
	enum db_status st;
	struct db *db = pool_acquire(c->app->pool, &st);
	if (!db)
		call_problem(c, problem_from_db(st));
	return db;
}

void api_release(struct call *c, struct db *db)
{
	pool_release(c->app->pool, db);
}

void legacy_actor(const struct call *c, struct actor *a)
{
	a->org_id = c->who.org_id;
	a->type = c->who.kind == CALLER_CLIENT ? "client" : "user";
	/* "user:12" → "12"; a single sign-on user keeps "sso:<sub>" */
	const char *colon = strchr(c->who.subject, ':');
	bool local = c->who.kind == CALLER_CLIENT || c->who.user_id > 0;
	a->id = colon && local ? colon + 1 : c->who.subject;
	a->request_id = c->request_id;
}

void api_send_json_text(struct call *c, int status, char *text)
{
	if (!text) {
		call_problem(c, problem_not_found());
		return;
	}
	call_take(c, status, "application/json", text, strlen(text));
}

void api_fail_db(struct call *c, struct db *db, enum db_status st, const char *what)
{
	if (st == DB_ERROR)
		log_event(LOG_ERROR, "database error",
			  json_pack("{s:s, s:s, s:s, s:s}", "what", what, "sqlstate",
				    db_last_sqlstate(db), "detail", db_last_error(db), "request_id",
				    c->request_id));
	call_problem(c, problem_from_db(st));
}


bool api_path_id(struct call *c, const char *name, int64_t *id)
{
	const char *v = path_param(&c->params, name);
	char *end;
	long long n = v ? strtoll(v, &end, 10) : 0;
	if (!v || *end || n <= 0 || strspn(v, "0123456789") != strlen(v)) {
		/* an id that cannot exist names nothing */
		call_problem(c, problem_not_found());
		return false;
	}
	*id = n;
	return true;
}

bool api_if_match(struct call *c, int *version)
{
	const char *h = call_req_header(c, "If-Match");
	if (!h) {
		call_problem(c,
			     problem_new(P_PRECONDITION_REQUIRED, "Send If-Match with the ETag of the version you change."));
		return false;
	}
	/* exactly "N": a strong tag of our version, nothing before or after */
	size_t len = strlen(h);
	size_t digits = len >= 3 ? strspn(h + 1, "0123456789") : 0;
	int n = digits >= 1 && digits <= 9 && h[0] == '"' && h[1] != '0' && digits + 2 == len &&
				h[len - 1] == '"'
			? atoi(h + 1)
			: 0;
	if (n <= 0) {
		call_problem(c, problem_new(P_PRECONDITION_FAILED, "If-Match does not name a version of this resource."));
		return false;
	}
	*version = n;
	return true;
}

void api_send_with_etag(struct call *c, int status, char *text, int version)
{
	if (text && version > 0) {
		char etag[32];
		snprintf(etag, sizeof etag, "\"%d\"", version);
		call_set_header(c, "ETag", etag);
	}
	api_send_json_text(c, status, text);
}

void api_send_versioned(struct call *c, int status, char *text)
{
	if (!text) {
		call_problem(c, problem_not_found());
		return;
	}
	json_t *doc = json_loads(text, 0, NULL);
	json_t *v = json_object_get(doc, "version");
	if (json_is_integer(v)) {
		char etag[32];
		snprintf(etag, sizeof etag, "\"%lld\"", (long long)json_integer_value(v));
		call_set_header(c, "ETag", etag);
	}
	json_decref(doc);
	api_send_json_text(c, status, text);
}

json_t *api_key_cursor_new(struct call *c, struct problem **p)
{
	const char *v = u_map_get(c->req->map_url, "cursor");
	if (!v)
		return json_pack("[s, s, i]", "", "", 0);
	unsigned char raw[1024];
	size_t len = 0;
	json_t *key = NULL;
	if (strlen(v) < 1400 &&
	    sodium_base642bin(raw, sizeof raw - 1, v, strlen(v), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0)
		key = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(key) || json_array_size(key) != 3 ||
	    !json_is_string(json_array_get(key, 0)) || !json_is_string(json_array_get(key, 1)) ||
	    !json_is_integer(json_array_get(key, 2))) {
		json_decref(key);
		*p = problem_new(P_BAD_REQUEST, "Invalid cursor.");
		problem_add_error(*p, "/query/cursor", "use next_cursor from the previous page");
		return NULL;
	}
	return key;
}

void api_send_created(struct call *c, char *text, const char *collection)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	json_t *id = json_object_get(doc, "id");
	if (json_is_integer(id) && *collection) {
		char loc[160];
		snprintf(loc, sizeof loc, "%s/%lld", collection, (long long)json_integer_value(id));
		call_set_header(c, "Location", loc);
	}
	json_decref(doc);
	api_send_versioned(c, 201, text);
}

bool api_cursor(struct call *c, int64_t *after, struct problem **p)
{
	*after = 0;
	const char *v = u_map_get(c->req->map_url, "cursor");
	if (!v)
		return true;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || n <= 0) {
		*p = problem_new(P_BAD_REQUEST, "Invalid cursor.");
		problem_add_error(*p, "/query/cursor", "use next_cursor from the previous page");
		return false;
	}
	*after = n;
	return true;
}

void api_send_page(struct call *c, char *text)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	api_send_page_cursor(c, text, json_string_value(json_object_get(doc, "next_cursor")));
	json_decref(doc);
}

void api_send_page_cursor(struct call *c, char *text, const char *next)
{
	if (next) {
		/* the same query with the new cursor, the request's own bytes kept
		 * (already percent-encoded), so every filter carries over */
		const char *q = strchr(c->req->http_url, '?');
		char rest[1024] = "";
		size_t used = 0;
		while (q && *q) {
			q++;
			size_t len = strcspn(q, "&");
			if (len && strncmp(q, "cursor=", 7) != 0 && used + len + 2 < sizeof rest)
				used += (size_t)snprintf(rest + used, sizeof rest - used, "&%.*s",
							 (int)len, q);
			q += len;
		}
		char link[1200];
		snprintf(link, sizeof link, "<%s?cursor=%s%s>; rel=\"next\"", c->path, next, rest);
		call_set_header(c, "Link", link);
	}
	api_send_json_text(c, 200, text);
}

struct problem *api_db_write_problem(struct db *db, enum db_status st)
{
	const char *state = db_last_sqlstate(db);
	if (st == DB_ERROR && strcmp(state, "23503") == 0)
		return problem_new(P_VALIDATION, "A referenced record does not exist in your organisation.");
	if (st == DB_ERROR && strcmp(state, "23505") == 0)
		return problem_new(P_CONFLICT, "A record with the same unique value already exists.");
	if (st == DB_ERROR && strcmp(state, "23514") == 0) {
		/* named CHECKs of 0002_identity.sql that hold rules a partial update
		 * could break by combining new and stored values */
		static const struct {
			const char *constraint, *pointer, *detail;
		} known[] = {
			{ "staff_leave_from", "/leave_from",
			  "is required when status is on_leave" },
			{ "staff_leave_until", "/leave_until", "must not be before leave_from" },
			{ "staff_left_on", "/left_on", "is required when status is left" },
			{ "staff_left_after_start", "/left_on", "must not be before start_date" },
			{ "staff_min_age", "/date_of_birth",
			  "makes the person younger than 15 at the start date" },
		};
		struct problem *p = problem_new(P_VALIDATION, "The values contradict each other.");
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcmp(db_last_constraint(db), known[i].constraint) == 0)
				problem_add_error(p, known[i].pointer, "%s", known[i].detail);
		return p;
	}
	return NULL;
}

void api_read_org(struct call *c, org_read_fn read, const char *what, bool versioned)
{
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = read(db, c->who.org_id, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, what);
	else if (versioned)
		api_send_versioned(c, 200, json);
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

void api_read_item(struct call *c, org_item_fn read, const char *what)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = read(db, c->who.org_id, id, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, what);
	else
		api_send_versioned(c, 200, json);
	api_release(c, db);
}

bool api_valid(struct call *c, struct validation *v)
{
	struct problem *p = validation_end(v);
	if (p)
		call_problem(c, p);
	return p == NULL;
}

void legacy_answer_write(struct call *c, struct db *db, enum db_status st, char *json, int current,
		      const struct write_answer *w)
{
	struct problem *p;
	if (st == DB_OK && json) {
		if (w->collection)
			api_send_created(c, json, w->collection);
		else
			api_send_versioned(c, 200, json);
	} else if (st == DB_OK && current) {
		call_problem(c, problem_new(P_PRECONDITION_FAILED, "The %s changed since you read it (now version %d).",
					    w->noun, current));
	} else if (st == DB_OK) {
		call_problem(c, problem_not_found());
	} else if ((p = api_db_write_problem(db, st))) {
		if (w->annotate)
			w->annotate(db, p);
		call_problem(c, p);
	} else {
		api_fail_db(c, db, st, w->what);
	}
}

/* 422 from "pointer<TAB>message". */
static struct problem *step_invalid(const char *detail)
{
	struct problem *p = problem_new(P_VALIDATION, "The request is not valid in the current state.");
	const char *tab = detail ? strchr(detail, '\t') : NULL;
	if (tab)
		problem_add_error(p, "", "%s", tab + 1);
	else
		problem_add_error(p, "", "%s", detail ? detail : "invalid");
	if (tab) {
		json_t *e = json_array_get(p->errors, json_array_size(p->errors) - 1);
		json_object_set_new(e, "pointer", json_stringn(detail, (size_t)(tab - detail)));
	}
	return p;
}

void api_answer_step(struct call *c, struct db *db, enum db_status st, struct step_outcome *o,
		     const struct write_answer *w)
{
	const char *out = o->outcome ? o->outcome : "";
	if (st != DB_OK) {
		legacy_answer_write(c, db, st, NULL, 0, w);
	} else if (strcmp(out, "ok") == 0 && o->body) {
		legacy_answer_write(c, db, st, o->body, 0, w);
		o->body = NULL; /* taken */
	} else if (strcmp(out, "stale") == 0) {
		legacy_answer_write(c, db, st, NULL, o->current, w);
	} else if (strcmp(out, "not_found") == 0) {
		call_problem(c, problem_not_found());
	} else if (strcmp(out, "invalid") == 0) {
		call_problem(c, step_invalid(o->detail));
	} else {
		/* until every procedure answers a registered message */
		const struct problem_type *t = problem_type_find(out);
		struct problem *p = problem_new(t ? (enum problem_id)(t - problem_types) : P_CONFLICT,
						NULL);
		p->detail = strdup(o->detail ? o->detail : "The record is in another state.");
		call_problem(c, p);
	}
	step_outcome_clear(o);
}

bool api_step_reason(struct call *c, bool wanted, const char **reason)
{
	static const char *const reason_fields[] = { "reason", NULL };
	static const char *const no_fields[] = { NULL };
	*reason = NULL;
	json_t *empty = json_object();
	struct validation v;
	validation_begin(&v, c->body ? c->body : empty, wanted ? reason_fields : no_fields);
	if (wanted && field_text(&v, "reason", true, 2000, reason) &&
	    (*reason)[strspn(*reason, " \t\r\n")] == '\0')
		validation_fail(&v, "reason", "must not be blank");
	bool ok = api_valid(c, &v);
	json_decref(empty);
	return ok;
}

void legacy_today(char out[11])
{
	struct civil_date d = vn_date_of((int64_t)time(NULL));
	snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
}

