/*
 * dispatch.c — the request dispatcher (see dispatch.h).
 */
#include "http/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "http/auth.h"
#include "http/form.h"
#include "http/log.h"
#include "http/metrics.h"

static struct dispatch_config dc;

/* Headers a browser may send cross-origin, and those it may read. */
#define CORS_ALLOW_HEADERS                                                          \
	"Authorization, Content-Type, If-Match, If-None-Match, If-Modified-Since, " \
	"Idempotency-Key, X-Request-Id, traceparent, Accept-Language"
#define CORS_EXPOSE_HEADERS "ETag, Link, Location, Retry-After, X-Request-Id, Content-Language"

void dispatch_init(const struct dispatch_config *cfg)
{
	dc = *cfg;
}

bool request_id_valid(const char *id)
{
	size_t n = 0;
	for (; id[n]; n++) {
		unsigned char ch = (unsigned char)id[n];
		if (ch < 0x21 || ch > 0x7e || n >= 128)
			return false;
	}
	return n > 0;
}

/*
 * 128 bits: a random 64-bit prefix per thread (from the kernel, once) and a
 * per-thread counter.  Unique across threads and restarts without a system
 * call per request; request ids are correlation handles, not secrets.
 */
void request_id_generate(char out[33])
{
	static __thread uint64_t prefix, counter;
	if (!prefix) {
		while (getrandom(&prefix, sizeof prefix, 0) != (ssize_t)sizeof prefix || !prefix) {
			struct timespec ts; /* no entropy yet: still unique per thread */
			clock_gettime(CLOCK_REALTIME, &ts);
			prefix = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
				 (uint64_t)(uintptr_t)&ts;
			if (prefix)
				break;
		}
	}
	static const char hex[] = "0123456789abcdef";
	uint64_t halves[2] = { prefix, ++counter };
	for (int h = 0; h < 2; h++)
		for (int i = 0; i < 16; i++)
			out[h * 16 + i] = hex[(halves[h] >> (60 - 4 * i)) & 0xf];
	out[32] = '\0';
}

bool cors_origin_allowed(const char *allow_list, const char *origin)
{
	if (!allow_list || !origin || !*origin)
		return false;
	size_t olen = strlen(origin);
	const char *p = allow_list;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		size_t trimmed = len;
		while (trimmed > 0 && p[trimmed - 1] == ' ')
			trimmed--;
		if (trimmed == olen && strncmp(p, origin, olen) == 0)
			return true;
		p += len;
	}
	return false;
}

bool media_type_is_json(const char *ct)
{
	if (!ct)
		return false;
	size_t len = strcspn(ct, ";");
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	if (len == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return true;
	/* application/<something>+json, e.g. merge-patch+json */
	return len > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	       strncasecmp(ct + len - 5, "+json", 5) == 0;
}

static uint64_t elapsed_us(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t us =
		(now.tv_sec - start->tv_sec) * 1000000LL + (now.tv_nsec - start->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

/* A query string the listener refused to read (http/query.h). */
static struct problem *query_fault(const struct call *c)
{
	if (c->query.fault == QUERY_TOO_MANY)
		return problem_new(P_BAD_REQUEST, "This request has more than %d query parameters.",
				   QUERY_MAX_PARAMS);
	char ptr[160];
	snprintf(ptr, sizeof ptr, "/query/%s", c->query.name);
	struct problem *p = problem_new(P_BAD_REQUEST, "A query parameter is not valid UTF-8.");
	problem_add_error(p, ptr, "this parameter is not valid UTF-8 once percent-decoded");
	return p;
}

/* Query parameters the route does not know are a 400, never ignored. */
static struct problem *check_query(const struct call *c)
{
	if (c->query.fault != QUERY_OK)
		return query_fault(c);
	const struct _u_map *q = c->req->query_map;
	const char **keys = q ? u_map_enum_keys(q) : NULL;
	for (size_t i = 0; keys && keys[i]; i++) {
		bool known = false;
		for (size_t k = 0; c->route->query && c->route->query[k]; k++)
			known |= strcmp(keys[i], c->route->query[k]) == 0;
		if (!known) {
			char ptr[160];
			snprintf(ptr, sizeof ptr, "/query/%.140s", keys[i]);
			struct problem *p = problem_new(P_BAD_REQUEST, "Unknown query parameter.");
			problem_add_error(p, ptr, "this operation takes no parameter of that name");
			return p;
		}
	}
	return NULL;
}

/* Parses the JSON body of a BODY_JSON(_OPTIONAL) route into c->body. */
/* The form of a BODY_FORM_OR_JSON route into c->body. */
static struct problem *parse_form(struct call *c)
{
	const struct http_request *req = c->req;
	if (req->body_len == 0)
		return problem_bad_request("", "A body is required.");
	const char *why = NULL;
	c->body = form_parse(req->body, req->body_len, &why);
	if (!c->body)
		return problem_bad_request("", why);
	return NULL;
}

static struct problem *parse_body(struct call *c)
{
	const struct http_request *req = c->req;
	const char *ct = call_req_header(c, "Content-Type");
	if (c->route->body == BODY_FORM_OR_JSON && media_type_is_form(ct))
		return parse_form(c);
	if (c->route->body == BODY_FORM_OR_JSON && !media_type_is_json(ct))
		return problem_new(P_UNSUPPORTED_MEDIA_TYPE,
				   "Send the body as application/x-www-form-urlencoded or "
				   "application/json.");
	if (!media_type_is_json(ct))
		return problem_new(P_UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
	if (req->body_len == 0)
		return problem_bad_request("", "A JSON body is required.");
	json_error_t err;
	c->body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!c->body) {
		/* jansson's own words (err.text) stay English: they quote the parser */
		struct problem *p = problem_new(
			P_MALFORMED_JSON, "The body is not valid JSON: %s (line %d, column %d).",
			err.text, err.line, err.column);
		problem_add_error(p, "", "invalid JSON at line %d, column %d (byte %d): %s",
				  err.line, err.column, err.position, err.text);
		return p;
	}
	if (!json_is_object(c->body))
		return problem_bad_request("", "The body must be a JSON object.");
	return NULL;
}

static void add_cors(struct call *c, const char *allow)
{
	const char *origin = call_req_header(c, "Origin");
	if (!cors_origin_allowed(dc.cors_origins, origin))
		return;
	/* the allow-list matched exactly; echoing it is not reflecting any origin */
	call_set_header(c, "Access-Control-Allow-Origin", origin);
	call_add_vary(c, "Origin");
	call_set_header(c, "Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
	if (allow && call_req_header(c, "Access-Control-Request-Method")) {
		call_set_header(c, "Access-Control-Allow-Methods", allow);
		call_set_header(c, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
		call_set_header(c, "Access-Control-Max-Age", "600");
	}
}

static void answer_unrouted(struct call *c, enum match_result m, const char *allow)
{
	if (m == MATCH_WRONG_METHOD && strcmp(c->method, "OPTIONS") == 0) {
		add_cors(c, allow);
		call_set_header(c, "Allow", allow);
		call_bytes(c, 204, "text/plain", "", 0);
		return;
	}
	if (m == MATCH_WRONG_METHOD) {
		struct problem *p =
			problem_new(P_METHOD_NOT_ALLOWED, "%s is not allowed here; allowed: %s.",
				    c->method, allow);
		p->allow = strdup(allow);
		call_problem(c, p);
		return;
	}
	call_problem(c, problem_not_found());
}

void dispatch_begin(struct call *c, struct http_request *req, struct http_answer *res,
		    struct MHD_Connection *head)
{
	*c = (struct call){ .req = req,
			    .head = head,
			    .res = res,
			    .app = dc.app,
			    .method = req->method,
			    .path = req->target };
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	const char *rid = call_req_header(c, "X-Request-Id");
	if (rid && request_id_valid(rid))
		snprintf(c->request_id, sizeof c->request_id, "%s", rid);
	else
		request_id_generate(c->request_id);
	/* before anything can answer: every sentence is in the caller's language */
	c->lang = lang_negotiate(call_req_header(c, "Accept-Language"));
	c->match = router_match(dc.routes, dc.n_routes, c->method, c->path, &c->route, &c->params,
				c->allow, sizeof c->allow);
	if (c->match != MATCH_FOUND)
		c->route = NULL;
}

size_t dispatch_body_limit(const struct call *c)
{
	const struct route *r = c->route;
	/* JSON is parsed into memory whole: its limit is the smaller one */
	size_t limit =
		r && r->body != BODY_RAW && dc.json_body_limit && dc.json_body_limit < dc.body_limit
			? dc.json_body_limit
			: dc.body_limit;
	if (r && strcmp(r->permission, PERM_PUBLIC) == 0 && limit > DISPATCH_ANONYMOUS_BODY_LIMIT)
		limit = DISPATCH_ANONYMOUS_BODY_LIMIT;
	return limit;
}

static void answer_too_large(struct call *c)
{
	/* the limit is the route's, but the answer is the listener's: no CORS,
	 * and any answer decided before the body came is replaced */
	size_t limit = dispatch_body_limit(c);
	call_reset_answer(c);
	call_problem(c, problem_new(P_PAYLOAD_TOO_LARGE, "The body exceeds the limit of %zu bytes.",
				    limit));
}

bool dispatch_admit(struct call *c, uint64_t body_length)
{
	lang_use(c->lang);
	if (body_length > dispatch_body_limit(c)) {
		answer_too_large(c);
		return false;
	}
	if (c->match != MATCH_FOUND) {
		answer_unrouted(c, c->match, c->allow);
		return false;
	}
	add_cors(c, NULL);
	struct problem *p = check_query(c);
	if (!p && !auth_check(c, &p) && !p)
		p = problem_internal();
	/* the media type is known from the head: refuse before the body comes */
	const char *ct = call_req_header(c, "Content-Type");
	if (!p && body_length > 0 &&
	    (c->route->body == BODY_JSON || c->route->body == BODY_JSON_OPTIONAL) &&
	    !media_type_is_json(ct))
		p = problem_new(P_UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
	if (!p && body_length > 0 && c->route->body == BODY_FORM_OR_JSON &&
	    !media_type_is_json(ct) && !media_type_is_form(ct))
		p = problem_new(P_UNSUPPORTED_MEDIA_TYPE,
				"Send the body as application/x-www-form-urlencoded or "
				"application/json.");
	if (p) {
		call_problem(c, p);
		return false;
	}
	return true;
}

bool dispatch_body_fits(struct call *c, uint64_t body_length)
{
	if (body_length <= dispatch_body_limit(c))
		return true;
	lang_use(c->lang);
	answer_too_large(c);
	return false;
}

bool dispatch_heavy(const struct call *c)
{
	return c->route && dc.heavy && dc.heavy(c->route);
}

void dispatch_run(struct call *c)
{
	lang_use(c->lang);
	/* the handler's own time, as before bodies were read by this service */
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	struct problem *p = NULL;
	if (c->route->body == BODY_JSON || c->route->body == BODY_FORM_OR_JSON ||
	    (c->route->body == BODY_JSON_OPTIONAL && c->req->body_len > 0))
		p = parse_body(c);
	if (p) {
		call_problem(c, p);
		return;
	}
	c->route->handler(c);
	if (dc.after_handler)
		dc.after_handler(c);
	if (!c->status) {
		log_msgf(LOG_ERROR, "handler for %s %s did not answer", c->route->method,
			 c->route->path);
		call_problem(c, problem_internal());
	}
}

void dispatch_finish(struct call *c)
{
	call_set_header(c, "X-Request-Id", c->request_id);
	call_set_header(c, "X-Content-Type-Options", "nosniff");
	if (!http_answer_header(c->res, "Cache-Control"))
		call_set_header(c, "Cache-Control", "no-store");
	if (dc.draining && dc.draining())
		call_set_header(c, "Connection", "close");

	uint64_t us = elapsed_us(&c->started);
	size_t index = c->route ? (size_t)(c->route - dc.routes) : dc.n_routes;
	metrics_observe(index, c->status, us);
	const char *tp = call_req_header(c, "traceparent");
	struct access_entry e = {
		.method = c->method,
		.route = c->route ? c->route->path : "unmatched",
		.status = c->status,
		.duration_us = us,
		.request_id = c->request_id,
		.traceparent = tp && strlen(tp) == 55 ? tp : NULL,
	};
	log_access(&e);
	json_decref(c->body);
	c->body = NULL;
}
