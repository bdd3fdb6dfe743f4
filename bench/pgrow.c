/*
 * pgrow: ulfius + jansson + libpq baseline for service endpoints that do
 * one small database round trip per request (e.g. GET /readyz).
 *
 *   GET /row/:id  ->  200 {"id":42,"name":"item-42","created_at":"..."}
 *                     404 {"error":"not_found"} / 400 {"error":"bad_id"}
 *                     503 {"error":"database"} when the query fails
 *
 * Each request borrows one connection from a fixed-size pool (an array of
 * PGconn guarded by a mutex + condition variable, size env BENCH_POOL,
 * default 8) and runs the prepared statement
 *   SELECT id, name, created_at FROM bench_item WHERE id = $1
 * At start the table bench_item is created and filled with 10,000 rows if
 * missing. Connection string: env BENCH_DATABASE_URL, else libpq defaults
 * (PGHOST, PGPORT, ...).
 *
 * Threading mode, port and bind address: see bench_server.h.
 */
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask under -std=c17 */

#include <jansson.h>
#include <libpq-fe.h>

#include "bench_server.h"

#define BENCH_ROWS 10000
#define STMT_GET_ITEM "bench_get_item"
#define SQL_GET_ITEM "SELECT id, name, created_at FROM bench_item WHERE id = $1"

struct pg_pool {
	pthread_mutex_t mutex;
	pthread_cond_t available;
	const char *conninfo;
	PGconn **conns; /* size entries */
	size_t *free_idx; /* stack of indices of idle connections */
	size_t nfree;
	size_t size;
};

static int pool_prepare(PGconn *conn)
{
	PGresult *res = PQprepare(conn, STMT_GET_ITEM, SQL_GET_ITEM, 1, NULL);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) {
		fprintf(stderr, "pgrow: prepare failed: %s", PQerrorMessage(conn));
	}
	PQclear(res);
	return ok;
}

static int exec_ok(PGconn *conn, const char *sql, ExecStatusType want)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == want;
	if (!ok) {
		fprintf(stderr, "pgrow: '%s' failed: %s", sql, PQerrorMessage(conn));
	}
	PQclear(res);
	return ok;
}

/* Creates bench_item and fills it with BENCH_ROWS rows if it is not full. */
static int setup_schema(PGconn *conn)
{
	if (!exec_ok(conn, "BEGIN", PGRES_COMMAND_OK)) {
		return 0;
	}
	int ok = exec_ok(conn, "SET LOCAL client_min_messages TO warning", PGRES_COMMAND_OK) &&
		 exec_ok(conn, "SELECT pg_advisory_xact_lock(727274)", PGRES_TUPLES_OK) &&
		 exec_ok(conn,
			 "CREATE TABLE IF NOT EXISTS bench_item ("
			 " id integer PRIMARY KEY,"
			 " name text NOT NULL,"
			 " created_at timestamptz NOT NULL DEFAULT now())",
			 PGRES_COMMAND_OK);
	long have = -1;
	if (ok) {
		PGresult *res = PQexec(conn, "SELECT count(*) FROM bench_item");
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
			have = strtol(PQgetvalue(res, 0, 0), NULL, 10);
		} else {
			fprintf(stderr, "pgrow: count failed: %s", PQerrorMessage(conn));
			ok = 0;
		}
		PQclear(res);
	}
	int filled = 0;
	if (ok && have < BENCH_ROWS) {
		ok = exec_ok(conn,
			     "INSERT INTO bench_item (id, name, created_at)"
			     " SELECT g, 'item-' || g, now() - g * interval '1 minute'"
			     " FROM generate_series(1, 10000) AS g"
			     " ON CONFLICT (id) DO NOTHING",
			     PGRES_COMMAND_OK);
		filled = ok;
	}
	if (!exec_ok(conn, ok ? "COMMIT" : "ROLLBACK", PGRES_COMMAND_OK)) {
		return 0;
	}
	if (ok && filled) {
		ok = exec_ok(conn, "ANALYZE bench_item", PGRES_COMMAND_OK);
		fprintf(stderr, "pgrow: filled bench_item with %d rows\n", BENCH_ROWS);
	}
	return ok;
}

static int pool_init(struct pg_pool *pool, const char *conninfo, size_t size)
{
	memset(pool, 0, sizeof(*pool));
	pool->conninfo = conninfo;
	pool->size = size;
	pthread_mutex_init(&pool->mutex, NULL);
	pthread_cond_init(&pool->available, NULL);
	pool->conns = calloc(size, sizeof(*pool->conns));
	pool->free_idx = calloc(size, sizeof(*pool->free_idx));
	if (pool->conns == NULL || pool->free_idx == NULL) {
		fprintf(stderr, "pgrow: out of memory\n");
		return 0;
	}
	for (size_t i = 0; i < size; i++) {
		pool->conns[i] = PQconnectdb(conninfo);
		if (PQstatus(pool->conns[i]) != CONNECTION_OK) {
			fprintf(stderr, "pgrow: connection %zu failed: %s", i,
				PQerrorMessage(pool->conns[i]));
			return 0;
		}
		if (i == 0 && !setup_schema(pool->conns[0])) {
			return 0;
		}
		if (!pool_prepare(pool->conns[i])) {
			return 0;
		}
		pool->free_idx[pool->nfree++] = i;
	}
	return 1;
}

static void pool_destroy(struct pg_pool *pool)
{
	for (size_t i = 0; pool->conns != NULL && i < pool->size; i++) {
		if (pool->conns[i] != NULL) {
			PQfinish(pool->conns[i]);
		}
	}
	free(pool->conns);
	free(pool->free_idx);
	pthread_cond_destroy(&pool->available);
	pthread_mutex_destroy(&pool->mutex);
}

static size_t pool_acquire(struct pg_pool *pool)
{
	pthread_mutex_lock(&pool->mutex);
	while (pool->nfree == 0) {
		pthread_cond_wait(&pool->available, &pool->mutex);
	}
	size_t idx = pool->free_idx[--pool->nfree];
	pthread_mutex_unlock(&pool->mutex);
	return idx;
}

static void pool_release(struct pg_pool *pool, size_t idx)
{
	pthread_mutex_lock(&pool->mutex);
	pool->free_idx[pool->nfree++] = idx;
	pthread_cond_signal(&pool->available);
	pthread_mutex_unlock(&pool->mutex);
}

static int reply_error(struct _u_response *response, unsigned int status, const char *code)
{
	json_t *body = json_pack("{ss}", "error", code);
	if (body == NULL) {
		return U_CALLBACK_ERROR;
	}
	int rc = ulfius_set_json_body_response(response, status, body);
	json_decref(body);
	return rc == U_OK ? U_CALLBACK_COMPLETE : U_CALLBACK_ERROR;
}

static int callback_row(const struct _u_request *request, struct _u_response *response,
			void *user_data)
{
	struct pg_pool *pool = user_data;
	const char *id_text = u_map_get(request->map_url, "id");
	unsigned long id = 0;
	if (!bench_parse_uint(id_text, 1, INT32_MAX, &id)) {
		return reply_error(response, 400, "bad_id");
	}
	const char *params[1] = { id_text };

	size_t idx = pool_acquire(pool);
	PGconn *conn = pool->conns[idx];
	PGresult *res = PQexecPrepared(conn, STMT_GET_ITEM, 1, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQstatus(conn) == CONNECTION_BAD) {
		/* Lost connection: reconnect once, re-prepare and retry. */
		PQclear(res);
		res = NULL;
		PQreset(conn);
		if (PQstatus(conn) == CONNECTION_OK && pool_prepare(conn)) {
			res = PQexecPrepared(conn, STMT_GET_ITEM, 1, params, NULL, NULL, 0);
		}
	}

	json_t *body = NULL;
	unsigned int status = 503;
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (PQntuples(res) == 1) {
			body = json_pack("{sIssss}", "id",
					 (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10),
					 "name", PQgetvalue(res, 0, 1), "created_at",
					 PQgetvalue(res, 0, 2));
			status = 200;
		} else {
			status = 404;
		}
	} else {
		fprintf(stderr, "pgrow: query failed: %s", PQerrorMessage(conn));
	}
	PQclear(res);
	pool_release(pool, idx);

	if (status == 404) {
		return reply_error(response, 404, "not_found");
	}
	if (status != 200 || body == NULL) {
		return reply_error(response, 503, "database");
	}
	int rc = ulfius_set_json_body_response(response, 200, body);
	json_decref(body);
	return rc == U_OK ? U_CALLBACK_COMPLETE : U_CALLBACK_ERROR;
}

int main(int argc, char **argv)
{
	struct bench_server srv;
	if (bench_server_init(&srv, "pgrow", argc, argv, 8082) != 0) {
		return 1;
	}
	unsigned long pool_size = 0;
	if (!bench_env_uint("BENCH_POOL", 1, 256, 8, &pool_size)) {
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	const char *conninfo = getenv("BENCH_DATABASE_URL");
	struct pg_pool pool;
	if (!pool_init(&pool, conninfo != NULL ? conninfo : "", pool_size)) {
		pool_destroy(&pool);
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	fprintf(stderr, "pgrow: %zu database connections ready\n", pool.size);

	if (ulfius_add_endpoint_by_val(&srv.instance, "GET", "/row", "/:id", 0, &callback_row,
				       &pool) != U_OK) {
		fprintf(stderr, "pgrow: ulfius_add_endpoint_by_val failed\n");
		pool_destroy(&pool);
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	if (bench_server_start(&srv) != 0) {
		pool_destroy(&pool);
		ulfius_clean_instance(&srv.instance);
		return 1;
	}
	bench_server_run_until_signal(&srv);
	pool_destroy(&pool);
	return 0;
}
