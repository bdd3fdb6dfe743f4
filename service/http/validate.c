/*
 * validate.c — field readers with collected errors (see validate.h).
 */
#include "http/validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ensure_problem(struct validation *v)
{
	if (!v->p)
		v->p = problem_new(422, "validation", "Validation Failed",
				   "Some fields are missing or invalid; see errors.");
}

void validation_fail(struct validation *v, const char *name, const char *detail)
{
	ensure_problem(v);
	char pointer[160];
	snprintf(pointer, sizeof pointer, "%s%s", *name ? "/" : "", name); /* "": the whole body */
	problem_add_error(v->p, pointer, "%s", detail);
}

void validation_begin(struct validation *v, const json_t *body, const char *const *allowed)
{
	v->body = body;
	v->p = NULL;
	v->unknown_field = false;
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)body, key, value)
	{
		bool known = false;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (!known) {
			char detail[200];
			snprintf(detail, sizeof detail,
				 "unknown field \"%.80s\"; it cannot be set here", key);
			validation_fail(v, key, detail);
			v->unknown_field = true;
		}
	}
}

struct problem *validation_end(struct validation *v)
{
	struct problem *p = v->p;
	v->p = NULL;
	if (p && v->unknown_field) {
		p->status = 400;
		p->slug = "bad-request";
		p->title = "Bad Request";
	}
	return p;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		int extra = *p < 0x80	      ? 0
			    : (*p >> 5) == 6  ? 1
			    : (*p >> 4) == 14 ? 2
			    : (*p >> 3) == 30 ? 3
					      : -1;
		if (extra < 0)
			return SIZE_MAX;
		p++;
		for (int i = 0; i < extra; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return SIZE_MAX;
	}
	return n;
}

static bool has_controls(const char *s, bool allow_newlines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == 0x7f)
			return true;
		if (*p < 0x20 && !(allow_newlines && (*p == '\n' || *p == '\t' || *p == '\r')))
			return true;
	}
	return false;
}

bool field_has(const struct validation *v, const char *name)
{
	return json_object_get(v->body, name) != NULL;
}

bool field_is_null(const struct validation *v, const char *name)
{
	return json_is_null(json_object_get(v->body, name));
}

static const json_t *get(struct validation *v, const char *name, bool required)
{
	const json_t *j = json_object_get(v->body, name);
	if (!j && required)
		validation_fail(v, name, "is required");
	return j;
}

static bool read_string(struct validation *v, const char *name, bool required, size_t min_chars,
			size_t max_chars, bool newlines, const char **out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_string(j)) {
		validation_fail(v, name, "must be a string");
		return false;
	}
	const char *s = json_string_value(j);
	if (strlen(s) != json_string_length(j)) {
		validation_fail(v, name, "must not contain NUL characters");
		return false;
	}
	size_t n = utf8_chars(s);
	char detail[120];
	if (n < min_chars || n > max_chars) {
		snprintf(detail, sizeof detail, "must be %zu to %zu characters long", min_chars,
			 max_chars);
		validation_fail(v, name, detail);
		return false;
	}
	if (min_chars > 0 && s[strspn(s, " \t\r\n")] == '\0') {
		validation_fail(v, name, "must not be blank");
		return false;
	}
	if (has_controls(s, newlines)) {
		validation_fail(v, name, "must not contain control characters");
		return false;
	}
	*out = s;
	return true;
}

bool field_string(struct validation *v, const char *name, bool required, size_t min_chars,
		  size_t max_chars, const char **out)
{
	return read_string(v, name, required, min_chars, max_chars, false, out);
}

bool field_text(struct validation *v, const char *name, bool required, size_t max_chars,
		const char **out)
{
	return read_string(v, name, required, 0, max_chars, true, out);
}

bool field_enum(struct validation *v, const char *name, bool required, const char *const *values,
		const char **out)
{
	const char *s;
	if (!read_string(v, name, required, 1, 64, false, &s))
		return false;
	for (size_t i = 0; values[i]; i++) {
		if (strcmp(values[i], s) == 0) {
			*out = values[i];
			return true;
		}
	}
	char detail[300];
	size_t used = (size_t)snprintf(detail, sizeof detail, "must be one of:");
	for (size_t i = 0; values[i] && used < sizeof detail; i++)
		used += (size_t)snprintf(detail + used, sizeof detail - used, "%s %s", i ? "," : "",
					 values[i]);
	validation_fail(v, name, detail);
	return false;
}

bool field_date(struct validation *v, const char *name, bool required, struct civil_date *out,
		char text[11])
{
	const char *s;
	if (!read_string(v, name, required, 1, 32, false, &s))
		return false;
	if (!civil_date_parse(s, out)) {
		validation_fail(v, name, "must be a real date written YYYY-MM-DD");
		return false;
	}
	memcpy(text, s, 11);
	return true;
}

bool field_enum_array(struct validation *v, const char *name, bool required,
		      const char *const *values)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(j) > 16) {
		validation_fail(v, name, "must be a non-empty array");
		return false;
	}
	size_t i;
	json_t *item;
	json_array_foreach(j, i, item)
	{
		const char *s = json_string_value(item);
		bool known = false;
		for (size_t k = 0; s && values[k] && !known; k++)
			known = strcmp(values[k], s) == 0;
		for (size_t prev = 0; known && prev < i; prev++)
			known = strcmp(json_string_value(json_array_get(j, prev)), s) != 0;
		if (!known) {
			char item_name[96];
			snprintf(item_name, sizeof item_name, "%s/%zu", name, i);
			validation_fail(v, item_name, "unknown or repeated value");
			return false;
		}
	}
	return true;
}

bool field_bool(struct validation *v, const char *name, bool required, bool *out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_boolean(j)) {
		validation_fail(v, name, "must be true or false");
		return false;
	}
	*out = json_is_true(j);
	return true;
}

bool field_id(struct validation *v, const char *name, bool required, int64_t *out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_integer(j) || json_integer_value(j) <= 0) {
		validation_fail(v, name, "must be a positive integer id");
		return false;
	}
	*out = json_integer_value(j);
	return true;
}

bool query_int(struct call *c, const char *name, long min, long max, long def, long *out,
	       struct problem **p)
{
	const char *s = u_map_get(c->req->map_url, name);
	*out = def;
	if (!s)
		return true;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max) {
		char ptr[80];
		snprintf(ptr, sizeof ptr, "/query/%s", name);
		*p = problem_new(400, "bad-request", "Bad Request", "Invalid query parameter.");
		problem_add_error(*p, ptr, "must be a whole number from %ld to %ld", min, max);
		return false;
	}
	*out = n;
	return true;
}
