/*
 * decisions.c — SQL for commendation decisions (see decisions.h).
 */
#include "store/decisions.h"

/* clang-format off */
DB_STATEMENT(list, "SELECT decisions_json($1::bigint)::text", 1);
DB_STATEMENT(get, "SELECT decision_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(item,
	"SELECT decision_certificate_get($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(create,
	"SELECT r.* FROM decision_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(sign,
	"SELECT r.* FROM decision_sign($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(revoke,
	"SELECT r.* FROM decision_revoke($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) r", 6);
/* clang-format on */

enum db_status store_decisions(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id));
}

enum db_status store_decision(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_decision_item(struct db *db, int64_t org_id, int64_t id, int64_t position,
				   char **json)
{
	return DB_FETCH_TEXT(db, item, json, db_arg_id(org_id), db_arg_id(id),
			     db_arg_int(position));
}

void store_decision_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_decision_sign(const struct writer *w, int64_t id, int version, const char *fields,
			 struct write_result *r)
{
	WRITE_RUN(w->db, sign, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields));
}

void store_decision_revoke(const struct writer *w, int64_t id, const char *fields,
			   struct write_result *r)
{
	WRITE_RUN(w->db, revoke, r, WRITER_ARGS(w), db_arg_id(id), db_arg_text(fields));
}
