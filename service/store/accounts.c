/*
 * accounts.c — accounts, refresh tokens, clients and throttling in SQL
 * (see accounts.h).  Multi-step rules (rotation with reuse detection, the
 * growing delay) live in procedures (db/procedures/refresh_rotate.sql,
 * login_throttle.sql), so each is one statement and therefore one
 * transaction.  The administration writes are statements of their own that
 * append their audit record in the same statement; each answers one row
 * (document, version, id[, current version]) that write_from_row() turns into a
 * write_result.
 */
#include "store/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The statements are laid out by hand, one SQL clause per line:
 * clang-format cannot lay out SQL made of string literals and macros (it
 * splits them into fragments of two characters).
 */
/* clang-format off */
#define ACCOUNT_COLUMNS							\
	"id, organization_id, coalesce(unit_id, 0), coalesce(staff_id, 0),"	\
	" disabled, password_hash, roles::text, display_name, token_epoch"

/* $1 is the canonical name (api/auth.c): lower() here would fold the Kelvin
 * sign to "k" and dotted capital I to "i", so lookalikes reached the account. */
DB_STATEMENT(by_name_stmt,
	"SELECT " ACCOUNT_COLUMNS " FROM users WHERE username = $1", 1);
DB_STATEMENT(by_id_stmt,
	"SELECT " ACCOUNT_COLUMNS " FROM users WHERE id = $1::bigint", 1);
DB_STATEMENT(set_hash_stmt,
	"UPDATE users SET password_hash = $2 WHERE id = $1::bigint", 2);
DB_STATEMENT(try_stmt,
	"SELECT throttle_try($1, $2, $3::integer, $4::integer)", 4);
DB_STATEMENT(fail_stmt,
	"SELECT throttle_fail($1, $2, $3::integer, $4::integer)", 4);
DB_STATEMENT(success_stmt,
	"SELECT throttle_success($1, $2)", 2);
DB_STATEMENT(refresh_new_stmt,
	"INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, expires_at) "
	"VALUES ($1::bigint, $2::bigint, gen_random_uuid(), decode($3, 'hex'), "
	"now() + make_interval(secs => $4::integer))",
	4);
DB_STATEMENT(rotate_stmt,
	"SELECT outcome, coalesce(user_id, 0), coalesce(organization_id, 0) "
	"FROM refresh_rotate(decode($1, 'hex'), decode($2, 'hex'), $3::integer)",
	3);
DB_STATEMENT(revoke_stmt,
	"WITH t AS (SELECT family, user_id, organization_id FROM refresh_tokens "
	"           WHERE token_hash = decode($1, 'hex')), "
	"r AS (UPDATE refresh_tokens SET revoked_at = now() "
	"      WHERE family = (SELECT family FROM t) AND revoked_at IS NULL) "
	"SELECT user_id, organization_id FROM t",
	1);
DB_STATEMENT(client_stmt,
	"SELECT id, organization_id, encode(secret_hash, 'hex'), scopes::text, "
	"revoked_at IS NOT NULL, token_epoch, coalesce(unit_id, 0) FROM clients"
	" WHERE client_id = $1",
	1);

/* --- revocation (db/procedures/token_revocation.sql) --------------------- */

DB_STATEMENT(security_rev_stmt,
	"SELECT coalesce((SELECT rev FROM security_revisions"
	" WHERE organization_id = $1::bigint), 0)",
	1);
/* -1: the account may not act (disabled) or is gone. */
DB_STATEMENT(user_epoch_stmt,
	"SELECT coalesce((SELECT CASE WHEN disabled THEN -1 ELSE token_epoch END FROM users"
	" WHERE organization_id = $1::bigint AND id = $2::bigint), -1)",
	2);
DB_STATEMENT(client_epoch_stmt,
	"SELECT coalesce((SELECT CASE WHEN revoked_at IS NOT NULL THEN -1 ELSE token_epoch END"
	" FROM clients WHERE organization_id = $1::bigint AND client_id = $2), -1)",
	2);

/* --- administration ------------------------------------------------------ */

DB_STATEMENT(users_page_stmt,
	"SELECT users_page($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(user_get_stmt,
	"SELECT user_json(u)::text FROM users u WHERE u.organization_id = $1::bigint "
	"AND u.id = $2::bigint",
	2);
DB_STATEMENT(user_create_stmt,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO users (organization_id, username, display_name, password_hash,"
	"  roles, staff_id, unit_id, email)"
	"  SELECT $1::bigint, lower(f->>'username'), normalize(btrim(f->>'display_name'), NFC), $6,"
	"   ARRAY(SELECT jsonb_array_elements_text(f->'roles')), (f->>'staff_id')::bigint,"
	"   (f->>'unit_id')::bigint, lower(btrim(f->>'email')) FROM f"
	"  RETURNING id, version, user_json(users) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'user.create', 'user', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text, ins.version, ins.id FROM ins, aud",
	6);

/* A field keeps its value unless the patch names it (null clears it). */
#define UPATCH(col, expr) col " = CASE WHEN p ? '" col "' THEN " expr " ELSE u." col " END"

/* No row: no such account; a row without a document: old.version is not
 * $7 (stale). */
DB_STATEMENT(user_patch_stmt,
	"WITH p AS (SELECT $6::jsonb AS p),"
	" old AS (SELECT u.id, u.version, user_json(u) AS j FROM users u"
	"  WHERE u.id = $5::bigint AND u.organization_id = $1::bigint FOR UPDATE),"
	" upd AS (UPDATE users u SET "
	UPATCH("display_name", "normalize(btrim(p->>'display_name'), NFC)") ", "
	UPATCH("roles", "ARRAY(SELECT jsonb_array_elements_text(p->'roles'))") ", "
	UPATCH("staff_id", "(p->>'staff_id')::bigint") ", "
	UPATCH("unit_id", "(p->>'unit_id')::bigint") ", "
	UPATCH("disabled", "(p->>'disabled')::boolean") ", "
	UPATCH("email", "lower(btrim(p->>'email'))") ", "
	"  password_hash = coalesce($8, u.password_hash),"
	/* a new password ends live access tokens too; roles, unit, staff and
	 * disabled move the epoch in the trigger (token_revocation.sql) */
	"  token_epoch = u.token_epoch + CASE WHEN $8 IS NULL THEN 0 ELSE 1 END,"
	"  version = u.version + 1, updated_at = now()"
	"  FROM p, old WHERE u.id = old.id AND old.version = $7::integer"
	"  RETURNING u.id, u.version, user_json(u) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, CASE WHEN $8 IS NULL THEN 'user.update'"
	"  ELSE 'user.update_password' END, 'user', upd.id::text, old.j::jsonb, upd.j::jsonb, $4)"
	"  FROM upd, old),"
	/* a new password, new roles or a disabled account end every session */
	" gone AS (UPDATE refresh_tokens r SET revoked_at = now() FROM upd"
	"  WHERE r.user_id = upd.id AND r.revoked_at IS NULL"
	"  AND ((SELECT p ? 'disabled' OR p ? 'roles' FROM p) OR $8 IS NOT NULL))"
	"SELECT w.j::text, w.version, w.id, old.version FROM old"
	" LEFT JOIN (SELECT upd.* FROM upd, aud) w ON true",
	8);

/* Clients are changed by their own steps, never with If-Match: their
 * answers carry no version (no ETag). */
DB_STATEMENT(clients_list_stmt,
	"SELECT json_build_object('items', coalesce(json_agg(client_json(c) ORDER BY c.id),"
	" '[]'::json))::text FROM clients c WHERE c.organization_id = $1::bigint",
	1);
DB_STATEMENT(client_create_stmt,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes,"
	"  unit_id)"
	"  SELECT $1::bigint, lower(f->>'client_id'), normalize(btrim(f->>'name'), NFC),"
	"   decode($6, 'hex'), ARRAY(SELECT jsonb_array_elements_text(f->'scopes')),"
	"   (f->>'unit_id')::bigint FROM f"
	"  RETURNING id, client_json(clients) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.create', 'client',"
	"  ins.id::text, NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text, NULL::integer, ins.id FROM ins, aud",
	6);
DB_STATEMENT(client_rotate_stmt,
	"WITH upd AS (UPDATE clients c SET secret_hash = decode($6, 'hex'), rotated_at = now(),"
	"  version = c.version + 1 WHERE c.organization_id = $1::bigint AND c.id = $5::bigint"
	"  AND c.revoked_at IS NULL RETURNING c.id, client_json(c) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.rotate', 'client',"
	"  upd.id::text, NULL, upd.j::jsonb, $4) FROM upd)"
	"SELECT upd.j::text, NULL::integer, upd.id FROM upd, aud",
	6);
DB_STATEMENT(client_revoke_stmt,
	"WITH upd AS (UPDATE clients c SET revoked_at = now(), version = c.version + 1"
	"  WHERE c.organization_id = $1::bigint AND c.id = $5::bigint AND c.revoked_at IS NULL"
	"  RETURNING c.id, client_json(c) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.revoke', 'client',"
	"  upd.id::text, NULL, upd.j::jsonb, $4) FROM upd)"
	/* revoking twice changes nothing and answers the revoked client */
	"SELECT coalesce((SELECT upd.j::text FROM upd, aud), client_json(c)::text),"
	"  NULL::integer, c.id"
	"  FROM clients c WHERE c.organization_id = $1::bigint AND c.id = $5::bigint",
	5);
/* clang-format on */

static void copy_field(char *dst, size_t cap, const PGresult *res, int col)
{
	snprintf(dst, cap, "%s", PQgetvalue(res, 0, col));
}

/* The account of a result of by_name_stmt or by_id_stmt (res taken). */
static enum db_status account_of(PGresult *res, enum db_status st, struct login_account *out)
{
	memset(out, 0, sizeof *out);
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		out->found = true;
		out->id = db_get_int(res, 0, 0);
		out->org_id = db_get_int(res, 0, 1);
		out->unit_id = db_get_int(res, 0, 2);
		out->staff_id = db_get_int(res, 0, 3);
		out->disabled = db_get_bool(res, 0, 4);
		copy_field(out->password_hash, sizeof out->password_hash, res, 5);
		copy_field(out->roles, sizeof out->roles, res, 6);
		copy_field(out->display_name, sizeof out->display_name, res, 7);
		out->token_epoch = db_get_int(res, 0, 8);
	}
	PQclear(res);
	return DB_OK;
}

enum db_status store_account_for_login(struct db *db, const char *username,
				       struct login_account *out)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, by_name_stmt, &st, db_arg_text(username));
	return account_of(res, st, out);
}

enum db_status store_account_by_id(struct db *db, int64_t user_id, struct login_account *out)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, by_id_stmt, &st, db_arg_id(user_id));
	return account_of(res, st, out);
}

enum db_status store_account_set_password_hash(struct db *db, int64_t user_id, const char *hash)
{
	enum db_status st;
	PQclear(DB_EXEC(db, set_hash_stmt, &st, db_arg_id(user_id), db_arg_text(hash)));
	return st;
}

enum db_status store_throttle_try(struct db *db, const char *pair_key, const char *ip_key,
				  int free_pair, int free_ip, int *wait_s)
{
	enum db_status st;
	*wait_s = 0;
	PGresult *res = DB_EXEC(db, try_stmt, &st, db_arg_text(pair_key), db_arg_text(ip_key),
				db_arg_int(free_pair), db_arg_int(free_ip));
	if (!res)
		return st;
	*wait_s = (int)db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_throttle_fail(struct db *db, const char *pair_key, const char *ip_key,
				   int free_pair, int free_ip)
{
	enum db_status st;
	PQclear(DB_EXEC(db, fail_stmt, &st, db_arg_text(pair_key), db_arg_text(ip_key),
			db_arg_int(free_pair), db_arg_int(free_ip)));
	return st;
}

enum db_status store_throttle_success(struct db *db, const char *pair_key, const char *ip_key)
{
	enum db_status st;
	PQclear(DB_EXEC(db, success_stmt, &st, db_arg_text(pair_key), db_arg_text(ip_key)));
	return st;
}

enum db_status store_refresh_create(struct db *db, int64_t org_id, int64_t user_id,
				    const char *hash_hex, unsigned ttl_s)
{
	enum db_status st;
	PQclear(DB_EXEC(db, refresh_new_stmt, &st, db_arg_id(org_id), db_arg_id(user_id),
			db_arg_text(hash_hex), db_arg_int(ttl_s)));
	return st;
}

static enum refresh_outcome outcome_of(const char *s)
{
	static const struct {
		const char *name;
		enum refresh_outcome v;
	} map[] = { { "rotated", REFRESH_ROTATED },
		    { "reused", REFRESH_REUSED },
		    { "revoked", REFRESH_REVOKED },
		    { "expired", REFRESH_EXPIRED },
		    { "disabled", REFRESH_DISABLED } };
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].v;
	return REFRESH_UNKNOWN;
}

enum db_status store_refresh_rotate(struct db *db, const char *hash_hex, const char *new_hash_hex,
				    unsigned ttl_s, enum refresh_outcome *outcome, int64_t *user_id,
				    int64_t *org_id)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, rotate_stmt, &st, db_arg_text(hash_hex),
				db_arg_text(new_hash_hex), db_arg_int(ttl_s));
	if (!res)
		return st;
	*outcome = outcome_of(PQgetvalue(res, 0, 0));
	*user_id = db_get_int(res, 0, 1);
	*org_id = db_get_int(res, 0, 2);
	PQclear(res);
	return DB_OK;
}

enum db_status store_refresh_revoke_family(struct db *db, const char *hash_hex, bool *found,
					   int64_t *user_id, int64_t *org_id)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, revoke_stmt, &st, db_arg_text(hash_hex));
	if (!res)
		return st;
	*found = PQntuples(res) == 1;
	if (*found) {
		*user_id = db_get_int(res, 0, 0);
		*org_id = db_get_int(res, 0, 1);
	}
	PQclear(res);
	return DB_OK;
}

enum db_status store_client_for_token(struct db *db, const char *client_id,
				      struct client_secret *out)
{
	memset(out, 0, sizeof *out);
	enum db_status st;
	PGresult *res = DB_EXEC(db, client_stmt, &st, db_arg_text(client_id));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		out->found = true;
		out->id = db_get_int(res, 0, 0);
		out->org_id = db_get_int(res, 0, 1);
		copy_field(out->secret_hash_hex, sizeof out->secret_hash_hex, res, 2);
		copy_field(out->scopes, sizeof out->scopes, res, 3);
		out->revoked = db_get_bool(res, 0, 4);
		out->token_epoch = db_get_int(res, 0, 5);
		out->unit_id = db_get_int(res, 0, 6);
	}
	PQclear(res);
	return DB_OK;
}

/* The single integer of a one-row result (res taken). */
static enum db_status int_of(PGresult *res, enum db_status st, int64_t *out)
{
	if (!res)
		return st;
	*out = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_security_revision(struct db *db, int64_t org_id, int64_t *rev)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, security_rev_stmt, &st, db_arg_id(org_id));
	return int_of(res, st, rev);
}

enum db_status store_user_token_epoch(struct db *db, int64_t org_id, int64_t user_id,
				      int64_t *epoch)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, user_epoch_stmt, &st, db_arg_id(org_id), db_arg_id(user_id));
	return int_of(res, st, epoch);
}

enum db_status store_client_token_epoch(struct db *db, int64_t org_id, const char *client_id,
					int64_t *epoch)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(db, client_epoch_stmt, &st, db_arg_id(org_id), db_arg_text(client_id));
	return int_of(res, st, epoch);
}

/* --- administration ------------------------------------------------------ */

enum db_status store_users_list(struct db *db, int64_t org_id, int64_t after_id, long limit,
				char **json)
{
	return DB_FETCH_TEXT(db, users_page_stmt, json, db_arg_id(org_id), db_arg_id(after_id),
			     db_arg_int(limit));
}

enum db_status store_user_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, user_get_stmt, json, db_arg_id(org_id), db_arg_id(id));
}

void store_user_create(const struct writer *w, const char *fields, const char *password_hash,
		       struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, user_create_stmt, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_text(password_hash));
	write_from_row(w->db, res, st, r);
}

void store_user_patch(const struct writer *w, int64_t id, int if_version, const char *fields,
		      const char *password_hash, struct write_result *r)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, user_patch_stmt, &st, WRITER_ARGS(w), db_arg_id(id),
			db_arg_text(fields), db_arg_int(if_version), db_arg_text(password_hash));
	write_from_row(w->db, res, st, r);
}

enum db_status store_clients_list(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, clients_list_stmt, json, db_arg_id(org_id));
}

void store_client_create(const struct writer *w, const char *fields, const char *secret_hash_hex,
			 struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, client_create_stmt, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_text(secret_hash_hex));
	write_from_row(w->db, res, st, r);
}

void store_client_rotate(const struct writer *w, int64_t id, const char *secret_hash_hex,
			 struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, client_rotate_stmt, &st, WRITER_ARGS(w), db_arg_id(id),
				db_arg_text(secret_hash_hex));
	write_from_row(w->db, res, st, r);
}

void store_client_revoke(const struct writer *w, int64_t id, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, client_revoke_stmt, &st, WRITER_ARGS(w), db_arg_id(id));
	write_from_row(w->db, res, st, r);
}
