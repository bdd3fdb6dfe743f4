/*
 * bonus.h — SQL for the money of awards (migration 0020,
 * db/procedures/bonus.sql).
 */
#ifndef THIDUA_STORE_BONUS_H
#define THIDUA_STORE_BONUS_H

#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"

/* bonus_rates_json: the rule set governing day `on` for the organisation,
 * its coefficients and the base salary of the day (a new string). */
enum db_status store_bonus_rates(struct db *db, int64_t org_id, struct civil_date on, char **json);

#endif
