/*
 * db.h — PostgreSQL access: statements and transactions on a connection
 * borrowed from the pool (pool.h).
 *
 * Statements are declared next to the code that uses them with
 * DB_STATEMENT (SQL text constant, values always as typed arguments) and
 * are prepared lazily, once per connection; with prepared = false they run
 * as unnamed statements and the pool keeps no session state, as PgBouncer
 * 1.18 in transaction mode requires.
 */
#ifndef THIDUA_STORE_DB_H
#define THIDUA_STORE_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/pool.h"

struct db_stmt {
	const char *sql;
	int nparams;
	int slot; /* assigned on first use; initialise to 0 */
	bool replan; /* planned at every run with its values (unnamed statement) */
	/* "thidua_" and a hash of sql and nparams, set by db_statements_check:
	 * the name behind a pooler (db.c: run_shared); "" until then */
	char shared_name[24];
};
/*
 * Prepared statements run with generic plans (plan_cache_mode is
 * force_generic_plan on our connections): our statements are fixed-shape
 * lookups whose best plan does not depend on the values, and re-planning
 * them at every call cost more than executing them.  A statement whose plan
 * does depend on its values (a text search) is declared DB_STATEMENT_REPLAN:
 * it is planned at every run with its values (force_custom_plan for that
 * statement alone, db.c: run_custom_plan).
 *
 * DB_STATEMENT(name, sql, n) declares `static struct db_stmt name` with n
 * parameters and registers it, so that db_statements_check() can compare n
 * with the highest $N of every statement of the binary at start, and the
 * DB_EXEC family below can compare n with the arguments of every call at
 * compile time.
 */
#define DB_STMT_SECTION "thidua_db_stmts"
#define DB_STATEMENT_(name, text, n, re)                                                           \
	enum { name##_nparams = (n) };                                                             \
	static struct db_stmt name = { .sql = (text), .nparams = (n), .slot = 0, .replan = (re) }; \
	static struct db_stmt *const name##_registered                                             \
		__attribute__((used, section(DB_STMT_SECTION))) = &name
#define DB_STATEMENT(name, text, n) DB_STATEMENT_(name, text, n, false)
/* SQL: the member `name` of the body f, trimmed and in NFC; '' when absent. */
#define TEXT_OF(name) "normalize(btrim(coalesce(f->>'" name "', '')), NFC)"
#define DB_STATEMENT_REPLAN(name, text, n) DB_STATEMENT_(name, text, n, true)

/*
 * Typed statement parameters.  Each binder keeps its value typed until the
 * statement runs, where it is written in PostgreSQL's text form (or sent as
 * binary bytes), so a call site never formats numbers or dates itself.
 */
enum db_arg_kind { DB_ARG_NULL, DB_ARG_TEXT, DB_ARG_INT, DB_ARG_BOOL, DB_ARG_DATE, DB_ARG_BYTES };
struct db_arg {
	enum db_arg_kind kind;
	union {
		const char *text; /* borrowed; must outlive the call */
		int64_t i;
		bool b;
		struct civil_date date;
		struct {
			const void *data; /* borrowed */
			size_t len;
		} bytes;
	} v;
};

/* Text; NULL is SQL NULL. */
static inline struct db_arg db_arg_text(const char *s)
{
	return (struct db_arg){ .kind = s ? DB_ARG_TEXT : DB_ARG_NULL, .v.text = s };
}
/* An id, a count or a version. */
static inline struct db_arg db_arg_int(int64_t i)
{
	return (struct db_arg){ .kind = DB_ARG_INT, .v.i = i };
}
#define db_arg_id db_arg_int
static inline struct db_arg db_arg_bool(bool b)
{
	return (struct db_arg){ .kind = DB_ARG_BOOL, .v.b = b };
}
/* A calendar day, sent as YYYY-MM-DD. */
static inline struct db_arg db_arg_date(struct civil_date d)
{
	return (struct db_arg){ .kind = DB_ARG_DATE, .v.date = d };
}
/* Raw bytes (bytea), sent in binary format. */
static inline struct db_arg db_arg_bytes(const void *data, size_t len)
{
	return (struct db_arg){ .kind = DB_ARG_BYTES, .v.bytes = { data, len } };
}
static inline struct db_arg db_arg_null(void)
{
	return (struct db_arg){ .kind = DB_ARG_NULL };
}

/* The arguments of a call as (array, count); the count is a constant. */
#define DB_ARGC(...) (sizeof((const struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg))
#define DB_ARGS(...) ((const struct db_arg[]){ __VA_ARGS__ }), DB_ARGC(__VA_ARGS__)
/* Fails to compile ("size of array is negative") when a call passes another
 * number of arguments than the statement was declared with (DB_STATEMENT).
 * A negative array size rather than _Static_assert: clang (the fuzzers,
 * clang-tidy) refuses the compound literal inside a struct declaration. */
#define DB_ARGC_CHECK(stmt, ...) \
	((void)sizeof(char[DB_ARGC(__VA_ARGS__) == (size_t)stmt##_nparams ? 1 : -1]))

struct db;

/*
 * Runs stmt with args[0..n), n == stmt->nparams (asserted).  Outside a
 * transaction a serialization failure or deadlock (40001, 40P01) is retried
 * a few times, as PostgreSQL asks; the statement was rolled back whole, so
 * running it again is safe.  On DB_OK returns the result (the caller
 * PQclear()s it); otherwise NULL.  Use the DB_EXEC macro, which also checks
 * n at compile time.
 */
PGresult *db_exec(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
		  enum db_status *st);
/* Like db_exec, with the result in PostgreSQL's binary format when
 * result_format is 1 (e.g. raw bytea). */
PGresult *db_exec_format(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
			 int result_format, enum db_status *st);
/* Runs stmt; the first column of its first row as a new string in *out
 * (NULL when there is no row or it is SQL NULL). */
enum db_status db_fetch_text(struct db *db, struct db_stmt *stmt, const struct db_arg *args,
			     size_t n, char **out);
/* The first two columns, each a new string or NULL. */
enum db_status db_fetch_text2(struct db *db, struct db_stmt *stmt, const struct db_arg *args,
			      size_t n, char **first, char **second);

#define DB_EXEC(db, stmt, st, ...) \
	(DB_ARGC_CHECK(stmt, __VA_ARGS__), db_exec((db), &(stmt), DB_ARGS(__VA_ARGS__), (st)))
#define DB_EXEC_FORMAT(db, stmt, format, st, ...) \
	(DB_ARGC_CHECK(stmt, __VA_ARGS__),        \
	 db_exec_format((db), &(stmt), DB_ARGS(__VA_ARGS__), (format), (st)))
#define DB_FETCH_TEXT(db, stmt, out, ...)  \
	(DB_ARGC_CHECK(stmt, __VA_ARGS__), \
	 db_fetch_text((db), &(stmt), DB_ARGS(__VA_ARGS__), (out)))
#define DB_FETCH_TEXT2(db, stmt, first, second, ...) \
	(DB_ARGC_CHECK(stmt, __VA_ARGS__),           \
	 db_fetch_text2((db), &(stmt), DB_ARGS(__VA_ARGS__), (first), (second)))

/* Column readers for a row of a result; NULL reads as 0 / false / "". */
int64_t db_get_int(const PGresult *res, int row, int col);
bool db_get_bool(const PGresult *res, int row, int col);
/* A new string, or NULL when SQL NULL (or out of memory). */
char *db_get_text_new(const PGresult *res, int row, int col);

/*
 * Runs fn(db, ctx) between BEGIN and COMMIT.  When PostgreSQL answers a
 * serialization failure or a deadlock anywhere inside, the transaction is
 * rolled back and fn runs again, a bounded number of times (GNU Taler's
 * TEH_DB_run_transaction does the same); fn must therefore start from
 * scratch each time (reset what it wrote into ctx).  Any other failure
 * rolls back and is returned.
 */
typedef enum db_status (*db_tx_fn)(struct db *db, void *ctx);
enum db_status db_transaction(struct db *db, db_tx_fn fn, void *ctx);

/*
 * Checks every statement declared with DB_STATEMENT in this binary: its
 * declared parameter count must equal the highest $N of its SQL.  false
 * with a message naming the first that does not.  Also gives each its
 * shared name; called once at start, before any statement runs.
 */
bool db_statements_check(size_t *checked, char *err, size_t errlen);

/* Runs fixed SQL without parameters (may hold several statements). */
enum db_status db_exec_script(struct db *db, const char *sql);

enum db_status db_begin(struct db *db);
/* A read-only transaction whose statements all see one snapshot
 * (REPEATABLE READ): for a reader of many statements that must agree. */
enum db_status db_begin_snapshot(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* SQLSTATE of the last failure on this connection ("" if none). */
const char *db_last_sqlstate(const struct db *db);
/* Name of the constraint the last failure broke ("" if none). */
const char *db_last_constraint(const struct db *db);
/* The server's message for the last failure, for logs only; never for clients. */
const char *db_last_error(const struct db *db);

#endif
