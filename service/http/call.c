/*
 * call.c — one request on its way: what a handler reads from it and the
 * ways it answers (see call.h).  The dispatcher is in dispatch.c.
 */
#include "http/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "domain/csv.h"
#include "http/log.h"

void call_reset_answer(struct call *c)
{
	c->status = 0;
	ulfius_clean_response(c->res);
	if (ulfius_init_response(c->res) != U_OK)
		abort(); /* no memory for an empty response: nothing sane is left */
}

void call_set_header(struct call *c, const char *name, const char *value)
{
	u_map_put(c->res->map_header, name, value);
}

void call_add_vary(struct call *c, const char *field)
{
	const char *had = u_map_get_case(c->res->map_header, "Vary");
	if (!had || !*had) {
		call_set_header(c, "Vary", field);
		return;
	}
	if (strcasestr(had, field))
		return;
	char both[256];
	snprintf(both, sizeof both, "%s, %s", had, field);
	call_set_header(c, "Vary", both);
}

void call_language_headers(struct call *c)
{
	call_set_header(c, "Content-Language", lang_tag(c->lang));
	call_add_vary(c, "Accept-Language");
}

/* One header's values in a request head (call_req_header). */
struct header_search {
	const char *name;
	const char *first; /* the first value */
	size_t count, total; /* values; their bytes */
	char *joined; /* the second pass: where they are joined */
	size_t used;
};

/* ulfius' rule, kept: a header whose name or value is not UTF-8 is left
 * out; a repeated one's values are joined with ','. */
static bool header_usable(const char *key, const char *value)
{
	return utf8_valid(key, strlen(key), NULL) && utf8_valid(value, strlen(value), NULL);
}

/* One callback, two passes: without a buffer it counts the values and
 * their bytes, with one it joins them there. */
static enum MHD_Result visit_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	struct header_search *h = cls;
	if (!value)
		value = "";
	if (strcasecmp(key, h->name) != 0 || !header_usable(key, value))
		return MHD_YES;
	size_t n = strlen(value);
	if (!h->joined) {
		if (!h->first)
			h->first = value;
		h->count++;
		h->total += n + 1;
		return MHD_YES;
	}
	if (h->used)
		h->joined[h->used++] = ',';
	memcpy(h->joined + h->used, value, n);
	h->used += n;
	return MHD_YES;
}

const char *call_req_header(const struct call *c, const char *name)
{
	/* joined values are kept in the request's map, for the call's life */
	const char *kept = u_map_get_case(c->req->map_header, name);
	if (kept || !c->head)
		return kept;
	struct header_search h = { .name = name };
	MHD_get_connection_values(c->head, MHD_HEADER_KIND, visit_header, &h);
	if (h.count <= 1)
		return h.first; /* in the connection's memory until the request ends */
	h.joined = malloc(h.total);
	if (!h.joined)
		return NULL;
	MHD_get_connection_values(c->head, MHD_HEADER_KIND, visit_header, &h);
	h.joined[h.used] = '\0';
	u_map_put(c->req->map_header, name, h.joined);
	free(h.joined);
	return u_map_get_case(c->req->map_header, name);
}

void call_client_address(const struct call *c, char *out, size_t len)
{
	out[0] = '\0';
	const struct sockaddr *sa = c->req->client_address;
	if (!sa)
		return;
	/* ulfius copies only sizeof(struct sockaddr), enough for IPv4 alone */
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)len);
	else if (sa->sa_family == AF_INET6) {
		/* the first 8 bytes of the address survive the copy: the /64
		 * prefix, which is also the right granularity to throttle IPv6 */
		const unsigned char *a = (const unsigned char *)sa->sa_data + 6;
		snprintf(out, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", a[0], a[1], a[2],
			 a[3], a[4], a[5], a[6], a[7]);
	}
}

void call_bytes(struct call *c, int status, const char *content_type, const char *data, size_t len)
{
	if (c->status) {
		log_msgf(LOG_ERROR, "handler answered twice on %s",
			 c->route ? c->route->path : "?");
		return;
	}
	c->status = status;
	c->res->status = (unsigned)status;
	if (status == 204 || status == 304)
		return; /* no body, no Content-Type */
	call_set_header(c, "Content-Type", content_type);
	if (ulfius_set_binary_body_response(c->res, (unsigned)status, data, len) != U_OK && len)
		c->res->status = 500;
}

void call_take(struct call *c, int status, const char *content_type, char *data, size_t len)
{
	if (c->status || status == 204 || status == 304) {
		call_bytes(c, status, content_type, "", 0); /* logs a second answer */
		free(data);
		return;
	}
	c->status = status;
	c->res->status = (unsigned)status;
	call_set_header(c, "Content-Type", content_type);
	/* ulfius frees the body with o_free, which is free() as we do not change
	 * orcania's allocator; handing it over saves a copy of large pages */
	free(c->res->binary_body);
	c->res->binary_body = data;
	c->res->binary_body_length = len;
}

void call_json(struct call *c, int status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(body);
	if (!text) {
		call_problem(c, problem_internal());
		return;
	}
	call_take(c, status, "application/json", text, strlen(text));
}

void call_problem(struct call *c, struct problem *p)
{
	if (p->retry_after_s) {
		char ra[16];
		snprintf(ra, sizeof ra, "%u", p->retry_after_s);
		call_set_header(c, "Retry-After", ra);
	}
	if (p->allow)
		call_set_header(c, "Allow", p->allow);
	call_language_headers(c);
	json_t *doc = problem_to_json_new(p, c->path, c->request_id);
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	int status = p->status;
	problem_free(p);
	if (!text) {
		static const char fallback[] =
			"{\"type\":\"urn:thidua:problem:internal\","
			"\"title\":\"Internal Server Error\",\"status\":500}";
		call_bytes(c, 500, "application/problem+json", fallback, sizeof fallback - 1);
		return;
	}
	call_bytes(c, status, "application/problem+json", text, strlen(text));
	free(text);
}

const char *call_query(const struct call *c, const char *name)
{
	return u_map_get(c->req->map_url, name);
}

const char *call_query_string(const struct call *c)
{
	const char *q = strchr(c->req->http_url, '?');
	return q ? q + 1 : "";
}

const void *call_body(const struct call *c, size_t *len)
{
	*len = c->req->binary_body_length;
	return c->req->binary_body;
}
