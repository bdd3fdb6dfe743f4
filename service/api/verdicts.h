/*
 * verdicts.h — the eligibility engine's verdict on one subject, as the
 * API writes it (implemented in eligibility.c, which answers
 * GET /v1/staff/{id}/eligibility and GET /v1/units/{id}/eligibility; the
 * lists of review rounds, rounds.c, write the same verdicts).
 */
#ifndef THIDUA_API_VERDICTS_H
#define THIDUA_API_VERDICTS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/eligibility.h"

/* What a verdict is written with (borrowed): the catalogue of titles and
 * forms (code, level, names) and the rules of the set, with their sources. */
struct verdict_context {
	const json_t *titles;
	const json_t *rules;
};

/* The rule set of a rule_set_json document; false (logged) when there is
 * none or its rules do not load.  Free it with elig_rule_set_free. */
bool verdict_rule_set_load(const json_t *set, struct elig_rule_set *rs);

/*
 * The verdict on the subject of facts (person_facts, or collective_facts
 * when collective) for title in year, on the dossier's day: a new object
 * {title, title_name, verdict, verdict_label, truncated, checks} — with
 * reasons_only, "reasons" holding the checks not met instead of every
 * check.  *verdict is the engine's.  NULL when out of memory.
 */
json_t *verdict_new(const struct verdict_context *x, const struct elig_rule_set *rs,
		    const char *title, int year, struct civil_date on, const json_t *facts,
		    bool collective, bool reasons_only, enum elig_verdict *verdict);

/* The same for a person whose facts are in the engine's structures
 * already (store_round_people). */
json_t *verdict_of_person_new(const struct verdict_context *x, const struct elig_rule_set *rs,
			      const char *title, int year, struct civil_date on,
			      const struct elig_person *p, bool reasons_only,
			      enum elig_verdict *verdict);

#endif
