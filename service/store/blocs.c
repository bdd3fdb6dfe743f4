/*
 * blocs.c — SQL of emulation blocs (see blocs.h).
 */
#include "store/blocs.h"

/* clang-format off */
DB_STATEMENT(list, "SELECT blocs_list($1::bigint)::text", 1);
DB_STATEMENT(get, "SELECT bloc_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(year_get,
	"SELECT bloc_year_get($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(ranking,
	"SELECT bloc_ranking($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(reports,
	"SELECT bloc_reports($1::bigint, $2::bigint, $3::integer)::text", 3);
DB_STATEMENT(create,
	"SELECT r.* FROM bloc_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(year_put,
	"SELECT r.* FROM bloc_year_put($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(pact_put,
	"SELECT r.* FROM bloc_pact_put($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(table_put,
	"SELECT r.* FROM bloc_table_put($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(adjust,
	"SELECT r.* FROM bloc_adjust($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb) r", 7);
DB_STATEMENT(score_put,
	"SELECT r.* FROM bloc_score_put($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::bigint, $8::jsonb) r", 8);
DB_STATEMENT(flag,
	"SELECT r.* FROM bloc_flag_propose($1::bigint, $2, $3, $4, $5::bigint, $6::integer,"
	" $7::jsonb, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) r", 7);
/* clang-format on */

enum db_status store_blocs(struct db *db, int64_t org, char **json)
{
	return DB_FETCH_TEXT(db, list, json, db_arg_id(org));
}

enum db_status store_bloc(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, get, json, db_arg_id(org), db_arg_id(id));
}

enum db_status store_bloc_year(struct db *db, int64_t org, int64_t id, int year, char **json)
{
	return DB_FETCH_TEXT(db, year_get, json, db_arg_id(org), db_arg_id(id), db_arg_int(year));
}

enum db_status store_bloc_ranking(struct db *db, int64_t org, int64_t id, int year, char **json)
{
	return DB_FETCH_TEXT(db, ranking, json, db_arg_id(org), db_arg_id(id), db_arg_int(year));
}

enum db_status store_bloc_reports(struct db *db, int64_t org, int64_t id, int year, char **json)
{
	return DB_FETCH_TEXT(db, reports, json, db_arg_id(org), db_arg_id(id), db_arg_int(year));
}

void store_bloc_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_bloc_write(const struct writer *w, enum bloc_write what, int64_t id, int year,
		      const char *fields, struct write_result *r)
{
	static struct db_stmt *const stmts[] = {
		[BLOC_YEAR] = &year_put,
		[BLOC_PACT] = &pact_put,
		[BLOC_TABLE] = &table_put,
		[BLOC_ADJUST] = &adjust,
	};
	/* the four take the same arguments (checked against one of them) */
	DB_ARGC_CHECK(year_put, WRITER_ARGS(w), db_arg_id(id), db_arg_int(year),
		      db_arg_text(fields));
	write_run(w->db, stmts[what],
		  DB_ARGS(WRITER_ARGS(w), db_arg_id(id), db_arg_int(year), db_arg_text(fields)), r);
}

void store_bloc_score(const struct writer *w, int64_t id, int year, int64_t member,
		      const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, score_put, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(year),
		  db_arg_id(member), db_arg_text(fields));
}

void store_bloc_flag(const struct writer *w, int64_t id, int year, const char *fields,
		     struct write_result *r)
{
	WRITE_RUN(w->db, flag, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(year),
		  db_arg_text(fields));
}
