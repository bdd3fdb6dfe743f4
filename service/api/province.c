/*
 * province.c — what a province reads across the agencies it groups.
 *
 * GET /v1/province/members, GET /v1/province/review-lists.  The caller
 * acts for a province (organizations.kind, migration 0019): its office's
 * officers, leaders and viewers, or its machine clients with
 * province:read.  The decision table grants these routes' permission to
 * those roles in any organisation, so each handler first asks whether the
 * caller's organisation is a province: an agency's administrator is
 * answered 403, never an empty province.  The members are those of the
 * day asked (?on=, today by default), so a read before the 2025 merger
 * sees the province of that day.
 *
 * The review lists are every checked list of a year in the province — a
 * hundred agencies, a hundred thousand verdicts, some 50 MB — so they are
 * streamed (call_stream): one list judged and written at a time, on the
 * gate's thread, inside one read-only snapshot so that the lists agree
 * with each other.  Each list is exactly what its agency's list route
 * answers, with the same ETag, so a portal can tell which agencies'
 * lists changed since its last read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers/registry.h"
#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "api/verdicts.h"
#include "http/log.h"
#include "store/pool.h"
#include "store/province.h"

/* A batch slower than this is cut short: a client that reads a byte at a
 * time must not hold a gate thread and a snapshot for hours. */
#define BATCH_MAX_S 300

/* The caller's organisation as JSON text (a new string) when it is a
 * province; else answers 403 (or the database's failure) and NULL. */
static char *province_or_answer(struct call *c, struct db *db)
{
	char *org = NULL;
	enum db_status st = store_organization_brief(db, c->who.org_id, &org);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "province");
		return NULL;
	}
	json_t *doc = org ? json_loads(org, 0, NULL) : NULL;
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	bool province = kind && strcmp(kind, "province") == 0;
	json_decref(doc);
	if (!province) {
		free(org);
		call_problem(c, problem_new(P_FORBIDDEN,
					    "Only a province's accounts and clients read across "
					    "the agencies of a province; yours is an agency's."));
		return NULL;
	}
	return org;
}

void province_members(struct call *c)
{
	struct civil_date on;
	bool given;
	struct db *db;
	char *org;
	if (!api_query_date_or_answer(c, "on", &on, &given) || !(db = api_db_or_answer(c)) ||
	    !(org = province_or_answer(c, db)))
		return;
	free(org);
	char *json = NULL;
	enum db_status st = store_province_members(db, c->who.org_id, on, &json);
	api_answer_read(c, st, json);
}

/* The batch being written: its snapshot's connection, the rounds, where
 * it is. */
struct batch {
	struct pool *pool;
	struct db *db; /* in a read-only transaction until the end */
	enum lang lang;
	char *province; /* JSON text */
	int year;
	struct civil_date on;
	struct province_rounds rounds;
	size_t next; /* the next round to write */
	bool head_written;
	time_t started;
};

static void batch_release(void *ctx)
{
	struct batch *b = ctx;
	pool_release(b->pool, b->db); /* rolls the read-only snapshot back */
	province_rounds_free(&b->rounds);
	free(b->province);
	free(b);
}

static bool put_text(struct stream_out *out, const char *s)
{
	return stream_write(out, s, strlen(s));
}

static bool write_head(struct batch *b, struct stream_out *out)
{
	char year_on[80];
	snprintf(year_on, sizeof year_on, ",\"year\":%d,\"on\":\"%04d-%02d-%02d\",\"lists\":[",
		 b->year, b->on.year, b->on.month, b->on.day);
	return put_text(out, "{\"province\":") && put_text(out, b->province) &&
	       put_text(out, year_on);
}

/* The item of a round whose dossier date no rule set governs: the
 * problem its list route would answer, in place of the list. */
static char *no_rule_set_item(const char *day)
{
	json_t *args = json_pack("{s:s}", "on", day);
	struct problem *p = problem_from_message(message_find("no-rule-set"), NULL, args);
	json_decref(args);
	json_t *doc = problem_to_json_new(p, NULL, NULL);
	problem_free(p);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return text;
}

/* One round's item; false when it could not be computed or written. */
static bool write_round(struct batch *b, struct stream_out *out)
{
	const struct province_round *r = &b->rounds.items[b->next];
	struct row_scope whole = { .org_id = r->org_id, .scope = SCOPE_ORG };
	struct round_list l;
	round_list_read(b->db, &whole, r->round_id, &l);
	char *problem =
		l.outcome == ROUND_LIST_NO_RULE_SET ? no_rule_set_item(l.no_rule_set_on) : NULL;
	char id[64];
	snprintf(id, sizeof id, ",\"round_id\":%lld,", (long long)r->round_id);
	bool ok = l.st == DB_OK && (l.outcome == ROUND_LIST_OK || problem);
	if (!ok)
		log_msgf(LOG_ERROR, "province batch: round %lld of organisation %lld not computed",
			 (long long)r->round_id, (long long)r->org_id);
	ok = ok && put_text(out, b->next ? ",{\"organization\":" : "{\"organization\":") &&
	     put_text(out, r->organization) && put_text(out, id);
	if (ok && l.outcome == ROUND_LIST_OK) {
		/* the header's value, quotes included, as a JSON string */
		ok = put_text(out, "\"etag\":\"\\\"") && stream_write(out, l.etag + 1, 16) &&
		     put_text(out, "\\\"\",\"list\":") && put_text(out, l.text) &&
		     put_text(out, "}");
	} else if (ok) {
		ok = put_text(out, "\"etag\":null,\"list\":null,\"problem\":") &&
		     put_text(out, problem) && put_text(out, "}");
	}
	free(problem);
	round_list_free(&l);
	b->next++;
	return ok;
}

static enum stream_step batch_produce(void *ctx, struct stream_out *out)
{
	struct batch *b = ctx;
	lang_use(b->lang);
	if (!b->head_written) {
		b->head_written = true;
		return write_head(b, out) ? STREAM_MORE : STREAM_FAILED;
	}
	if (b->next < b->rounds.n) {
		if (time(NULL) - b->started > BATCH_MAX_S) {
			log_msgf(LOG_WARN, "province batch cut short after %d s", BATCH_MAX_S);
			return STREAM_FAILED;
		}
		return write_round(b, out) ? STREAM_MORE : STREAM_FAILED;
	}
	char tail[64];
	snprintf(tail, sizeof tail, "],\"count\":%zu,\"complete\":true}", b->rounds.n);
	return put_text(out, tail) ? STREAM_DONE : STREAM_FAILED;
}

/* The batch's snapshot and its rounds; else answered and false. */
static bool batch_begin(struct call *c, struct batch *b)
{
	enum db_status st = db_begin_snapshot(b->db);
	if (st == DB_OK)
		st = store_province_rounds(b->db, c->who.org_id, b->on, b->year, &b->rounds);
	if (st != DB_OK)
		api_answer_db_failure(c, st, "province batch");
	return st == DB_OK;
}

void province_review_lists(struct call *c)
{
	int year;
	struct civil_date on;
	bool given;
	if (!api_year_or_answer(c, &year) || !api_query_date_or_answer(c, "on", &on, &given))
		return;
	if (!year) {
		api_answer_bad_query(c, "year", "is required");
		return;
	}
	struct db *db = api_db_or_answer(c);
	char *org = db ? province_or_answer(c, db) : NULL;
	struct batch *b = org ? calloc(1, sizeof *b) : NULL;
	if (!b) {
		if (org)
			call_problem(c, problem_internal());
		free(org);
		return;
	}
	*b = (struct batch){ .pool = c->app->pool,
			     .db = db,
			     .lang = c->lang,
			     .province = org,
			     .year = year,
			     .on = on,
			     .started = time(NULL) };
	c->db = NULL; /* the batch holds the connection until its end */
	if (!batch_begin(c, b)) {
		batch_release(b);
		return;
	}
	call_language_headers(c);
	struct answer_stream how = { batch_produce, batch_release, b };
	call_stream(c, 200, "application/json", &how);
}
