/* Unit tests: JSON text written straight from result values (store/render.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/render.h"

struct row {
	const char *name;
	const char *in;
	const char *want; /* the JSON text render_string must produce */
};

static void test_strings(void **state)
{
	(void)state;
	static const struct row rows[] = {
		{ "plain", "Văn phòng", "\"Văn phòng\"" },
		{ "quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "newline tab return", "x\ny\tz\r", "\"x\\ny\\tz\\r\"" },
		{ "other controls", "\x01\x1f", "\"\\u0001\\u001f\"" },
		{ "empty", "", "\"\"" },
		{ "four-byte UTF-8", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
		{ "SQL text stays text", "'; DROP TABLE staff; --", "\"'; DROP TABLE staff; --\"" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct render_buf b;
		render_init(&b, 4); /* tiny, so the buffer must grow */
		render_string(&b, rows[i].in);
		char *out = render_take(&b);
		if (!out || strcmp(out, rows[i].want) != 0)
			fail_msg("%s: got %s", rows[i].name, out ? out : "(null)");
		/* and jansson reads back exactly the input */
		json_t *j = json_loads(out, JSON_DECODE_ANY, NULL);
		if (!j || strcmp(json_string_value(j), rows[i].in) != 0)
			fail_msg("%s: does not round-trip", rows[i].name);
		json_decref(j);
		free(out);
	}
}

static void test_long_string_grows(void **state)
{
	(void)state;
	char *big = malloc(100001);
	memset(big, '"', 100000);
	big[100000] = '\0';
	struct render_buf b;
	render_init(&b, 16);
	render_string(&b, big);
	char *out = render_take(&b);
	assert_non_null(out);
	assert_int_equal(strlen(out), 200002); /* every quote escaped, plus the two */
	free(out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_long_string_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
