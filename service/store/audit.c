/*
 * audit.c — appending to, listing and verifying the audit chain.
 *
 * Verification needs no recursion: every row stores its own hash and the
 * previous one, so one pass with lag() checks that each row's hash matches
 * its content and its stored predecessor, that each predecessor is the row
 * before it, and that sequence numbers have no gap; the head table then
 * vouches for the last row (a deleted tail shows there).  An
 * organisation's trail is a few such chains, its stripes
 * (0005_audit_stripes.sql), each checked on its own.
 */
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The statements are laid out by hand, one SQL clause per line:
 * clang-format cannot lay out SQL made of string literals.
 */
/* clang-format off */
DB_STATEMENT(append_stmt,
	"SELECT audit_append($1::bigint, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)", 9);

/* Newest first, by id: within a stripe ids grow with seq (both are taken
 * under the stripe's head lock), and across stripes id is the order of
 * insertion.  The cursor is the last id shown. */
DB_STATEMENT(list_stmt,
	"WITH page AS ("
	" SELECT * FROM audit_log"
	" WHERE organization_id = $1::bigint"
	"   AND ($2::text IS NULL OR entity_type = $2)"
	"   AND ($3::text IS NULL OR entity_id = $3)"
	"   AND ($4::text IS NULL OR action = $4)"
	"   AND ($5::bigint = 0 OR id < $5::bigint)"
	" ORDER BY id DESC LIMIT $6::integer + 1)"
	"SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object("
	"  'seq', seq, 'stripe', stripe, 'occurred_at', occurred_at,"
	"  'actor_type', actor_type, 'actor_id', actor_id, 'action', action,"
	"  'entity_type', entity_type, 'entity_id', entity_id, 'before', before,"
	"  'after', after, 'request_id', request_id, 'hash', encode(hash, 'hex'))"
	"  ORDER BY id DESC)"
	"  FROM (SELECT * FROM page ORDER BY id DESC LIMIT $6::integer) p), '[]'::json),"
	" 'next_cursor', (CASE WHEN (SELECT count(*) FROM page) > $6::integer"
	"   THEN (SELECT min(id) FROM (SELECT id FROM page ORDER BY id DESC"
	"         LIMIT $6::integer) q) END)::text)",
	6);

/* Every stripe of the organisation's trail is checked as its own chain
 * (0005_audit_stripes.sql); the first broken link is reported by stripe
 * and seq.  The reasons are the enum of AuditVerification.reason in
 * api-spec/openapi.yaml: values a client may switch on, not sentences to
 * translate. */
DB_STATEMENT(verify_stmt,
	"WITH chain AS ("
	" SELECT stripe, seq, prev_hash, hash,"
	"  hash = sha256(prev_hash || audit_content_striped(organization_id, stripe, seq,"
	"    occurred_at, actor_type, actor_id, action, entity_type, entity_id, before, after,"
	"    request_id)) AS content_ok,"
	"  prev_hash = coalesce(lag(hash) OVER w, decode(repeat('00', 32), 'hex')) AS link_ok,"
	"  seq = row_number() OVER w AS seq_ok"
	" FROM audit_log WHERE organization_id = $1::bigint"
	" WINDOW w AS (PARTITION BY stripe ORDER BY seq)),"
	" heads AS (SELECT stripe, seq, hash FROM audit_heads WHERE organization_id = $1::bigint),"
	" lasts AS (SELECT DISTINCT ON (stripe) stripe, seq, hash FROM chain"
	"  ORDER BY stripe, seq DESC),"
	" broken AS (SELECT stripe, seq, CASE WHEN NOT content_ok"
	"   THEN 'content does not match its hash'"
	"   WHEN NOT link_ok THEN 'does not link to the previous entry'"
	"   ELSE 'sequence has a gap before it' END AS reason"
	"  FROM chain WHERE NOT (content_ok AND link_ok AND seq_ok) ORDER BY stripe, seq LIMIT 1),"
	" bad_tail AS (SELECT coalesce(h.stripe, l.stripe) AS stripe,"
	"   coalesce(l.seq, 0) + 1 AS seq FROM heads h FULL JOIN lasts l ON l.stripe = h.stripe"
	"  WHERE h.seq IS DISTINCT FROM l.seq OR h.hash IS DISTINCT FROM l.hash"
	"  ORDER BY 1 LIMIT 1)"
	"SELECT json_build_object("
	" 'ok', NOT EXISTS (SELECT 1 FROM broken) AND NOT EXISTS (SELECT 1 FROM bad_tail),"
	" 'checked', (SELECT count(*) FROM chain),"
	" 'first_broken_seq', coalesce((SELECT seq FROM broken), (SELECT seq FROM bad_tail)),"
	" 'first_broken_stripe', coalesce((SELECT stripe FROM broken),"
	"   (SELECT stripe FROM bad_tail)),"
	" 'reason', coalesce((SELECT reason FROM broken),"
	"   CASE WHEN EXISTS (SELECT 1 FROM bad_tail)"
	"   THEN 'entries after this point are missing' END),"
	" 'head_seq', (SELECT seq FROM heads WHERE stripe = 0),"
	" 'stripes', (SELECT coalesce(json_agg(json_build_object('stripe', stripe,"
	"   'head_seq', seq) ORDER BY stripe), '[]') FROM heads))",
	1);

/* The run's lock, a key of its own (hashtextextended, as the procedures'
 * locks); an advisory lock rather than the row's FOR UPDATE, which would
 * give the transaction an xid from its start, and with it hold back vacuum
 * for as long as the run reads. */
DB_STATEMENT(run_claim,
	"SELECT l.locked AND (r.finished_at IS NULL"
	"   OR r.finished_at <= now() - make_interval(secs => $1::integer)),"
	" coalesce(extract(epoch FROM r.finished_at)::bigint, 0)"
	" FROM (SELECT pg_try_advisory_xact_lock(hashtextextended('audit_verify_runs', 0))"
	"  AS locked) l, audit_verify_runs r",
	1);

DB_STATEMENT(organizations_stmt, "SELECT id FROM organizations ORDER BY id", 0);

DB_STATEMENT(run_finish,
	"UPDATE audit_verify_runs SET finished_at = clock_timestamp(),"
	" organizations = $1::integer, broken = $2::integer"
	" RETURNING extract(epoch FROM finished_at)::bigint",
	2);

/* clang-format on */

enum db_status store_audit_append(struct db *db, const struct actor *a, const char *action,
				  const char *entity_type, const char *entity_id,
				  const char *before_json, const char *after_json)
{
	enum db_status st;
	PQclear(DB_EXEC(db, append_stmt, &st, db_arg_id(a->org_id), db_arg_text(a->type),
			db_arg_text(a->id), db_arg_text(action), db_arg_text(entity_type),
			db_arg_text(entity_id), db_arg_text(before_json), db_arg_text(after_json),
			db_arg_text(a->request_id)));
	return st;
}

enum db_status store_audit_list(struct db *db, const struct audit_filter *f, char **json)
{
	return DB_FETCH_TEXT(db, list_stmt, json, db_arg_id(f->org_id), db_arg_text(f->entity_type),
			     db_arg_text(f->entity_id), db_arg_text(f->action),
			     db_arg_id(f->before_id), db_arg_int(f->limit));
}

enum db_status store_audit_verify(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, verify_stmt, json, db_arg_id(org_id));
}

bool store_audit_verdict_read(const json_t *doc, struct audit_verdict *v)
{
	memset(v, 0, sizeof *v);
	const json_t *ok = json_object_get(doc, "ok");
	if (!json_is_boolean(ok))
		return false;
	v->ok = json_is_true(ok);
	v->checked = json_integer_value(json_object_get(doc, "checked"));
	if (!v->ok) {
		v->stripe = (int)json_integer_value(json_object_get(doc, "first_broken_stripe"));
		v->seq = json_integer_value(json_object_get(doc, "first_broken_seq"));
		const char *reason = json_string_value(json_object_get(doc, "reason"));
		snprintf(v->reason, sizeof v->reason, "%s", reason ? reason : "");
	}
	return true;
}

enum db_status store_audit_verify_verdict(struct db *db, int64_t org_id, struct audit_verdict *v)
{
	char *json = NULL;
	enum db_status st = store_audit_verify(db, org_id, &json);
	json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
	free(json);
	if (st == DB_OK && !store_audit_verdict_read(doc, v))
		st = DB_ERROR;
	json_decref(doc);
	return st;
}

enum db_status store_audit_run_claim(struct db *db, unsigned interval_s, bool *due,
				     int64_t *finished_at)
{
	enum db_status st;
	*due = false;
	*finished_at = 0;
	PGresult *res = DB_EXEC(db, run_claim, &st, db_arg_int(interval_s));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		*due = db_get_bool(res, 0, 0);
		*finished_at = db_get_int(res, 0, 1);
	} else
		st = DB_ERROR; /* the row of 0046 is gone */
	PQclear(res);
	return st;
}

enum db_status store_audit_organizations(struct db *db, int64_t **ids, size_t *n)
{
	enum db_status st;
	*ids = NULL;
	*n = 0;
	PGresult *res = db_exec(db, &organizations_stmt, NULL, 0, &st);
	if (!res)
		return st;
	int rows = PQntuples(res);
	if (rows > 0 && !(*ids = calloc((size_t)rows, sizeof **ids))) {
		PQclear(res);
		return DB_ERROR;
	}
	for (int i = 0; i < rows; i++)
		(*ids)[i] = db_get_int(res, i, 0);
	*n = (size_t)rows;
	PQclear(res);
	return DB_OK;
}

enum db_status store_audit_run_finish(struct db *db, int64_t organizations, int64_t broken,
				      int64_t *finished_at)
{
	enum db_status st;
	*finished_at = 0;
	PGresult *res = DB_EXEC(db, run_finish, &st, db_arg_int(organizations), db_arg_int(broken));
	if (!res)
		return st;
	if (PQntuples(res) == 1)
		*finished_at = db_get_int(res, 0, 0);
	else
		st = DB_ERROR;
	PQclear(res);
	return st;
}
