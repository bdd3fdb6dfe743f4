/*
 * conn.h — one connection of the pool as the statements use it.  Private
 * to store/: pool.c fills and lends these slots, db.c runs statements on
 * them; the rest of the service sees only struct db's name (db.h).
 */
#ifndef THIDUA_STORE_CONN_H
#define THIDUA_STORE_CONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

/* prepared statements a connection can hold (the slots of struct db_stmt) */
#define MAX_STMTS 1024

struct pool;

struct db {
	struct pool *pool;
	PGconn *conn;
	bool busy;
	bool in_tx;
	int64_t released_ms; /* CLOCK_MONOTONIC ms when last given back; 0: never */
	bool prepared[MAX_STMTS];
	char sqlstate[6];
	char constraint[64];
	char error[256];
};

/* Records the error of the last call: SQLSTATE and message (trailing
 * newlines dropped). */
void conn_set_error(struct db *db, const char *sqlstate, const char *msg);
/* Closes the connection (broken, or given up); its slot connects again when
 * next wanted, and forgets what it had prepared. */
void conn_drop(struct db *db);

#endif
