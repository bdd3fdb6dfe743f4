/*
 * db.h — PostgreSQL access: a fixed pool of libpq connections, statements,
 * transactions.
 *
 * A request borrows one connection for its whole life (pool_acquire /
 * pool_release), so a transaction never spans two connections.  Statements
 * are declared next to the code that uses them as `static struct db_stmt`
 * (SQL text constant, values always as parameters) and are prepared lazily,
 * once per connection; with prepared = false they run as unnamed statements
 * and the pool keeps no session state, as PgBouncer 1.18 in transaction mode
 * requires.
 *
 * Failure is a value: a lost server marks the connection broken, later
 * borrowers reconnect, and callers answer 503 with Retry-After meanwhile.
 */
#ifndef THIDUA_STORE_DB_H
#define THIDUA_STORE_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

enum db_status {
	DB_OK,
	DB_UNAVAILABLE, /* cannot reach PostgreSQL now; retry later (503) */
	DB_BUSY, /* no free connection within the wait (503) */
	DB_TIMEOUT, /* statement_timeout cancelled the statement (503) */
	DB_CONFLICT, /* serialization failure or deadlock; retry the transaction */
	DB_ERROR, /* anything else: a bug or a constraint (500 unless mapped) */
};

struct pool_options {
	const char *url;
	unsigned size;
	unsigned wait_ms;
	bool prepared;
	unsigned statement_timeout_ms;
	unsigned connect_timeout_s;
};

struct db_stmt {
	const char *sql;
	int nparams;
	int slot; /* assigned on first use; initialise to 0 */
	bool replan; /* planned at every run with its values (unnamed statement) */
};
/*
 * Prepared statements run with generic plans (plan_cache_mode is
 * force_generic_plan on our connections): our statements are fixed-shape
 * lookups whose best plan does not depend on the values, and re-planning
 * them at every call cost more than executing them.  A statement whose plan
 * does depend on its values (a text search) is declared DB_STMT_REPLAN.
 */
#define DB_STMT(text, n)                                                  \
	{                                                                 \
		.sql = (text), .nparams = (n), .slot = 0, .replan = false \
	}
#define DB_STMT_REPLAN(text, n)                                          \
	{                                                                \
		.sql = (text), .nparams = (n), .slot = 0, .replan = true \
	}

struct pool;
struct db;

/* A new pool; connects lazily, so it starts even while PostgreSQL is down. */
struct pool *pool_new(const struct pool_options *opt);
void pool_free(struct pool *p);

/* Borrows a connected connection, or NULL with *st set. */
struct db *pool_acquire(struct pool *p, enum db_status *st);
/* Returns it; an open transaction is rolled back first. */
void pool_release(struct pool *p, struct db *db);

struct pool_stats {
	unsigned size, in_use, connected;
	uint64_t errors; /* connection failures and failed statements */
};
void pool_get_stats(struct pool *p, struct pool_stats *out);

/*
 * Runs stmt with values[0..nparams).  On DB_OK returns the result (the
 * caller PQclear()s it); otherwise NULL.
 */
PGresult *db_query(struct db *db, struct db_stmt *stmt, const char *const *values,
		   enum db_status *st);
/* Like db_query, with each parameter's length and format (1: binary, e.g.
 * raw bytea; 0: text; NULL: all text) and the result's format (1: binary),
 * as PQexecParams takes them. */
PGresult *db_query_binary(struct db *db, struct db_stmt *stmt, const char *const *values,
			  const int *lengths, const int *formats, int result_format,
			  enum db_status *st);
/* Runs stmt and returns the first column of its first row as a new string
 * in *out (NULL when there is no row or it is SQL NULL). */
enum db_status db_query_text(struct db *db, struct db_stmt *stmt, const char *const *values,
			     char **out);
/* Like db_query_text, for the first two columns (each NULL when SQL NULL). */
enum db_status db_query_text2(struct db *db, struct db_stmt *stmt, const char *const *values,
			      char **first, char **second);
/* Formats an id as a statement parameter. */
#define DB_ID_LEN 24
const char *db_id(char buf[DB_ID_LEN], int64_t id);

/* Runs fixed SQL without parameters (may hold several statements). */
enum db_status db_exec_script(struct db *db, const char *sql);

enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* SQLSTATE of the last failure on this connection ("" if none). */
const char *db_last_sqlstate(const struct db *db);
/* Name of the constraint the last failure broke ("" if none). */
const char *db_last_constraint(const struct db *db);
/* The server's message for the last failure, for logs only; never for clients. */
const char *db_last_error(const struct db *db);

#endif
