/*
 * call.h — one HTTP request on its way through the service.
 *
 * The dispatcher (call.c) owns the shared steps of every request, in order:
 * request id, body limit, route match (404/405), CORS, authorization hook,
 * JSON body parsing for routes that take one, the handler, then common
 * headers, metrics and the access log.  A handler only reads its inputs from
 * the call and answers once with call_json(), call_bytes() or call_problem().
 */
#ifndef THIDUA_HTTP_CALL_H
#define THIDUA_HTTP_CALL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <ulfius.h>

#include "answers/lang.h"
#include "domain/access.h"
#include "http/problem.h"
#include "http/router.h"

struct app; /* the wiring of one process; defined by the api layer */
struct jwt_keyring;
struct jwt_rules;

enum caller_kind { CALLER_ANONYMOUS, CALLER_USER, CALLER_CLIENT };

/* Who is calling, from a verified token only (never from the body). */
struct caller {
	enum caller_kind kind;
	int64_t org_id;
	int64_t user_id; /* users.id of a CALLER_USER */
	int64_t unit_id; /* the account's unit, 0 if none */
	int64_t staff_id; /* the account's staff record, 0 if none */
	role_set roles;
	mscope_set mscopes;
	char subject[80]; /* "user:12" or "client:portal", for the audit trail */
	enum access_scope scope; /* what the current route grants this caller */
};

struct call {
	const struct _u_request *req;
	struct _u_response *res;
	struct app *app;
	const struct route *route; /* NULL when unmatched */
	struct path_params params;
	const char *method; /* borrowed from req */
	const char *path; /* borrowed from req, without query */
	char request_id[129];
	json_t *body; /* parsed body of BODY_JSON routes; owned by the call */
	struct caller who; /* set by the authorization hook */
	enum lang lang; /* of every sentence of the answer (Accept-Language) */
	int status; /* 0 until answered */
};

/* Answers with status and a JSON body; steals body. */
void call_json(struct call *c, int status, json_t *body);
/* Answers with a copy of data. */
void call_bytes(struct call *c, int status, const char *content_type, const char *data, size_t len);
/* Answers with data, which must come from malloc; the call takes it. */
void call_take(struct call *c, int status, const char *content_type, char *data, size_t len);
/* Answers with the problem as application/problem+json; steals p. */
void call_problem(struct call *c, struct problem *p);
/* Adds or replaces a response header. */
void call_set_header(struct call *c, const char *name, const char *value);
/* Adds a field name to the response's Vary header. */
void call_add_vary(struct call *c, const char *field);
/* Says that the answer holds sentences in c->lang: Content-Language, and
 * Vary: Accept-Language (problems do it themselves). */
void call_language_headers(struct call *c);
/* Borrowed request header (case-insensitive) or NULL. */
const char *call_req_header(const struct call *c, const char *name);
/* The client's IP address as text ("" if unknown). */
void call_client_address(const struct call *c, char *out, size_t len);
/* The settings given to call_dispatch_init (borrowed, static). */
const struct dispatch_config *call_config(void);

/*
 * Settings the dispatcher needs; set once at start, read-only afterwards.
 */
struct dispatch_config {
	const struct route *routes;
	size_t n_routes;
	struct app *app;
	size_t body_limit;
	size_t json_body_limit; /* for BODY_JSON routes, at most body_limit */
	const char *cors_origins; /* comma-separated, may be "" */
	bool (*draining)(void); /* true once shutdown began */
	const struct jwt_keyring *keys; /* our access tokens */
	const struct jwt_rules *rules;
	const struct sso_trust *sso; /* an external issuer we trust, or NULL */
};

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

void call_dispatch_init(const struct dispatch_config *cfg);

/* The ulfius default endpoint: every request enters here. */
int call_dispatch(const struct _u_request *req, struct _u_response *res, void *user_data);

/* Pure helpers, exposed for unit tests. */
bool request_id_valid(const char *id);
void request_id_generate(char out[33]);
bool cors_origin_allowed(const char *allow_list, const char *origin);
bool media_type_is_json(const char *content_type);

#endif
