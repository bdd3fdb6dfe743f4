/*
 * eligibility_codes.c — the codes of the eligibility engine's enums (see
 * eligibility.h): the words the rules table, the facts and the answers use
 * for ratings, discipline forms, leave, cases, initiatives, outcomes and
 * verdicts, and back.
 */
#include <stddef.h>
#include <string.h>

#include "domain/eligibility.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- codes ------------------------------------------------------------- */

static const char *const rating_names[] = { "", "not_completed", "completed", "good", "excellent" };
static const char *const form_names[] = { "",	      "reprimand", "warning",  "salary_demotion",
					  "demotion", "removal",   "dismissal" };
static const char *const leave_names[] = { "maternity", "sickness", "study", "unpaid", "other" };
static const char *const case_names[] = { "discipline_review", "investigation", "inspection",
					  "complaint", "denunciation" };
static const char *const level_names[] = { "", "base", "province", "national" };
static const char *const init_kind_names[] = { "initiative", "research" };

/* The index of s among names[first..n), or -1. */
static int name_index(const char *s, const char *const *names, size_t n, size_t first)
{
	if (s == NULL)
		return -1;
	for (size_t i = first; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *name_of(int v, const char *const *names, size_t n)
{
	return v >= 0 && (size_t)v < n ? names[v] : "";
}

bool rating_parse(const char *s, enum rating *out)
{
	int i = name_index(s, rating_names, N_ELEMS(rating_names), 1);
	if (i < 0)
		return false;
	*out = (enum rating)i;
	return true;
}

const char *rating_code(enum rating r)
{
	return name_of((int)r, rating_names, N_ELEMS(rating_names));
}

bool discipline_form_parse(const char *s, enum discipline_form *out)
{
	int i = name_index(s, form_names, N_ELEMS(form_names), 1);
	if (i < 0)
		return false;
	*out = (enum discipline_form)i;
	return true;
}

const char *discipline_form_code(enum discipline_form f)
{
	return name_of((int)f, form_names, N_ELEMS(form_names));
}

bool leave_kind_parse(const char *s, enum leave_kind *out)
{
	int i = name_index(s, leave_names, N_ELEMS(leave_names), 0);
	if (i < 0)
		return false;
	*out = (enum leave_kind)i;
	return true;
}

const char *leave_kind_code(enum leave_kind k)
{
	return name_of((int)k, leave_names, N_ELEMS(leave_names));
}

bool case_kind_parse(const char *s, enum case_kind *out)
{
	int i = name_index(s, case_names, N_ELEMS(case_names), 0);
	if (i < 0)
		return false;
	*out = (enum case_kind)i;
	return true;
}

const char *case_kind_code(enum case_kind k)
{
	return name_of((int)k, case_names, N_ELEMS(case_names));
}

bool initiative_level_parse(const char *s, enum initiative_level *out)
{
	int i = name_index(s, level_names, N_ELEMS(level_names), 1);
	if (i < 0)
		return false;
	*out = (enum initiative_level)i;
	return true;
}

const char *initiative_level_code(enum initiative_level l)
{
	return name_of((int)l, level_names, N_ELEMS(level_names));
}

bool initiative_kind_parse(const char *s, enum initiative_kind *out)
{
	int i = name_index(s, init_kind_names, N_ELEMS(init_kind_names), 0);
	if (i < 0)
		return false;
	*out = (enum initiative_kind)i;
	return true;
}

const char *initiative_kind_code(enum initiative_kind k)
{
	return name_of((int)k, init_kind_names, N_ELEMS(init_kind_names));
}

const char *elig_outcome_code(enum elig_outcome o)
{
	static const char *const names[] = { "met", "failed", "unknown" };
	return name_of((int)o, names, N_ELEMS(names));
}

const char *elig_verdict_code(enum elig_verdict v)
{
	static const char *const names[] = { "eligible", "not_eligible", "undetermined" };
	return name_of((int)v, names, N_ELEMS(names));
}
