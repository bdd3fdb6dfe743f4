/*
 * log.h — structured logs: one JSON object per line on stdout.
 *
 * Every line has ts (RFC 3339, UTC, milliseconds), level and msg; the access
 * log adds method, route (the template, never the raw path, so that ids and
 * personal data in URLs stay out of the logs), status, duration_us and
 * request_id.  Lines are written with a single write(2), so lines from
 * concurrent threads never interleave.  Secrets must never be passed here.
 */
#ifndef THIDUA_HTTP_LOG_H
#define THIDUA_HTTP_LOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

void log_init(enum log_level min_level, bool access_log);
bool log_enabled(enum log_level level);

/* Logs msg with extra fields; steals the reference to fields (may be NULL). */
void log_event(enum log_level level, const char *msg, json_t *fields);

/* printf-style convenience for messages without structured fields. */
void log_msgf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct access_entry {
	const char *method;
	const char *route; /* template, or "unmatched" */
	int status;
	uint64_t duration_us;
	const char *request_id;
	const char *traceparent; /* may be NULL */
};

void log_access(const struct access_entry *e);

#endif
