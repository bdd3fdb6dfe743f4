/*
 * movements.c — emulation movements (phong trào thi đua).
 *
 * GET /v1/movements (newest start first, keyset pages, ?plan_id=),
 * GET /v1/movements/{id} (with ETag), POST /v1/movements.  A movement may
 * belong to a plan and be led by a unit of the organisation; both are
 * checked by the foreign keys, which include the organisation.
 */
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

static const char *const movement_kinds[] = { "regular", "thematic", NULL };

void movements_list(struct call *c)
{
	struct dated_page pg;
	char date[11];
	if (!api_dated_page(c, &pg, date))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_movements_list(db, c->who.org_id, &pg, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "movements list");
	else
		api_send_page(c, json);
	api_release(c, db);
}

void movement_get(struct call *c)
{
	api_read_item(c, store_movement_get, "movement");
}

/* A foreign key of a new movement names its plan or its unit (0003_plans.sql). */
static void annotate_movement(struct db *db, struct problem *p)
{
	const char *constraint = db_last_constraint(db);
	if (strcmp(db_last_sqlstate(db), "23503") != 0)
		return;
	if (strstr(constraint, "plan_id"))
		problem_add_error(p, "/plan_id", "no such plan in your organisation");
	else if (strstr(constraint, "owner_unit_id"))
		problem_add_error(p, "/owner_unit_id", "no such unit in your organisation");
}

void movement_create(struct call *c)
{
	static const char *const fields[] = { "name",	 "kind",	  "starts_on",	 "ends_on",
					      "plan_id", "owner_unit_id", "description", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t id;
	struct civil_date starts, ends;
	char text[11];
	field_string(&v, "name", true, 1, 500, &s);
	field_enum(&v, "kind", true, movement_kinds, &s);
	bool has_start = field_date(&v, "starts_on", true, &starts, text);
	bool has_end = field_date(&v, "ends_on", true, &ends, text);
	if (has_start && has_end && civil_days(ends) < civil_days(starts))
		validation_fail(&v, "ends_on", "must not be before starts_on");
	if (api_field_given(&v, "plan_id"))
		field_id(&v, "plan_id", false, &id);
	if (api_field_given(&v, "owner_unit_id"))
		field_id(&v, "owner_unit_id", false, &id);
	if (api_field_given(&v, "description"))
		field_text(&v, "description", false, 20000, &s);
	if (!api_valid(c, &v))
		return;
	static const struct write_answer w = { "/v1/movements", "movement", "movement create",
					       annotate_movement };
	api_create(c, store_movement_create, &w);
}
