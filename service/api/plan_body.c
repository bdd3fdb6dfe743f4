/*
 * plan_body.c — validation of a plan document (see plan_body.h).
 *
 * Targets are checked by kind: each kind has its own parameters, and a
 * threshold is a percentage (0 to 100) for the counted kinds and a value
 * for reported numbers, with at most two decimals (domain/targets.h).
 */
#include "api/plan_body.h"

#include <stdio.h>
#include <string.h>

#include "domain/targets.h"
#include "http/validate.h"

static const char *const plan_fields[] = { "year",
					   "number",
					   "symbol",
					   "issued_on",
					   "place",
					   "title",
					   "purposes",
					   "general_tasks",
					   "contents",
					   "duties",
					   "recipients",
					   "signer_name",
					   "signer_position",
					   "cited_document_ids",
					   "period_start",
					   "period_end",
					   "registration_deadline",
					   "targets",
					   NULL };
static const char *const target_fields[] = { "code",	   "title",	"kind",	    "params",
					     "comparison", "threshold", "rounding", NULL };
static const char *const kinds[] = { "staff_share", "title_ratio",     "collective_rating",
				     "recognition", "reported_number", NULL };
static const char *const comparisons[] = { "at_least", "at_most", "exactly", NULL };
static const char *const roundings[] = { "floor", "nearest", "ceil", NULL };
static const char *const conditions[] = { "informed", "not_disciplined", "task_completed", "title",
					  NULL };
static const char *const individual_titles[] = { "lao_dong_tien_tien", "chien_si_thi_dua_co_so",
						 "chien_si_thi_dua_cap_tinh",
						 "chien_si_thi_dua_toan_quoc", NULL };
static const char *const subject_kinds[] = { "agency", "unit", "party_cell", "mass_organization",
					     NULL };
static const char *const min_ratings[] = { "excellent", "good", "completed", NULL };
static const char *const recognition_kinds[] = { "cultural_office", "security_order", NULL };
static const char *const aggregates[] = { "min", "max", "sum", "average", NULL };

#define PLAN_TEXT_ITEMS 100
#define PLAN_TEXT_CHARS 5000
#define PLAN_TARGETS_MAX 100

/* The params of one target, by kind; errors nest under /targets/i/params. */
static void validate_params(struct validation *v, const json_t *params, const char *kind)
{
	static const char *const share[] = { "condition", "document_ids", "title", NULL };
	static const char *const ratio[] = { "numerator_title", "denominator_title", NULL };
	static const char *const rating[] = { "subject_kind", "minimum_rating", NULL };
	static const char *const recog[] = { "kinds", NULL };
	static const char *const reported[] = { "aggregate", NULL };
	const char *s;
	if (strcmp(kind, "staff_share") == 0) {
		validation_begin(v, params, share);
		if (field_enum(v, "condition", true, conditions, &s)) {
			bool informed = strcmp(s, "informed") == 0, title = strcmp(s, "title") == 0;
			if (informed)
				field_id_array(v, "document_ids", true, 50);
			else if (field_has(v, "document_ids"))
				validation_fail(v, "document_ids", "only for condition informed");
			if (title)
				field_enum(v, "title", true, individual_titles, &s);
			else if (field_has(v, "title"))
				validation_fail(v, "title", "only for condition title");
			if (informed && v->p == NULL &&
			    json_array_size(json_object_get(params, "document_ids")) == 0)
				validation_fail(v, "document_ids",
						"must name at least one document");
		}
	} else if (strcmp(kind, "title_ratio") == 0) {
		validation_begin(v, params, ratio);
		field_enum(v, "numerator_title", true, individual_titles, &s);
		field_enum(v, "denominator_title", true, individual_titles, &s);
	} else if (strcmp(kind, "collective_rating") == 0) {
		validation_begin(v, params, rating);
		field_enum(v, "subject_kind", true, subject_kinds, &s);
		field_enum(v, "minimum_rating", true, min_ratings, &s);
	} else if (strcmp(kind, "recognition") == 0) {
		validation_begin(v, params, recog);
		field_enum_array(v, "kinds", true, recognition_kinds);
	} else {
		validation_begin(v, params, reported);
		field_enum(v, "aggregate", true, aggregates, &s);
	}
}

/* A required text that is not blank, of which only the check is wanted. */
static void nonblank_text(struct validation *v, const char *name, size_t max_chars)
{
	const char *s;
	field_nonblank_text(v, name, true, max_chars, &s);
}

static bool code_ok(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	       strlen(s);
}

static void validate_target(struct validation *v, const json_t *t, size_t i, const json_t *all)
{
	char prefix[48];
	snprintf(prefix, sizeof prefix, "targets/%zu", i);
	struct validation sub;
	validation_begin(&sub, t, target_fields);
	if (!json_is_object(t)) {
		validation_fail(&sub, "", "must be an object");
		validation_nest(v, &sub, prefix);
		return;
	}
	const char *code, *kind = NULL, *s;
	if (field_string(&sub, "code", true, 1, 20, &code)) {
		if (!code_ok(code))
			validation_fail(&sub, "code",
					"may hold only letters A-Z, digits, '.', '_' "
					"and '-'");
		for (size_t k = 0; k < i; k++)
			if (json_equal(json_object_get(json_array_get(all, k), "code"),
				       json_object_get(t, "code")))
				validation_fail(&sub, "code", "another target has this code");
	}
	nonblank_text(&sub, "title", 1000);
	field_enum(&sub, "comparison", true, comparisons, &s);
	if (field_has(&sub, "rounding"))
		field_enum(&sub, "rounding", true, roundings, &s);
	bool valued = field_enum(&sub, "kind", true, kinds, &kind) &&
		      strcmp(kind, "reported_number") == 0;
	int64_t threshold;
	field_centi(&sub, "threshold", true, 0,
		    valued ? TARGET_VALUE_MAX_CENTI - 1 : TARGET_PERCENT_MAX_CENTI, &threshold);
	const json_t *params;
	if (kind && field_object(&sub, "params", true, &params)) {
		struct validation pv;
		validate_params(&pv, params, kind);
		validation_nest(&sub, &pv, "params");
	}
	validation_nest(v, &sub, prefix);
}

static void validate_contents(struct validation *v, const json_t *contents)
{
	static const char *const item_fields[] = { "heading", "items", NULL };
	size_t i;
	json_t *e;
	json_array_foreach(contents, i, e)
	{
		char prefix[48];
		snprintf(prefix, sizeof prefix, "contents/%zu", i);
		struct validation sub;
		validation_begin(&sub, e, item_fields);
		if (!json_is_object(e))
			validation_fail(&sub, "", "must be an object {heading, items}");
		else {
			nonblank_text(&sub, "heading", 500);
			field_text_array(&sub, "items", true, PLAN_TEXT_ITEMS, PLAN_TEXT_CHARS);
		}
		validation_nest(v, &sub, prefix);
	}
}

/* A whole plan (create) or the fields a patch names. */
static void validate_plan(struct validation *v, bool partial)
{
	const char *s;
	int64_t year;
	char text[11];
	struct civil_date d;
	bool need = !partial;
	if (need || field_has(v, "year"))
		field_int(v, "year", true, 2000, 2100, &year);
	if (need || field_has(v, "symbol"))
		field_string(v, "symbol", true, 1, 60, &s);
	if (need || field_has(v, "title"))
		nonblank_text(v, "title", 500);
	if (field_has(v, "number"))
		field_string(v, "number", true, 0, 20, &s);
	if (field_has(v, "place"))
		field_string(v, "place", true, 0, 200, &s);
	if (field_has(v, "signer_name"))
		field_string(v, "signer_name", true, 0, 200, &s);
	if (field_has(v, "signer_position"))
		field_string(v, "signer_position", true, 0, 200, &s);
	/* the period has defaults but no null; the other dates may be cleared */
	static const char *const dates[] = { "period_start", "period_end", "issued_on",
					     "registration_deadline" };
	for (size_t i = 0; i < 4; i++) {
		bool nullable = i >= 2;
		if (field_has(v, dates[i]) && (!nullable || !field_is_null(v, dates[i])))
			field_date(v, dates[i], true, &d, text);
	}
	static const char *const texts[] = { "purposes", "general_tasks", "duties", "recipients" };
	for (size_t i = 0; i < 4; i++)
		if (field_has(v, texts[i]))
			field_text_array(v, texts[i], true, PLAN_TEXT_ITEMS, PLAN_TEXT_CHARS);
	const json_t *a;
	if (field_has(v, "contents") && field_array(v, "contents", true, 50, &a))
		validate_contents(v, a);
	if (field_has(v, "cited_document_ids"))
		field_id_array(v, "cited_document_ids", true, 100);
	if (field_has(v, "targets") && field_array(v, "targets", true, PLAN_TARGETS_MAX, &a)) {
		size_t i;
		json_t *t;
		json_array_foreach(a, i, t) validate_target(v, t, i, a);
	}
}

/* Cross-field rule the database also holds (plans_period), checked here
 * when the body names both ends, so the pointer is exact. */
static void validate_period(struct validation *v)
{
	const char *a = json_string_value(json_object_get(v->body, "period_start"));
	const char *b = json_string_value(json_object_get(v->body, "period_end"));
	if (!v->p && a && b && strcmp(b, a) < 0)
		validation_fail(v, "period_end", "must not be before period_start");
}

struct problem *plan_body_problem(const json_t *body, bool partial)
{
	struct validation v;
	validation_begin(&v, body, plan_fields);
	validate_plan(&v, partial);
	validate_period(&v);
	if (partial && json_object_size(body) == 0)
		validation_fail(&v, "", "names no field to change");
	return validation_end(&v);
}
