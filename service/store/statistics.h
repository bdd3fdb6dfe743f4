/*
 * statistics.h — SQL of the statistics forms of a report year (migration
 * 0041, db/procedures/statistics.sql).
 */
#ifndef THIDUA_STORE_STATISTICS_H
#define THIDUA_STORE_STATISTICS_H

#include <stdint.h>

#include "store/db.h"

/* The forms of org for the report year (a province's: the roll-up of its
 * members), a new JSON string; NULL when no regime governs the year. */
enum db_status store_statistics(struct db *db, int64_t org, int year, char **json);

#endif
