/*
 * bonus.c — SQL for the money of awards (see bonus.h).
 */
#include "store/bonus.h"

/* clang-format off */
DB_STATEMENT(bonus_rates,
	"SELECT bonus_rates_json($1::bigint, $2::date)::text",
	2);
/* clang-format on */

enum db_status store_bonus_rates(struct db *db, int64_t org_id, struct civil_date on, char **json)
{
	return DB_FETCH_TEXT(db, bonus_rates, json, db_arg_id(org_id), db_arg_date(on));
}
