/*
 * fuzz_rules.c — libFuzzer target for the rule sets the eligibility engine
 * loads (domain/eligibility.h): the law is data, written by migrations and
 * by administrators, so its parser meets whatever a row holds.  The input
 * is parsed as JSON; an array is loaded as a rule set and, when it loads,
 * every title it names is judged for a fixed person and a fixed collective;
 * each element is also checked on its own (elig_rule_valid).  Invariants: a
 * refusal names a pointer, a verdict lists at most ELIG_MAX_CHECKS checks,
 * and "eligible" never comes with a failed or undetermined top-level check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/eligibility.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_result(const struct elig_result *res)
{
	if (res->n_checks > ELIG_MAX_CHECKS)
		abort();
	for (size_t i = 0; i < res->n_checks; i++) {
		const struct elig_check *k = &res->checks[i];
		if (k->depth == 0 && k->outcome != ELIG_MET && res->verdict == VERDICT_ELIGIBLE)
			abort();
	}
}

static void judge_all(const struct elig_rule_set *rs)
{
	static const struct elig_year years[] = { { 2022, RATING_EXCELLENT, 0 },
						  { 2023, RATING_GOOD, -1 },
						  { 2024, RATING_COMPLETED, 1 } };
	static const struct elig_discipline disc[] = {
		{ DISC_WARNING, { 2023, 2, 1 }, { 2023, 12, 31 } }
	};
	static const struct elig_leave leaves[] = {
		{ LEAVE_MATERNITY, { 2024, 1, 1 }, { 2024, 6, 30 } },
		{ LEAVE_UNPAID, { 2024, 3, 1 }, { 0, 0, 0 } }
	};
	static const struct elig_case cases[] = { { CASE_COMPLAINT, { 2024, 5, 1 }, { 0, 0, 0 } } };
	static const struct elig_initiative inits[] = {
		{ 7, INIT_KIND_INITIATIVE, INIT_PROVINCE, true, { 2024, 4, 1 }, false }
	};
	static const struct elig_award awards[] = { { "chien_si_thi_dua_co_so", 2023, false },
						    { "lao_dong_tien_tien", 2022, true } };
	static const struct elig_member members[] = {
		{ RATING_GOOD, true, true, false, DISC_NONE, true },
		{ RATING_UNKNOWN, false, false, false, DISC_REPRIMAND, false },
	};
	static const struct elig_registration regs[] = { { 2024, "chien_si_thi_dua_co_so" },
							 { 2023, "lao_dong_tien_tien" } };
	struct elig_person p = { .has_started_on = true,
				 .started_on = { 2020, 2, 29 },
				 .years = years,
				 .n_years = 3,
				 .disciplines = disc,
				 .n_disciplines = 1,
				 .leaves = leaves,
				 .n_leaves = 2,
				 .cases = cases,
				 .n_cases = 1,
				 .initiatives = inits,
				 .n_initiatives = 1,
				 .awards = awards,
				 .n_awards = 2,
				 .registrations = regs,
				 .n_registrations = 2 };
	struct elig_collective c = { .rating = RATING_GOOD,
				     .members = members,
				     .n_members = 2,
				     .awards = awards,
				     .n_awards = 2,
				     .years = years,
				     .n_years = 3,
				     .registrations = regs,
				     .n_registrations = 2 };
	struct elig_result *res = malloc(sizeof *res);
	if (!res)
		return;
	for (size_t i = 0; i < rs->n_rules; i++) {
		const char *title = rs->rules[i].title;
		elig_evaluate_person(rs, title, 2024, (struct civil_date){ 2024, 12, 31 }, &p, res);
		check_result(res);
		elig_evaluate_collective(rs, title, 2024, (struct civil_date){ 2024, 12, 31 }, &c,
					 res);
		check_result(res);
	}
	free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(doc)) {
		json_decref(doc);
		return 0;
	}
	char err[256];
	struct elig_rule_set rs;
	if (elig_rule_set_from_json(doc, &rs, err, sizeof err)) {
		judge_all(&rs);
		elig_rule_set_free(&rs);
	} else if (json_array_size(doc) > 0 && err[0] != '/' && err[0] != '\0') {
		abort(); /* a refusal is a JSON pointer */
	}
	size_t i;
	json_t *rule;
	json_array_foreach(doc, i, rule)
	{
		const char *kind = json_string_value(json_object_get(rule, "kind"));
		if (kind)
			(void)elig_rule_valid(kind, json_object_get(rule, "params"), err,
					      sizeof err);
	}
	json_decref(doc);
	return 0;
}
