/* Unit tests: the rule-set parser (domain/eligibility_rules.c) — what it
 * refuses, each refusal with the JSON pointer it names, one rule as an
 * administrator would add it — and the codes of the engine's enumerations.
 * The engine itself, and what the parser keeps: test_eligibility.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/eligibility.h"
#include "quoted_json.h"

#define LDTT "lao_dong_tien_tien"
#define CSTDCS "chien_si_thi_dua_co_so"
#define TTLDTT "tap_the_lao_dong_tien_tien"

#define OK_RULE "{'id':1,'title':'t','kind':'no_pending_case','params':{}}"
#define ONE(kind, params) "[{'id':1,'title':'t','kind':'" kind "','params':" params "}]"
#define MR "{'kind':'min_rating','params':{'rating':'good'}}"

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *name, *json, *pointer;
	} bad[] = {
		{ "not an array", "{}", "" },
		{ "a rule that is not an object", "[" OK_RULE ",3]", "/1" },
		{ "unknown kind",
		  "[" OK_RULE ",{'id':2,'title':'t','kind':'max_rating','params':{}}]", "/1/kind" },
		{ "kind missing", "[{'id':1,'title':'t','params':{}}]", "/0/kind" },
		{ "id missing", "[{'title':'t','kind':'no_pending_case','params':{}}]", "/0/id" },
		{ "id zero", "[{'id':0,'title':'t','kind':'no_pending_case','params':{}}]",
		  "/0/id" },
		{ "title with a capital",
		  "[{'id':1,'title':'Lao','kind':'no_pending_case','params':{}}]", "/0/title" },
		{ "title of 61 letters",
		  "[{'id':1,'title':'"
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',"
		  "'kind':'no_pending_case','params':{}}]",
		  "/0/title" },
		{ "params not an object", ONE("no_pending_case", "[]"), "/0/params" },
		{ "params missing", "[{'id':1,'title':'t','kind':'no_pending_case'}]",
		  "/0/params" },
		{ "Decree 91 months missing",
		  "[" OK_RULE ",{'id':2,'title':'t','kind':'min_service_months','params':{}}]",
		  "/1/params/months" },
		{ "months 121", ONE("min_service_months", "{'months':121}"), "/0/params/months" },
		{ "months 0", ONE("min_service_months", "{'months':0}"), "/0/params/months" },
		{ "months as text", ONE("min_service_months", "{'months':'10'}"),
		  "/0/params/months" },
		{ "months as 10.0", ONE("min_service_months", "{'months':10.0}"),
		  "/0/params/months" },
		{ "months null is missing", ONE("min_service_months", "{'months':null}"),
		  "/0/params/months" },
		{ "unknown params member", ONE("min_service_months", "{'monts':10}"),
		  "/0/params/monts" },
		{ "unknown member, escaped", ONE("no_pending_case", "{'a/b~c':1}"),
		  "/0/params/a~1b~0c" },
		{ "a param of another kind", ONE("min_rating", "{'rating':'good','months':3}"),
		  "/0/params/months" },
		{ "unknown leave kind",
		  ONE("max_absence_months",
		      "{'months':3,'counted_as_work':['maternity','holiday']}"),
		  "/0/params/counted_as_work/1" },
		{ "rating unknown", ONE("min_rating", "{'rating':'great'}"), "/0/params/rating" },
		{ "min_form none", ONE("no_discipline", "{'min_form':'none'}"),
		  "/0/params/min_form" },
		{ "percent with three decimals", ONE("quota", "{'of':'x','percent':15.125}"),
		  "/0/params/percent" },
		{ "percent over 100", ONE("quota", "{'of':'x','percent':100.5}"),
		  "/0/params/percent" },
		{ "percent negative", ONE("quota", "{'of':'x','percent':-1}"),
		  "/0/params/percent" },
		{ "quota of a bad code", ONE("quota", "{'of':'X','percent':15}"), "/0/params/of" },
		{ "rounding up", ONE("quota", "{'of':'x','percent':15,'rounding':'up'}"),
		  "/0/params/rounding" },
		{ "member_share of another title",
		  ONE("member_share", "{'title':'" TTLDTT "','percent':70}"), "/0/params/title" },
		{ "strict as text",
		  ONE("member_share", "{'title':'" LDTT "','percent':70,'strict':'yes'}"),
		  "/0/params/strict" },
		{ "members_with_title min 1001",
		  ONE("members_with_title", "{'title':'" CSTDCS "','min':1001}"), "/0/params/min" },
		{ "ending next",
		  ONE("consecutive_title", "{'title':'x','years':3,'ending':'next'}"),
		  "/0/params/ending" },
		{ "years 11", ONE("consecutive_rating", "{'rating':'good','years':11}"),
		  "/0/params/years" },
		{ "initiatives -1",
		  ONE("consecutive_rating", "{'rating':'good','years':2,'initiatives':-1}"),
		  "/0/params/initiatives" },
		{ "window 0", ONE("initiative", "{'window_years':0}"), "/0/params/window_years" },
		{ "no kinds at all", ONE("initiative", "{'kinds':[]}"), "/0/params/kinds" },
		{ "kind of initiative unknown",
		  ONE("initiative", "{'kinds':['initiative','patent']}"), "/0/params/kinds/1" },
		{ "level district", ONE("initiative", "{'level':'district'}"), "/0/params/level" },
		{ "any_of empty", ONE("any_of", "{'of':[]}"), "/0/params/of" },
		{ "any_of of nine",
		  ONE("any_of",
		      "{'of':[" MR "," MR "," MR "," MR "," MR "," MR "," MR "," MR "," MR "]}"),
		  "/0/params/of" },
		{ "any_of inside any_of",
		  ONE("any_of", "{'of':[" MR ",{'kind':'any_of','params':{'of':[" MR "]}}]}"),
		  "/0/params/of/1/kind" },
		{ "any_of holding a collective's kind",
		  ONE("any_of", "{'of':[{'kind':'collective_rating','params':{'rating':'good'}}]}"),
		  "/0/params/of/0/kind" },
		{ "any_of holding a quota",
		  ONE("any_of", "{'of':[{'kind':'quota','params':{'of':'x','percent':1}}]}"),
		  "/0/params/of/0/kind" },
		{ "any_of: a nested param out of range",
		  ONE("any_of",
		      "{'of':[" MR ",{'kind':'min_service_months','params':{'months':200}}]}"),
		  "/0/params/of/1/params/months" },
		{ "any_of: a nested rule with an id",
		  ONE("any_of", "{'of':[{'kind':'no_pending_case','params':{},'id':3}]}"),
		  "/0/params/of/0/id" },
		{ "any_of: a nested rule that is not an object", ONE("any_of", "{'of':['x']}"),
		  "/0/params/of/0" },
		{ "any_of: a nested rule without params",
		  ONE("any_of", "{'of':[{'kind':'no_pending_case'}]}"), "/0/params/of/0/params" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = quoted_json(bad[i].json);
		struct elig_rule_set rs;
		char err[128] = "untouched";
		bool ok = elig_rule_set_from_json(j, &rs, err, sizeof err);
		json_decref(j);
		if (ok) {
			elig_rule_set_free(&rs);
			fail_msg("%s: accepted", bad[i].name);
		}
		if (strcmp(err, bad[i].pointer) != 0)
			fail_msg("%s: points at '%s', not '%s'", bad[i].name, err, bad[i].pointer);
		assert_null(rs.rules);
		assert_null(rs.subs);
	}
	/* the pointer is cut to the buffer, never past it */
	json_t *j = quoted_json(ONE("min_service_months", "{'months':121}"));
	struct elig_rule_set rs;
	char small[5];
	assert_false(elig_rule_set_from_json(j, &rs, small, sizeof small));
	assert_string_equal(small, "/0/p");
	json_decref(j);
}

/* One rule, as an admin would add it: pointers relative to the rule. */
static void test_rule_valid(void **state)
{
	(void)state;
	static const struct {
		const char *kind, *params, *pointer; /* pointer NULL: valid */
	} rules[] = {
		{ "min_service_months", "{'months':121}", "/params/months" },
		{ "min_service_months", "{'months':6}", NULL },
		{ "nope", "{}", "/kind" },
		{ NULL, "{}", "/kind" },
		{ "min_rating", NULL, "/params" },
		{ "no_pending_case", "{}", NULL },
		{ "quota", "{'of':'" LDTT "'}", "/params/percent" },
		{ "any_of", "{'of':[{'kind':'min_rating','params':{'rating':'great'}}]}",
		  "/params/of/0/params/rating" },
		{ "any_of",
		  "{'of':[{'kind':'min_rating','params':{'rating':'excellent'}},"
		  "{'kind':'initiative','params':{'level':'base'}},"
		  "{'kind':'requires_title','params':{'title':'" LDTT "'}}]}",
		  NULL },
		{ "consecutive_title", "{'title':'" CSTDCS "','years':3,'run_min_rating':null}",
		  NULL },
		{ "members_no_discipline", "{'min_form':'warning','strict':true}",
		  "/params/strict" },
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		json_t *params = rules[i].params ? quoted_json(rules[i].params) : NULL;
		char err[128] = "";
		bool ok = elig_rule_valid(rules[i].kind, params, err, sizeof err);
		json_decref(params);
		if (ok != (rules[i].pointer == NULL))
			fail_msg("rule %zu (%s): valid=%d (%s)", i,
				 rules[i].kind ? rules[i].kind : "null", ok, err);
		if (!ok && strcmp(err, rules[i].pointer) != 0)
			fail_msg("rule %zu: points at '%s', not '%s'", i, err, rules[i].pointer);
	}
}

static void test_codes(void **state)
{
	(void)state;
	enum rating r;
	assert_true(rating_parse("not_completed", &r));
	assert_int_equal(r, RATING_NOT_COMPLETED);
	assert_true(rating_parse("excellent", &r));
	assert_int_equal(r, RATING_EXCELLENT);
	assert_false(rating_parse("", &r));
	assert_false(rating_parse("Good", &r));
	assert_string_equal(rating_code(RATING_GOOD), "good");
	assert_string_equal(rating_code(RATING_UNKNOWN), "");
	enum discipline_form f;
	assert_true(discipline_form_parse("salary_demotion", &f));
	assert_int_equal(f, DISC_SALARY_DEMOTION);
	assert_false(discipline_form_parse("", &f));
	assert_true(DISC_REPRIMAND < DISC_WARNING && DISC_WARNING < DISC_DISMISSAL);
	assert_string_equal(discipline_form_code(DISC_DISMISSAL), "dismissal");
	enum leave_kind l;
	assert_true(leave_kind_parse("maternity", &l));
	assert_int_equal(l, LEAVE_MATERNITY);
	assert_false(leave_kind_parse("holiday", &l));
	assert_string_equal(leave_kind_code(LEAVE_UNPAID), "unpaid");
	enum case_kind c;
	assert_true(case_kind_parse("denunciation", &c));
	assert_int_equal(c, CASE_DENUNCIATION);
	assert_string_equal(case_kind_code(CASE_DISCIPLINE_REVIEW), "discipline_review");
	enum initiative_level lv;
	assert_true(initiative_level_parse("national", &lv));
	assert_int_equal(lv, INIT_NATIONAL);
	assert_false(initiative_level_parse("", &lv));
	assert_string_equal(initiative_level_code(INIT_PROVINCE), "province");
	enum initiative_kind ik;
	assert_true(initiative_kind_parse("research", &ik));
	assert_int_equal(ik, INIT_KIND_RESEARCH);
	assert_string_equal(initiative_kind_code(INIT_KIND_INITIATIVE), "initiative");
	enum rule_kind k;
	for (int i = 0; i < RK_COUNT; i++) {
		assert_true(rule_kind_parse(rule_kind_code((enum rule_kind)i), &k));
		assert_int_equal(k, i);
	}
	assert_string_equal(rule_kind_code(RK_MEMBERS_NO_DISCIPLINE), "members_no_discipline");
	assert_string_equal(rule_kind_code(RK_COUNT), "");
	assert_false(rule_kind_parse("", &k));
	assert_string_equal(elig_outcome_code(ELIG_UNKNOWN), "unknown");
	assert_string_equal(elig_verdict_code(VERDICT_NOT_ELIGIBLE), "not_eligible");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_rule_valid),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
