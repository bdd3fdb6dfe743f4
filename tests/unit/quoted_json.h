/*
 * quoted_json.h — JSON written in test sources with ' for " (as a rules
 * table's rows read in C strings), parsed; a test fails on bad JSON.
 * Include after <cmocka.h>.
 */
#ifndef THIDUA_TESTS_QUOTED_JSON_H
#define THIDUA_TESTS_QUOTED_JSON_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static inline json_t *quoted_json(const char *text)
{
	char *s = strdup(text);
	assert_non_null(s);
	for (char *c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	json_error_t e;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &e);
	free(s);
	if (j == NULL)
		fail_msg("test JSON: %s at %d in %s", e.text, e.position, text);
	return j;
}

#endif
