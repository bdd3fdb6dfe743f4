/*
 * units.c — the organisation and its units (phòng, đơn vị).
 *
 * GET /v1/organization, GET /v1/units, GET /v1/units/{id}, POST /v1/units.
 * The organisation chart is readable by every member of the organisation;
 * only its administrator changes it.  Units of another organisation are
 * never found.  A parent outside the organisation and a code already taken
 * are answered from the registry (answers.def, identity).
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

static const char *const unit_kinds[] = { "leadership", "office", "department",
					  "center",	"other",  NULL };

void organization_get(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_organization_get(db, c->who.org_id, &json);
	api_answer_document(c, st, json);
}

void units_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_units_list(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void unit_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_unit_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void unit_create(struct call *c)
{
	static const char *const fields[] = { "parent_id", "code", "name", "kind", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t parent;
	if (api_field_given(&v, "parent_id"))
		field_id(&v, "parent_id", false, &parent);
	if (field_string(&v, "code", true, 1, 40, &s) &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(s))
		validation_fail(&v, "code", "may hold only letters A-Z, digits, '.', '_' and '-'");
	field_string(&v, "name", true, 1, 300, &s);
	field_enum(&v, "kind", true, unit_kinds, &s);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *fields_json = api_json_text_or_answer(c, c->body);
	if (!fields_json)
		return;
	struct write_result r;
	store_unit_create(&w, fields_json, &r);
	free(fields_json);
	api_answer_write(c, &r, "/v1/units");
}
