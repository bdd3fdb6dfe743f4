/*
 * params.c — reading a request's parameters (see params.h).
 */
#include "api/params.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "answers/lang.h"

bool api_path_id_or_answer(struct call *c, const char *name, int64_t *id)
{
	const char *v = path_param(&c->params, name);
	char *end;
	errno = 0;
	long long n = v ? strtoll(v, &end, 10) : 0;
	if (!v || *end || errno || n <= 0 || strspn(v, "0123456789") != strlen(v)) {
		call_problem(c, problem_not_found());
		return false;
	}
	*id = n;
	return true;
}

const char *api_org_code_or_answer(struct call *c)
{
	const char *code = path_param(&c->params, "org");
	size_t n = code ? strlen(code) : 0;
	bool ok = n >= 1 && n <= 40;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)code[i]) || strchr("._-", code[i]);
	if (!ok) {
		call_problem(c, problem_not_found());
		return NULL;
	}
	return code;
}

bool api_if_match_or_answer(struct call *c, int *version)
{
	const char *h = call_req_header(c, "If-Match");
	if (!h) {
		call_problem(c,
			     problem_new(P_PRECONDITION_REQUIRED,
					 "Send If-Match with the ETag of the version you change."));
		return false;
	}
	/* exactly "N": a strong tag of our version, nothing before or after */
	size_t len = strlen(h);
	size_t digits = len >= 3 ? strspn(h + 1, "0123456789") : 0;
	int n = digits >= 1 && digits <= 9 && h[0] == '"' && h[1] != '0' && digits + 2 == len &&
				h[len - 1] == '"'
			? (int)strtol(h + 1, NULL, 10)
			: 0;
	if (n <= 0) {
		call_problem(c, problem_new(P_PRECONDITION_FAILED,
					    "If-Match does not name a version of this resource."));
		return false;
	}
	*version = n;
	return true;
}

bool api_valid_or_answer(struct call *c, struct validation *v)
{
	struct problem *p = validation_end(v);
	if (p)
		call_problem(c, p);
	return p == NULL;
}

bool api_query_int_or_answer(struct call *c, const char *name, long min, long max, long def,
			     long *out)
{
	struct problem *p = NULL;
	if (query_int(c, name, min, max, def, out, &p))
		return true;
	call_problem(c, p);
	return false;
}

bool api_limit_or_answer(struct call *c, long def, long *limit)
{
	return api_query_int_or_answer(c, "limit", 1, 100, def, limit);
}

bool api_query_date_or_answer(struct call *c, const char *name, struct civil_date *out, bool *given)
{
	const char *s = call_query(c, name);
	*given = s != NULL;
	if (!s) {
		*out = api_today();
		return true;
	}
	if (civil_date_parse(s, out))
		return true;
	api_answer_bad_query(c, name, "must be a date (YYYY-MM-DD)");
	return false;
}

void api_answer_bad_query(struct call *c, const char *name, const char *detail)
{
	char ptr[80];
	snprintf(ptr, sizeof ptr, "/query/%s", name);
	struct problem *p = problem_new(P_BAD_REQUEST, "Invalid query parameter.");
	problem_add_error_text(p, ptr, lang_text(detail));
	call_problem(c, p);
}

bool api_path_year_or_answer(struct call *c, int *year)
{
	const char *s = path_param(&c->params, "year");
	char *end = NULL;
	long y = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || strlen(s) != 4 || y < 2000 || y > 2100) {
		call_problem(c, problem_not_found());
		return false;
	}
	*year = (int)y;
	return true;
}

bool api_year_or_answer(struct call *c, int *year)
{
	long y = 0;
	bool ok = api_query_int_or_answer(c, "year", 2000, 2100, 0, &y);
	*year = (int)y;
	return ok;
}

static void bad_cursor(struct call *c)
{
	struct problem *p = problem_new(P_BAD_REQUEST, "Invalid cursor.");
	problem_add_error(p, "/query/cursor", "use next_cursor from the previous page");
	call_problem(c, p);
}

bool api_cursor_or_answer(struct call *c, int64_t *after)
{
	*after = 0;
	const char *v = call_query(c, "cursor");
	if (!v)
		return true;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (*end || errno || n <= 0 || end == v) {
		bad_cursor(c);
		return false;
	}
	*after = n;
	return true;
}

json_t *api_key_cursor_or_answer(struct call *c)
{
	const char *v = call_query(c, "cursor");
	if (!v)
		return json_pack("[s, s, i]", "", "", 0);
	unsigned char raw[1024];
	size_t len = 0;
	json_t *key = NULL;
	if (strlen(v) < 1400 &&
	    sodium_base642bin(raw, sizeof raw - 1, v, strlen(v), NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0)
		key = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(key) || json_array_size(key) != 3 ||
	    !json_is_string(json_array_get(key, 0)) || !json_is_string(json_array_get(key, 1)) ||
	    !json_is_integer(json_array_get(key, 2))) {
		json_decref(key);
		bad_cursor(c);
		return NULL;
	}
	return key;
}

/* Parses "YYYY-MM-DD.id" into date and *id; false when it is not one. */
static bool dated_cursor_parse(const char *v, char date[11], int64_t *id)
{
	struct civil_date d;
	if (strlen(v) < 12 || v[10] != '.')
		return false;
	memcpy(date, v, 10);
	date[10] = '\0';
	const char *digits = v + 11;
	char *end;
	errno = 0;
	long long n = strtoll(digits, &end, 10);
	if (!civil_date_parse(date, &d) || errno || *end || n <= 0 ||
	    strspn(digits, "0123456789") != strlen(digits))
		return false;
	*id = n;
	return true;
}

bool api_dated_page_or_answer(struct call *c, struct dated_page *pg, char date[11])
{
	long plan = 0;
	*pg = (struct dated_page){ .after_date = "infinity" };
	if (!api_limit_or_answer(c, 20, &pg->limit) ||
	    !api_query_int_or_answer(c, "plan_id", 1, LONG_MAX, 0, &plan))
		return false;
	pg->plan_id = plan;
	const char *cursor = call_query(c, "cursor");
	if (cursor) {
		if (!dated_cursor_parse(cursor, date, &pg->after_id)) {
			bad_cursor(c);
			return false;
		}
		pg->after_date = date;
	}
	return true;
}

/* The formats by their ?format= names, in the order a 400 lists them. */
static const struct {
	enum api_format format;
	const char *name;
} formats[] = {
	{ API_FORMAT_JSON, "json" },
	{ API_FORMAT_PDF, "pdf" },
	{ API_FORMAT_XLSX, "xlsx" },
};

bool api_format_or_answer(struct call *c, unsigned allowed, enum api_format *format)
{
	/* JSON is the default, so always allowed; a choice needs another */
	assert((allowed & API_FORMAT_JSON) && (allowed & (allowed - 1)));
	const char *asked = call_query(c, "format");
	*format = API_FORMAT_JSON;
	if (!asked)
		return true;
	char others[32] = ""; /* the allowed names but the last, ", "-separated */
	const char *last = NULL;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (!(allowed & (unsigned)formats[i].format))
			continue;
		if (strcmp(asked, formats[i].name) == 0) {
			*format = formats[i].format;
			return true;
		}
		if (last)
			snprintf(others + strlen(others), sizeof others - strlen(others), "%s%s",
				 *others ? ", " : "", last);
		last = formats[i].name;
	}
	struct problem *p = problem_new(P_BAD_REQUEST, "Invalid query parameter.");
	/* "must be json or pdf", "must be json, pdf or xlsx" */
	problem_add_error(p, "/query/format", "must be %s or %s", others, last);
	call_problem(c, p);
	return false;
}

#define MAX_GROUNDS 20 /* "Căn cứ ...": a decision cites a handful */

void api_document_head_valid(struct validation *v)
{
	int64_t id;
	const char *s;
	field_id(v, "session_id", true, &id);
	if (field_string(v, "symbol", true, 1, 40, &s) && s[strcspn(s, "/ \t")])
		validation_fail(v, "symbol",
				"is the part after the number, without \"/\" or spaces");
	field_string(v, "title", true, 1, 500, &s);
	field_string(v, "place", true, 1, 100, &s);
	field_string(v, "signer_name", true, 1, 200, &s);
	field_string(v, "signer_title", true, 1, 200, &s);
	field_text_array(v, "grounds", false, MAX_GROUNDS, 500);
}

bool api_step_reason_or_answer(struct call *c, bool wanted, const char **reason)
{
	static const char *const reason_fields[] = { "reason", NULL };
	static const char *const no_fields[] = { NULL };
	*reason = NULL;
	json_t *empty = json_object();
	struct validation v;
	validation_begin(&v, c->body ? c->body : empty, wanted ? reason_fields : no_fields);
	if (wanted)
		field_nonblank_text(&v, "reason", true, 2000, reason);
	bool ok = api_valid_or_answer(c, &v);
	json_decref(empty);
	return ok;
}

char *api_json_text_or_answer(struct call *c, const json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	if (!text)
		call_problem(c, problem_internal());
	return text;
}

bool api_field_given(const struct validation *v, const char *name)
{
	return field_has(v, name) && !field_is_null(v, name);
}

struct civil_date api_today(void)
{
	return vn_date_of((int64_t)time(NULL));
}

struct actor api_actor(const struct call *c)
{
	/* "user:12" → "12"; a single sign-on user keeps "sso:<sub>" */
	const char *colon = strchr(c->who.subject, ':');
	bool local = c->who.kind == CALLER_CLIENT || c->who.user_id > 0;
	struct actor a = {
		.org_id = c->who.org_id,
		.type = c->who.kind == CALLER_CLIENT ? "client" : "user",
		.id = colon && local ? colon + 1 : c->who.subject,
		.request_id = c->request_id,
	};
	return a;
}

struct case_reader api_case_reader(const struct call *c)
{
	return (struct case_reader){ .user = c->who.kind == CALLER_USER ? c->who.user_id : 0,
				     .head = (c->who.roles & ROLE_BIT(ROLE_LEADER)) != 0,
				     .today = api_today() };
}

struct row_scope api_scope(const struct call *c)
{
	struct row_scope s = { c->who.org_id, c->who.scope, c->who.unit_id, c->who.staff_id };
	return s;
}

struct reg_scope api_reg_scope(const struct call *c)
{
	struct reg_scope s = { 0, 0 };
	if (c->who.scope == SCOPE_UNIT)
		s.unit = c->who.unit_id > 0 ? c->who.unit_id : -1; /* no unit: sees nothing */
	else if (c->who.scope == SCOPE_SELF)
		s.staff = c->who.staff_id > 0 ? c->who.staff_id : -1;
	return s;
}

void api_each_object(struct validation *v, const char *name, bool required, size_t max,
		     const char *const *fields, void (*check)(struct validation *))
{
	const json_t *a;
	if (!field_array(v, name, required, max, &a))
		return;
	size_t i;
	const json_t *x;
	json_array_foreach(a, i, x)
	{
		char prefix[64];
		snprintf(prefix, sizeof prefix, "%s/%zu", name, i);
		if (!json_is_object(x)) {
			validation_fail(v, prefix, "must be an object");
			continue;
		}
		struct validation sub;
		validation_begin(&sub, x, fields);
		check(&sub);
		validation_nest(v, &sub, prefix);
	}
}
