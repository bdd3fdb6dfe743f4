/*
 * metrics.h — Prometheus text exposition (format 0.0.4), written by hand.
 *
 * Debian has no Prometheus client for C, and we need little: request counts
 * by route template, method and status; a latency histogram by route; a few
 * gauges that other layers report through callbacks (the http layer knows no
 * database).  Counters are lock-free atomics indexed by route, so recording
 * costs a few nanoseconds on the request path.
 */
#ifndef THIDUA_HTTP_METRICS_H
#define THIDUA_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "http/router.h"

/* Sets up counters for routes[0..n); index n counts unmatched requests. */
void metrics_init(const struct route *routes, size_t n);
void metrics_free(void);

void metrics_observe(size_t route_index, int status, uint64_t duration_us);

/* A gauge family sampled at scrape time; fn appends its lines to out. */
struct metrics_buf;
typedef void (*metrics_source_fn)(struct metrics_buf *out, void *ctx);
void metrics_add_source(metrics_source_fn fn, void *ctx);
void metrics_printf(struct metrics_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The whole exposition; a new string the caller frees, or NULL. */
char *metrics_render_new(size_t *len);

#endif
