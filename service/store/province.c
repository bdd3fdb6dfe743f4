/*
 * province.c — SQL for a province and its members (see province.h).
 */
#include "store/province.h"

#include <stdlib.h>
#include <string.h>

/* clang-format off */
#define VI "COLLATE \"vi-VN-x-icu\""

DB_STATEMENT(organization_brief,
	"SELECT json_build_object('id', id, 'code', code, 'name', name, 'kind', kind)::text"
	" FROM organizations WHERE id = $1::bigint",
	1);

/* The members of province $1 on day $2: a membership counts on the days
 * from valid_from to valid_until, both included. */
#define MEMBERS_FROM " FROM province_members m JOIN organizations o ON o.id = m.member_id"
#define MEMBERS_ON                                                       \
	" m.province_id = $1::bigint AND m.valid_from <= $2::date" \
	" AND (m.valid_until IS NULL OR m.valid_until >= $2::date)"

DB_STATEMENT(province_members,
	"SELECT json_build_object('on', $2::date, 'items', coalesce(json_agg(json_build_object("
	" 'id', o.id, 'code', o.code, 'name', o.name, 'short_name', o.short_name,"
	" 'member_from', m.valid_from, 'member_until', m.valid_until)"
	" ORDER BY o.name " VI ", o.id), '[]'::json))::text"
	MEMBERS_FROM " WHERE" MEMBERS_ON,
	2);

DB_STATEMENT(province_rounds,
	"SELECT o.id, r.id, json_build_object('id', o.id, 'code', o.code, 'name', o.name)::text"
	MEMBERS_FROM
	" JOIN review_rounds r ON r.organization_id = o.id AND r.year = $3::integer"
	" WHERE" MEMBERS_ON
	" ORDER BY o.name " VI ", o.id, r.id",
	3);
/* clang-format on */

enum db_status store_organization_brief(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, organization_brief, json, db_arg_id(org_id));
}

enum db_status store_province_members(struct db *db, int64_t province_id, struct civil_date on,
				      char **json)
{
	return DB_FETCH_TEXT(db, province_members, json, db_arg_id(province_id), db_arg_date(on));
}

enum db_status store_province_rounds(struct db *db, int64_t province_id, struct civil_date on,
				     int year, struct province_rounds *out)
{
	memset(out, 0, sizeof *out);
	enum db_status st;
	PGresult *res = DB_EXEC(db, province_rounds, &st, db_arg_id(province_id), db_arg_date(on),
				db_arg_int(year));
	if (!res)
		return st;
	size_t n = (size_t)PQntuples(res);
	out->items = calloc(n ? n : 1, sizeof *out->items);
	if (!out->items) {
		PQclear(res);
		return DB_ERROR;
	}
	out->res = res;
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		out->items[i].org_id = db_get_int(res, (int)i, 0);
		out->items[i].round_id = db_get_int(res, (int)i, 1);
		out->items[i].organization = PQgetvalue(res, (int)i, 2);
	}
	return DB_OK;
}

void province_rounds_free(struct province_rounds *r)
{
	PQclear(r->res);
	free(r->items);
	memset(r, 0, sizeof *r);
}
