/*
 * units.c — the organisation and its units (phòng, đơn vị).
 *
 * GET /v1/organization, GET /v1/units, GET /v1/units/{id}, POST /v1/units;
 * PATCH /v1/units/{id} (rename, move, recode), POST /v1/units/{id}/close
 * and GET /v1/units/{id}/history (issue 14 §1, db/procedures/units.sql).
 * The organisation chart is readable by every member of the organisation;
 * only its administrator changes it.  Units of another organisation are
 * never found.  A parent outside the organisation and a code already taken
 * are answered from the registry (answers.def, identity).  A unit keeps
 * its id through every change, so what is attached to it stays; each
 * change is dated (effective_on, the decision that made it) in its
 * history.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

static const char *const unit_kinds[] = { "leadership", "office", "department",
					  "center",	"other",  NULL };
/* A body that does emulation and commendation work, as form 0604 of
 * Circular 02/2023 counts them (a Vụ or its division at a ministry, a
 * board or a division of a province's Department of Home Affairs). */
static const char *const tdkt_bodies[] = { "ministry_department", "ministry_division",
					   "home_affairs_board", "home_affairs_division", NULL };

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
	static const char *const fields[] = {
		"parent_id", "code", "name", "kind", "tdkt_body", NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t parent;
	if (api_field_given(&v, "parent_id"))
		field_id(&v, "parent_id", false, &parent);
	field_code(&v, "code", true, 40);
	field_string(&v, "name", true, 1, 300, &s);
	field_enum(&v, "kind", true, unit_kinds, &s);
	if (api_field_given(&v, "tdkt_body"))
		field_enum(&v, "tdkt_body", false, tdkt_bodies, &s);
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

void unit_patch(struct call *c)
{
	static const char *const fields[] = { "name",	   "code",	   "kind",     "parent_id",
					      "tdkt_body", "effective_on", "decision", NULL };
	int64_t id, parent;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	if (field_has(&v, "code"))
		field_code(&v, "code", true, 40);
	if (field_has(&v, "name"))
		field_string(&v, "name", true, 1, 300, &s);
	if (field_has(&v, "kind"))
		field_enum(&v, "kind", true, unit_kinds, &s);
	if (field_has(&v, "parent_id") && !field_is_null(&v, "parent_id"))
		field_id(&v, "parent_id", false, &parent);
	if (field_has(&v, "tdkt_body") && !field_is_null(&v, "tdkt_body"))
		field_enum(&v, "tdkt_body", false, tdkt_bodies, &s);
	if (field_has(&v, "effective_on"))
		field_date(&v, "effective_on", true, &d, text);
	if (field_has(&v, "decision"))
		field_string(&v, "decision", true, 0, 200, &s);
	struct writer w;
	int version;
	char *body = api_versioned_body_or_answer(c, &v, &version, &w);
	if (!body)
		return;
	struct write_result r;
	store_unit_change(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void unit_close(struct call *c)
{
	static const char *const fields[] = { "closed_on", "decision", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_date(&v, "closed_on", true, &d, text);
	field_string(&v, "decision", true, 1, 200, &s);
	struct writer w;
	int version;
	char *body = api_versioned_body_or_answer(c, &v, &version, &w);
	if (!body)
		return;
	struct write_result r;
	store_unit_close(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void unit_history(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_unit_history(db, c->who.org_id, id, &json);
	api_answer_read(c, st, json);
}
