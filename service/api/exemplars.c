/*
 * exemplars.c — advanced exemplars (điển hình tiên tiến).
 *
 * GET/POST /v1/exemplars, GET /v1/exemplars/{id}, POST .../{id}/publish,
 * POST .../{id}/withdraw.  The Office records a person, a collective or a
 * household whose achievement shows a movement's or a plan's work, with
 * its story and the decision that honoured it, and publishes it — only
 * with the consent of those it names — into the public news that the
 * agency's website reads (/public/v1, public.c); withdrawing takes it out
 * of the news and keeps the record.  Every member reads them: spreading
 * them is their point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/exemplars.h"

static const char *const subject_kinds[] = { "staff", "unit", "household", NULL };
static const char *const subject_members[] = { "staff_id", "unit_id", "household_id" };

void exemplars_list(struct call *c)
{
	long limit;
	int64_t after = 0;
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 20, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_exemplars(db, c->who.org_id, after, limit, &json);
	api_answer_page(c, st, json, NULL);
}

void exemplar_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_exemplar(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

/* The subject: its kind and the one member that names it. */
static void validate_subject(struct validation *v)
{
	const char *kind;
	int64_t id;
	if (!field_enum(v, "subject_kind", true, subject_kinds, &kind))
		return;
	for (size_t i = 0; i < 3; i++) {
		bool mine = strcmp(subject_kinds[i], kind) == 0;
		if (mine)
			field_id(v, subject_members[i], true, &id);
		else if (api_field_given(v, subject_members[i]))
			validation_fail(v, subject_members[i], "names the other kind of subject");
	}
}

void exemplar_create(struct call *c)
{
	static const char *const fields[] = {
		"subject_kind", "staff_id", "unit_id", "household_id", "movement_id",
		"plan_id",	"title",    "story",   "decision_id",  "decision_reference",
		"consent_on",	NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t id;
	struct civil_date d;
	char text[11];
	validate_subject(&v);
	field_string(&v, "title", true, 1, 300, &s);
	field_nonblank_text(&v, "story", true, 20000, &s);
	static const char *const ids[] = { "movement_id", "plan_id", "decision_id" };
	for (size_t i = 0; i < 3; i++)
		if (api_field_given(&v, ids[i]))
			field_id(&v, ids[i], false, &id);
	if (api_field_given(&v, "decision_reference")) {
		field_string(&v, "decision_reference", false, 0, 200, &s);
		if (api_field_given(&v, "decision_id"))
			validation_fail(&v, "decision_reference",
					"is for a decision made outside the service: give "
					"decision_id or decision_reference, not both");
	}
	if (api_field_given(&v, "consent_on"))
		field_date(&v, "consent_on", false, &d, text);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_exemplar_create(&w, body, &r);
		api_answer_write(c, &r, "/v1/exemplars");
	}
	free(body);
}

/* POST .../publish and .../withdraw, with If-Match. */
static void step(struct call *c, const char *name)
{
	static const char *const fields[] = { "published_on", "consent_on", NULL };
	static const char *const none[] = { NULL };
	bool publish = strcmp(name, "publish") == 0;
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, publish ? fields : none);
	struct civil_date d;
	char text[11];
	if (publish && api_field_given(&v, "consent_on"))
		field_date(&v, "consent_on", false, &d, text);
	if (publish && api_field_given(&v, "published_on")) {
		field_date(&v, "published_on", false, &d, text);
	} else if (publish && json_is_object(c->body)) {
		/* published today unless the Office says which day */
		struct civil_date today = api_today();
		char day[32];
		snprintf(day, sizeof day, "%04d-%02d-%02d", today.year, today.month, today.day);
		json_object_set_new(c->body, "published_on", json_string(day));
	}
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_exemplar_step(&w, id, version, name, body, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

void exemplar_publish(struct call *c)
{
	step(c, "publish");
}

void exemplar_withdraw(struct call *c)
{
	step(c, "withdraw");
}
