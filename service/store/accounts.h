/*
 * accounts.h — storage for logins: accounts, refresh tokens, machine
 * clients, login throttling.
 *
 * Secrets never reach this layer in clear: refresh tokens and client
 * secrets arrive as SHA-256 digests (hex), passwords as Argon2id strings.
 */
#ifndef THIDUA_STORE_ACCOUNTS_H
#define THIDUA_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/write.h"

struct login_account {
	bool found;
	int64_t id, org_id, unit_id, staff_id; /* unit/staff: 0 when none */
	bool disabled;
	char password_hash[160];
	char roles[200]; /* PostgreSQL array text, e.g. {admin,staff} */
	char display_name[256];
	int64_t token_epoch; /* the "epoch" claim of its access tokens */
};

/* username: the canonical name (lower-case ASCII), compared as it is. */
enum db_status store_account_for_login(struct db *db, const char *username,
				       struct login_account *out);
/* Loads an account by id (after a refresh): same fields. */
enum db_status store_account_by_id(struct db *db, int64_t user_id, struct login_account *out);
enum db_status store_account_set_password_hash(struct db *db, int64_t user_id, const char *hash);

/* Login throttling by two keys, "pair:<name>@<address>" (NULL when the
 * name can be no account's) and "ip:<address>", with free failures each
 * (db/procedures/login_throttle.sql).  try reserves an attempt: *wait_s is
 * 0 then, > 0 when a key is blocked for that long, -1 when attempts in
 * flight could still use up the free failures (ask again shortly); nothing
 * is reserved unless 0.  A reserved attempt ends with fail or success. */
enum db_status store_throttle_try(struct db *db, const char *pair_key, const char *ip_key,
				  int free_pair, int free_ip, int *wait_s);
enum db_status store_throttle_fail(struct db *db, const char *pair_key, const char *ip_key,
				   int free_pair, int free_ip);
enum db_status store_throttle_success(struct db *db, const char *pair_key, const char *ip_key);

/* A new refresh token (new family). hash_hex: SHA-256 of the token. */
enum db_status store_refresh_create(struct db *db, int64_t org_id, int64_t user_id,
				    const char *hash_hex, unsigned ttl_s);

enum refresh_outcome {
	REFRESH_ROTATED,
	REFRESH_UNKNOWN,
	REFRESH_REUSED,
	REFRESH_REVOKED,
	REFRESH_EXPIRED,
	REFRESH_DISABLED
};
enum db_status store_refresh_rotate(struct db *db, const char *hash_hex, const char *new_hash_hex,
				    unsigned ttl_s, enum refresh_outcome *outcome, int64_t *user_id,
				    int64_t *org_id);
/* Revokes the family of the token; *found false when the token is unknown. */
enum db_status store_refresh_revoke_family(struct db *db, const char *hash_hex, bool *found,
					   int64_t *user_id, int64_t *org_id);

struct client_secret {
	bool found;
	bool revoked;
	int64_t id, org_id;
	char secret_hash_hex[65];
	char scopes[200]; /* PostgreSQL array text */
	int64_t token_epoch; /* the "epoch" claim of its access tokens */
	int64_t unit_id; /* the subtree it reports for (its "unit" claim); 0: all */
};
enum db_status store_client_for_token(struct db *db, const char *client_id,
				      struct client_secret *out);

/* --- revocation of access tokens (db/procedures/token_revocation.sql) ---- */

/* The organisation's security revision: it moves whenever a token epoch of
 * one of its accounts or clients does. */
enum db_status store_security_revision(struct db *db, int64_t org_id, int64_t *rev);
/* The token epoch of an account or client now; -1 when it may not act
 * (disabled, revoked) or does not exist. */
enum db_status store_user_token_epoch(struct db *db, int64_t org_id, int64_t user_id,
				      int64_t *epoch);
enum db_status store_client_token_epoch(struct db *db, int64_t org_id, const char *client_id,
					int64_t *epoch);

/* --- administration of accounts and clients (JSON text in and out) ------- */

/* {"items":[user_json...], "next_cursor"} ordered by id. */
enum db_status store_users_list(struct db *db, int64_t org_id, int64_t after_id, long limit,
				char **json);
enum db_status store_user_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: validated {"username","display_name","roles","staff_id","unit_id"};
 * password_hash separately, so it never enters the audit trail.  OK: the
 * account with its version and id. */
void store_user_create(const struct writer *w, const char *fields, const char *password_hash,
		       struct write_result *r);
/* A partial update when the account's version is if_version (else STALE);
 * password_hash NULL keeps the password.  A new password, new roles or
 * disabling revoke the account's refresh tokens. */
void store_user_patch(const struct writer *w, int64_t id, int if_version, const char *fields,
		      const char *password_hash, struct write_result *r);

/* Clients carry no version in their answers: they are never changed with
 * If-Match. */
enum db_status store_clients_list(struct db *db, int64_t org_id, char **json);
/* fields: {"client_id","name","scopes"}; secret_hash_hex of the new secret. */
void store_client_create(const struct writer *w, const char *fields, const char *secret_hash_hex,
			 struct write_result *r);
/* Replaces the secret of a live client; NOT_FOUND when there is none. */
void store_client_rotate(const struct writer *w, int64_t id, const char *secret_hash_hex,
			 struct write_result *r);
/* Revokes a client; a revoked one is answered as it is. */
void store_client_revoke(const struct writer *w, int64_t id, struct write_result *r);

#endif
