/*
 * webhooks.c — SQL of the outbox's webhooks (see webhooks.h).
 */
#include "store/webhooks.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* clang-format off */
DB_STATEMENT(list, "SELECT webhooks_list($1::bigint)::text", 1);
DB_STATEMENT(get, "SELECT webhook_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(deliveries,
	"SELECT webhook_deliveries_page($1::bigint, $2::bigint, $3, $4::bigint,"
	" $5::integer)::text", 5);
DB_STATEMENT(create,
	"SELECT r.* FROM webhook_create($1::bigint, $2, $3, $4, $5::jsonb, $6::bytea) r", 6);
DB_STATEMENT(rotate,
	"SELECT r.* FROM webhook_rotate($1::bigint, $2, $3, $4, $5::bigint, $6::bytea) r", 6);
DB_STATEMENT(disable,
	"SELECT r.* FROM webhook_disable($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(redeliver,
	"SELECT r.* FROM webhook_redeliver($1::bigint, $2, $3, $4, $5::bigint, $6::uuid) r", 6);
DB_STATEMENT(ping,
	"SELECT r.* FROM webhook_ping($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(claim,
	"SELECT subscription_id, event_id, url, secret_hex, webhook_id, occurred_epoch, body,"
	" attempts FROM webhook_claim($1::integer, $2::integer)", 2);
DB_STATEMENT(record_stmt,
	"SELECT webhook_record($1::jsonb, $2::integer, $3::integer)", 3);
DB_STATEMENT(email_claim,
	"SELECT id, recipient, subject, body, message_id"
	" FROM email_claim($1::integer, $2::integer)", 2);
DB_STATEMENT(email_record,
	"SELECT email_record($1::jsonb, $2::integer, $3::integer)", 3);
/* The oldest pending delivery is the one of the smallest event id: events
 * take their ids as they are written, a transaction's now() apart at most. */
DB_STATEMENT(backlog,
	"SELECT (SELECT count(*) FROM webhook_deliveries d WHERE d.status = 'pending'),"
	" (SELECT (extract(epoch FROM now() - e.occurred_at) * 1000)::bigint"
	"  FROM outbox_events e WHERE e.id = (SELECT min(d.event_id) FROM webhook_deliveries d"
	"   WHERE d.status = 'pending')),"
	" (SELECT count(*) FROM email_deliveries m WHERE m.status = 'pending'),"
	" (SELECT (extract(epoch FROM now() - e.occurred_at) * 1000)::bigint"
	"  FROM outbox_events e WHERE e.id = (SELECT min(m.event_id) FROM email_deliveries m"
	"   WHERE m.status = 'pending'))", 0);
/* clang-format on */

enum db_status store_webhooks(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id));
}

enum db_status store_webhook(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_webhook_deliveries(struct db *db, int64_t org_id, int64_t id,
					const char *status, int64_t before, long limit, char **json)
{
	return DB_FETCH_TEXT(db, deliveries, json, db_arg_id(org_id), db_arg_id(id),
			     db_arg_text(status), db_arg_id(before), db_arg_int(limit));
}

void store_webhook_create(const struct writer *w, const char *fields,
			  const unsigned char key[WEBHOOK_KEY_LEN], struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields),
		  db_arg_bytes(key, WEBHOOK_KEY_LEN));
}

void store_webhook_rotate(const struct writer *w, int64_t id,
			  const unsigned char key[WEBHOOK_KEY_LEN], struct write_result *r)
{
	WRITE_RUN(w->db, rotate, r, WRITER_ARGS(w), db_arg_id(id),
		  db_arg_bytes(key, WEBHOOK_KEY_LEN));
}

void store_webhook_disable(const struct writer *w, int64_t id, struct write_result *r)
{
	WRITE_RUN(w->db, disable, r, WRITER_ARGS(w), db_arg_id(id));
}

void store_webhook_redeliver(const struct writer *w, int64_t id, const char *event_uuid,
			     struct write_result *r)
{
	WRITE_RUN(w->db, redeliver, r, WRITER_ARGS(w), db_arg_id(id), db_arg_text(event_uuid));
}

void store_webhook_ping(const struct writer *w, int64_t id, struct write_result *r)
{
	WRITE_RUN(w->db, ping, r, WRITER_ARGS(w), db_arg_id(id));
}

static void job_free(struct webhook_job *j)
{
	free(j->url);
	free(j->webhook_id);
	free(j->body);
	memset(j, 0, sizeof *j);
}

void store_webhook_jobs_free(struct webhook_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		job_free(&jobs[i]);
	free(jobs);
}

/* The key from the 64 hex digits encode(secret, 'hex') gives. */
static bool key_from_hex(const char *hex, unsigned char key[WEBHOOK_KEY_LEN])
{
	size_t n = 0;
	return hex && strlen(hex) == (size_t)2 * WEBHOOK_KEY_LEN &&
	       sodium_hex2bin(key, WEBHOOK_KEY_LEN, hex, strlen(hex), NULL, &n, NULL) == 0 &&
	       n == WEBHOOK_KEY_LEN;
}

static bool job_from_row(const PGresult *res, int row, struct webhook_job *j)
{
	j->subscription_id = db_get_int(res, row, 0);
	j->event_id = db_get_int(res, row, 1);
	j->url = db_get_text_new(res, row, 2);
	j->webhook_id = db_get_text_new(res, row, 4);
	j->timestamp = db_get_int(res, row, 5);
	j->body = db_get_text_new(res, row, 6);
	j->attempt = (int)db_get_int(res, row, 7);
	return j->url && j->webhook_id && j->body && key_from_hex(PQgetvalue(res, row, 3), j->key);
}

enum db_status store_webhook_claim(struct db *db, int limit, int lease_s, struct webhook_job **jobs,
				   size_t *n)
{
	enum db_status st;
	*jobs = NULL;
	*n = 0;
	PGresult *res = DB_EXEC(db, claim, &st, db_arg_int(limit), db_arg_int(lease_s));
	if (!res)
		return st;
	int rows = PQntuples(res);
	if (rows > 0) {
		*jobs = calloc((size_t)rows, sizeof **jobs);
		if (!*jobs) {
			PQclear(res);
			return DB_ERROR;
		}
	}
	for (int i = 0; i < rows; i++) {
		/* a row that does not read is left to its lease: it is tried again */
		if (job_from_row(res, i, &(*jobs)[*n]))
			(*n)++;
		else
			job_free(&(*jobs)[*n]);
	}
	PQclear(res);
	return DB_OK;
}

/* Runs stmt (webhook_record or email_record) on the outcomes a, a JSON
 * array it takes; DB_ERROR when out of memory. */
static enum db_status record(struct db *db, struct db_stmt *stmt, json_t *a, int max_attempts,
			     int base_ms)
{
	char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	if (!text)
		return DB_ERROR;
	char *count = NULL;
	struct db_arg args[] = { db_arg_text(text), db_arg_int(max_attempts), db_arg_int(base_ms) };
	enum db_status st = db_fetch_text(db, stmt, args, 3, &count);
	free(count);
	free(text);
	return st;
}

/* Appends x to a; on failure frees a and answers NULL. */
static json_t *append(json_t *a, json_t *x)
{
	if (a && x && json_array_append_new(a, x) == 0)
		return a;
	json_decref(x);
	json_decref(a);
	return NULL;
}

enum db_status store_webhook_record(struct db *db, const struct webhook_outcome *o, size_t n,
				    int max_attempts, int base_ms)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		a = append(a,
			   json_pack("{s:I, s:I, s:i, s:s?}", "s", (json_int_t)o[i].subscription_id,
				     "e", (json_int_t)o[i].event_id, "c", o[i].status, "x",
				     o[i].error));
	return record(db, &record_stmt, a, max_attempts, base_ms);
}

void store_email_jobs_free(struct email_job *jobs, size_t n)
{
	for (size_t i = 0; jobs && i < n; i++) {
		free(jobs[i].recipient);
		free(jobs[i].subject);
		free(jobs[i].body);
		free(jobs[i].message_id);
	}
	free(jobs);
}

enum db_status store_email_claim(struct db *db, int limit, int lease_s, struct email_job **jobs,
				 size_t *n)
{
	enum db_status st;
	*jobs = NULL;
	*n = 0;
	PGresult *res = DB_EXEC(db, email_claim, &st, db_arg_int(limit), db_arg_int(lease_s));
	if (!res)
		return st;
	int rows = PQntuples(res);
	if (rows > 0 && !(*jobs = calloc((size_t)rows, sizeof **jobs))) {
		PQclear(res);
		return DB_ERROR;
	}
	for (int i = 0; i < rows; i++) {
		struct email_job *j = &(*jobs)[*n];
		j->id = db_get_int(res, i, 0);
		j->recipient = db_get_text_new(res, i, 1);
		j->subject = db_get_text_new(res, i, 2);
		j->body = db_get_text_new(res, i, 3);
		j->message_id = db_get_text_new(res, i, 4);
		(*n)++;
		if (!j->recipient || !j->subject || !j->body || !j->message_id) {
			/* left to its lease: it is tried again */
			(*n)--;
			free(j->recipient);
			free(j->subject);
			free(j->body);
			free(j->message_id);
			memset(j, 0, sizeof *j);
		}
	}
	PQclear(res);
	return DB_OK;
}

enum db_status store_email_record(struct db *db, const struct email_outcome *o, size_t n,
				  int max_attempts, int base_ms)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		a = append(a, json_pack("{s:I, s:s?}", "i", (json_int_t)o[i].id, "x", o[i].error));
	return record(db, &email_record, a, max_attempts, base_ms);
}

enum db_status store_outbox_backlog(struct db *db, struct outbox_backlog *b)
{
	enum db_status st;
	memset(b, 0, sizeof *b);
	PGresult *res = db_exec(db, &backlog, NULL, 0, &st);
	if (!res)
		return st;
	/* NULL (nothing pending) reads as 0 */
	b->webhook_pending = db_get_int(res, 0, 0);
	b->webhook_oldest_ms = db_get_int(res, 0, 1);
	b->email_pending = db_get_int(res, 0, 2);
	b->email_oldest_ms = db_get_int(res, 0, 3);
	PQclear(res);
	return DB_OK;
}
