/* Unit tests: counters and histogram buckets in the exposition text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http/metrics.h"

static void h(struct call *c)
{
	(void)c;
}

static const struct route routes[] = {
	{ "GET", "/healthz", h, "public", BODY_NONE, NULL },
	{ "GET", "/v1/plans/{id}", h, "plan.read", BODY_NONE, NULL },
};

static void gauge(struct metrics_buf *out, void *ctx)
{
	metrics_printf(out, "# TYPE test_gauge gauge\ntest_gauge %d\n", *(int *)ctx);
}

static void test_render(void **state)
{
	(void)state;
	metrics_init(routes, 2);
	int v = 7;
	metrics_add_source(gauge, &v);
	metrics_observe(0, 200, 800); /* 0.8 ms: first bucket */
	metrics_observe(0, 200, 30000); /* 30 ms: le=0.05 */
	metrics_observe(1, 404, 9000000); /* 9 s: only +Inf */
	metrics_observe(2, 405, 10); /* unmatched */
	size_t len;
	char *text = metrics_render_new(&len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	const char *want[] = {
		"thidua_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n",
		"thidua_http_requests_total{route=\"/v1/plans/"
		"{id}\",method=\"GET\",status=\"404\"} "
		"1\n",
		"thidua_http_requests_total{route=\"unmatched\",method=\"any\",status=\"405\"} 1\n",
		"thidua_http_request_duration_seconds_bucket{route=\"/"
		"healthz\",method=\"GET\",le=\"0.001\"} 1\n",
		"thidua_http_request_duration_seconds_bucket{route=\"/"
		"healthz\",method=\"GET\",le=\"0.025\"} 1\n",
		"thidua_http_request_duration_seconds_bucket{route=\"/"
		"healthz\",method=\"GET\",le=\"0.05\"} 2\n",
		"thidua_http_request_duration_seconds_bucket{route=\"/v1/plans/"
		"{id}\",method=\"GET\",le=\"5\"} 0\n",
		"thidua_http_request_duration_seconds_bucket{route=\"/v1/plans/"
		"{id}\",method=\"GET\",le=\"+Inf\"} 1\n",
		"thidua_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2\n",
		"thidua_http_request_duration_seconds_sum{route=\"/healthz\",method=\"GET\"} "
		"0.030800\n",
		"test_gauge 7\n",
		"thidua_build_info{version=\"",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(text, want[i]))
			fail_msg("missing: %s\n--- got:\n%s", want[i], text);
	free(text);
	metrics_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_render) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
