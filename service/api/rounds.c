/*
 * rounds.c — review rounds (đợt bình xét), nominations and the council's
 * checked list.
 *
 * GET/POST /v1/review-rounds, GET /v1/review-rounds/{id},
 * POST /v1/review-rounds/{id}/nominations, GET /v1/review-rounds/{id}/list,
 * POST /v1/review-rounds/{id}/submit, POST /v1/nominations/{id}/override,
 * DELETE /v1/nominations/{id}.
 *
 * A nomination's verdict is never stored: the list judges every live
 * nomination from the facts as they are now (api/verdicts.h), so a fact
 * recorded a minute ago shows in the next read, and the list's ETag
 * changes with it.  Quotas are counted across the organisation's round:
 * a title with a quota rule in the set (Decree 91's 15 % of LĐTT) may have
 * at most percent × the nominees of the base title who count (eligible,
 * or overridden by the Office with a reason), rounded as the rule says,
 * and the list shows the calculation.  A round goes to the council only
 * within every quota and with every nomination eligible or overridden:
 * else 409 naming the quota, the count and the ceiling.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/labels.h"
#include "answers/lang.h"
#include "answers/registry.h"
#include "answers/template.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "api/verdicts.h"
#include "http/validate.h"
#include "store/rounds.h"

static const char *const round_kinds[] = { "annual", "adhoc", NULL };
static const char *const subject_kinds[] = { "staff", "unit", NULL };

/* ---- rounds ------------------------------------------------------------------ */

void rounds_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_rounds_list(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void round_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_round_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void round_create(struct call *c)
{
	static const char *const fields[] = { "year",	  "kind",	  "name",
					      "deadline", "dossier_date", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	int64_t n;
	struct civil_date d;
	char text[11];
	field_int(&v, "year", true, 2000, 2100, &n);
	field_enum(&v, "kind", true, round_kinds, &s);
	field_string(&v, "name", true, 1, 300, &s);
	field_date(&v, "deadline", true, &d, text);
	if (api_field_given(&v, "dossier_date"))
		field_date(&v, "dossier_date", false, &d, text);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_round_create(&w, body, &r);
		api_answer_write(c, &r, "/v1/review-rounds");
	}
	free(body);
}

/* ---- nominations ------------------------------------------------------------- */

void round_nominate(struct call *c)
{
	static const char *const fields[] = { "award_code", "subject_kind", "staff_id",
					      "unit_id",    "achievement",  NULL };
	int64_t round_id;
	if (!api_path_id_or_answer(c, "id", &round_id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s, *kind = NULL;
	int64_t id;
	field_string(&v, "award_code", true, 1, 60, &s);
	if (field_enum(&v, "subject_kind", true, subject_kinds, &kind)) {
		bool staff = strcmp(kind, "staff") == 0;
		field_id(&v, staff ? "staff_id" : "unit_id", true, &id);
		if (api_field_given(&v, staff ? "unit_id" : "staff_id"))
			validation_fail(&v, staff ? "unit_id" : "staff_id",
					"names the other kind of subject");
	}
	if (api_field_given(&v, "achievement"))
		field_text(&v, "achievement", false, 2000, &s);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		struct row_scope scope = api_scope(c);
		store_nomination_create(&w, &scope, round_id, body, &r);
		api_answer_write(c, &r, "");
	}
	free(body);
}

/* POST /v1/nominations/{id}/override {reason}: the Office keeps a
 * nomination whose verdict is not "eligible", and says why. */
void nomination_override(struct call *c)
{
	int64_t id;
	const char *reason;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_step_reason_or_answer(c, true, &reason) ||
	    !api_writer_or_answer(c, &w))
		return;
	store_nomination_override(&w, id, reason, &r);
	api_answer_write(c, &r, NULL);
}

void nomination_withdraw(struct call *c)
{
	int64_t id;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct row_scope scope = api_scope(c);
	store_nomination_withdraw(&w, &scope, id, &r);
	api_answer_write(c, &r, NULL);
}

/* ---- the checked list ------------------------------------------------------- */

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *title_name(const json_t *titles, const char *code)
{
	size_t i;
	const json_t *t;
	json_array_foreach(titles, i, t)
	{
		if (strcmp(text_of(t, "code"), code) == 0)
			return text_of(t, lang_current() == LANG_EN ? "name_en" : "name_vi");
	}
	return code;
}

/* What a round's inputs are judged with; owned rule set. */
struct round_eval {
	const json_t *round;
	struct verdict_context x;
	struct elig_rule_set rs;
	int year;
	struct civil_date on;
};

static bool round_eval_begin(struct round_eval *e, const json_t *in)
{
	const json_t *set = json_object_get(in, "rule_set");
	e->round = json_object_get(in, "round");
	e->x.titles = json_object_get(in, "titles");
	e->x.rules = json_object_get(set, "rules");
	e->year = (int)json_integer_value(json_object_get(e->round, "year"));
	return civil_date_parse(text_of(e->round, "dossier_date"), &e->on) &&
	       verdict_rule_set_load(set, &e->rs);
}

/* The verdict on a nomination's subject: a unit from its facts in the
 * inputs, a person from the people read set-based. */
static json_t *nomination_verdict(const struct round_eval *e, const json_t *n,
				  const struct round_people *people, enum elig_verdict *v)
{
	const char *title = text_of(n, "award_code");
	if (strcmp(text_of(n, "subject_kind"), "unit") == 0)
		return verdict_new(&e->x, &e->rs, title, e->year, e->on,
				   json_object_get(n, "facts"), true, true, v);
	const struct elig_person *p =
		round_person(people, json_integer_value(json_object_get(n, "staff_id")));
	static const struct elig_person nobody = { 0 };
	return verdict_of_person_new(&e->x, &e->rs, title, e->year, e->on, p ? p : &nobody, true,
				     v);
}

/* One nomination of the list: who, and the verdict with its reasons. */
static json_t *candidate_new(const struct round_eval *e, const json_t *n,
			     const struct round_people *people, bool *counts)
{
	enum elig_verdict v = VERDICT_UNDETERMINED;
	json_t *verdict = nomination_verdict(e, n, people, &v);
	if (!verdict)
		return NULL;
	const json_t *override = json_object_get(n, "override");
	*counts = v == VERDICT_ELIGIBLE || json_is_object(override);
	json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:b}", "nomination_id",
				json_object_get(n, "id"), "subject_kind",
				json_object_get(n, "subject_kind"), "staff_id",
				json_object_get(n, "staff_id"), "unit_id",
				json_object_get(n, "unit_id"), "name", json_object_get(n, "name"),
				"achievement", json_object_get(n, "achievement"), "override",
				override ? override : json_null(), "counts", *counts);
	if (out) {
		json_object_set(out, "verdict", json_object_get(verdict, "verdict"));
		json_object_set(out, "verdict_label", json_object_get(verdict, "verdict_label"));
		json_object_set(out, "reasons", json_object_get(verdict, "reasons"));
	}
	json_decref(verdict);
	return out;
}

/* The group of the list for a title, made on first use. */
static json_t *group_of(json_t *groups, const struct round_eval *e, const char *code)
{
	json_t *g = json_object_get(groups, code);
	if (g)
		return g;
	g = json_pack("{s:s, s:s, s:[], s:i}", "title", code, "title_name",
		      title_name(e->x.titles, code), "candidates", "counting", 0);
	json_object_set_new(groups, code, g);
	return g;
}

/* The quota of group g's title, if the set has one, with its calculation;
 * *over is set when the count exceeds the ceiling. */
static json_t *quota_new(const struct round_eval *e, json_t *groups, const char *code,
			 const json_t *g, bool *over)
{
	const struct elig_rule *q;
	if (!elig_quota_of(&e->rs, code, &q))
		return NULL;
	const json_t *base_group = json_object_get(groups, q->other_title);
	json_int_t base = json_integer_value(json_object_get(base_group, "counting"));
	json_int_t count = (json_int_t)json_array_size(json_object_get(g, "candidates"));
	json_int_t ceiling = elig_quota_ceiling(q, base);
	char pct[40];
	target_format_centi(q->percent_centi, pct);
	size_t n = strlen(pct);
	if (n > 3 && strcmp(pct + n - 3, ".00") == 0)
		n -= 3;
	snprintf(pct + n, sizeof pct - n, "%%");
	static const char *const roundings[] = { "floor", "nearest", "ceil" };
	const char *rounding = roundings[q->rounding];
	json_t *args = json_pack("{s:s, s:I, s:s, s:s, s:I, s:I}", "percent", pct, "base", base,
				 "of", title_name(e->x.titles, q->other_title), "rounding",
				 rounding, "ceiling", ceiling, "count", count);
	const struct message *m = message_find("quota-calculation");
	char *sentence = m ? template_expand_new(m->template, args) : NULL;
	json_decref(args);
	*over = count > ceiling;
	json_t *quota = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:s?}", "rule_id",
				  (json_int_t)q->id, "of", q->other_title, "percent", pct,
				  "rounding", rounding, "base", base, "ceiling", ceiling, "count",
				  count, "within", !*over, "calculation", sentence);
	free(sentence);
	return quota;
}

/* What a submission to the council is refused for, if anything. */
struct blockers {
	json_t *over; /* args of the first quota exceeded, or NULL */
	json_int_t not_counting;
};

/* The checked list of a round's inputs: the round, the rule set, and per
 * title the candidates with verdicts and the quota.  NULL when out of
 * memory or the rule set does not load. */
static json_t *checked_list_new(const json_t *in, const struct round_people *people, bool whole,
				struct blockers *b)
{
	struct round_eval e;
	memset(b, 0, sizeof *b);
	if (!round_eval_begin(&e, in))
		return NULL;
	json_t *groups = json_object();
	size_t i;
	const json_t *n;
	json_array_foreach(json_object_get(in, "nominations"), i, n)
	{
		bool counts = false;
		json_t *cand = candidate_new(&e, n, people, &counts);
		json_t *g = group_of(groups, &e, text_of(n, "award_code"));
		if (!cand || !g)
			continue;
		json_array_append_new(json_object_get(g, "candidates"), cand);
		if (counts)
			json_object_set_new(
				g, "counting",
				json_integer(json_integer_value(json_object_get(g, "counting")) +
					     1));
		else
			b->not_counting++;
	}
	json_t *titles = json_array();
	const char *code;
	json_t *g;
	json_object_foreach(groups, code, g)
	{
		bool over = false;
		/* a quota counts the whole round: a view of part of it has none */
		json_t *quota = whole ? quota_new(&e, groups, code, g, &over) : NULL;
		json_object_set_new(g, "quota", quota ? quota : json_null());
		if (over && !b->over)
			b->over = json_pack("{s:s, s:O, s:O, s:O, s:O, s:s}", "title",
					    title_name(e.x.titles, code), "count",
					    json_object_get(quota, "count"), "ceiling",
					    json_object_get(quota, "ceiling"), "percent",
					    json_object_get(quota, "percent"), "base",
					    json_object_get(quota, "base"), "of",
					    title_name(e.x.titles, text_of(quota, "of")));
		json_array_append(titles, g);
	}
	json_decref(groups);
	elig_rule_set_free(&e.rs);
	const json_t *set = json_object_get(in, "rule_set");
	return json_pack("{s:O, s:{s:O?, s:O?, s:O?}, s:o}", "round", e.round, "rule_set", "code",
			 json_object_get(set, "code"), "status", json_object_get(set, "status"),
			 "name",
			 json_object_get(set, lang_current() == LANG_EN ? "name_en" : "name_vi"),
			 "titles", titles);
}

/* 409 no-rule-set: no rule set governs the round's dossier date. */
static void answer_no_rule_set(struct call *c, const json_t *day)
{
	json_t *args = json_pack("{s:O}", "on", day ? day : json_null());
	call_problem(c, problem_from_message(message_find("no-rule-set"), NULL, args));
	json_decref(args);
}

/* The list's ETag: a digest of what it says, so a client polling it learns
 * that a fact, a nomination or an override changed it. */
static void list_etag(const char *text, char out[36])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	out[0] = '"';
	sodium_bin2hex(out + 1, 33, h, sizeof h);
	out[33] = '"';
	out[34] = '\0';
}

void round_checked_list(struct call *c)
{
	int64_t id;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	struct row_scope scope = api_scope(c);
	enum db_status st = store_round_inputs(db, &scope, id, &text);
	if (st != DB_OK || !text || strcmp(text, "null") == 0) {
		if (text && strcmp(text, "null") == 0) {
			free(text);
			text = NULL;
		}
		api_answer_read(c, st, text);
		return;
	}
	json_t *in = json_loads(text, 0, NULL);
	free(text);
	if (in && !json_is_object(json_object_get(in, "rule_set"))) {
		answer_no_rule_set(c,
				   json_object_get(json_object_get(in, "round"), "dossier_date"));
		json_decref(in);
		return;
	}
	struct blockers b = { 0 };
	struct round_people people = { 0 };
	int year = (int)json_integer_value(json_object_get(json_object_get(in, "round"), "year"));
	json_t *list = NULL;
	if (in && (st = store_round_people(db, &scope, id, year, &people)) == DB_OK)
		list = checked_list_new(in, &people, scope.scope == SCOPE_ORG, &b);
	round_people_free(&people);
	json_decref(in);
	json_decref(b.over);
	if (st != DB_OK) {
		api_answer_db_failure(c, st, "round people");
		return;
	}
	char *out = list ? json_dumps(list, JSON_COMPACT) : NULL;
	json_decref(list);
	if (!out) {
		call_problem(c, problem_internal());
		return;
	}
	char etag[36];
	list_etag(out, etag);
	call_set_header(c, "ETag", etag);
	call_language_headers(c);
	const char *match = call_req_header(c, "If-None-Match");
	if (match && strcmp(match, etag) == 0) {
		free(out);
		call_take(c, 304, "application/json", NULL, 0);
		return;
	}
	call_take(c, 200, "application/json", out, strlen(out));
}

/* round_submit's decision, inside the transaction that locks the round. */
static bool submit_decide(struct db *db, const char *inputs, void *ctx, struct write_result *r)
{
	const struct row_scope *all = ctx;
	json_t *in = json_loads(inputs, 0, NULL);
	const json_t *round = json_object_get(in, "round");
	if (in && !json_is_object(json_object_get(in, "rule_set"))) {
		write_refused(r, "no-rule-set",
			      json_pack("{s:O}", "on", json_object_get(round, "dossier_date")));
		json_decref(in);
		return false;
	}
	struct blockers b = { 0 };
	struct round_people people = { 0 };
	json_t *list = NULL;
	if (in && store_round_people(db, all, json_integer_value(json_object_get(round, "id")),
				     (int)json_integer_value(json_object_get(round, "year")),
				     &people) == DB_OK)
		list = checked_list_new(in, &people, true, &b);
	round_people_free(&people);
	json_decref(in);
	bool ok = list != NULL;
	json_decref(list);
	if (!ok) {
		write_unexpected(r);
		return false;
	}
	if (b.over) {
		write_refused(r, "round-over-quota", b.over);
		return false;
	}
	if (b.not_counting > 0) {
		write_refused(r, "round-not-eligible",
			      json_pack("{s:I}", "count", (json_int_t)b.not_counting));
		return false;
	}
	return true;
}

/* POST /v1/review-rounds/{id}/submit: the list goes to the council. */
void round_submit(struct call *c)
{
	int64_t id;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct row_scope all = { .org_id = c->who.org_id, .scope = SCOPE_ORG };
	store_round_submit(&w, id, submit_decide, &all, &r);
	api_answer_write(c, &r, NULL);
}
