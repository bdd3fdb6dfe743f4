/*
 * validate.h — reading request bodies and query parameters field by field.
 *
 * A struct validation collects every problem of a body at once, so the
 * client learns all its mistakes in one answer: unknown fields are 400
 * (never silently ignored: no mass assignment of id, organization_id,
 * roles...), wrong types and values 422, each with a JSON Pointer.
 * Strings are checked for length in characters (code points), not bytes,
 * and may not contain control characters except where allowed.
 */
#ifndef THIDUA_HTTP_VALIDATE_H
#define THIDUA_HTTP_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "http/call.h"

struct validation {
	const json_t *body; /* borrowed */
	struct problem *p; /* NULL while all is well; owned */
	bool unknown_field; /* the answer is 400 rather than 422 */
};

/* Starts validating c->body; fields outside allowed (NULL-terminated) are errors. */
void validation_begin(struct validation *v, const json_t *body, const char *const *allowed);

/* When something was wrong: the problem to answer (moved out of v); else NULL. */
struct problem *validation_end(struct validation *v);

/* Adds an error at /name; detail is an English msgid, translated here. */
void validation_fail(struct validation *v, const char *name, const char *detail);
/* The same with text already in the request's language, at pointer (a
 * whole JSON Pointer, "" for the body). */
void validation_fail_text(struct validation *v, const char *pointer, const char *text);
/* The same with a printf format (an English msgid). */
void validation_failf(struct validation *v, const char *name, const char *detail_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Each returns false when the field is absent (and required: an error is
 * recorded) or invalid (an error is recorded); *present tells which. */
/* A code (of a unit, an organisation): 1 to max_chars of A-Z, a-z, 0-9,
 * '.', '_', '-'. */
bool field_code(struct validation *v, const char *name, bool required, size_t max_chars);
bool field_string(struct validation *v, const char *name, bool required, size_t min_chars,
		  size_t max_chars, const char **out);
bool field_text(struct validation *v, const char *name, bool required, size_t max_chars,
		const char **out); /* like field_string, but allows newlines and tabs */
/* field_text that is not blank: only spaces and line breaks fail with
 * "must not be blank" (an empty string too). */
bool field_nonblank_text(struct validation *v, const char *name, bool required, size_t max_chars,
			 const char **out);
bool field_enum(struct validation *v, const char *name, bool required, const char *const *values,
		const char **out);
bool field_date(struct validation *v, const char *name, bool required, struct civil_date *out,
		char text[11]);
bool field_id(struct validation *v, const char *name, bool required, int64_t *out);
/* An array of distinct strings, each one of values; at least one. */
bool field_enum_array(struct validation *v, const char *name, bool required,
		      const char *const *values);
bool field_bool(struct validation *v, const char *name, bool required, bool *out);
bool field_has(const struct validation *v, const char *name);
bool field_int(struct validation *v, const char *name, bool required, int64_t min, int64_t max,
	       int64_t *out);
/* A number with at most two decimals (a JSON number or a decimal string),
 * in hundredths: 30.5 → 3050; within [min, max] hundredths. */
bool field_centi(struct validation *v, const char *name, bool required, int64_t min, int64_t max,
		 int64_t *out);
bool field_object(struct validation *v, const char *name, bool required, const json_t **out);
bool field_array(struct validation *v, const char *name, bool required, size_t max_items,
		 const json_t **out);
/* An array of at most max_items non-blank strings (newlines allowed). */
bool field_text_array(struct validation *v, const char *name, bool required, size_t max_items,
		      size_t max_chars);
/* An array of at most max_items distinct positive integer ids. */
bool field_id_array(struct validation *v, const char *name, bool required, size_t max_items);
/* Moves the errors of sub (a nested object's validation) into v, their
 * pointers prefixed with /prefix. */
void validation_nest(struct validation *v, struct validation *sub, const char *prefix);
bool field_is_null(const struct validation *v, const char *name);

/* Query parameters. */
bool query_int(struct call *c, const char *name, long min, long max, long def, long *out,
	       struct problem **p);

/* Counts code points; SIZE_MAX when s is not valid UTF-8. */
size_t utf8_chars(const char *s);

#endif
