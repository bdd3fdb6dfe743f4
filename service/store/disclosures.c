/*
 * disclosures.c — SQL for public disclosure and feedback (see
 * disclosures.h).
 */
#include "store/disclosures.h"

/* clang-format off */
DB_STATEMENT(list,
	"SELECT disclosures_page($1::bigint, $2::bigint, $3::integer, $4::date)::text", 4);
DB_STATEMENT(get,
	"SELECT disclosure_get($1::bigint, $2::bigint, $3::boolean, $4::date)::text", 4);
DB_STATEMENT(create,
	"SELECT r.* FROM disclosure_create($1::bigint, $2, $3, $4, $5::jsonb, $6::date) r", 6);
DB_STATEMENT(withdraw,
	"SELECT r.* FROM disclosure_withdraw($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb, $8::date) r", 8);
DB_STATEMENT(handle,
	"SELECT r.* FROM disclosure_feedback_handle($1::bigint, $2, $3, $4, $5::bigint,"
	" $6::bigint, $7::integer, $8::jsonb, nullif($9::bigint, 0), $10::boolean, $11::date) r",
	11);
DB_STATEMENT(post,
	"SELECT r.* FROM disclosure_feedback_post($1, $2::bigint, $3, $4::integer, $5::jsonb,"
	" $6::bytea, to_timestamp($7::bigint), $8::date, $9) r", 9);
/* clang-format on */

enum db_status store_disclosures(struct db *db, int64_t org_id, int64_t after, long limit,
				 struct civil_date today, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id), db_arg_id(after),
			     db_arg_int((int)limit), db_arg_date(today));
}

enum db_status store_disclosure(struct db *db, int64_t org_id, int64_t id,
				const struct disclosure_reader *dr, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id),
			     db_arg_bool(dr->private_), db_arg_date(dr->cr.today));
}

void store_disclosure_create(const struct writer *w, const char *fields, struct civil_date today,
			     struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields), db_arg_date(today));
}

void store_disclosure_withdraw(const struct writer *w, int64_t id, int version, const char *fields,
			       struct civil_date today, struct write_result *r)
{
	WRITE_RUN(w->db, withdraw, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields), db_arg_date(today));
}

void store_disclosure_feedback_handle(const struct writer *w, int64_t id, int64_t feedback_id,
				      int version, const char *fields,
				      const struct disclosure_reader *dr, struct write_result *r)
{
	WRITE_RUN(w->db, handle, r, WRITER_ARGS(w), db_arg_id(id), db_arg_id(feedback_id),
		  db_arg_int(version), db_arg_text(fields), db_arg_id(dr->cr.user),
		  db_arg_bool(dr->cr.head), db_arg_date(dr->cr.today));
}

void store_disclosure_feedback_post(struct db *db, const struct public_feedback *f,
				    struct write_result *r)
{
	WRITE_RUN(db, post, r, db_arg_text(f->code), db_arg_id(f->disclosure_id),
		  db_arg_text(f->address_key), db_arg_int(f->per_day), db_arg_text(f->fields),
		  f->proof ? db_arg_bytes(f->proof, 32) : db_arg_null(), db_arg_int(f->expires),
		  db_arg_date(f->today), db_arg_text(f->request_id));
}
