/*
 * targets.h — how a plan's target (chỉ tiêu) turns counts into a status.
 *
 * The database counts (plan_target_counts in
 * db/procedures/target_progress.sql: who is in the population, who meets
 * the condition, what registrations project); this
 * module decides, with integer arithmetic only, whether the target holds,
 * how many people that takes, and the status: met, on track, at risk, or
 * missed once the period has ended.  Pure: no I/O.
 *
 * Thresholds are in hundredths ("centi"): 80 % is 8000, a value of 30.5 is
 * 3050.  For counted kinds the threshold is a percentage of the
 * denominator; "at least" compares exactly (numerator * 10000 >=
 * threshold * denominator), "at most" and "exactly" compare with a head
 * count rounded as the target says (floor by default: domain.md §2 reads
 * "không quá 15 %" literally).
 */
#ifndef THIDUA_DOMAIN_TARGETS_H
#define THIDUA_DOMAIN_TARGETS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"

enum target_kind {
	TARGET_STAFF_SHARE,
	TARGET_TITLE_RATIO,
	TARGET_COLLECTIVE_RATING,
	TARGET_RECOGNITION,
	TARGET_REPORTED_NUMBER,
};
enum target_cmp { CMP_AT_LEAST, CMP_AT_MOST, CMP_EXACTLY };
enum target_rounding { ROUND_FLOOR, ROUND_NEAREST, ROUND_CEIL };
enum target_status { STATUS_MET, STATUS_ON_TRACK, STATUS_AT_RISK, STATUS_MISSED };

/* Largest threshold accepted for counted kinds (100 %) and for values. */
#define TARGET_PERCENT_MAX_CENTI 10000
#define TARGET_VALUE_MAX_CENTI 100000000000000LL /* 10^12 */

struct target_input {
	enum target_kind kind;
	bool informed; /* staff_share with condition "informed": projected by time */
	enum target_cmp cmp;
	enum target_rounding rounding;
	int64_t threshold_centi;
	int64_t numerator, denominator;
	int64_t projected_numerator, projected_denominator;
	bool has_value; /* reported_number: a value was reported */
	int64_t value_centi;
	int32_t elapsed_days, period_days; /* of the period, up to the reference day */
	bool ended; /* the reference day is after the period's end */
};

struct target_result {
	enum target_status status;
	bool percent; /* value is a percentage of the denominator */
	bool has_value;
	int64_t value_centi; /* rounded half up, for display only */
	bool has_required;
	int64_t required; /* head count needed (at least), allowed (at most), or exact */
	const char *basis; /* one sentence, an English msgid: why this status */
};

/*
 * The day progress is read on, and how much of the period lies behind it.
 * The reference day is as_of, but never after the period's end: results
 * dated after the reference day do not count.  elapsed_days counts the
 * days of the period up to and including as_of (0 before the period
 * starts, the whole period after it ends); ended tells that as_of is after
 * the period's end, when a target that does not hold is missed rather
 * than at risk.  Stated here only: the database counts up to the reference
 * day it is given.
 */
struct progress_clock {
	struct civil_date reference;
	int32_t elapsed_days, period_days;
	bool ended;
};
struct progress_clock progress_clock_of(struct civil_date period_start,
					struct civil_date period_end, struct civil_date as_of);

bool target_kind_parse(const char *s, enum target_kind *out);
bool target_cmp_parse(const char *s, enum target_cmp *out);
bool target_rounding_parse(const char *s, enum target_rounding *out);
const char *target_status_name(enum target_status s);

/* threshold * denominator / 10000 rounded as asked, for counted kinds. */
int64_t target_head_count(int64_t threshold_centi, int64_t denominator, enum target_rounding r);

/* Whether numerator/denominator satisfies the comparison; an empty
 * denominator never does (there is nothing to measure yet). */
bool target_share_holds(const struct target_input *in, int64_t numerator, int64_t denominator);

void target_evaluate(const struct target_input *in, struct target_result *out);

/* Writes centi as a decimal with two places ("80.49", "-1.50"). */
void target_format_centi(int64_t centi, char out[32]);
/* Writes centi as a percentage for a sentence: "15%", "33.33%". */
void target_format_percent(int64_t centi, char out[40]);

#endif
