/*
 * metrics.c — counters, histograms and the text exposition (see metrics.h).
 */
#include "http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_MIN 100
#define STATUS_SLOTS 500 /* 100..599 */
#define MAX_SOURCES 8

/* Bucket upper bounds in µs; the text shows them in seconds. */
static const uint64_t bucket_us[] = { 1000,   2500,   5000,   10000,   25000,	50000,
				      100000, 250000, 500000, 1000000, 2500000, 5000000 };
#define N_BUCKETS (sizeof bucket_us / sizeof bucket_us[0])

struct route_stats {
	atomic_uint_fast64_t by_status[STATUS_SLOTS];
	atomic_uint_fast64_t buckets[N_BUCKETS]; /* non-cumulative; summed on render */
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t sum_us;
};

static const struct route *table;
static size_t n_routes;
static struct route_stats *stats; /* n_routes + 1 entries */

static struct {
	metrics_source_fn fn;
	void *ctx;
} sources[MAX_SOURCES];
static size_t n_sources;

struct metrics_buf {
	char *data;
	size_t len, cap;
	int failed;
};

void metrics_init(const struct route *routes, size_t n)
{
	table = routes;
	n_routes = n;
	stats = calloc(n + 1, sizeof *stats);
	if (!stats)
		abort();
}

void metrics_free(void)
{
	free(stats);
	stats = NULL;
	n_sources = 0;
}

void metrics_observe(size_t route_index, int status, uint64_t duration_us)
{
	if (!stats)
		return;
	struct route_stats *s = &stats[route_index <= n_routes ? route_index : n_routes];
	if (status >= STATUS_MIN && status < STATUS_MIN + STATUS_SLOTS)
		atomic_fetch_add_explicit(&s->by_status[status - STATUS_MIN], 1,
					  memory_order_relaxed);
	size_t b = 0;
	while (b < N_BUCKETS && duration_us > bucket_us[b])
		b++;
	if (b < N_BUCKETS)
		atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, duration_us, memory_order_relaxed);
}

void metrics_add_source(metrics_source_fn fn, void *ctx)
{
	if (n_sources < MAX_SOURCES) {
		sources[n_sources].fn = fn;
		sources[n_sources].ctx = ctx;
		n_sources++;
	}
}

void metrics_printf(struct metrics_buf *out, const char *fmt, ...)
{
	if (out->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(out->data + out->len, out->cap - out->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			out->failed = 1;
			return;
		}
		if ((size_t)n < out->cap - out->len) {
			out->len += (size_t)n;
			return;
		}
		size_t cap = out->cap * 2 + (size_t)n;
		char *grown = realloc(out->data, cap);
		if (!grown) {
			out->failed = 1;
			return;
		}
		out->data = grown;
		out->cap = cap;
	}
}

static void route_labels(size_t i, const char **route, const char **method)
{
	*route = i < n_routes ? table[i].path : "unmatched";
	*method = i < n_routes ? table[i].method : "any";
}

static void render_requests(struct metrics_buf *out)
{
	metrics_printf(out, "# HELP thidua_http_requests_total HTTP requests answered, "
			    "by route template, method and status.\n"
			    "# TYPE thidua_http_requests_total counter\n");
	for (size_t i = 0; i <= n_routes; i++) {
		const char *route, *method;
		route_labels(i, &route, &method);
		for (int s = 0; s < STATUS_SLOTS; s++) {
			uint_fast64_t v =
				atomic_load_explicit(&stats[i].by_status[s], memory_order_relaxed);
			if (v)
				metrics_printf(
					out,
					"thidua_http_requests_total{route=\"%s\",method=\"%s\","
					"status=\"%d\"} %llu\n",
					route, method, s + STATUS_MIN, (unsigned long long)v);
		}
	}
}

static void render_histograms(struct metrics_buf *out)
{
	metrics_printf(out, "# HELP thidua_http_request_duration_seconds Time from the complete "
			    "request to the handler's answer.\n"
			    "# TYPE thidua_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= n_routes; i++) {
		uint_fast64_t count = atomic_load_explicit(&stats[i].count, memory_order_relaxed);
		if (!count)
			continue;
		const char *route, *method;
		route_labels(i, &route, &method);
		uint64_t cumulative = 0;
		for (size_t b = 0; b < N_BUCKETS; b++) {
			cumulative +=
				atomic_load_explicit(&stats[i].buckets[b], memory_order_relaxed);
			metrics_printf(out,
				       "thidua_http_request_duration_seconds_bucket{route=\"%s\","
				       "method=\"%s\",le=\"%g\"} %llu\n",
				       route, method, (double)bucket_us[b] / 1e6,
				       (unsigned long long)cumulative);
		}
		/* count read before the buckets may lag them; never let +Inf < a bucket */
		if (count < cumulative)
			count = cumulative;
		metrics_printf(out,
			       "thidua_http_request_duration_seconds_bucket{route=\"%s\","
			       "method=\"%s\",le=\"+Inf\"} %llu\n",
			       route, method, (unsigned long long)count);
		metrics_printf(
			out,
			"thidua_http_request_duration_seconds_sum{route=\"%s\","
			"method=\"%s\"} %.6f\n",
			route, method,
			(double)atomic_load_explicit(&stats[i].sum_us, memory_order_relaxed) / 1e6);
		metrics_printf(out,
			       "thidua_http_request_duration_seconds_count{route=\"%s\","
			       "method=\"%s\"} %llu\n",
			       route, method, (unsigned long long)count);
	}
}

char *metrics_render_new(size_t *len)
{
	struct metrics_buf out = { malloc(16384), 0, 16384, 0 };
	if (!out.data)
		return NULL;
	out.data[0] = '\0';
	metrics_printf(&out,
		       "# HELP thidua_build_info Version and commit of the running binary.\n"
		       "# TYPE thidua_build_info gauge\n"
		       "thidua_build_info{version=\"%s\",commit=\"%s\"} 1\n",
		       THIDUA_VERSION, THIDUA_COMMIT);
	if (stats) {
		render_requests(&out);
		render_histograms(&out);
	}
	for (size_t i = 0; i < n_sources; i++)
		sources[i].fn(&out, sources[i].ctx);
	if (out.failed) {
		free(out.data);
		return NULL;
	}
	*len = out.len;
	return out.data;
}
