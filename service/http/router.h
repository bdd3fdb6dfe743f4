/*
 * router.h — the route table and how a request finds its route.
 *
 * Routes are declared in one table (api/routes.c), Redis-style, so the whole
 * surface of the API, with the permission each route needs, is visible in
 * one place; `thidua routes` prints it and a test compares it with the
 * OpenAPI document.  Templates use {name} for a path segment, as OpenAPI
 * does.  Matching is pure (no I/O): it finds the route, or tells 404 from
 * 405 and lists the methods that would have matched, for the Allow header.
 */
#ifndef THIDUA_HTTP_ROUTER_H
#define THIDUA_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

struct call;
typedef void (*handler_fn)(struct call *c);

/* BODY_RAW: the handler reads and checks the body itself (e.g. text/csv).
 * BODY_JSON_OPTIONAL: a JSON object when a body is sent (workflow steps
 * whose fields are all optional); c->body stays NULL without one.
 * BODY_FORM_OR_JSON: a JSON object, or an application/x-www-form-urlencoded
 * form read into one of strings (the OAuth 2.0 token endpoint). */
enum route_body { BODY_NONE, BODY_JSON, BODY_RAW, BODY_JSON_OPTIONAL, BODY_FORM_OR_JSON };

struct route {
	const char *method; /* "GET", "POST", ... */
	const char *path; /* template, e.g. "/v1/plans/{id}" */
	handler_fn handler;
	const char *permission; /* "public" or a permission name (see http/auth.h) */
	enum route_body body;
	const char *const *query; /* allowed query parameters, NULL-terminated; NULL: none */
};

#define ROUTER_MAX_PARAMS 8
#define ROUTER_MAX_SEGMENT 256

struct path_params {
	size_t count;
	const char *names[ROUTER_MAX_PARAMS]; /* borrowed from the template */
	char values[ROUTER_MAX_PARAMS][ROUTER_MAX_SEGMENT]; /* percent-decoded */
};

enum match_result { MATCH_FOUND, MATCH_WRONG_METHOD, MATCH_NOT_FOUND };

/*
 * Matches method and path (without query string) against routes[0..n).
 * HEAD matches GET routes.  On MATCH_FOUND, *out and params are set; on
 * MATCH_WRONG_METHOD, allow receives the allowed methods ("GET, HEAD").
 */
enum match_result router_match(const struct route *routes, size_t n, const char *method,
			       const char *path, const struct route **out,
			       struct path_params *params, char *allow, size_t allow_len);

/* Borrowed value of a path parameter, or NULL. */
const char *path_param(const struct path_params *params, const char *name);

#endif
