/*
 * verdicts.h — the eligibility engine's verdict on one subject, as the
 * API writes it (verdicts.c), for GET /v1/staff/{id}/eligibility and
 * GET /v1/units/{id}/eligibility (eligibility.c, which also judges a
 * collective from its facts: verdict_evaluate_collective) and for the
 * lists of review rounds (rounds.c).
 */
#ifndef THIDUA_API_VERDICTS_H
#define THIDUA_API_VERDICTS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/eligibility.h"
#include "store/directory.h"
#include "store/pool.h"

/* What a verdict is written with (borrowed): the catalogue of titles and
 * forms (code, level, names) and the rules of the set, with their sources. */
struct verdict_context {
	const json_t *titles;
	const json_t *rules;
};

/* The rule set of a rule_set_json document; false (logged) when there is
 * none or its rules do not load.  Free it with elig_rule_set_free. */
bool verdict_rule_set_load(const json_t *set, struct elig_rule_set *rs);

/* One check of a verdict as the API writes it: code, outcome, arguments,
 * its sentence in the caller's language, the legal source of its rule.
 * New object, NULL when out of memory. */
json_t *verdict_check_json(const struct verdict_context *x, const struct elig_check *k);

/*
 * The checks of one list, each written once: a checked list of a thousand
 * nominations repeats the same few dozen checks ("rated good in 2024; the
 * title needs excellent"), and writing each as jansson objects and a
 * sentence was half the list's time.  check_memo_text answers the JSON
 * text of a check (as verdict_check_json writes it), from the memo when
 * an identical check (rule, kind, outcome, depth, code, arguments) was
 * written before in this list; NULL when the memo is full or memory is
 * short (then write the check with verdict_check_json).  The memo lives
 * for one request, in the caller's language: it is not a cache of answers.
 */
struct check_memo_entry;
struct check_memo {
	struct check_memo_entry *slots;
	size_t n_slots, used;
};
void check_memo_init(struct check_memo *m);
const char *check_memo_text(struct check_memo *m, const struct verdict_context *x,
			    const struct elig_check *k);
void check_memo_free(struct check_memo *m);

/* Judges the collective of facts (collective_facts, JSON text) for title:
 * false when the facts cannot be read. */
bool verdict_evaluate_collective(const struct elig_rule_set *rs, const char *title, int year,
				 struct civil_date on, const char *facts, struct elig_result *res);

struct call;
struct db;
/* 409 no-rule-set: no rule set governs the dossier's date `day`
 * (YYYY-MM-DD). */
void verdict_answer_no_rule_set(struct call *c, const char *day);

/* A round's checked list as the scope sees it, as GET
 * /v1/review-rounds/{id}/list answers it, with its ETag (api/rounds.c):
 * the route's reader, and a province's batch (organisation-wide). */
enum round_list_outcome {
	ROUND_LIST_OK, /* text and etag */
	ROUND_LIST_NOT_FOUND, /* not the organisation's round */
	ROUND_LIST_NO_RULE_SET, /* no rule set governs no_rule_set_on */
	ROUND_LIST_FAILED, /* out of memory, or the rule set unreadable */
};
struct round_list {
	enum db_status st; /* not DB_OK: the database failed, outcome aside */
	enum round_list_outcome outcome;
	char *text;
	char etag[20];
	char *no_rule_set_on; /* the dossier date, YYYY-MM-DD */
};
void round_list_read(struct db *db, const struct row_scope *scope, int64_t round_id,
		     struct round_list *out);
void round_list_free(struct round_list *l);

/* The catalogue's entry of a title or form (borrowed), or NULL; whether
 * that entry is given to a collective (else: to a person). */
const json_t *verdict_title_kind(const struct verdict_context *x, const char *code);
bool verdict_title_fits(const json_t *t, bool collective);

/* The verdicts on one subject (one of p and c) for the title `only`, or
 * for every title of the set that fits the subject when only is NULL:
 * each with every check.  New array, NULL when out of memory. */
json_t *verdict_list_json(const struct verdict_context *x, const struct elig_rule_set *rs,
			  const char *only, int year, struct civil_date on,
			  const struct elig_person *p, const struct elig_collective *c);

/* The name of a title or form in the caller's language (borrowed; the
 * code when the catalogue does not hold it). */
const char *verdict_title_name(const struct verdict_context *x, const char *code);

#endif
