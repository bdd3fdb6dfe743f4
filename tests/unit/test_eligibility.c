/* Unit tests: the eligibility engine (domain/eligibility.c) on rule sets that
 * mirror Decree 91/2017, Decree 98/2023 and Decree 152/2025 (domain.md §1,
 * §2, §9), one row per case, every check asserted with its arguments; and
 * what the parser keeps of such a set.  What it refuses, and the codes of
 * the enumerations: test_eligibility_rules.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/eligibility.h"
#include "quoted_json.h"

/* ---- rule sets: JSON with ' for ", as a rules table would hold them ----- */

/* clang-format off */
#define LDTT "lao_dong_tien_tien"
#define CSTDCS "chien_si_thi_dua_co_so"
#define CSTD_TINH "chien_si_thi_dua_cap_tinh"
#define TTLDTT "tap_the_lao_dong_tien_tien"
#define TTLDXS "tap_the_lao_dong_xuat_sac"
#define RULE(id, title, kind, params) \
	"{'id':" #id ",'title':'" title "','kind':'" kind "','params':" params "}"

/* Law 2003/2013 + Decree 91/2017 + Circular 12/2019 (until 31/12/2023). */
static const char D91[] = "["
	RULE(101, LDTT, "min_rating", "{'rating':'completed'}") ","
	RULE(102, LDTT, "min_service_months", "{'months':10}") ","
	RULE(103, LDTT, "no_discipline", "{'min_form':'reprimand'}") ","
	RULE(104, LDTT, "max_absence_months", "{'months':3,'counted_as_work':['maternity','study']}") ","
	RULE(111, CSTDCS, "requires_title", "{'title':'" LDTT "'}") ","
	RULE(112, CSTDCS, "initiative", "{'kinds':['initiative','research'],'level':'base'}") ","
	RULE(113, CSTDCS, "quota", "{'of':'" LDTT "','percent':15,'rounding':'floor'}") ","
	RULE(121, CSTD_TINH, "consecutive_title", "{'title':'" CSTDCS "','years':3,'ending':'previous'}") ","
	RULE(122, CSTD_TINH, "initiative", "{'level':'base','province_wide':true,'window_years':3}") ","
	RULE(131, TTLDTT, "collective_rating", "{'rating':'completed'}") ","
	RULE(132, TTLDTT, "member_share", "{'title':'" LDTT "','percent':50,'strict':true}") ","
	RULE(133, TTLDTT, "members_no_discipline", "{'min_form':'warning'}") ","
	RULE(141, TTLDXS, "collective_rating", "{'rating':'excellent'}") ","
	RULE(142, TTLDXS, "members_min_rating", "{'rating':'completed'}") ","
	RULE(143, TTLDXS, "member_share", "{'title':'" LDTT "','percent':70}") ","
	RULE(144, TTLDXS, "members_with_title", "{'title':'" CSTDCS "','min':1}") ","
	RULE(145, TTLDXS, "members_no_discipline", "{'min_form':'warning'}")
	"]";

/* Law 06/2022 + Decree 98/2023 + Circular 01/2024 (2024 – 30/06/2025). */
#define NEW_LDTT(a, b, c, d, e) \
	RULE(a, LDTT, "min_rating", "{'rating':'good'}") "," \
	RULE(b, LDTT, "min_service_months", "{'months':6}") "," \
	RULE(c, LDTT, "no_discipline", "{'min_form':'reprimand'}") "," \
	RULE(d, LDTT, "max_absence_months", "{'months':3,'counted_as_work':['maternity','study']}") "," \
	RULE(e, LDTT, "no_pending_case", "{}")
#define NEW_CSTDCS(a, b) \
	RULE(a, CSTDCS, "requires_title", "{'title':'" LDTT "'}") "," \
	RULE(b, CSTDCS, "any_of", "{'of':[{'kind':'min_rating','params':{'rating':'excellent'}}," \
				  "{'kind':'initiative','params':{'level':'base'}}]}")
#define NEW_TTLDTT(a, b, c) \
	RULE(a, TTLDTT, "collective_rating", "{'rating':'good'}") "," \
	RULE(b, TTLDTT, "member_share", "{'title':'" LDTT "','percent':70,'strict':false}") "," \
	RULE(c, TTLDTT, "members_no_discipline", "{'min_form':'warning'}")

static const char D98[] = "["
	NEW_LDTT(201, 202, 203, 204, 205) ","
	NEW_CSTDCS(211, 212) ","
	RULE(221, CSTD_TINH, "consecutive_title", "{'title':'" CSTDCS "','years':3}") ","
	RULE(222, CSTD_TINH, "initiative", "{'level':'base','province_wide':true,'window_years':3}") ","
	NEW_TTLDTT(231, 232, 233)
	"]";

/* Decree 152/2025 (from 01/07/2025): as 98, and Art. 33.7 on every run;
 * the provincial Bằng khen of Law 2022 Art. 74, two of its grounds. */
static const char D152[] = "["
	NEW_LDTT(301, 302, 303, 304, 305) ","
	NEW_CSTDCS(311, 312) ","
	RULE(321, CSTD_TINH, "consecutive_title",
	     "{'title':'" CSTDCS "','years':3,'ending':'previous','run_min_rating':'good'}") ","
	RULE(322, CSTD_TINH, "initiative", "{'level':'base','province_wide':true,'window_years':3}") ","
	NEW_TTLDTT(331, 332, 333) ","
	RULE(341, "bang_khen_chu_tich_tinh", "any_of",
	     "{'of':[{'kind':'consecutive_title','params':{'title':'" CSTDCS "','years':2,"
	     "'run_min_rating':'good'}},{'kind':'consecutive_rating','params':{'rating':'excellent',"
	     "'years':2,'initiatives':2,'level':'base'}}]}")
	"]";

/* Shapes the law does not have yet, or has elsewhere: a run ending the
 * current year, a cycle, a warning-level bar, the collective Bằng khen of
 * Law 2022 Art. 74 (two TTLĐXS or two years "excellent"). */
static const char OTHER[] = "["
	RULE(1, LDTT, "min_rating", "{'rating':'good'}") ","
	RULE(2, CSTDCS, "requires_title", "{'title':'" LDTT "'}") ","
	RULE(3, CSTD_TINH, "consecutive_title", "{'title':'" CSTDCS "','years':3,'ending':'current'}") ","
	RULE(4, "a", "requires_title", "{'title':'b'}") ","
	RULE(5, "b", "requires_title", "{'title':'a'}") ","
	RULE(6, "khong_canh_cao", "no_discipline", "{'min_form':'warning'}") ","
	RULE(7, "bang_khen_tap_the", "any_of",
	     "{'of':[{'kind':'consecutive_rating','params':{'rating':'excellent','years':2}},"
	     "{'kind':'consecutive_title','params':{'title':'" TTLDXS "','years':2}}]}")
	"]";
/* Law 2003 Art. 10.1.b: no registration, no title (the old regime). */
static const char REG[] = "["
	RULE(1, LDTT, "registered", "{}") ","
	RULE(2, CSTDCS, "requires_title", "{'title':'" LDTT "'}") ","
	RULE(3, CSTDCS, "registered", "{}") ","
	RULE(4, TTLDTT, "registered", "{}")
	"]";
/* clang-format on */

static void set_load(const char *text, struct elig_rule_set *rs)
{
	json_t *j = quoted_json(text);
	char err[128] = "";
	if (!elig_rule_set_from_json(j, rs, err, sizeof err))
		fail_msg("rule set refused at %s", err);
	json_decref(j);
}

/* ---- candidates --------------------------------------------------------- */

/* clang-format off */
#define ARRAY(type, field, ...) \
	.field = (const type[]){ __VA_ARGS__ }, \
	.n_##field = sizeof((const type[]){ __VA_ARGS__ }) / sizeof(type)
#define YEARS(...) ARRAY(struct elig_year, years, __VA_ARGS__)
#define DISCS(...) ARRAY(struct elig_discipline, disciplines, __VA_ARGS__)
#define LEAVES(...) ARRAY(struct elig_leave, leaves, __VA_ARGS__)
#define CASES(...) ARRAY(struct elig_case, cases, __VA_ARGS__)
#define INITS(...) ARRAY(struct elig_initiative, initiatives, __VA_ARGS__)
#define AWARDS(...) ARRAY(struct elig_award, awards, __VA_ARGS__)
#define MEMBERS(...) ARRAY(struct elig_member, members, __VA_ARGS__)
#define REGS(...) ARRAY(struct elig_registration, registrations, __VA_ARGS__)
#define PERSON(...) .p = &(const struct elig_person){ __VA_ARGS__ }
#define COLLECTIVE(...) .c = &(const struct elig_collective){ __VA_ARGS__ }
#define STARTED(y, m, d) .has_started_on = true, .started_on = { y, m, d }
#define VETERAN STARTED(2015, 1, 1)
#define NONE { 0, 0, 0 }
#define CLEAN(y) YEARS({ y, RATING_GOOD, 0 })

/* members: rating, ldtt, ldtt_known, cstdcs, worst discipline, discipline known */
#define M_LDTT { RATING_GOOD, true, true, false, DISC_NONE, true }
#define M_NOT { RATING_GOOD, false, true, false, DISC_NONE, true }
#define M_UNSURE { RATING_GOOD, false, false, false, DISC_NONE, true }
#define M_CSTDCS { RATING_EXCELLENT, true, true, true, DISC_NONE, true }
#define M_WARNED { RATING_NOT_COMPLETED, false, true, false, DISC_WARNING, true }
#define M_REPRIMANDED { RATING_NOT_COMPLETED, false, true, false, DISC_REPRIMAND, true }
#define M_DISC_UNKNOWN { RATING_GOOD, true, true, false, DISC_NONE, false }
#define M_FAILED_TASKS { RATING_NOT_COMPLETED, true, true, false, DISC_NONE, true }
#define M_UNRATED { RATING_UNKNOWN, true, true, false, DISC_NONE, true }
#define FIVE(m) m, m, m, m, m

/* ---- expected checks ---------------------------------------------------- */

#define MET(id, depth, code, args) { id, depth, ELIG_MET, code, args }
#define FAILED(id, depth, code, args) { id, depth, ELIG_FAILED, code, args }
#define UNKNOWN(id, depth, code, args) { id, depth, ELIG_UNKNOWN, code, args }

/* The LĐTT rules all met, as listed under a requires_title: each cites
 * its own rule (ids x01..x05 of the set whose requiring rule is top). */
#define LDTT_ID(top, n) ((top) / 100 * 100 + (n))
#define LDTT91_MET(top) \
	MET(LDTT_ID(top, 1), 1, "rating_met", "year=2022 rating=good"), \
	MET(LDTT_ID(top, 2), 1, "service_met", "months=96 required=10"), \
	MET(LDTT_ID(top, 3), 1, "discipline_clear", "min_form=reprimand"), \
	MET(LDTT_ID(top, 4), 1, "absence_met", "days=0 months=3")
#define LDTT98_MET(top) \
	MET(LDTT_ID(top, 1), 1, "rating_met", "year=2024 rating=good"), \
	MET(LDTT_ID(top, 2), 1, "service_met", "months=120 required=6"), \
	MET(LDTT_ID(top, 3), 1, "discipline_clear", "min_form=reprimand"), \
	MET(LDTT_ID(top, 4), 1, "absence_met", "days=0 months=3"), \
	MET(LDTT_ID(top, 5), 1, "case_none", "")
/* clang-format on */

struct want {
	int64_t rule_id;
	int depth;
	enum elig_outcome outcome;
	const char *code;
	const char *args; /* "name=value ...", in order */
};

struct row {
	const char *name;
	const char *rules;
	const char *title;
	int year;
	struct civil_date ref; /* NONE: 15 December of the year */
	const struct elig_person *p; /* one of p and c */
	const struct elig_collective *c;
	enum elig_verdict verdict;
	struct want want[12]; /* ends at the first without a code */
};

static const struct row rows[] = {
	/* ---- LĐTT, Decree 91/2017 ---- */
	{ .name = "Decree 91/2017 Art. 10: recruited 01/03, exactly 10 months: eligible",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(STARTED(2022, 3, 1), CLEAN(2022)),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=10 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: recruited 02/03, 9 months: not eligible",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(STARTED(2022, 3, 2), CLEAN(2022)),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    FAILED(102, 0, "service_short", "months=9 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: recruited 31/01: 11 whole months by 30/12",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(STARTED(2022, 1, 31), CLEAN(2022)),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=11 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: recruited the next year: 0 months",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(STARTED(2023, 1, 1), CLEAN(2022)),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    FAILED(102, 0, "service_short", "months=0 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: recruitment date not recorded: undetermined",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(CLEAN(2022)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    UNKNOWN(102, 0, "service_unknown", "required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91 regime: rated 'completed' is enough (the data says so)",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_COMPLETED, 0 })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=completed"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: a reprimand in force until 31/12/2022: not eligible",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_GOOD, 1 }),
		 DISCS({ DISC_REPRIMAND, { 2021, 7, 1 }, { 2022, 12, 31 } })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    FAILED(103, 0, "discipline_in_force", "form=reprimand min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: a reprimand ended 31/12/2021, 2022 stated clear",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022), DISCS({ DISC_REPRIMAND, { 2021, 1, 1 }, { 2021, 12, 31 } })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: a reprimand ended 31/12/2021, 2022 not stated: "
		  "undetermined, never eligible",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_GOOD, -1 }),
		 DISCS({ DISC_REPRIMAND, { 2021, 1, 1 }, { 2021, 12, 31 } })),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    UNKNOWN(103, 0, "discipline_unknown", "year=2022 min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: stated disciplined with no record: a reprimand at least",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_GOOD, 1 })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    FAILED(103, 0, "discipline_in_force", "form= min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: a warning open since 2020 is in force",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022), DISCS({ DISC_WARNING, { 2020, 5, 1 }, NONE })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    FAILED(103, 0, "discipline_in_force", "form=warning min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 91/2017 Art. 10: a reprimand from 01/01/2023 is not in force in 2022",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022), DISCS({ DISC_REPRIMAND, { 2023, 1, 1 }, NONE })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "no record of the year at all: undetermined, never eligible",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(101, 0, "rating_unknown", "year=2022 required=completed"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    UNKNOWN(103, 0, "discipline_unknown", "year=2022 min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=0 months=3") } },
	{ .name = "Decree 90/2020 as amended: 89 days of unpaid leave are under 3 months",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022), LEAVES({ LEAVE_UNPAID, { 2022, 1, 1 }, { 2022, 3, 30 } })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=89 months=3") } },
	{ .name = "Decree 90/2020 as amended: 90 days of unpaid leave are 3 months",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022), LEAVES({ LEAVE_UNPAID, { 2022, 1, 1 }, { 2022, 3, 31 } })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    FAILED(104, 0, "absence_long", "days=90 months=3") } },
	{ .name = "overlapping unpaid and sick leave count once: 105 days",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022),
		 LEAVES({ LEAVE_UNPAID, { 2022, 1, 1 }, { 2022, 3, 31 } },
			{ LEAVE_SICKNESS, { 2022, 3, 1 }, { 2022, 4, 15 } })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    FAILED(104, 0, "absence_long", "days=105 months=3") } },
	{ .name = "leave across the new year counts only its days in the year: 59",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022),
		 LEAVES({ LEAVE_UNPAID, { 2021, 11, 1 }, { 2022, 2, 28 } },
			{ LEAVE_STUDY, { 2022, 3, 1 }, { 2022, 9, 30 } })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(101, 0, "rating_met", "year=2022 rating=good"),
		    MET(102, 0, "service_met", "months=96 required=10"),
		    MET(103, 0, "discipline_clear", "min_form=reprimand"),
		    MET(104, 0, "absence_met", "days=59 months=3") } },

	/* ---- LĐTT, Decree 98/2023 and 152/2025 ---- */
	{ .name = "Decree 152/2025 Art. 4.5: six months of maternity leave count as work",
	  .rules = D152,
	  .title = LDTT,
	  .year = 2025,
	  PERSON(VETERAN, CLEAN(2025),
		 LEAVES({ LEAVE_MATERNITY, { 2025, 1, 1 }, { 2025, 6, 30 } })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(301, 0, "rating_met", "year=2025 rating=good"),
		    MET(302, 0, "service_met", "months=132 required=6"),
		    MET(303, 0, "discipline_clear", "min_form=reprimand"),
		    MET(304, 0, "absence_met", "days=0 months=3"), MET(305, 0, "case_none", "") } },
	{ .name = "Decree 90/2020 as amended: six months of unpaid leave: not eligible",
	  .rules = D152,
	  .title = LDTT,
	  .year = 2025,
	  PERSON(VETERAN, CLEAN(2025), LEAVES({ LEAVE_UNPAID, { 2025, 1, 1 }, { 2025, 6, 30 } })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(301, 0, "rating_met", "year=2025 rating=good"),
		    MET(302, 0, "service_met", "months=132 required=6"),
		    MET(303, 0, "discipline_clear", "min_form=reprimand"),
		    FAILED(304, 0, "absence_long", "days=181 months=3"),
		    MET(305, 0, "case_none", "") } },
	{ .name = "Circular 01/2024: recruited 01/07, exactly 6 months: eligible",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  PERSON(STARTED(2024, 7, 1), CLEAN(2024)),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(201, 0, "rating_met", "year=2024 rating=good"),
		    MET(202, 0, "service_met", "months=6 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"), MET(205, 0, "case_none", "") } },
	{ .name = "Circular 01/2024: recruited 02/07, 5 months: not eligible",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  PERSON(STARTED(2024, 7, 2), CLEAN(2024)),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(201, 0, "rating_met", "year=2024 rating=good"),
		    FAILED(202, 0, "service_short", "months=5 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"), MET(205, 0, "case_none", "") } },
	{ .name = "Law 2022 Art. 24.1: rated 'completed' is below 'good'",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  PERSON(VETERAN, YEARS({ 2024, RATING_COMPLETED, 0 })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(201, 0, "rating_below", "year=2024 rating=completed required=good"),
		    MET(202, 0, "service_met", "months=120 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"), MET(205, 0, "case_none", "") } },
	{ .name = "Decree 152/2025 Art. 4.4: a complaint pending on the reference date",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  PERSON(VETERAN, CLEAN(2024),
		 CASES({ CASE_INSPECTION, { 2024, 1, 10 }, { 2024, 3, 1 } },
		       { CASE_COMPLAINT, { 2024, 11, 1 }, NONE })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(201, 0, "rating_met", "year=2024 rating=good"),
		    MET(202, 0, "service_met", "months=120 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"),
		    FAILED(205, 0, "case_pending", "kind=complaint") } },
	{ .name = "Decree 152/2025 Art. 4.4: a complaint closed before the reference date",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  PERSON(VETERAN, CLEAN(2024),
		 CASES({ CASE_COMPLAINT, { 2024, 11, 1 }, { 2024, 11, 30 } })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(201, 0, "rating_met", "year=2024 rating=good"),
		    MET(202, 0, "service_met", "months=120 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"), MET(205, 0, "case_none", "") } },
	{ .name = "Decree 152/2025 Art. 4.4: closed on the reference day, opened after it",
	  .rules = D98,
	  .title = LDTT,
	  .year = 2024,
	  .ref = { 2024, 12, 10 },
	  PERSON(VETERAN, CLEAN(2024),
		 CASES({ CASE_DENUNCIATION, { 2024, 6, 1 }, { 2024, 12, 10 } },
		       { CASE_INVESTIGATION, { 2024, 12, 11 }, NONE })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(201, 0, "rating_met", "year=2024 rating=good"),
		    MET(202, 0, "service_met", "months=120 required=6"),
		    MET(203, 0, "discipline_clear", "min_form=reprimand"),
		    MET(204, 0, "absence_met", "days=0 months=3"), MET(205, 0, "case_none", "") } },

	/* ---- CSTĐCS ---- */
	{ .name = "Decree 91/2017 Art. 9.3: LĐTT met now (listed nested) and a base initiative",
	  .rules = D91,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022),
		 INITS({ 7, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2022, 5, 10 }, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(111, 0, "title_met", "title=" LDTT), LDTT91_MET(111),
		    MET(112, 0, "initiative_met", "initiative=7") } },
	{ .name = "Official letter 5007/BNV-TĐKT: an initiative already used does not count",
	  .rules = D91,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022),
		 INITS({ 7, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2022, 5, 10 }, true })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(111, 0, "title_met", "title=" LDTT), LDTT91_MET(111),
		    FAILED(112, 0, "initiative_missing", "level=base") } },
	{ .name = "Decree 91/2017 Art. 9.3: an initiative of 2021 is not of the year",
	  .rules = D91,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022),
		 INITS({ 7, INIT_KIND_INITIATIVE, INIT_NATIONAL, true, { 2021, 12, 31 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(111, 0, "title_met", "title=" LDTT), LDTT91_MET(111),
		    FAILED(112, 0, "initiative_missing", "level=base") } },
	{ .name = "Decree 91/2017 Art. 9.3: LĐTT awarded, accepted research: nothing nested",
	  .rules = D91,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(AWARDS({ LDTT, 2022, false }),
		 INITS({ 8, INIT_KIND_RESEARCH, INIT_PROVINCE, false, { 2022, 1, 1 }, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(111, 0, "title_awarded", "title=" LDTT " year=2022"),
		    MET(112, 0, "initiative_met", "initiative=8") } },
	{ .name = "LĐTT undetermined: CSTĐCS undetermined",
	  .rules = D91,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_GOOD, -1 }),
		 INITS({ 7, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2022, 5, 10 }, false })),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(111, 0, "title_unknown", "title=" LDTT),
		    MET(101, 1, "rating_met", "year=2022 rating=good"),
		    MET(102, 1, "service_met", "months=96 required=10"),
		    UNKNOWN(103, 1, "discipline_unknown", "year=2022 min_form=reprimand"),
		    MET(104, 1, "absence_met", "days=0 months=3"),
		    MET(112, 0, "initiative_met", "initiative=7") } },
	{ .name = "Law 2022 Art. 23: no alternative holds, each one listed",
	  .rules = D98,
	  .title = CSTDCS,
	  .year = 2024,
	  PERSON(VETERAN, CLEAN(2024),
		 INITS({ 7, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2024, 5, 10 }, true })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(211, 0, "title_met", "title=" LDTT), LDTT98_MET(211),
		    FAILED(212, 0, "any_failed", ""),
		    FAILED(212, 1, "rating_below", "year=2024 rating=good required=excellent"),
		    FAILED(212, 1, "initiative_missing", "level=base") } },
	{ .name = "Law 2022 Art. 23: rated 'excellent', no initiative needed",
	  .rules = D98,
	  .title = CSTDCS,
	  .year = 2024,
	  PERSON(VETERAN, YEARS({ 2024, RATING_EXCELLENT, 0 })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(211, 0, "title_met", "title=" LDTT),
		    MET(201, 1, "rating_met", "year=2024 rating=excellent"),
		    MET(202, 1, "service_met", "months=120 required=6"),
		    MET(203, 1, "discipline_clear", "min_form=reprimand"),
		    MET(204, 1, "absence_met", "days=0 months=3"), MET(205, 1, "case_none", ""),
		    MET(212, 0, "any_met", ""),
		    MET(212, 1, "rating_met", "year=2024 rating=excellent"),
		    FAILED(212, 1, "initiative_missing", "level=base") } },

	/* ---- provincial CSTĐ: runs of years ---- */
	{ .name = "Law 2003 Art. 22: CSTĐCS 2019-2021 and an initiative replicable province-wide",
	  .rules = D91,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(AWARDS({ CSTDCS, 2021, false }, { CSTDCS, 2019, false }, { CSTDCS, 2020, false }),
		 INITS({ 9, INIT_KIND_INITIATIVE, INIT_BASE, true, { 2021, 6, 1 }, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(121, 0, "run_met", "title=" CSTDCS " years=3"),
		    MET(122, 0, "initiative_met", "initiative=9") } },
	{ .name = "Law 2003 Art. 22: a gap in 2020 breaks the run",
	  .rules = D91,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(AWARDS({ CSTDCS, 2019, false }, { CSTDCS, 2021, false }, { CSTDCS, 2022, false }),
		 INITS({ 9, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2021, 6, 1 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(121, 0, "run_broken", "title=" CSTDCS " years=3 year=2020"),
		    FAILED(122, 0, "initiative_missing", "level=base") } },
	{ .name = "Decree 152/2025 Art. 4.3: an ad hoc CSTĐCS in 2020 does not count",
	  .rules = D91,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(AWARDS({ CSTDCS, 2019, false }, { CSTDCS, 2020, true }, { CSTDCS, 2021, false }),
		 INITS({ 9, INIT_KIND_RESEARCH, INIT_PROVINCE, true, { 2020, 6, 1 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(121, 0, "run_broken", "title=" CSTDCS " years=3 year=2020"),
		    MET(122, 0, "initiative_met", "initiative=9") } },
	{ .name = "Decree 152/2025 Art. 33.7: every year of the run rated 'good' or better",
	  .rules = D152,
	  .title = CSTD_TINH,
	  .year = 2025,
	  PERSON(AWARDS({ CSTDCS, 2022, false }, { CSTDCS, 2023, false }, { CSTDCS, 2024, false }),
		 YEARS({ 2022, RATING_GOOD, 0 }, { 2023, RATING_EXCELLENT, 0 },
		       { 2024, RATING_GOOD, 0 }),
		 INITS({ 9, INIT_KIND_INITIATIVE, INIT_BASE, true, { 2024, 6, 1 }, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(321, 0, "run_met", "title=" CSTDCS " years=3"),
		    MET(322, 0, "initiative_met", "initiative=9") } },
	{ .name = "Decree 152/2025 Art. 33.7: 2023 rated 'completed' breaks the run",
	  .rules = D152,
	  .title = CSTD_TINH,
	  .year = 2025,
	  PERSON(AWARDS({ CSTDCS, 2022, false }, { CSTDCS, 2023, false }, { CSTDCS, 2024, false }),
		 YEARS({ 2022, RATING_GOOD, 0 }, { 2023, RATING_COMPLETED, 0 },
		       { 2024, RATING_EXCELLENT, 0 }),
		 INITS({ 9, INIT_KIND_INITIATIVE, INIT_BASE, true, { 2024, 6, 1 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(321, 0, "run_rating_below", "year=2023 rating=completed required=good"),
		    MET(322, 0, "initiative_met", "initiative=9") } },
	{ .name = "Decree 152/2025 Art. 33.7: 2023 not rated: undetermined",
	  .rules = D152,
	  .title = CSTD_TINH,
	  .year = 2025,
	  PERSON(AWARDS({ CSTDCS, 2022, false }, { CSTDCS, 2023, false }, { CSTDCS, 2024, false }),
		 YEARS({ 2022, RATING_GOOD, 0 }, { 2024, RATING_EXCELLENT, 0 }),
		 INITS({ 9, INIT_KIND_INITIATIVE, INIT_BASE, true, { 2024, 6, 1 }, false })),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(321, 0, "run_unknown", "years=3 year=2023"),
		    MET(322, 0, "initiative_met", "initiative=9") } },
	{ .name = "run ending the current year: CSTĐCS met now completes it, nothing nested",
	  .rules = OTHER,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(CLEAN(2022), AWARDS({ CSTDCS, 2020, false }, { CSTDCS, 2021, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(3, 0, "run_met", "title=" CSTDCS " years=3") } },
	{ .name = "run ending the current year: the current year undetermined",
	  .rules = OTHER,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(AWARDS({ CSTDCS, 2020, false }, { CSTDCS, 2021, false })),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(3, 0, "run_unknown", "years=3 year=2022") } },
	{ .name = "run ending the current year: the current year not met",
	  .rules = OTHER,
	  .title = CSTD_TINH,
	  .year = 2022,
	  PERSON(YEARS({ 2022, RATING_COMPLETED, 0 }),
		 AWARDS({ CSTDCS, 2020, false }, { CSTDCS, 2021, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(3, 0, "run_broken", "title=" CSTDCS " years=3 year=2022") } },

	/* ---- provincial Bằng khen: consecutive ratings with initiatives ---- */
	{ .name = "Law 2022 Art. 74: two years 'excellent' with two base initiatives",
	  .rules = D152,
	  .title = "bang_khen_chu_tich_tinh",
	  .year = 2025,
	  PERSON(YEARS({ 2023, RATING_EXCELLENT, 0 }, { 2024, RATING_EXCELLENT, 0 }),
		 INITS({ 1, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2023, 3, 1 }, false },
		       { 2, INIT_KIND_RESEARCH, INIT_BASE, false, { 2024, 3, 1 }, false })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(341, 0, "any_met", ""),
		    FAILED(341, 1, "run_broken", "title=" CSTDCS " years=2 year=2023"),
		    MET(341, 1, "run_met", "rating=excellent years=2") } },
	{ .name = "Law 2022 Art. 74: one of the two initiatives already used",
	  .rules = D152,
	  .title = "bang_khen_chu_tich_tinh",
	  .year = 2025,
	  PERSON(YEARS({ 2023, RATING_EXCELLENT, 0 }, { 2024, RATING_EXCELLENT, 0 }),
		 INITS({ 1, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2023, 3, 1 }, false },
		       { 2, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2024, 3, 1 }, true },
		       { 3, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2025, 3, 1 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(341, 0, "any_failed", ""),
		    FAILED(341, 1, "run_broken", "title=" CSTDCS " years=2 year=2023"),
		    FAILED(341, 1, "initiatives_short", "count=1 required=2") } },
	{ .name = "Law 2022 Art. 74: 2023 rated 'good' breaks a run of 'excellent'",
	  .rules = D152,
	  .title = "bang_khen_chu_tich_tinh",
	  .year = 2025,
	  PERSON(YEARS({ 2023, RATING_GOOD, 0 }, { 2024, RATING_EXCELLENT, 0 }),
		 AWARDS({ CSTDCS, 2023, false }),
		 INITS({ 1, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2023, 3, 1 }, false },
		       { 2, INIT_KIND_INITIATIVE, INIT_BASE, false, { 2024, 3, 1 }, false })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(341, 0, "any_failed", ""),
		    FAILED(341, 1, "run_broken", "title=" CSTDCS " years=2 year=2024"),
		    FAILED(341, 1, "run_broken", "rating=excellent years=2 year=2023") } },

	/* ---- the engine's own cases ---- */
	{ .name = "a title with no rules: undetermined",
	  .rules = D98,
	  .title = "huan_chuong_lao_dong",
	  .year = 2024,
	  PERSON(VETERAN, CLEAN(2024)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(0, 0, "no_rules", "title=huan_chuong_lao_dong") } },
	{ .name = "a person against a collective's title: kind_mismatch",
	  .rules = D91,
	  .title = TTLDTT,
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(131, 0, "kind_mismatch", ""), UNKNOWN(132, 0, "kind_mismatch", ""),
		    UNKNOWN(133, 0, "kind_mismatch", "") } },
	{ .name = "a requires b requires a: stops at the depth guard",
	  .rules = OTHER,
	  .title = "a",
	  .year = 2022,
	  PERSON(VETERAN, CLEAN(2022)),
	  .verdict = VERDICT_UNDETERMINED,
	  /* each nested check cites its own rule: 4 (a needs b), 5 (b needs a) */
	  .want = { UNKNOWN(4, 0, "title_unknown", "title=b"),
		    UNKNOWN(5, 1, "title_unknown", "title=a"),
		    UNKNOWN(4, 2, "title_unknown", "title=b"),
		    UNKNOWN(5, 3, "title_unknown", "title=a"),
		    UNKNOWN(4, 4, "title_unknown", "title=b") } },
	{ .name = "warning-level bar, stated disciplined without a record: unknown",
	  .rules = OTHER,
	  .title = "khong_canh_cao",
	  .year = 2022,
	  PERSON(VETERAN, YEARS({ 2022, RATING_GOOD, 1 })),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(6, 0, "discipline_unknown", "year=2022 min_form=warning") } },

	/* ---- collectives ---- */
	{ .name = "Law 2003 Art. 28: exactly 50 % LĐTT is not 'more than 50 %'",
	  .rules = D91,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_GOOD, MEMBERS(FIVE(M_LDTT), FIVE(M_NOT))),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(131, 0, "collective_rating_met", "rating=good"),
		    FAILED(132, 0, "share_below", "count=5 members=10 percent_centi=5000"),
		    MET(133, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2003 Art. 28: 6 of 10 LĐTT",
	  .rules = D91,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_COMPLETED,
		     MEMBERS(FIVE(M_LDTT), M_LDTT, M_NOT, M_NOT, M_REPRIMANDED, M_NOT)),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(131, 0, "collective_rating_met", "rating=completed"),
		    MET(132, 0, "share_met", "count=6 members=10 percent_centi=5000"),
		    MET(133, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2003 Art. 28: a member under a warning",
	  .rules = D91,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_GOOD,
		     MEMBERS(FIVE(M_LDTT), M_LDTT, M_NOT, M_NOT, M_WARNED, M_DISC_UNKNOWN)),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(131, 0, "collective_rating_met", "rating=good"),
		    MET(132, 0, "share_met", "count=7 members=10 percent_centi=5000"),
		    FAILED(133, 0, "members_disciplined", "count=1 min_form=warning") } },
	{ .name = "Law 2003 Art. 28: a member's discipline not known; the unit not rated",
	  .rules = D91,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(MEMBERS(FIVE(M_LDTT), M_LDTT, M_NOT, M_NOT, M_NOT, M_DISC_UNKNOWN)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(131, 0, "collective_rating_unknown", "required=completed"),
		    MET(132, 0, "share_met", "count=7 members=10 percent_centi=5000"),
		    UNKNOWN(133, 0, "members_discipline_unknown", "count=1") } },
	{ .name = "Law 2022 (TTLĐTT): exactly 70 % LĐTT is 'at least 70 %'",
	  .rules = D98,
	  .title = TTLDTT,
	  .year = 2024,
	  COLLECTIVE(.rating = RATING_GOOD,
		     MEMBERS(FIVE(M_LDTT), M_LDTT, M_LDTT, M_NOT, M_NOT, M_NOT)),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(231, 0, "collective_rating_met", "rating=good"),
		    MET(232, 0, "share_met", "count=7 members=10 percent_centi=7000"),
		    MET(233, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2022 (TTLĐTT): 6 of 10 known, 2 undetermined: undetermined",
	  .rules = D98,
	  .title = TTLDTT,
	  .year = 2024,
	  COLLECTIVE(.rating = RATING_GOOD,
		     MEMBERS(FIVE(M_LDTT), M_LDTT, M_UNSURE, M_UNSURE, M_NOT, M_NOT)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(231, 0, "collective_rating_met", "rating=good"),
		    UNKNOWN(232, 0, "share_unknown", "members=10"),
		    MET(233, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2022 (TTLĐTT): 4 known and 2 undetermined cannot reach 70 %",
	  .rules = D98,
	  .title = TTLDTT,
	  .year = 2024,
	  COLLECTIVE(.rating = RATING_COMPLETED,
		     MEMBERS(M_LDTT, M_LDTT, M_LDTT, M_LDTT, M_UNSURE, M_UNSURE, FIVE(M_NOT))),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(231, 0, "collective_rating_below", "rating=completed required=good"),
		    FAILED(232, 0, "share_below", "count=4 members=11 percent_centi=7000"),
		    MET(233, 0, "members_discipline_clear", "") } },
	{ .name = "a collective without members: the share is undetermined",
	  .rules = D98,
	  .title = TTLDTT,
	  .year = 2024,
	  COLLECTIVE(.rating = RATING_EXCELLENT),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(231, 0, "collective_rating_met", "rating=excellent"),
		    UNKNOWN(232, 0, "share_unknown", "members=0"),
		    MET(233, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2003 Art. 27 (TTLĐXS): a member not completed, no CSTĐCS",
	  .rules = D91,
	  .title = TTLDXS,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_EXCELLENT,
		     MEMBERS(FIVE(M_LDTT), FIVE(M_LDTT), M_FAILED_TASKS)),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(141, 0, "collective_rating_met", "rating=excellent"),
		    FAILED(142, 0, "members_rated_below", "count=1 required=completed"),
		    MET(143, 0, "share_met", "count=11 members=11 percent_centi=7000"),
		    FAILED(144, 0, "members_title_below", "count=0 min=1"),
		    MET(145, 0, "members_discipline_clear", "") } },
	{ .name = "Law 2003 Art. 27 (TTLĐXS): one CSTĐCS, one member not rated yet",
	  .rules = D91,
	  .title = TTLDXS,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_EXCELLENT, MEMBERS(FIVE(M_LDTT), M_CSTDCS, M_UNRATED)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(141, 0, "collective_rating_met", "rating=excellent"),
		    UNKNOWN(142, 0, "members_rated_unknown", "count=1"),
		    MET(143, 0, "share_met", "count=7 members=7 percent_centi=7000"),
		    MET(144, 0, "members_title_met", ""),
		    MET(145, 0, "members_discipline_clear", "") } },
	{ .name = "TTLĐXS: the only CSTĐCS candidate undetermined",
	  .rules = D91,
	  .title = TTLDXS,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_EXCELLENT, MEMBERS(FIVE(M_LDTT), M_UNSURE)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { MET(141, 0, "collective_rating_met", "rating=excellent"),
		    MET(142, 0, "members_rated_met", ""),
		    MET(143, 0, "share_met", "count=5 members=6 percent_centi=7000"),
		    UNKNOWN(144, 0, "members_title_unknown", ""),
		    MET(145, 0, "members_discipline_clear", "") } },
	{ .name = "a collective against LĐTT: kind_mismatch",
	  .rules = D91,
	  .title = LDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_GOOD, MEMBERS(M_LDTT)),
	  .verdict = VERDICT_UNDETERMINED,
	  .want = { UNKNOWN(101, 0, "kind_mismatch", ""), UNKNOWN(102, 0, "kind_mismatch", ""),
		    UNKNOWN(103, 0, "kind_mismatch", ""), UNKNOWN(104, 0, "kind_mismatch", "") } },
	{ .name = "Law 2022 Art. 74: collective Bằng khen on TTLĐXS 2023 and 2024",
	  .rules = OTHER,
	  .title = "bang_khen_tap_the",
	  .year = 2025,
	  COLLECTIVE(.rating = RATING_GOOD,
		     AWARDS({ TTLDXS, 2023, false }, { TTLDXS, 2024, false }),
		     YEARS({ 2023, RATING_GOOD, -1 }, { 2024, RATING_EXCELLENT, -1 })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(7, 0, "any_met", ""),
		    FAILED(7, 1, "run_broken", "rating=excellent years=2 year=2023"),
		    MET(7, 1, "run_met", "title=" TTLDXS " years=2") } },
	{ .name = "Law 2003 Art. 10.1.b: registered for LĐTT in the year",
	  .rules = REG,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, REGS({ 2021, CSTDCS }, { 2022, LDTT })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(1, 0, "registered", "year=2022 title=" LDTT) } },
	{ .name = "Law 2003 Art. 10.1.b: a CSTĐCS registration covers the LĐTT it needs",
	  .rules = REG,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, REGS({ 2022, CSTDCS })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(1, 0, "registered", "year=2022 title=" CSTDCS) } },
	{ .name = "Law 2003 Art. 10.1.b: registered the year before only",
	  .rules = REG,
	  .title = LDTT,
	  .year = 2022,
	  PERSON(VETERAN, REGS({ 2021, LDTT })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(1, 0, "not_registered", "year=2022 title=" LDTT) } },
	{ .name = "Law 2003 Art. 10.1.b: an LĐTT registration does not cover CSTĐCS",
	  .rules = REG,
	  .title = CSTDCS,
	  .year = 2022,
	  PERSON(VETERAN, REGS({ 2022, LDTT })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { MET(2, 0, "title_met", "title=" LDTT),
		    MET(1, 1, "registered", "year=2022 title=" LDTT),
		    FAILED(3, 0, "not_registered", "year=2022 title=" CSTDCS) } },
	{ .name = "Law 2003 Art. 10.1.b: a unit registered for its collective title",
	  .rules = REG,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_GOOD, REGS({ 2022, TTLDTT })),
	  .verdict = VERDICT_ELIGIBLE,
	  .want = { MET(4, 0, "registered", "year=2022 title=" TTLDTT) } },
	{ .name = "Law 2003 Art. 10.1.b: a unit whose registration names other titles",
	  .rules = REG,
	  .title = TTLDTT,
	  .year = 2022,
	  COLLECTIVE(.rating = RATING_GOOD, REGS({ 2021, TTLDTT }, { 2022, TTLDXS })),
	  .verdict = VERDICT_NOT_ELIGIBLE,
	  .want = { FAILED(4, 0, "not_registered", "year=2022 title=" TTLDTT) } },
};

/* "name=value name=value" of a check's arguments. */
static void args_text(const struct elig_check *ck, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ck->n_args && used < n; i++) {
		const struct elig_arg *a = &ck->args[i];
		int w = a->is_text ? snprintf(out + used, n - used, "%s%s=%s", i ? " " : "",
					      a->name, a->text)
				   : snprintf(out + used, n - used, "%s%s=%" PRId64, i ? " " : "",
					      a->name, a->n);
		used += w > 0 ? (size_t)w : 0;
	}
}

static void dump(const struct elig_result *res)
{
	print_message("  verdict %s, %zu checks%s\n", elig_verdict_code(res->verdict),
		      res->n_checks, res->truncated ? " (truncated)" : "");
	for (size_t i = 0; i < res->n_checks; i++) {
		char args[256];
		args_text(&res->checks[i], args, sizeof args);
		print_message("  %" PRId64 " depth %d %s %s %s\n", res->checks[i].rule_id,
			      res->checks[i].depth, elig_outcome_code(res->checks[i].outcome),
			      res->checks[i].code, args);
	}
}

static bool check_is(const struct elig_check *ck, const struct want *w)
{
	char args[256];
	args_text(ck, args, sizeof args);
	return ck->rule_id == w->rule_id && ck->depth == w->depth && ck->outcome == w->outcome &&
	       strcmp(ck->code, w->code) == 0 && strcmp(args, w->args) == 0;
}

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct elig_rule_set rs;
		set_load(r->rules, &rs);
		struct civil_date ref =
			r->ref.year ? r->ref : (struct civil_date){ r->year, 12, 15 };
		struct elig_result res;
		if (r->p != NULL)
			elig_evaluate_person(&rs, r->title, r->year, ref, r->p, &res);
		else
			elig_evaluate_collective(&rs, r->title, r->year, ref, r->c, &res);
		size_t n = 0;
		while (n < sizeof r->want / sizeof r->want[0] && r->want[n].code != NULL)
			n++;
		bool ok = res.verdict == r->verdict && res.n_checks == n && !res.truncated;
		for (size_t k = 0; ok && k < n; k++)
			ok = check_is(&res.checks[k], &r->want[k]);
		elig_rule_set_free(&rs);
		if (!ok) {
			dump(&res);
			fail_msg("%s: want %s with %zu checks", r->name,
				 elig_verdict_code(r->verdict), n);
		}
	}
}

/* More checks than the list holds: the verdict still reads every rule. */
static void test_truncated(void **state)
{
	(void)state;
	char text[8192] = "[";
	size_t used = 1;
	for (int i = 1; i <= 50; i++)
		used += (size_t)snprintf(
			text + used, sizeof text - used,
			"{'id':%d,'title':'t','kind':'no_pending_case','params':{}},", i);
	snprintf(text + used, sizeof text - used,
		 "{'id':51,'title':'t','kind':'min_rating','params':{'rating':'good'}}]");
	struct elig_rule_set rs;
	set_load(text, &rs);
	const struct elig_person p = {
		.years = (const struct elig_year[]){ { 2024, RATING_COMPLETED, 0 } }, .n_years = 1
	};
	struct elig_result res;
	elig_evaluate_person(&rs, "t", 2024, (struct civil_date){ 2024, 12, 15 }, &p, &res);
	assert_int_equal(res.n_checks, ELIG_MAX_CHECKS);
	assert_true(res.truncated);
	assert_int_equal(res.verdict, VERDICT_NOT_ELIGIBLE);
	assert_string_equal(res.checks[ELIG_MAX_CHECKS - 1].code, "case_none");
	elig_rule_set_free(&rs);
}

/* Decree 91/2017 Art. 9.3: CSTĐCS ≤ 15 % of LĐTT; domain.md §2 on rounding. */
static void test_quota(void **state)
{
	(void)state;
	struct elig_rule_set rs;
	set_load(D91, &rs);
	const struct elig_rule *q = NULL;
	assert_true(elig_quota_of(&rs, CSTDCS, &q));
	assert_non_null(q);
	assert_int_equal(q->id, 113);
	assert_string_equal(q->other_title, LDTT);
	assert_int_equal(q->percent_centi, 1500);
	struct elig_rule r = *q;
	static const struct {
		const char *name;
		enum target_rounding rounding;
		int64_t base, ceiling;
	} cases[] = {
		{ "33 LĐTT, floor: 4.95 allows 4 (the literal 'không quá')", ROUND_FLOOR, 33, 4 },
		{ "33 LĐTT, nearest: 5 (the school page of domain.md §2)", ROUND_NEAREST, 33, 5 },
		{ "33 LĐTT, ceil: 5", ROUND_CEIL, 33, 5 },
		{ "no LĐTT: no CSTĐCS", ROUND_FLOOR, 0, 0 },
		{ "no LĐTT, ceil: still none", ROUND_CEIL, 0, 0 },
		{ "20 LĐTT: exactly 3", ROUND_FLOOR, 20, 3 },
		{ "20 LĐTT, ceil: exactly 3", ROUND_CEIL, 20, 3 },
		{ "100 LĐTT: 15", ROUND_FLOOR, 100, 15 },
		{ "a negative base is none", ROUND_CEIL, -5, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r.rounding = cases[i].rounding;
		if (elig_quota_ceiling(&r, cases[i].base) != cases[i].ceiling)
			fail_msg("%s: got %" PRId64, cases[i].name,
				 elig_quota_ceiling(&r, cases[i].base));
	}
	assert_int_equal(elig_quota_ceiling(NULL, 33), 0);
	assert_false(elig_quota_of(&rs, LDTT, NULL));
	elig_rule_set_free(&rs);
	/* Decree 98/2023 and 152/2025 set no CSTĐCS cap */
	set_load(D98, &rs);
	assert_false(elig_quota_of(&rs, CSTDCS, &q));
	elig_rule_set_free(&rs);
}

/* What the parser keeps, and its defaults. */
static void test_parsed(void **state)
{
	(void)state;
	struct elig_rule_set rs;
	set_load(D98, &rs);
	assert_int_equal(rs.n_rules, 12);
	assert_int_equal(rs.n_subs, 2);
	assert_true(elig_rule_set_has_title(&rs, CSTDCS));
	assert_false(elig_rule_set_has_title(&rs, TTLDXS));
	const struct elig_rule *any = &rs.rules[6];
	assert_int_equal(any->id, 212);
	assert_int_equal(any->kind, RK_ANY_OF);
	assert_int_equal(any->first_sub, 0);
	assert_int_equal(any->n_sub, 2);
	assert_int_equal(rs.subs[0].id, 0);
	assert_string_equal(rs.subs[0].title, CSTDCS);
	assert_int_equal(rs.subs[0].kind, RK_MIN_RATING);
	assert_int_equal(rs.subs[0].rating, RATING_EXCELLENT);
	assert_int_equal(rs.subs[1].kind, RK_INITIATIVE);
	assert_int_equal(rs.subs[1].kinds_mask, 3);
	assert_int_equal(rs.subs[1].level, INIT_BASE);
	assert_int_equal(rs.subs[1].window_years, 1);
	assert_false(rs.subs[1].province_wide);
	const struct elig_rule *absence = &rs.rules[3];
	assert_int_equal(absence->kinds_mask, LEAVE_BIT(LEAVE_MATERNITY) | LEAVE_BIT(LEAVE_STUDY));
	assert_int_equal(absence->months, 3);
	const struct elig_rule *run = &rs.rules[7];
	assert_int_equal(run->kind, RK_CONSECUTIVE_TITLE);
	assert_false(run->ending_current);
	assert_int_equal(run->run_min_rating, RATING_UNKNOWN);
	assert_int_equal(rs.rules[10].percent_centi, 7000);
	assert_false(rs.rules[10].strict);
	elig_rule_set_free(&rs);
	assert_null(rs.rules);

	static const struct {
		const char *percent;
		int64_t centi;
	} percents[] = { { "15", 1500 },   { "15.25", 1525 }, { "33.33", 3333 }, { "0.01", 1 },
			 { "70.0", 7000 }, { "0", 0 },	      { "100", 10000 } };
	for (size_t i = 0; i < sizeof percents / sizeof percents[0]; i++) {
		char text[256];
		snprintf(text, sizeof text,
			 "[{'id':1,'title':'t','kind':'quota','source':'Decree 91/2017 Art. 9.3',"
			 "'params':{'of':'x','percent':%s,'rounding':'nearest'}}]",
			 percents[i].percent);
		set_load(text, &rs);
		assert_int_equal(rs.rules[0].percent_centi, percents[i].centi);
		assert_int_equal(rs.rules[0].rounding, ROUND_NEAREST);
		elig_rule_set_free(&rs);
	}
	set_load("[]", &rs);
	assert_int_equal(rs.n_rules, 0);
	elig_rule_set_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_quota),
		cmocka_unit_test(test_parsed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
