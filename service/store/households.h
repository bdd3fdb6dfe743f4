/*
 * households.h — SQL for the households the Office records as recipients
 * of a commendation (migration 0027, db/procedures/households.sql).
 */
#ifndef THIDUA_STORE_HOUSEHOLDS_H
#define THIDUA_STORE_HOUSEHOLDS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* A page of the organisation's households, newest first, after the id
 * after (0: from the start); a new JSON string. */
enum db_status store_households(struct db *db, int64_t org_id, int64_t after, long limit,
				char **json);
/* One household; NULL when the organisation has none of that id. */
enum db_status store_household(struct db *db, int64_t org_id, int64_t id, char **json);

/* Records a household (fields: name, address, note). */
void store_household_create(const struct writer *w, const char *fields, struct write_result *r);

#endif
