/*
 * log.c — JSON lines on stdout (see log.h).
 */
#include "http/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static bool access_enabled = true;

void log_init(enum log_level level, bool access_log)
{
	min_level = level;
	access_enabled = access_log;
}

bool log_enabled(enum log_level level)
{
	return level >= min_level;
}

static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* Writes the object as one line; consumes obj. */
static void emit(json_t *obj)
{
	char *line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!line)
		return;
	size_t n = strlen(line);
	line[n] = '\n'; /* json_dumps leaves room: replace NUL, length n + 1 */
	ssize_t w = write(STDOUT_FILENO, line, n + 1);
	(void)w; /* nowhere to report a failed log write */
	free(line);
}

static json_t *base_new(enum log_level level, const char *msg)
{
	char ts[40];
	timestamp(ts, sizeof ts);
	return json_pack("{s:s, s:s, s:s}", "ts", ts, "level", log_level_name(level), "msg", msg);
}

void log_event(enum log_level level, const char *msg, json_t *fields)
{
	if (!log_enabled(level)) {
		json_decref(fields);
		return;
	}
	json_t *obj = base_new(level, msg);
	if (obj && fields)
		json_object_update(obj, fields);
	json_decref(fields);
	if (obj)
		emit(obj);
}

void log_msgf(enum log_level level, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_event(level, msg, NULL);
}

void log_access(const struct access_entry *e)
{
	if (!access_enabled || !log_enabled(LOG_INFO))
		return;
	json_t *obj = base_new(LOG_INFO, "request");
	if (!obj)
		return;
	json_object_set_new(obj, "method", json_string(e->method));
	json_object_set_new(obj, "route", json_string(e->route));
	json_object_set_new(obj, "status", json_integer(e->status));
	json_object_set_new(obj, "duration_us", json_integer((json_int_t)e->duration_us));
	json_object_set_new(obj, "request_id", json_string(e->request_id));
	if (e->traceparent)
		json_object_set_new(obj, "traceparent", json_string(e->traceparent));
	emit(obj);
}
