/*
 * template.h — the sentences of the registry (answers.def), with named
 * arguments.
 *
 * A procedure refuses a write with a message code and named arguments
 * (e.g. {"status": "issued", "plan_id": 7}); the sentence is the message's
 * template translated into the request's language, {status} replaced by the
 * argument and {status|plan_status} by the label of the code.  Translators
 * may reorder the placeholders; tests/lint_po.sh checks that every
 * translation keeps the same ones.
 */
#ifndef THIDUA_ANSWERS_TEMPLATE_H
#define THIDUA_ANSWERS_TEMPLATE_H

#include <jansson.h>

/*
 * Translates the template msgid and replaces {name} with the value of
 * args[name] (string or integer), {name|set} with the label of that code in
 * the label set (answers/labels.h), and an array with its items joined by
 * "or"; a missing argument reads "?".  New string (caller frees), or NULL
 * when out of memory.
 */
char *template_expand_new(const char *msgid, const json_t *args);

#endif
