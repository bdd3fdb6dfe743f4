/* Unit tests: report template fields and answers (domain/report_template.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/report_template.h"

static json_t *J(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	assert_non_null(j);
	return j;
}

static const char fields_text[] =
	"[{\"key\":\"cases\",\"label\":\"Số hồ "
	"sơ\",\"type\":\"number\",\"required\":true,\"min\":0},"
	" {\"key\":\"on_time\",\"label\":\"Đúng hạn\",\"type\":\"number\",\"min\":0},"
	" {\"key\":\"on_time_rate\",\"label\":\"Tỷ lệ đúng hạn\",\"type\":\"percent\","
	"  \"numerator\":\"on_time\",\"denominator\":\"cases\"},"
	" {\"key\":\"cut\",\"label\":\"Cắt giảm thời gian\",\"type\":\"percent\"},"
	" {\"key\":\"done\",\"label\":\"Hoàn thành\",\"type\":\"boolean\"},"
	" {\"key\":\"note\",\"label\":\"Ghi chú\",\"type\":\"text\",\"max_length\":10},"
	" {\"key\":\"story\",\"label\":\"Thuyết minh\",\"type\":\"narrative\"}]";

static json_t *normalized(void)
{
	json_t *raw = J(fields_text);
	struct report_errors err;
	json_t *f = report_fields_normalize(raw, &err);
	json_decref(raw);
	assert_non_null(f);
	assert_int_equal(err.count, 0);
	return f;
}

static void test_defaults_are_filled_in(void **state)
{
	(void)state;
	json_t *f = normalized();
	char *text = json_dumps(f, REPORT_JSON_FLAGS);
	/* a ratio when both ends are named, an average otherwise; a percent is 0..100 */
	assert_non_null(strstr(text,
			       "\"key\":\"on_time_rate\",\"label\":\"Tỷ lệ đúng hạn\","
			       "\"type\":\"percent\",\"required\":false,\"min\":0,\"max\":100,"
			       "\"aggregate\":\"ratio\",\"numerator\":\"on_time\","
			       "\"denominator\":\"cases\""));
	assert_non_null(strstr(text, "\"key\":\"cut\",\"label\":\"Cắt giảm thời gian\",\"type\":"
				     "\"percent\",\"required\":false,\"min\":0,\"max\":100,"
				     "\"aggregate\":\"average\""));
	assert_non_null(
		strstr(text, "\"type\":\"boolean\",\"required\":false,\"aggregate\":\"count\""));
	assert_non_null(strstr(text, "\"max_length\":10,\"aggregate\":\"collate\""));
	assert_non_null(strstr(text, "\"max_length\":20000,\"aggregate\":\"collate\""));
	free(text);
	json_decref(f);
}

struct bad {
	const char *fields;
	const char *pointer;
};

static void test_bad_definitions_name_the_member(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "[]", "" },
		{ "{}", "" },
		{ "[1]", "/0" },
		{ "[{\"key\":\"A\",\"label\":\"x\",\"type\":\"number\"}]", "/0/key" },
		{ "[{\"key\":\"a\",\"label\":\" \",\"type\":\"number\"}]", "/0/label" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"date\"}]", "/0/type" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"number\",\"colour\":1}]",
		  "/0/colour" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"number\",\"min\":1.001}]", "/0/min" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"number\",\"min\":5,\"max\":4}]",
		  "/0/max" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"percent\",\"max\":101}]", "/0/max" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"text\",\"max_length\":501}]",
		  "/0/max_length" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"boolean\",\"aggregate\":\"sum\"}]",
		  "/0/aggregate" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"percent\",\"aggregate\":\"ratio\"}]",
		  "/0/numerator" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"percent\",\"numerator\":\"b\","
		  "\"denominator\":\"c\"}]",
		  "/0/numerator" },
		{ "[{\"key\":\"a\",\"label\":\"x\",\"type\":\"number\"},"
		  "{\"key\":\"a\",\"label\":\"y\",\"type\":\"number\"}]",
		  "/1/key" },
		{ "[{\"key\":\"t\",\"label\":\"x\",\"type\":\"text\"},"
		  "{\"key\":\"r\",\"label\":\"y\",\"type\":\"percent\",\"numerator\":\"t\","
		  "\"denominator\":\"t\"}]",
		  "/1/numerator" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *raw = J(cases[i].fields);
		struct report_errors err;
		json_t *f = report_fields_normalize(raw, &err);
		print_message("%s\n", cases[i].fields);
		assert_null(f);
		assert_true(err.count >= 1);
		bool found = false;
		for (size_t k = 0; k < err.count && k < REPORT_ERRORS_MAX; k++)
			found |= strcmp(err.e[k].pointer, cases[i].pointer) == 0;
		assert_true(found);
		json_decref(raw);
	}
}

static void test_answers(void **state)
{
	(void)state;
	json_t *f = normalized();
	struct report_errors err;
	json_t *a = J("{\"cases\":120,\"on_time\":118.5,\"cut\":31.25,\"done\":true,"
		      "\"note\":\"Đủ\",\"story\":\"Dòng 1\\nDòng 2\",\"on_time_rate\":null}");
	json_t *ok = report_answers_check(f, a, true, &err);
	assert_non_null(ok);
	char *text = json_dumps(ok, REPORT_JSON_FLAGS);
	assert_string_equal(text, "{\"cases\":120,\"on_time\":118.5,\"cut\":31.25,\"done\":true,"
				  "\"note\":\"Đủ\",\"story\":\"Dòng 1\\nDòng 2\"}");
	free(text);
	json_decref(ok);
	json_decref(a);
	/* 0.1 survives as 0.1, not 0.1000000000000000055 */
	a = J("{\"cases\":0.1}");
	ok = report_answers_check(f, a, true, &err);
	text = json_dumps(ok, REPORT_JSON_FLAGS);
	assert_string_equal(text, "{\"cases\":0.1}");
	free(text);
	json_decref(ok);
	json_decref(a);
	json_decref(f);
}

static void test_bad_answers(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "[]", "" },
		{ "{\"visits\":1,\"cases\":1}", "/visits" },
		{ "{\"cases\":-1}", "/cases" },
		{ "{\"cases\":\"12\"}", "/cases" },
		{ "{\"cases\":1.005}", "/cases" },
		{ "{\"cases\":1,\"cut\":100.01}", "/cut" },
		{ "{\"cases\":1,\"done\":1}", "/done" },
		{ "{\"cases\":1,\"note\":\"mười một chữ\"}", "/note" },
		{ "{\"cases\":1,\"note\":\"a\\nb\"}", "/note" },
		{ "{\"on_time\":3}", "/cases" },
		{ "{\"cases\":null}", "/cases" },
	};
	json_t *f = normalized();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *a = J(cases[i].fields);
		struct report_errors err;
		print_message("%s\n", cases[i].fields);
		assert_null(report_answers_check(f, a, true, &err));
		assert_string_equal(err.e[0].pointer, cases[i].pointer);
		json_decref(a);
	}
	/* a draft may leave required fields for later */
	json_t *a = J("{\"on_time\":3}");
	struct report_errors err;
	json_t *ok = report_answers_check(f, a, false, &err);
	assert_non_null(ok);
	json_decref(ok);
	json_decref(a);
	json_decref(f);
}

/* The sentence of an error is a msgid; the values it names travel beside
 * it, for the api layer to put in once it is translated. */
static void test_errors_name_their_bounds(void **state)
{
	(void)state;
	static const struct {
		const char *answers, *detail, *min, *max;
		long long max_length;
	} cases[] = {
		{ "{\"cases\":1,\"cut\":100.01}",
		  "must be a number with at most two decimals from {min} to {max}", "0.00",
		  "100.00", 0 },
		/* not a number at all: the bounds are named all the same */
		{ "{\"cases\":\"12\"}", "must be a number with at most two decimals from {min}",
		  "0.00", "", 0 },
		{ "{\"cases\":1,\"note\":\"mười một chữ\"}",
		  "must be text of at most {max_length} characters on one line", "", "", 10 },
		{ "{\"cases\":1,\"done\":1}", "must be true or false", "", "", 0 },
	};
	json_t *f = normalized();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *a = J(cases[i].answers);
		struct report_errors err;
		print_message("%s\n", cases[i].answers);
		assert_null(report_answers_check(f, a, true, &err));
		assert_string_equal(err.e[0].detail, cases[i].detail);
		assert_string_equal(err.e[0].min, cases[i].min);
		assert_string_equal(err.e[0].max, cases[i].max);
		assert_int_equal(err.e[0].max_length, cases[i].max_length);
		json_decref(a);
	}
	json_decref(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_filled_in),
		cmocka_unit_test(test_bad_definitions_name_the_member),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_bad_answers),
		cmocka_unit_test(test_errors_name_their_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
