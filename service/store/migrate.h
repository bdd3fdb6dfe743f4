/*
 * migrate.h — schema migrations and procedures embedded in the binary.
 *
 * Each file db/migrations/NNNN_name.sql is applied in its own transaction
 * under pg_advisory_xact_lock, so replicas starting together apply each one
 * exactly once (a transaction-scoped lock also works behind PgBouncer in
 * transaction mode).  schema_migrations records version, name and the
 * SHA-256 of the text; a recorded checksum that differs from the embedded
 * file means an applied migration was edited, and the start stops.  The
 * one exception is the checksums 0001-0006 had before their procedures
 * moved out: those are re-recorded (see migrate.c).
 *
 * Then the procedures (db/procedures/, see db/README.md) are re-created in
 * one transaction under the same lock, unless schema_procedures says this
 * very set was loaded since the newest migration.  A database whose schema
 * is newer than the newest migration embedded here is refused: its
 * procedures would be replaced by older ones.
 */
#ifndef THIDUA_STORE_MIGRATE_H
#define THIDUA_STORE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

#define MIGRATE_SHA256_HEX 65

/* What migrate_apply did, for the start-up log. */
struct migrate_report {
	int applied_now; /* migrations applied by this call */
	int rerecorded; /* squashed migrations whose old checksum was rewritten */
	bool procedures_loaded; /* true: re-created now; false: already current */
	char procedures_sha256[MIGRATE_SHA256_HEX]; /* of the embedded set */
};

/*
 * Applies pending migrations, then loads the procedures unless they are
 * current.  On failure err holds one line for people; a refusal (edited
 * migration, newer schema) is DB_ERROR, which is not worth retrying.
 */
enum db_status migrate_apply(struct db *db, struct migrate_report *report, char *err,
			     size_t errlen);

/* How many of the embedded migrations the database has recorded. */
enum db_status migrate_count_applied(struct db *db, int *applied);
int migrate_expected(void);

#endif
