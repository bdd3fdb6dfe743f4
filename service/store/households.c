/*
 * households.c — SQL for households (see households.h).
 */
#include "store/households.h"

/* clang-format off */
DB_STATEMENT(list,
	"SELECT households_page($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(get,
	"SELECT household_json(h)::text FROM households h"
	" WHERE h.organization_id = $1::bigint AND h.id = $2::bigint", 2);
DB_STATEMENT(create,
	"SELECT r.* FROM household_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
/* clang-format on */

enum db_status store_households(struct db *db, int64_t org_id, int64_t after, long limit,
				char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id), db_arg_id(after),
			     db_arg_int((int)limit));
}

enum db_status store_household(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_household_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}
