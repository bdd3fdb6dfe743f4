/*
 * organizations.c — a province's agencies made, renamed, closed, merged
 * and split (issue 14 §1, db/procedures/organizations.sql).
 *
 * POST /v1/province/organizations, GET/PATCH
 * /v1/province/organizations/{id}, POST .../{id}/close, POST
 * /v1/province/mergers.  The caller acts for a province (its
 * administrator); the procedures refuse an agency's caller and agencies
 * that are not the province's.  A merger or a split is one dated event:
 * the predecessors close the day before, their open units and the people
 * working there carry on in the successors (each person a new record
 * linked to the old one, whose ratings, titles and awards stay theirs),
 * their accounts are disabled and their clients revoked.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/organizations.h"

static void check_names(struct validation *v, bool required)
{
	const char *s;
	field_code(v, "code", required, 40);
	if (required || field_has(v, "name"))
		field_string(v, "name", true, 1, 300, &s);
	if (field_has(v, "short_name") && !field_is_null(v, "short_name"))
		field_string(v, "short_name", false, 0, 100, &s);
}

static void check_decision(struct validation *v, bool required)
{
	const char *s;
	if (required || field_has(v, "decision"))
		field_string(v, "decision", true, 1, 200, &s);
}

void org_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_org_history(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void org_create(struct call *c)
{
	static const char *const fields[] = { "code",	    "name",	"short_name",
					      "valid_from", "decision", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	check_names(&v, true);
	field_date(&v, "valid_from", true, &d, text);
	check_decision(&v, false);
	struct writer w;
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_org_create(&w, body, &r);
	free(body);
	api_answer_write(c, &r, "/v1/province/organizations");
}

void org_patch(struct call *c)
{
	static const char *const fields[] = { "code",	      "name",	  "short_name",
					      "effective_on", "decision", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	check_names(&v, false);
	if (field_has(&v, "effective_on"))
		field_date(&v, "effective_on", true, &d, text);
	check_decision(&v, false);
	struct writer w;
	char *body = api_versioned_body_or_answer(c, &v, &version, &w);
	if (!body)
		return;
	struct write_result r;
	store_org_change(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void org_close(struct call *c)
{
	static const char *const fields[] = { "closed_on", "decision", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	field_date(&v, "closed_on", true, &d, text);
	check_decision(&v, true);
	struct writer w;
	char *body = api_versioned_body_or_answer(c, &v, &version, &w);
	if (!body)
		return;
	struct write_result r;
	store_org_close(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

static void check_assignment(struct validation *v)
{
	int64_t id;
	field_id(v, "unit_id", true, &id);
	field_id(v, "successor_id", true, &id);
}

static void check_successor(struct validation *v)
{
	check_names(v, true);
}

void org_merge(struct call *c)
{
	static const char *const fields[] = { "kind",	       "effective_on",
					      "decision",      "predecessor_ids",
					      "successor_ids", "successor",
					      "units",	       NULL };
	static const char *const kinds[] = { "merge", "split", NULL };
	static const char *const successor_fields[] = { "code", "name", "short_name", NULL };
	static const char *const unit_fields[] = { "unit_id", "successor_id", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *kind = NULL;
	struct civil_date d;
	char text[11];
	field_enum(&v, "kind", true, kinds, &kind);
	field_date(&v, "effective_on", true, &d, text);
	check_decision(&v, true);
	field_id_array(&v, "predecessor_ids", true, 20);
	bool named = field_has(&v, "successor_ids"), made = field_has(&v, "successor");
	if (named == made)
		validation_fail(&v, "successor_ids", "give successor_ids or successor, not both");
	else if (named)
		field_id_array(&v, "successor_ids", true, 20);
	else {
		const json_t *o;
		if (field_object(&v, "successor", true, &o)) {
			struct validation sub;
			validation_begin(&sub, o, successor_fields);
			check_successor(&sub);
			validation_nest(&v, &sub, "successor");
		}
	}
	if (field_has(&v, "units"))
		api_each_object(&v, "units", false, 500, unit_fields, check_assignment);
	struct writer w;
	char *body = api_write_body_or_answer(c, &v, &w);
	if (!body)
		return;
	struct write_result r;
	store_org_merge(&w, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}
