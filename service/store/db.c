/*
 * db.c — the connection pool, statements and transactions (see db.h).
 *
 * Locking: one mutex guards which slots are free; a borrowed connection is
 * used by one thread only, so libpq calls happen outside the lock.
 * Connecting: one thread of the pool (the connector) opens every
 * connection, when a borrower finds none free and connected, so a request
 * waits for a connection at most the pool's wait and never for a connect:
 * with PostgreSQL's packets dropped on the network a connect takes the
 * whole connect timeout, and HTTP workers doing it themselves left none to
 * answer even /healthz.  When an attempt fails, the pool is "down": a
 * borrower that finds no connected slot free is answered at once
 * (DB_UNAVAILABLE) and the connector tries again after a back-off (250 ms,
 * doubling to 2 s), so the pool notices within seconds that the server is
 * back.  Every connection has TCP keepalives and a TCP user timeout, so a
 * statement whose server vanished from the network fails within seconds
 * instead of waiting for TCP's own retransmissions (about 15 minutes).
 */
#include "store/db.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define MAX_STMTS 1024
#define RECONNECT_BACKOFF_MS 250
#define RECONNECT_BACKOFF_MAX_MS 2000
/* keepalive probes after THIDUA_DB_KEEPALIVE_IDLE_S of silence, this far
 * apart, and this many unanswered mean the server is gone */
#define KEEPALIVE_INTERVAL_S "2"
#define KEEPALIVE_COUNT "3"
/* Runs of a statement or transaction that PostgreSQL aborted with 40001 or
 * 40P01: the first and up to four more, about 1 + 2 + 4 + 8 ms apart
 * (randomised), which resolves the collisions of a busy office without
 * holding a request for long. */
#define CONFLICT_ATTEMPTS 5
#define MAX_ARGS 32

struct db {
	struct pool *pool;
	PGconn *conn;
	bool busy;
	bool in_tx;
	bool prepared[MAX_STMTS];
	char sqlstate[6];
	char constraint[64];
	char error[256];
};

struct pool {
	struct pool_options opt;
	atomic_bool open; /* false: borrowers are refused (before migrations) */
	char *url;
	char options[128]; /* -c statement_timeout=... -c plan_cache_mode=..., when prepared */
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct db *slots;
	unsigned in_use;
	/* the connector, under lock */
	pthread_t connector;
	bool connector_started, stopping;
	pthread_cond_t wanted; /* wakes the connector */
	unsigned waiters; /* borrowers waiting for a connected slot */
	bool poked; /* a borrower was refused while down: try again */
	bool down; /* the last connect attempt failed */
	unsigned backoff_ms;
	int64_t retry_after_ms; /* monotonic ms before which we do not reconnect */
	atomic_uint_fast64_t errors;
	atomic_uint_fast64_t retries;
};

static atomic_int next_slot;

static void *connector_main(void *arg);

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pool *pool_new(const struct pool_options *opt)
{
	struct pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->opt = *opt;
	p->url = strdup(opt->url);
	p->slots = calloc(opt->size, sizeof *p->slots);
	if (!p->url || !p->slots) {
		free(p->url);
		free(p->slots);
		free(p);
		return NULL;
	}
	p->opt.url = p->url;
	/* JIT compiling a query takes ~10 ms: far more than any of ours runs */
	snprintf(p->options, sizeof p->options,
		 "-c statement_timeout=%u -c plan_cache_mode=force_generic_plan -c jit=off",
		 opt->statement_timeout_ms);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->freed, &ca);
	pthread_cond_init(&p->wanted, &ca);
	pthread_condattr_destroy(&ca);
	for (unsigned i = 0; i < opt->size; i++)
		p->slots[i].pool = p;
	atomic_store(&p->open, !opt->closed);
	p->connector_started = pthread_create(&p->connector, NULL, connector_main, p) == 0;
	if (!p->connector_started) {
		pool_free(p);
		return NULL;
	}
	return p;
}

void pool_open(struct pool *p)
{
	atomic_store(&p->open, true);
}

bool pool_is_open(struct pool *p)
{
	return atomic_load(&p->open);
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	if (p->connector_started) {
		pthread_mutex_lock(&p->lock);
		p->stopping = true;
		pthread_cond_signal(&p->wanted);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->connector, NULL);
	}
	for (unsigned i = 0; i < p->opt.size; i++)
		if (p->slots[i].conn)
			PQfinish(p->slots[i].conn);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->wanted);
	free(p->slots);
	free(p->url);
	free(p);
}

static void set_error(struct db *db, const char *sqlstate, const char *msg)
{
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", sqlstate ? sqlstate : "");
	snprintf(db->error, sizeof db->error, "%s", msg ? msg : "");
	size_t n = strlen(db->error);
	while (n > 0 && db->error[n - 1] == '\n')
		db->error[--n] = '\0';
}

static void drop_connection(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	db->in_tx = false;
	memset(db->prepared, 0, sizeof db->prepared);
}

/* Server notices (e.g. "already exists, skipping") are not our log's business. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static bool connect_slot(struct db *db)
{
	struct pool *p = db->pool;
	char timeout[16], idle[16], user_timeout[16];
	snprintf(timeout, sizeof timeout, "%u", p->opt.connect_timeout_s);
	snprintf(idle, sizeof idle, "%u", p->opt.keepalive_idle_s);
	snprintf(user_timeout, sizeof user_timeout, "%u", p->opt.tcp_user_timeout_ms);
	/* Keywords are applied in order, the URL's own where "dbname" stands:
	 * the TCP settings come before it, so a URL may set its own; the
	 * others after, so ours hold. */
	const char *keys[] = { "keepalives",
			       "keepalives_idle",
			       "keepalives_interval",
			       "keepalives_count",
			       "tcp_user_timeout",
			       "dbname",
			       "connect_timeout",
			       "application_name",
			       p->opt.prepared ? "options" : NULL,
			       NULL };
	const char *vals[] = { "1",
			       idle,
			       KEEPALIVE_INTERVAL_S,
			       KEEPALIVE_COUNT,
			       p->opt.tcp_user_timeout_ms ? user_timeout
							  : "", /* "": the system's */
			       p->url,
			       timeout,
			       "thidua",
			       p->options,
			       NULL };
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		set_error(db, "08006", conn ? PQerrorMessage(conn) : "out of memory");
		if (conn)
			PQfinish(conn);
		atomic_fetch_add(&p->errors, 1);
		return false;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	db->conn = conn;
	return true;
}

/* A connection the server closed while idle shows as readable: consume the
 * input, and if libpq then sees it broken, drop it before anyone uses it. */
static void check_idle_connection(struct db *db)
{
	if (!db->conn)
		return;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		drop_connection(db);
		return;
	}
	struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLIN };
	if (poll(&pfd, 1, 0) > 0 &&
	    (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK))
		drop_connection(db);
}

/* The pool's invariant, checked under its lock: in_use is exactly the
 * number of busy slots.  O(size), with size at most a few dozen. */
static void assert_busy_count(const struct pool *p)
{
#ifndef NDEBUG
	unsigned busy = 0;
	for (unsigned i = 0; i < p->opt.size; i++)
		busy += p->slots[i].busy;
	assert(busy == p->in_use);
#else
	(void)p;
#endif
}

/* A free slot, preferring one with a connection (connected: only those);
 * NULL when there is none.  Under lock. */
static struct db *free_slot(struct pool *p, bool connected)
{
	struct db *pick = NULL;
	for (unsigned i = 0; i < p->opt.size; i++) {
		struct db *d = &p->slots[i];
		if (d->busy || (connected && !d->conn))
			continue;
		if (!pick || (!pick->conn && d->conn))
			pick = d;
		if (pick->conn)
			break;
	}
	return pick;
}

/* Marks d borrowed.  Under lock. */
static void hold_slot(struct pool *p, struct db *d)
{
	assert(d && !d->busy && p->in_use < p->opt.size);
	d->busy = true;
	p->in_use++;
	assert_busy_count(p);
}

/* Gives d back and wakes a borrower waiting for it.  Under lock. */
static void unhold_slot(struct pool *p, struct db *d)
{
	assert(d->busy && p->in_use > 0 && d >= p->slots && d < p->slots + p->opt.size);
	d->busy = false;
	p->in_use--;
	assert_busy_count(p);
}

/* The deadline of a wait of ms milliseconds, on the pool's clock. */
static struct timespec deadline_after(unsigned ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return until;
}

/* The connector: opens a connection in a free slot while borrowers wait
 * for one (or one was refused while the pool was down), one at a time,
 * spacing failed attempts by the back-off. */
static void *connector_main(void *arg)
{
	struct pool *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		struct db *slot = NULL;
		for (unsigned i = 0; i < p->opt.size && (p->waiters > 0 || p->poked); i++)
			if (!p->slots[i].busy && !p->slots[i].conn)
				slot = &p->slots[i];
		int64_t wait_ms = p->retry_after_ms - now_ms();
		if (!slot || wait_ms > 0) {
			if (slot) {
				struct timespec until = deadline_after((unsigned)wait_ms);
				pthread_cond_timedwait(&p->wanted, &p->lock, &until);
			} else {
				pthread_cond_wait(&p->wanted, &p->lock);
			}
			continue;
		}
		p->poked = false;
		hold_slot(p, slot);
		pthread_mutex_unlock(&p->lock);
		bool ok = connect_slot(slot);
		pthread_mutex_lock(&p->lock);
		unhold_slot(p, slot);
		p->down = !ok;
		p->backoff_ms = ok		? 0
				: p->backoff_ms ? (p->backoff_ms * 2 > RECONNECT_BACKOFF_MAX_MS
							   ? RECONNECT_BACKOFF_MAX_MS
							   : p->backoff_ms * 2)
						: RECONNECT_BACKOFF_MS;
		p->retry_after_ms = ok ? 0 : now_ms() + p->backoff_ms;
		/* success: a borrower takes the slot; failure: they give up at once */
		pthread_cond_broadcast(&p->freed);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Waits, at most the pool's wait, for a free connected slot and holds it;
 * NULL with *st when there is none.  Under lock. */
static struct db *take_connected(struct pool *p, enum db_status *st)
{
	struct timespec until = deadline_after(p->opt.wait_ms);
	for (;;) {
		struct db *d = free_slot(p, true);
		if (d) {
			hold_slot(p, d);
			return d;
		}
		/* none free and connected: ask the connector, unless the server
		 * is known to be away, which is answered without waiting */
		if (p->down) {
			p->poked = true;
			pthread_cond_signal(&p->wanted);
			*st = DB_UNAVAILABLE;
			return NULL;
		}
		p->waiters++;
		pthread_cond_signal(&p->wanted);
		int rc = pthread_cond_timedwait(&p->freed, &p->lock, &until);
		p->waiters--;
		if (rc == ETIMEDOUT && !free_slot(p, true)) {
			bool any = false;
			for (unsigned i = 0; i < p->opt.size; i++)
				any |= p->slots[i].conn != NULL;
			*st = any ? DB_BUSY : DB_UNAVAILABLE;
			return NULL;
		}
	}
}

struct db *pool_acquire(struct pool *p, enum db_status *st)
{
	if (!atomic_load(&p->open)) {
		*st = DB_UNAVAILABLE;
		return NULL;
	}
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct db *db = take_connected(p, st);
		pthread_mutex_unlock(&p->lock);
		if (!db)
			return NULL;
		check_idle_connection(db);
		if (db->conn)
			return db;
		/* it had broken while idle: give the slot back, look again */
		pthread_mutex_lock(&p->lock);
		unhold_slot(p, db);
	}
}

void pool_release(struct pool *p, struct db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		db_rollback(db);
	pthread_mutex_lock(&p->lock);
	unhold_slot(p, db);
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void pool_get_stats(struct pool *p, struct pool_stats *out)
{
	pthread_mutex_lock(&p->lock);
	out->size = p->opt.size;
	out->in_use = p->in_use;
	out->connected = 0;
	for (unsigned i = 0; i < p->opt.size; i++)
		out->connected += p->slots[i].conn != NULL;
	pthread_mutex_unlock(&p->lock);
	out->errors = atomic_load(&p->errors);
	out->retries = atomic_load(&p->retries);
}

/* Classifies a failed result; drops the connection if it is broken. */
static enum db_status classify(struct db *db, const PGresult *res)
{
	atomic_fetch_add(&db->pool->errors, 1);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	set_error(db, state ? state : "08006",
		  res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	snprintf(db->constraint, sizeof db->constraint, "%s", constraint ? constraint : "");
	if (PQstatus(db->conn) != CONNECTION_OK) {
		drop_connection(db);
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
		drop_connection(db);
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
	/* Every result up to the Sync is read, whatever failed, so that the
	 * connection leaves pipeline mode idle.  Kept: the statement's result,
	 * and the first error (after one, PostgreSQL answers the rest of the
	 * pipeline PIPELINE_ABORTED). */
	PGresult *stmt_res = NULL, *failure = NULL, *r;
	for (int query = 0; sent && query < 3; query++) {
		while ((r = PQgetResult(c))) {
			if (query == 1 && !stmt_res)
				stmt_res = r;
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
		/* out of step with the server: the connection cannot be reused */
		PQclear(stmt_res);
		PQclear(failure);
		drop_connection(db);
		return NULL;
	}
	if (!failure)
		return stmt_res;
	if (stmt_res && PQresultStatus(stmt_res) == PGRES_FATAL_ERROR) {
		PQclear(failure);
		return stmt_res;
	}
	PQclear(stmt_res);
	return failure;
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
	if (db->pool->opt.prepared && !stmt->replan && slot < MAX_STMTS) {
		char name[16];
		snprintf(name, sizeof name, "s%d", slot);
		if (!db->prepared[slot]) {
			res = PQprepare(db->conn, name, stmt->sql, stmt->nparams, NULL);
			if (!result_ok(res)) {
				*st = classify(db, res);
				PQclear(res);
				return NULL;
			}
			PQclear(res);
			db->prepared[slot] = true;
		}
		res = PQexecPrepared(db->conn, name, stmt->nparams, values, lengths, formats,
				     result_format);
	} else if (db->pool->opt.prepared && stmt->replan) {
		res = run_custom_plan(db, stmt, values, lengths, formats, result_format);
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
		r = (uint32_t)now_ms();
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
		atomic_fetch_add(&db->pool->retries, 1);
		conflict_pause(attempt);
	}
}

PGresult *db_exec_format(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
			 int result_format, enum db_status *st)
{
	/* a count that differs from the statement's would read past args */
	assert(n == (size_t)stmt->nparams && n <= MAX_ARGS);
	if (n != (size_t)stmt->nparams || n > MAX_ARGS) {
		set_error(db, "XX000", "wrong number of statement arguments");
		*st = DB_ERROR;
		return NULL;
	}
	const char *values[MAX_ARGS];
	int lengths[MAX_ARGS], formats[MAX_ARGS];
	char text[MAX_ARGS][24];
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
			snprintf(text[i], sizeof text[i], "%lld", (long long)a->v.i);
			values[i] = text[i];
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
		atomic_fetch_add(&db->pool->retries, 1);
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

enum db_status db_begin(struct db *db)
{
	char sql[96];
	if (db->pool->opt.prepared) {
		snprintf(sql, sizeof sql, "BEGIN");
	} else {
		/* no startup options through PgBouncer: bound the transaction here */
		snprintf(sql, sizeof sql, "BEGIN; SET LOCAL statement_timeout = %u",
			 db->pool->opt.statement_timeout_ms);
	}
	enum db_status st = db_exec_script(db, sql);
	db->in_tx = st == DB_OK;
	return st;
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
		set_error(db, "25P02", "transaction was aborted and rolled back");
		st = DB_ERROR;
	} else
		st = DB_OK;
	PQclear(res);
	return st;
}

void db_rollback(struct db *db)
{
	if (db->conn && db_exec_script(db, "ROLLBACK") != DB_OK)
		drop_connection(db);
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
