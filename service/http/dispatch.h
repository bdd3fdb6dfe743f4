/*
 * dispatch.h — the dispatcher: the shared steps of every request.
 *
 * ulfius hands every request to dispatch_request() (its default endpoint),
 * so that these steps happen in exactly one place, in this order: request
 * id, language (Accept-Language), body limit, route match (404/405), CORS,
 * unknown query parameters, the authorization hook (http/auth.h), JSON body
 * parsing for routes that take one, the handler, then common headers,
 * metrics and the access log.  The dispatcher knows routes and their
 * permissions, never a resource.
 */
#ifndef THIDUA_HTTP_DISPATCH_H
#define THIDUA_HTTP_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <ulfius.h>

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
};

void dispatch_init(const struct dispatch_config *cfg);

/* The ulfius default endpoint: every request enters here. */
int dispatch_request(const struct _u_request *req, struct _u_response *res, void *user_data);

/* Pure helpers, exposed for unit tests. */
bool request_id_valid(const char *id);
void request_id_generate(char out[33]);
bool cors_origin_allowed(const char *allow_list, const char *origin);
bool media_type_is_json(const char *content_type);

#endif
