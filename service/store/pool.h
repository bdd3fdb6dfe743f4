/*
 * pool.h — a fixed pool of libpq connections.
 *
 * A request borrows one connection for its whole life (pool_acquire /
 * pool_release), so a transaction never spans two connections; statements
 * run on it through db.h.  Failure is a value: a lost server marks the
 * connection broken, later borrowers reconnect, and callers answer 503
 * with Retry-After meanwhile.
 */
#ifndef THIDUA_STORE_POOL_H
#define THIDUA_STORE_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h" /* enum db_prepared */

/* What every database call answers: a borrow, a statement, a transaction. */
enum db_status {
	DB_OK,
	DB_UNAVAILABLE, /* cannot reach PostgreSQL now; retry later (503) */
	DB_BUSY, /* no free connection within the wait (503) */
	DB_TIMEOUT, /* statement_timeout cancelled the statement (503) */
	DB_CONFLICT, /* serialization failure or deadlock, still there after the retries (503) */
	DB_ERROR, /* anything else: a bug or a constraint (500 unless mapped) */
};

struct pool_options {
	const char *url;
	unsigned size;
	unsigned wait_ms; /* the longest a borrower waits, connecting included */
	enum db_prepared prepared; /* how statements run (THIDUA_DB_PREPARED) */
	unsigned statement_timeout_ms;
	unsigned connect_timeout_s;
	unsigned tcp_user_timeout_ms; /* 0: the system's default */
	unsigned keepalive_idle_s;
	bool closed; /* borrowers are refused until pool_open() */
};

struct pool;
struct db;

/* A new pool; connects lazily, from a thread of its own, so it starts even
 * while PostgreSQL is down. */
struct pool *pool_new(const struct pool_options *opt);
void pool_free(struct pool *p);
/* Lets borrowers in, for a pool made with closed (e.g. once the migrations
 * are applied); pool_is_open tells whether that happened. */
void pool_open(struct pool *p);
bool pool_is_open(struct pool *p);

/* Borrows a connected connection, waiting at most the pool's wait_ms, or
 * returns NULL with *st set: DB_UNAVAILABLE when PostgreSQL cannot be
 * reached (at once when the last attempt failed) or the pool is closed,
 * DB_BUSY when every connection stayed in use. */
struct db *pool_acquire(struct pool *p, enum db_status *st);
/* Returns it; an open transaction is rolled back first. */
void pool_release(struct pool *p, struct db *db);

struct pool_stats {
	unsigned size, in_use, connected;
	uint64_t errors; /* connection failures and failed statements */
	uint64_t retries; /* statements or transactions run again after 40001/40P01 */
};
void pool_get_stats(struct pool *p, struct pool_stats *out);

/* For the statements (db.c): how the pool's connections were opened, and
 * its counters. */
bool pool_prepares(const struct pool *p);
bool pool_shares_names(const struct pool *p);
unsigned pool_statement_timeout_ms(const struct pool *p);
void pool_count_error(struct pool *p);
void pool_count_retry(struct pool *p);

#endif
