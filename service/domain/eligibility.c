/*
 * eligibility.c — the eligibility engine (see eligibility.h).
 *
 * The evaluators (the rule sets are read by eligibility_rules.c, the codes
 * of the enums are eligibility_codes.c).  One evaluator per kind, in a table
 * indexed by kind, each turning the facts
 * into one check; they append to the fixed array of the result and never
 * allocate.  Nesting (any_of, requires_title) recurses at most
 * ELIG_MAX_DEPTH levels, and at most NESTED_MAX titles are evaluated under
 * another in one evaluation: rule data that nests many titles under many
 * others gets "unknown", not an exponential walk.
 *
 * What this file does not do: read the facts (store/), choose the rule set
 * in force on a date (the caller passes the set), write sentences (api/).
 */
#include "domain/eligibility.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the evaluators of the kinds ---------------------------------------- */

struct eval;
typedef enum elig_outcome (*eval_fn)(struct eval *x, const struct elig_rule *r,
				     struct elig_check *ck);

static enum elig_outcome ev_min_rating(struct eval *, const struct elig_rule *,
				       struct elig_check *);
static enum elig_outcome ev_service(struct eval *, const struct elig_rule *, struct elig_check *);
static enum elig_outcome ev_no_discipline(struct eval *, const struct elig_rule *,
					  struct elig_check *);
static enum elig_outcome ev_absence(struct eval *, const struct elig_rule *, struct elig_check *);
static enum elig_outcome ev_pending_case(struct eval *, const struct elig_rule *,
					 struct elig_check *);
static enum elig_outcome ev_requires_title(struct eval *, const struct elig_rule *,
					   struct elig_check *);
static enum elig_outcome ev_initiative(struct eval *, const struct elig_rule *,
				       struct elig_check *);
static enum elig_outcome ev_consecutive_title(struct eval *, const struct elig_rule *,
					      struct elig_check *);
static enum elig_outcome ev_consecutive_rating(struct eval *, const struct elig_rule *,
					       struct elig_check *);
static enum elig_outcome ev_any_of(struct eval *, const struct elig_rule *, struct elig_check *);
static enum elig_outcome ev_collective_rating(struct eval *, const struct elig_rule *,
					      struct elig_check *);
static enum elig_outcome ev_member_share(struct eval *, const struct elig_rule *,
					 struct elig_check *);
static enum elig_outcome ev_members_min_rating(struct eval *, const struct elig_rule *,
					       struct elig_check *);
static enum elig_outcome ev_members_with_title(struct eval *, const struct elig_rule *,
					       struct elig_check *);
static enum elig_outcome ev_members_no_discipline(struct eval *, const struct elig_rule *,
						  struct elig_check *);
static enum elig_outcome ev_registered(struct eval *, const struct elig_rule *,
				       struct elig_check *);

static const eval_fn evals[RK_COUNT] = {
	[RK_MIN_RATING] = ev_min_rating,
	[RK_MIN_SERVICE_MONTHS] = ev_service,
	[RK_NO_DISCIPLINE] = ev_no_discipline,
	[RK_MAX_ABSENCE_MONTHS] = ev_absence,
	[RK_NO_PENDING_CASE] = ev_pending_case,
	[RK_REQUIRES_TITLE] = ev_requires_title,
	[RK_INITIATIVE] = ev_initiative,
	[RK_CONSECUTIVE_TITLE] = ev_consecutive_title,
	[RK_CONSECUTIVE_RATING] = ev_consecutive_rating,
	[RK_ANY_OF] = ev_any_of,
	[RK_COLLECTIVE_RATING] = ev_collective_rating,
	[RK_MEMBER_SHARE] = ev_member_share,
	[RK_MEMBERS_MIN_RATING] = ev_members_min_rating,
	[RK_MEMBERS_WITH_TITLE] = ev_members_with_title,
	[RK_MEMBERS_NO_DISCIPLINE] = ev_members_no_discipline,
	[RK_REGISTERED] = ev_registered,
};

/* ---- evaluation: the frame and its helpers -------------------------------- */

/* One evaluation.  Exactly one of p and c is set; years and awards are the
 * candidate's ledger, whichever it is. */
struct eval {
	const struct elig_rule_set *rs;
	int year;
	struct civil_date ref;
	const struct elig_person *p;
	const struct elig_collective *c;
	const struct elig_year *years;
	size_t n_years;
	const struct elig_award *awards;
	size_t n_awards;
	const struct elig_registration *registrations; /* the person's, or the collective's */
	size_t n_registrations;
	struct elig_result *out;
	bool listing; /* false inside a nested evaluation whose checks are not shown */
	int64_t top_id; /* the depth-0 rule being applied */
	int nested_left; /* titles that may still be evaluated under another */
};

#define NESTED_MAX 256

/* May a title be evaluated at `depth` (under another)? */
static bool may_nest(struct eval *x, int depth)
{
	if (depth > ELIG_MAX_DEPTH || x->nested_left <= 0)
		return false;
	x->nested_left--;
	return true;
}

static void arg_n(struct elig_check *ck, const char *name, int64_t n)
{
	assert(ck->n_args < ELIG_MAX_ARGS);
	struct elig_arg *a = &ck->args[ck->n_args++];
	a->name = name;
	a->is_text = false;
	a->n = n;
	a->text[0] = '\0';
}

static void arg_t(struct elig_check *ck, const char *name, const char *text)
{
	assert(ck->n_args < ELIG_MAX_ARGS);
	struct elig_arg *a = &ck->args[ck->n_args++];
	a->name = name;
	a->is_text = true;
	a->n = 0;
	snprintf(a->text, sizeof a->text, "%s", text);
}

static enum elig_outcome say(struct elig_check *ck, enum elig_outcome o, const char *code)
{
	ck->outcome = o;
	ck->code = code;
	return o;
}

/* The next slot of the list, or NULL (not listing, or full: truncated). */
static struct elig_check *reserve(struct eval *x)
{
	if (!x->listing)
		return NULL;
	if (x->out->n_checks >= ELIG_MAX_CHECKS) {
		x->out->truncated = true;
		return NULL;
	}
	return &x->out->checks[x->out->n_checks++];
}

static int64_t days_of(struct civil_date d)
{
	return civil_days(d);
}

static bool is_none(struct civil_date d)
{
	return d.year == 0;
}

static int64_t year_first(int y)
{
	return civil_days((struct civil_date){ y, 1, 1 });
}

static int64_t year_last(int y)
{
	return civil_days((struct civil_date){ y, 12, 31 });
}

static const struct elig_year *year_record(const struct eval *x, int y)
{
	for (size_t i = 0; i < x->n_years; i++)
		if (x->years[i].year == y)
			return &x->years[i];
	return NULL;
}

static enum rating rating_in(const struct eval *x, int y)
{
	const struct elig_year *ey = year_record(x, y);
	return ey ? ey->rating : RATING_UNKNOWN;
}

/* An award of `title` for year y; ad hoc ones only when adhoc_counts. */
static bool awarded(const struct eval *x, const char *title, int y, bool adhoc_counts)
{
	for (size_t i = 0; i < x->n_awards; i++) {
		const struct elig_award *a = &x->awards[i];
		if (a->year == y && strcmp(a->title, title) == 0 && (adhoc_counts || !a->adhoc))
			return true;
	}
	return false;
}

/* Rules of the title that are checked per candidate (quotas are not). */
static bool title_has_rules(const struct elig_rule_set *rs, const char *title)
{
	for (size_t i = 0; i < rs->n_rules; i++)
		if (rs->rules[i].kind != RK_QUOTA && strcmp(rs->rules[i].title, title) == 0)
			return true;
	return false;
}

static enum elig_verdict verdict_of(bool failed, bool unknown)
{
	return failed ? VERDICT_NOT_ELIGIBLE : unknown ? VERDICT_UNDETERMINED : VERDICT_ELIGIBLE;
}

static bool fits(const struct eval *x, const struct elig_rule *r)
{
	if ((unsigned)r->kind >= RK_COUNT || evals[r->kind] == NULL)
		return false;
	if (r->kind == RK_CONSECUTIVE_RATING && r->count > 0 && x->p == NULL)
		return false; /* a collective has no initiatives */
	return rule_kind_applies(r->kind, x->p != NULL);
}

/* Applies one rule at `depth`: its check is listed before those it nests. */
static enum elig_outcome eval_rule(struct eval *x, const struct elig_rule *r, int depth)
{
	struct elig_check *slot = reserve(x);
	/* a rule with a row of its own (the rules of a title checked under
	 * requires_title) cites its own source; a rule nested in an any_of
	 * has none and cites the rule it belongs to */
	struct elig_check ck = { .rule_id = r->id > 0 ? r->id : x->top_id,
				 .kind = r->kind,
				 .depth = depth };
	if (!fits(x, r))
		say(&ck, ELIG_UNKNOWN, "kind_mismatch");
	else
		evals[r->kind](x, r, &ck);
	if (slot != NULL)
		*slot = ck;
	return ck.outcome;
}

/* Applies the rules of `title` at `depth`.  *n_rules: how many; none is
 * undetermined.  At depth 0 each rule's id becomes its checks' rule_id. */
static enum elig_verdict eval_title(struct eval *x, const char *title, int depth, size_t *n_rules)
{
	bool failed = false, unknown = false;
	size_t n = 0;
	for (size_t i = 0; i < x->rs->n_rules; i++) {
		const struct elig_rule *r = &x->rs->rules[i];
		if (r->kind == RK_QUOTA || strcmp(r->title, title) != 0)
			continue;
		if (depth == 0)
			x->top_id = r->id;
		enum elig_outcome o = eval_rule(x, r, depth);
		if (o == ELIG_FAILED)
			failed = true;
		else if (o == ELIG_UNKNOWN)
			unknown = true;
		n++;
	}
	*n_rules = n;
	return verdict_of(failed, unknown || n == 0);
}

/* Whether the candidate meets `title` now, its checks not listed. */
static enum elig_verdict title_now(struct eval *x, const char *title, int depth)
{
	if (!title_has_rules(x->rs, title))
		return VERDICT_NOT_ELIGIBLE;
	if (!may_nest(x, depth))
		return VERDICT_UNDETERMINED;
	bool listing = x->listing;
	size_t n;
	x->listing = false;
	enum elig_verdict v = eval_title(x, title, depth, &n);
	x->listing = listing;
	return v;
}

/* ---- evaluation: individual kinds ----------------------------------------- */

/* Law 2022 Art. 24.1(a) (LĐTT: rated "completed well" or higher, Decree
 * 98/2023, 152/2025); Decree 91/2017 regime: the data asks "completed";
 * the scale is Decree 90/2020 as amended by Decree 48/2023. */
static enum elig_outcome ev_min_rating(struct eval *x, const struct elig_rule *r,
				       struct elig_check *ck)
{
	enum rating got = rating_in(x, x->year);
	arg_n(ck, "year", x->year);
	if (got == RATING_UNKNOWN) {
		arg_t(ck, "required", rating_code(r->rating));
		return say(ck, ELIG_UNKNOWN, "rating_unknown");
	}
	arg_t(ck, "rating", rating_code(got));
	if (got < r->rating) {
		arg_t(ck, "required", rating_code(r->rating));
		return say(ck, ELIG_FAILED, "rating_below");
	}
	return say(ck, ELIG_MET, "rating_met");
}

/*
 * Whole months from recruitment to 31/12/y: the largest k with
 * (s + k months, day clamped) - 1 day ≤ 31/12/y, that is s + k months ≤
 * 01/01/(y+1).  The k landing in January y+1 fits only when s is a 1st
 * (no clamp there: January has 31 days); one month less lands in
 * December y, always ≤ 31/12.
 */
static int service_months(struct civil_date s, int y)
{
	int64_t k = ((int64_t)y + 1 - s.year) * 12 + 1 - s.month;
	if (s.day != 1)
		k--;
	if (k < 0)
		return 0;
	return k > INT_MAX ? INT_MAX : (int)k;
}

/* Decree 91/2017 Art. 10 (no LĐTT if recruited less than 10 months
 * before); Circular 01/2024/TT-BNV (6 months, Decree 98 and 152). */
static enum elig_outcome ev_service(struct eval *x, const struct elig_rule *r,
				    struct elig_check *ck)
{
	if (!x->p->has_started_on) {
		arg_n(ck, "required", r->months);
		return say(ck, ELIG_UNKNOWN, "service_unknown");
	}
	int months = service_months(x->p->started_on, x->year);
	arg_n(ck, "months", months);
	arg_n(ck, "required", r->months);
	return months >= r->months ? say(ck, ELIG_MET, "service_met")
				   : say(ck, ELIG_FAILED, "service_short");
}

/* The heaviest discipline of form ≥ min in force on a day of year y. */
static enum discipline_form discipline_in_year(const struct elig_person *p, int y,
					       enum discipline_form min)
{
	int64_t first = year_first(y), last = year_last(y);
	enum discipline_form worst = DISC_NONE;
	for (size_t i = 0; i < p->n_disciplines; i++) {
		const struct elig_discipline *d = &p->disciplines[i];
		bool in_force = days_of(d->from) <= last &&
				(is_none(d->until) || days_of(d->until) >= first);
		if (in_force && d->form >= min && d->form > worst)
			worst = d->form;
	}
	return worst;
}

/* Decree 91/2017 Art. 10 (no LĐTT under a reprimand or above); Decree
 * 90/2020 as amended by 48/2023 (a disciplined year is rated "not
 * completed"); Decree 152 Art. 4.4.  No record is never compliance: only
 * the year's record saying "no discipline" clears. */
static enum elig_outcome ev_no_discipline(struct eval *x, const struct elig_rule *r,
					  struct elig_check *ck)
{
	enum discipline_form f = discipline_in_year(x->p, x->year, r->min_form);
	const struct elig_year *ey = year_record(x, x->year);
	int stated = ey ? ey->discipline_stated : -1;
	if (f == DISC_NONE && stated == 0) {
		arg_t(ck, "min_form", discipline_form_code(r->min_form));
		return say(ck, ELIG_MET, "discipline_clear");
	}
	if (f != DISC_NONE || (stated == 1 && r->min_form == DISC_REPRIMAND)) {
		/* stated without a record: some form, at least a reprimand */
		arg_t(ck, "form", discipline_form_code(f));
		arg_t(ck, "min_form", discipline_form_code(r->min_form));
		return say(ck, ELIG_FAILED, "discipline_in_force");
	}
	arg_n(ck, "year", x->year);
	arg_t(ck, "min_form", discipline_form_code(r->min_form));
	return say(ck, ELIG_UNKNOWN, "discipline_unknown");
}

/* Days of year y covered by leave not counted as work; overlapping spans
 * count once (a bit per day of the year). */
static int absent_days(const struct elig_person *p, int y, unsigned counted_mask)
{
	unsigned char seen[(366 + 7) / 8] = { 0 };
	int64_t first = year_first(y), last = year_last(y);
	int days = 0;
	for (size_t i = 0; i < p->n_leaves; i++) {
		const struct elig_leave *l = &p->leaves[i];
		if ((unsigned)l->kind < LEAVE_KIND_COUNT && (counted_mask & LEAVE_BIT(l->kind)))
			continue;
		int64_t from = days_of(l->from),
			until = is_none(l->until) ? last : days_of(l->until);
		for (int64_t d = from < first ? first : from; d <= until && d <= last; d++) {
			size_t k = (size_t)(d - first);
			if (!(seen[k / 8] & (1u << (k % 8)))) {
				seen[k / 8] = (unsigned char)(seen[k / 8] | (1u << (k % 8)));
				days++;
			}
		}
	}
	return days;
}

/* Decree 90/2020 as amended by 48/2023 (absent 3 to under 6 months: not
 * rated "good", hence no LĐTT by Law 2022 Art. 24); 02/2024/TT-VKSNDTC
 * states the bar; Decree 152 Art. 4.5: maternity leave counts as work
 * (the rule's data lists it in counted_as_work).  A month is 30 days. */
static enum elig_outcome ev_absence(struct eval *x, const struct elig_rule *r,
				    struct elig_check *ck)
{
	int days = absent_days(x->p, x->year, r->kinds_mask);
	arg_n(ck, "days", days);
	arg_n(ck, "months", r->months);
	return (int64_t)days >= (int64_t)r->months * 30 ? say(ck, ELIG_FAILED, "absence_long")
							: say(ck, ELIG_MET, "absence_met");
}

/* Decree 152/2025 Art. 4.4 (Decree 98/2023 Art. 4 alike): no award nor
 * proposal while discipline, an investigation, an inspection, a complaint
 * or a denunciation is being looked into, read on the reference date. */
static enum elig_outcome ev_pending_case(struct eval *x, const struct elig_rule *r,
					 struct elig_check *ck)
{
	(void)r;
	int64_t ref = days_of(x->ref);
	for (size_t i = 0; i < x->p->n_cases; i++) {
		const struct elig_case *c = &x->p->cases[i];
		bool opened = is_none(c->opened) || days_of(c->opened) <= ref;
		if (opened && (is_none(c->closed) || days_of(c->closed) > ref)) {
			arg_t(ck, "kind", case_kind_code(c->kind));
			return say(ck, ELIG_FAILED, "case_pending");
		}
	}
	return say(ck, ELIG_MET, "case_none");
}

/* Whether a registration for `entered` covers `title`: the same title, or
 * one whose rules in the set require it (whoever registers for CSTĐCS
 * registers for the LĐTT it needs). */
static bool registration_covers(const struct elig_rule_set *rs, const char *entered,
				const char *title)
{
	if (strcmp(entered, title) == 0)
		return true;
	for (size_t i = 0; i < rs->n_rules; i++) {
		const struct elig_rule *r = &rs->rules[i];
		if (r->kind == RK_REQUIRES_TITLE && strcmp(r->title, entered) == 0 &&
		    strcmp(r->other_title, title) == 0)
			return true;
	}
	return false;
}

/* Law 2003 Art. 10.1.b (the old regime): no registration for emulation,
 * no title — of a person (their entry in their unit's registration) or of
 * a collective (the titles its unit's registration names).  The
 * registrations the service holds are the record: a subject without one
 * for the year, or registered only for titles that do not cover this one,
 * fails. */
static enum elig_outcome ev_registered(struct eval *x, const struct elig_rule *r,
				       struct elig_check *ck)
{
	arg_n(ck, "year", x->year);
	for (size_t i = 0; i < x->n_registrations; i++) {
		const struct elig_registration *g = &x->registrations[i];
		if (g->year == x->year && registration_covers(x->rs, g->title, r->title)) {
			arg_t(ck, "title", g->title);
			return say(ck, ELIG_MET, "registered");
		}
	}
	arg_t(ck, "title", r->title);
	return say(ck, ELIG_FAILED, "not_registered");
}

/* Law 2022 Art. 23 and Decree 91/2017 Art. 9.3 (CSTĐCS is given to whom
 * reached LĐTT): the title awarded for the year (an ad hoc award too: it
 * is the same year's title, not a run), or its rules met now, nested. */
static enum elig_outcome ev_requires_title(struct eval *x, const struct elig_rule *r,
					   struct elig_check *ck)
{
	arg_t(ck, "title", r->other_title);
	if (awarded(x, r->other_title, x->year, true)) {
		arg_n(ck, "year", x->year);
		return say(ck, ELIG_MET, "title_awarded");
	}
	if (!title_has_rules(x->rs, r->other_title))
		return say(ck, ELIG_FAILED, "title_missing");
	if (!may_nest(x, ck->depth + 1))
		return say(ck, ELIG_UNKNOWN, "title_unknown");
	size_t n;
	switch (eval_title(x, r->other_title, ck->depth + 1, &n)) {
	case VERDICT_ELIGIBLE:
		return say(ck, ELIG_MET, "title_met");
	case VERDICT_NOT_ELIGIBLE:
		return say(ck, ELIG_FAILED, "title_missing");
	default:
		return say(ck, ELIG_UNKNOWN, "title_unknown");
	}
}

static bool initiative_counts(const struct elig_initiative *in, unsigned kinds_mask,
			      enum initiative_level level, int from_year, int to_year)
{
	return !in->used && (unsigned)in->kind < 2 && (kinds_mask & (1u << (unsigned)in->kind)) &&
	       in->level >= level && in->recognised_on.year >= from_year &&
	       in->recognised_on.year <= to_year;
}

/* Decree 91/2017 Art. 9.3 and Law 2022 Art. 23 (CSTĐCS: an initiative
 * recognised at base level, or research accepted and applied); Law 2022
 * Art. 22 (provincial CSTĐ: effect replicable across the province);
 * Official letter 5007/BNV-TĐKT III.5.c (an initiative backs one award). */
static enum elig_outcome ev_initiative(struct eval *x, const struct elig_rule *r,
				       struct elig_check *ck)
{
	int from = x->year - r->window_years + 1;
	for (size_t i = 0; i < x->p->n_initiatives; i++) {
		const struct elig_initiative *in = &x->p->initiatives[i];
		if (initiative_counts(in, r->kinds_mask, r->level, from, x->year) &&
		    (!r->province_wide || in->province_wide)) {
			arg_n(ck, "initiative", in->id);
			return say(ck, ELIG_MET, "initiative_met");
		}
	}
	arg_t(ck, "level", initiative_level_code(r->level));
	return say(ck, ELIG_FAILED, "initiative_missing");
}

static int run_first(const struct eval *x, const struct elig_rule *r)
{
	return r->ending_current ? x->year - r->years + 1 : x->year - r->years;
}

/* Ratings over the run [first, first + n): FAILED with the first year rated
 * below min, else UNKNOWN with the first year not rated, else MET. */
static enum elig_outcome run_ratings(const struct eval *x, int first, int n, enum rating min,
				     int *year, enum rating *got)
{
	enum elig_outcome o = ELIG_MET;
	for (int y = first; y < first + n; y++) {
		enum rating ry = rating_in(x, y);
		if (ry != RATING_UNKNOWN && ry < min) {
			*year = y;
			*got = ry;
			return ELIG_FAILED;
		}
		if (ry == RATING_UNKNOWN && o == ELIG_MET) {
			o = ELIG_UNKNOWN;
			*year = y;
		}
	}
	return o;
}

/* The first year of the run without the title: FAILED (not awarded, or the
 * current year not met), UNKNOWN (the current year undetermined), or MET. */
static enum elig_outcome run_titles(struct eval *x, const struct elig_rule *r, int depth, int *year)
{
	int first = run_first(x, r);
	for (int y = first; y < first + r->years; y++) {
		if (awarded(x, r->other_title, y, false))
			continue;
		enum elig_verdict v = VERDICT_NOT_ELIGIBLE;
		if (y == x->year && r->ending_current)
			v = title_now(x, r->other_title, depth + 1);
		if (v == VERDICT_ELIGIBLE)
			continue;
		*year = y;
		return v == VERDICT_UNDETERMINED ? ELIG_UNKNOWN : ELIG_FAILED;
	}
	return ELIG_MET;
}

/* Old Law Art. 22 and Law 2022 Art. 22 (provincial CSTĐ: 3 consecutive
 * CSTĐCS); Decree 152 Art. 4.3 (ad hoc and thematic awards do not count
 * towards a higher award); Art. 33.7 (every year of a run rated "good" or
 * higher: run_min_rating). */
static enum elig_outcome ev_consecutive_title(struct eval *x, const struct elig_rule *r,
					      struct elig_check *ck)
{
	int title_year = 0, rating_year = 0;
	enum rating got = RATING_UNKNOWN;
	enum elig_outcome t = run_titles(x, r, ck->depth, &title_year);
	enum elig_outcome g = ELIG_MET;
	if (r->run_min_rating != RATING_UNKNOWN)
		g = run_ratings(x, run_first(x, r), r->years, r->run_min_rating, &rating_year,
				&got);
	if (t == ELIG_FAILED) {
		arg_t(ck, "title", r->other_title);
		arg_n(ck, "years", r->years);
		arg_n(ck, "year", title_year);
		return say(ck, ELIG_FAILED, "run_broken");
	}
	if (g == ELIG_FAILED) {
		arg_n(ck, "year", rating_year);
		arg_t(ck, "rating", rating_code(got));
		arg_t(ck, "required", rating_code(r->run_min_rating));
		return say(ck, ELIG_FAILED, "run_rating_below");
	}
	if (t == ELIG_UNKNOWN || g == ELIG_UNKNOWN) {
		/* a title unknown is the run's last year: a rating unknown is earlier */
		arg_n(ck, "years", r->years);
		arg_n(ck, "year", g == ELIG_UNKNOWN ? rating_year : title_year);
		return say(ck, ELIG_UNKNOWN, "run_unknown");
	}
	arg_t(ck, "title", r->other_title);
	arg_n(ck, "years", r->years);
	return say(ck, ELIG_MET, "run_met");
}

/* Unused initiatives of any kind, of level ≥ level, recognised in the run. */
static int run_initiatives(const struct eval *x, const struct elig_rule *r, int first)
{
	int n = 0;
	for (size_t i = 0; i < x->p->n_initiatives && n < ELIG_COUNT_MAX; i++)
		if (initiative_counts(&x->p->initiatives[i], ELIG_INIT_KINDS_ALL, r->level, first,
				      first + r->years - 1))
			n++;
	return n;
}

/* Law 2022 Art. 74 (provincial Bằng khen: 2 consecutive years rated
 * "excellent" with 2 initiatives applied at base level in that period);
 * Decree 152 Art. 33.7.  One check: the first failing condition. */
static enum elig_outcome ev_consecutive_rating(struct eval *x, const struct elig_rule *r,
					       struct elig_check *ck)
{
	int first = run_first(x, r), year = 0;
	enum rating got = RATING_UNKNOWN;
	enum elig_outcome g = run_ratings(x, first, r->years, r->rating, &year, &got);
	int have = r->count > 0 ? run_initiatives(x, r, first) : 0;
	if (g == ELIG_FAILED) {
		arg_t(ck, "rating", rating_code(r->rating));
		arg_n(ck, "years", r->years);
		arg_n(ck, "year", year);
		return say(ck, ELIG_FAILED, "run_broken");
	}
	if (have < r->count) {
		arg_n(ck, "count", have);
		arg_n(ck, "required", r->count);
		return say(ck, ELIG_FAILED, "initiatives_short");
	}
	if (g == ELIG_UNKNOWN) {
		arg_n(ck, "years", r->years);
		arg_n(ck, "year", year);
		return say(ck, ELIG_UNKNOWN, "run_unknown");
	}
	arg_t(ck, "rating", rating_code(r->rating));
	arg_n(ck, "years", r->years);
	return say(ck, ELIG_MET, "run_met");
}

/* Law 2022 Art. 23 (CSTĐCS: LĐTT and one of an "excellent" rating, an
 * initiative, a science work); Art. 74 (Bằng khen: one of several
 * grounds).  Every alternative is applied and listed. */
static enum elig_outcome ev_any_of(struct eval *x, const struct elig_rule *r, struct elig_check *ck)
{
	if (ck->depth + 1 > ELIG_MAX_DEPTH || r->first_sub + r->n_sub > x->rs->n_subs)
		return say(ck, ELIG_UNKNOWN, "any_unknown");
	bool met = false, unknown = false;
	for (size_t i = 0; i < r->n_sub && i < ELIG_ANY_OF_MAX; i++) {
		enum elig_outcome o = eval_rule(x, &x->rs->subs[r->first_sub + i], ck->depth + 1);
		if (o == ELIG_MET)
			met = true;
		else if (o == ELIG_UNKNOWN)
			unknown = true;
	}
	if (met)
		return say(ck, ELIG_MET, "any_met");
	return unknown ? say(ck, ELIG_UNKNOWN, "any_unknown") : say(ck, ELIG_FAILED, "any_failed");
}

/* ---- evaluation: collective kinds ----------------------------------------- */

/* Old Law Art. 27-28 and Law 2022 (TTLĐTT: tasks and plan done well;
 * TTLĐXS: done excellently): the collective's own rating for the year. */
static enum elig_outcome ev_collective_rating(struct eval *x, const struct elig_rule *r,
					      struct elig_check *ck)
{
	enum rating got = x->c->rating;
	if (got == RATING_UNKNOWN) {
		arg_t(ck, "required", rating_code(r->rating));
		return say(ck, ELIG_UNKNOWN, "collective_rating_unknown");
	}
	if (got < r->rating) {
		arg_t(ck, "rating", rating_code(got));
		arg_t(ck, "required", rating_code(r->rating));
		return say(ck, ELIG_FAILED, "collective_rating_below");
	}
	arg_t(ck, "rating", rating_code(got));
	return say(ck, ELIG_MET, "collective_rating_met");
}

/* Members known to have reached `title`, and members whose title is not
 * known (the caller's ldtt_known flag, for both member titles). */
static void members_reached(const struct elig_collective *c, const char *title, int64_t *known,
			    int64_t *unknown)
{
	bool cstdcs = strcmp(title, ELIG_TITLE_CSTDCS) == 0;
	*known = *unknown = 0;
	for (size_t i = 0; i < c->n_members; i++) {
		const struct elig_member *m = &c->members[i];
		if (!m->ldtt_known)
			(*unknown)++;
		else if (cstdcs ? m->cstdcs : m->ldtt)
			(*known)++;
	}
}

static bool share_holds(int64_t k, int64_t members, int64_t percent_centi, bool strict)
{
	int64_t lhs = k * 10000, rhs = percent_centi * members;
	return strict ? lhs > rhs : lhs >= rhs;
}

/* Old Law Art. 28 (TTLĐTT: more than 50 % of members reached LĐTT); Law
 * 2022 (TTLĐTT and TTLĐXS: at least 70 %).  Integers only: k × 10000
 * against percent_centi × members. */
static enum elig_outcome ev_member_share(struct eval *x, const struct elig_rule *r,
					 struct elig_check *ck)
{
	int64_t members = (int64_t)x->c->n_members, k, u;
	if (members == 0) {
		arg_n(ck, "members", 0);
		return say(ck, ELIG_UNKNOWN, "share_unknown");
	}
	members_reached(x->c, r->other_title, &k, &u);
	bool now = share_holds(k, members, r->percent_centi, r->strict);
	bool at_best = share_holds(k + u, members, r->percent_centi, r->strict);
	if (now || !at_best) {
		arg_n(ck, "count", k);
		arg_n(ck, "members", members);
		arg_n(ck, "percent_centi", r->percent_centi);
		return now ? say(ck, ELIG_MET, "share_met") : say(ck, ELIG_FAILED, "share_below");
	}
	arg_n(ck, "members", members);
	return say(ck, ELIG_UNKNOWN, "share_unknown");
}

/* Old Law Art. 27 and Law 2022 (TTLĐXS: every member completed the tasks). */
static enum elig_outcome ev_members_min_rating(struct eval *x, const struct elig_rule *r,
					       struct elig_check *ck)
{
	int64_t below = 0, unknown = 0;
	for (size_t i = 0; i < x->c->n_members; i++) {
		enum rating m = x->c->members[i].rating;
		if (m == RATING_UNKNOWN)
			unknown++;
		else if (m < r->rating)
			below++;
	}
	if (below > 0) {
		arg_n(ck, "count", below);
		arg_t(ck, "required", rating_code(r->rating));
		return say(ck, ELIG_FAILED, "members_rated_below");
	}
	if (unknown > 0) {
		arg_n(ck, "count", unknown);
		return say(ck, ELIG_UNKNOWN, "members_rated_unknown");
	}
	return say(ck, ELIG_MET, "members_rated_met");
}

/* Old Law Art. 27 and Law 2022 (TTLĐXS: at least one member CSTĐCS). */
static enum elig_outcome ev_members_with_title(struct eval *x, const struct elig_rule *r,
					       struct elig_check *ck)
{
	int64_t k, u;
	members_reached(x->c, r->other_title, &k, &u);
	if (k >= r->count)
		return say(ck, ELIG_MET, "members_title_met");
	if (k + u >= r->count)
		return say(ck, ELIG_UNKNOWN, "members_title_unknown");
	arg_n(ck, "count", k);
	arg_n(ck, "min", r->count);
	return say(ck, ELIG_FAILED, "members_title_below");
}

/* Old Law Art. 27-28; Law 2022 (TTLĐTT: no member disciplined at warning
 * or above). */
static enum elig_outcome ev_members_no_discipline(struct eval *x, const struct elig_rule *r,
						  struct elig_check *ck)
{
	int64_t disciplined = 0, unknown = 0;
	for (size_t i = 0; i < x->c->n_members; i++) {
		const struct elig_member *m = &x->c->members[i];
		if (m->worst_discipline >= r->min_form)
			disciplined++;
		else if (!m->discipline_known)
			unknown++;
	}
	if (disciplined > 0) {
		arg_n(ck, "count", disciplined);
		arg_t(ck, "min_form", discipline_form_code(r->min_form));
		return say(ck, ELIG_FAILED, "members_disciplined");
	}
	if (unknown > 0) {
		arg_n(ck, "count", unknown);
		return say(ck, ELIG_UNKNOWN, "members_discipline_unknown");
	}
	return say(ck, ELIG_MET, "members_discipline_clear");
}

/* ---- evaluation: entry points --------------------------------------------- */

static void evaluate(struct eval *x, const char *title)
{
	x->out->n_checks = 0;
	x->out->truncated = false;
	size_t n;
	enum elig_verdict v = eval_title(x, title, 0, &n);
	if (n == 0) {
		struct elig_check *ck = reserve(x);
		assert(ck != NULL); /* the list is empty */
		*ck = (struct elig_check){ .rule_id = 0, .kind = RK_COUNT };
		arg_t(ck, "title", title);
		say(ck, ELIG_UNKNOWN, "no_rules");
		v = VERDICT_UNDETERMINED;
	}
	x->out->verdict = v;
}

void elig_evaluate_person(const struct elig_rule_set *rs, const char *title, int year,
			  struct civil_date ref, const struct elig_person *p,
			  struct elig_result *out)
{
	assert(rs != NULL && title != NULL && p != NULL && out != NULL);
	struct eval x = { .rs = rs,
			  .year = year,
			  .ref = ref,
			  .p = p,
			  .years = p->years,
			  .n_years = p->n_years,
			  .awards = p->awards,
			  .n_awards = p->n_awards,
			  .registrations = p->registrations,
			  .n_registrations = p->n_registrations,
			  .out = out,
			  .listing = true,
			  .nested_left = NESTED_MAX };
	evaluate(&x, title);
}

void elig_evaluate_collective(const struct elig_rule_set *rs, const char *title, int year,
			      struct civil_date ref, const struct elig_collective *c,
			      struct elig_result *out)
{
	assert(rs != NULL && title != NULL && c != NULL && out != NULL);
	struct eval x = { .rs = rs,
			  .year = year,
			  .ref = ref,
			  .c = c,
			  .years = c->years,
			  .n_years = c->n_years,
			  .awards = c->awards,
			  .n_awards = c->n_awards,
			  .registrations = c->registrations,
			  .n_registrations = c->n_registrations,
			  .out = out,
			  .listing = true,
			  .nested_left = NESTED_MAX };
	evaluate(&x, title);
}

void elig_evaluate_household(const char *title, struct elig_result *out)
{
	assert(title != NULL && out != NULL);
	*out = (struct elig_result){ .verdict = VERDICT_UNDETERMINED, .n_checks = 1 };
	struct elig_check *ck = &out->checks[0];
	*ck = (struct elig_check){ .rule_id = 0, .kind = RK_COUNT };
	arg_t(ck, "title", title);
	say(ck, ELIG_UNKNOWN, "household_judged");
}

/* ---- quotas --------------------------------------------------------------- */

bool elig_quota_of(const struct elig_rule_set *rs, const char *title, const struct elig_rule **rule)
{
	for (size_t i = 0; i < rs->n_rules; i++)
		if (rs->rules[i].kind == RK_QUOTA && strcmp(rs->rules[i].title, title) == 0) {
			if (rule != NULL)
				*rule = &rs->rules[i];
			return true;
		}
	return false;
}

/* Decree 91/2017 Art. 9.3: CSTĐCS ≤ 15 % of LĐTT ("không quá"; rounding
 * is the rule's data, floor by default, domain.md §2). */
int64_t elig_quota_ceiling(const struct elig_rule *quota, int64_t base)
{
	if (quota == NULL || base <= 0)
		return 0;
	if (base > INT64_MAX / (TARGET_PERCENT_MAX_CENTI + 1))
		base = INT64_MAX / (TARGET_PERCENT_MAX_CENTI + 1);
	return target_head_count(quota->percent_centi, base, quota->rounding);
}
