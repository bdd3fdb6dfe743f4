/*
 * eligibility.h — the eligibility engine: does a candidate meet the
 * conditions of a title or form of commendation under a rule set, and why.
 *
 * The law is data (db/migrations/0011_year_end.sql, table rules): a rule
 * set is a list of rules, each belonging to one title or form and of one
 * kind this engine knows how to apply, with its parameters (a 10-month or
 * 6-month service bar, a 50 % or 70 % share, ...).  The next amendment of
 * the law changes rows, not this code, unless it invents a new kind of
 * condition.
 *
 * The engine is pure: no I/O, no allocation beyond the rule set it parses.
 * Given a candidate's facts and the reference date, it applies every rule
 * of the title and reports one check per rule — met, failed or unknown
 * (the facts needed are not recorded) — never stopping at the first
 * failure.  The verdict is "eligible" when every check is met, "not
 * eligible" when any failed, "undetermined" when none failed but some
 * could not be decided: no record is never read as compliance.
 *
 * Checks carry a stable code and named arguments; the api layer turns them
 * into sentences (service/answers/answers.def, section "eligibility") and
 * cites the rule's legal source by its id.
 */
#ifndef THIDUA_DOMAIN_ELIGIBILITY_H
#define THIDUA_DOMAIN_ELIGIBILITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "domain/targets.h"

/* The yearly rating of a civil servant (Decree 90/2020 as amended by
 * Decree 48/2023), ordered; RATING_UNKNOWN: none recorded. */
enum rating {
	RATING_UNKNOWN = 0,
	RATING_NOT_COMPLETED, /* "not_completed": không hoàn thành nhiệm vụ */
	RATING_COMPLETED, /* "completed": hoàn thành nhiệm vụ */
	RATING_GOOD, /* "good": hoàn thành tốt nhiệm vụ */
	RATING_EXCELLENT, /* "excellent": hoàn thành xuất sắc nhiệm vụ */
};

/* Disciplinary forms, lightest first (Law on Cadres and Civil Servants
 * Art. 79, Law on Public Employees Art. 52). */
enum discipline_form {
	DISC_NONE = 0,
	DISC_REPRIMAND, /* "reprimand": khiển trách */
	DISC_WARNING, /* "warning": cảnh cáo */
	DISC_SALARY_DEMOTION, /* "salary_demotion": hạ bậc lương */
	DISC_DEMOTION, /* "demotion": giáng chức */
	DISC_REMOVAL, /* "removal": cách chức */
	DISC_DISMISSAL, /* "dismissal": buộc thôi việc */
};

enum leave_kind {
	LEAVE_MATERNITY,
	LEAVE_SICKNESS,
	LEAVE_STUDY,
	LEAVE_UNPAID,
	LEAVE_OTHER,
	LEAVE_KIND_COUNT
};
#define LEAVE_BIT(k) (1u << (unsigned)(k))

/* Cases that block an award while they are looked into (Decree 152
 * Art. 4.4): "discipline_review", "investigation", "inspection",
 * "complaint", "denunciation". */
enum case_kind {
	CASE_DISCIPLINE_REVIEW,
	CASE_INVESTIGATION,
	CASE_INSPECTION,
	CASE_COMPLAINT,
	CASE_DENUNCIATION
};

/* The level of the body that recognised an initiative or accepted a
 * research work: "base" (cơ sở), "province", "national". */
enum initiative_level { INIT_BASE = 1, INIT_PROVINCE, INIT_NATIONAL };
enum initiative_kind { INIT_KIND_INITIATIVE, INIT_KIND_RESEARCH };

#define ELIG_CODE_LEN 64 /* title and form codes: ^[a-z_]{1,60}$ */

bool rating_parse(const char *s, enum rating *out);
const char *rating_code(enum rating r); /* "" for RATING_UNKNOWN */
bool discipline_form_parse(const char *s, enum discipline_form *out);
const char *discipline_form_code(enum discipline_form f);
bool leave_kind_parse(const char *s, enum leave_kind *out);
const char *leave_kind_code(enum leave_kind k);
bool case_kind_parse(const char *s, enum case_kind *out);
const char *case_kind_code(enum case_kind k);
bool initiative_level_parse(const char *s, enum initiative_level *out);
const char *initiative_level_code(enum initiative_level l);
bool initiative_kind_parse(const char *s, enum initiative_kind *out);
const char *initiative_kind_code(enum initiative_kind k);

/* ---- the facts of a candidate ------------------------------------------- */

/* A date that may be absent (open-ended spans): year 0. */
#define CIVIL_DATE_NONE ((struct civil_date){ 0, 0, 0 })

struct elig_year {
	int year;
	enum rating rating; /* RATING_UNKNOWN: not rated (yet) */
	/* what the rating's record says of discipline in the year:
	 * -1 not stated, 0 none, 1 disciplined */
	int discipline_stated;
};

struct elig_discipline {
	enum discipline_form form;
	struct civil_date from; /* in force from */
	struct civil_date until; /* last day in force; CIVIL_DATE_NONE: open */
};

struct elig_leave {
	enum leave_kind kind;
	struct civil_date from, until; /* both days included */
};

struct elig_case {
	enum case_kind kind;
	struct civil_date opened;
	struct civil_date closed; /* CIVIL_DATE_NONE: still pending */
};

struct elig_initiative {
	int64_t id;
	enum initiative_kind kind;
	enum initiative_level level;
	bool province_wide; /* effect confirmed replicable across the province */
	struct civil_date recognised_on;
	bool used; /* already backs another award (domain.md §9 rule 8) */
};

struct elig_award {
	char title[ELIG_CODE_LEN]; /* title_kinds.code or a form's code */
	int year; /* the year the award is for */
	bool adhoc; /* ad hoc or thematic: no prerequisite (Decree 152 Art. 4.3) */
};

/* A registration for emulation (đăng ký thi đua): the person was entered
 * for `title` in the registration of their unit for the year's plan, sent
 * to the Office and not returned (submitted or accepted). */
struct elig_registration {
	int year;
	char title[ELIG_CODE_LEN];
};

/* An individual candidate.  Arrays are borrowed; any order. */
struct elig_person {
	bool has_started_on;
	struct civil_date started_on; /* recruitment (ngày tuyển dụng) */
	const struct elig_year *years;
	size_t n_years;
	const struct elig_discipline *disciplines;
	size_t n_disciplines;
	const struct elig_leave *leaves;
	size_t n_leaves;
	const struct elig_case *cases;
	size_t n_cases;
	const struct elig_initiative *initiatives;
	size_t n_initiatives;
	const struct elig_award *awards;
	size_t n_awards;
	const struct elig_registration *registrations;
	size_t n_registrations;
};

/* One member of a collective, as the caller found them for the year:
 * `title` is met when the member was awarded it, or is eligible now. */
struct elig_member {
	enum rating rating;
	bool ldtt; /* reached Lao động tiên tiến (awarded or eligible) */
	bool ldtt_known; /* false: undetermined */
	bool cstdcs; /* reached Chiến sĩ thi đua cơ sở */
	enum discipline_form worst_discipline; /* in force during the year */
	bool discipline_known;
};

/* A collective candidate (a unit, or the agency). */
struct elig_collective {
	enum rating rating; /* the collective's own rating for the year */
	const struct elig_member *members;
	size_t n_members;
	const struct elig_award *awards; /* the collective's own ledger */
	size_t n_awards;
	const struct elig_year *years; /* the collective's ratings by year */
	size_t n_years;
	/* the collective titles its registrations name (sent, not returned) */
	const struct elig_registration *registrations;
	size_t n_registrations;
};

/* ---- rules -------------------------------------------------------------- */

/*
 * The kinds of condition, with their parameters (the JSON object "params"
 * of a rule row; unknown members are refused):
 *
 * individual
 *   min_rating          {"rating": R}                 the year's rating ≥ R
 *   min_service_months  {"months": N}                 recruited ≥ N whole months before
 *                                                     31/12 of the year
 *   no_discipline       {"min_form": F}               no discipline of form ≥ F in force
 *                                                     on any day of the year
 *   max_absence_months  {"months": N,                 days absent in the year (leave not of
 *                        "counted_as_work": [K...]}    the kinds listed) < N × 30
 *   no_pending_case     {}                            no case open on the reference date
 *   requires_title      {"title": T}                  awarded T for the year, or meets T's
 *                                                     rules in this set (checked nested)
 *   initiative          {"kinds": [K...], "level": L,  an unused initiative of those kinds,
 *                        "province_wide": bool,         level ≥ L, recognised in the year or
 *                        "window_years": N}             the N-1 years before it
 *   consecutive_title   {"title": T, "years": N,      T awarded (not ad hoc) for each of N
 *                        "ending": "previous"|"current", consecutive years ending the year
 *                        "run_min_rating": R?}          before or the year itself; with R,
 *                                                     every year of the run rated ≥ R
 *   consecutive_rating  {"rating": R, "years": N,     rated ≥ R in each of N consecutive
 *                        "ending": ...,                 years; with "initiatives": M, M
 *                        "initiatives": M?,             unused initiatives of level ≥ L
 *                        "level": L?}                   recognised within the run
 *   any_of              {"of": [rule, ...]}           at least one of the nested rules
 *                                                     (objects {"kind","params"}) holds
 * collective
 *   collective_rating   {"rating": R}                 the collective's own rating ≥ R
 *   member_share        {"title": "lao_dong_tien_tien"|"chien_si_thi_dua_co_so",
 *                        "percent": P, "strict": bool} members who reached it × 100 ≥ P ×
 *                                                     members (> when strict)
 *   members_min_rating  {"rating": R}                 every member rated ≥ R
 *   members_with_title  {"title": ..., "min": N}      at least N members reached it
 *   members_no_discipline {"min_form": F}             no member disciplined at ≥ F
 * lists (not checked per candidate; nominations apply them)
 *   quota               {"of": T, "percent": P,       awards of the rule's title ≤ P % of
 *                        "rounding": "floor"|"nearest"|"ceil"}  those of T, rounded
 */
enum rule_kind {
	RK_MIN_RATING,
	RK_MIN_SERVICE_MONTHS,
	RK_NO_DISCIPLINE,
	RK_MAX_ABSENCE_MONTHS,
	RK_NO_PENDING_CASE,
	RK_REQUIRES_TITLE,
	RK_INITIATIVE,
	RK_CONSECUTIVE_TITLE,
	RK_CONSECUTIVE_RATING,
	RK_ANY_OF,
	RK_COLLECTIVE_RATING,
	RK_MEMBER_SHARE,
	RK_MEMBERS_MIN_RATING,
	RK_MEMBERS_WITH_TITLE,
	RK_MEMBERS_NO_DISCIPLINE,
	RK_QUOTA,
	RK_REGISTERED,
	RK_COUNT
};

const char *rule_kind_code(enum rule_kind k); /* "" for RK_COUNT */
bool rule_kind_parse(const char *s, enum rule_kind *out);
/* Whether a kind of condition applies to a person (else: to a collective). */
bool rule_kind_applies(enum rule_kind k, bool person);

/* Bounds of the rule data, read by the parser and the evaluator alike. */
#define ELIG_ANY_OF_MAX 8 /* alternatives of an any_of */
#define ELIG_COUNT_MAX 1000 /* initiatives, members a condition counts */
#define ELIG_INIT_KINDS_ALL ((1u << INIT_KIND_INITIATIVE) | (1u << INIT_KIND_RESEARCH))
#define ELIG_TITLE_LDTT "lao_dong_tien_tien"
#define ELIG_TITLE_CSTDCS "chien_si_thi_dua_co_so"

struct elig_rule {
	int64_t id; /* the row, to cite its source; 0 for a nested rule */
	char title[ELIG_CODE_LEN]; /* the title or form the rule belongs to */
	enum rule_kind kind;
	/* parameters; which are used depends on the kind */
	enum rating rating;
	enum rating run_min_rating; /* RATING_UNKNOWN: none */
	int months;
	int years;
	int window_years;
	int count; /* initiatives, members */
	bool ending_current;
	bool province_wide;
	bool strict;
	unsigned kinds_mask; /* initiative kinds, or leave kinds counted as work */
	enum discipline_form min_form;
	enum initiative_level level;
	char other_title[ELIG_CODE_LEN];
	int64_t percent_centi; /* 70 % = 7000 */
	enum target_rounding rounding;
	size_t first_sub, n_sub; /* any_of: its nested rules in the set's subs[] */
};

struct elig_rule_set {
	struct elig_rule *rules; /* owned */
	size_t n_rules;
	struct elig_rule *subs; /* nested rules of any_of, owned */
	size_t n_subs;
};

/*
 * Parses a rule set from its JSON array of rules, each an object
 * {"id": n ≥ 1, "title": code, "kind": k, "params": {...}} (borrowed;
 * other members of the object are ignored, so a row may carry its source
 * and dates).  In params, unknown members are refused and a member that
 * is null counts as absent.  On success fills `out` (free it with
 * elig_rule_set_free) and returns true.  On failure frees what it took,
 * leaves `out` empty, returns false and writes to err only the JSON
 * pointer (RFC 6901) of the wrong member, e.g. "/3/params/months", "/0/kind",
 * "/2/params/of/1/kind"; "" when `rules` is not an array (or memory ran
 * out).  The sentence is the api layer's, in the reader's language.
 */
bool elig_rule_set_from_json(const json_t *rules, struct elig_rule_set *out, char *err,
			     size_t errlen);
/* Checks one rule's kind and params (an admin adding a rule): as above, the
 * pointer relative to the rule: "/kind", "/params", "/params/months". */
bool elig_rule_valid(const char *kind, const json_t *params, char *err, size_t errlen);
void elig_rule_set_free(struct elig_rule_set *rs);

/* Whether the set holds any rule for the title. */
bool elig_rule_set_has_title(const struct elig_rule_set *rs, const char *title);

/* ---- verdicts ----------------------------------------------------------- */

enum elig_outcome { ELIG_MET, ELIG_FAILED, ELIG_UNKNOWN };
enum elig_verdict { VERDICT_ELIGIBLE, VERDICT_NOT_ELIGIBLE, VERDICT_UNDETERMINED };

const char *elig_outcome_code(enum elig_outcome o); /* "met", "failed", "unknown" */
const char *elig_verdict_code(enum elig_verdict v); /* "eligible", "not_eligible", "undetermined" */

#define ELIG_MAX_ARGS 4
#define ELIG_MAX_CHECKS 48
#define ELIG_MAX_DEPTH 4 /* of nested checks; deeper titles are not evaluated */

/* A named argument of a check's message: an integer or a code. */
struct elig_arg {
	const char *name; /* static */
	bool is_text;
	int64_t n;
	char text[ELIG_CODE_LEN];
};

/*
 * One rule applied.  code names the sentence (answers.def, "elig_" +
 * code): for a met check the condition that holds, for the others why it
 * does not.  Codes (with their arguments):
 *   rating_met / rating_below (year, rating, required) / rating_unknown (year, required)
 *   service_met / service_short (months, required) / service_unknown (required)
 *   discipline_clear (min_form) / discipline_in_force (form, min_form) / discipline_unknown (year, min_form)
 *   absence_met / absence_long (days, months)
 *   case_none / case_pending (kind)
 *   registered (title, year) / not_registered (title, year)
 *   title_met (title) / title_awarded (title, year) / title_missing (title) /
 *     title_unknown (title)
 *   initiative_met (initiative) / initiative_missing (level)
 *   run_met (title|rating, years) / run_broken (title|rating, years, year) /
 *     run_unknown (years, year) / run_rating_below (year, rating, required)
 *   initiatives_short (count, required): a consecutive_rating whose run holds
 *   any_met / any_failed / any_unknown
 *   collective_rating_met (rating) / collective_rating_below (rating, required) /
 *     collective_rating_unknown (required)
 *   share_met / share_below (count, members, percent_centi) / share_unknown (members)
 *     (share_met carries the same arguments as share_below)
 *   members_rated_met / members_rated_below (count, required) / members_rated_unknown (count)
 *   members_title_met / members_title_below (count, min) / members_title_unknown
 *   members_discipline_clear / members_disciplined (count, min_form) /
 *     members_discipline_unknown (count)
 *   no_rules (title): the set has no rule for the title (verdict undetermined;
 *     the check's kind is RK_COUNT, its rule_id 0)
 *   household_judged (title): a household, judged by the council (the same)
 *   kind_mismatch: a collective's rule applied to a person, or the reverse
 *     (unknown)
 * depth is 0 for the title's own rules, 1 + the parent's depth for the
 * rules nested in an any_of or under a requires_title; a nested check
 * follows its parent's (the list is the tree in pre-order).  The verdict
 * reads only the depth-0 checks.
 *
 * requires_title, consecutive_title and consecutive_rating (without
 * "initiatives") read only ratings by year and awards, so they apply to a
 * collective too (its years[] and awards[]), and so does an any_of of
 * them; the other individual kinds are a kind_mismatch for a collective.
 */
struct elig_check {
	int64_t rule_id; /* its rule's row; for a rule nested in an any_of, the any_of's */
	enum rule_kind kind;
	enum elig_outcome outcome;
	int depth;
	const char *code; /* static */
	size_t n_args;
	struct elig_arg args[ELIG_MAX_ARGS];
};

struct elig_result {
	enum elig_verdict verdict;
	size_t n_checks;
	bool truncated; /* more than ELIG_MAX_CHECKS checks: the rest are not listed */
	struct elig_check checks[ELIG_MAX_CHECKS];
};

/*
 * The verdict of an individual for `title` in `year`, on the reference
 * date `ref` (pending cases are read on it).  A title without rules in the
 * set is undetermined with the single check "no_rules" (title).
 */
void elig_evaluate_person(const struct elig_rule_set *rs, const char *title, int year,
			  struct civil_date ref, const struct elig_person *p,
			  struct elig_result *out);

/* The same for a collective. */
void elig_evaluate_collective(const struct elig_rule_set *rs, const char *title, int year,
			      struct civil_date ref, const struct elig_collective *c,
			      struct elig_result *out);

/*
 * The verdict of a household: undetermined with the single check
 * "household_judged" (title).  What commends a household (its effort,
 * land or assets given, its part in a movement: Law 2022 Art. 75-76) is
 * no fact the service records; the council judges it, and the Office
 * keeps the nomination with its reason (an override) for the list to go.
 */
void elig_evaluate_household(const char *title, struct elig_result *out);

/*
 * The quota of `title` in the set, if any: the share of the awards of
 * *of_title it may not exceed, and the rounding; false when the set has
 * no quota rule for the title.  elig_quota_ceiling gives the head count:
 * percent × base rounded as the rule says (target_head_count).
 */
bool elig_quota_of(const struct elig_rule_set *rs, const char *title,
		   const struct elig_rule **rule);
int64_t elig_quota_ceiling(const struct elig_rule *quota, int64_t base);

#endif
