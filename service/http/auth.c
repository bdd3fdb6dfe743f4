/*
 * auth.c — the authorization hook (see auth.h).
 *
 * Order: the route's permission must be in the decision table (deny by
 * default); a public route needs nothing; otherwise a Bearer access token
 * must verify (auth/jwt.c closes libjwt's holes), its claims must be
 * well-formed, and the table must grant the caller's roles or machine
 * scopes some scope, which the handler then applies to its queries.
 * 401 carries the RFC 6750 challenge; 403 says what is missing.
 *
 * A token of ours is also refused once revoked: when its account was
 * disabled or changed (roles, unit, staff record, password), or its client
 * revoked or given a new secret, within REVISION_TTL_MS of the commit on
 * every replica (see "Revocation" below).
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
 * keyed by the BLAKE2b-256 of the token text, until the token's exp.  Direct-
 * mapped and bounded: a collision evicts, a miss verifies again.  Only
 * successful verifications are cached, so a forged token can never hit.
 */
#define CACHE_SLOTS 4096
#define CACHE_LOCKS 16

/* What a verified token says, and how far it was checked against the
 * database: epoch is its "epoch" claim; checked_rev the organisation's
 * security revision at which its holder's epoch was last found equal
 * (-1: never, or the token is the external issuer's and has no holder
 * here). */
struct verified {
	struct caller who;
	int64_t epoch;
	int64_t checked_rev;
};

struct cached {
	unsigned char key[crypto_generichash_BYTES];
	int64_t exp;
	struct verified v;
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

static size_t cache_slot(const unsigned char key[crypto_generichash_BYTES])
{
	size_t h;
	memcpy(&h, key, sizeof h);
	return h % CACHE_SLOTS;
}

static bool cache_get(const unsigned char *key, int64_t now, struct verified *v, int64_t *exp)
{
	size_t slot = cache_slot(key);
	pthread_mutex_t *lock = &cache_locks[slot % CACHE_LOCKS];
	pthread_mutex_lock(lock);
	const struct cached *e = &cache[slot];
	bool hit = e->used && e->exp >= now && sodium_memcmp(e->key, key, sizeof e->key) == 0;
	if (hit) {
		*v = e->v;
		*exp = e->exp;
	}
	pthread_mutex_unlock(lock);
	return hit;
}

static void cache_put(const unsigned char *key, int64_t exp, const struct verified *v)
{
	size_t slot = cache_slot(key);
	pthread_mutex_t *lock = &cache_locks[slot % CACHE_LOCKS];
	pthread_mutex_lock(lock);
	struct cached *e = &cache[slot];
	memcpy(e->key, key, sizeof e->key);
	e->exp = exp;
	e->v = *v;
	e->used = true;
	pthread_mutex_unlock(lock);
}

/* Forgets key's entry (a revoked token must not hit again). */
static void cache_drop(const unsigned char *key)
{
	size_t slot = cache_slot(key);
	pthread_mutex_t *lock = &cache_locks[slot % CACHE_LOCKS];
	pthread_mutex_lock(lock);
	struct cached *e = &cache[slot];
	if (e->used && sodium_memcmp(e->key, key, sizeof e->key) == 0)
		e->used = false;
	pthread_mutex_unlock(lock);
}

/*
 * Revocation.  Replicas are stateless and may sit behind PgBouncer in
 * transaction mode (no LISTEN), so each one asks PostgreSQL: the
 * organisation's security revision (one primary-key read) at most once per
 * REVISION_TTL_MS per organisation, and, only when it moved since a cached
 * token's holder was last checked, that holder's token epoch (one more
 * primary-key read per holder and change).  Every other request pays a
 * mutex, a clock read and two comparisons.  So a revocation committed at T
 * is enforced by every replica for every request that starts after
 * T + REVISION_TTL_MS (plus the read's own round trip; REVISION_GRACE_MS
 * at worst, while another thread is reading it or after a failed read).
 *
 * The revision is tagged with the clock *before* it was read, and a holder
 * is marked checked at the revision read before its epoch was: a change
 * committing in between makes the mark older than the truth, never newer.
 * Direct-mapped by organisation: a collision costs a read, nothing else.
 */
#define REVISION_TTL_MS 1000
#define REVISION_GRACE_MS 2000
#define REVISION_SLOTS 64

struct org_revision {
	int64_t org_id; /* 0: empty */
	int64_t rev;
	int64_t read_ms; /* monotonic clock when its read began */
	bool reading; /* a thread is reading it again */
};

static struct org_revision revisions[REVISION_SLOTS];
static pthread_mutex_t revisions_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The organisation's security revision, at most REVISION_TTL_MS old (or
 * REVISION_GRACE_MS while another thread reads it, or when a read failed);
 * false when the database cannot tell within that bound. */
static bool org_revision(const struct revocation_source *src, int64_t org_id, int64_t *rev)
{
	int64_t now = monotonic_ms();
	struct org_revision *e = &revisions[(uint64_t)org_id % REVISION_SLOTS];
	pthread_mutex_lock(&revisions_lock);
	bool mine = e->org_id == org_id;
	int64_t age = now - e->read_ms;
	if (mine && (age < REVISION_TTL_MS || (e->reading && age < REVISION_GRACE_MS))) {
		*rev = e->rev;
		pthread_mutex_unlock(&revisions_lock);
		return true;
	}
	if (mine)
		e->reading = true;
	pthread_mutex_unlock(&revisions_lock);

	int64_t read = 0;
	bool ok = src->org_revision(src->ctx, org_id, &read);
	pthread_mutex_lock(&revisions_lock);
	if (ok && (e->org_id != org_id || now >= e->read_ms)) {
		*e = (struct org_revision){ org_id, read, now, false };
	} else if (e->org_id == org_id) {
		e->reading = false;
		/* a failed read may lean on a value still within the bound */
		if (!ok && monotonic_ms() - e->read_ms < REVISION_GRACE_MS) {
			read = e->rev;
			ok = true;
		}
	}
	pthread_mutex_unlock(&revisions_lock);
	*rev = read;
	return ok;
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

/* The token epoch a token of ours carries (absent: 0, as tokens issued
 * before epochs existed); false when it is not a non-negative integer. */
static bool epoch_claim(const json_t *payload, int64_t *epoch)
{
	json_t *e = json_object_get(payload, "epoch");
	*epoch = e ? json_integer_value(e) : 0;
	return !e || (json_is_integer(e) && *epoch >= 0);
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

/* Verifies a token not in the cache: *v and *exp from it; else *p. */
static bool verify_token(struct call *c, const char *token, int64_t now, struct verified *out,
			 int64_t *exp_out, struct problem **p)
{
	const struct auth_config *cfg = &ac;
	json_t *payload = NULL;
	bool ok;
	out->checked_rev = -1;
	out->epoch = 0;
	enum jwt_verdict v = jwt_verify(cfg->keys, cfg->rules, token, now, &payload);
	if (v == JWT_VALID) {
		ok = caller_from_claims(payload, &out->who) && epoch_claim(payload, &out->epoch);
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
		ok = caller_from_sso(cfg->sso, payload, &out->who);
	}
	/* exp carries the leeway the verifier allows */
	*exp_out =
		json_integer_value(json_object_get(payload, "exp")) + (int64_t)cfg->rules->leeway_s;
	json_decref(payload);
	if (!ok)
		*p = unauthorized(c, "invalid_token", N_("claims not understood"));
	return ok;
}

/* Whether the token's holder has an account or client here whose epoch
 * can move (the external issuer's users have none). */
static bool has_holder(const struct caller *who)
{
	return (who->kind == CALLER_USER && who->user_id > 0) || who->kind == CALLER_CLIENT;
}

/* True when the token's holder still has the epoch it claims, checked
 * again whenever the organisation's security revision moved; else *p
 * (401 when revoked, 503 when the database cannot tell). */
static bool still_valid(struct call *c, struct verified *v, bool *changed, struct problem **p)
{
	const struct revocation_source *src = ac.revocation;
	*changed = false;
	if (!src || !has_holder(&v->who))
		return true;
	int64_t rev, epoch;
	if (!org_revision(src, v->who.org_id, &rev))
		goto unknown;
	if (rev == v->checked_rev)
		return true;
	if (!src->principal_epoch(src->ctx, &v->who, &epoch))
		goto unknown;
	if (epoch < 0 || epoch != v->epoch) {
		*p = unauthorized(c, "invalid_token", N_("token revoked"));
		return false;
	}
	v->checked_rev = rev;
	*changed = true;
	return true;
unknown:
	*p = problem_unavailable(N_("The database cannot be reached; try again shortly."), 2);
	return false;
}

/* Sets c->who from a valid, unrevoked token (cached or verified now);
 * else *p. */
static bool verify_caller(struct call *c, const char *token, struct problem **p)
{
	int64_t now = (int64_t)time(NULL);
	size_t len = strnlen(token, JWT_MAX_TOKEN_LEN + 1);
	/* BLAKE2b rather than SHA-256: an eighth of the instructions for a
	 * 700-byte token (callgrind: about 3 k against 24 k), on every request */
	unsigned char key[crypto_generichash_BYTES];
	crypto_generichash(key, sizeof key, (const unsigned char *)token, len, NULL, 0);
	struct verified v;
	int64_t exp;
	bool hit = cache_get(key, now, &v, &exp);
	if (!hit && !verify_token(c, token, now, &v, &exp, p))
		return false;
	bool changed;
	if (!still_valid(c, &v, &changed, p)) {
		if (hit && (*p)->status == 401)
			cache_drop(key);
		return false;
	}
	if (!hit || changed)
		cache_put(key, exp, &v);
	c->who = v.who;
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
	/* a client limited to a unit's subtree (migration 0042) acts as the
	 * unit's head does: what its scope grants, within the subtree */
	if (c->who.kind == CALLER_CLIENT && c->who.unit_id > 0 && c->who.scope > SCOPE_UNIT)
		c->who.scope = SCOPE_UNIT;
	if (c->who.scope == SCOPE_NONE) {
		call_set_header(c, "WWW-Authenticate",
				"Bearer realm=\"thidua\", error=\"insufficient_scope\"");
		*p = problem_new(P_FORBIDDEN, "Your role does not allow this operation.");
		return false;
	}
	return true;
}
