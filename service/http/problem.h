/*
 * problem.h — errors as values, written as RFC 9457 problem details.
 *
 * A handler or helper that fails builds a struct problem and returns it; the
 * dispatcher (http/call.c) writes it as application/problem+json with the
 * request id and the instance path.  `type` is a stable URN per error class
 * (urn:thidua:problem:<slug>) that clients may switch on; `detail` is for
 * people and must never contain SQL, stack traces or secrets.
 *
 * Every problem is of a type of the registry (answers/answers.def), which
 * gives its slug, status and title.  Titles, details and the details of
 * errors are English msgids at the call site, translated here into the
 * request's language (answers/lang.h): the detail and error formats when
 * the problem is built, the title when it is written.
 */
#ifndef THIDUA_HTTP_PROBLEM_H
#define THIDUA_HTTP_PROBLEM_H

#include <jansson.h>

#include "answers/registry.h"

struct problem {
	int status;
	const char *slug; /* static, e.g. "not-found" */
	const char *title; /* static English msgid, the same for every instance */
	char *detail; /* owned, in the request's language */
	json_t *errors; /* owned array of {pointer, detail}, or NULL */
	size_t errors_omitted; /* errors past PROBLEM_MAX_ERRORS, counted, not kept */
	unsigned retry_after_s; /* 0: no Retry-After header */
	char *allow; /* owned, for 405, or NULL */
	json_t *extra; /* owned extension members (RFC 9457 §3.2), or NULL */
};

/* A new problem of type id (caller frees with problem_free); never NULL.
 * detail_fmt is an English msgid (NULL: no detail), translated, then
 * formatted. */
struct problem *problem_new(enum problem_id id, const char *detail_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The problem of a registered message (answers.def), its template expanded
 * with args (may be NULL).  A message of VALIDATION becomes the error of
 * the member at pointer; others the detail (and, with a pointer, also that
 * member's error). */
struct problem *problem_from_message(const struct message *m, const char *pointer,
				     const json_t *args);

/* An answer is never much larger than its question: a body of 50,000
 * unknown members earns 50 errors and "errors_omitted": 49950, not 8 MB. */
#define PROBLEM_MAX_ERRORS 50

/* Adds {pointer, detail} to p->errors, or past PROBLEM_MAX_ERRORS counts it
 * in p->errors_omitted (the document then says how many were left out).
 * pointer is a JSON Pointer into the body, or "/query/<name>",
 * "/header/<name>", "/path/<name>"; detail_fmt an English msgid,
 * translated, then formatted. */
void problem_add_error(struct problem *p, const char *pointer, const char *detail_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with text already in the request's language. */
void problem_add_error_text(struct problem *p, const char *pointer, const char *text);

/* Sets an extension member (e.g. "current_version"); steals value. */
void problem_set_member(struct problem *p, const char *name, json_t *value);

void problem_free(struct problem *p);

/* The problem document; new reference. instance and request_id may be NULL. */
json_t *problem_to_json_new(const struct problem *p, const char *instance, const char *request_id);

/* Common problems; detail is an English msgid. */
struct problem *problem_not_found(void);
struct problem *problem_bad_request(const char *pointer, const char *detail);
struct problem *problem_unavailable(const char *detail, unsigned retry_after_s);
struct problem *problem_internal(void);

#endif
