/*
 * units.c — the organisation and its units (phòng, đơn vị).
 *
 * GET /v1/organization, GET /v1/units, GET /v1/units/{id}, POST /v1/units.
 * The organisation chart is readable by every member of the organisation;
 * only its administrator changes it.  Units of another organisation are
 * never found.
 */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

static const char *const unit_kinds[] = { "leadership", "office", "department",
					  "center",	"other",  NULL };

void organization_get(struct call *c)
{
	api_read_org(c, store_organization_get, "organization", true);
}

void units_list(struct call *c)
{
	api_read_org(c, store_units_list, "units", false);
}

void unit_get(struct call *c)
{
	api_read_item(c, store_unit_get, "unit");
}

/* Pointers for a broken constraint of a new unit. */
static void annotate_unit(struct db *db, struct problem *p)
{
	const char *state = db_last_sqlstate(db);
	if (!strcmp(state, "23503"))
		problem_add_error(p, "/parent_id", "no such unit in your organisation");
	else if (!strcmp(state, "23505"))
		problem_add_error(p, "/code", "another unit already has this code");
}

void unit_create(struct call *c)
{
	static const char *const fields[] = { "parent_id", "code", "name", "kind", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t parent;
	if (field_has(&v, "parent_id") && !field_is_null(&v, "parent_id"))
		field_id(&v, "parent_id", false, &parent);
	if (field_string(&v, "code", true, 1, 40, &s) &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(s))
		validation_fail(&v, "code", "may hold only letters A-Z, digits, '.', '_' and '-'");
	field_string(&v, "name", true, 1, 300, &s);
	field_enum(&v, "kind", true, unit_kinds, &s);
	if (!api_valid(c, &v))
		return;

	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields_json = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	enum db_status st = store_unit_create(db, &a, fields_json, &json);
	free(fields_json);
	static const struct write_answer w = { "/v1/units", "unit", "unit create", annotate_unit };
	legacy_answer_write(c, db, st, json, 0, &w);
	api_release(c, db);
}
