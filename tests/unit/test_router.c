/* Unit tests: route matching, 404 versus 405, path parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"

static void h(struct call *c)
{
	(void)c;
}

static const struct route routes[] = {
	{ "GET", "/healthz", h, "public", BODY_NONE, NULL },
	{ "GET", "/v1/plans", h, "plan.read", BODY_NONE, NULL },
	{ "POST", "/v1/plans", h, "plan.write", BODY_JSON, NULL },
	{ "GET", "/v1/plans/{id}", h, "plan.read", BODY_NONE, NULL },
	{ "POST", "/v1/plans/{id}/issue", h, "plan.issue", BODY_NONE, NULL },
	{ "GET", "/v1/units/{unit_id}/staff/{staff_id}", h, "staff.read", BODY_NONE, NULL },
};
#define N (sizeof routes / sizeof routes[0])

struct row {
	const char *name, *method, *path;
	enum match_result want;
	int route_index; /* when found */
	const char *allow; /* when wrong method */
};

static const struct row rows[] = {
	{ "exact static", "GET", "/healthz", MATCH_FOUND, 0, NULL },
	{ "HEAD maps to GET", "HEAD", "/healthz", MATCH_FOUND, 0, NULL },
	{ "POST on GET-only", "POST", "/healthz", MATCH_WRONG_METHOD, -1, "GET, HEAD" },
	{ "trailing slash is another path", "GET", "/healthz/", MATCH_NOT_FOUND, -1, NULL },
	{ "case matters", "GET", "/Healthz", MATCH_NOT_FOUND, -1, NULL },
	{ "same path two methods", "POST", "/v1/plans", MATCH_FOUND, 2, NULL },
	{ "DELETE lists both", "DELETE", "/v1/plans", MATCH_WRONG_METHOD, -1, "GET, HEAD, POST" },
	{ "parameter", "GET", "/v1/plans/42", MATCH_FOUND, 3, NULL },
	{ "empty parameter", "GET", "/v1/plans/", MATCH_NOT_FOUND, -1, NULL },
	{ "deeper path", "POST", "/v1/plans/42/issue", MATCH_FOUND, 4, NULL },
	{ "unknown", "GET", "/v2/plans", MATCH_NOT_FOUND, -1, NULL },
	{ "root", "GET", "/", MATCH_NOT_FOUND, -1, NULL },
	{ "empty", "GET", "", MATCH_NOT_FOUND, -1, NULL },
	{ "encoded slash refused", "GET", "/v1/plans/a%2Fb", MATCH_NOT_FOUND, -1, NULL },
	{ "bad escape refused", "GET", "/v1/plans/%zz", MATCH_NOT_FOUND, -1, NULL },
	{ "truncated escape refused", "GET", "/v1/plans/%4", MATCH_NOT_FOUND, -1, NULL },
	{ "NUL escape refused", "GET", "/v1/plans/%00", MATCH_NOT_FOUND, -1, NULL },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		const struct route *got = NULL;
		struct path_params pp;
		char allow[64];
		enum match_result m =
			router_match(routes, N, r->method, r->path, &got, &pp, allow, sizeof allow);
		if (m != r->want)
			fail_msg("%s: result %d, want %d", r->name, m, r->want);
		if (m == MATCH_FOUND && got != &routes[r->route_index])
			fail_msg("%s: wrong route %s", r->name, got->path);
		if (m == MATCH_WRONG_METHOD && strcmp(allow, r->allow) != 0)
			fail_msg("%s: Allow \"%s\", want \"%s\"", r->name, allow, r->allow);
	}
}

static void test_params_decoded(void **state)
{
	(void)state;
	const struct route *got;
	struct path_params pp;
	char allow[64];
	assert_int_equal(router_match(routes, N, "GET", "/v1/units/u%C3%A1/staff/7", &got, &pp,
				      allow, sizeof allow),
			 MATCH_FOUND);
	assert_string_equal(path_param(&pp, "unit_id"), "u\xc3\xa1");
	assert_string_equal(path_param(&pp, "staff_id"), "7");
	assert_null(path_param(&pp, "unit"));
	assert_null(path_param(&pp, "id"));
}

static void test_long_segment_refused(void **state)
{
	(void)state;
	char path[600] = "/v1/plans/";
	memset(path + strlen(path), 'x', 400);
	const struct route *got;
	struct path_params pp;
	assert_int_equal(router_match(routes, N, "GET", path, &got, &pp, NULL, 0), MATCH_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_params_decoded),
		cmocka_unit_test(test_long_segment_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
