/*
 * audit.c — appending to, listing and verifying the audit chain.
 *
 * Verification needs no recursion: every row stores its own hash and the
 * previous one, so one pass with lag() checks that each row's hash matches
 * its content and its stored predecessor, that each predecessor is the row
 * before it, and that sequence numbers have no gap; the head table then
 * vouches for the last row (a deleted tail shows there).
 */
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct db_stmt append_stmt =
	DB_STMT("SELECT audit_append($1::bigint, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)", 9);

static struct db_stmt list_stmt =
	DB_STMT("WITH page AS ("
		" SELECT * FROM audit_log"
		" WHERE organization_id = $1::bigint"
		"   AND ($2::text IS NULL OR entity_type = $2)"
		"   AND ($3::text IS NULL OR entity_id = $3)"
		"   AND ($4::text IS NULL OR action = $4)"
		"   AND ($5::bigint = 0 OR seq < $5::bigint)"
		" ORDER BY seq DESC LIMIT $6::integer + 1)"
		"SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object("
		"  'seq', seq, 'occurred_at', occurred_at, 'actor_type', actor_type,"
		"  'actor_id', actor_id, 'action', action, 'entity_type', entity_type,"
		"  'entity_id', entity_id, 'before', before, 'after', after,"
		"  'request_id', request_id, 'hash', encode(hash, 'hex')) ORDER BY seq DESC)"
		"  FROM (SELECT * FROM page ORDER BY seq DESC LIMIT $6::integer) p), '[]'::json),"
		" 'next_cursor', (CASE WHEN (SELECT count(*) FROM page) > $6::integer"
		"   THEN (SELECT min(seq) FROM (SELECT seq FROM page ORDER BY seq DESC"
		"         LIMIT $6::integer) q) END)::text)",
		6);

static struct db_stmt verify_stmt = DB_STMT(
	"WITH chain AS ("
	" SELECT seq, prev_hash, hash,"
	"  hash = sha256(prev_hash || audit_content(organization_id, seq, occurred_at,"
	"    actor_type, actor_id, action, entity_type, entity_id, before, after,"
	"    request_id)) AS content_ok,"
	"  prev_hash = coalesce(lag(hash) OVER w, decode(repeat('00', 32), 'hex')) AS link_ok,"
	"  seq = row_number() OVER w AS seq_ok"
	" FROM audit_log WHERE organization_id = $1::bigint WINDOW w AS (ORDER BY seq)),"
	" head AS (SELECT seq, hash FROM audit_heads WHERE organization_id = $1::bigint),"
	" last AS (SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1),"
	" broken AS (SELECT seq, CASE WHEN NOT content_ok THEN 'content does not match its hash'"
	"   WHEN NOT link_ok THEN 'does not link to the previous entry'"
	"   ELSE 'sequence has a gap before it' END AS reason"
	"  FROM chain WHERE NOT (content_ok AND link_ok AND seq_ok) ORDER BY seq LIMIT 1),"
	" tail AS (SELECT (SELECT seq FROM head) IS NOT DISTINCT FROM (SELECT seq FROM last)"
	"   AND (SELECT hash FROM head) IS NOT DISTINCT FROM (SELECT hash FROM last) AS ok)"
	"SELECT json_build_object("
	" 'ok', NOT EXISTS (SELECT 1 FROM broken) AND (SELECT ok FROM tail),"
	" 'checked', (SELECT count(*) FROM chain),"
	" 'first_broken_seq', coalesce((SELECT seq FROM broken),"
	"   CASE WHEN NOT (SELECT ok FROM tail) THEN (SELECT coalesce(seq, 0) + 1 FROM last) END),"
	" 'reason', coalesce((SELECT reason FROM broken),"
	"   CASE WHEN NOT (SELECT ok FROM tail) THEN 'entries after this point are missing' END),"
	" 'head_seq', (SELECT seq FROM head))",
	1);

enum db_status store_audit_append(struct db *db, const struct actor *a, const char *action,
				  const char *entity_type, const char *entity_id,
				  const char *before_json, const char *after_json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,	 a->id,	      action,
			       entity_type,	      entity_id, before_json, after_json,
			       a->request_id };
	enum db_status st;
	PGresult *res = db_query(db, &append_stmt, args, &st);
	PQclear(res);
	return st;
}

enum db_status store_audit_list(struct db *db, const struct audit_filter *f, char **json)
{
	char org[DB_ID_LEN], before[DB_ID_LEN], limit[DB_ID_LEN];
	const char *args[] = {
		db_id(org, f->org_id),	      f->entity_type,	     f->entity_id, f->action,
		db_id(before, f->before_seq), db_id(limit, f->limit)
	};
	return db_query_text(db, &list_stmt, args, json);
}

enum db_status store_audit_verify(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &verify_stmt, args, json);
}
