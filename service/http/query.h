/*
 * query.h — the query string of a request, parsed here rather than by
 * libmicrohttpd (server.c says why), into the map the handlers read.
 *
 * The rules are libmicrohttpd's, which the service used before: parameters
 * separated by '&', name and value by the first '=', '+' is a space, %XY a
 * byte (a '%' not followed by two hex digits stays as it is), a name
 * without '=' has the value "", and the values of a repeated name are
 * joined with ','.  Two things are refused instead of passed on quietly: a
 * name or value that is not UTF-8 once decoded (ulfius used to drop the
 * parameter, and with it the filter it carried), and more than
 * QUERY_MAX_PARAMS parameters (libmicrohttpd used to run out of its
 * per-connection memory storing them and drop the connection unanswered).
 */
#ifndef THIDUA_HTTP_QUERY_H
#define THIDUA_HTTP_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <ulfius.h>

/* Far more than any route takes (five at most today), far fewer than would
 * make the map or the answer costly. */
#define QUERY_MAX_PARAMS 64

enum query_fault { QUERY_OK, QUERY_TOO_MANY, QUERY_NOT_UTF8 };

struct query_problem {
	enum query_fault fault;
	char name[96]; /* QUERY_NOT_UTF8: the parameter, as sent (percent-encoded) */
};

/* A new, empty ulfius map from malloc (u_map_clean_full frees it), or NULL
 * when out of memory: the parsed query's, and the request's joined headers
 * (call.h). */
struct _u_map *query_map_new(void);

/* Parses query (the part after '?', as sent) into a new map, *map (NULL
 * when the query is empty or too long to look at; the caller frees it with
 * u_map_clean_full); stops at the first fault, which it describes in *qp
 * (QUERY_OK when there is none). */
void query_parse(const char *query, struct _u_map **map, struct query_problem *qp);

#endif
