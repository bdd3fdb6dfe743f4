/*
 * labels.h — the labels of the service's enumerations, in both languages.
 *
 * Statuses, roles, ratings and the other stable lowercase codes of the API
 * are machine fields; people read them through these labels, which the
 * catalogue endpoint (GET /v1/catalogue/labels) serves in Vietnamese and
 * English at once, and which sentences use ({status|plan_status}).
 */
#ifndef THIDUA_ANSWERS_LABELS_H
#define THIDUA_ANSWERS_LABELS_H

#include <jansson.h>
#include <stddef.h>

struct label {
	const char *set; /* e.g. "plan_status"; also the msgctxt */
	const char *code; /* e.g. "draft" */
	const char *text; /* English msgid, e.g. "Draft" */
};

extern const struct label labels[];
extern const size_t labels_count;

/* The label of code in set, in the thread's language; the code itself
 * when the set does not know it (borrowed). */
const char *label_of(const char *set, const char *code);

/* {set: {code: {"vi": ..., "en": ...}}} for every label; new reference. */
json_t *labels_catalogue_new(void);

#endif
