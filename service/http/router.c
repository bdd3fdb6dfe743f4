/*
 * router.c — segment-by-segment matching of paths against route templates.
 *
 * Linear over the table: with tens of routes a scan of pointer-compared
 * segments costs far less than the rest of a request, and it keeps the
 * table the single source of truth.  Paths are compared byte for byte, so
 * "/healthz/" and "/Healthz" are not "/healthz".
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decodes seg[0..len) into out; false if malformed or too long, or
 * if it decodes to NUL or '/', which no identifier contains. */
static bool decode_segment(const char *seg, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = seg[i];
		if (ch == '%') {
			if (i + 2 >= len)
				return false;
			int hi = hexval(seg[i + 1]);
			int lo = hexval(seg[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			ch = (char)(hi * 16 + lo);
			if (ch == '\0' || ch == '/')
				return false;
			i += 2;
		}
		if (o + 1 >= cap)
			return false;
		out[o++] = ch;
	}
	out[o] = '\0';
	return o > 0;
}

/* Does path match template?  Fills params when it does. */
static bool path_matches(const char *tmpl, const char *path, struct path_params *params)
{
	params->count = 0;
	for (;;) {
		if (*tmpl != '/' || *path != '/')
			return *tmpl == '\0' && *path == '\0';
		tmpl++;
		path++;
		size_t tl = strcspn(tmpl, "/");
		size_t pl = strcspn(path, "/");
		if (tl > 2 && tmpl[0] == '{' && tmpl[tl - 1] == '}') {
			if (params->count == ROUTER_MAX_PARAMS)
				return false;
			size_t k = params->count;
			if (!decode_segment(path, pl, params->values[k], ROUTER_MAX_SEGMENT))
				return false;
			params->names[k] = tmpl + 1; /* ends at '}'; see path_param */
			params->count++;
		} else if (tl != pl || memcmp(tmpl, path, tl) != 0) {
			return false;
		}
		tmpl += tl;
		path += pl;
	}
}

static void allow_add(char *allow, size_t cap, const char *method)
{
	if (strstr(allow, method)) /* methods are distinct words; GET vs HEAD fine */
		return;
	size_t used = strlen(allow);
	snprintf(allow + used, cap - used, "%s%s", used ? ", " : "", method);
}

enum match_result router_match(const struct route *routes, size_t n, const char *method,
			       const char *path, const struct route **out,
			       struct path_params *params, char *allow, size_t allow_len)
{
	bool head = strcmp(method, "HEAD") == 0;
	bool any = false;
	if (allow_len)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		struct path_params tmp;
		if (!path_matches(routes[i].path, path, &tmp))
			continue;
		const char *m = routes[i].method;
		if (strcmp(m, method) == 0 || (head && strcmp(m, "GET") == 0)) {
			*out = &routes[i];
			*params = tmp;
			return MATCH_FOUND;
		}
		any = true;
		if (allow_len) {
			allow_add(allow, allow_len, m);
			if (strcmp(m, "GET") == 0)
				allow_add(allow, allow_len, "HEAD");
		}
	}
	return any ? MATCH_WRONG_METHOD : MATCH_NOT_FOUND;
}

const char *path_param(const struct path_params *params, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < params->count; i++) {
		const char *n = params->names[i];
		if (strncmp(n, name, len) == 0 && n[len] == '}')
			return params->values[i];
	}
	return NULL;
}
