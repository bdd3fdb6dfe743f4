/*
 * Unit tests: the registry of answers (service/answers/answers.def) against
 * what can reach it, and the pure parts of languages and templates.
 *
 * - the registry is consistent: slugs and codes unique, constraints name
 *   registered messages, templates name label sets that exist;
 * - every message code a procedure (the .sql files of db/procedures) or a store file
 *   (the .c files of service/store) can answer is registered: procedures write their
 *   codes as kebab-case literals ('plan-not-draft'), store files pass them
 *   to write_invalid()/write_refused();
 * - every problem type is documented in api-spec/openapi.yaml;
 * - Accept-Language negotiation and the expansion of {placeholders}.
 *
 * THIDUA_SOURCE_DIR names the source tree (set by CTest).
 */
#include <dirent.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/labels.h"
#include "answers/lang.h"
#include "answers/registry.h"
#include "answers/template.h"

static const char *source_dir(void)
{
	const char *d = getenv("THIDUA_SOURCE_DIR");
	return d && *d ? d : "..";
}

static char *read_file_new(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[8192];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *grown = realloc(buf, cap);
			assert_non_null(grown);
			buf = grown;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Calls check(text, name) for every file of dir whose name ends in suffix. */
static int each_file(const char *dir, const char *suffix, void (*check)(const char *, const char *))
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", source_dir(), dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), k = strlen(suffix);
		if (n <= k || strcmp(e->d_name + n - k, suffix) != 0)
			continue;
		char file[2048];
		snprintf(file, sizeof file, "%s/%s", path, e->d_name);
		char *text = read_file_new(file);
		assert_non_null(text);
		check(text, e->d_name);
		free(text);
		files++;
	}
	closedir(d);
	return files;
}

static int unregistered;

/* Every match of group 1 of pattern in text must be a registered code;
 * returns how many matched, counts the unregistered ones. */
static int codes_registered(const char *text, const char *name, const char *pattern)
{
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
	regmatch_t m[2];
	int found = 0;
	for (const char *p = text; regexec(&re, p, 2, m, 0) == 0; p += m[0].rm_eo) {
		char code[128];
		int len = (int)(m[1].rm_eo - m[1].rm_so);
		snprintf(code, sizeof code, "%.*s", len, p + m[1].rm_so);
		if (!message_find(code)) {
			print_error("%s answers the message \"%s\", which answers.def does not "
				    "register\n",
				    name, code);
			unregistered++;
		}
		found++;
	}
	regfree(&re);
	return found;
}

static int sql_codes;
static void check_procedure(const char *text, const char *name)
{
	/* a kebab-case literal is a message code: '--' comments do not hold any */
	sql_codes += codes_registered(text, name, "'([a-z0-9]+(-[a-z0-9]+)+)'");
}

static int c_codes;
static void check_store(const char *text, const char *name)
{
	c_codes +=
		codes_registered(text, name, "write_invalid\\([^;]*, \"[^\"]*\", \"([a-z0-9-]+)\"");
	c_codes += codes_registered(text, name, "write_refused\\([^,;]*, \"([a-z0-9-]+)\"");
}

static void test_every_code_answered_is_registered(void **state)
{
	(void)state;
	assert_true(each_file("db/procedures", ".sql", check_procedure) > 10);
	assert_true(each_file("service/store", ".c", check_store) > 5);
	/* the scans did find codes: they are not vacuous */
	assert_true(sql_codes >= 15);
	print_message("%d codes in procedures, %d in store files\n", sql_codes, c_codes);
	assert_int_equal(unregistered, 0);
}

static void test_registry_is_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < P_COUNT; i++) {
		assert_non_null(problem_types[i].slug);
		assert_true(problem_types[i].status >= 400 && problem_types[i].status <= 599);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(problem_types[i].slug, problem_types[k].slug);
		assert_ptr_equal(problem_type_find(problem_types[i].slug), &problem_types[i]);
	}
	for (size_t i = 0; i < messages_count; i++) {
		assert_true((unsigned)messages[i].problem < P_COUNT);
		assert_ptr_equal(message_find(messages[i].code), &messages[i]);
		/* {name|set}: the set must exist */
		const char *p = messages[i].template;
		while ((p = strchr(p, '|'))) {
			char set[64];
			size_t n = strcspn(p + 1, "}");
			snprintf(set, sizeof set, "%.*s", (int)n, p + 1);
			bool known = false;
			for (size_t k = 0; k < labels_count && !known; k++)
				known = strcmp(labels[k].set, set) == 0;
			if (!known)
				fail_msg("message %s names the unknown label set %s",
					 messages[i].code, set);
			p += n;
		}
	}
	for (size_t i = 0; i < constraint_answers_count; i++) {
		if (!message_find(constraint_answers[i].code))
			fail_msg("constraint %s answers the unregistered message %s",
				 constraint_answers[i].name, constraint_answers[i].code);
		assert_ptr_equal(constraint_find(constraint_answers[i].name),
				 &constraint_answers[i]);
	}
	for (size_t i = 0; i < labels_count; i++)
		for (size_t k = 0; k < i; k++)
			assert_false(strcmp(labels[i].set, labels[k].set) == 0 &&
				     strcmp(labels[i].code, labels[k].code) == 0);
}

static void test_every_problem_type_is_documented(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/api-spec/openapi.yaml", source_dir());
	char *spec = read_file_new(path);
	assert_non_null(spec);
	const char *missing = NULL;
	for (size_t i = 0; i < P_COUNT && !missing; i++) {
		char urn[128];
		snprintf(urn, sizeof urn, "urn:thidua:problem:%s", problem_types[i].slug);
		if (!strstr(spec, urn))
			missing = problem_types[i].slug;
	}
	free(spec); /* before failing: fail_msg does not return */
	if (missing)
		fail_msg("api-spec/openapi.yaml does not document urn:thidua:problem:%s", missing);
}

static void test_negotiation(void **state)
{
	(void)state;
	static const struct {
		const char *header;
		enum lang want;
	} rows[] = {
		{ NULL, LANG_VI },
		{ "", LANG_VI },
		{ "en", LANG_EN },
		{ "en-US,en;q=0.9", LANG_EN },
		{ "vi-VN, en;q=0.8", LANG_VI },
		{ "fr, en;q=0.5", LANG_EN },
		{ "en;q=0.1, vi;q=0.9", LANG_VI },
		{ "en;q=0.9, vi", LANG_VI },
		{ "en;q=1.000, vi;q=0.999", LANG_EN },
		{ "en;q=0", LANG_VI },
		{ "en;q=0.0", LANG_VI },
		{ "*", LANG_VI },
		{ "*;q=0.5, en", LANG_EN },
		{ "en;q=2", LANG_VI }, /* not a qvalue: the range does not count */
		{ "en;q=abc", LANG_VI },
		{ "english", LANG_VI },
		{ "e", LANG_VI },
		{ "en-", LANG_EN },
		{ ";q=1", LANG_VI },
		{ ",,,", LANG_VI },
		{ "EN-gb", LANG_EN },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (lang_negotiate(rows[i].header) != rows[i].want)
			fail_msg("Accept-Language \"%s\"",
				 rows[i].header ? rows[i].header : "(none)");
	}
	/* a long header is read for its first 64 ranges only */
	char big[20000] = "";
	for (size_t n = 0; n < 5000; n++)
		memcpy(big + 2 * n, "x,", 2);
	memcpy(big + 10000, "en", 3);
	assert_int_equal(lang_negotiate(big), LANG_VI);
	memcpy(big, "en,", 3);
	assert_int_equal(lang_negotiate(big), LANG_EN);
}

static void test_templates(void **state)
{
	(void)state;
	json_t *args = json_pack("{s:s, s:i, s:[s, s], s:s}", "status", "issued", "plan_id", 7,
				 "expected", "draft", "returned", "text", "a {b} c");
	static const struct {
		const char *template, *want;
	} rows[] = {
		{ "no placeholder", "no placeholder" },
		{ "plan {plan_id} is {status}", "plan 7 is issued" },
		{ "label: {status|plan_status}", "label: issued" },
		{ "one of {expected|registration_status}", "one of draft or returned" },
		{ "{missing} is a question mark", "? is a question mark" },
		{ "values are not expanded again: {text}",
		  "values are not expanded again: a {b} c" },
		{ "unclosed {brace", "unclosed {brace" },
		{ "{}", "?" },
		{ "{status|no_such_set}", "issued" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *got = template_expand_new(rows[i].template, args);
		assert_non_null(got);
		assert_string_equal(got, rows[i].want);
		free(got);
	}
	char *none = template_expand_new("x {a} y", NULL);
	assert_string_equal(none, "x ? y");
	free(none);
	json_decref(args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_is_consistent),
		cmocka_unit_test(test_every_code_answered_is_registered),
		cmocka_unit_test(test_every_problem_type_is_documented),
		cmocka_unit_test(test_negotiation),
		cmocka_unit_test(test_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
