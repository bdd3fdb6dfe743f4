/*
 * organizations.c — SQL of a province's agencies (see organizations.h).
 */
#include "store/organizations.h"

/* clang-format off */
DB_STATEMENT(history, "SELECT org_history($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(create, "SELECT r.* FROM org_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(change,
	"SELECT r.* FROM org_change($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7::jsonb,"
	" $8::date) r", 8);
DB_STATEMENT(close_stmt,
	"SELECT r.* FROM org_close($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7::jsonb) r",
	7);
DB_STATEMENT(merge, "SELECT r.* FROM org_merge($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
/* clang-format on */

enum db_status store_org_history(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, history, json, db_arg_id(org), db_arg_id(id));
}

void store_org_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_org_change(const struct writer *w, int64_t id, int version, const char *fields,
		      struct write_result *r)
{
	WRITE_RUN(w->db, change, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields), db_arg_date(w->today));
}

void store_org_close(const struct writer *w, int64_t id, int version, const char *fields,
		     struct write_result *r)
{
	WRITE_RUN(w->db, close_stmt, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields));
}

void store_org_merge(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, merge, r, WRITER_ARGS(w), db_arg_text(fields));
}
