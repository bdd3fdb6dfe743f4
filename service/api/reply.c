/*
 * reply.c — answering a call (see reply.h).
 */
#include "api/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/lang.h"
#include "answers/registry.h"
#include "domain/decimal.h"
#include "api/app.h"
#include "api/params.h"
#include "export/workbook.h"
#include "http/log.h"

struct db *api_db_or_answer(struct call *c)
{
	if (c->db)
		return c->db;
	enum db_status st;
	c->db = pool_acquire(c->app->pool, &st);
	if (!c->db)
		api_answer_db_failure(c, st, "connection");
	return c->db;
}

bool api_writer_or_answer(struct call *c, struct writer *w)
{
	w->db = api_db_or_answer(c);
	w->actor = api_actor(c);
	w->today = api_today();
	return w->db != NULL;
}

char *api_write_body_or_answer(struct call *c, struct validation *v, struct writer *w)
{
	if (!api_valid_or_answer(c, v) || !api_writer_or_answer(c, w))
		return NULL;
	return api_json_text_or_answer(c, c->body);
}

char *api_versioned_body_or_answer(struct call *c, struct validation *v, int *version,
				   struct writer *w)
{
	if (!api_valid_or_answer(c, v) || !api_if_match_or_answer(c, version) ||
	    !api_writer_or_answer(c, w))
		return NULL;
	return api_json_text_or_answer(c, c->body);
}

void api_after_handler(struct call *c)
{
	if (c->db)
		pool_release(c->app->pool, c->db);
	c->db = NULL;
}

static struct problem *db_problem(enum db_status st)
{
	switch (st) {
	case DB_UNAVAILABLE:
		return problem_unavailable(N_("The database cannot be reached; try again shortly."),
					   2);
	case DB_BUSY:
		return problem_unavailable(N_("The service is busy; try again shortly."), 1);
	case DB_TIMEOUT:
		return problem_unavailable(N_("The database took too long to answer; try again."),
					   2);
	case DB_CONFLICT:
		/* still colliding after the retries of store/db.c */
		return problem_unavailable(
			N_("Concurrent changes kept colliding with this one; try again shortly."),
			1);
	case DB_OK:
	case DB_ERROR:
		break;
	}
	return problem_internal();
}

void api_answer_db_failure(struct call *c, enum db_status st, const char *what)
{
	if (st == DB_ERROR || st == DB_OK)
		log_event(LOG_ERROR, "database error",
			  json_pack("{s:s, s:s, s:s, s:s}", "what", what, "sqlstate",
				    c->db ? db_last_sqlstate(c->db) : "", "detail",
				    c->db ? db_last_error(c->db) : "", "request_id",
				    c->request_id));
	call_problem(c, db_problem(st));
}

static void send_json(struct call *c, int status, char *text, int version)
{
	if (!text) {
		call_problem(c, problem_not_found());
		return;
	}
	if (version > 0) {
		/* "version", quoted; not snprintf, a tenth of a read's own work */
		char digits[INTEGER_TEXT_LEN], etag[INTEGER_TEXT_LEN + 2];
		const char *d = integer_text(digits, version);
		size_t n = strlen(d);
		etag[0] = '"';
		memcpy(etag + 1, d, n);
		etag[n + 1] = '"';
		etag[n + 2] = '\0';
		call_set_header(c, "ETag", etag);
	}
	call_take(c, status, "application/json", text, strlen(text));
}

/* The "version" member of a document, 0 when it has none. */
static int version_of(const char *text)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	json_t *v = json_object_get(doc, "version");
	int version = json_is_integer(v) && json_integer_value(v) > 0 &&
				      json_integer_value(v) <= INT32_MAX
			      ? (int)json_integer_value(v)
			      : 0;
	json_decref(doc);
	return version;
}

void api_answer_versioned(struct call *c, enum db_status st, char *json, int version)
{
	if (st != DB_OK) {
		free(json);
		api_answer_db_failure(c, st, c->route ? c->route->path : "read");
		return;
	}
	send_json(c, 200, json, version);
}

void api_answer_read(struct call *c, enum db_status st, char *json)
{
	api_answer_versioned(c, st, json, 0);
}

void api_answer_document(struct call *c, enum db_status st, char *json)
{
	api_answer_versioned(c, st, json, st == DB_OK ? version_of(json) : 0);
}

/* Link: the same path and query, the cursor replaced by next. */
static void link_next(struct call *c, const char *next)
{
	/* the request's own bytes are kept (already percent-encoded), so every
	 * filter carries over */
	const char *q = call_query_string(c);
	char rest[1024] = "";
	size_t used = 0;
	while (*q) {
		size_t len = strcspn(q, "&");
		if (len && strncmp(q, "cursor=", 7) != 0 && used + len + 2 < sizeof rest)
			used += (size_t)snprintf(rest + used, sizeof rest - used, "&%.*s", (int)len,
						 q);
		q += len + (q[len] == '&');
	}
	char link[1200];
	snprintf(link, sizeof link, "<%s?cursor=%s%s>; rel=\"next\"", c->path, next, rest);
	call_set_header(c, "Link", link);
}

void api_answer_page(struct call *c, enum db_status st, char *json, const char *next)
{
	if (st == DB_OK && json && !next) {
		json_t *doc = json_loads(json, 0, NULL);
		const char *found = json_string_value(json_object_get(doc, "next_cursor"));
		if (found)
			link_next(c, found);
		json_decref(doc);
	} else if (st == DB_OK && json) {
		link_next(c, next);
	}
	api_answer_versioned(c, st, json, 0);
}

/* The registry's answer to a refusal or an invalid member. */
static void answer_message(struct call *c, const struct write_result *r)
{
	const struct message *m = message_find(r->code);
	if (!m) {
		log_msgf(LOG_ERROR, "write answered unregistered message \"%s\" (request %s)",
			 r->code, c->request_id);
		call_problem(c, problem_internal());
		return;
	}
	struct problem *p = problem_from_message(
		m, r->outcome == WRITE_INVALID ? (r->pointer ? r->pointer : "") : r->pointer,
		r->args);
	/* a refusal that names an object says which, and at which version */
	if (r->outcome == WRITE_REFUSED && r->id > 0 && m->id_member)
		problem_set_member(p, m->id_member, json_integer(r->id));
	if (r->outcome == WRITE_REFUSED && r->version > 0)
		problem_set_member(p, "current_version", json_integer(r->version));
	call_problem(c, p);
}

/* A broken constraint: the registry's message for it, or its class's. */
static void answer_constraint(struct call *c, const struct write_result *r)
{
	const struct constraint_answer *k = constraint_find(r->code);
	const struct message *m = k ? message_find(k->code) : NULL;
	const char *pointer = k ? k->pointer : NULL;
	if (!m) {
		const char *general = strcmp(r->sqlstate, "23505") == 0	  ? "unique"
				      : strcmp(r->sqlstate, "23503") == 0 ? "reference"
				      : strcmp(r->sqlstate, "55000") == 0 ? "immutable"
									  : "contradiction";
		m = message_find(general);
		pointer = NULL;
	}
	struct problem *p = problem_from_message(m, pointer, NULL);
	if (k && m->problem != P_VALIDATION && !pointer)
		problem_add_error_text(p, "", p->detail ? p->detail : "");
	call_problem(c, p);
}

static void answer_ok(struct call *c, struct write_result *r, const char *collection)
{
	if (!r->body) {
		call_bytes(c, 204, "application/json", "", 0);
		return;
	}
	if (collection && *collection && r->id > 0) {
		char loc[160];
		snprintf(loc, sizeof loc, "%s/%lld", collection, (long long)r->id);
		call_set_header(c, "Location", loc);
	}
	send_json(c, collection ? 201 : 200, r->body, r->version);
	r->body = NULL; /* taken */
}

static void answer_replayed(struct call *c, struct write_result *r)
{
	if (r->location)
		call_set_header(c, "Location", r->location);
	call_set_header(c, "Idempotent-Replayed", "true");
	send_json(c, r->status > 0 ? r->status : 200, r->body, r->version);
	r->body = NULL;
}

void api_answer_write(struct call *c, struct write_result *r, const char *collection)
{
	struct problem *p;
	switch (r->outcome) {
	case WRITE_OK:
		answer_ok(c, r, collection);
		break;
	case WRITE_REPLAYED:
		answer_replayed(c, r);
		break;
	case WRITE_NOT_FOUND:
		call_problem(c, problem_not_found());
		break;
	case WRITE_STALE: {
		json_t *args = json_pack("{s:i}", "version", r->version);
		p = problem_from_message(message_find("stale"), NULL, args);
		json_decref(args);
		problem_set_member(p, "current_version", json_integer(r->version));
		call_problem(c, p);
		break;
	}
	case WRITE_REFUSED:
	case WRITE_INVALID:
		answer_message(c, r);
		break;
	case WRITE_CONSTRAINT:
		answer_constraint(c, r);
		break;
	case WRITE_FAILED:
		api_answer_db_failure(c, r->db, c->route ? c->route->path : "write");
		break;
	}
	write_result_clear(r);
}

void api_answer_workbook(struct call *c, char *data, size_t len, const char *filename,
			 const char *what)
{
	if (!data) {
		log_msgf(LOG_ERROR, "%s workbook failed (request %s)", what, c->request_id);
		call_problem(c, problem_new(P_INTERNAL, "The workbook could not be written."));
		return;
	}
	call_language_headers(c);
	api_answer_file(c, XLSX_TYPE, data, len, filename);
}

void api_answer_file(struct call *c, const char *content_type, char *data, size_t len,
		     const char *filename)
{
	char disp[160];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
	call_set_header(c, "Content-Disposition", disp);
	call_take(c, 200, content_type, data, len);
}

void api_answer_pdf(struct call *c, char *data, size_t len, const char *filename)
{
	if (!data) {
		log_msgf(LOG_ERROR, "%s: the PDF could not be written", filename);
		call_problem(c, problem_internal());
		return;
	}
	api_answer_file(c, "application/pdf", data, len, filename);
}

void api_answer_printed(struct call *c, char *text, char *(*layout)(const json_t *, size_t *),
			const char *filename)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	size_t len = 0;
	char *data = doc ? layout(doc, &len) : NULL;
	json_decref(doc);
	api_answer_pdf(c, data, len, filename);
}

/* Adds member: value to the document of a write that succeeded; false when
 * out of memory. */
static bool add_member(struct write_result *r, const char *member, const char *value)
{
	if (r->outcome != WRITE_OK)
		return true;
	json_t *doc = json_loads(r->body, 0, NULL);
	char *text = NULL;
	if (doc && json_object_set_new(doc, member, json_string(value)) == 0)
		text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return false;
	free(r->body);
	r->body = text;
	return true;
}

void api_answer_write_adding(struct call *c, struct write_result *r, const char *member,
			     const char *value, const char *collection)
{
	if (!add_member(r, member, value)) {
		write_result_clear(r);
		call_problem(c, problem_internal());
		return;
	}
	api_answer_write(c, r, collection);
}
