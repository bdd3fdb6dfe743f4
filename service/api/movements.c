/*
 * movements.c — emulation movements (phong trào thi đua).
 *
 * GET /v1/movements (newest start first, keyset pages, ?plan_id=),
 * GET /v1/movements/{id} (with ETag), POST /v1/movements.  A movement may
 * belong to a plan and be led by a unit of the organisation; both are
 * checked by the foreign keys, which include the organisation, and
 * answered by their rows in answers.def.
 */
#include <stdlib.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

static const char *const movement_kinds[] = { "regular", "thematic", NULL };
/* Who launched it and how wide it runs (form 0601 of Circular 02/2023):
 * by default the agency's own. */
static const char *const launch_levels[] = { "central", "ministry_province", "agency", NULL };
static const char *const movement_scopes[] = { "national", "sector_locality", "bloc", "agency",
					       NULL };

void movements_list(struct call *c)
{
	struct dated_page pg;
	char date[11];
	struct db *db;
	char *json = NULL;
	if (!api_dated_page_or_answer(c, &pg, date) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_movements_list(db, c->who.org_id, &pg, &json);
	api_answer_page(c, st, json, NULL);
}

void movement_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	int version = 0;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_movement_get(db, c->who.org_id, id, &json, &version);
	api_answer_versioned(c, st, json, version);
}

static void validate_movement(struct validation *v)
{
	const char *s;
	int64_t id;
	struct civil_date starts, ends;
	char text[11];
	field_string(v, "name", true, 1, 500, &s);
	field_enum(v, "kind", true, movement_kinds, &s);
	bool has_start = field_date(v, "starts_on", true, &starts, text);
	bool has_end = field_date(v, "ends_on", true, &ends, text);
	if (has_start && has_end && civil_days(ends) < civil_days(starts))
		validation_fail(v, "ends_on", "must not be before starts_on");
	if (api_field_given(v, "plan_id"))
		field_id(v, "plan_id", false, &id);
	if (api_field_given(v, "owner_unit_id"))
		field_id(v, "owner_unit_id", false, &id);
	if (api_field_given(v, "description"))
		field_text(v, "description", false, 20000, &s);
	if (api_field_given(v, "launch_level"))
		field_enum(v, "launch_level", false, launch_levels, &s);
	if (api_field_given(v, "scope"))
		field_enum(v, "scope", false, movement_scopes, &s);
}

void movement_create(struct call *c)
{
	static const char *const fields[] = { "name",	     "kind",	     "starts_on",
					      "ends_on",     "plan_id",	     "owner_unit_id",
					      "description", "launch_level", "scope",
					      NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_movement(&v);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_movement_create(&w, body, &r);
		api_answer_write(c, &r, "/v1/movements");
	}
	free(body);
}
