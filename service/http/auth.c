/*
 * auth.c — the authorization hook (see auth.h).
 *
 * Order: the route's permission must be in the decision table (deny by
 * default); a public route needs nothing; otherwise a Bearer access token
 * must verify (auth/jwt.c closes libjwt's holes), its claims must be
 * well-formed, and the table must grant the caller's roles or machine
 * scopes some scope, which the handler then applies to its queries.
 * 401 carries the RFC 6750 challenge; 403 says what is missing.
 */
#include "http/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <pthread.h>
#include <sodium.h>

#include "auth/jwt.h"
#include "http/log.h"

static struct auth_config ac;

void auth_init(const struct auth_config *cfg)
{
	ac = *cfg;
}

/*
 * Verified-token cache.  An ES256 verification costs tens of microseconds,
 * more than the rest of a small read, and a client sends the same token for
 * up to 15 minutes.  So the caller derived from a verified token is kept,
 * keyed by the SHA-256 of the token text, until the token's exp.  Direct-
 * mapped and bounded: a collision evicts, a miss verifies again.  Only
 * successful verifications are cached, so a forged token can never hit.
 */
#define CACHE_SLOTS 4096
#define CACHE_LOCKS 16

struct cached {
	unsigned char key[crypto_hash_sha256_BYTES];
	int64_t exp;
	struct caller who;
	bool used;
};

static struct cached cache[CACHE_SLOTS];
static pthread_mutex_t cache_locks[CACHE_LOCKS] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER,
};

static size_t cache_slot(const unsigned char key[crypto_hash_sha256_BYTES])
{
	size_t h;
	memcpy(&h, key, sizeof h);
	return h % CACHE_SLOTS;
}

static bool cache_get(const unsigned char *key, int64_t now, struct caller *who)
{
	size_t slot = cache_slot(key);
	pthread_mutex_t *lock = &cache_locks[slot % CACHE_LOCKS];
	pthread_mutex_lock(lock);
	const struct cached *e = &cache[slot];
	bool hit = e->used && e->exp >= now && sodium_memcmp(e->key, key, sizeof e->key) == 0;
	if (hit)
		*who = e->who;
	pthread_mutex_unlock(lock);
	return hit;
}

static void cache_put(const unsigned char *key, int64_t exp, const struct caller *who)
{
	size_t slot = cache_slot(key);
	pthread_mutex_t *lock = &cache_locks[slot % CACHE_LOCKS];
	pthread_mutex_lock(lock);
	struct cached *e = &cache[slot];
	memcpy(e->key, key, sizeof e->key);
	e->exp = exp;
	e->who = *who;
	e->used = true;
	pthread_mutex_unlock(lock);
}

static struct problem *unauthorized(struct call *c, const char *error, const char *description)
{
	char challenge[256];
	if (error)
		snprintf(challenge, sizeof challenge,
			 "Bearer realm=\"thidua\", error=\"%s\", error_description=\"%s\"", error,
			 description);
	else
		snprintf(challenge, sizeof challenge, "Bearer realm=\"thidua\"");
	call_set_header(c, "WWW-Authenticate", challenge); /* RFC 6750: ASCII, English */
	if (!error)
		return problem_new(P_UNAUTHORIZED, "This operation needs a bearer access token.");
	struct problem *p = problem_new(P_UNAUTHORIZED, NULL);
	p->detail = strdup(_(description));
	return p;
}

static bool int_claim(const json_t *payload, const char *name, int64_t *out, bool required)
{
	json_t *v = json_object_get(payload, name);
	if (!v) {
		*out = 0;
		return !required;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return false;
	*out = json_integer_value(v);
	return true;
}

/* Fills the caller from verified claims; false if they are not ours. */
static bool caller_from_claims(const json_t *payload, struct caller *who)
{
	memset(who, 0, sizeof *who);
	const char *sub = json_string_value(json_object_get(payload, "sub"));
	if (!sub || strlen(sub) >= sizeof who->subject)
		return false;
	snprintf(who->subject, sizeof who->subject, "%s", sub);
	if (!int_claim(payload, "org", &who->org_id, true) ||
	    !int_claim(payload, "unit", &who->unit_id, false) ||
	    !int_claim(payload, "staff", &who->staff_id, false))
		return false;

	json_t *roles = json_object_get(payload, "roles");
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		enum role role;
		if (!json_is_string(r) || !role_parse(json_string_value(r), &role))
			return false;
		who->roles |= ROLE_BIT(role);
	}
	const char *scope = json_string_value(json_object_get(payload, "scope"));
	if (scope) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s", scope);
		char *save = NULL;
		for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			enum machine_scope ms;
			if (!machine_scope_parse(t, &ms))
				return false;
			who->mscopes |= MSCOPE_BIT(ms);
		}
	}
	if (strncmp(sub, "user:", 5) == 0) {
		who->kind = CALLER_USER;
		char *end;
		who->user_id = strtoll(sub + 5, &end, 10);
		return *end == '\0' && who->user_id > 0 && who->roles && !who->mscopes;
	}
	if (strncmp(sub, "client:", 7) == 0) {
		who->kind = CALLER_CLIENT;
		return sub[7] && who->mscopes && !who->roles;
	}
	return false;
}

bool sso_parse_role_map(struct sso_trust *t, const char *spec, char *err, size_t errlen)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", spec);
	t->n_map = 0;
	char *save = NULL;
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		char *eq = strchr(item, '=');
		enum role r;
		if (!eq || eq == item || !role_parse(eq + 1, &r) || t->n_map == SSO_MAX_ROLE_MAP ||
		    r == ROLE_UNIT_HEAD || r == ROLE_STAFF || (size_t)(eq - item) >= 64) {
			snprintf(err, errlen,
				 "THIDUA_SSO_ROLE_MAP: \"%.60s\" is not external=role with an "
				 "organisation-wide role (admin, secretariat, leader, council, "
				 "viewer)",
				 item);
			return false;
		}
		*eq = '\0';
		snprintf(t->map[t->n_map].external, sizeof t->map[t->n_map].external, "%s", item);
		t->map[t->n_map].role = r;
		t->n_map++;
	}
	return true;
}

/* Caller from a verified token of the external issuer. */
static bool caller_from_sso(const struct sso_trust *t, const json_t *payload, struct caller *who)
{
	memset(who, 0, sizeof *who);
	const char *sub = json_string_value(json_object_get(payload, "sub"));
	const char *org = json_string_value(json_object_get(payload, t->org_claim));
	if (!sub || !org || strlen(sub) + 4 >= sizeof who->subject ||
	    !t->resolve_org(t->resolve_ctx, org, &who->org_id))
		return false;
	snprintf(who->subject, sizeof who->subject, "sso:%s", sub);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(payload, t->roles_claim), i, v)
	{
		const char *name = json_string_value(v);
		for (size_t k = 0; name && k < t->n_map; k++)
			if (strcmp(t->map[k].external, name) == 0)
				who->roles |= ROLE_BIT(t->map[k].role);
	}
	who->kind = CALLER_USER; /* user_id 0: no account here */
	return who->roles != 0;
}

/* Sets c->who from a valid token (cached or verified now); else *p. */
static bool verify_caller(struct call *c, const char *token, struct problem **p)
{
	const struct auth_config *cfg = &ac;
	int64_t now = (int64_t)time(NULL);
	size_t len = strnlen(token, JWT_MAX_TOKEN_LEN + 1);
	unsigned char key[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(key, (const unsigned char *)token, len);
	/* exp already carries the leeway the verifier allows */
	if (cache_get(key, now, &c->who))
		return true;
	json_t *payload = NULL;
	bool ok;
	enum jwt_verdict v = jwt_verify(cfg->keys, cfg->rules, token, now, &payload);
	if (v == JWT_VALID) {
		ok = caller_from_claims(payload, &c->who);
	} else {
		/* not ours: perhaps the external issuer's; report its verdict then,
		 * unless the token claims to be ours (it carries one of our kids) */
		enum jwt_verdict ext =
			cfg->sso ? jwt_verify(cfg->sso->keys, cfg->sso->rules, token, now, &payload)
				 : JWT_UNKNOWN_KID;
		if (ext != JWT_VALID) {
			enum jwt_verdict shown = v == JWT_UNKNOWN_KID && cfg->sso ? ext : v;
			*p = unauthorized(c, "invalid_token", jwt_verdict_text(shown));
			return false;
		}
		ok = caller_from_sso(cfg->sso, payload, &c->who);
	}
	int64_t exp = json_integer_value(json_object_get(payload, "exp"));
	json_decref(payload);
	if (!ok) {
		*p = unauthorized(c, "invalid_token", N_("claims not understood"));
		return false;
	}
	cache_put(key, exp + (int64_t)cfg->rules->leeway_s, &c->who);
	return true;
}

bool auth_check(struct call *c, struct problem **p)
{
	const char *perm = c->route->permission;
	if (strcmp(perm, PERM_PUBLIC) == 0)
		return true;
	if (!access_known(perm)) {
		log_msgf(LOG_ERROR, "route %s %s names unknown permission %s", c->route->method,
			 c->route->path, perm);
		*p = problem_internal();
		return false;
	}
	const struct auth_config *cfg = &ac;
	const char *authz = call_req_header(c, "Authorization");
	if (!authz || strncasecmp(authz, "Bearer ", 7) != 0 || !cfg->keys) {
		*p = unauthorized(c, NULL, NULL);
		return false;
	}
	const char *token = authz + 7;
	while (*token == ' ')
		token++;
	if (!verify_caller(c, token, p))
		return false;
	c->who.scope = access_decide(perm, c->who.roles, c->who.mscopes);
	if (c->who.scope == SCOPE_NONE) {
		call_set_header(c, "WWW-Authenticate",
				"Bearer realm=\"thidua\", error=\"insufficient_scope\"");
		*p = problem_new(P_FORBIDDEN, "Your role does not allow this operation.");
		return false;
	}
	return true;
}
