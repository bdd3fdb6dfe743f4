/*
 * province.h — SQL for a province and the agencies it groups on a day
 * (migration 0019).
 *
 * A caller acts for one organisation; for a province, "its members" are
 * the agencies whose membership spans the day asked, so a read as on a
 * day before a merger sees the province of that day.
 */
#ifndef THIDUA_STORE_PROVINCE_H
#define THIDUA_STORE_PROVINCE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"

/* The organisation as {"id","code","name","kind"} (a new string; NULL
 * when it does not exist). */
enum db_status store_organization_brief(struct db *db, int64_t org_id, char **json);

/* {"items": [...]}: the agencies province_id groups on day `on`, in
 * Vietnamese order of their names, each with the span of its membership. */
enum db_status store_province_members(struct db *db, int64_t province_id, struct civil_date on,
				      char **json);

/* The review rounds of a year held by the province's members on day `on`,
 * in the order of store_province_members, then by round id. */
struct province_round {
	int64_t org_id, round_id;
	const char *organization; /* {"id","code","name"} as JSON text */
};
struct province_rounds {
	PGresult *res;
	size_t n;
	struct province_round *items;
};
enum db_status store_province_rounds(struct db *db, int64_t province_id, struct civil_date on,
				     int year, struct province_rounds *out);
void province_rounds_free(struct province_rounds *r);

#endif
