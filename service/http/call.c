/*
 * call.c — one request on its way: what a handler reads from it and the
 * ways it answers (see call.h).  The dispatcher is in dispatch.c.
 */
#include "http/call.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "domain/csv.h"
#include "http/log.h"
#include "http/proxy.h"

void http_request_clear(struct http_request *req)
{
	free(req->target);
	if (req->query_map)
		u_map_clean_full(req->query_map);
	if (req->joined)
		u_map_clean_full(req->joined);
	free(req->body);
	memset(req, 0, sizeof *req);
}

void http_answer_clear(struct http_answer *res)
{
	for (size_t i = 0; i < res->n_headers; i++)
		if (res->headers[i].owned)
			free(res->headers[i].value);
	free(res->body);
	if (res->stream.release)
		res->stream.release(res->stream.ctx);
	res->stream = (struct answer_stream){ 0 };
	/* the room needs no clearing: values are found through headers[] */
	res->status = 0;
	res->body = NULL;
	res->body_len = 0;
	res->n_headers = 0;
	res->room_used = 0;
}

const char *http_answer_header(const struct http_answer *res, const char *name)
{
	for (size_t i = 0; i < res->n_headers; i++)
		if (strcasecmp(res->headers[i].name, name) == 0)
			return res->headers[i].value;
	return NULL;
}

void call_stream(struct call *c, int status, const char *content_type,
		 const struct answer_stream *how)
{
	if (c->status) {
		log_msgf(LOG_ERROR, "handler answered twice on %s",
			 c->route ? c->route->path : "?");
		how->release(how->ctx);
		return;
	}
	c->status = status;
	c->res->status = (unsigned)status;
	free(c->res->body);
	c->res->body = NULL;
	c->res->body_len = 0;
	c->res->stream = *how;
	call_set_header(c, "Content-Type", content_type);
}

/* The memory a collected stream is written into. */
struct collector {
	struct stream_out out;
	char *data;
	size_t len, cap;
	bool failed;
};

static bool collect_write(struct stream_out *out, const char *data, size_t len)
{
	struct collector *k = (struct collector *)out;
	if (k->failed || len > SIZE_MAX / 2 - k->len)
		return !(k->failed = true);
	if (k->len + len > k->cap) {
		size_t cap = k->cap ? k->cap : (size_t)64 * 1024;
		while (cap < k->len + len)
			cap *= 2;
		char *grown = realloc(k->data, cap);
		if (!grown)
			return !(k->failed = true);
		k->data = grown;
		k->cap = cap;
	}
	memcpy(k->data + k->len, data, len);
	k->len += len;
	return true;
}

bool http_answer_collect(struct http_answer *res)
{
	struct answer_stream how = res->stream;
	if (!how.produce)
		return true;
	res->stream = (struct answer_stream){ 0 };
	struct collector k = { .out = { collect_write } };
	enum stream_step step;
	while ((step = how.produce(how.ctx, &k.out)) == STREAM_MORE)
		;
	how.release(how.ctx);
	if (step != STREAM_DONE || k.failed) {
		free(k.data);
		return false;
	}
	free(res->body);
	res->body = k.data;
	res->body_len = k.len;
	return true;
}

void call_reset_answer(struct call *c)
{
	c->status = 0;
	http_answer_clear(c->res);
}

/* A copy of value for res: in its room while there is some, else from
 * malloc (*owned).  NULL when out of memory. */
static char *answer_copy(struct http_answer *res, const char *value, bool *owned)
{
	size_t n = strlen(value) + 1;
	*owned = n > sizeof res->room - res->room_used;
	if (*owned)
		return strdup(value);
	char *at = res->room + res->room_used;
	memcpy(at, value, n);
	res->room_used += n;
	return at;
}

void call_set_header(struct call *c, const char *name, const char *value)
{
	struct http_answer *res = c->res;
	size_t i = 0;
	while (i < res->n_headers && strcasecmp(res->headers[i].name, name) != 0)
		i++;
	if (i == ANSWER_MAX_HEADERS) {
		log_msgf(LOG_ERROR, "answer header %s dropped: more than %d headers", name,
			 ANSWER_MAX_HEADERS);
		return;
	}
	bool owned;
	char *copy = answer_copy(res, value, &owned);
	if (!copy) {
		log_msgf(LOG_ERROR, "answer header %s dropped: out of memory", name);
		return;
	}
	struct answer_header *h = &res->headers[i];
	if (i == res->n_headers)
		res->n_headers++;
	else if (h->owned)
		free(h->value);
	*h = (struct answer_header){ .name = name, .value = copy, .owned = owned };
}

void call_add_vary(struct call *c, const char *field)
{
	const char *had = http_answer_header(c->res, "Vary");
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
	/* joined values are kept in the request, for the call's life */
	const char *kept = c->req->joined ? u_map_get_case(c->req->joined, name) : NULL;
	if (kept || !c->head)
		return kept;
	struct header_search h = { .name = name };
	MHD_get_connection_values(c->head, MHD_HEADER_KIND, visit_header, &h);
	if (h.count <= 1)
		return h.first; /* in the connection's memory until the request ends */
	struct http_request *req = c->req;
	if (!req->joined && !(req->joined = query_map_new()))
		return NULL;
	h.joined = malloc(h.total);
	if (!h.joined)
		return NULL;
	MHD_get_connection_values(c->head, MHD_HEADER_KIND, visit_header, &h);
	h.joined[h.used] = '\0';
	u_map_put(req->joined, name, h.joined);
	free(h.joined);
	return u_map_get_case(req->joined, name);
}

void call_client_address(const struct call *c, char *out, size_t len)
{
	out[0] = '\0';
	const struct sockaddr_storage *ss = &c->req->client;
	struct proxy_addr peer = { 0 };
	if (ss->ss_family == AF_INET) {
		peer.family = AF_INET;
		memcpy(peer.addr, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		peer.family = AF_INET6;
		memcpy(peer.addr, &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr, 16);
	} else {
		return;
	}
	/* behind a trusted proxy, the client it names (proxy.h) */
	const struct proxy_trust *t = proxy_current();
	struct proxy_addr a = t->n ? proxy_client(t, &peer, call_req_header(c, "Forwarded"),
						  call_req_header(c, "X-Forwarded-For"))
				   : peer;
	if (a.family == AF_INET) {
		inet_ntop(AF_INET, a.addr, out, (socklen_t)len);
	} else if (a.family == AF_INET6) {
		/* the /64 prefix: the granularity at which IPv6 is throttled */
		const unsigned char *b = a.addr;
		snprintf(out, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2],
			 b[3], b[4], b[5], b[6], b[7]);
	}
}

void call_bytes(struct call *c, int status, const char *content_type, const char *data, size_t len)
{
	char *copy = len ? malloc(len) : NULL;
	if (copy)
		memcpy(copy, data, len);
	bool lost = len && !copy && !c->status;
	call_take(c, status, content_type, copy, copy ? len : 0);
	if (lost)
		c->res->status = 500; /* no memory for the body */
}

void call_take(struct call *c, int status, const char *content_type, char *data, size_t len)
{
	if (c->status) {
		log_msgf(LOG_ERROR, "handler answered twice on %s",
			 c->route ? c->route->path : "?");
		free(data);
		return;
	}
	c->status = status;
	c->res->status = (unsigned)status;
	if (status == 204 || status == 304) {
		free(data);
		return; /* no body, no Content-Type */
	}
	call_set_header(c, "Content-Type", content_type);
	/* handing the body over saves a copy of large pages */
	free(c->res->body);
	c->res->body = data;
	c->res->body_len = len;
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
	return c->req->query_map ? u_map_get(c->req->query_map, name) : NULL;
}

const char *call_query_string(const struct call *c)
{
	return c->req->query ? c->req->query : "";
}

const void *call_body(const struct call *c, size_t *len)
{
	*len = c->req->body_len;
	return c->req->body;
}
