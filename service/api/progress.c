/*
 * progress.c — GET /v1/plans/{id}/progress: where the agency stands on each
 * target of a plan, and why.
 *
 * ?as_of= (a day, default today in Vietnam) is when the plan is read; the
 * domain turns it into the reference day and the elapsed share of the
 * period (progress_clock_of), the database counts every target up to that
 * day (plan_target_counts, db/procedures/target_progress.sql, which states
 * who is counted), and domain/targets.c turns the counts into a value, the
 * head count the target needs and a status with its basis.  A unit head
 * sees the counts of their subtree.  Once the plan is closed, its counts
 * at the period's end are the ones frozen at the close (frozen_at says
 * when): a fact recorded later does not change them.
 *
 * ?recorded_by= (a day) asks the progress as it stood at the end of that
 * day: only what had been recorded by then counts (issue 11 §5), so the
 * answer does not move when facts dated earlier are entered later.  as_of
 * is then that day unless given.  Such answers are counted from the facts
 * (the kept counts are of everything recorded so far).
 *
 * Answers are kept in a page cache (cache/page_cache.h) under the
 * organisation's progress revision, which every change of the data behind
 * them moves, and per language: a dashboard polled all day costs one
 * primary-key read per poll until something changes.
 */
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "cache/page_cache.h"
#include "domain/calendar.h"
#include "domain/targets.h"
#include "store/directory.h"

static const char rounding_note[] = N_(
	"Percentages are exact comparisons of integer counts: at_least means "
	"numerator * 10000 >= threshold * 100 * denominator; at_most and exactly compare the "
	"numerator with the head count of threshold per cent of the denominator, rounded as the "
	"target "
	"says (floor unless stated). value is rounded half up to two decimals, for display only.");

static const char *const kind_names[] = { "staff_share", "title_ratio", "collective_rating",
					  "recognition", "reported_number" };
static const char *const cmp_names[] = { "at_least", "at_most", "exactly" };
static const char *const rounding_names[] = { "floor", "nearest", "ceil" };

static json_t *centi_json(int64_t centi)
{
	char text[32];
	target_format_centi(centi, text);
	return json_string(text);
}

/* One target's entry of the answer. */
static json_t *target_entry(const struct target_progress *t, const struct progress_clock *k)
{
	struct target_input in = t->in;
	in.elapsed_days = k->elapsed_days;
	in.period_days = k->period_days;
	in.ended = k->ended;
	struct target_result r;
	target_evaluate(&in, &r);

	json_t *e = json_object();
	json_object_set_new(e, "id", json_integer(t->id));
	json_object_set_new(e, "code", json_string(t->code));
	json_object_set_new(e, "position", json_integer(t->position));
	json_object_set_new(e, "title", json_string(t->title));
	json_object_set_new(e, "kind", json_string(kind_names[in.kind]));
	json_object_set_new(e, "comparison", json_string(cmp_names[in.cmp]));
	json_object_set_new(e, "threshold", centi_json(in.threshold_centi));
	json_object_set_new(e, "rounding", json_string(rounding_names[in.rounding]));
	json_object_set_new(e, "unit", json_string(r.percent ? "percent" : "value"));
	json_object_set_new(e, "numerator", json_integer(in.numerator));
	json_object_set_new(e, "denominator", json_integer(in.denominator));
	json_object_set_new(e, "value", r.has_value ? centi_json(r.value_centi) : json_null());
	json_object_set_new(e, "required", r.has_required ? json_integer(r.required) : json_null());
	json_object_set_new(e, "projected_numerator", json_integer(in.projected_numerator));
	json_object_set_new(e, "projected_denominator", json_integer(in.projected_denominator));
	json_object_set_new(e, "status", json_string(target_status_name(r.status)));
	json_object_set_new(e, "basis", json_string(_(r.basis)));
	return e;
}

static json_t *date_json(struct civil_date d)
{
	char text[16];
	snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
	return json_string(text);
}

/* The whole answer. */
static json_t *progress_doc(const struct plan_period *p, const struct plan_progress *g,
			    struct civil_date as_of, const struct civil_date *recorded_by,
			    const struct progress_clock *k, int64_t unit)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "plan_id", json_integer(p->plan_id));
	json_object_set_new(doc, "series_id", json_integer(p->series_id));
	json_object_set_new(doc, "year", json_integer(p->year));
	json_object_set_new(doc, "as_of", date_json(as_of));
	json_object_set_new(doc, "recorded_by",
			    recorded_by ? date_json(*recorded_by) : json_null());
	json_object_set_new(doc, "reference_date", date_json(k->reference));
	json_object_set_new(doc, "period_start", date_json(p->start));
	json_object_set_new(doc, "period_end", date_json(p->end));
	json_object_set_new(doc, "period_ended", json_boolean(k->ended));
	/* read from the results frozen at the close (plan_progress_counts) */
	bool frozen = p->frozen_at[0] && civil_days(k->reference) >= civil_days(p->end);
	json_object_set_new(doc, "frozen_at", frozen ? json_string(p->frozen_at) : json_null());
	json_object_set_new(doc, "elapsed_days", json_integer(k->elapsed_days));
	json_object_set_new(doc, "period_days", json_integer(k->period_days));
	json_object_set_new(doc, "scope", json_string(unit ? "unit" : "organization"));
	json_object_set_new(doc, "unit_id", unit > 0 ? json_integer(unit) : json_null());
	json_object_set_new(doc, "rounding_note", json_string(_(rounding_note)));
	json_t *targets = json_array();
	for (size_t i = 0; i < g->n; i++)
		json_array_append_new(targets, target_entry(&g->targets[i], k));
	json_object_set_new(doc, "targets", targets);
	return doc;
}

/* The day asked as ?name=YYYY-MM-DD, from 2000 to 2100; *given false when
 * absent. */
static bool day_or_answer(struct call *c, const char *name, struct civil_date *d, bool *given)
{
	const char *q = call_query(c, name);
	*given = q != NULL;
	if (!q)
		return true;
	if (!civil_date_parse(q, d) || d->year < 2000 || d->year > 2100) {
		api_answer_bad_query(c, name, "must be a date YYYY-MM-DD from 2000 to 2100");
		return false;
	}
	return true;
}

/* ?as_of= and ?recorded_by=: *recorded_by NULL when not asked, else
 * pointing at *day; as_of defaults to the day recorded_by names, else to
 * today in Vietnam.  A recording day after today is refused: what will be
 * recorded is not known. */
static bool days_or_answer(struct call *c, struct civil_date *as_of, struct civil_date *day,
			   const struct civil_date **recorded_by)
{
	bool as_of_given, recorded_given;
	if (!day_or_answer(c, "as_of", as_of, &as_of_given) ||
	    !day_or_answer(c, "recorded_by", day, &recorded_given))
		return false;
	struct civil_date today = api_today();
	*recorded_by = recorded_given ? day : NULL;
	if (recorded_given && civil_days(*day) > civil_days(today)) {
		api_answer_bad_query(c, "recorded_by", "must not be after today");
		return false;
	}
	if (!as_of_given)
		*as_of = recorded_given ? *day : today;
	return true;
}

/* Counts and renders; the answer text (new), or NULL with the call answered. */
static char *progress_text(struct call *c, struct db *db, int64_t id, struct civil_date as_of,
			   const struct civil_date *recorded_by, int64_t unit)
{
	struct plan_period period;
	struct plan_progress counts = { 0 };
	bool found;
	/* the end of the recording day in Vietnam (domain/calendar.h) */
	int64_t before = recorded_by ? vn_day_end(*recorded_by) : 0;
	const int64_t *recorded_before = recorded_by ? &before : NULL;
	enum db_status st =
		store_plan_period(db, c->who.org_id, id, unit, recorded_before, &period, &found);
	if (st == DB_OK && !found) {
		call_problem(c, problem_not_found());
		return NULL;
	}
	if (st == DB_OK && !period.recorded) {
		api_answer_bad_query(c, "recorded_by",
				     "the plan had not been recorded by the end of that day");
		return NULL;
	}
	struct progress_clock k = progress_clock_of(period.start, period.end, as_of);
	if (st == DB_OK)
		st = store_plan_progress(db, c->who.org_id, id, k.reference, unit, recorded_before,
					 &counts);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "plan progress");
		return NULL;
	}
	json_t *doc = progress_doc(&period, &counts, as_of, recorded_by, &k, unit);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	plan_progress_clear(&counts);
	if (!text)
		call_problem(c, problem_internal());
	return text;
}

/* ?unit_id=: the progress of one unit's subtree, to see which unit holds
 * a target back (issue 14 §3).  Only a unit of the organisation, and for
 * a unit head one of their own subtree; *unit is narrowed to it. */
static bool unit_or_answer(struct call *c, struct db *db, int64_t *unit)
{
	long asked;
	if (!api_query_int_or_answer(c, "unit_id", 1, LONG_MAX, 0, &asked))
		return false;
	if (asked == 0)
		return true;
	bool yes = false;
	enum db_status st =
		store_unit_within(db, c->who.org_id, asked, *unit > 0 ? *unit : 0, &yes);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "progress unit");
		return false;
	}
	if (!yes || *unit < 0) {
		api_answer_bad_query(c, "unit_id", "is not a unit of yours");
		return false;
	}
	*unit = asked;
	return true;
}

void plan_progress(struct call *c)
{
	int64_t id, rev;
	struct civil_date as_of, day;
	const struct civil_date *recorded_by;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !days_or_answer(c, &as_of, &day, &recorded_by) || !(db = api_db_or_answer(c)))
		return;
	struct reg_scope scope = api_reg_scope(c);
	if (!unit_or_answer(c, db, &scope.unit))
		return;
	struct page_cache *answers = c->app->caches.progress;
	char key[160], *text = NULL, *none = NULL;
	snprintf(key, sizeof key, "%lld/%lld/%04d-%02d-%02d/%04d-%02d-%02d/%lld/%s",
		 (long long)c->who.org_id, (long long)id, as_of.year, as_of.month, as_of.day,
		 recorded_by ? day.year : 0, recorded_by ? day.month : 0, recorded_by ? day.day : 0,
		 (long long)scope.unit, lang_tag(c->lang));
	enum db_status st = store_progress_revision(db, c->who.org_id, &rev);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "progress revision");
		return;
	}
	if (!page_cache_get(answers, key, rev, &text, &none)) {
		text = progress_text(c, db, id, as_of, recorded_by, scope.unit);
		if (!text)
			return;
		page_cache_put(answers, key, rev, text, NULL);
	}
	call_language_headers(c);
	api_answer_read(c, DB_OK, text);
}
