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

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

static const char *const collective_titles[] = { "tap_the_lao_dong_tien_tien",
						 "tap_the_lao_dong_xuat_sac", "co_thi_dua_cap_tinh",
						 "co_thi_dua_chinh_phu", NULL };
static const char *const individual_titles[] = { "lao_dong_tien_tien", "chien_si_thi_dua_co_so",
						 "chien_si_thi_dua_cap_tinh",
						 "chien_si_thi_dua_toan_quoc", NULL };

/* collective_titles may be empty: a unit can commit without a title. */
static void validate_collective(struct validation *v)
{
	const json_t *a;
	if (!field_has(v, "collective_titles") || !field_array(v, "collective_titles", true, 4, &a))
		return;
	if (json_array_size(a) > 0)
		field_enum_array(v, "collective_titles", true, collective_titles);
}

void registrations_list(struct call *c)
{
	int64_t plan;
	struct db *db;
	char *json = NULL;
	struct reg_scope s = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &plan) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_registrations_list(db, c->who.org_id, plan, &s, &json);
	api_answer_read(c, st, json);
}

void registration_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	int version = 0;
	struct reg_scope s = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_registration_get(db, c->who.org_id, id, &s, &json, &version);
	api_answer_versioned(c, st, json, version);
}

void registration_create(struct call *c)
{
	static const char *const fields[] = { "unit_id", "collective_titles", "commitments", NULL };
	int64_t plan, unit;
	if (!api_path_id_or_answer(c, "id", &plan))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_id(&v, "unit_id", true, &unit);
	validate_collective(&v);
	if (field_has(&v, "commitments"))
		field_text(&v, "commitments", true, 20000, &s);
	struct writer w;
	struct write_result r;
	struct reg_scope scope = api_reg_scope(c);
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_create(&w, plan, &scope, body, &r);
		api_answer_write(c, &r, "/v1/registrations");
	}
	free(body);
}

void registration_patch(struct call *c)
{
	static const char *const fields[] = { "collective_titles", "commitments", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	validate_collective(&v);
	if (field_has(&v, "commitments"))
		field_text(&v, "commitments", true, 20000, &s);
	if (json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	struct writer w;
	struct write_result r;
	struct reg_scope scope = api_reg_scope(c);
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_update(&w, id, version, &scope, body, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

void registration_entry_put(struct call *c)
{
	static const char *const fields[] = { "title_code", "commitment", NULL };
	int64_t id, staff;
	if (!api_path_id_or_answer(c, "id", &id) || !api_path_id_or_answer(c, "staff_id", &staff))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_enum(&v, "title_code", true, individual_titles, &s);
	if (field_has(&v, "commitment"))
		field_text(&v, "commitment", true, 2000, &s);
	struct writer w;
	struct write_result r;
	struct reg_scope scope = api_reg_scope(c);
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_entry(&w, id, staff, &scope, body, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

void registration_entry_delete(struct call *c)
{
	int64_t id, staff;
	struct writer w;
	struct write_result r;
	struct reg_scope scope = api_reg_scope(c);
	if (api_path_id_or_answer(c, "id", &id) && api_path_id_or_answer(c, "staff_id", &staff) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_entry(&w, id, staff, &scope, NULL, &r);
		api_answer_write(c, &r, NULL);
	}
}

/* submit / accept / return: If-Match; return needs {reason}. */
static void registration_transition(struct call *c, const char *step)
{
	int64_t id;
	int version;
	const char *reason;
	struct writer w;
	struct write_result r;
	struct reg_scope scope = api_reg_scope(c);
	if (api_path_id_or_answer(c, "id", &id) && api_if_match_or_answer(c, &version) &&
	    api_step_reason_or_answer(c, strcmp(step, "return") == 0, &reason) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_step(&w, id, version, &scope, step, reason, &r);
		api_answer_write(c, &r, NULL);
	}
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
	int64_t plan, unit;
	if (!api_path_id_or_answer(c, "id", &plan))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	char text[11];
	struct civil_date d;
	field_date(&v, "until", true, &d, text);
	field_nonblank_text(&v, "reason", true, 2000, &s);
	if (field_has(&v, "unit_id") && !field_is_null(&v, "unit_id"))
		field_id(&v, "unit_id", true, &unit);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_registration_reopen(&w, plan, body, &r);
		/* 201 without a Location: a reopening is read through its plan */
		api_answer_write(c, &r, "");
	}
	free(body);
}
