/*
 * auth.c — POST /v1/auth/token, POST /v1/auth/logout,
 * GET /.well-known/jwks.json, GET /v1/me.
 *
 * The token endpoint speaks OAuth 2.0 (RFC 6749) grant types with a JSON
 * body: password (people), refresh_token (rotation with reuse detection)
 * and client_credentials (machines).  Failed logins answer one and the same
 * 401 whether the account exists or not, after the same Argon2id work, and
 * count against the account at the client's address and against the
 * address, with growing delays (429 with Retry-After while a key is
 * blocked; db/procedures/login_throttle.sql).  Never against the account
 * alone: then anyone could lock its owner out from anywhere.
 *
 * Names are compared in one canonical form, the only one an account can
 * have (^[a-z0-9._-]{3,64}$, ASCII letters folded): a name with any other
 * character is no account's, so Unicode lookalikes (the Kelvin sign for
 * "k", a dotted capital I for "i", which PostgreSQL's lower() folds onto
 * ASCII) neither reach an account nor get a throttle budget of their own.
 *
 * Access tokens carry the token epoch of their account or client ("epoch"
 * claim), which the authorization hook compares with the database's
 * (http/auth.c, db/procedures/token_revocation.sql).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/secret.h"
#include "http/log.h"
#include "http/validate.h"
#include "store/accounts.h"

/* Failures allowed before delays start: per account at one client address,
 * per client address (over all names). */
#define FREE_FAILURES_PAIR 3
#define FREE_FAILURES_ADDRESS 20
/* How long a login waits for attempts in flight on its keys to end before
 * it answers 429; each wait releases the database connection. */
#define THROTTLE_BUSY_WAIT_MS 3000

/* The canonical form of an account name or client id into out (at least
 * 65 bytes): ASCII letters lower-cased when fold_case, and then
 * ^[a-z0-9._-]{3,64}$ as the tables require; false when the text can be no
 * account's or client's. */
static bool login_name_canonical(const char *in, bool fold_case, char *out, size_t cap)
{
	size_t n = strlen(in);
	if (n < 3 || n > 64 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (fold_case && ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-'))
			return false;
		out[i] = (char)ch;
	}
	out[n] = '\0';
	return true;
}

static const char *const token_fields[] = { "grant_type",    "username",  "password",
					    "refresh_token", "client_id", "client_secret",
					    "scope",	     NULL };
static const char *const grant_types[] = { "password", "refresh_token", "client_credentials",
					   NULL };

/* 401 needs a challenge (RFC 9110 §15.5.2), even at the token endpoint. */
static struct problem *bad_credentials(struct call *c)
{
	call_set_header(c, "WWW-Authenticate", "Bearer realm=\"thidua\"");
	return problem_new(P_INVALID_CREDENTIALS, "The credentials were not accepted.");
}

/* Parses a PostgreSQL text array of role names ("{admin,staff}") to JSON. */
static json_t *roles_json_new(const char *pg_array)
{
	json_t *arr = json_array();
	char buf[200];
	snprintf(buf, sizeof buf, "%s", pg_array);
	char *save = NULL;
	for (char *t = strtok_r(buf, "{},", &save); t; t = strtok_r(NULL, "{},", &save))
		json_array_append_new(arr, json_string(t));
	return arr;
}

/* Signs an access token for an account; new string or NULL. */
static char *access_token_for(struct call *c, const struct login_account *a)
{
	char sub[40];
	snprintf(sub, sizeof sub, "user:%lld", (long long)a->id);
	json_t *claims = json_pack("{s:s, s:I, s:o}", "sub", sub, "org", (json_int_t)a->org_id,
				   "roles", roles_json_new(a->roles));
	if (!claims)
		return NULL;
	if (a->unit_id)
		json_object_set_new(claims, "unit", json_integer(a->unit_id));
	if (a->staff_id)
		json_object_set_new(claims, "staff", json_integer(a->staff_id));
	json_object_set_new(claims, "epoch", json_integer(a->token_epoch));
	char jti[33];
	char *token = jwt_issue_new(c->app->keys, &c->app->rules, claims, (int64_t)time(NULL),
				    c->app->cfg->access_token_ttl_s, jti);
	json_decref(claims);
	return token;
}

/* Answers 200 with the tokens; takes access (may be NULL: 500). */
static void send_tokens(struct call *c, char *access, const char *refresh, const char *scope)
{
	if (!access) {
		call_problem(c, problem_internal());
		return;
	}
	json_t *body = json_pack("{s:s, s:s, s:i}", "access_token", access, "token_type", "Bearer",
				 "expires_in", (int)c->app->cfg->access_token_ttl_s);
	free(access);
	if (refresh)
		json_object_set_new(body, "refresh_token", json_string(refresh));
	if (scope)
		json_object_set_new(body, "scope", json_string(scope));
	call_set_header(c, "Pragma", "no-cache");
	call_json(c, 200, body);
}

/* The audit trail's actor for an account acting on its own behalf; a.id
 * points into id, so it is filled in place (account_actor_of), never
 * copied. */
struct account_actor {
	char id[24];
	struct actor a;
};

static void account_actor_of(struct account_actor *out, int64_t org_id, int64_t user_id,
			     const char *request_id)
{
	snprintf(out->id, sizeof out->id, "%lld", (long long)user_id);
	out->a = (struct actor){ org_id, "user", out->id, request_id };
}

/* What a successful login records, in one transaction: the throttle
 * cleared, the password's new hash (rehash), the refresh token, the audit
 * record.  Nothing is written into it, so a retry starts from scratch. */
struct login_record {
	const struct login_account *a;
	const char *pair_key, *ip_key;
	const char *new_hash; /* NULL: keep the stored hash */
	const char *refresh_hash;
	unsigned refresh_ttl_s;
	struct account_actor actor;
};

static enum db_status record_login(struct db *db, void *ctx)
{
	const struct login_record *l = ctx;
	enum db_status st = store_throttle_success(db, l->pair_key, l->ip_key);
	if (st == DB_OK && l->new_hash)
		st = store_account_set_password_hash(db, l->a->id, l->new_hash);
	if (st == DB_OK)
		st = store_refresh_create(db, l->a->org_id, l->a->id, l->refresh_hash,
					  l->refresh_ttl_s);
	if (st == DB_OK)
		st = store_audit_append(db, &l->actor.a, "auth.login", "user", l->actor.id, NULL,
					NULL);
	return st;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&t, &t) != 0)
		;
}

/* Reserves a password check on the throttle's keys (pair may be NULL),
 * waiting while attempts in flight could still use up the free failures;
 * the database connection is given back during each wait, so waiting
 * logins never hold the pool.  NULL with the call answered (429 or the
 * database's failure); else the connection to go on with. */
static struct db *throttle_reserve_or_answer(struct call *c, const char *pair, const char *ip_key)
{
	unsigned waited_ms = 0, step_ms = 5;
	for (;;) {
		struct db *db = api_db_or_answer(c);
		if (!db)
			return NULL;
		int wait_s = 0;
		enum db_status st = store_throttle_try(db, pair, ip_key, FREE_FAILURES_PAIR,
						       FREE_FAILURES_ADDRESS, &wait_s);
		if (st != DB_OK) {
			api_answer_db_failure(c, st, "throttle");
			return NULL;
		}
		if (wait_s == 0)
			return db;
		if (wait_s > 0 || waited_ms >= THROTTLE_BUSY_WAIT_MS) {
			struct problem *p = problem_new(P_TOO_MANY_ATTEMPTS,
							"Too many failed logins; try again later.");
			p->retry_after_s = wait_s > 0 ? (unsigned)wait_s : 1;
			call_problem(c, p);
			return NULL;
		}
		api_after_handler(c); /* gives the connection back while waiting */
		sleep_ms(step_ms);
		waited_ms += step_ms;
		step_ms = step_ms < 40 ? step_ms * 2 : 50;
	}
}

static void grant_password(struct call *c, const char *username, const char *password)
{
	char name[72], pair_key[160], ip_key[80], ip[64];
	bool named = login_name_canonical(username, true, name, sizeof name);
	call_client_address(c, ip, sizeof ip);
	snprintf(ip_key, sizeof ip_key, "ip:%s", ip);
	snprintf(pair_key, sizeof pair_key, "pair:%s@%s", named ? name : "", ip);
	const char *pair = named ? pair_key : NULL;

	struct db *db = throttle_reserve_or_answer(c, pair, ip_key);
	if (!db)
		return;
	/* the attempt is reserved; failure or success settles it (a reservation
	 * left behind by a database failure lapses after a minute) */
	struct login_account a = { 0 };
	enum db_status st = named ? store_account_for_login(db, name, &a) : DB_OK;
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "account");
		return;
	}
	bool rehash = false;
	bool ok;
	if (a.found) {
		ok = password_verify(a.password_hash, password, &rehash) && !a.disabled;
	} else {
		password_verify_dummy(password);
		ok = false;
	}
	if (!ok) {
		st = store_throttle_fail(db, pair, ip_key, FREE_FAILURES_PAIR,
					 FREE_FAILURES_ADDRESS);
		if (st != DB_OK)
			log_msgf(LOG_ERROR, "could not record a failed login");
		call_problem(c, bad_credentials(c));
		return;
	}

	char refresh[SECRET_TEXT_LEN], refresh_hash[SECRET_HASH_HEX_LEN];
	secret_new(refresh);
	secret_sha256_hex(refresh, refresh_hash);
	/* hashed once, outside the transaction, which may run again */
	char fresh[PASSWORD_HASH_MAX];
	struct login_record l = { .a = &a,
				  .pair_key = pair,
				  .ip_key = ip_key,
				  .refresh_hash = refresh_hash,
				  .refresh_ttl_s = c->app->cfg->refresh_token_ttl_s };
	if (rehash && password_hash(password, fresh))
		l.new_hash = fresh;
	account_actor_of(&l.actor, a.org_id, a.id, c->request_id);
	st = db_transaction(db, record_login, &l);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "login");
		return;
	}
	send_tokens(c, access_token_for(c, &a), refresh, NULL);
}

static void grant_refresh(struct call *c, struct db *db, const char *refresh)
{
	char hash[SECRET_HASH_HEX_LEN], next[SECRET_TEXT_LEN], next_hash[SECRET_HASH_HEX_LEN];
	secret_sha256_hex(refresh, hash);
	secret_new(next);
	secret_sha256_hex(next, next_hash);
	enum refresh_outcome outcome;
	int64_t user_id = 0, org_id = 0;
	enum db_status st = store_refresh_rotate(
		db, hash, next_hash, c->app->cfg->refresh_token_ttl_s, &outcome, &user_id, &org_id);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "refresh");
		return;
	}
	if (outcome == REFRESH_REUSED) {
		struct account_actor actor = { 0 };
		account_actor_of(&actor, org_id, user_id, c->request_id);
		/* on its own statement: the family stays revoked even if this fails */
		if (store_audit_append(db, &actor.a, "auth.refresh_reuse", "user", actor.id, NULL,
				       NULL) != DB_OK)
			log_msgf(LOG_ERROR, "could not audit a refresh token reuse");
		log_event(LOG_WARN, "refresh token reused; family revoked",
			  json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "request_id",
				    c->request_id));
	}
	if (outcome != REFRESH_ROTATED) {
		call_set_header(c, "WWW-Authenticate", "Bearer realm=\"thidua\"");
		call_problem(c, problem_new(P_INVALID_GRANT, "The refresh token is not valid."));
		return;
	}
	struct login_account a;
	st = store_account_by_id(db, user_id, &a);
	if (st != DB_OK || !a.found) {
		api_answer_db_failure(c, st == DB_OK ? DB_ERROR : st, "account");
		return;
	}
	send_tokens(c, access_token_for(c, &a), next, NULL);
}

/* The requested scopes must be a subset of the client's; "" means all of them. */
static bool pick_scopes(const char *granted_pg, const char *requested, char *out, size_t len)
{
	char granted[200];
	snprintf(granted, sizeof granted, "%s", granted_pg);
	out[0] = '\0';
	char *save = NULL;
	if (!requested || !*requested) {
		for (char *t = strtok_r(granted, "{},", &save); t; t = strtok_r(NULL, "{},", &save))
			snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? " " : "", t);
		return *out != '\0';
	}
	char want[200];
	snprintf(want, sizeof want, "%s", requested);
	for (char *t = strtok_r(want, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char needle[80];
		snprintf(needle, sizeof needle, "%s", t);
		bool found = false;
		char copy[200], *s2 = NULL;
		snprintf(copy, sizeof copy, "%s", granted);
		for (char *g = strtok_r(copy, "{},", &s2); g && !found;
		     g = strtok_r(NULL, "{},", &s2))
			found = strcmp(g, needle) == 0;
		if (!found)
			return false;
		snprintf(out + strlen(out), len - strlen(out), "%s%s", *out ? " " : "", needle);
	}
	return *out != '\0';
}

static void grant_client(struct call *c, struct db *db, const char *client_id,
			 const char *client_secret, const char *scope)
{
	/* compared byte for byte, as before: "A-PORTAL" is no client */
	char canonical[72];
	struct client_secret cs = { 0 };
	enum db_status st = DB_OK;
	if (login_name_canonical(client_id, false, canonical, sizeof canonical))
		st = store_client_for_token(db, canonical, &cs);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "client");
		return;
	}
	char hash[SECRET_HASH_HEX_LEN];
	secret_sha256_hex(client_secret, hash);
	char scopes[200];
	if (!cs.found || cs.revoked || !secret_hex_equal(hash, cs.secret_hash_hex)) {
		call_problem(c, bad_credentials(c));
		return;
	}
	if (!pick_scopes(cs.scopes, scope, scopes, sizeof scopes)) {
		struct problem *p =
			problem_new(P_INVALID_SCOPE, "The client may not ask for that scope.");
		problem_add_error(p, "/scope", "must be a subset of the client's scopes");
		call_problem(c, p);
		return;
	}
	char sub[96];
	snprintf(sub, sizeof sub, "client:%s", client_id);
	json_t *claims = json_pack("{s:s, s:I, s:s, s:I}", "sub", sub, "org", (json_int_t)cs.org_id,
				   "scope", scopes, "epoch", (json_int_t)cs.token_epoch);
	if (claims && cs.unit_id)
		json_object_set_new(claims, "unit", json_integer(cs.unit_id));
	char jti[33];
	char *token =
		claims ? jwt_issue_new(c->app->keys, &c->app->rules, claims, (int64_t)time(NULL),
				       c->app->cfg->access_token_ttl_s, jti)
		       : NULL;
	json_decref(claims);
	send_tokens(c, token, NULL, scopes);
}

void auth_token(struct call *c)
{
	struct validation v;
	validation_begin(&v, c->body, token_fields);
	const char *grant = NULL, *a = NULL, *b = NULL, *scope = NULL;
	field_enum(&v, "grant_type", true, grant_types, &grant);
	if (grant && strcmp(grant, "password") == 0) {
		field_string(&v, "username", true, 1, 64, &a);
		field_string(&v, "password", true, 1, PASSWORD_MAX_LENGTH, &b);
	} else if (grant && strcmp(grant, "refresh_token") == 0) {
		field_string(&v, "refresh_token", true, 1, 100, &a);
	} else if (grant) {
		field_string(&v, "client_id", true, 1, 64, &a);
		field_string(&v, "client_secret", true, 1, 100, &b);
		field_string(&v, "scope", false, 1, 200, &scope);
	}
	if (!api_valid_or_answer(c, &v))
		return;
	assert(grant); /* required: the validation answered otherwise */
	if (strcmp(grant, "password") == 0) {
		grant_password(c, a, b);
		return;
	}
	struct db *db = api_db_or_answer(c);
	if (!db)
		return;
	if (strcmp(grant, "refresh_token") == 0)
		grant_refresh(c, db, a);
	else
		grant_client(c, db, a, b, scope);
}

/* Revoking a refresh token's family and auditing it, in one transaction;
 * the outputs are reset at each run. */
struct logout {
	const char *hash;
	const char *request_id;
	bool found;
	struct account_actor actor;
};

static enum db_status revoke_family(struct db *db, void *ctx)
{
	struct logout *l = ctx;
	int64_t user_id = 0, org_id = 0;
	l->found = false;
	enum db_status st = store_refresh_revoke_family(db, l->hash, &l->found, &user_id, &org_id);
	if (st != DB_OK || !l->found)
		return st;
	account_actor_of(&l->actor, org_id, user_id, l->request_id);
	return store_audit_append(db, &l->actor.a, "auth.logout", "user", l->actor.id, NULL, NULL);
}

void auth_logout(struct call *c)
{
	static const char *const fields[] = { "refresh_token", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *refresh = NULL;
	field_string(&v, "refresh_token", true, 1, 100, &refresh);
	struct db *db;
	if (!api_valid_or_answer(c, &v) || !(db = api_db_or_answer(c)))
		return;
	char hash[SECRET_HASH_HEX_LEN];
	secret_sha256_hex(refresh, hash);
	struct logout l = { .hash = hash, .request_id = c->request_id };
	enum db_status st = db_transaction(db, revoke_family, &l);
	if (st != DB_OK)
		api_answer_db_failure(c, st, "logout");
	else /* unknown tokens too: logout tells nothing about what exists */
		call_bytes(c, 204, "", "", 0);
}

void auth_jwks(struct call *c)
{
	/* public keys change only with a restart; portals may cache them briefly */
	call_set_header(c, "Cache-Control", "public, max-age=300");
	call_bytes(c, 200, "application/jwk-set+json", c->app->jwks_json,
		   strlen(c->app->jwks_json));
}

void auth_me(struct call *c)
{
	json_t *roles = json_array();
	for (int r = 0; r < ROLE_COUNT; r++)
		if (c->who.roles & ROLE_BIT(r))
			json_array_append_new(roles, json_string(role_name((enum role)r)));
	json_t *scopes = json_array();
	for (int s = 0; s < MSCOPE_COUNT; s++)
		if (c->who.mscopes & MSCOPE_BIT(s))
			json_array_append_new(
				scopes, json_string(machine_scope_name((enum machine_scope)s)));
	json_t *body =
		json_pack("{s:s, s:s, s:I, s:o, s:o}", "subject", c->who.subject, "kind",
			  c->who.kind == CALLER_CLIENT ? "client" : "user", "organization_id",
			  (json_int_t)c->who.org_id, "roles", roles, "scopes", scopes);
	if (body && c->who.unit_id)
		json_object_set_new(body, "unit_id", json_integer(c->who.unit_id));
	if (body && c->who.staff_id)
		json_object_set_new(body, "staff_id", json_integer(c->who.staff_id));
	call_json(c, 200, body);
}

/* --- the revocation source of the authorization hook (http/auth.h) ------ */

/*
 * Reads go through a pool of their own (REVOCATION_CONNECTIONS): the hook
 * runs before the handler borrows a connection from the main pool, and
 * queueing there twice per request doubled the wait under load (a valgrind
 * run of eight concurrent submissions on a pool of four met the 2 s pool
 * wait).  They are rare: the revision once a second per organisation, an
 * epoch once per cached holder after a change.
 */
#define REVOCATION_CONNECTIONS 2

static struct revocation_reader {
	struct revocation_source src;
	struct pool *pool;
} reader;

static bool revocation_read(const struct caller *who, int64_t org_id, int64_t *out)
{
	enum db_status st;
	struct db *db = pool_acquire(reader.pool, &st);
	if (!db)
		return false;
	if (!who)
		st = store_security_revision(db, org_id, out);
	else if (who->kind == CALLER_CLIENT)
		st = store_client_token_epoch(db, who->org_id, who->subject + strlen("client:"),
					      out);
	else
		st = store_user_token_epoch(db, who->org_id, who->user_id, out);
	pool_release(reader.pool, db);
	return st == DB_OK; /* the hook answers 503 */
}

static bool org_revision_read(void *ctx, int64_t org_id, int64_t *rev)
{
	(void)ctx;
	return revocation_read(NULL, org_id, rev);
}

static bool principal_epoch_read(void *ctx, const struct caller *who, int64_t *epoch)
{
	(void)ctx;
	return revocation_read(who, who->org_id, epoch);
}

const struct revocation_source *auth_revocation_start(const struct pool_options *base)
{
	/* the main pool's settings (TCP timeouts and keepalives included), but
	 * its own size, open at once */
	struct pool_options po = *base;
	po.size = REVOCATION_CONNECTIONS;
	po.closed = false;
	reader.pool = pool_new(&po);
	if (!reader.pool)
		return NULL;
	reader.src = (struct revocation_source){ org_revision_read, principal_epoch_read, NULL };
	return &reader.src;
}

void auth_revocation_stop(void)
{
	pool_free(reader.pool);
	reader.pool = NULL;
}
