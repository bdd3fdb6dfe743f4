/*
 * public.c — SQL of the published documents (see public.h).
 */
#include "store/public.h"

/* clang-format off */
DB_STATEMENT(news,
	"SELECT public_news($1, $2, $3::integer, $4::date, $5, $6::integer, $7)::text", 7);
DB_STATEMENT(revision,
	"SELECT coalesce((SELECT r.rev FROM data_revisions r WHERE r.organization_id = o.id"
	" AND r.topic = 'public'), 0) FROM organizations o WHERE o.code = $1", 1);
DB_STATEMENT(decision, "SELECT public_decision($1, $2::bigint)::text", 2);
DB_STATEMENT(plan, "SELECT public_plan($1, $2::bigint)::text", 2);
DB_STATEMENT(exemplar, "SELECT public_exemplar($1, $2::bigint)::text", 2);
DB_STATEMENT(disclosure, "SELECT public_disclosure($1, $2::bigint, $3::date)::text", 3);
/* clang-format on */

enum db_status store_public_news(struct db *db, const struct public_news_query *q, char **json)
{
	return DB_FETCH_TEXT(db, news, json, db_arg_text(q->code), db_arg_text(q->lang),
			     db_arg_int(q->limit), db_arg_text(q->after_day),
			     db_arg_text(q->after_id),
			     q->year ? db_arg_int(q->year) : db_arg_null(), db_arg_text(q->kind));
}

enum db_status store_public_decision(struct db *db, const char *code, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, decision, json, db_arg_text(code), db_arg_id(id));
}

enum db_status store_public_plan(struct db *db, const char *code, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, plan, json, db_arg_text(code), db_arg_id(id));
}

enum db_status store_public_revision(struct db *db, const char *code, int64_t *rev)
{
	enum db_status st;
	*rev = -1;
	PGresult *res = DB_EXEC(db, revision, &st, db_arg_text(code));
	if (!res)
		return st;
	if (PQntuples(res) == 1)
		*rev = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_public_exemplar(struct db *db, const char *code, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, exemplar, json, db_arg_text(code), db_arg_id(id));
}

enum db_status store_public_disclosure(struct db *db, const char *code, int64_t id,
				       struct civil_date today, char **json)
{
	return DB_FETCH_TEXT(db, disclosure, json, db_arg_text(code), db_arg_id(id),
			     db_arg_date(today));
}
