/*
 * db.c — statements and transactions on a borrowed connection (see db.h):
 * typed arguments, prepared or re-planned runs, retries of serialization
 * failures and deadlocks, and the check of every declared statement.  The
 * connections come from the pool (pool.c).
 */
#include "store/db.h"

#include <assert.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "domain/decimal.h"
#include "domain/fnv.h"
#include "store/conn.h"

/* Runs of a statement or transaction that PostgreSQL aborted with 40001 or
 * 40P01: the first and up to four more, about 1 + 2 + 4 + 8 ms apart
 * (randomised), which resolves the collisions of a busy office without
 * holding a request for long. */
#define CONFLICT_ATTEMPTS 5
#define MAX_ARGS 32

static atomic_int next_slot;

/* Classifies a failed result; drops the connection if it is broken. */
static enum db_status classify(struct db *db, const PGresult *res)
{
	pool_count_error(db->pool);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	conn_set_error(db, state ? state : "08006",
		       res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	snprintf(db->constraint, sizeof db->constraint, "%s", constraint ? constraint : "");
	if (PQstatus(db->conn) != CONNECTION_OK) {
		conn_drop(db);
		return DB_UNAVAILABLE;
	}
	if (!state)
		return DB_ERROR;
	if (strcmp(state, "57014") == 0)
		return DB_TIMEOUT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return DB_CONFLICT;
	/* class 57: operator intervention (admin shutdown, starting up); 08: connection */
	if (strncmp(state, "57", 2) == 0 || strncmp(state, "08", 2) == 0) {
		conn_drop(db);
		return DB_UNAVAILABLE;
	}
	return DB_ERROR;
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK;
}

static int stmt_slot(struct db_stmt *stmt)
{
	int slot = __atomic_load_n(&stmt->slot, __ATOMIC_ACQUIRE);
	if (slot)
		return slot;
	int fresh = atomic_fetch_add(&next_slot, 1) + 1;
	int expected = 0;
	if (__atomic_compare_exchange_n(&stmt->slot, &expected, fresh, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return fresh;
	return expected; /* another thread won; its number stands */
}

/*
 * Ends a pipeline of n queries sent before one Sync (sent false: sending
 * failed part way).  Every result up to the Sync is read, whatever failed,
 * so that the connection leaves pipeline mode idle.  Returns query keep's
 * result, or the first error when another query failed (after one,
 * PostgreSQL answers the rest of the pipeline PIPELINE_ABORTED); NULL, the
 * connection dropped, when out of step with the server.
 */
static PGresult *pipeline_end(struct db *db, bool sent, int n, int keep)
{
	PGconn *c = db->conn;
	PGresult *kept = NULL, *failure = NULL, *r;
	for (int query = 0; sent && query < n; query++) {
		while ((r = PQgetResult(c))) {
			if (query == keep && !kept)
				kept = r;
			else if (PQresultStatus(r) == PGRES_FATAL_ERROR && !failure)
				failure = r;
			else
				PQclear(r);
		}
	}
	r = sent ? PQgetResult(c) : NULL;
	bool synced = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
	PQclear(r);
	if (!synced || !PQexitPipelineMode(c)) {
		PQclear(kept);
		PQclear(failure);
		conn_drop(db);
		return NULL;
	}
	if (!failure)
		return kept;
	if (kept && PQresultStatus(kept) == PGRES_FATAL_ERROR) {
		PQclear(failure);
		return kept;
	}
	PQclear(kept);
	return failure;
}

/*
 * The connections run with plan_cache_mode = force_generic_plan (see
 * pool_new), which PostgreSQL applies to unnamed statements too: a
 * DB_STATEMENT_REPLAN statement sent as is would get the generic plan it
 * was declared to avoid (with 1,000,000 staff the staff search read every
 * row, 3-5 s, where its plan for the values read a few thousand).  So it
 * runs between SET and RESET of the mode, pipelined: one round trip, and
 * the SETs cost a few µs.
 * All three run before one Sync, in one implicit transaction (or in the
 * caller's): when the statement fails, the SET is rolled back with it, so
 * the connection never keeps custom plans for the statements that follow.
 */
static PGresult *run_custom_plan(struct db *db, struct db_stmt *stmt, const char *const *values,
				 const int *lengths, const int *formats, int result_format)
{
	PGconn *c = db->conn;
	if (!PQenterPipelineMode(c))
		return NULL;
	bool sent = PQsendQueryParams(c, "SET plan_cache_mode = force_custom_plan", 0, NULL, NULL,
				      NULL, NULL, 0) &&
		    PQsendQueryParams(c, stmt->sql, stmt->nparams, NULL, values, lengths, formats,
				      result_format) &&
		    PQsendQueryParams(c, "RESET plan_cache_mode", 0, NULL, NULL, NULL, NULL, 0) &&
		    PQpipelineSync(c);
	return pipeline_end(db, sent, 3, 1);
}

/* Attempts of run_shared before it sends the statement unnamed. */
#define SHARED_ATTEMPTS 3

static bool sqlstate_is(const PGresult *res, const char *state)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return s && strcmp(s, state) == 0;
}

/*
 * Prepares stmt under its shared name and runs it, in one pipeline: one
 * Sync, so a pooler in transaction mode keeps both on one server
 * connection.  With forget, the name is first deallocated there (its plan
 * no longer fits the table: 0A000).
 */
static PGresult *prepare_shared(struct db *db, struct db_stmt *stmt, bool forget,
				const char *const *values, const int *lengths, const int *formats,
				int result_format)
{
	PGconn *c = db->conn;
	char deallocate[48];
	snprintf(deallocate, sizeof deallocate, "DEALLOCATE %s", stmt->shared_name);
	if (!PQenterPipelineMode(c))
		return NULL;
	bool sent = (!forget || PQsendQueryParams(c, deallocate, 0, NULL, NULL, NULL, NULL, 0)) &&
		    PQsendPrepare(c, stmt->shared_name, stmt->sql, stmt->nparams, NULL) &&
		    PQsendQueryPrepared(c, stmt->shared_name, stmt->nparams, values, lengths,
					formats, result_format) &&
		    PQpipelineSync(c);
	return pipeline_end(db, sent, forget ? 3 : 2, forget ? 2 : 1);
}

/*
 * Behind PgBouncer in transaction mode (1.18 keeps no prepared statements),
 * each statement may reach any of its server connections, so a statement
 * prepared per client connection would be missing where it lands, and an
 * unnamed one is planned at every run (measured: 150 µs of PostgreSQL CPU
 * for a staff read, 50 µs prepared).  Named by a hash of its text, the
 * same on every replica, a statement prepared once on a server connection
 * serves every client the pooler sends there.  Where that server lacks it
 * (26000), it is prepared and run in one pipeline; where the pooler moved
 * us to a server that has it after all (42P05), it runs again; where its
 * plan no longer fits a changed table (0A000), it is prepared afresh.
 * After SHARED_ATTEMPTS it runs unnamed, which always works.
 * Only outside transactions: there a failed attempt leaves nothing behind,
 * where inside one it would abort the transaction.
 */
static PGresult *run_shared(struct db *db, struct db_stmt *stmt, const char *const *values,
			    const int *lengths, const int *formats, int result_format)
{
	for (int attempt = 0; attempt < SHARED_ATTEMPTS; attempt++) {
		PGresult *res = PQexecPrepared(db->conn, stmt->shared_name, stmt->nparams, values,
					       lengths, formats, result_format);
		bool missing = sqlstate_is(res, "26000"), stale = sqlstate_is(res, "0A000");
		if (!missing && !stale)
			return res;
		PQclear(res);
		res = prepare_shared(db, stmt, stale, values, lengths, formats, result_format);
		if (!res || !(sqlstate_is(res, "42P05") || sqlstate_is(res, "26000")))
			return res;
		PQclear(res);
	}
	return PQexecParams(db->conn, stmt->sql, stmt->nparams, NULL, values, lengths, formats,
			    result_format);
}

/* One run of stmt, values already in wire form. */
static PGresult *run_once(struct db *db, struct db_stmt *stmt, const char *const *values,
			  const int *lengths, const int *formats, int result_format,
			  enum db_status *st)
{
	if (!db->conn) {
		*st = DB_UNAVAILABLE;
		return NULL;
	}
	PGresult *res;
	int slot = stmt_slot(stmt);
	if (pool_prepares(db->pool) && !stmt->replan && slot < MAX_STMTS) {
		char name[INTEGER_TEXT_LEN];
		char *at = integer_text(name, slot);
		*--at = 's'; /* slot is small: integer_text leaves room before it */
		if (!db->prepared[slot]) {
			res = PQprepare(db->conn, at, stmt->sql, stmt->nparams, NULL);
			if (!result_ok(res)) {
				*st = classify(db, res);
				PQclear(res);
				return NULL;
			}
			PQclear(res);
			db->prepared[slot] = true;
		}
		res = PQexecPrepared(db->conn, at, stmt->nparams, values, lengths, formats,
				     result_format);
	} else if (pool_prepares(db->pool) && stmt->replan) {
		res = run_custom_plan(db, stmt, values, lengths, formats, result_format);
	} else if (pool_shares_names(db->pool) && !stmt->replan && !db->in_tx &&
		   stmt->shared_name[0]) {
		res = run_shared(db, stmt, values, lengths, formats, result_format);
	} else {
		res = PQexecParams(db->conn, stmt->sql, stmt->nparams, NULL, values, lengths,
				   formats, result_format);
	}
	if (!result_ok(res)) {
		*st = classify(db, res);
		PQclear(res);
		return NULL;
	}
	*st = DB_OK;
	return res;
}

/* A short random pause before attempt (1-based) runs again. */
static void conflict_pause(unsigned attempt)
{
	unsigned max_us = 1000u << (attempt - 1);
	uint32_t r;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (uint32_t)clock();
	struct timespec ts = { 0, (long)(max_us / 2 + r % (max_us / 2 + 1)) * 1000L };
	nanosleep(&ts, NULL);
}

/* run_once, again while PostgreSQL asks for it and no transaction is open
 * (inside one, the whole transaction must run again: db_transaction). */
static PGresult *run(struct db *db, struct db_stmt *stmt, const char *const *values,
		     const int *lengths, const int *formats, int result_format, enum db_status *st)
{
	for (unsigned attempt = 1;; attempt++) {
		PGresult *res = run_once(db, stmt, values, lengths, formats, result_format, st);
		if (res || *st != DB_CONFLICT || db->in_tx || attempt == CONFLICT_ATTEMPTS)
			return res;
		pool_count_retry(db->pool);
		conflict_pause(attempt);
	}
}

PGresult *db_exec_format(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
			 int result_format, enum db_status *st)
{
	/* a count that differs from the statement's would read past args */
	assert(n == (size_t)stmt->nparams && n <= MAX_ARGS);
	if (n != (size_t)stmt->nparams || n > MAX_ARGS) {
		conn_set_error(db, "XX000", "wrong number of statement arguments");
		*st = DB_ERROR;
		return NULL;
	}
	const char *values[MAX_ARGS];
	int lengths[MAX_ARGS], formats[MAX_ARGS];
	char text[MAX_ARGS][INTEGER_TEXT_LEN];
	bool binary = false;
	for (size_t i = 0; i < n; i++) {
		const struct db_arg *a = &args[i];
		lengths[i] = 0;
		formats[i] = 0;
		switch (a->kind) {
		case DB_ARG_NULL:
			values[i] = NULL;
			break;
		case DB_ARG_TEXT:
			values[i] = a->v.text;
			break;
		case DB_ARG_INT:
			values[i] = integer_text(text[i], a->v.i);
			break;
		case DB_ARG_BOOL:
			values[i] = a->v.b ? "t" : "f";
			break;
		case DB_ARG_DATE:
			snprintf(text[i], sizeof text[i], "%04d-%02d-%02d", a->v.date.year,
				 a->v.date.month, a->v.date.day);
			values[i] = text[i];
			break;
		case DB_ARG_BYTES:
			assert(a->v.bytes.len <= INT32_MAX);
			values[i] = a->v.bytes.data;
			lengths[i] = (int)a->v.bytes.len;
			formats[i] = 1;
			binary = true;
			break;
		}
	}
	return run(db, stmt, n ? values : NULL, binary ? lengths : NULL, binary ? formats : NULL,
		   result_format, st);
}

PGresult *db_exec(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
		  enum db_status *st)
{
	return db_exec_format(db, stmt, args, n, 0, st);
}

enum db_status db_fetch_text(struct db *db, struct db_stmt *stmt, const struct db_arg *args,
			     size_t n, char **out)
{
	enum db_status st;
	*out = NULL;
	PGresult *res = db_exec(db, stmt, args, n, &st);
	if (!res)
		return st;
	if (PQntuples(res) > 0 && PQnfields(res) >= 1 && !PQgetisnull(res, 0, 0)) {
		*out = strdup(PQgetvalue(res, 0, 0));
		if (!*out)
			st = DB_ERROR;
	}
	PQclear(res);
	return st;
}

enum db_status db_fetch_text2(struct db *db, struct db_stmt *stmt, const struct db_arg *args,
			      size_t n, char **first, char **second)
{
	enum db_status st;
	*first = *second = NULL;
	PGresult *res = db_exec(db, stmt, args, n, &st);
	if (!res)
		return st;
	if (PQntuples(res) > 0 && PQnfields(res) >= 2) {
		*first = db_get_text_new(res, 0, 0);
		*second = db_get_text_new(res, 0, 1);
	}
	PQclear(res);
	return st;
}

int64_t db_get_int(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

bool db_get_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

char *db_get_text_new(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : strdup(PQgetvalue(res, row, col));
}

enum db_status db_transaction(struct db *db, db_tx_fn fn, void *ctx)
{
	for (unsigned attempt = 1;; attempt++) {
		enum db_status st = db_begin(db);
		if (st == DB_OK)
			st = fn(db, ctx);
		if (st == DB_OK)
			st = db_commit(db);
		if (st != DB_OK && db->in_tx)
			db_rollback(db);
		if (st != DB_CONFLICT || attempt == CONFLICT_ATTEMPTS)
			return st;
		pool_count_retry(db->pool);
		conflict_pause(attempt);
	}
}

/* The highest $N in sql; statements hold no dollar-quoted text. */
static int highest_param(const char *sql)
{
	int max = 0;
	for (const char *p = sql; (p = strchr(p, '$')); p++) {
		int n = 0;
		for (const char *d = p + 1; *d >= '0' && *d <= '9' && n < 100000; d++)
			n = n * 10 + (*d - '0');
		max = n > max ? n : max;
	}
	return max;
}

/* The linker gathers the registrations of DB_STATEMENT into this section. */
extern struct db_stmt *const __start_thidua_db_stmts[] __attribute__((weak));
extern struct db_stmt *const __stop_thidua_db_stmts[] __attribute__((weak));

/*
 * "thidua_" and 64 bits of FNV-1a over the text and the parameter count:
 * the same statement gets the same name in every process and version, and
 * two of our few hundred statements share a name with a chance of about
 * 1 in 10^14 (a different text is a different name, so a changed
 * statement never runs under an old plan).
 */
static void shared_name(struct db_stmt *stmt)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, stmt->sql, strlen(stmt->sql));
	h = fnv1a64(h, &stmt->nparams, sizeof stmt->nparams);
	snprintf(stmt->shared_name, sizeof stmt->shared_name, "thidua_%016" PRIx64, h);
}

bool db_statements_check(size_t *checked, char *err, size_t errlen)
{
	*checked = 0;
	/* the section's bounds delimit one array the linker laid out */
	// cppcheck-suppress comparePointers
	for (struct db_stmt *const *s = __start_thidua_db_stmts; s && s < __stop_thidua_db_stmts;
	     s++) {
		int found = highest_param((*s)->sql);
		if (found != (*s)->nparams) {
			snprintf(err, errlen,
				 "statement declared with %d parameters uses $%d: %.120s",
				 (*s)->nparams, found, (*s)->sql);
			return false;
		}
		shared_name(*s);
		(*checked)++;
	}
	return true;
}

enum db_status db_exec_script(struct db *db, const char *sql)
{
	if (!db->conn)
		return DB_UNAVAILABLE;
	PGresult *res = PQexec(db->conn, sql);
	enum db_status st = result_ok(res) ? DB_OK : classify(db, res);
	PQclear(res);
	return st;
}

/* BEGIN with its mode ("" or e.g. " ISOLATION LEVEL ..."). */
static enum db_status begin_as(struct db *db, const char *mode)
{
	char sql[160];
	if (pool_prepares(db->pool)) {
		snprintf(sql, sizeof sql, "BEGIN%s", mode);
	} else {
		/* no startup options through PgBouncer: bound the transaction here */
		snprintf(sql, sizeof sql, "BEGIN%s; SET LOCAL statement_timeout = %u", mode,
			 pool_statement_timeout_ms(db->pool));
	}
	enum db_status st = db_exec_script(db, sql);
	db->in_tx = st == DB_OK;
	return st;
}

enum db_status db_begin(struct db *db)
{
	return begin_as(db, "");
}

enum db_status db_begin_snapshot(struct db *db)
{
	return begin_as(db, " ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

enum db_status db_commit(struct db *db)
{
	db->in_tx = false;
	if (!db->conn)
		return DB_UNAVAILABLE;
	PGresult *res = PQexec(db->conn, "COMMIT");
	enum db_status st;
	if (!result_ok(res))
		st = classify(db, res);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* COMMIT of an aborted transaction "succeeds" as ROLLBACK */
		conn_set_error(db, "25P02", "transaction was aborted and rolled back");
		st = DB_ERROR;
	} else
		st = DB_OK;
	PQclear(res);
	return st;
}

void db_rollback(struct db *db)
{
	if (db->conn && db_exec_script(db, "ROLLBACK") != DB_OK)
		conn_drop(db);
	db->in_tx = false;
}

const char *db_last_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

const char *db_last_constraint(const struct db *db)
{
	return db->constraint;
}

const char *db_last_error(const struct db *db)
{
	return db->error;
}
