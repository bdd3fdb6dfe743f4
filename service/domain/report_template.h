/*
 * report_template.h — the fields of a report template, and answers checked
 * against them.
 *
 * A template lists fields: numbers, percentages, yes/no, short texts and
 * narrative sections, each with its rules (required, range, length) and the
 * way the Office consolidates it across units (sum, ratio of two number
 * fields, average, count, collate).  report_fields_normalize() checks a
 * definition and fills in the defaults, so what is stored states every
 * rule; report_answers_check() checks a unit's answers against it.
 * Numbers keep at most two decimals, counted exactly (domain/decimal.h);
 * write the documents these functions return with REPORT_JSON_FLAGS so the
 * decimals survive.  Pure: no I/O.
 */
#ifndef THIDUA_DOMAIN_REPORT_TEMPLATE_H
#define THIDUA_DOMAIN_REPORT_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/decimal.h"

#define REPORT_FIELDS_MAX 200
#define REPORT_TEXT_MAX 500
#define REPORT_NARRATIVE_MAX 20000
/* 15 significant digits print every two-decimal amount under 10^12 exactly */
#define REPORT_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Where something is wrong: a JSON Pointer relative to what was checked
 * ("/3/max", "/visits") and why.  The why is an English msgid (static),
 * which the api layer translates into the request's language when it
 * writes the answer; {min}, {max} and {max_length} in it stand for the
 * members of the same names.  At most REPORT_ERRORS_MAX are kept. */
#define REPORT_ERRORS_MAX 50
struct report_error {
	char pointer[96];
	const char *detail;
	char min[DECIMAL_TEXT_LEN], max[DECIMAL_TEXT_LEN]; /* "" unless named */
	long long max_length; /* 0 unless named */
};
struct report_errors {
	size_t count; /* may exceed REPORT_ERRORS_MAX: the rest are dropped */
	struct report_error e[REPORT_ERRORS_MAX];
};

/* fields: the array of a template body.  A new normalized array (defaults
 * filled in), or NULL with errors (pointers relative to the array). */
json_t *report_fields_normalize(const json_t *fields, struct report_errors *err);

/* answers: a unit's {key: value} against normalized fields; complete:
 * required fields must be answered (a submission, not a draft).  A new
 * object holding the given answers with numbers reduced to two decimals, or
 * NULL with errors (pointers "/key"). */
json_t *report_answers_check(const json_t *fields, const json_t *answers, bool complete,
			     struct report_errors *err);

#endif
