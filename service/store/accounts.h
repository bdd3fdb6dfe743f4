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

#endif

/* --- administration of accounts and clients (JSON text in and out) ------- */

/* {"items":[user_json...], "next_cursor"} ordered by id. */
enum db_status store_users_list(struct db *db, int64_t org_id, int64_t after_id, long limit,
				char **json);
enum db_status store_user_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: validated {"username","display_name","roles","staff_id","unit_id"};
 * password_hash separately, so it never enters the audit trail. */
enum db_status store_user_create(struct db *db, const struct actor *a, const char *fields,
				 const char *password_hash, char **json);
/* Partial update when version matches; see store_staff_patch for the outputs.
 * password_hash NULL keeps the password. */
enum db_status store_user_patch(struct db *db, const struct actor *a, int64_t id, int if_version,
				const char *fields, const char *password_hash, char **json,
				int *current_version);

enum db_status store_clients_list(struct db *db, int64_t org_id, char **json);
/* fields: {"client_id","name","scopes"}; secret_hash_hex of the new secret. */
enum db_status store_client_create(struct db *db, const struct actor *a, const char *fields,
				   const char *secret_hash_hex, char **json);
/* Replaces the secret of a live client; *json NULL when there is none. */
enum db_status store_client_rotate(struct db *db, const struct actor *a, int64_t id,
				   const char *secret_hash_hex, char **json);
enum db_status store_client_revoke(struct db *db, const struct actor *a, int64_t id, char **json);
