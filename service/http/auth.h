/*
 * auth.h — the authorization hook every routed request passes through.
 *
 * Deny by default: a route is reachable without credentials only when its
 * permission in the route table is "public".  Every other permission needs a
 * verified caller: an access token we signed, or one of the external issuer
 * we are told to trust (the province's single sign-on); the decision table
 * of domain/access.c then grants the caller's roles or machine scopes a
 * scope, which the handler applies to its queries.  No handler ever decides
 * for itself whether a caller may enter.
 */
#ifndef THIDUA_HTTP_AUTH_H
#define THIDUA_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/access.h"
#include "http/call.h"

#define PERM_PUBLIC "public"

struct jwt_keyring;
struct jwt_rules;

/*
 * Trust in an external issuer (the province's single sign-on): its key and
 * rules, where its tokens name the organisation (our organisation code) and
 * the roles, and how its role names map to ours.  Only organisation-wide
 * roles can be granted this way: unit_head and staff need an account here,
 * linked to a unit or a staff record.
 */
#define SSO_MAX_ROLE_MAP 16
struct sso_trust {
	const struct jwt_keyring *keys;
	const struct jwt_rules *rules;
	const char *org_claim; /* e.g. "org_code" */
	const char *roles_claim; /* e.g. "roles" (string array) */
	size_t n_map;
	struct {
		char external[64];
		enum role role;
	} map[SSO_MAX_ROLE_MAP];
	/* Resolves our organisation code to its id (a database read, once per token). */
	bool (*resolve_org)(void *ctx, const char *code, int64_t *id);
	void *resolve_ctx;
};

/* Parses "external=role,..." into t->map; false with a message on error. */
bool sso_parse_role_map(struct sso_trust *t, const char *spec, char *err, size_t errlen);

/*
 * Revocation: what the database says now about the holders of our tokens
 * (store/accounts.h, db/procedures/token_revocation.sql).  Each returns
 * false when it cannot tell (the database is away).
 *   org_revision     the organisation's security revision, which moves
 *                    whenever a token epoch of its accounts or clients does;
 *   principal_epoch  the token epoch of the caller's account or client,
 *                    -1 when it may not act (disabled, revoked, gone).
 */
struct revocation_source {
	bool (*org_revision)(void *ctx, int64_t org_id, int64_t *rev);
	bool (*principal_epoch)(void *ctx, const struct caller *who, int64_t *epoch);
	void *ctx;
};

/* Whom the hook trusts; set once at start, borrowed until the end. */
struct auth_config {
	const struct jwt_keyring *keys; /* our access tokens */
	const struct jwt_rules *rules;
	const struct sso_trust *sso; /* an external issuer we trust, or NULL */
	const struct revocation_source *revocation; /* NULL: tokens live to exp */
};
void auth_init(const struct auth_config *cfg);

/* True when the caller may run c->route.  Otherwise *p receives the problem
 * (401 with WWW-Authenticate, or 403) for the dispatcher to send. */
bool auth_check(struct call *c, struct problem **p);

#endif
