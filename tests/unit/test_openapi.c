/* Unit tests: YAML → JSON with the YAML 1.2 core schema; the real contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "embedded.h"
#include "http/openapi.h"

static json_t *convert(const char *yaml)
{
	char err[256];
	return yaml_to_json_new(yaml, strlen(yaml), err, sizeof err);
}

static void test_scalars(void **state)
{
	(void)state;
	json_t *j = convert("a: 200\n'b': '200'\nc: 1.5\nd: true\ne: ~\nf: 0.1.0\n"
			    "g: \"x: y\"\nh: Thi đua – khen thưởng\ni: -3\nj: 1e3\nk: [1, two]\n"
			    "l: |\n  line one\n  line two\n");
	assert_non_null(j);
	assert_true(json_is_integer(json_object_get(j, "a")));
	assert_string_equal(json_string_value(json_object_get(j, "b")), "200");
	assert_true(json_is_real(json_object_get(j, "c")));
	assert_true(json_is_true(json_object_get(j, "d")));
	assert_true(json_is_null(json_object_get(j, "e")));
	assert_string_equal(json_string_value(json_object_get(j, "f")), "0.1.0");
	assert_string_equal(json_string_value(json_object_get(j, "g")), "x: y");
	assert_string_equal(json_string_value(json_object_get(j, "h")), "Thi đua – khen thưởng");
	assert_int_equal(json_integer_value(json_object_get(j, "i")), -3);
	assert_true(json_is_real(json_object_get(j, "j")));
	assert_int_equal(json_array_size(json_object_get(j, "k")), 2);
	assert_string_equal(json_string_value(json_object_get(j, "l")), "line one\nline two\n");
	json_decref(j);
}

static void test_bad_yaml(void **state)
{
	(void)state;
	char err[256] = "";
	assert_null(yaml_to_json_new("a: [1, 2\n", 9, err, sizeof err));
	assert_non_null(strstr(err, "YAML error"));
	assert_null(yaml_to_json_new("? [a]\n: b\n", 10, err, sizeof err)); /* non-scalar key */
}

static void test_embedded_contract(void **state)
{
	(void)state;
	const struct embedded_file *f = embedded_asset("openapi.yaml");
	assert_non_null(f);
	char err[256];
	json_t *j = yaml_to_json_new(f->data, f->len, err, sizeof err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "openapi")), "3.1.0");
	assert_non_null(json_object_get(json_object_get(j, "paths"), "/healthz"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_embedded_contract),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
