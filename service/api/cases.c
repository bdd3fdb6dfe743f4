/*
 * cases.c — complaints, denunciations and petitions (khiếu nại, tố cáo,
 * kiến nghị) with their legal clocks.
 *
 * GET/POST /v1/cases, GET /v1/cases/{id}, POST /v1/cases/{id}/steps
 * (accept, refuse, verify, extend, withdraw: the Office) and POST
 * /v1/cases/{id}/decision (the head of the agency, who decides a
 * complaint about the agency's own decision).  Each clock is a dated row
 * of the law (case_clocks: the Law on Complaints 2011, the Law on
 * Denunciations 2018) in calendar or working days.  While a complaint or
 * denunciation about a person or a unit is open, they receive no award
 * (Decree 152 Art. 4.4): the eligibility engine reads the person's open
 * fact, and a decision's signing refuses them (db/procedures/cases.sql).
 * A denouncer's name is shown only to the case's handler and the head.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/cases.h"

void cases_list(struct call *c)
{
	static const char *const filters[] = { "open", "overdue", "due_soon", "all", NULL };
	const char *filter = call_query(c, "status");
	bool known = !filter;
	for (size_t i = 0; filter && filters[i]; i++)
		known |= strcmp(filter, filters[i]) == 0;
	if (!known) {
		api_answer_bad_query(c, "status", "must be open, overdue, due_soon or all");
		return;
	}
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	struct case_reader r = api_case_reader(c);
	enum db_status st = store_cases(db, c->who.org_id, filter ? filter : "open", &r, &json);
	api_answer_read(c, st, json);
}

void case_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	struct case_reader r = api_case_reader(c);
	enum db_status st = store_case(db, c->who.org_id, id, &r, &json);
	api_answer_document(c, st, json);
}

/* A day of the body, not after today (a case is recorded when received). */
static bool past_day(struct validation *v, const char *name, bool required, struct civil_date *d)
{
	char text[11];
	if (!required && !api_field_given(v, name))
		return false;
	if (!field_date(v, name, required, d, text))
		return false;
	if (civil_days(*d) > civil_days(api_today())) {
		validation_fail(v, name, "must not be in the future");
		return false;
	}
	return true;
}

static void validate_case(struct validation *v)
{
	const char *s;
	int64_t id;
	bool b;
	struct civil_date received, learned;
	field_enum(v, "kind", true, lodged_case_kinds, &s);
	bool staff = api_field_given(v, "staff_id"), unit = api_field_given(v, "unit_id");
	if (staff == unit)
		validation_fail(v, staff ? "unit_id" : "staff_id",
				"name the person (staff_id) or the unit (unit_id) concerned, one");
	if (staff)
		field_id(v, "staff_id", true, &id);
	if (unit)
		field_id(v, "unit_id", true, &id);
	if (api_field_given(v, "decision_id"))
		field_id(v, "decision_id", false, &id);
	if (api_field_given(v, "nomination_id"))
		field_id(v, "nomination_id", false, &id);
	field_nonblank_text(v, "summary", true, 5000, &s);
	if (api_field_given(v, "lodger_name"))
		field_string(v, "lodger_name", false, 0, 200, &s);
	if (api_field_given(v, "lodger_contact"))
		field_string(v, "lodger_contact", false, 0, 300, &s);
	bool have_received = past_day(v, "received_on", true, &received);
	if (past_day(v, "learned_on", false, &learned) && have_received &&
	    civil_days(learned) > civil_days(received))
		validation_fail(v, "learned_on", "must not be after received_on");
	if (api_field_given(v, "complex"))
		field_bool(v, "complex", false, &b);
	if (api_field_given(v, "remote"))
		field_bool(v, "remote", false, &b);
}

void case_lodge(struct call *c)
{
	static const char *const fields[] = { "kind",	     "staff_id",       "unit_id",
					      "decision_id", "nomination_id",  "summary",
					      "lodger_name", "lodger_contact", "received_on",
					      "learned_on",  "complex",	       "remote",
					      NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_case(&v);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		struct case_reader cr = api_case_reader(c);
		store_case_lodge(&w, body, &cr, &r);
		api_answer_write(c, &r, "/v1/cases");
	}
	free(body);
}

/* Runs step name on the case of the path with the body's fields. */
static void run_step(struct call *c, const char *name, const char *const *fields)
{
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	const char *s;
	int64_t user;
	past_day(&v, "on", false, &d);
	bool reasoned = strcmp(name, "refuse") == 0 || strcmp(name, "extend") == 0;
	if (reasoned)
		field_nonblank_text(&v, "reason", true, 5000, &s);
	else if (api_field_given(&v, "reason"))
		field_text(&v, "reason", false, 5000, &s);
	if (strcmp(name, "decide") == 0)
		field_nonblank_text(&v, "outcome", true, 5000, &s);
	if (api_field_given(&v, "handler_user_id"))
		field_id(&v, "handler_user_id", false, &user);
	bool staff = api_field_given(&v, "staff_id"), unit = api_field_given(&v, "unit_id");
	if ((staff || unit) && strcmp(name, "accept") != 0)
		validation_fail(&v, staff ? "staff_id" : "unit_id",
				"names whom the case concerns when it is accepted");
	else if (staff && unit)
		validation_fail(&v, "unit_id", "name the person or the unit, one");
	if (staff)
		field_id(&v, "staff_id", false, &user);
	if (unit)
		field_id(&v, "unit_id", false, &user);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		struct case_reader cr = api_case_reader(c);
		store_case_step(&w, id, version, name, body, &cr, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

/* POST /v1/cases/{id}/steps {step, on, reason, handler_user_id}. */
void case_step(struct call *c)
{
	static const char *const steps[] = { "accept", "refuse",   "verify",
					     "extend", "withdraw", NULL };
	static const char *const fields[] = { "step",	  "on",	     "reason", "handler_user_id",
					      "staff_id", "unit_id", NULL };
	const char *name = NULL;
	struct validation v;
	validation_begin(&v, c->body, fields);
	if (!field_enum(&v, "step", true, steps, &name)) {
		api_valid_or_answer(c, &v);
		return;
	}
	run_step(c, name, fields);
}

/* POST /v1/cases/{id}/decision {on, outcome}: the head's. */
void case_decide(struct call *c)
{
	static const char *const fields[] = { "on", "outcome", NULL };
	run_step(c, "decide", fields);
}
