/*
 * migrate.c — applying the embedded migrations (see migrate.h).
 */
#include "store/migrate.h"

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

static struct db_stmt find_stmt =
	DB_STMT("SELECT checksum = encode(sha256(convert_to($2, 'UTF8')), 'hex') "
		"FROM schema_migrations WHERE version = $1::integer",
		2);

static struct db_stmt record_stmt =
	DB_STMT("INSERT INTO schema_migrations (version, name, checksum) "
		"VALUES ($1::integer, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))",
		3);

static struct db_stmt count_stmt =
	DB_STMT("SELECT count(*) FROM schema_migrations WHERE version <= $1::integer", 1);

static int version_of(const char *name)
{
	return atoi(name);
}

int migrate_expected(void)
{
	return (int)thidua_migrations_count;
}

/* Applies one migration in its own transaction; *done tells if it ran. */
static enum db_status apply_one(struct db *db, const struct embedded_file *m, int *done, char *err,
				size_t errlen)
{
	char version[16];
	snprintf(version, sizeof version, "%d", version_of(m->name));
	enum db_status st = db_begin(db);
	if (st == DB_OK)
		st = db_exec_script(db, LOCK_SQL);
	if (st == DB_OK)
		st = db_exec_script(db, create_table_sql);
	if (st != DB_OK)
		goto fail;

	const char *find_args[] = { version, m->data };
	PGresult *res = db_query(db, &find_stmt, find_args, &st);
	if (!res)
		goto fail;
	if (PQntuples(res) == 1) {
		bool same = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		db_rollback(db);
		if (!same) {
			snprintf(err, errlen,
				 "migration %s was edited after it was applied "
				 "(checksum differs); add a new migration instead",
				 m->name);
			return DB_ERROR;
		}
		return DB_OK;
	}
	PQclear(res);

	st = db_exec_script(db, m->data);
	if (st != DB_OK)
		goto fail;
	const char *rec_args[] = { version, m->name, m->data };
	res = db_query(db, &record_stmt, rec_args, &st);
	PQclear(res);
	if (st == DB_OK)
		st = db_commit(db);
	if (st == DB_OK) {
		*done = 1;
		return DB_OK;
	}
fail:
	snprintf(err, errlen, "migration %s failed: %s", m->name, db_last_error(db));
	db_rollback(db);
	return st;
}

enum db_status migrate_apply(struct db *db, int *applied_now, char *err, size_t errlen)
{
	*applied_now = 0;
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
		int done = 0;
		enum db_status st = apply_one(db, m, &done, err, errlen);
		if (st != DB_OK)
			return st;
		*applied_now += done;
	}
	return DB_OK;
}

enum db_status migrate_count_applied(struct db *db, int *applied)
{
	char last[16];
	int v = thidua_migrations_count
			? version_of(thidua_migrations[thidua_migrations_count - 1].name)
			: 0;
	snprintf(last, sizeof last, "%d", v);
	const char *args[] = { last };
	enum db_status st;
	PGresult *res = db_query(db, &count_stmt, args, &st);
	if (!res) {
		/* no table yet: nothing applied, and the database does answer */
		if (strcmp(db_last_sqlstate(db), "42P01") == 0) {
			*applied = 0;
			return DB_OK;
		}
		return st;
	}
	*applied = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return DB_OK;
}
