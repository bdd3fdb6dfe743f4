/*
 * calendar.c — SQL for the working-day calendar (see calendar.h).
 */
#include "store/calendar.h"

DB_STATEMENT(calendar, "SELECT calendar_json($1::integer)::text", 1);

enum db_status store_calendar(struct db *db, int year, char **json)
{
	return DB_FETCH_TEXT(db, calendar, json, db_arg_int(year));
}
