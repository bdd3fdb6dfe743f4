/*
 * eligibility.c — GET /v1/staff/{id}/eligibility: may this person receive
 * a title or form for a year, under the law that governs the dossier, and
 * why.
 *
 * ?year= (this year by default), ?title= (every individual title and form
 * the rule set has conditions for, when absent), ?on= the dossier's date
 * (by default the end of the year, or today while the year runs): the
 * rule set is the one in force on that date (rule_sets, migration 0011),
 * which carries the transition of Decree 152 Art. 60.3.
 *
 * The store reads the rule set and the person's facts as JSON; this file
 * turns them into the engine's structures (domain/eligibility.h) and runs
 * it; verdicts.c writes each check with its sentence in the caller's
 * language and the legal source of its rule.  Nothing is cached: a fact
 * recorded a second ago changes the next answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/lang.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "api/verdicts.h"
#include "domain/eligibility.h"
#include "store/year_end.h"

/* More facts of one kind than a person can have: a bound on what is read. */
#define FACTS_MAX 2000

/* The person's facts in the engine's structures; arrays owned. */
struct facts {
	struct elig_person p;
	struct elig_year *years;
	struct elig_discipline *disciplines;
	struct elig_leave *leaves;
	struct elig_case *cases;
	struct elig_initiative *initiatives;
	struct elig_award *awards;
	struct elig_registration *registrations;
};

static void facts_free(struct facts *f)
{
	free(f->registrations);
	free(f->years);
	free(f->disciplines);
	free(f->leaves);
	free(f->cases);
	free(f->initiatives);
	free(f->awards);
}

/* A date member (absent or null: CIVIL_DATE_NONE). */
static struct civil_date date_of(const json_t *o, const char *key)
{
	struct civil_date d = CIVIL_DATE_NONE;
	const char *s = json_string_value(json_object_get(o, key));
	if (!s || !civil_date_parse(s, &d))
		return CIVIL_DATE_NONE;
	return d;
}

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A new array of n elements of size sz (at least one), or NULL. */
static void *items_new(const json_t *a, size_t sz, size_t *n)
{
	*n = json_array_size(a);
	if (*n > FACTS_MAX)
		*n = FACTS_MAX;
	return calloc(*n ? *n : 1, sz);
}

static bool read_years(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->years = items_new(a, sizeof *f->years, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_year *y = &f->years[i];
		y->year = (int)json_integer_value(json_object_get(o, "year"));
		if (!rating_parse(text_of(o, "rating"), &y->rating))
			y->rating = RATING_UNKNOWN;
		const json_t *d = json_object_get(o, "disciplined");
		y->discipline_stated = json_is_boolean(d) ? (json_is_true(d) ? 1 : 0) : -1;
	}
	f->p.years = f->years;
	f->p.n_years = n;
	return true;
}

static bool read_disciplines(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->disciplines = items_new(a, sizeof *f->disciplines, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_discipline *d = &f->disciplines[i];
		if (!discipline_form_parse(text_of(o, "form"), &d->form))
			d->form = DISC_DISMISSAL; /* unknown form: read as the heaviest */
		d->from = date_of(o, "in_force_from");
		d->until = date_of(o, "in_force_until");
	}
	f->p.disciplines = f->disciplines;
	f->p.n_disciplines = n;
	return true;
}

static bool read_leaves(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->leaves = items_new(a, sizeof *f->leaves, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_leave *l = &f->leaves[i];
		if (!leave_kind_parse(text_of(o, "kind"), &l->kind))
			l->kind = LEAVE_OTHER;
		l->from = date_of(o, "from");
		l->until = date_of(o, "until");
	}
	f->p.leaves = f->leaves;
	f->p.n_leaves = n;
	return true;
}

static bool read_cases(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->cases = items_new(a, sizeof *f->cases, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_case *k = &f->cases[i];
		if (!case_kind_parse(text_of(o, "kind"), &k->kind))
			k->kind = CASE_INVESTIGATION;
		k->opened = date_of(o, "opened_on");
		k->closed = date_of(o, "closed_on");
	}
	f->p.cases = f->cases;
	f->p.n_cases = n;
	return true;
}

static bool read_initiatives(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->initiatives = items_new(a, sizeof *f->initiatives, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_initiative *x = &f->initiatives[i];
		x->id = json_integer_value(json_object_get(o, "id"));
		if (!initiative_kind_parse(text_of(o, "kind"), &x->kind))
			x->kind = INIT_KIND_INITIATIVE;
		if (!initiative_level_parse(text_of(o, "level"), &x->level))
			x->level = INIT_BASE;
		x->province_wide = json_is_true(json_object_get(o, "province_wide"));
		x->recognised_on = date_of(o, "recognised_on");
		x->used = json_is_true(json_object_get(o, "used"));
	}
	f->p.initiatives = f->initiatives;
	f->p.n_initiatives = n;
	return true;
}

static bool read_awards(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->awards = items_new(a, sizeof *f->awards, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_award *w = &f->awards[i];
		snprintf(w->title, sizeof w->title, "%s", text_of(o, "title"));
		w->year = (int)json_integer_value(json_object_get(o, "year"));
		w->adhoc = json_is_true(json_object_get(o, "adhoc"));
	}
	f->p.awards = f->awards;
	f->p.n_awards = n;
	return true;
}

static bool read_registrations(struct facts *f, const json_t *a)
{
	size_t n;
	if (!(f->registrations = items_new(a, sizeof *f->registrations, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(a, i);
		struct elig_registration *g = &f->registrations[i];
		g->year = (int)json_integer_value(json_object_get(o, "year"));
		snprintf(g->title, sizeof g->title, "%s", text_of(o, "title"));
	}
	f->p.registrations = f->registrations;
	f->p.n_registrations = n;
	return true;
}

/* The engine's view of person_facts (db/procedures/year_end.sql). */
static bool facts_read(struct facts *f, const json_t *doc)
{
	memset(f, 0, sizeof *f);
	f->p.started_on = date_of(doc, "started_on");
	f->p.has_started_on = f->p.started_on.year != 0;
	return read_years(f, json_object_get(doc, "years")) &&
	       read_disciplines(f, json_object_get(doc, "disciplines")) &&
	       read_leaves(f, json_object_get(doc, "leaves")) &&
	       read_cases(f, json_object_get(doc, "cases")) &&
	       read_initiatives(f, json_object_get(doc, "initiatives")) &&
	       read_awards(f, json_object_get(doc, "awards")) &&
	       read_registrations(f, json_object_get(doc, "registrations"));
}

/* ---- a collective: its members as the engine reads them -------------------- */

#define LDTT "lao_dong_tien_tien"
#define CSTDCS "chien_si_thi_dua_co_so"

static bool awarded(const struct elig_person *p, const char *title, int year)
{
	for (size_t i = 0; i < p->n_awards; i++)
		if (p->awards[i].year == year && strcmp(p->awards[i].title, title) == 0)
			return true;
	return false;
}

/* Whether the person reached `title` in the year: awarded it, or meets
 * its conditions now; *known is false when that cannot be decided. */
static bool reached(const struct elig_rule_set *rs, const char *title, int year,
		    struct civil_date on, const struct elig_person *p, struct elig_result *tmp,
		    bool *known)
{
	*known = true;
	if (awarded(p, title, year))
		return true;
	if (!elig_rule_set_has_title(rs, title)) {
		*known = false;
		return false;
	}
	elig_evaluate_person(rs, title, year, on, p, tmp);
	*known = tmp->verdict != VERDICT_UNDETERMINED;
	return tmp->verdict == VERDICT_ELIGIBLE;
}

/* The heaviest discipline in force during the year, and whether the
 * records tell (a statement for the year, or a measure in force). */
static enum discipline_form worst_discipline(const struct elig_person *p, int year, bool *known)
{
	struct civil_date first = { year, 1, 1 }, last = { year, 12, 31 };
	enum discipline_form worst = DISC_NONE;
	for (size_t i = 0; i < p->n_disciplines; i++) {
		const struct elig_discipline *d = &p->disciplines[i];
		bool open = d->until.year == 0;
		if (civil_days(d->from) <= civil_days(last) &&
		    (open || civil_days(d->until) >= civil_days(first)) && d->form > worst)
			worst = d->form;
	}
	*known = worst != DISC_NONE;
	for (size_t i = 0; i < p->n_years; i++)
		if (p->years[i].year == year && p->years[i].discipline_stated >= 0)
			*known = true;
	return worst;
}

static void member_of(const struct elig_rule_set *rs, int year, struct civil_date on,
		      const struct elig_person *p, struct elig_result *tmp, struct elig_member *m)
{
	memset(m, 0, sizeof *m);
	m->rating = RATING_UNKNOWN;
	for (size_t i = 0; i < p->n_years; i++)
		if (p->years[i].year == year)
			m->rating = p->years[i].rating;
	m->ldtt = reached(rs, LDTT, year, on, p, tmp, &m->ldtt_known);
	bool cstdcs_known;
	m->cstdcs = reached(rs, CSTDCS, year, on, p, tmp, &cstdcs_known);
	m->worst_discipline = worst_discipline(p, year, &m->discipline_known);
}

/* The collective of collective_facts (db/procedures/year_end.sql), its
 * members judged one by one; arrays owned. */
struct collective {
	struct elig_collective c;
	struct elig_member *members;
	struct facts own; /* the collective's own years and awards */
};

static void collective_free(struct collective *k)
{
	free(k->members);
	facts_free(&k->own);
}

static bool collective_read(struct collective *k, const json_t *doc, const struct elig_rule_set *rs,
			    int year, struct civil_date on)
{
	memset(k, 0, sizeof *k);
	const json_t *members = json_object_get(doc, "members");
	size_t n;
	struct elig_result *tmp = malloc(sizeof *tmp);
	k->members = items_new(members, sizeof *k->members, &n);
	bool ok = tmp && k->members && facts_read(&k->own, doc);
	for (size_t i = 0; ok && i < n; i++) {
		struct facts f;
		ok = facts_read(&f, json_array_get(members, i));
		if (ok)
			member_of(rs, year, on, &f.p, tmp, &k->members[i]);
		facts_free(&f);
	}
	free(tmp);
	k->c.rating = RATING_UNKNOWN;
	for (size_t i = 0; i < k->own.p.n_years; i++)
		if (k->own.p.years[i].year == year)
			k->c.rating = k->own.p.years[i].rating;
	k->c.members = k->members;
	k->c.n_members = n;
	k->c.years = k->own.p.years;
	k->c.n_years = k->own.p.n_years;
	k->c.awards = k->own.p.awards;
	k->c.n_awards = k->own.p.n_awards;
	k->c.registrations = k->own.p.registrations;
	k->c.n_registrations = k->own.p.n_registrations;
	return ok;
}

/* ---- a collective's verdict, for the lists of review rounds (api/verdicts.h) */

bool verdict_evaluate_collective(const struct elig_rule_set *rs, const char *title, int year,
				 struct civil_date on, const char *facts, struct elig_result *res)
{
	json_t *doc = facts ? json_loads(facts, 0, NULL) : NULL;
	struct collective k;
	bool read = doc && collective_read(&k, doc, rs, year, on);
	if (read)
		elig_evaluate_collective(rs, title, year, on, &k.c, res);
	if (doc)
		collective_free(&k);
	json_decref(doc);
	return read;
}

/* ---- the handler ------------------------------------------------------------ */

struct query {
	int year;
	const char *title; /* NULL: every title */
	struct civil_date on;
	const char *basis; /* why `on`: "dossier_date", "year_end" or "today" */
};

static bool query_or_answer(struct call *c, struct query *q)
{
	bool given;
	if (!api_year_or_answer(c, &q->year) || !api_query_date_or_answer(c, "on", &q->on, &given))
		return false;
	struct civil_date today = api_today();
	if (q->year == 0)
		q->year = today.year;
	q->basis = "dossier_date";
	if (!given) {
		struct civil_date end = { q->year, 12, 31 };
		bool past = civil_days(end) < civil_days(today);
		q->on = past ? end : today;
		q->basis = past ? "year_end" : "today";
	}
	q->title = call_query(c, "title");
	size_t n = q->title ? strlen(q->title) : 0;
	if (q->title && (n < 1 || n > 60 || strspn(q->title, "abcdefghijklmnopqrstuvwxyz_") != n)) {
		api_answer_bad_query(c, "title", "must be the code of a title or form");
		return false;
	}
	return true;
}

/* The title asked must be one for this kind of subject. */
static bool title_known_or_answer(struct call *c, const struct verdict_context *x,
				  const char *title, bool collective)
{
	const json_t *t = title ? verdict_title_kind(x, title) : NULL;
	if (!title || (t && verdict_title_fits(t, collective)))
		return true;
	api_answer_bad_query(c, "title",
			     collective ? "names no title or form for a collective"
					: "names no title or form for a person");
	return false;
}

static void answer_no_rule_set(struct call *c, struct civil_date on)
{
	char day[11];
	snprintf(day, sizeof day, "%04d-%02d-%02d", on.year, on.month, on.day);
	verdict_answer_no_rule_set(c, day);
}

/* The verdicts on the subject of `facts`, a person or a collective. */
static json_t *subject_verdicts(const struct verdict_context *x, const struct elig_rule_set *rs,
				const struct query *q, const json_t *facts, bool collective)
{
	json_t *verdicts = NULL;
	if (collective) {
		struct collective k;
		if (collective_read(&k, facts, rs, q->year, q->on))
			verdicts = verdict_list_json(x, rs, q->title, q->year, q->on, NULL, &k.c);
		collective_free(&k);
	} else {
		struct facts f;
		if (facts_read(&f, facts))
			verdicts = verdict_list_json(x, rs, q->title, q->year, q->on, &f.p, NULL);
		facts_free(&f);
	}
	return verdicts;
}

/* The answer's head: who, when, under which rule set. */
static json_t *answer_new(const struct query *q, const json_t *set, const json_t *facts,
			  bool collective, json_t *verdicts)
{
	char day[11];
	snprintf(day, sizeof day, "%04d-%02d-%02d", q->on.year, q->on.month, q->on.day);
	json_t *rule_set = json_pack(
		"{s:O?, s:O?, s:O?, s:O?, s:O?}", "code", json_object_get(set, "code"), "name",
		json_object_get(set, lang_current() == LANG_EN ? "name_en" : "name_vi"), "status",
		json_object_get(set, "status"), "valid_from", json_object_get(set, "valid_from"),
		"valid_until", json_object_get(set, "valid_until"));
	json_t *doc = json_pack("{s:i, s:s, s:s, s:o, s:o}", "year", q->year, "on", day, "basis",
				q->basis, "rule_set", rule_set, "verdicts", verdicts);
	if (!doc)
		return NULL;
	if (collective) {
		json_object_set(doc, "unit_id", json_object_get(facts, "unit_id"));
		json_object_set(doc, "name", json_object_get(facts, "name"));
		json_object_set_new(doc, "members",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(facts, "members"))));
	} else {
		json_object_set(doc, "staff_id", json_object_get(facts, "staff_id"));
		json_object_set(doc, "full_name", json_object_get(facts, "full_name"));
	}
	return doc;
}

/* Runs the engine over the inputs the store read and answers. */
static void answer_verdicts(struct call *c, const struct query *q, json_t *in, bool collective)
{
	const json_t *set = json_object_get(in, "rule_set");
	const json_t *facts = json_object_get(in, "facts");
	struct verdict_context x = { json_object_get(in, "titles"), json_object_get(set, "rules") };
	if (!title_known_or_answer(c, &x, q->title, collective))
		return;
	if (!json_is_object(set)) {
		answer_no_rule_set(c, q->on);
		return;
	}
	struct elig_rule_set rs;
	if (!verdict_rule_set_load(set, &rs)) { /* logged */
		call_problem(c, problem_internal());
		return;
	}
	json_t *verdicts = subject_verdicts(&x, &rs, q, facts, collective);
	elig_rule_set_free(&rs);
	json_t *doc = verdicts ? answer_new(q, set, facts, collective, verdicts) : NULL;
	if (!doc) {
		call_problem(c, problem_internal());
		return;
	}
	call_language_headers(c);
	call_json(c, 200, doc);
}

typedef enum db_status (*inputs_fn)(struct db *db, const struct row_scope *s, int64_t id, int year,
				    struct civil_date on, char **json);

static void eligibility(struct call *c, inputs_fn read_inputs, bool collective)
{
	int64_t id;
	struct query q;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &id) || !query_or_answer(c, &q) ||
	    !(db = api_db_or_answer(c)))
		return;
	struct row_scope scope = api_scope(c);
	char *text = NULL;
	enum db_status st = read_inputs(db, &scope, id, q.year, q.on, &text);
	if (st != DB_OK || !text) {
		api_answer_read(c, st, text);
		return;
	}
	json_t *in = json_loads(text, 0, NULL);
	free(text);
	if (!in) {
		call_problem(c, problem_internal());
		return;
	}
	answer_verdicts(c, &q, in, collective);
	json_decref(in);
}

void staff_eligibility(struct call *c)
{
	eligibility(c, store_person_eligibility_inputs, false);
}

/* GET /v1/units/{id}/eligibility: the unit and its subtree as a collective;
 * its members are the staff of the subtree in service at the end of the
 * year, each judged for Lao động tiên tiến and Chiến sĩ thi đua cơ sở. */
void unit_eligibility(struct call *c)
{
	eligibility(c, store_unit_eligibility_inputs, true);
}
