/*
 * funds.c — SQL for the emulation fund (see funds.h).
 */
#include "store/funds.h"

/* clang-format off */
DB_STATEMENT(fund_report,
	"SELECT fund_report_json($1::bigint, $2::integer)::text",
	2);

DB_STATEMENT(fund_put,
	"SELECT r.* FROM fund_put($1::bigint, $2, $3, $4, $5::integer, $6::jsonb) r",
	6);

DB_STATEMENT(fund_pay,
	"SELECT r.* FROM fund_pay($1::bigint, $2, $3, $4, $5::integer, $6::jsonb) r",
	6);
/* clang-format on */

enum db_status store_fund_report(struct db *db, int64_t org_id, int year, char **json)
{
	return DB_FETCH_TEXT(db, fund_report, json, db_arg_id(org_id), db_arg_int(year));
}

void store_fund_put(const struct writer *w, int year, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, fund_put, r, WRITER_ARGS(w), db_arg_int(year), db_arg_text(fields));
}

void store_fund_pay(const struct writer *w, int year, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, fund_pay, r, WRITER_ARGS(w), db_arg_int(year), db_arg_text(fields));
}
