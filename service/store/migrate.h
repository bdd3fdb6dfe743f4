/*
 * migrate.h — schema migrations embedded in the binary.
 *
 * Each file db/migrations/NNNN_name.sql is applied in its own transaction
 * under pg_advisory_xact_lock, so replicas starting together apply each one
 * exactly once (a transaction-scoped lock also works behind PgBouncer in
 * transaction mode).  schema_migrations records version, name and the
 * SHA-256 of the text; a recorded checksum that differs from the embedded
 * file means an applied migration was edited, and the start stops.
 */
#ifndef THIDUA_STORE_MIGRATE_H
#define THIDUA_STORE_MIGRATE_H

#include <stddef.h>

#include "store/db.h"

/* Applies pending migrations. On failure err holds one line for people. */
enum db_status migrate_apply(struct db *db, int *applied_now, char *err, size_t errlen);

/* How many of the embedded migrations the database has recorded. */
enum db_status migrate_count_applied(struct db *db, int *applied);
int migrate_expected(void);

#endif
