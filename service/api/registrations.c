/*
 * registrations.c — registration for emulation (đăng ký thi đua).
 *
 * A unit registers its collective titles and commitments against an issued
 * plan, its staff register individual titles, the unit head submits, and the
 * Office accepts or returns it with a reason.  The window closes at the
 * plan's registration deadline (a calendar day in Vietnam) unless the
 * Office reopens it.  Unit heads act on their subtree; staff on their own
 * entry only.
 */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

static const char *const collective_titles[] = { "tap_the_lao_dong_tien_tien",
						 "tap_the_lao_dong_xuat_sac", "co_thi_dua_cap_tinh",
						 "co_thi_dua_chinh_phu", NULL };
static const char *const individual_titles[] = { "lao_dong_tien_tien", "chien_si_thi_dua_co_so",
						 "chien_si_thi_dua_cap_tinh",
						 "chien_si_thi_dua_toan_quoc", NULL };

static void annotate_registration(struct db *db, struct problem *p)
{
	const char *state = db_last_sqlstate(db);
	if (strcmp(state, "23505") == 0)
		problem_add_error(p, "/unit_id", "this unit has already registered for the plan");
	else if (strcmp(state, "23503") == 0)
		problem_add_error(p, "/unit_id", "no such unit in your organisation");
}

static const struct write_answer reg_written = { NULL, "registration", "registration write",
						 annotate_registration };

/* collective_titles may be empty: a unit can commit without a title. */
static void validate_collective(struct validation *v)
{
	const json_t *a;
	if (!field_has(v, "collective_titles") || !field_array(v, "collective_titles", true, 4, &a))
		return;
	if (json_array_size(a) > 0)
		field_enum_array(v, "collective_titles", true, collective_titles);
}

/* Runs a step that needs a connection, the actor and today. */
#define WITH_DB(c, body)                           \
	do {                                       \
		struct db *db = api_db(c);         \
		if (!db)                           \
			break;                     \
		struct actor a;                    \
		legacy_actor(c, &a);                  \
		char today[11];                    \
		legacy_today(today);                  \
		struct step_outcome o;             \
		enum db_status st = (body);        \
		api_answer_step(c, db, st, &o, w); \
		api_release(c, db);                \
	} while (0)

void registrations_list(struct call *c)
{
	int64_t plan;
	if (!api_path_id(c, "id", &plan))
		return;
	struct reg_scope s = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_registrations_list(db, c->who.org_id, plan, &s, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "registrations list");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

void registration_get(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct reg_scope s = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	int version = 0;
	enum db_status st = store_registration_get(db, c->who.org_id, id, &s, &json, &version);
	if (st != DB_OK)
		api_fail_db(c, db, st, "registration get");
	else
		api_send_with_etag(c, 200, json, version);
	api_release(c, db);
}

void registration_create(struct call *c)
{
	static const char *const fields[] = { "unit_id", "collective_titles", "commitments", NULL };
	static const struct write_answer created = { "/v1/registrations", "registration",
						     "registration create", annotate_registration };
	const struct write_answer *w = &created;
	int64_t plan, unit;
	if (!api_path_id(c, "id", &plan))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_id(&v, "unit_id", true, &unit);
	validate_collective(&v);
	if (field_has(&v, "commitments"))
		field_text(&v, "commitments", true, 20000, &s);
	if (!api_valid(c, &v))
		return;
	struct reg_scope scope = api_reg_scope(c);
	char *body = json_dumps(c->body, JSON_COMPACT);
	WITH_DB(c, store_registration_create(db, &a, plan, &scope, body, today, &o));
	free(body);
}

void registration_patch(struct call *c)
{
	static const char *const fields[] = { "collective_titles", "commitments", NULL };
	const struct write_answer *w = &reg_written;
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	validate_collective(&v);
	if (field_has(&v, "commitments"))
		field_text(&v, "commitments", true, 20000, &s);
	if (json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	if (!api_valid(c, &v))
		return;
	struct reg_scope scope = api_reg_scope(c);
	char *body = json_dumps(c->body, JSON_COMPACT);
	WITH_DB(c, store_registration_update(db, &a, id, version, &scope, body, today, &o));
	free(body);
}

void registration_entry_put(struct call *c)
{
	static const char *const fields[] = { "title_code", "commitment", NULL };
	const struct write_answer *w = &reg_written;
	int64_t id, staff;
	if (!api_path_id(c, "id", &id) || !api_path_id(c, "staff_id", &staff))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_enum(&v, "title_code", true, individual_titles, &s);
	if (field_has(&v, "commitment"))
		field_text(&v, "commitment", true, 2000, &s);
	if (!api_valid(c, &v))
		return;
	struct reg_scope scope = api_reg_scope(c);
	char *body = json_dumps(c->body, JSON_COMPACT);
	WITH_DB(c, store_registration_entry(db, &a, id, staff, &scope, body, today, &o));
	free(body);
}

void registration_entry_delete(struct call *c)
{
	const struct write_answer *w = &reg_written;
	int64_t id, staff;
	if (!api_path_id(c, "id", &id) || !api_path_id(c, "staff_id", &staff))
		return;
	struct reg_scope scope = api_reg_scope(c);
	WITH_DB(c, store_registration_entry(db, &a, id, staff, &scope, NULL, today, &o));
}

/* submit / accept / return: If-Match; return needs {reason}. */
static void registration_transition(struct call *c, const char *step)
{
	const struct write_answer *w = &reg_written;
	int64_t id;
	int version;
	const char *reason;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version) ||
	    !api_step_reason(c, strcmp(step, "return") == 0, &reason))
		return;
	struct reg_scope scope = api_reg_scope(c);
	WITH_DB(c, store_registration_step(db, &a, id, version, &scope, step, reason, today, &o));
}

void registration_submit(struct call *c)
{
	registration_transition(c, "submit");
}

void registration_accept(struct call *c)
{
	registration_transition(c, "accept");
}

void registration_return(struct call *c)
{
	registration_transition(c, "return");
}

void registration_reopen(struct call *c)
{
	static const char *const fields[] = { "until", "reason", "unit_id", NULL };
	/* 201 without a Location: a reopening is read through its plan */
	static const struct write_answer created = { "", "plan", "registration reopen",
						     annotate_registration };
	const struct write_answer *w = &created;
	int64_t plan, unit;
	if (!api_path_id(c, "id", &plan))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	char text[11];
	struct civil_date d;
	field_date(&v, "until", true, &d, text);
	if (field_text(&v, "reason", true, 2000, &s) && s[strspn(s, " \t\r\n")] == '\0')
		validation_fail(&v, "reason", "must not be blank");
	if (field_has(&v, "unit_id") && !field_is_null(&v, "unit_id"))
		field_id(&v, "unit_id", true, &unit);
	if (!api_valid(c, &v))
		return;
	char *body = json_dumps(c->body, JSON_COMPACT);
	WITH_DB(c, store_registration_reopen(db, &a, plan, body, today, &o));
	free(body);
}
