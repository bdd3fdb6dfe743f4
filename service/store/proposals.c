/*
 * proposals.c — SQL for proposals to the province (see proposals.h).
 */
#include "store/proposals.h"

/* clang-format off */
DB_STATEMENT(list, "SELECT proposals_json($1::bigint)::text", 1);
DB_STATEMENT(get, "SELECT proposal_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(create,
	"SELECT r.* FROM proposal_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(send,
	"SELECT r.* FROM proposal_send($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(answer,
	"SELECT r.* FROM proposal_answer($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) r", 6);
/* clang-format on */

enum db_status store_proposals(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org_id));
}

enum db_status store_proposal(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_proposal_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_proposal_send(const struct writer *w, int64_t id, int version, const char *fields,
			 struct write_result *r)
{
	WRITE_RUN(w->db, send, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields));
}

void store_proposal_answer(const struct writer *w, int64_t id, const char *fields,
			   struct write_result *r)
{
	WRITE_RUN(w->db, answer, r, WRITER_ARGS(w), db_arg_id(id), db_arg_text(fields));
}
