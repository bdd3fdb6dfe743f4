/*
 * query.c — parsing a query string (see query.h).
 */
#include "http/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csv.h"

static int hex_value(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) into out (room for n + 1 bytes) as libmicrohttpd does:
 * '+' is a space, %XY a byte.  out is NUL-terminated; a decoded NUL ends
 * it early, as it ended the value ulfius handed on. */
static void decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n && s[i] == '%' ? hex_value(s[i + 1]) : -1;
		int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
		if (lo >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	out[o] = '\0';
}

static size_t count_params(const char *query)
{
	size_t n = 0;
	for (const char *p = query; *p;) {
		n++;
		p += strcspn(p, "&");
		if (*p == '&')
			p++;
	}
	return n;
}

static void put_joined(struct _u_map *map, const char *name, const char *value)
{
	const char *had = u_map_get(map, name);
	if (!had) {
		u_map_put(map, name, value);
		return;
	}
	size_t len = strlen(had) + strlen(value) + 2;
	char *both = malloc(len);
	if (!both)
		return;
	snprintf(both, len, "%s,%s", had, value);
	u_map_put(map, name, both);
	free(both);
}

struct _u_map *query_map_new(void)
{
	struct _u_map *map = malloc(sizeof *map);
	if (map && u_map_init(map) != U_OK) {
		free(map);
		map = NULL;
	}
	return map;
}

void query_parse(const char *query, struct _u_map **out, struct query_problem *qp)
{
	qp->fault = QUERY_OK;
	qp->name[0] = '\0';
	*out = NULL;
	if (!*query)
		return;
	if (count_params(query) > QUERY_MAX_PARAMS) {
		qp->fault = QUERY_TOO_MANY;
		return;
	}
	struct _u_map *map = *out = query_map_new();
	size_t longest = strlen(query);
	char *name = malloc(longest + 1), *value = malloc(longest + 1);
	for (const char *p = query; map && name && value && *p;) {
		size_t seg = strcspn(p, "&");
		const char *eq = memchr(p, '=', seg);
		size_t name_len = eq ? (size_t)(eq - p) : seg;
		decode(p, name_len, name);
		decode(eq ? eq + 1 : "", eq ? seg - name_len - 1 : 0, value);
		if (!utf8_valid(name, strlen(name), NULL) ||
		    !utf8_valid(value, strlen(value), NULL)) {
			qp->fault = QUERY_NOT_UTF8;
			snprintf(qp->name, sizeof qp->name, "%.*s",
				 (int)(name_len < sizeof qp->name ? name_len : sizeof qp->name - 1),
				 p);
			break;
		}
		put_joined(map, name, value);
		p += seg;
		if (*p == '&')
			p++;
	}
	free(name);
	free(value);
}
