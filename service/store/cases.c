/*
 * cases.c — SQL for complaints and denunciations (see cases.h).
 */
#include "store/cases.h"

const char *const lodged_case_kinds[] = { "complaint", "denunciation", "petition", NULL };

/* clang-format off */
DB_STATEMENT(list,
	"SELECT cases_list($1::bigint, $2, nullif($3::bigint, 0), $4::boolean, $5::date)::text",
	5);
DB_STATEMENT(get,
	"SELECT case_get($1::bigint, $2::bigint, nullif($3::bigint, 0), $4::boolean,"
	" $5::date)::text", 5);
DB_STATEMENT(create,
	"SELECT r.* FROM case_lodge($1::bigint, $2, $3, $4, $5::jsonb, nullif($6::bigint, 0),"
	" $7::boolean, $8::date) r", 8);
DB_STATEMENT(step_stmt,
	"SELECT r.* FROM case_step($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7,"
	" $8::jsonb, nullif($9::bigint, 0), $10::boolean, $11::date) r", 11);
DB_STATEMENT(lodge_public,
	"SELECT r.* FROM case_lodge_public($1, $2, $3::integer, $4::jsonb, $5::date, $6,"
	" $7::bytea, to_timestamp($8::bigint)) r", 8);
/* clang-format on */

enum db_status store_cases(struct db *db, int64_t org_id, const char *filter,
			   const struct case_reader *r, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id), db_arg_text(filter),
			     db_arg_id(r->user), db_arg_bool(r->head), db_arg_date(r->today));
}

enum db_status store_case(struct db *db, int64_t org_id, int64_t id, const struct case_reader *r,
			  char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id), db_arg_id(r->user),
			     db_arg_bool(r->head), db_arg_date(r->today));
}

void store_case_lodge(const struct writer *w, const char *fields, const struct case_reader *cr,
		      struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields), db_arg_id(cr->user),
		  db_arg_bool(cr->head), db_arg_date(cr->today));
}

void store_case_step(const struct writer *w, int64_t id, int version, const char *name,
		     const char *fields, const struct case_reader *cr, struct write_result *r)
{
	WRITE_RUN(w->db, step_stmt, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(name), db_arg_text(fields), db_arg_id(cr->user),
		  db_arg_bool(cr->head), db_arg_date(cr->today));
}

void store_case_lodge_public(struct db *db, const char *code, const char *address_key,
			     unsigned per_day, const char *fields, struct civil_date today,
			     const unsigned char *proof, int64_t expires, const char *request_id,
			     struct write_result *r)
{
	WRITE_RUN(db, lodge_public, r, db_arg_text(code), db_arg_text(address_key),
		  db_arg_int(per_day), db_arg_text(fields), db_arg_date(today),
		  db_arg_text(request_id), proof ? db_arg_bytes(proof, 32) : db_arg_null(),
		  db_arg_int(expires));
}
