/*
 * statistics.c — SQL of the statistics forms (see statistics.h).
 */
#include "store/statistics.h"

/* clang-format off */
DB_STATEMENT(forms, "SELECT stat_forms_json($1::bigint, $2::integer)::text", 2);
/* clang-format on */

enum db_status store_statistics(struct db *db, int64_t org, int year, char **json)
{
	return DB_FETCH_TEXT(db, forms, json, db_arg_id(org), db_arg_int(year));
}
