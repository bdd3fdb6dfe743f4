/*
 * problem.h — errors as values, written as RFC 9457 problem details.
 *
 * A handler or helper that fails builds a struct problem and returns it; the
 * dispatcher (http/call.c) writes it as application/problem+json with the
 * request id and the instance path.  `type` is a stable URN per error class
 * (urn:thidua:problem:<slug>) that clients may switch on; `detail` is for
 * people and must never contain SQL, stack traces or secrets.
 */
#ifndef THIDUA_HTTP_PROBLEM_H
#define THIDUA_HTTP_PROBLEM_H

#include <jansson.h>

struct problem {
	int status;
	const char *slug; /* static, e.g. "not-found" */
	const char *title; /* static, short, the same for every instance */
	char *detail; /* owned */
	json_t *errors; /* owned array of {pointer, detail}, or NULL */
	unsigned retry_after_s; /* 0: no Retry-After header */
	char *allow; /* owned, for 405, or NULL */
	json_t *extra; /* owned extension members (RFC 9457 §3.2), or NULL */
};

/* Returns a new problem (caller frees with problem_free); never NULL. */
struct problem *problem_new(int status, const char *slug, const char *title, const char *detail_fmt,
			    ...) __attribute__((format(printf, 4, 5)));

/* Adds {pointer, detail} to p->errors. pointer is a JSON Pointer into the
 * body, or "/query/<name>", "/header/<name>", "/path/<name>". */
void problem_add_error(struct problem *p, const char *pointer, const char *detail_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets an extension member (e.g. "current_version"); steals value. */
void problem_set_member(struct problem *p, const char *name, json_t *value);

void problem_free(struct problem *p);

/* The problem document; new reference. instance and request_id may be NULL. */
json_t *problem_to_json_new(const struct problem *p, const char *instance, const char *request_id);

/* Common problems. */
struct problem *problem_not_found(void);
struct problem *problem_bad_request(const char *pointer, const char *detail);
struct problem *problem_unavailable(const char *detail, unsigned retry_after_s);
struct problem *problem_internal(void);

#endif
