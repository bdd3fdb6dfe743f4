/*
 * eligibility_rules.c — rule sets read from their JSON (see
 * eligibility.h): a table of kinds says which parameters each kind
 * accepts and which it needs, and whom it applies to, a table of parameters
 * says how each is read; a bad member is named by its JSON pointer and
 * nothing else.  Evaluating them is eligibility.c's.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/eligibility.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the table of kinds -------------------------------------------------- */

/* Parameters.  Two pairs share a JSON name with different meanings ("title":
 * any code, or one of the two member titles; "of": nested rules, or the
 * quota's base title); no kind accepts both of a pair. */
enum param {
	P_RATING,
	P_MONTHS,
	P_MIN_FORM,
	P_COUNTED,
	P_TITLE,
	P_MEMBER_TITLE,
	P_KINDS,
	P_LEVEL,
	P_PROVINCE_WIDE,
	P_WINDOW,
	P_YEARS,
	P_ENDING,
	P_RUN_MIN_RATING,
	P_INITIATIVES,
	P_ANY_OF,
	P_QUOTA_OF,
	P_PERCENT,
	P_STRICT,
	P_MIN,
	P_ROUNDING,
	P_COUNT
};
#define PB(p) (1u << (unsigned)(p))

/* Who a kind applies to. */
enum scope { FOR_PERSON = 1, FOR_COLLECTIVE = 2, FOR_BOTH = 3, FOR_LIST = 4 };

struct kind_def {
	const char *name;
	unsigned scope;
	unsigned accepted, required; /* PB(param) bits */
};

/* clang-format off */
static const struct kind_def elig_kinds[RK_COUNT] = {
	[RK_MIN_RATING] = { "min_rating", FOR_PERSON, PB(P_RATING), PB(P_RATING) },
	[RK_MIN_SERVICE_MONTHS] = { "min_service_months", FOR_PERSON, PB(P_MONTHS), PB(P_MONTHS) },
	[RK_NO_DISCIPLINE] = { "no_discipline", FOR_PERSON, PB(P_MIN_FORM), PB(P_MIN_FORM) },
	[RK_MAX_ABSENCE_MONTHS] = { "max_absence_months", FOR_PERSON, PB(P_MONTHS) | PB(P_COUNTED), PB(P_MONTHS) },
	[RK_NO_PENDING_CASE] = { "no_pending_case", FOR_PERSON, 0, 0 },
	[RK_REQUIRES_TITLE] = { "requires_title", FOR_BOTH, PB(P_TITLE), PB(P_TITLE) },
	[RK_INITIATIVE] = { "initiative", FOR_PERSON, PB(P_KINDS) | PB(P_LEVEL) | PB(P_PROVINCE_WIDE) | PB(P_WINDOW), 0 },
	[RK_CONSECUTIVE_TITLE] = { "consecutive_title", FOR_BOTH, PB(P_TITLE) | PB(P_YEARS) | PB(P_ENDING) | PB(P_RUN_MIN_RATING), PB(P_TITLE) | PB(P_YEARS) },
	[RK_CONSECUTIVE_RATING] = { "consecutive_rating", FOR_BOTH, PB(P_RATING) | PB(P_YEARS) | PB(P_ENDING) | PB(P_INITIATIVES) | PB(P_LEVEL), PB(P_RATING) | PB(P_YEARS) },
	[RK_ANY_OF] = { "any_of", FOR_BOTH, PB(P_ANY_OF), PB(P_ANY_OF) },
	[RK_COLLECTIVE_RATING] = { "collective_rating", FOR_COLLECTIVE, PB(P_RATING), PB(P_RATING) },
	[RK_MEMBER_SHARE] = { "member_share", FOR_COLLECTIVE, PB(P_MEMBER_TITLE) | PB(P_PERCENT) | PB(P_STRICT), PB(P_MEMBER_TITLE) | PB(P_PERCENT) },
	[RK_MEMBERS_MIN_RATING] = { "members_min_rating", FOR_COLLECTIVE, PB(P_RATING), PB(P_RATING) },
	[RK_MEMBERS_WITH_TITLE] = { "members_with_title", FOR_COLLECTIVE, PB(P_MEMBER_TITLE) | PB(P_MIN), PB(P_MEMBER_TITLE) | PB(P_MIN) },
	[RK_MEMBERS_NO_DISCIPLINE] = { "members_no_discipline", FOR_COLLECTIVE, PB(P_MIN_FORM), PB(P_MIN_FORM) },
	[RK_QUOTA] = { "quota", FOR_LIST, PB(P_QUOTA_OF) | PB(P_PERCENT) | PB(P_ROUNDING), PB(P_QUOTA_OF) | PB(P_PERCENT) },
	[RK_REGISTERED] = { "registered", FOR_BOTH, 0, 0 },
};
/* clang-format on */

bool rule_kind_applies(enum rule_kind k, bool person)
{
	return (unsigned)k < RK_COUNT &&
	       (elig_kinds[k].scope & (person ? FOR_PERSON : FOR_COLLECTIVE)) != 0;
}

const char *rule_kind_code(enum rule_kind k)
{
	return (unsigned)k < RK_COUNT ? elig_kinds[k].name : "";
}

bool rule_kind_parse(const char *s, enum rule_kind *out)
{
	if (s == NULL)
		return false;
	for (unsigned k = 0; k < RK_COUNT; k++)
		if (strcmp(s, elig_kinds[k].name) == 0) {
			*out = (enum rule_kind)k;
			return true;
		}
	return false;
}

/* ---- parsing ------------------------------------------------------------- */

#define PTR_LEN 160 /* pointers we build from known names and indexes */

struct parser {
	char *err;
	size_t errlen;
	struct elig_rule *subs; /* where any_of puts its nested rules */
	size_t subs_cap, n_subs;
};

/* Writes at + "/" + member (escaped, RFC 6901) to the error; returns false. */
static bool refuse(struct parser *ps, const char *at, const char *member)
{
	if (ps->err == NULL || ps->errlen == 0)
		return false;
	size_t n = (size_t)snprintf(ps->err, ps->errlen, "%s", at);
	if (member == NULL || n + 1 >= ps->errlen)
		return false;
	ps->err[n++] = '/';
	for (const char *c = member; *c != '\0' && n + 1 < ps->errlen; c++) {
		const char *esc = *c == '~' ? "~0" : *c == '/' ? "~1" : NULL;
		if (esc == NULL) {
			ps->err[n++] = *c;
		} else if (n + 2 < ps->errlen) {
			ps->err[n++] = esc[0];
			ps->err[n++] = esc[1];
		} else {
			break;
		}
	}
	ps->err[n] = '\0';
	return false;
}

static bool refuse_index(struct parser *ps, const char *at, size_t i)
{
	char idx[24];
	snprintf(idx, sizeof idx, "%zu", i);
	return refuse(ps, at, idx);
}

/* at + "/" + member, for names and indexes that need no escaping. */
static void ptr_join(char out[PTR_LEN], const char *at, const char *member)
{
	snprintf(out, PTR_LEN, "%s/%s", at, member);
}

static void ptr_index(char out[PTR_LEN], const char *at, size_t i)
{
	snprintf(out, PTR_LEN, "%s/%zu", at, i);
}

/* A title or form code: ^[a-z_]{1,60}$. */
static bool code_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = 0;
	for (; s[n] != '\0'; n++)
		if (n >= 60 || !((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_'))
			return false;
	return n > 0;
}

static bool int_in(const json_t *v, int lo, int hi, int *out)
{
	if (!json_is_integer(v))
		return false;
	json_int_t n = json_integer_value(v);
	if (n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

typedef bool (*param_fn)(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r);

static bool p_rating(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return rating_parse(json_string_value(v), &r->rating) || refuse(ps, at, NULL);
}

static bool p_run_min_rating(struct parser *ps, const json_t *v, const char *at,
			     struct elig_rule *r)
{
	return rating_parse(json_string_value(v), &r->run_min_rating) || refuse(ps, at, NULL);
}

static bool p_months(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return int_in(v, 1, 120, &r->months) || refuse(ps, at, NULL);
}

static bool p_min_form(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return discipline_form_parse(json_string_value(v), &r->min_form) || refuse(ps, at, NULL);
}

static bool p_counted(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	if (!json_is_array(v))
		return refuse(ps, at, NULL);
	r->kinds_mask = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		enum leave_kind k;
		if (!leave_kind_parse(json_string_value(json_array_get(v, i)), &k))
			return refuse_index(ps, at, i);
		r->kinds_mask |= LEAVE_BIT(k);
	}
	return true;
}

static bool p_title(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	const char *s = json_string_value(v);
	if (!code_valid(s))
		return refuse(ps, at, NULL);
	snprintf(r->other_title, sizeof r->other_title, "%s", s);
	return true;
}

static bool p_member_title(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	const char *s = json_string_value(v);
	if (s == NULL || (strcmp(s, ELIG_TITLE_LDTT) != 0 && strcmp(s, ELIG_TITLE_CSTDCS) != 0))
		return refuse(ps, at, NULL);
	snprintf(r->other_title, sizeof r->other_title, "%s", s);
	return true;
}

/* A non-empty list: an empty one would let no initiative count, ever. */
static bool p_kinds(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	if (!json_is_array(v) || json_array_size(v) == 0)
		return refuse(ps, at, NULL);
	r->kinds_mask = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		enum initiative_kind k;
		if (!initiative_kind_parse(json_string_value(json_array_get(v, i)), &k))
			return refuse_index(ps, at, i);
		r->kinds_mask |= 1u << (unsigned)k;
	}
	return true;
}

static bool p_level(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return initiative_level_parse(json_string_value(v), &r->level) || refuse(ps, at, NULL);
}

static bool p_province_wide(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	r->province_wide = json_is_true(v);
	return json_is_boolean(v) || refuse(ps, at, NULL);
}

static bool p_strict(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	r->strict = json_is_true(v);
	return json_is_boolean(v) || refuse(ps, at, NULL);
}

static bool p_window(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return int_in(v, 1, 10, &r->window_years) || refuse(ps, at, NULL);
}

static bool p_years(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return int_in(v, 1, 10, &r->years) || refuse(ps, at, NULL);
}

static bool p_ending(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	const char *s = json_string_value(v);
	if (s == NULL || (strcmp(s, "previous") != 0 && strcmp(s, "current") != 0))
		return refuse(ps, at, NULL);
	r->ending_current = strcmp(s, "current") == 0;
	return true;
}

static bool p_count(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	return int_in(v, 0, ELIG_COUNT_MAX, &r->count) || refuse(ps, at, NULL);
}

/* 0..100 with at most two decimals, kept in hundredths: 15.5 → 1550. */
static bool p_percent(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	if (!json_is_number(v))
		return refuse(ps, at, NULL);
	double x = json_number_value(v) * 100.0;
	if (!(x >= 0.0 && x <= 10000.0))
		return refuse(ps, at, NULL);
	int64_t centi = (int64_t)(x + 0.5);
	double off = x - (double)centi;
	if (off > 1e-6 || off < -1e-6)
		return refuse(ps, at, NULL);
	r->percent_centi = centi;
	return true;
}

static bool p_rounding(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	const char *s = json_string_value(v);
	return (s != NULL && target_rounding_parse(s, &r->rounding)) || refuse(ps, at, NULL);
}

static bool p_any_of(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r);

static const struct {
	const char *name;
	param_fn parse;
} params_def[P_COUNT] = {
	[P_RATING] = { "rating", p_rating },
	[P_MONTHS] = { "months", p_months },
	[P_MIN_FORM] = { "min_form", p_min_form },
	[P_COUNTED] = { "counted_as_work", p_counted },
	[P_TITLE] = { "title", p_title },
	[P_MEMBER_TITLE] = { "title", p_member_title },
	[P_KINDS] = { "kinds", p_kinds },
	[P_LEVEL] = { "level", p_level },
	[P_PROVINCE_WIDE] = { "province_wide", p_province_wide },
	[P_WINDOW] = { "window_years", p_window },
	[P_YEARS] = { "years", p_years },
	[P_ENDING] = { "ending", p_ending },
	[P_RUN_MIN_RATING] = { "run_min_rating", p_run_min_rating },
	[P_INITIATIVES] = { "initiatives", p_count },
	[P_ANY_OF] = { "of", p_any_of },
	[P_QUOTA_OF] = { "of", p_title },
	[P_PERCENT] = { "percent", p_percent },
	[P_STRICT] = { "strict", p_strict },
	[P_MIN] = { "min", p_count },
	[P_ROUNDING] = { "rounding", p_rounding },
};

static bool param_accepted(unsigned accepted, const char *key)
{
	for (unsigned p = 0; p < P_COUNT; p++)
		if ((accepted & PB(p)) && strcmp(key, params_def[p].name) == 0)
			return true;
	return false;
}

/* The defaults of the optional parameters. */
static void rule_defaults(struct elig_rule *r)
{
	r->run_min_rating = RATING_UNKNOWN;
	r->window_years = 1;
	r->level = INIT_BASE;
	r->rounding = ROUND_FLOOR;
	r->kinds_mask = r->kind == RK_INITIATIVE ? ELIG_INIT_KINDS_ALL : 0;
}

/* Reads the params object at `at` into r, whose kind is set. */
static bool parse_params(struct parser *ps, const json_t *params, const char *at,
			 struct elig_rule *r)
{
	if (!json_is_object(params))
		return refuse(ps, at, NULL);
	const struct kind_def *kd = &elig_kinds[r->kind];
	const char *key;
	json_t *value;
	/* jansson's iterator takes a non-const object; it does not change it */
	json_object_foreach((json_t *)params, key, value)
	{
		(void)value;
		if (!param_accepted(kd->accepted, key))
			return refuse(ps, at, key);
	}
	rule_defaults(r);
	for (unsigned p = 0; p < P_COUNT; p++) {
		if (!(kd->accepted & PB(p)))
			continue;
		const json_t *v = json_object_get(params, params_def[p].name);
		if (v == NULL || json_is_null(v)) {
			if (kd->required & PB(p))
				return refuse(ps, at, params_def[p].name);
			continue;
		}
		char member[PTR_LEN];
		ptr_join(member, at, params_def[p].name);
		if (!params_def[p].parse(ps, v, member, r))
			return false;
	}
	return true;
}

/* May an any_of hold this kind?  Individual conditions only: not another
 * any_of, not a collective's, not a list. */
static bool nestable(enum rule_kind k)
{
	return k != RK_ANY_OF && (elig_kinds[k].scope & FOR_PERSON) != 0;
}

/* "kind" and "params" of the object at `at` (a rule, or a nested one). */
static bool parse_kind_params(struct parser *ps, const json_t *o, const char *at, bool nested,
			      struct elig_rule *r)
{
	if (!rule_kind_parse(json_string_value(json_object_get(o, "kind")), &r->kind) ||
	    (nested && !nestable(r->kind)))
		return refuse(ps, at, "kind");
	char member[PTR_LEN];
	ptr_join(member, at, "params");
	return parse_params(ps, json_object_get(o, "params"), member, r);
}

/* Decree 98/2023 and Law 2022 Art. 23 list alternatives ("one of"): the
 * nested rules go to ps->subs, contiguous, after the parent's others. */
static bool p_any_of(struct parser *ps, const json_t *v, const char *at, struct elig_rule *r)
{
	size_t n = json_array_size(v);
	if (!json_is_array(v) || n == 0 || n > ELIG_ANY_OF_MAX || ps->n_subs + n > ps->subs_cap)
		return refuse(ps, at, NULL);
	r->first_sub = ps->n_subs;
	r->n_sub = n;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(v, i);
		char item[PTR_LEN];
		ptr_index(item, at, i);
		if (!json_is_object(o))
			return refuse(ps, item, NULL);
		const char *key;
		json_t *value;
		json_object_foreach((json_t *)o, key, value)
		{
			(void)value;
			if (strcmp(key, "kind") != 0 && strcmp(key, "params") != 0)
				return refuse(ps, item, key);
		}
		struct elig_rule *sub = &ps->subs[ps->n_subs++];
		memset(sub, 0, sizeof *sub);
		snprintf(sub->title, sizeof sub->title, "%s", r->title);
		if (!parse_kind_params(ps, o, item, true, sub))
			return false;
	}
	return true;
}

static bool parse_rule(struct parser *ps, const json_t *o, size_t i, struct elig_rule *r)
{
	char at[PTR_LEN];
	ptr_index(at, "", i);
	if (!json_is_object(o))
		return refuse(ps, at, NULL);
	const json_t *id = json_object_get(o, "id");
	if (!json_is_integer(id) || json_integer_value(id) < 1)
		return refuse(ps, at, "id");
	r->id = json_integer_value(id);
	const char *title = json_string_value(json_object_get(o, "title"));
	if (!code_valid(title))
		return refuse(ps, at, "title");
	snprintf(r->title, sizeof r->title, "%s", title);
	return parse_kind_params(ps, o, at, false, r);
}

/* An upper bound of the nested rules: the sizes of the any_of lists that
 * would be accepted (longer ones are refused before anything is stored). */
static size_t count_subs(const json_t *rules)
{
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		const json_t *o = json_array_get(rules, i);
		const char *kind = json_string_value(json_object_get(o, "kind"));
		const json_t *of = json_object_get(json_object_get(o, "params"), "of");
		if (kind != NULL && strcmp(kind, "any_of") == 0 &&
		    json_array_size(of) <= ELIG_ANY_OF_MAX)
			n += json_array_size(of);
	}
	return n;
}

bool elig_rule_set_from_json(const json_t *rules, struct elig_rule_set *out, char *err,
			     size_t errlen)
{
	struct parser ps = { .err = err, .errlen = errlen };
	memset(out, 0, sizeof *out);
	if (!json_is_array(rules))
		return refuse(&ps, "", NULL);
	size_t n = json_array_size(rules);
	ps.subs_cap = count_subs(rules);
	out->rules = n ? calloc(n, sizeof *out->rules) : NULL;
	ps.subs = ps.subs_cap ? calloc(ps.subs_cap, sizeof *ps.subs) : NULL;
	bool ok = (n == 0 || out->rules != NULL) && (ps.subs_cap == 0 || ps.subs != NULL);
	if (!ok)
		refuse(&ps, "", NULL);
	for (size_t i = 0; ok && i < n; i++)
		ok = parse_rule(&ps, json_array_get(rules, i), i, &out->rules[i]);
	if (!ok) {
		free(ps.subs);
		elig_rule_set_free(out);
		return false;
	}
	out->n_rules = n;
	out->subs = ps.subs;
	out->n_subs = ps.n_subs;
	return true;
}

bool elig_rule_valid(const char *kind, const json_t *params, char *err, size_t errlen)
{
	struct elig_rule subs[ELIG_ANY_OF_MAX];
	struct parser ps = {
		.err = err, .errlen = errlen, .subs = subs, .subs_cap = ELIG_ANY_OF_MAX
	};
	struct elig_rule r;
	memset(&r, 0, sizeof r);
	if (!rule_kind_parse(kind, &r.kind))
		return refuse(&ps, "", "kind");
	return parse_params(&ps, params, "/params", &r);
}

void elig_rule_set_free(struct elig_rule_set *rs)
{
	if (rs == NULL)
		return;
	free(rs->rules);
	free(rs->subs);
	memset(rs, 0, sizeof *rs);
}

bool elig_rule_set_has_title(const struct elig_rule_set *rs, const char *title)
{
	for (size_t i = 0; i < rs->n_rules; i++)
		if (strcmp(rs->rules[i].title, title) == 0)
			return true;
	return false;
}
