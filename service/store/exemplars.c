/*
 * exemplars.c — SQL for advanced exemplars (see exemplars.h).
 */
#include "store/exemplars.h"

/* clang-format off */
DB_STATEMENT(list, "SELECT exemplars_page($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(get,
	"SELECT exemplar_json(e)::text FROM exemplars e"
	" WHERE e.organization_id = $1::bigint AND e.id = $2::bigint", 2);
DB_STATEMENT(create,
	"SELECT r.* FROM exemplar_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(step_stmt,
	"SELECT r.* FROM exemplar_step($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7,"
	" $8::jsonb) r", 8);
/* clang-format on */

enum db_status store_exemplars(struct db *db, int64_t org_id, int64_t after, long limit,
			       char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id), db_arg_id(after),
			     db_arg_int((int)limit));
}

enum db_status store_exemplar(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_exemplar_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_exemplar_step(const struct writer *w, int64_t id, int version, const char *name,
			 const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, step_stmt, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(name), db_arg_text(fields));
}
