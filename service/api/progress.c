/*
 * progress.c — GET /v1/plans/{id}/progress: where the agency stands on each
 * target of a plan, and why.
 *
 * The database counts (plan_target_counts, 0003_plans.sql, which states who
 * is counted); domain/targets.c turns the counts into a value, the head
 * count the target needs and a status.  ?as_of= (a day, default today in
 * Vietnam) sets the reference day; results dated after it are not counted,
 * so the Office can see the plan as it stood on any day.  A unit head sees
 * the counts of their subtree.
 *
 * Answers are kept in a page cache (store/page_cache.h) under the
 * organisation's progress revision, which every change of the data behind
 * them moves: a dashboard polled all day costs one primary-key read per
 * poll until something changes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "domain/calendar.h"
#include "domain/targets.h"
#include "http/validate.h"
#include "cache/page_cache.h"

static const char rounding_note[] =
	"Percentages are exact comparisons of integer counts: at_least means "
	"numerator * 10000 >= threshold * 100 * denominator; at_most and exactly compare the "
	"numerator with the head count threshold% of the denominator, rounded as the target "
	"says (floor unless stated). value is rounded half up to two decimals, for display only.";

static int64_t cell_int(PGresult *res, int row, enum progress_col col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* "80.00" → 8000 (numeric(14,2) always prints two decimals). */
static int64_t cell_centi(PGresult *res, int row, enum progress_col col)
{
	const char *s = PQgetvalue(res, row, col);
	bool neg = *s == '-';
	int64_t v = 0;
	for (s += neg; *s; s++)
		if (*s >= '0' && *s <= '9')
			v = v * 10 + (*s - '0');
	return neg ? -v : v;
}

static struct civil_date cell_date(PGresult *res, int row, enum progress_col col)
{
	struct civil_date d = { 1970, 1, 1 };
	civil_date_parse(PQgetvalue(res, row, col), &d);
	return d;
}

static json_t *centi_json(int64_t centi)
{
	char text[32];
	target_format_centi(centi, text);
	return json_string(text);
}

/* One target's entry of the answer. */
static json_t *target_entry(PGresult *res, int row, const struct target_input *base)
{
	struct target_input in = *base;
	const char *kind = PQgetvalue(res, row, PC_KIND);
	target_kind_parse(kind, &in.kind);
	target_cmp_parse(PQgetvalue(res, row, PC_COMPARISON), &in.cmp);
	target_rounding_parse(PQgetvalue(res, row, PC_ROUNDING), &in.rounding);
	in.informed = in.kind == TARGET_STAFF_SHARE &&
		      strcmp(PQgetvalue(res, row, PC_CONDITION), "informed") == 0;
	in.threshold_centi = cell_centi(res, row, PC_THRESHOLD);
	in.numerator = cell_int(res, row, PC_NUMERATOR);
	in.denominator = cell_int(res, row, PC_DENOMINATOR);
	in.projected_numerator = cell_int(res, row, PC_PROJECTED_NUMERATOR);
	in.projected_denominator = cell_int(res, row, PC_PROJECTED_DENOMINATOR);
	in.has_value = !PQgetisnull(res, row, PC_VALUE_CENTI);
	in.value_centi = cell_int(res, row, PC_VALUE_CENTI);
	struct target_result r;
	target_evaluate(&in, &r);

	json_t *t = json_object();
	json_object_set_new(t, "id", json_integer(cell_int(res, row, PC_TARGET_ID)));
	json_object_set_new(t, "code", json_string(PQgetvalue(res, row, PC_CODE)));
	json_object_set_new(t, "position", json_integer(cell_int(res, row, PC_POSITION)));
	json_object_set_new(t, "title", json_string(PQgetvalue(res, row, PC_TITLE)));
	json_object_set_new(t, "kind", json_string(kind));
	json_object_set_new(t, "comparison", json_string(PQgetvalue(res, row, PC_COMPARISON)));
	json_object_set_new(t, "threshold", centi_json(in.threshold_centi));
	json_object_set_new(t, "rounding", json_string(PQgetvalue(res, row, PC_ROUNDING)));
	json_object_set_new(t, "unit", json_string(r.percent ? "percent" : "value"));
	json_object_set_new(t, "numerator", json_integer(in.numerator));
	json_object_set_new(t, "denominator", json_integer(in.denominator));
	json_object_set_new(t, "value", r.has_value ? centi_json(r.value_centi) : json_null());
	json_object_set_new(t, "required", r.has_required ? json_integer(r.required) : json_null());
	json_object_set_new(t, "projected_numerator", json_integer(in.projected_numerator));
	json_object_set_new(t, "projected_denominator", json_integer(in.projected_denominator));
	json_object_set_new(t, "status", json_string(target_status_name(r.status)));
	json_object_set_new(t, "basis", json_string(r.basis));
	return t;
}

/* The whole answer; the plan's columns are repeated on every row. */
static json_t *progress_doc(PGresult *res, const char *as_of, const struct civil_date *as_of_d,
			    int64_t unit)
{
	struct civil_date start = cell_date(res, 0, PC_PERIOD_START);
	struct civil_date end = cell_date(res, 0, PC_PERIOD_END);
	int64_t period_days = civil_days(end) - civil_days(start) + 1;
	int64_t elapsed = civil_days(*as_of_d) - civil_days(start) + 1;
	elapsed = elapsed < 0 ? 0 : elapsed > period_days ? period_days : elapsed;
	struct target_input base = { .period_days = (int32_t)period_days,
				     .elapsed_days = (int32_t)elapsed,
				     .ended = civil_days(*as_of_d) > civil_days(end) };
	json_t *doc = json_object();
	json_object_set_new(doc, "plan_id", json_integer(cell_int(res, 0, PC_PLAN_ID)));
	json_object_set_new(doc, "series_id", json_integer(cell_int(res, 0, PC_SERIES_ID)));
	json_object_set_new(doc, "year", json_integer(cell_int(res, 0, PC_YEAR)));
	json_object_set_new(doc, "as_of", json_string(as_of));
	json_object_set_new(doc, "reference_date", json_string(PQgetvalue(res, 0, PC_REFERENCE)));
	json_object_set_new(doc, "period_start", json_string(PQgetvalue(res, 0, PC_PERIOD_START)));
	json_object_set_new(doc, "period_end", json_string(PQgetvalue(res, 0, PC_PERIOD_END)));
	json_object_set_new(doc, "period_ended", json_boolean(base.ended));
	json_object_set_new(doc, "elapsed_days", json_integer(elapsed));
	json_object_set_new(doc, "period_days", json_integer(period_days));
	json_object_set_new(doc, "scope", json_string(unit ? "unit" : "organization"));
	json_object_set_new(doc, "unit_id", unit > 0 ? json_integer(unit) : json_null());
	json_object_set_new(doc, "rounding_note", json_string(rounding_note));
	json_t *targets = json_array();
	for (int row = 0; row < PQntuples(res); row++)
		if (!PQgetisnull(res, row, PC_TARGET_ID))
			json_array_append_new(targets, target_entry(res, row, &base));
	json_object_set_new(doc, "targets", targets);
	return doc;
}

/* ?as_of=YYYY-MM-DD, or today in Vietnam. */
static bool read_as_of(struct call *c, char out[11], struct civil_date *d)
{
	const char *q = u_map_get(c->req->map_url, "as_of");
	if (!q) {
		legacy_today(out);
		return civil_date_parse(out, d);
	}
	if (strlen(q) != 10 || !civil_date_parse(q, d) || d->year < 2000 || d->year > 2100) {
		struct problem *p =
			problem_new(P_BAD_REQUEST, "Invalid as_of.");
		problem_add_error(p, "/query/as_of", "must be a date YYYY-MM-DD from 2000 to 2100");
		call_problem(c, p);
		return false;
	}
	memcpy(out, q, 11);
	return true;
}

/* Counts and renders; the answer text (new), or NULL with the call answered. */
static char *progress_text(struct call *c, struct db *db, int64_t id, const char *as_of,
			   const struct civil_date *d, int64_t unit)
{
	PGresult *res = NULL;
	enum db_status st = store_plan_progress(db, c->who.org_id, id, as_of, unit, &res);
	char *text = NULL;
	if (st != DB_OK) {
		api_fail_db(c, db, st, "plan progress");
	} else if (!res) {
		call_problem(c, problem_not_found());
	} else {
		json_t *doc = progress_doc(res, as_of, d, unit);
		text = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		if (!text)
			api_fail_db(c, db, DB_ERROR, "plan progress");
	}
	PQclear(res);
	return text;
}

void plan_progress(struct call *c)
{
	int64_t id, rev;
	char as_of[11];
	struct civil_date d;
	if (!api_path_id(c, "id", &id) || !read_as_of(c, as_of, &d))
		return;
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char key[96], *text = NULL, *none = NULL;
	struct page_cache *answers = c->app->caches.progress;
	snprintf(key, sizeof key, "%lld/%lld/%s/%lld/%s", (long long)c->who.org_id, (long long)id,
		 as_of, (long long)scope.unit, lang_tag(c->lang));
	enum db_status st = store_progress_revision(db, c->who.org_id, &rev);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "progress revision");
	} else if (answers && page_cache_get(answers, key, rev, &text, &none)) {
		api_send_json_text(c, 200, text);
	} else if ((text = progress_text(c, db, id, as_of, &d, scope.unit))) {
		if (answers)
			page_cache_put(answers, key, rev, text, NULL);
		api_send_json_text(c, 200, text);
	}
	api_release(c, db);
}
