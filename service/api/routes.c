/*
 * routes.c — every route of the API, with the permission it needs.
 *
 * This table is the whole surface of the service: the dispatcher matches
 * requests against it, `thidua routes` prints it, and a test checks that it
 * and api-spec/openapi.yaml list the same operations.  Deny by default:
 * anything not "public" goes through the authorization hook.
 */
#include "api/app.h"
#include "http/auth.h"

const struct route api_routes[] = {
	{"GET", "/healthz", ops_healthz, PERM_PUBLIC, BODY_NONE, NULL},
	{"GET", "/readyz", ops_readyz, PERM_PUBLIC, BODY_NONE, NULL},
	{"GET", "/metrics", ops_metrics, PERM_PUBLIC, BODY_NONE, NULL},
	{"GET", "/openapi.yaml", ops_openapi_yaml, PERM_PUBLIC, BODY_NONE, NULL},
	{"GET", "/openapi.json", ops_openapi_json, PERM_PUBLIC, BODY_NONE, NULL},
	{"GET", "/docs", ops_docs, PERM_PUBLIC, BODY_NONE, NULL},
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
