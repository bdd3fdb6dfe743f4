/*
 * app.h — what the handlers of one process share, and the route table.
 *
 * main.c builds one struct app at start, with every cache and key; every
 * call carries a pointer to it (struct call.app).  Nothing in it changes
 * after start except through its own synchronisation (the pool, the
 * caches).
 */
#ifndef THIDUA_API_APP_H
#define THIDUA_API_APP_H

#include <pthread.h>
#include <stddef.h>

#include "auth/jwt.h"
#include "auth/proof.h"
#include "config.h"
#include "http/auth.h"
#include "http/router.h"

struct page_cache;
struct pool;
struct pool_options;

/* The process-wide caches, made by main.c at start.  Each is a copy of what
 * PostgreSQL holds, checked against a revision read on every request
 * (cache/page_cache.h), immutable, or — the public news only — kept for
 * the seconds its Cache-Control promises anyway; none is what makes a path
 * fast enough. */
struct app_caches {
	struct page_cache *staff_pages; /* staff list pages, by staff revision */
	struct page_cache *progress; /* progress answers, by progress revision and language */
	struct page_cache *template_fields; /* the fields of a period's template */
	struct page_cache *public_news; /* first pages of the public news, for seconds */
};

struct app {
	const struct config *cfg;
	struct pool *pool;
	struct app_caches caches;
	/* the contract as JSON, converted once, at the first request for it
	 * (ops.c), under the lock */
	pthread_mutex_t openapi_lock;
	char *openapi_json;
	size_t openapi_json_len;
	struct jwt_keyring *keys; /* signs and verifies our access tokens */
	struct proof_key proof_key; /* the public's proof-of-work challenges */
	struct jwt_rules rules;
	char *jwks_json; /* the public keys, converted once at start */
	struct jwt_keyring *sso_keys; /* the external issuer's key, or NULL */
	struct jwt_rules sso_rules;
	struct sso_trust sso;
};

/* The route table (routes.c): the whole surface of the API. */
extern const struct route api_routes[];
extern const size_t api_routes_count;
/* Whether route r is computed on the gate's threads (http/gate.h). */
bool api_route_heavy(const struct route *r);

/* Registers the pool gauges with /metrics (ops.c). */
void ops_register_metrics(struct app *app);

/* What the authorization hook asks about revoked tokens (auth.c), read
 * through a small pool of its own; NULL when it cannot be made.  Started
 * once before the listener, stopped after it. */
const struct revocation_source *auth_revocation_start(const struct pool_options *base);
void auth_revocation_stop(void);

#endif
