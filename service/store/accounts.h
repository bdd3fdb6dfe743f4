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
};

enum db_status store_account_for_login(struct db *db, const char *username,
				       struct login_account *out);
/* Loads an account by id (after a refresh): same fields. */
enum db_status store_account_by_id(struct db *db, int64_t user_id, struct login_account *out);
enum db_status store_account_set_password_hash(struct db *db, int64_t user_id, const char *hash);

/* Reserves a login attempt for both keys at once: *wait_s > 0 when either
 * is blocked (nothing counted); else the attempt is counted as a failure
 * until store_throttle_success takes it back. */
enum db_status store_throttle_try(struct db *db, const char *user_key, const char *ip_key,
				  int free_user, int free_ip, int *wait_s);
enum db_status store_throttle_success(struct db *db, const char *user_key, const char *ip_key);

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
};
enum db_status store_client_for_token(struct db *db, const char *client_id,
				      struct client_secret *out);

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
