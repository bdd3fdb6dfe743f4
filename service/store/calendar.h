/*
 * calendar.h — SQL for the working-day calendar (migration 0025,
 * db/procedures/calendar.sql).
 */
#ifndef THIDUA_STORE_CALENDAR_H
#define THIDUA_STORE_CALENDAR_H

#include "store/db.h"

/* A year's working days and exceptions (a new JSON string). */
enum db_status store_calendar(struct db *db, int year, char **json);

#endif
