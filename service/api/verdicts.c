/*
 * verdicts.c — verdicts as the API writes them (see verdicts.h): each
 * check with its sentence in the caller's language and the legal source
 * of its rule, the names of titles, the memo that writes a list's
 * repeated checks once, and the 409 of a date no rule set governs.
 */
#include "api/verdicts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/labels.h"
#include "answers/lang.h"
#include "answers/registry.h"
#include "answers/template.h"
#include "domain/fnv.h"
#include "domain/targets.h"
#include "http/call.h"
#include "http/log.h"
#include "http/problem.h"

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

const json_t *verdict_title_kind(const struct verdict_context *x, const char *code)
{
	size_t i;
	const json_t *t;
	json_array_foreach(x->titles, i, t)
	{
		if (strcmp(text_of(t, "code"), code) == 0)
			return t;
	}
	return NULL;
}

/* The name of a title or form in the caller's language; the code when
 * the catalogue does not hold it. */
const char *verdict_title_name(const struct verdict_context *x, const char *code)
{
	const json_t *t = verdict_title_kind(x, code);
	if (!t)
		return code;
	return text_of(t, lang_current() == LANG_EN ? "name_en" : "name_vi");
}

static const json_t *rule_row(const struct verdict_context *x, int64_t id)
{
	size_t i;
	const json_t *r;
	json_array_foreach(x->rules, i, r)
	{
		if (json_integer_value(json_object_get(r, "id")) == id)
			return r;
	}
	return NULL;
}

/* The check's arguments: as the engine gave them (codes), and as the
 * sentence reads them (a title by its name, a share as a percentage). */
static void check_args(const struct verdict_context *x, const struct elig_check *k, json_t *codes,
		       json_t *words)
{
	for (size_t i = 0; i < k->n_args; i++) {
		const struct elig_arg *a = &k->args[i];
		json_t *v = a->is_text ? json_string(a->text) : json_integer(a->n);
		json_object_set_new(codes, a->name, v);
		if (a->is_text && strcmp(a->name, "title") == 0) {
			json_object_set_new(words, a->name,
					    json_string(verdict_title_name(x, a->text)));
		} else if (!a->is_text && strcmp(a->name, "percent_centi") == 0) {
			char pct[40];
			target_format_percent(a->n, pct);
			json_object_set_new(words, "percent", json_string(pct));
		} else {
			json_object_set(words, a->name, v);
		}
	}
}

/* The message code of a check: "elig-" and its code, with the variants
 * that depend on the arguments. */
static void check_message_code(const struct elig_check *k, const json_t *rule, char *out,
			       size_t len)
{
	bool by_title = false, empty_form = false;
	for (size_t i = 0; i < k->n_args; i++) {
		if (strcmp(k->args[i].name, "title") == 0)
			by_title = true;
		if (strcmp(k->args[i].name, "form") == 0 && !k->args[i].text[0])
			empty_form = true;
	}
	const char *suffix = "";
	if (strncmp(k->code, "run_", 4) == 0 && strcmp(k->code, "run_unknown") != 0 &&
	    strcmp(k->code, "run_rating_below") != 0)
		suffix = by_title ? "-title" : "-rating";
	if (strcmp(k->code, "discipline_in_force") == 0 && empty_form)
		suffix = "-stated";
	/* "more than half" (Law 2003 Art. 28): exactly the share is not enough */
	if ((strcmp(k->code, "share_met") == 0 || strcmp(k->code, "share_below") == 0) &&
	    json_is_true(json_object_get(json_object_get(rule, "params"), "strict")))
		suffix = "-strict";
	int n = snprintf(out, len, "elig-%s%s", k->code, suffix);
	for (int i = 5; i < n && (size_t)i < len; i++)
		if (out[i] == '_')
			out[i] = '-';
}

json_t *verdict_check_json(const struct verdict_context *x, const struct elig_check *k)
{
	json_t *codes = json_object(), *words = json_object();
	check_args(x, k, codes, words);
	const json_t *rule = rule_row(x, k->rule_id);
	char code[96];
	check_message_code(k, rule, code, sizeof code);
	const struct message *m = message_find(code);
	char *sentence = m ? template_expand_new(m->template, words) : NULL;
	json_decref(words);
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:o, s:s?}", "rule_id",
			      (json_int_t)k->rule_id, "kind", rule_kind_code(k->kind), "outcome",
			      elig_outcome_code(k->outcome), "outcome_label",
			      label_of("check_outcome", elig_outcome_code(k->outcome)), "depth",
			      k->depth, "code", k->code, "args", codes, "message", sentence);
	free(sentence);
	if (j && rule) {
		json_object_set(j, "source", json_object_get(rule, "source"));
		json_object_set(j, "configurable", json_object_get(rule, "configurable"));
		const char *note = text_of(rule, lang_current() == LANG_EN ? "note_en" : "note_vi");
		if (*note)
			json_object_set_new(j, "note", json_string(note));
	}
	return j;
}

/* The verdict with every check ("checks"), or with only the checks not
 * met ("reasons": a list read at a glance, and no sentence is written for
 * a check nobody reads). */
static json_t *verdict_json(const struct verdict_context *x, const char *title,
			    const struct elig_result *res, bool reasons_only)
{
	json_t *checks = json_array();
	for (size_t i = 0; i < res->n_checks; i++)
		if (!reasons_only || res->checks[i].outcome != ELIG_MET)
			json_array_append_new(checks, verdict_check_json(x, &res->checks[i]));
	const char *v = elig_verdict_code(res->verdict);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "title", title, "title_name",
			 verdict_title_name(x, title), "verdict", v, "verdict_label",
			 label_of("verdict", v), reasons_only ? "reasons" : "checks", checks,
			 "truncated", res->truncated);
}

/* Whether a title or form of the catalogue entry t is given to a person
 * (collective: to a collective). */
bool verdict_title_fits(const json_t *t, bool collective)
{
	const char *level = text_of(t, "level");
	return strcmp(level, collective ? "individual" : "collective") != 0;
}

/* The titles and forms to judge: the one asked, or every one for this
 * kind of subject the set has conditions for.  One of p and c is given. */
json_t *verdict_list_json(const struct verdict_context *x, const struct elig_rule_set *rs,
			  const char *only, int year, struct civil_date on,
			  const struct elig_person *p, const struct elig_collective *c)
{
	json_t *out = json_array();
	struct elig_result *res = malloc(sizeof *res);
	size_t i;
	const json_t *t;
	if (!out || !res) {
		free(res);
		json_decref(out);
		return NULL;
	}
	json_array_foreach(x->titles, i, t)
	{
		const char *code = text_of(t, "code");
		if (only ? strcmp(code, only) != 0
			 : !verdict_title_fits(t, c != NULL) || !elig_rule_set_has_title(rs, code))
			continue;
		if (c)
			elig_evaluate_collective(rs, code, year, on, c, res);
		else
			elig_evaluate_person(rs, code, year, on, p, res);
		json_array_append_new(out, verdict_json(x, code, res, false));
	}
	free(res);
	return out;
}

/* ---- one verdict, for the lists of review rounds (api/verdicts.h) --------- */

bool verdict_rule_set_load(const json_t *set, struct elig_rule_set *rs)
{
	char err[128];
	if (!json_is_object(set))
		return false;
	if (elig_rule_set_from_json(json_object_get(set, "rules"), rs, err, sizeof err))
		return true;
	log_msgf(LOG_ERROR, "rule set %s does not load: %s", text_of(set, "code"), err);
	return false;
}

/* ---- the memo of written checks (verdicts.h) ------------------------------ */

/* The longest key: the fixed fields, the code and every argument. */
#define CHECK_KEY_MAX (64 + ELIG_MAX_ARGS * (2 * ELIG_CODE_LEN + 16))
#define CHECK_MEMO_SLOTS 512 /* distinct checks of one list; more are written afresh */

struct check_memo_entry {
	uint64_t hash;
	size_t key_len;
	char *key; /* owned; NULL: a free slot */
	char *text; /* owned */
};

static void key_put(char *key, size_t *n, const void *v, size_t len)
{
	memcpy(key + *n, v, len);
	*n += len;
}

static void key_put_text(char *key, size_t *n, const char *s)
{
	size_t len = strnlen(s, ELIG_CODE_LEN);
	key_put(key, n, s, len);
	key[(*n)++] = '\0';
}

/* Everything a check's text is written from, as bytes. */
static size_t check_key(const struct elig_check *k, char key[CHECK_KEY_MAX])
{
	size_t n = 0;
	int fixed[3] = { (int)k->kind, (int)k->outcome, k->depth };
	key_put(key, &n, &k->rule_id, sizeof k->rule_id);
	key_put(key, &n, fixed, sizeof fixed);
	key_put_text(key, &n, k->code);
	for (size_t i = 0; i < k->n_args && i < ELIG_MAX_ARGS; i++) {
		const struct elig_arg *a = &k->args[i];
		key_put_text(key, &n, a->name);
		key[n++] = a->is_text ? 't' : 'n';
		if (a->is_text)
			key_put_text(key, &n, a->text);
		else
			key_put(key, &n, &a->n, sizeof a->n);
	}
	return n;
}

void check_memo_init(struct check_memo *m)
{
	memset(m, 0, sizeof *m);
	m->slots = calloc(CHECK_MEMO_SLOTS, sizeof *m->slots);
	m->n_slots = m->slots ? CHECK_MEMO_SLOTS : 0;
}

void check_memo_free(struct check_memo *m)
{
	for (size_t i = 0; i < m->n_slots; i++) {
		free(m->slots[i].key);
		free(m->slots[i].text);
	}
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static char *check_text_new(const struct verdict_context *x, const struct elig_check *k)
{
	json_t *j = verdict_check_json(x, k);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return text;
}

const char *check_memo_text(struct check_memo *m, const struct verdict_context *x,
			    const struct elig_check *k)
{
	char key[CHECK_KEY_MAX];
	size_t n = check_key(k, key);
	uint64_t h = fnv1a64(FNV1A64_INIT, key, n);
	/* open addressing, linear probing; the memo is never more than half
	 * full, so a probe ends at a free slot */
	struct check_memo_entry *e = NULL;
	for (size_t i = 0; i < m->n_slots; i++) {
		e = &m->slots[(h + i) % m->n_slots];
		if (!e->key || (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0))
			break;
	}
	if (e && e->key)
		return e->text;
	if (!e || m->used * 2 >= m->n_slots)
		return NULL; /* half full: the caller writes this one afresh */
	char *text = check_text_new(x, k);
	char *copy = text ? malloc(n) : NULL;
	if (!copy) {
		free(text);
		return NULL;
	}
	memcpy(copy, key, n);
	*e = (struct check_memo_entry){ h, n, copy, text };
	m->used++;
	return text;
}

void verdict_answer_no_rule_set(struct call *c, const char *day)
{
	json_t *args = json_pack("{s:s}", "on", day ? day : "");
	call_problem(c, problem_from_message(message_find("no-rule-set"), NULL, args));
	json_decref(args);
}
