/*
 * report_template.c — template fields and answers (see report_template.h).
 */
#include "domain/report_template.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Marks a sentence for the message catalogue; the api layer translates it
 * when it writes the answer (domain/ does no I/O and knows no language). */
#define N_(msgid) (msgid)

static const char *const types[] = { "number", "percent", "boolean", "text", "narrative", NULL };
static const char *const aggregates[] = { "sum",     "ratio", "average", "count",
					  "collate", "none",  NULL };
static const char *const field_members[] = { "key",	  "label",	 "type",       "required",
					     "min",	  "max",	 "max_length", "aggregate",
					     "numerator", "denominator", NULL };

/* Records an error: detail a msgid, the pointer made with fmt.  The
 * error, to name its values in, or NULL when it is past the ones kept. */
static struct report_error *fail(struct report_errors *err, const char *detail, const char *fmt,
				 ...) __attribute__((format(printf, 3, 4)));

static struct report_error *fail(struct report_errors *err, const char *detail, const char *fmt,
				 ...)
{
	struct report_error *e = NULL;
	if (err->count < REPORT_ERRORS_MAX) {
		e = &err->e[err->count];
		memset(e, 0, sizeof *e);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->pointer, sizeof e->pointer, fmt, ap);
		va_end(ap);
		e->detail = detail;
	}
	err->count++;
	return e;
}

static bool one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Counts code points of valid UTF-8 without control characters (newlines
 * allowed when lines is true); (size_t)-1 otherwise. */
static size_t text_chars(const char *s, bool lines)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		if (*p < 0x20 && !(lines && (*p == '\n' || *p == '\r' || *p == '\t')))
			return (size_t)-1;
		if (*p == 0x7f)
			return (size_t)-1;
		int extra = *p < 0x80	      ? 0
			    : (*p >> 5) == 6  ? 1
			    : (*p >> 4) == 14 ? 2
			    : (*p >> 3) == 30 ? 3
					      : -1;
		if (extra < 0)
			return (size_t)-1;
		p++;
		for (int i = 0; i < extra; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return (size_t)-1;
	}
	return n;
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n < 1 || n > 40 || k[0] < 'a' || k[0] > 'z')
		return false;
	return strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* A JSON number as hundredths. */
static bool cents_of(const json_t *j, int64_t *c)
{
	if (json_is_integer(j))
		return decimal_cents_of_integer(json_integer_value(j), c);
	return json_is_real(j) && decimal_cents(json_real_value(j), c);
}

static json_t *number_json(int64_t cents)
{
	return cents % 100 == 0 ? json_integer(cents / 100) : json_real((double)cents / 100.0);
}

static const char *default_aggregate(const char *type, bool has_ratio)
{
	if (strcmp(type, "number") == 0)
		return "sum";
	if (strcmp(type, "percent") == 0)
		return has_ratio ? "ratio" : "average";
	if (strcmp(type, "boolean") == 0)
		return "count";
	return "collate";
}

/* Which aggregates a type allows. */
static bool aggregate_fits(const char *type, const char *agg)
{
	if (strcmp(agg, "none") == 0)
		return true;
	if (strcmp(type, "number") == 0)
		return !strcmp(agg, "sum") || !strcmp(agg, "average");
	if (strcmp(type, "percent") == 0)
		return !strcmp(agg, "ratio") || !strcmp(agg, "average");
	if (strcmp(type, "boolean") == 0)
		return !strcmp(agg, "count");
	return !strcmp(agg, "collate");
}

/* The range of a number or percent field, in hundredths. */
static void check_range(const json_t *f, size_t i, const char *type, json_t *out,
			struct report_errors *err)
{
	bool pct = strcmp(type, "percent") == 0;
	int64_t lo = pct ? 0 : -(int64_t)(DECIMAL_LIMIT * 100) + 1;
	int64_t hi = pct ? 10000 : (int64_t)(DECIMAL_LIMIT * 100) - 1;
	const json_t *jmin = json_object_get(f, "min"), *jmax = json_object_get(f, "max");
	int64_t c;
	if (jmin && (!cents_of(jmin, &c) || (pct && (c < 0 || c > 10000))))
		fail(err, N_("must be a number with at most two decimals (0 to 100 for a percent)"),
		     "/%zu/min", i);
	else if (jmin)
		lo = c;
	if (jmax && (!cents_of(jmax, &c) || (pct && (c < 0 || c > 10000))))
		fail(err, N_("must be a number with at most two decimals (0 to 100 for a percent)"),
		     "/%zu/max", i);
	else if (jmax)
		hi = c;
	if (lo > hi)
		fail(err, N_("must not be less than min"), "/%zu/max", i);
	if (jmin || pct)
		json_object_set_new(out, "min", number_json(lo));
	if (jmax || pct)
		json_object_set_new(out, "max", number_json(hi));
}

/* One field definition; NULL when it has errors. */
static json_t *normalize_field(const json_t *f, size_t i, struct report_errors *err)
{
	size_t before = err->count;
	if (!json_is_object(f)) {
		fail(err, N_("must be an object"), "/%zu", i);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)f, k, v) if (!one_of(k, field_members))
		fail(err, N_("unknown member"), "/%zu/%.40s", i, k);
	const char *key = json_string_value(json_object_get(f, "key"));
	const char *label = json_string_value(json_object_get(f, "label"));
	const char *type = json_string_value(json_object_get(f, "type"));
	const json_t *req = json_object_get(f, "required");
	if (!key || !key_ok(key))
		fail(err, N_("must be 1 to 40 of a-z, 0-9 and _, starting with a letter"),
		     "/%zu/key", i);
	size_t n = label ? text_chars(label, false) : 0;
	if (!label || n == (size_t)-1 || n < 1 || n > 300 || label[strspn(label, " ")] == '\0')
		fail(err, N_("must be 1 to 300 characters of text"), "/%zu/label", i);
	if (!one_of(type, types))
		fail(err, N_("must be one of: number, percent, boolean, text, narrative"),
		     "/%zu/type", i);
	if (req && !json_is_boolean(req))
		fail(err, N_("must be true or false"), "/%zu/required", i);
	if (err->count > before)
		return NULL;

	json_t *out = json_pack("{s:s, s:s, s:s, s:b}", "key", key, "label", label, "type", type,
				"required", json_is_true(req));
	bool numeric = !strcmp(type, "number") || !strcmp(type, "percent");
	bool texty = !strcmp(type, "text") || !strcmp(type, "narrative");
	if (numeric)
		check_range(f, i, type, out, err);
	else if (json_object_get(f, "min") || json_object_get(f, "max"))
		fail(err, N_("only for number and percent fields"), "/%zu/min", i);
	const json_t *ml = json_object_get(f, "max_length");
	json_int_t cap = !strcmp(type, "text") ? REPORT_TEXT_MAX : REPORT_NARRATIVE_MAX;
	if (ml && (!texty || !json_is_integer(ml) || json_integer_value(ml) < 1 ||
		   json_integer_value(ml) > cap))
		fail(err,
		     texty ? N_("must be a whole number within the type's limit")
			   : N_("only for text and narrative fields"),
		     "/%zu/max_length", i);
	if (texty)
		json_object_set_new(
			out, "max_length",
			json_integer(ml && json_is_integer(ml) ? json_integer_value(ml) : cap));
	const char *num = json_string_value(json_object_get(f, "numerator"));
	const char *den = json_string_value(json_object_get(f, "denominator"));
	const char *agg = json_string_value(json_object_get(f, "aggregate"));
	if (json_object_get(f, "aggregate") && !one_of(agg, aggregates))
		fail(err, N_("must be one of: sum, ratio, average, count, collate, none"),
		     "/%zu/aggregate", i);
	else if (agg && !aggregate_fits(type, agg))
		fail(err, N_("does not apply to this type of field"), "/%zu/aggregate", i);
	if (!agg)
		agg = default_aggregate(type, num && den);
	json_object_set_new(out, "aggregate", json_string(agg));
	if (!strcmp(agg, "ratio")) {
		if (!num)
			fail(err, N_("is required for a ratio: the key of a number field"),
			     "/%zu/numerator", i);
		if (!den)
			fail(err, N_("is required for a ratio: the key of a number field"),
			     "/%zu/denominator", i);
		if (num && den) {
			json_object_set_new(out, "numerator", json_string(num));
			json_object_set_new(out, "denominator", json_string(den));
		}
	} else if (json_object_get(f, "numerator") || json_object_get(f, "denominator")) {
		fail(err, N_("only for a ratio"), "/%zu/numerator", i);
	}
	if (err->count > before) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* A ratio names two number fields of the same template. */
static void check_ratio_keys(json_t *fields, struct report_errors *err)
{
	size_t i, k;
	json_t *f, *g;
	json_array_foreach(fields, i, f)
	{
		static const char *const ends[] = { "numerator", "denominator" };
		for (int e = 0; e < 2; e++) {
			const char *want = json_string_value(json_object_get(f, ends[e]));
			bool found = !want;
			json_array_foreach(fields, k, g) found |=
				want &&
				!strcmp(want, json_string_value(json_object_get(g, "key"))) &&
				!strcmp("number", json_string_value(json_object_get(g, "type")));
			if (!found)
				fail(err, N_("must be the key of a number field of this template"),
				     "/%zu/%s", i, ends[e]);
		}
	}
}

json_t *report_fields_normalize(const json_t *fields, struct report_errors *err)
{
	err->count = 0;
	if (!json_is_array(fields) || json_array_size(fields) < 1 ||
	    json_array_size(fields) > REPORT_FIELDS_MAX) {
		fail(err, N_("must be an array of 1 to 200 fields"), "%s", "");
		return NULL;
	}
	json_t *out = json_array();
	size_t i, k;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		json_t *n = normalize_field(f, i, err);
		const char *key = json_string_value(json_object_get(n, "key"));
		for (k = 0; key && k < i; k++)
			if (json_equal(json_object_get(json_array_get(fields, k), "key"),
				       json_object_get(f, "key")))
				fail(err, N_("another field has this key"), "/%zu/key", i);
		json_array_append_new(out, n ? n : json_null());
	}
	if (err->count == 0)
		check_ratio_keys(out, err);
	if (err->count) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* One answer against its field; the value to store, or NULL (error set). */
static json_t *check_answer(const json_t *f, const json_t *v, const char *key,
			    struct report_errors *err)
{
	const char *type = json_string_value(json_object_get(f, "type"));
	if (!strcmp(type, "boolean")) {
		if (json_is_boolean(v))
			return json_incref((json_t *)v);
		fail(err, N_("must be true or false"), "/%s", key);
		return NULL;
	}
	if (!strcmp(type, "text") || !strcmp(type, "narrative")) {
		size_t n =
			json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)
				? text_chars(json_string_value(v), !strcmp(type, "narrative"))
				: (size_t)-1;
		json_int_t cap = json_integer_value(json_object_get(f, "max_length"));
		if (n != (size_t)-1 && n <= (size_t)cap)
			return json_incref((json_t *)v);
		struct report_error *e = fail(
			err,
			strcmp(type, "text") == 0
				? N_("must be text of at most {max_length} characters on one line")
				: N_("must be text of at most {max_length} characters"),
			"/%s", key);
		if (e)
			e->max_length = (long long)cap;
		return NULL;
	}
	/* a normalized field's bounds are numbers with two decimals */
	int64_t c, lo = 0, hi = 0;
	const json_t *jmin = json_object_get(f, "min"), *jmax = json_object_get(f, "max");
	bool has_lo = jmin && cents_of(jmin, &lo), has_hi = jmax && cents_of(jmax, &hi);
	if (cents_of(v, &c) && (!has_lo || c >= lo) && (!has_hi || c <= hi))
		return number_json(c);
	struct report_error *e =
		fail(err,
		     has_lo && has_hi
			     ? N_("must be a number with at most two decimals from {min} to {max}")
		     : has_lo ? N_("must be a number with at most two decimals from {min}")
		     : has_hi ? N_("must be a number with at most two decimals up to {max}")
			      : N_("must be a number with at most two decimals"),
		     "/%s", key);
	if (e && has_lo)
		decimal_text(e->min, lo);
	if (e && has_hi)
		decimal_text(e->max, hi);
	return NULL;
}

json_t *report_answers_check(const json_t *fields, const json_t *answers, bool complete,
			     struct report_errors *err)
{
	err->count = 0;
	if (!json_is_object(answers)) {
		fail(err, N_("must be an object of answers by field key"), "%s", "");
		return NULL;
	}
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)answers, k, v)
	{
		const json_t *f = NULL;
		size_t i;
		json_t *g;
		json_array_foreach(fields, i,
				   g) if (!strcmp(json_string_value(json_object_get(g, "key")), k))
			f = g;
		if (!f) {
			fail(err, N_("the template has no field with this key"), "/%.80s", k);
			continue;
		}
		if (json_is_null(v))
			continue; /* an answer left empty */
		json_t *ok = check_answer(f, v, k, err);
		if (ok)
			json_object_set_new(out, k, ok);
	}
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *key = json_string_value(json_object_get(f, "key"));
		if (complete && json_is_true(json_object_get(f, "required")) &&
		    json_is_null(json_object_get(answers, key) ? json_object_get(answers, key)
							       : json_null()))
			fail(err, N_("is required"), "/%s", key);
	}
	if (err->count) {
		json_decref(out);
		return NULL;
	}
	return out;
}
