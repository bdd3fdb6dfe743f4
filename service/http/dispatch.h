/*
 * dispatch.h — the dispatcher: the shared steps of every request.
 *
 * The listener (server.c) runs every request through these steps, so that
 * they happen in exactly one place, in this order: request id, language
 * (Accept-Language) and route match (dispatch_begin); body limit, 404/405,
 * CORS, query parameters, the authorization hook (http/auth.h) and the
 * body's media type (dispatch_admit, from the head alone: for a request
 * with a body, before any byte of it is read); the body's real length
 * (dispatch_body_fits); JSON body parsing for routes that take one and the
 * handler (dispatch_run); then common headers, metrics and the access log
 * (dispatch_finish).  The dispatcher knows routes and their permissions,
 * never a resource.
 */
#ifndef THIDUA_HTTP_DISPATCH_H
#define THIDUA_HTTP_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/call.h"

/* Settings the dispatcher needs; set once at start, read-only afterwards. */
struct dispatch_config {
	const struct route *routes;
	size_t n_routes;
	struct app *app;
	size_t body_limit;
	size_t json_body_limit; /* for BODY_JSON routes, at most body_limit */
	const char *cors_origins; /* comma-separated, may be "" */
	bool (*draining)(void); /* true once shutdown began */
	/* Runs after every handler, answered or not: the api layer returns what
	 * the call borrowed (its database connection).  May be NULL. */
	void (*after_handler)(struct call *c);
	/* Whether a route is heavy: computed on the gate's threads (gate.h),
	 * its connection suspended meanwhile.  May be NULL: none is. */
	bool (*heavy)(const struct route *r);
};

void dispatch_init(const struct dispatch_config *cfg);

/* Bodies sent to public routes, by callers nobody has authenticated, are
 * small (a token request is a few hundred bytes): at most this, whatever
 * the route's limit. */
#define DISPATCH_ANONYMOUS_BODY_LIMIT ((size_t)64 * 1024)

/* A new call for req and res (borrowed; they outlive the call) and the
 * connection whose head it reads (may be NULL): request id, language,
 * route. */
void dispatch_begin(struct call *c, struct http_request *req, struct http_answer *res,
		    struct MHD_Connection *head);
/* Whether the admitted call c is heavy (dispatch_config.heavy). */
bool dispatch_heavy(const struct call *c);
/* The largest body c's route takes, in bytes. */
size_t dispatch_body_limit(const struct call *c);
/* Everything the head decides, body_length being the declared length (0
 * when there is no body or its length is not declared).  True when the
 * call may go on; false when it has been answered. */
bool dispatch_admit(struct call *c, uint64_t body_length);
/* The body as received: over the limit it is answered 413, replacing any
 * answer given before (a chunked body declares no length).  True when it
 * fits. */
bool dispatch_body_fits(struct call *c, uint64_t body_length);
/* The JSON body and the handler, for an admitted call whose body fits. */
void dispatch_run(struct call *c);
/* Common headers, metrics and the access log, once the call is answered;
 * releases the parsed body. */
void dispatch_finish(struct call *c);

/* Pure helpers, exposed for unit tests. */
bool request_id_valid(const char *id);
void request_id_generate(char out[33]);
bool cors_origin_allowed(const char *allow_list, const char *origin);
bool media_type_is_json(const char *content_type);

#endif
