/*
 * accounts.c — accounts, refresh tokens, clients and throttling in SQL
 * (see accounts.h).  Multi-step rules (rotation with reuse detection, the
 * growing delay) live in SQL functions of 0002_identity.sql, so each is one
 * statement and therefore one transaction.
 */
#include "store/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCOUNT_COLUMNS                                                      \
	"id, organization_id, coalesce(unit_id, 0), coalesce(staff_id, 0), " \
	"disabled, password_hash, roles::text, display_name"

static struct db_stmt by_name_stmt =
	DB_STMT("SELECT " ACCOUNT_COLUMNS " FROM users WHERE username = lower($1)", 1);
static struct db_stmt by_id_stmt =
	DB_STMT("SELECT " ACCOUNT_COLUMNS " FROM users WHERE id = $1::bigint", 1);
static struct db_stmt set_hash_stmt =
	DB_STMT("UPDATE users SET password_hash = $2 WHERE id = $1::bigint", 2);
static struct db_stmt try_stmt =
	DB_STMT("SELECT throttle_try($1, $2, $3::integer, $4::integer)", 4);
static struct db_stmt success_stmt = DB_STMT("SELECT throttle_success($1, $2)", 2);
static struct db_stmt refresh_new_stmt = DB_STMT(
	"INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, expires_at) "
	"VALUES ($1::bigint, $2::bigint, gen_random_uuid(), decode($3, 'hex'), "
	"now() + make_interval(secs => $4::integer))",
	4);
static struct db_stmt rotate_stmt =
	DB_STMT("SELECT outcome, coalesce(user_id, 0), coalesce(organization_id, 0) "
		"FROM refresh_rotate(decode($1, 'hex'), decode($2, 'hex'), $3::integer)",
		3);
static struct db_stmt revoke_stmt =
	DB_STMT("WITH t AS (SELECT family, user_id, organization_id FROM refresh_tokens "
		"           WHERE token_hash = decode($1, 'hex')), "
		"r AS (UPDATE refresh_tokens SET revoked_at = now() "
		"      WHERE family = (SELECT family FROM t) AND revoked_at IS NULL) "
		"SELECT user_id, organization_id FROM t",
		1);
static struct db_stmt client_stmt =
	DB_STMT("SELECT id, organization_id, encode(secret_hash, 'hex'), scopes::text, "
		"revoked_at IS NOT NULL FROM clients WHERE client_id = $1",
		1);

static void copy_field(char *dst, size_t cap, const PGresult *res, int col)
{
	snprintf(dst, cap, "%s", PQgetvalue(res, 0, col));
}

static enum db_status load_account(struct db *db, struct db_stmt *stmt, const char *arg,
				   struct login_account *out)
{
	memset(out, 0, sizeof *out);
	const char *args[] = { arg };
	enum db_status st;
	PGresult *res = db_query(db, stmt, args, &st);
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		out->found = true;
		out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		out->org_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		out->unit_id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
		out->staff_id = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
		out->disabled = PQgetvalue(res, 0, 4)[0] == 't';
		copy_field(out->password_hash, sizeof out->password_hash, res, 5);
		copy_field(out->roles, sizeof out->roles, res, 6);
		copy_field(out->display_name, sizeof out->display_name, res, 7);
	}
	PQclear(res);
	return DB_OK;
}

enum db_status store_account_for_login(struct db *db, const char *username,
				       struct login_account *out)
{
	return load_account(db, &by_name_stmt, username, out);
}

enum db_status store_account_by_id(struct db *db, int64_t user_id, struct login_account *out)
{
	char id[DB_ID_LEN];
	return load_account(db, &by_id_stmt, db_id(id, user_id), out);
}

static enum db_status exec(struct db *db, struct db_stmt *stmt, const char *const *args)
{
	enum db_status st;
	PQclear(db_query(db, stmt, args, &st));
	return st;
}

enum db_status store_account_set_password_hash(struct db *db, int64_t user_id, const char *hash)
{
	char id[DB_ID_LEN];
	const char *args[] = { db_id(id, user_id), hash };
	return exec(db, &set_hash_stmt, args);
}

enum db_status store_throttle_try(struct db *db, const char *user_key, const char *ip_key,
				  int free_user, int free_ip, int *wait_s)
{
	char fu[DB_ID_LEN], fi[DB_ID_LEN];
	const char *args[] = { user_key, ip_key, db_id(fu, free_user), db_id(fi, free_ip) };
	char *text = NULL;
	enum db_status st = db_query_text(db, &try_stmt, args, &text);
	*wait_s = text ? atoi(text) : 0;
	free(text);
	return st;
}

enum db_status store_throttle_success(struct db *db, const char *user_key, const char *ip_key)
{
	const char *args[] = { user_key, ip_key };
	return exec(db, &success_stmt, args);
}

enum db_status store_refresh_create(struct db *db, int64_t org_id, int64_t user_id,
				    const char *hash_hex, unsigned ttl_s)
{
	char org[DB_ID_LEN], user[DB_ID_LEN], ttl[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(user, user_id), hash_hex,
			       db_id(ttl, ttl_s) };
	return exec(db, &refresh_new_stmt, args);
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
	char ttl[DB_ID_LEN];
	const char *args[] = { hash_hex, new_hash_hex, db_id(ttl, ttl_s) };
	enum db_status st;
	PGresult *res = db_query(db, &rotate_stmt, args, &st);
	if (!res)
		return st;
	*outcome = outcome_of(PQgetvalue(res, 0, 0));
	*user_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	*org_id = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	PQclear(res);
	return DB_OK;
}

enum db_status store_refresh_revoke_family(struct db *db, const char *hash_hex, bool *found,
					   int64_t *user_id, int64_t *org_id)
{
	const char *args[] = { hash_hex };
	enum db_status st;
	PGresult *res = db_query(db, &revoke_stmt, args, &st);
	if (!res)
		return st;
	*found = PQntuples(res) == 1;
	if (*found) {
		*user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		*org_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return DB_OK;
}

enum db_status store_client_for_token(struct db *db, const char *client_id,
				      struct client_secret *out)
{
	memset(out, 0, sizeof *out);
	const char *args[] = { client_id };
	enum db_status st;
	PGresult *res = db_query(db, &client_stmt, args, &st);
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		out->found = true;
		out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		out->org_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		copy_field(out->secret_hash_hex, sizeof out->secret_hash_hex, res, 2);
		copy_field(out->scopes, sizeof out->scopes, res, 3);
		out->revoked = PQgetvalue(res, 0, 4)[0] == 't';
	}
	PQclear(res);
	return DB_OK;
}

/* --- administration ------------------------------------------------------ */

/*
 * The statements are laid out by hand, one SQL clause per line:
 * clang-format cannot lay out SQL made of string literals and macros (it
 * splits them into fragments of two characters).
 */
/* clang-format off */
static struct db_stmt users_page_stmt =
	DB_STMT("SELECT users_page($1::bigint, $2::bigint, $3::integer)::text", 3);
static struct db_stmt user_get_stmt =
	DB_STMT("SELECT user_json(u)::text FROM users u WHERE u.organization_id = $1::bigint "
		"AND u.id = $2::bigint",
		2);
static struct db_stmt user_create_stmt = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO users (organization_id, username, display_name, password_hash,"
	"  roles, staff_id, unit_id)"
	"  SELECT $1::bigint, lower(f->>'username'), normalize(btrim(f->>'display_name'), NFC), $6,"
	"   ARRAY(SELECT jsonb_array_elements_text(f->'roles')), (f->>'staff_id')::bigint,"
	"   (f->>'unit_id')::bigint FROM f"
	"  RETURNING id, user_json(users) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'user.create', 'user', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text FROM ins, aud",
	6);

/* A field keeps its value unless the patch names it (null clears it). */
#define UPATCH(col, expr) col " = CASE WHEN p ? '" col "' THEN " expr " ELSE u." col " END"

static struct db_stmt user_patch_stmt = DB_STMT(
	"WITH p AS (SELECT $6::jsonb AS p),"
	" old AS (SELECT u.id, u.version, user_json(u) AS j FROM users u"
	"  WHERE u.id = $5::bigint AND u.organization_id = $1::bigint FOR UPDATE),"
	" upd AS (UPDATE users u SET "
	UPATCH("display_name", "normalize(btrim(p->>'display_name'), NFC)") ", "
	UPATCH("roles", "ARRAY(SELECT jsonb_array_elements_text(p->'roles'))") ", "
	UPATCH("staff_id", "(p->>'staff_id')::bigint") ", "
	UPATCH("unit_id", "(p->>'unit_id')::bigint") ", "
	UPATCH("disabled", "(p->>'disabled')::boolean") ", "
	"  password_hash = coalesce($8, u.password_hash),"
	"  version = u.version + 1, updated_at = now()"
	"  FROM p, old WHERE u.id = old.id AND old.version = $7::integer"
	"  RETURNING u.id, user_json(u) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, CASE WHEN $8 IS NULL THEN 'user.update'"
	"  ELSE 'user.update_password' END, 'user', upd.id::text, old.j::jsonb, upd.j::jsonb, $4)"
	"  FROM upd, old),"
	/* a new password, new roles or a disabled account end every session */
	" gone AS (UPDATE refresh_tokens r SET revoked_at = now() FROM upd"
	"  WHERE r.user_id = upd.id AND r.revoked_at IS NULL"
	"  AND ((SELECT p ? 'disabled' OR p ? 'roles' FROM p) OR $8 IS NOT NULL))"
	"SELECT (SELECT upd.j::text FROM upd, aud), (SELECT version FROM old)",
	8);

static struct db_stmt clients_list_stmt =
	DB_STMT("SELECT json_build_object('items', coalesce(json_agg(client_json(c) ORDER BY c.id),"
		" '[]'::json))::text FROM clients c WHERE c.organization_id = $1::bigint",
		1);
static struct db_stmt client_create_stmt = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes)"
	"  SELECT $1::bigint, lower(f->>'client_id'), normalize(btrim(f->>'name'), NFC),"
	"   decode($6, 'hex'), ARRAY(SELECT jsonb_array_elements_text(f->'scopes')) FROM f"
	"  RETURNING id, client_json(clients) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.create', 'client',"
	"  ins.id::text, NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text FROM ins, aud",
	6);
static struct db_stmt client_rotate_stmt = DB_STMT(
	"WITH upd AS (UPDATE clients c SET secret_hash = decode($6, 'hex'), rotated_at = now(),"
	"  version = c.version + 1 WHERE c.organization_id = $1::bigint AND c.id = $5::bigint"
	"  AND c.revoked_at IS NULL RETURNING c.id, client_json(c) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.rotate', 'client',"
	"  upd.id::text, NULL, upd.j::jsonb, $4) FROM upd)"
	"SELECT upd.j::text FROM upd, aud",
	6);
static struct db_stmt client_revoke_stmt = DB_STMT(
	"WITH upd AS (UPDATE clients c SET revoked_at = now(), version = c.version + 1"
	"  WHERE c.organization_id = $1::bigint AND c.id = $5::bigint AND c.revoked_at IS NULL"
	"  RETURNING c.id, client_json(c) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'client.revoke', 'client',"
	"  upd.id::text, NULL, upd.j::jsonb, $4) FROM upd)"
	/* revoking twice changes nothing and answers the revoked client */
	"SELECT coalesce((SELECT upd.j::text FROM upd, aud), (SELECT client_json(c)::text"
	"  FROM clients c WHERE c.organization_id = $1::bigint AND c.id = $5::bigint))",
	5);
/* clang-format on */

enum db_status store_users_list(struct db *db, int64_t org_id, int64_t after_id, long limit,
				char **json)
{
	char org[DB_ID_LEN], after[DB_ID_LEN], lim[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(after, after_id), db_id(lim, limit) };
	return db_query_text(db, &users_page_stmt, args, json);
}

enum db_status store_user_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	char org[DB_ID_LEN], uid[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(uid, id) };
	return db_query_text(db, &user_get_stmt, args, json);
}

enum db_status store_user_create(struct db *db, const struct actor *a, const char *fields,
				 const char *password_hash, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id,
			       a->request_id,	      fields,  password_hash };
	return db_query_text(db, &user_create_stmt, args, json);
}

enum db_status store_user_patch(struct db *db, const struct actor *a, int64_t id, int if_version,
				const char *fields, const char *password_hash, char **json,
				int *current_version)
{
	*json = NULL;
	*current_version = 0;
	char org[DB_ID_LEN], uid[DB_ID_LEN], ver[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),  a->type,	       a->id,
			       a->request_id,	       db_id(uid, id), fields,
			       db_id(ver, if_version), password_hash };
	enum db_status st;
	PGresult *res = db_query(db, &user_patch_stmt, args, &st);
	if (!res)
		return st;
	if (!PQgetisnull(res, 0, 0))
		*json = strdup(PQgetvalue(res, 0, 0));
	if (!PQgetisnull(res, 0, 1))
		*current_version = atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return DB_OK;
}

enum db_status store_clients_list(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &clients_list_stmt, args, json);
}

enum db_status store_client_create(struct db *db, const struct actor *a, const char *fields,
				   const char *secret_hash_hex, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id,
			       a->request_id,	      fields,  secret_hash_hex };
	return db_query_text(db, &client_create_stmt, args, json);
}

enum db_status store_client_rotate(struct db *db, const struct actor *a, int64_t id,
				   const char *secret_hash_hex, char **json)
{
	char org[DB_ID_LEN], cid[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,	      a->id,
			       a->request_id,	      db_id(cid, id), secret_hash_hex };
	return db_query_text(db, &client_rotate_stmt, args, json);
}

enum db_status store_client_revoke(struct db *db, const struct actor *a, int64_t id, char **json)
{
	char org[DB_ID_LEN], cid[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id,
			       db_id(cid, id) };
	return db_query_text(db, &client_revoke_stmt, args, json);
}
