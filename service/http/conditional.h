/*
 * conditional.h — conditional requests (RFC 9110 §13): entity tags and
 * HTTP dates, for answers a cache or a feed reader asks for again.
 * Pure: no I/O.
 */
#ifndef THIDUA_HTTP_CONDITIONAL_H
#define THIDUA_HTTP_CONDITIONAL_H

#include <stdbool.h>
#include <time.h>

/* Whether the If-None-Match field value (a comma-separated list of
 * entity tags, or "*") matches etag (a quoted strong tag, "\"abc\""),
 * by the weak comparison GET uses (§13.1.2: W/ is ignored).  A malformed
 * list matches nothing. */
bool http_etag_matches(const char *if_none_match, const char *etag);

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): 29 characters. */
#define HTTP_DATE_LEN 30
void http_date_format(time_t t, char out[HTTP_DATE_LEN]);
/* Parses an IMF-fixdate; false for anything else (the obsolete formats
 * are not accepted: the field is then ignored, as §13.1.3 allows). */
bool http_date_parse(const char *s, time_t *t);

/* Parses an RFC 3339 date-time ("2022-12-30T09:12:00.123456+00:00",
 * "…Z"), as PostgreSQL writes a timestamptz in JSON, to whole seconds. */
bool rfc3339_parse(const char *s, time_t *t);

#endif
