/* Unit tests: request ids, CORS allow-list, JSON media types, problems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/dispatch.h"
#include "http/problem.h"

static void test_request_id(void **state)
{
	(void)state;
	char big[200];
	memset(big, 'a', sizeof big);
	big[128] = '\0';
	assert_true(request_id_valid(big)); /* 128 is the most we accept */
	big[128] = 'a';
	big[129] = '\0';
	assert_false(request_id_valid(big));
	assert_true(request_id_valid("abc-123_x.y:z"));
	assert_false(request_id_valid(""));
	assert_false(request_id_valid("has space"));
	assert_false(request_id_valid("tab\there"));
	assert_false(request_id_valid("new\nline"));
	assert_false(request_id_valid("caf\xc3\xa9"));
	char a[33], b[33];
	request_id_generate(a);
	request_id_generate(b);
	assert_int_equal(strlen(a), 32);
	assert_true(request_id_valid(a));
	assert_string_not_equal(a, b);
}

static void test_cors(void **state)
{
	(void)state;
	const char *list = "https://portal.gialai.gov.vn, https://app.example";
	assert_true(cors_origin_allowed(list, "https://portal.gialai.gov.vn"));
	assert_true(cors_origin_allowed(list, "https://app.example"));
	assert_false(cors_origin_allowed(list, "https://app.example.evil"));
	assert_false(cors_origin_allowed(list, "https://app.exampl"));
	assert_false(cors_origin_allowed(list, "null"));
	assert_false(cors_origin_allowed(list, ""));
	assert_false(cors_origin_allowed("", "https://app.example"));
	assert_false(cors_origin_allowed(list, NULL));
}

static void test_media_type(void **state)
{
	(void)state;
	assert_true(media_type_is_json("application/json"));
	assert_true(media_type_is_json("application/json; charset=utf-8"));
	assert_true(media_type_is_json("Application/JSON"));
	assert_true(media_type_is_json("application/merge-patch+json"));
	assert_false(media_type_is_json("application/jsonx"));
	assert_false(media_type_is_json("text/json"));
	assert_false(media_type_is_json("application/x-www-form-urlencoded"));
	assert_false(media_type_is_json("application/+json"));
	assert_false(media_type_is_json(NULL));
}

static void test_problem_json(void **state)
{
	(void)state;
	struct problem *p = problem_new(P_VALIDATION, "%d fields", 2);
	problem_add_error(p, "/name", "must not be empty");
	problem_add_error(p, "/query/limit", "at most %d", 100);
	json_t *j = problem_to_json_new(p, "/v1/x", "rid-1");
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "urn:thidua:problem:validation");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "2 fields");
	assert_string_equal(json_string_value(json_object_get(j, "instance")), "/v1/x");
	assert_string_equal(json_string_value(json_object_get(j, "request_id")), "rid-1");
	json_t *errs = json_object_get(j, "errors");
	assert_int_equal(json_array_size(errs), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "pointer")),
			    "/query/limit");
	assert_string_equal(json_string_value(json_object_get(json_array_get(errs, 1), "detail")),
			    "at most 100");
	json_decref(j);
	problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_id),
		cmocka_unit_test(test_cors),
		cmocka_unit_test(test_media_type),
		cmocka_unit_test(test_problem_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
