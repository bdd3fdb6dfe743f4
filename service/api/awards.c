/*
 * awards.c — the awards ledger (sổ khen thưởng): every title and form
 * awarded to a person or a collective, decided by the agency or recorded
 * from a higher level, with its decision.
 *
 * GET /v1/awards (?year=, ?staff_id=, ?unit_id=), POST /v1/awards,
 * GET /v1/me/awards.  The ledger is what "consecutive years" rules read.
 * The Office records; unit heads read their subtree's, staff their own.
 * An award may cite initiatives as its grounds: each can be cited once
 * (store/year_end.c, initiative_uses).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/year_end.h"

/* Ledger entries have no route of their own: a create answers 201
 * without Location. */
#define NO_COLLECTION ""

static const char *const subject_kinds[] = { "staff", "unit", "agency", NULL };
/* The kind of commendation (form 0602 of Circular 02/2023); not given,
 * the record is ad hoc or regular as adhoc says. */
static const char *const award_methods[] = { "regular",	     "thematic",  "adhoc",	"foreign",
					     "contribution", "seniority", "resistance", NULL };

static void list_awards(struct call *c, const struct row_scope *scope, const struct award_filter *f)
{
	struct db *db = api_db_or_answer(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_awards_list(db, scope, f, &json);
	api_answer_read(c, st, json);
}

void awards_list(struct call *c)
{
	long staff = 0, unit = 0;
	struct award_filter f = { 0 };
	if (!api_year_or_answer(c, &f.year) ||
	    !api_query_int_or_answer(c, "staff_id", 1, LONG_MAX, 0, &staff) ||
	    !api_query_int_or_answer(c, "unit_id", 1, LONG_MAX, 0, &unit))
		return;
	f.staff_id = staff;
	f.unit_id = unit;
	struct row_scope scope = api_scope(c);
	list_awards(c, &scope, &f);
}

/* The caller's own ledger: an account linked to a staff record; others
 * (machines, an administrator without one) have none. */
void me_awards(struct call *c)
{
	struct award_filter f = { 0 };
	if (!api_year_or_answer(c, &f.year))
		return;
	if (c->who.staff_id <= 0) {
		call_json(c, 200, json_pack("{s:[]}", "items"));
		return;
	}
	struct row_scope scope = { .org_id = c->who.org_id,
				   .scope = SCOPE_SELF,
				   .staff_id = c->who.staff_id };
	list_awards(c, &scope, &f);
}

static void validate_subject(struct validation *v)
{
	const char *kind = NULL;
	int64_t id;
	if (!field_enum(v, "subject_kind", true, subject_kinds, &kind))
		return;
	bool staff = strcmp(kind, "staff") == 0, unit = strcmp(kind, "unit") == 0;
	if (staff)
		field_id(v, "staff_id", true, &id);
	else if (api_field_given(v, "staff_id"))
		validation_fail(v, "staff_id", "is only given when subject_kind is staff");
	if (unit)
		field_id(v, "unit_id", true, &id);
	else if (api_field_given(v, "unit_id"))
		validation_fail(v, "unit_id", "is only given when subject_kind is unit");
}

void award_create(struct call *c)
{
	static const char *const fields[] = {
		"award_code", "subject_kind", "staff_id",	 "unit_id",
		"year",	      "adhoc",	      "decision_number", "decision_date",
		"decided_by", "achievement",  "initiative_ids",	 "method",
		NULL
	};
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t n;
	bool b;
	struct civil_date d;
	char text[11];
	field_string(&v, "award_code", true, 1, 60, &s);
	validate_subject(&v);
	field_int(&v, "year", true, 2000, 2100, &n);
	if (api_field_given(&v, "adhoc"))
		field_bool(&v, "adhoc", false, &b);
	field_string(&v, "decision_number", true, 1, 60, &s);
	field_date(&v, "decision_date", true, &d, text);
	if (api_field_given(&v, "decided_by"))
		field_string(&v, "decided_by", false, 0, 300, &s);
	if (api_field_given(&v, "achievement"))
		field_text(&v, "achievement", false, 2000, &s);
	if (api_field_given(&v, "method"))
		field_enum(&v, "method", false, award_methods, &s);
	if (api_field_given(&v, "initiative_ids"))
		field_id_array(&v, "initiative_ids", false, 10);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_award_create(&w, body, &r);
		api_answer_write(c, &r, NO_COLLECTION);
	}
	free(body);
}
