/*
 * housekeeping.c — SQL of the periodic chores (see housekeeping.h).
 */
#include "store/housekeeping.h"

#include <stdlib.h>

DB_STATEMENT(purge_keys,
	     "WITH gone AS (DELETE FROM idempotency_keys"
	     " WHERE created_at < now() - interval '24 hours' RETURNING 1)"
	     "SELECT count(*) FROM gone",
	     0);

DB_STATEMENT(purge_throttle, "SELECT throttle_purge()", 0);
DB_STATEMENT(purge_case_quota, "SELECT public_case_quota_purge()", 0);
/* on Vietnam's day, as every clock of a case */
DB_STATEMENT(case_reminders,
	     "SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,"
	     " $1::boolean)",
	     1);

/* Runs a purge without arguments; *deleted is the count its one row gives. */
static enum db_status purge(struct db *db, struct db_stmt *stmt, int64_t *deleted)
{
	enum db_status st;
	*deleted = 0;
	PGresult *res = db_exec(db, stmt, NULL, 0, &st);
	if (!res)
		return st;
	*deleted = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_purge_idempotency_keys(struct db *db, int64_t *deleted)
{
	return purge(db, &purge_keys, deleted);
}

enum db_status store_purge_login_throttle(struct db *db, int64_t *deleted)
{
	return purge(db, &purge_throttle, deleted);
}

enum db_status store_purge_public_case_quota(struct db *db, int64_t *deleted)
{
	return purge(db, &purge_case_quota, deleted);
}

enum db_status store_record_case_reminders(struct db *db, bool mail, int64_t *made)
{
	enum db_status st;
	*made = 0;
	PGresult *res = DB_EXEC(db, case_reminders, &st, db_arg_bool(mail));
	if (!res)
		return st;
	*made = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}
