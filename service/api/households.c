/*
 * households.c — households (hộ gia đình) as recipients of a commendation.
 *
 * GET /v1/households (newest first, keyset pages), GET /v1/households/{id},
 * POST /v1/households.  The Office records the household (its name as the
 * certificate prints it, after its head, and its address) before nominating it in
 * a review round; the council judges it and a decision of the agency
 * pays it 1.5 times an individual's bonus under Decree 152 (migration
 * 0027).  Addresses of citizens: read by those who run commendation (the
 * Office, the head, the council, viewers), never by units or staff.
 */
#include <stdlib.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/households.h"

void households_list(struct call *c)
{
	long limit;
	int64_t after = 0;
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 50, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_households(db, c->who.org_id, after, limit, &json);
	api_answer_page(c, st, json, NULL);
}

void household_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_household(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void household_create(struct call *c)
{
	static const char *const fields[] = { "name", "address", "note", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_string(&v, "name", true, 1, 200, &s);
	field_string(&v, "address", true, 1, 500, &s);
	if (api_field_given(&v, "note"))
		field_text(&v, "note", false, 2000, &s);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_household_create(&w, body, &r);
		api_answer_write(c, &r, "/v1/households");
	}
	free(body);
}
