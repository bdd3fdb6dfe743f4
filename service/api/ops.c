/*
 * ops.c — operational routes: liveness, readiness, metrics, the contract
 * and its human-readable reference.
 *
 * /healthz never touches the database (a slow database must not get a live
 * process restarted); /readyz does, and answers 503 until the migrations
 * of this start are applied (the process serves before PostgreSQL answers)
 * and while draining, so load balancers send traffic only to a process
 * that can serve it and stop before the listener closes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/reply.h"
#include "embedded.h"
#include "http/gate.h"
#include "http/log.h"
#include "http/openapi.h"
#include "http/problem.h"
#include "http/metrics.h"
#include "http/server.h"
#include "store/migrate.h"

void ops_healthz(struct call *c)
{
	static const char body[] = "{\"status\":\"ok\"}";
	call_bytes(c, 200, "application/json", body, sizeof body - 1);
}

void ops_readyz(struct call *c)
{
	if (http_draining()) {
		call_problem(c, problem_unavailable("The process is shutting down.", 1));
		return;
	}
	if (!pool_is_open(c->app->pool)) {
		call_problem(c, problem_unavailable(
					"The service is starting: its database migrations are not "
					"applied yet.",
					2));
		return;
	}
	struct db *db = api_db_or_answer(c);
	if (!db)
		return;
	int applied = 0;
	enum db_status st = migrate_count_applied(db, &applied);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "readiness");
		return;
	}
	int expected = migrate_expected();
	if (applied < expected) {
		call_problem(c, problem_unavailable("Database migrations are not current.", 5));
		return;
	}
	call_json(c, 200,
		  json_pack("{s:s, s:s, s:{s:i, s:i}}", "status", "ready", "database", "ok",
			    "migrations", "applied", applied, "expected", expected));
}

void ops_metrics(struct call *c)
{
	size_t len;
	char *text = metrics_render_new(&len);
	if (!text) {
		call_problem(c, problem_internal());
		return;
	}
	call_bytes(c, 200, "text/plain; version=0.0.4", text, len);
	free(text);
}

static void serve_asset(struct call *c, const char *name, const char *content_type)
{
	const struct embedded_file *f = embedded_asset(name);
	if (!f) {
		call_problem(c, problem_not_found());
		return;
	}
	call_set_header(c, "Cache-Control", "public, max-age=300");
	call_bytes(c, 200, content_type, f->data, f->len);
}

void ops_openapi_yaml(struct call *c)
{
	serve_asset(c, "openapi.yaml", "application/yaml; charset=utf-8");
}

/* The contract as JSON, converted from the embedded YAML by the first
 * request that asks for it rather than at start: 36,000 lines took half a
 * second of a release build's start, and six under the sanitizers, while
 * /healthz waited for them.  Later requests read the copy. */
static const char *contract_json(struct app *app, size_t *len)
{
	pthread_mutex_lock(&app->openapi_lock);
	if (!app->openapi_json) {
		const struct embedded_file *f = embedded_asset("openapi.yaml");
		char err[256];
		json_t *doc = f ? yaml_to_json_new(f->data, f->len, err, sizeof err) : NULL;
		if (!doc)
			log_msgf(LOG_ERROR, "openapi.yaml: %s", f ? err : "not embedded");
		app->openapi_json =
			doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		app->openapi_json_len = app->openapi_json ? strlen(app->openapi_json) : 0;
		json_decref(doc);
	}
	const char *json = app->openapi_json;
	*len = app->openapi_json_len;
	pthread_mutex_unlock(&app->openapi_lock);
	return json;
}

void ops_openapi_json(struct call *c)
{
	size_t len;
	const char *json = contract_json(c->app, &len);
	if (!json) {
		call_problem(c, problem_internal());
		return;
	}
	call_set_header(c, "Cache-Control", "public, max-age=300");
	call_bytes(c, 200, "application/json", json, len);
}

void ops_docs(struct call *c)
{
	/* the page is self-contained: inline script and style, data from our origin */
	call_set_header(c, "Content-Security-Policy",
			"default-src 'self'; script-src 'self' 'unsafe-inline'; "
			"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
			"frame-ancestors 'none'");
	serve_asset(c, "docs.html", "text/html; charset=utf-8");
}

static void pool_gauges(struct metrics_buf *out, void *ctx)
{
	struct app *app = ctx;
	struct pool_stats s;
	pool_get_stats(app->pool, &s);
	metrics_printf(
		out,
		"# HELP thidua_db_pool_connections PostgreSQL pool slots by state.\n"
		"# TYPE thidua_db_pool_connections gauge\n"
		"thidua_db_pool_connections{state=\"in_use\"} %u\n"
		"thidua_db_pool_connections{state=\"idle\"} %u\n"
		"# HELP thidua_db_pool_connected Pool slots holding an open connection.\n"
		"# TYPE thidua_db_pool_connected gauge\n"
		"thidua_db_pool_connected %u\n"
		"# HELP thidua_db_errors_total Failed connection attempts and statements.\n"
		"# TYPE thidua_db_errors_total counter\n"
		"thidua_db_errors_total %llu\n"
		"# HELP thidua_db_retries_total Statements and transactions run again after "
		"a serialization failure or deadlock.\n"
		"# TYPE thidua_db_retries_total counter\n"
		"thidua_db_retries_total %llu\n"
		"# HELP thidua_http_in_flight_requests Requests received and not yet answered.\n"
		"# TYPE thidua_http_in_flight_requests gauge\n"
		"thidua_http_in_flight_requests %u\n",
		s.in_use, s.size - s.in_use, s.connected, (unsigned long long)s.errors,
		(unsigned long long)s.retries, http_in_flight());
}

static void gate_gauges(struct metrics_buf *out, void *ctx)
{
	(void)ctx;
	struct gate_stats s;
	gate_stats(&s);
	metrics_printf(out,
		       "# HELP thidua_heavy_slots Threads computing heavy requests (the gate).\n"
		       "# TYPE thidua_heavy_slots gauge\n"
		       "thidua_heavy_slots %u\n"
		       "# HELP thidua_heavy_requests Heavy requests by state now.\n"
		       "# TYPE thidua_heavy_requests gauge\n"
		       "thidua_heavy_requests{state=\"computing\"} %u\n"
		       "thidua_heavy_requests{state=\"waiting\"} %u\n"
		       "# HELP thidua_heavy_admitted_total Heavy requests computed in time.\n"
		       "# TYPE thidua_heavy_admitted_total counter\n"
		       "thidua_heavy_admitted_total %llu\n"
		       "# HELP thidua_heavy_refused_total Heavy requests turned away after "
		       "waiting too long (503).\n"
		       "# TYPE thidua_heavy_refused_total counter\n"
		       "thidua_heavy_refused_total %llu\n",
		       s.slots, s.busy, s.waiting, (unsigned long long)s.admitted,
		       (unsigned long long)s.refused);
}

void ops_register_metrics(struct app *app)
{
	metrics_add_source(pool_gauges, app);
	metrics_add_source(gate_gauges, NULL);
}
