/*
 * migrate.c — applying the embedded migrations, then the procedures (see
 * migrate.h and db/README.md).
 *
 * Migrations hold the schema and are never edited once applied; the
 * procedures (functions and triggers) are re-created from db/procedures/
 * whenever the set in this binary is not the one the database last loaded.
 * Both run under one advisory lock, so replicas starting together neither
 * apply a migration twice nor interleave a reload with a migration.
 */
#include "store/migrate.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"

/* "thidua" in ASCII, then 1: one lock for all migration work, cluster-wide. */
#define LOCK_SQL "SELECT pg_advisory_xact_lock(x'746869647561'::bigint * 256 + 1)"

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
				       " version integer PRIMARY KEY,"
				       " name text NOT NULL,"
				       " checksum text NOT NULL,"
				       " applied_at timestamptz NOT NULL DEFAULT now())";

/* One row: the procedure set last loaded, for which schema, by which binary. */
static const char procedures_table_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_procedures ("
	" singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
	" checksum text NOT NULL,"
	" migration integer NOT NULL,"
	" loaded_at timestamptz NOT NULL DEFAULT now(),"
	" binary_version text NOT NULL,"
	" binary_commit text NOT NULL)";

/* clang-format off */
DB_STATEMENT(find_stmt,
	"SELECT checksum, encode(sha256(convert_to($2, 'UTF8')), 'hex')"
	" FROM schema_migrations WHERE version = $1::integer",
	2);

DB_STATEMENT(record_stmt,
	"INSERT INTO schema_migrations (version, name, checksum)"
	" VALUES ($1::integer, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))",
	3);

DB_STATEMENT(rerecord_stmt,
	"UPDATE schema_migrations SET checksum = $2"
	" WHERE version = $1::integer AND checksum = $3",
	3);

DB_STATEMENT(count_stmt,
	"SELECT count(*) FROM schema_migrations WHERE version <= $1::integer", 1);

DB_STATEMENT(newest_stmt, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0);

DB_STATEMENT(procedures_current_stmt,
	"SELECT checksum = $1 AND migration = $2::integer FROM schema_procedures", 2);

DB_STATEMENT(procedures_record_stmt,
	"INSERT INTO schema_procedures (checksum, migration, binary_version, binary_commit)"
	" VALUES ($1, $2::integer, $3, $4)"
	" ON CONFLICT (singleton) DO UPDATE SET checksum = EXCLUDED.checksum,"
	" migration = EXCLUDED.migration, loaded_at = now(),"
	" binary_version = EXCLUDED.binary_version, binary_commit = EXCLUDED.binary_commit",
	4);
/* clang-format on */

/*
 * The checksums 0001-0006 were recorded with before their functions and
 * triggers moved to db/procedures/ (the files are kept, byte for byte, in
 * tests/fixtures/legacy-migrations/).  The current files plus the
 * procedures make exactly the schema those made (test_procedures.py
 * compares the dumps), so a database that recorded one of these is
 * re-recorded with the current checksum instead of refused as edited.
 */
static const struct {
	int version;
	const char *sha256;
} squashed[] = {
	{ 1, "626905c9afc4184992b299b15d332cb4d5bf6dce8b3d8a2f37c13512eaa8ade9" },
	{ 2, "ca500c46444d6b0666251e03afeea16d2909bfd28407d74a4981f78b4b269bde" },
	{ 3, "4fb60bab98840239a740e6068fd8e0072a7d8c360ef40067cafb81612c32cdd4" },
	{ 4, "d800c7b328e427a3cd067a029801bd99c519d654f8e9189d6641b41769f1683a" },
	{ 5, "574eeb6ec9e10e33857ffc333d1283add1e3aeb9b1b4af438ca037c4519f6889" },
	{ 6, "44a800095d70cbb61cdc605c92d1770931dbbb32cfd9424f6697a32f48218d8e" },
};

/* The NNNN of NNNN_name.sql; 0 when the name does not start with digits. */
static int version_of(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);
	return end != name && v > 0 && v < 100000 ? (int)v : 0;
}

static int newest_embedded(void)
{
	return thidua_migrations_count
		       ? version_of(thidua_migrations[thidua_migrations_count - 1].name)
		       : 0;
}

int migrate_expected(void)
{
	return (int)thidua_migrations_count;
}

/* The checksum migration version had before the squash, or NULL. */
static const char *squashed_checksum(int version)
{
	for (size_t i = 0; i < sizeof squashed / sizeof squashed[0]; i++)
		if (squashed[i].version == version)
			return squashed[i].sha256;
	return NULL;
}

/*
 * A migration the database has recorded: its checksum must be the file's,
 * or the one it had before the squash, which is then rewritten (*rerecorded
 * counts it).  Anything else means the file was edited after it was applied.
 */
static enum db_status check_recorded(struct db *db, const struct embedded_file *m,
				     const char *recorded, const char *current, int *rerecorded,
				     char *err, size_t errlen)
{
	if (strcmp(recorded, current) == 0)
		return DB_OK;
	const char *old = squashed_checksum(version_of(m->name));
	if (!old || strcmp(recorded, old) != 0) {
		snprintf(err, errlen,
			 "migration %s was edited after it was applied "
			 "(checksum differs); add a new migration instead",
			 m->name);
		return DB_ERROR;
	}
	enum db_status st;
	PQclear(DB_EXEC(db, rerecord_stmt, &st, db_arg_int(version_of(m->name)),
			db_arg_text(current), db_arg_text(old)));
	if (st == DB_OK)
		(*rerecorded)++;
	return st;
}

/* Applies one migration in its own transaction; report counts what it did. */
static enum db_status apply_one(struct db *db, const struct embedded_file *m,
				struct migrate_report *report, char *err, size_t errlen)
{
	int version = version_of(m->name);
	enum db_status st = db_begin(db);
	if (st == DB_OK)
		st = db_exec_script(db, LOCK_SQL);
	if (st == DB_OK)
		st = db_exec_script(db, create_table_sql);
	if (st != DB_OK)
		goto fail;

	PGresult *res = DB_EXEC(db, find_stmt, &st, db_arg_int(version), db_arg_text(m->data));
	if (!res)
		goto fail;
	if (PQntuples(res) == 1) {
		st = check_recorded(db, m, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
				    &report->rerecorded, err, errlen);
		PQclear(res);
		if (st == DB_OK)
			st = db_commit(db);
		if (st != DB_OK)
			goto fail;
		return DB_OK;
	}
	PQclear(res);

	st = db_exec_script(db, m->data);
	if (st != DB_OK)
		goto fail;
	PQclear(DB_EXEC(db, record_stmt, &st, db_arg_int(version), db_arg_text(m->name),
			db_arg_text(m->data)));
	if (st == DB_OK)
		st = db_commit(db);
	if (st == DB_OK) {
		report->applied_now++;
		return DB_OK;
	}
fail:
	if (!*err) /* else a refusal, which says why */
		snprintf(err, errlen, "migration %s failed: %s", m->name, db_last_error(db));
	db_rollback(db);
	return st;
}

/*
 * SHA-256 over each procedure file's name and text, each NUL-terminated,
 * in load order: renaming or reordering a file changes it as well.
 */
static bool procedures_sha256(char hex[MIGRATE_SHA256_HEX])
{
	if (sodium_init() < 0)
		return false;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	for (size_t i = 0; i < thidua_procedures_count; i++) {
		const struct embedded_file *f = &thidua_procedures[i];
		crypto_hash_sha256_update(&h, (const unsigned char *)f->name, strlen(f->name) + 1);
		crypto_hash_sha256_update(&h, (const unsigned char *)f->data, f->len + 1);
	}
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(hex, MIGRATE_SHA256_HEX, digest, sizeof digest);
	return true;
}

/* Executes every procedure file in manifest order, then records the set. */
static enum db_status procedures_load(struct db *db, const char *sha256, int migration, char *err,
				      size_t errlen)
{
	for (size_t i = 0; i < thidua_procedures_count; i++) {
		const struct embedded_file *f = &thidua_procedures[i];
		enum db_status st = db_exec_script(db, f->data);
		if (st != DB_OK) {
			snprintf(err, errlen, "procedures: %s failed: %s", f->name,
				 db_last_error(db));
			return st;
		}
	}
	enum db_status st;
	PQclear(DB_EXEC(db, procedures_record_stmt, &st, db_arg_text(sha256), db_arg_int(migration),
			db_arg_text(THIDUA_VERSION), db_arg_text(THIDUA_COMMIT)));
	return st;
}

/*
 * Reads the newest migration the database records; a newer one than this
 * binary's is refused: the procedures loaded next would replace the ones
 * that schema came with.
 */
static enum db_status newest_recorded(struct db *db, int *newest, char *err, size_t errlen)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, newest_stmt, &st);
	if (!res)
		return st;
	*newest = (int)db_get_int(res, 0, 0);
	PQclear(res);
	if (*newest <= newest_embedded())
		return DB_OK;
	snprintf(err, errlen,
		 "the database schema is at migration %04d, newer than this binary "
		 "(%04d): its procedures would replace newer ones; run a newer build",
		 *newest, newest_embedded());
	return DB_ERROR;
}

/* Whether the procedures recorded are this set, loaded for migration newest. */
static enum db_status procedures_current(struct db *db, const char *sha256, int newest,
					 bool *current)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(db, procedures_current_stmt, &st, db_arg_text(sha256), db_arg_int(newest));
	if (!res)
		return st;
	*current = PQntuples(res) == 1 && db_get_bool(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

/*
 * Under the lock: refuses a schema newer than this binary, then re-creates
 * the procedures unless the recorded set is this one, loaded for the
 * newest migration (a migration may have dropped a function to change a
 * table under it, so one applied since means a reload too).
 */
static enum db_status procedures_apply(struct db *db, struct migrate_report *report, char *err,
				       size_t errlen)
{
	int newest = 0;
	bool current = false;
	enum db_status st = db_begin(db);
	if (st == DB_OK)
		st = db_exec_script(db, LOCK_SQL);
	if (st == DB_OK)
		st = db_exec_script(db, procedures_table_sql);
	if (st == DB_OK)
		st = newest_recorded(db, &newest, err, errlen);
	if (st == DB_OK)
		st = procedures_current(db, report->procedures_sha256, newest, &current);
	if (st == DB_OK && current) {
		db_rollback(db); /* nothing to do: no catalog touched, no table locked */
		return DB_OK;
	}
	if (st == DB_OK)
		st = procedures_load(db, report->procedures_sha256, newest, err, errlen);
	if (st == DB_OK)
		st = db_commit(db);
	if (st == DB_OK) {
		report->procedures_loaded = true;
		return DB_OK;
	}
	if (!*err) /* else a refusal or a failed file, which says which */
		snprintf(err, errlen, "procedures: %s", db_last_error(db));
	db_rollback(db);
	return st;
}

enum db_status migrate_apply(struct db *db, struct migrate_report *report, char *err, size_t errlen)
{
	*report = (struct migrate_report){ 0 };
	if (errlen)
		*err = '\0';
	if (!procedures_sha256(report->procedures_sha256)) {
		snprintf(err, errlen, "procedures: cannot initialise libsodium");
		return DB_ERROR;
	}
	int prev = 0;
	for (size_t i = 0; i < thidua_migrations_count; i++) {
		const struct embedded_file *m = &thidua_migrations[i];
		int v = version_of(m->name);
		if (v <= prev) {
			snprintf(err, errlen,
				 "migration %s: versions must increase (NNNN_name.sql)", m->name);
			return DB_ERROR;
		}
		prev = v;
		enum db_status st = apply_one(db, m, report, err, errlen);
		if (st != DB_OK)
			return st;
	}
	return procedures_apply(db, report, err, errlen);
}

enum db_status migrate_count_applied(struct db *db, int *applied)
{
	enum db_status st;
	PGresult *res = DB_EXEC(db, count_stmt, &st, db_arg_int(newest_embedded()));
	if (!res) {
		/* no table yet: nothing applied, and the database does answer */
		if (strcmp(db_last_sqlstate(db), "42P01") == 0) {
			*applied = 0;
			return DB_OK;
		}
		return st;
	}
	*applied = (int)db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}
