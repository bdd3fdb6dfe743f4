/*
 * targets.c — statuses of a plan's targets (see targets.h).
 */
#include "domain/targets.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Marks a sentence for the message catalogue; the api layer translates it
 * when it writes the answer (domain/ does no I/O and knows no language). */
#define N_(msgid) (msgid)

struct progress_clock progress_clock_of(struct civil_date period_start,
					struct civil_date period_end, struct civil_date as_of)
{
	int64_t start = civil_days(period_start), end = civil_days(period_end);
	int64_t day = civil_days(as_of);
	int64_t period = end - start + 1;
	int64_t elapsed = day - start + 1;
	if (elapsed < 0)
		elapsed = 0;
	if (elapsed > period)
		elapsed = period;
	struct progress_clock k = {
		.reference = day > end ? period_end : as_of,
		.period_days = (int32_t)period,
		.elapsed_days = (int32_t)elapsed,
		.ended = day > end,
	};
	return k;
}

bool target_kind_parse(const char *s, enum target_kind *out)
{
	static const char *const names[] = { "staff_share", "title_ratio", "collective_rating",
					     "recognition", "reported_number" };
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum target_kind)i;
			return true;
		}
	return false;
}

bool target_cmp_parse(const char *s, enum target_cmp *out)
{
	static const char *const names[] = { "at_least", "at_most", "exactly" };
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum target_cmp)i;
			return true;
		}
	return false;
}

bool target_rounding_parse(const char *s, enum target_rounding *out)
{
	static const char *const names[] = { "floor", "nearest", "ceil" };
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum target_rounding)i;
			return true;
		}
	return false;
}

const char *target_status_name(enum target_status s)
{
	static const char *const names[] = { "met", "on_track", "at_risk", "missed" };
	return (unsigned)s < 4 ? names[s] : "?";
}

int64_t target_head_count(int64_t threshold_centi, int64_t denominator, enum target_rounding r)
{
	int64_t x = threshold_centi * denominator;
	switch (r) {
	case ROUND_CEIL:
		return (x + 9999) / 10000;
	case ROUND_NEAREST: /* half up: 4.95 people is 5 */
		return (x + 5000) / 10000;
	case ROUND_FLOOR:
	default:
		return x / 10000;
	}
}

bool target_share_holds(const struct target_input *in, int64_t numerator, int64_t denominator)
{
	if (denominator <= 0)
		return false;
	switch (in->cmp) {
	case CMP_AT_LEAST:
		return numerator * 10000 >= in->threshold_centi * denominator;
	case CMP_AT_MOST:
		return numerator <=
		       target_head_count(in->threshold_centi, denominator, in->rounding);
	case CMP_EXACTLY:
	default:
		return numerator ==
		       target_head_count(in->threshold_centi, denominator, in->rounding);
	}
}

static bool value_holds(const struct target_input *in)
{
	if (!in->has_value)
		return false;
	switch (in->cmp) {
	case CMP_AT_LEAST:
		return in->value_centi >= in->threshold_centi;
	case CMP_AT_MOST:
		return in->value_centi <= in->threshold_centi;
	case CMP_EXACTLY:
	default:
		return in->value_centi == in->threshold_centi;
	}
}

/* The status while the period runs and the target does not hold yet. */
static enum target_status projected(const struct target_input *in, const char **basis)
{
	switch (in->kind) {
	case TARGET_REPORTED_NUMBER:
		*basis = in->has_value
				 ? N_("the value reported by the units does not reach the target")
				 : N_("no unit has reported a value yet");
		return STATUS_AT_RISK;
	case TARGET_COLLECTIVE_RATING:
	case TARGET_RECOGNITION:
		if (in->denominator == 0 ||
		    (in->kind == TARGET_RECOGNITION && in->numerator == 0)) {
			*basis = N_(
				"nothing is recorded yet, and nothing recorded stands against it");
			return STATUS_ON_TRACK;
		}
		if (in->kind == TARGET_RECOGNITION) {
			*basis = N_("part of the recognitions are recorded; the rest are awaited");
			return STATUS_ON_TRACK;
		}
		*basis = N_("a rating below the minimum is recorded");
		return STATUS_AT_RISK;
	default:
		break;
	}
	if (in->informed) {
		/* at least the share of the target that the elapsed time calls for */
		bool ahead =
			in->denominator > 0 &&
			in->numerator * (int64_t)in->period_days * 10000 >=
				in->threshold_centi * in->denominator * (int64_t)in->elapsed_days;
		*basis = ahead ? N_("behind the target, but ahead of the share of the period "
				    "elapsed")
			       : N_("behind the share of the period elapsed");
		return ahead ? STATUS_ON_TRACK : STATUS_AT_RISK;
	}
	if (target_share_holds(in, in->projected_numerator, in->projected_denominator)) {
		*basis = N_("does not hold yet; results recorded so far plus registrations and "
			    "pending ratings would meet it");
		return STATUS_ON_TRACK;
	}
	*basis = N_("even with registrations and pending ratings it would not hold");
	return STATUS_AT_RISK;
}

void target_evaluate(const struct target_input *in, struct target_result *out)
{
	memset(out, 0, sizeof *out);
	bool holds;
	if (in->kind == TARGET_REPORTED_NUMBER) {
		out->has_value = in->has_value;
		out->value_centi = in->value_centi;
		holds = value_holds(in);
	} else {
		out->percent = true;
		if (in->denominator > 0) {
			out->has_value = true;
			out->value_centi = (in->numerator * 10000 * 2 + in->denominator) /
					   (2 * in->denominator);
			out->has_required = true;
			out->required = in->cmp == CMP_AT_LEAST
						? target_head_count(in->threshold_centi,
								    in->denominator, ROUND_CEIL)
						: target_head_count(in->threshold_centi,
								    in->denominator, in->rounding);
		}
		holds = target_share_holds(in, in->numerator, in->denominator);
	}
	if (holds) {
		out->status = STATUS_MET;
		out->basis = in->ended ? N_("held at the end of the period")
				       : N_("holds on the reference day");
	} else if (in->ended) {
		out->status = STATUS_MISSED;
		out->basis = N_("the period has ended and the target does not hold");
	} else {
		out->status = projected(in, &out->basis);
	}
}

void target_format_centi(int64_t centi, char out[32])
{
	uint64_t m = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
	snprintf(out, 32, "%s%" PRIu64 ".%02" PRIu64, centi < 0 ? "-" : "", m / 100, m % 100);
}

void target_format_percent(int64_t centi, char out[40])
{
	target_format_centi(centi, out);
	size_t n = strlen(out); /* "15.00" reads "15%" */
	if (n > 3 && strcmp(out + n - 3, ".00") == 0)
		n -= 3;
	out[n] = '%';
	out[n + 1] = '\0';
}
