/*
 * app.h — what the handlers of one process share, and the route table.
 *
 * main.c builds one struct app at start; every call carries a pointer to it
 * (struct call.app).  Nothing in it changes after start except through its
 * own synchronisation (the pool).
 */
#ifndef THIDUA_API_APP_H
#define THIDUA_API_APP_H

#include <stddef.h>

#include "config.h"
#include "http/call.h"
#include "store/db.h"

struct app {
	const struct config *cfg;
	struct pool *pool;
	char *openapi_json;      /* the contract as JSON, converted once at start */
	size_t openapi_json_len;
};

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* The problem to answer for a failed database step; new, never NULL. */
struct problem *problem_from_db(enum db_status st);

/* Handlers of the operational routes (api/ops.c). */
void ops_healthz(struct call *c);
void ops_readyz(struct call *c);
void ops_metrics(struct call *c);
void ops_openapi_yaml(struct call *c);
void ops_openapi_json(struct call *c);
void ops_docs(struct call *c);

/* Registers the pool gauges with /metrics. */
void ops_register_metrics(struct app *app);

#endif
