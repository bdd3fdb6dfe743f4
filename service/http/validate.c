/*
 * validate.c — field readers with collected errors (see validate.h).
 */
#include "http/validate.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ensure_problem(struct validation *v)
{
	if (!v->p)
		v->p = problem_new(P_VALIDATION, "Some fields are missing or invalid; see errors.");
}

/* "" is the whole body. */
static void pointer_of(const char *name, char pointer[160])
{
	snprintf(pointer, 160, "%s%s", *name ? "/" : "", name);
}

void validation_fail(struct validation *v, const char *name, const char *detail)
{
	ensure_problem(v);
	char pointer[160];
	pointer_of(name, pointer);
	problem_add_error_text(v->p, pointer, lang_text(detail));
}

void validation_fail_text(struct validation *v, const char *pointer, const char *text)
{
	ensure_problem(v);
	problem_add_error_text(v->p, pointer, text);
}

void validation_failf(struct validation *v, const char *name, const char *detail_fmt, ...)
{
	ensure_problem(v);
	char pointer[160], detail[400];
	pointer_of(name, pointer);
	va_list ap;
	va_start(ap, detail_fmt);
	vsnprintf(detail, sizeof detail, lang_text(detail_fmt), ap);
	va_end(ap);
	problem_add_error_text(v->p, pointer, detail);
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
			validation_failf(v, key, "unknown field \"%.80s\"; it cannot be set here",
					 key);
			v->unknown_field = true;
		}
	}
}

struct problem *validation_end(struct validation *v)
{
	struct problem *p = v->p;
	v->p = NULL;
	if (p && v->unknown_field) {
		const struct problem_type *t = problem_type_of(P_BAD_REQUEST);
		p->status = t->status;
		p->slug = t->slug;
		p->title = t->title;
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
	if (n < min_chars || n > max_chars) {
		validation_failf(v, name, "must be %zu to %zu characters long", min_chars,
				 max_chars);
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

bool field_code(struct validation *v, const char *name, bool required, size_t max_chars)
{
	const char *s;
	if (!field_string(v, name, required, 1, max_chars, &s))
		return false;
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	    strlen(s))
		return true;
	validation_fail(v, name, "may hold only letters A-Z, digits, '.', '_' and '-'");
	return false;
}

bool field_text(struct validation *v, const char *name, bool required, size_t max_chars,
		const char **out)
{
	return read_string(v, name, required, 0, max_chars, true, out);
}

bool field_nonblank_text(struct validation *v, const char *name, bool required, size_t max_chars,
			 const char **out)
{
	if (!field_text(v, name, required, max_chars, out))
		return false;
	if ((*out)[strspn(*out, " \t\r\n")] != '\0')
		return true;
	validation_fail(v, name, "must not be blank");
	return false;
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
	char list[300] = "";
	size_t used = 0;
	for (size_t i = 0; values[i] && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
					 values[i]);
	validation_failf(v, name, "must be one of: %s", list);
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
	const char *s = call_query(c, name);
	*out = def;
	if (!s)
		return true;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max) {
		char ptr[80];
		snprintf(ptr, sizeof ptr, "/query/%s", name);
		*p = problem_new(P_BAD_REQUEST, "Invalid query parameter.");
		problem_add_error(*p, ptr, "must be a whole number from %ld to %ld", min, max);
		return false;
	}
	*out = n;
	return true;
}

void validation_nest(struct validation *v, struct validation *sub, const char *prefix)
{
	v->unknown_field |= sub->unknown_field;
	if (!sub->p)
		return;
	ensure_problem(v);
	size_t i;
	json_t *e;
	json_array_foreach(sub->p->errors, i, e)
	{
		const char *ptr = json_string_value(json_object_get(e, "pointer"));
		const char *detail = json_string_value(json_object_get(e, "detail"));
		char pointer[256];
		snprintf(pointer, sizeof pointer, "/%s%s", prefix, ptr ? ptr : "");
		problem_add_error_text(v->p, pointer, detail ? detail : "?");
	}
	v->p->errors_omitted += sub->p->errors_omitted;
	problem_free(sub->p);
	sub->p = NULL;
}

bool field_object(struct validation *v, const char *name, bool required, const json_t **out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_object(j)) {
		validation_fail(v, name, "must be an object");
		return false;
	}
	*out = j;
	return true;
}

bool field_array(struct validation *v, const char *name, bool required, size_t max_items,
		 const json_t **out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_array(j) || json_array_size(j) > max_items) {
		validation_failf(v, name, "must be an array of at most %zu items", max_items);
		return false;
	}
	*out = j;
	return true;
}

/* Each element checked as the field "<i>" of a one-field object, so the
 * ordinary readers apply and the pointer comes out as /name/i. */
bool field_text_array(struct validation *v, const char *name, bool required, size_t max_items,
		      size_t max_chars)
{
	const json_t *a;
	if (!field_array(v, name, required, max_items, &a))
		return false;
	bool ok = true;
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e)
	{
		char key[24];
		snprintf(key, sizeof key, "%zu", i);
		json_t *one = json_object();
		json_object_set(one, key, e);
		struct validation sub = { one, NULL, false };
		const char *s;
		ok &= read_string(&sub, key, true, 1, max_chars, true, &s);
		validation_nest(v, &sub, name);
		json_decref(one);
	}
	return ok;
}

bool field_id_array(struct validation *v, const char *name, bool required, size_t max_items)
{
	const json_t *a;
	if (!field_array(v, name, required, max_items, &a))
		return false;
	size_t i, k;
	json_t *e, *f;
	json_array_foreach(a, i, e)
	{
		bool dup = false;
		json_array_foreach(a, k, f) dup |= k < i && json_equal(e, f);
		if (!json_is_integer(e) || json_integer_value(e) < 1 || dup) {
			char ptr[96];
			snprintf(ptr, sizeof ptr, "%s/%zu", name, i);
			validation_fail(v, ptr,
					dup ? "is listed twice" : "must be a positive integer id");
			return false;
		}
	}
	return true;
}

bool field_int(struct validation *v, const char *name, bool required, int64_t min, int64_t max,
	       int64_t *out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	if (!json_is_integer(j) || json_integer_value(j) < min || json_integer_value(j) > max) {
		validation_failf(v, name, "must be an integer from %lld to %lld", (long long)min,
				 (long long)max);
		return false;
	}
	*out = json_integer_value(j);
	return true;
}

/* "-12.5" → -1250; false unless at most 12 integer digits and 2 decimals. */
static bool parse_centi(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	s += neg;
	int64_t v = 0;
	int digits = 0, decimals = 0;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if (digits < 12) /* more digits are refused below; no overflow meanwhile */
			v = v * 10 + (*s - '0');
	if (digits == 0 || digits > 12)
		return false;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && decimals < 3; s++, decimals++)
			v = v * 10 + (*s - '0');
		if (decimals == 0 || decimals > 2)
			return false;
	}
	if (*s)
		return false;
	for (; decimals < 2; decimals++)
		v *= 10;
	*out = neg ? -v : v;
	return true;
}

bool field_centi(struct validation *v, const char *name, bool required, int64_t min, int64_t max,
		 int64_t *out)
{
	const json_t *j = get(v, name, required);
	if (!j)
		return false;
	char text[64] = "";
	if (json_is_integer(j) && llabs(json_integer_value(j)) < 1000000000000LL)
		snprintf(text, sizeof text, "%lld", (long long)json_integer_value(j));
	else if (json_is_real(j))
		snprintf(text, sizeof text, "%.17g", json_real_value(j));
	else if (json_is_string(j) && json_string_length(j) < sizeof text)
		snprintf(text, sizeof text, "%s", json_string_value(j));
	int64_t c = 0;
	bool ok = parse_centi(text, &c);
	if (!ok && json_is_real(j)) {
		/* a binary double: accept it when it is a two-decimal number */
		double x = json_real_value(j) * 100.0;
		if (fabs(x) < 1e14) { /* llround is unspecified out of range */
			c = (int64_t)llround(x);
			ok = fabs(x - (double)c) <= 1e-6 * (fabs(x) > 1 ? fabs(x) : 1);
		}
	}
	if (!ok || c < min || c > max) {
		char lo[32], hi[32];
		snprintf(lo, sizeof lo, "%lld.%02lld", (long long)(min / 100), llabs(min % 100));
		snprintf(hi, sizeof hi, "%lld.%02lld", (long long)(max / 100), llabs(max % 100));
		validation_failf(v, name,
				 "must be a number from %s to %s with at most two decimals", lo,
				 hi);
		return false;
	}
	*out = c;
	return true;
}
