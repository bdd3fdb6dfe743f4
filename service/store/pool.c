/*
 * pool.c — the connection pool (see pool.h).
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
#include "store/pool.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/timespec.h"
#include "store/conn.h"

#define RECONNECT_BACKOFF_MS 250
#define RECONNECT_BACKOFF_MAX_MS 2000
/* keepalive probes after THIDUA_DB_KEEPALIVE_IDLE_S of silence, this far
 * apart, and this many unanswered mean the server is gone */
#define KEEPALIVE_INTERVAL_S "2"
#define KEEPALIVE_COUNT "3"

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
			       pool_prepares(p) ? "options" : NULL,
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
		conn_set_error(db, "08006", conn ? PQerrorMessage(conn) : "out of memory");
		if (conn)
			PQfinish(conn);
		atomic_fetch_add(&p->errors, 1);
		return false;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	db->conn = conn;
	return true;
}

/* A connection idle this long is checked before it is lent again; one given
 * back more recently is lent as it is: the check is one more system call
 * (poll) on every request, and a server closes a connection after it was idle
 * (idle_session_timeout, pg_terminate_backend, a restart), seldom within a
 * second of its last use; a statement on a broken one fails as before. */
#define IDLE_CHECK_AFTER_MS 1000

/* A connection the server closed while idle shows as readable: consume the
 * input, and if libpq then sees it broken, drop it before anyone uses it. */
static void check_idle_connection(struct db *db)
{
	if (!db->conn)
		return;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		conn_drop(db);
		return;
	}
	if (db->released_ms != 0 && now_ms() - db->released_ms < IDLE_CHECK_AFTER_MS)
		return;
	struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLIN };
	if (poll(&pfd, 1, 0) > 0 &&
	    (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK))
		conn_drop(db);
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
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return timespec_plus_ms(now, ms);
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

/* A transaction its borrower left open ends here, not in the next
 * borrower's first statement. */
static void rollback_abandoned(struct db *db)
{
	PGresult *res = db->conn ? PQexec(db->conn, "ROLLBACK") : NULL;
	if (db->conn && PQresultStatus(res) != PGRES_COMMAND_OK)
		conn_drop(db);
	PQclear(res);
	db->in_tx = false;
}

void pool_release(struct pool *p, struct db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		rollback_abandoned(db);
	db->released_ms = now_ms();
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

bool pool_prepares(const struct pool *p)
{
	return p->opt.prepared == DB_PREPARED_ON;
}

bool pool_shares_names(const struct pool *p)
{
	return p->opt.prepared == DB_PREPARED_POOLED;
}

unsigned pool_statement_timeout_ms(const struct pool *p)
{
	return p->opt.statement_timeout_ms;
}

void pool_count_error(struct pool *p)
{
	atomic_fetch_add(&p->errors, 1);
}

void pool_count_retry(struct pool *p)
{
	atomic_fetch_add(&p->retries, 1);
}
