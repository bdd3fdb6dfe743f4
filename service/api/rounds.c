/*
 * rounds.c — review rounds (đợt bình xét), nominations and the council's
 * checked list.
 *
 * GET/POST /v1/review-rounds, GET /v1/review-rounds/{id},
 * POST /v1/review-rounds/{id}/nominations (and .../from-registrations),
 * GET /v1/review-rounds/{id}/list,
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
#include "domain/decimal.h"
#include "http/validate.h"
#include "store/render.h"
#include "store/round_people.h"
#include "store/rounds.h"

static const char *const round_kinds[] = { "annual", "adhoc", NULL };
static const char *const subject_kinds[] = { "staff", "unit", "household", NULL };

/* The member naming the subject of a kind of nomination. */
static const char *subject_member(const char *kind)
{
	if (strcmp(kind, "staff") == 0)
		return "staff_id";
	return strcmp(kind, "unit") == 0 ? "unit_id" : "household_id";
}

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
	static const char *const fields[] = { "award_code",   "subject_kind", "staff_id", "unit_id",
					      "household_id", "achievement",  NULL };
	static const char *const members[] = { "staff_id", "unit_id", "household_id" };
	int64_t round_id;
	if (!api_path_id_or_answer(c, "id", &round_id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s, *kind = NULL;
	int64_t id;
	field_string(&v, "award_code", true, 1, 60, &s);
	if (field_enum(&v, "subject_kind", true, subject_kinds, &kind)) {
		const char *member = subject_member(kind);
		field_id(&v, member, true, &id);
		for (size_t i = 0; i < sizeof members / sizeof *members; i++)
			if (strcmp(members[i], member) != 0 && api_field_given(&v, members[i]))
				validation_fail(&v, members[i], "names the other kind of subject");
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

/* POST /v1/review-rounds/{id}/nominations/from-registrations: every
 * title the registrations of the round's year name, in the caller's
 * scope, becomes a nomination (store_nominations_from_registrations).
 * Whoever calls it again creates only what is new. */
void round_nominate_registered(struct call *c)
{
	int64_t round_id;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &round_id) || !api_writer_or_answer(c, &w))
		return;
	struct row_scope scope = api_scope(c);
	store_nominations_from_registrations(&w, &scope, round_id, &r);
	api_answer_write(c, &r, NULL);
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

/* What a round is judged with: its head (owned), its rule set (owned). */
struct round_eval {
	json_t *head;
	const json_t *round;
	struct verdict_context x;
	struct elig_rule_set rs;
	bool rs_loaded;
	int year;
	struct civil_date on;
};

static void round_eval_end(struct round_eval *e)
{
	if (e->rs_loaded)
		elig_rule_set_free(&e->rs);
	json_decref(e->head);
	memset(e, 0, sizeof *e);
}

/* The head's rule set loaded: false when the head has none (no rule set
 * governs the round's dossier date) or it does not load. */
static bool round_eval_begin(struct round_eval *e, const char *head_text)
{
	memset(e, 0, sizeof *e);
	e->head = head_text ? json_loads(head_text, 0, NULL) : NULL;
	const json_t *set = json_object_get(e->head, "rule_set");
	e->round = json_object_get(e->head, "round");
	e->x.titles = json_object_get(e->head, "titles");
	e->x.rules = json_object_get(set, "rules");
	e->year = (int)json_integer_value(json_object_get(e->round, "year"));
	e->rs_loaded = civil_date_parse(text_of(e->round, "dossier_date"), &e->on) &&
		       verdict_rule_set_load(set, &e->rs);
	return e->rs_loaded;
}

/* Judges nomination m into res; false when a unit's facts cannot be read. */
static bool judge(const struct round_eval *e, const struct round_nomination *m,
		  const struct round_people *people, struct elig_result *res)
{
	if (m->household) {
		elig_evaluate_household(m->award_code, res);
		return true;
	}
	if (m->unit)
		return verdict_evaluate_collective(&e->rs, m->award_code, e->year, e->on, m->facts,
						   res);
	static const struct elig_person nobody = { 0 };
	const struct elig_person *p = round_person(people, m->staff_id);
	elig_evaluate_person(&e->rs, m->award_code, e->year, e->on, p ? p : &nobody, res);
	return true;
}

/* The nominations of one title: a run of the list, which is sorted by
 * title.  counting: those eligible, or kept by the Office with a reason. */
struct title_group {
	const char *code;
	size_t n;
	int64_t counting;
	struct render_buf candidates; /* the group's candidates written, when asked */
};

/* The quota of a title as counted over the round. */
struct quota_calc {
	const struct elig_rule *rule;
	int64_t base, ceiling, count;
	char percent[40];
};

/* The whole round judged: groups of titles and what blocks the council. */
struct judged {
	struct title_group *groups;
	size_t n_groups;
	int64_t not_counting;
	const struct title_group *over; /* the first title over its quota */
	struct quota_calc over_quota;
};

static void judged_free(struct judged *j)
{
	for (size_t i = 0; j->groups && i < j->n_groups; i++)
		free(j->groups[i].candidates.data);
	free(j->groups);
}

static bool quota_of(const struct round_eval *e, const struct judged *j,
		     const struct title_group *g, struct quota_calc *q)
{
	if (!elig_quota_of(&e->rs, g->code, &q->rule))
		return false;
	q->base = 0;
	for (size_t i = 0; i < j->n_groups; i++)
		if (strcmp(j->groups[i].code, q->rule->other_title) == 0)
			q->base = j->groups[i].counting;
	q->count = (int64_t)g->n;
	q->ceiling = elig_quota_ceiling(q->rule, q->base);
	target_format_percent(q->rule->percent_centi, q->percent);
	return true;
}

/* ---- the list written as JSON text ------------------------------------------ */

/* What the candidates are written with: the memo of checks and the
 * labels of the verdicts, looked up once per list. */
struct candidate_writer {
	struct check_memo memo;
	const char *verdict_labels[VERDICT_UNDETERMINED + 1];
};

static void put(struct render_buf *b, const char *s)
{
	render_append(b, s, strlen(s));
}

static void put_int(struct render_buf *b, int64_t v)
{
	char digits[INTEGER_TEXT_LEN];
	put(b, integer_text(digits, v));
}

static void put_json(struct render_buf *b, const json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	put(b, text ? text : "null");
	free(text);
}

/* "name": value pairs; the value written by the caller. */
static void key(struct render_buf *b, const char *name, bool first)
{
	if (!first)
		put(b, ",");
	render_string(b, name);
	put(b, ":");
}

static void put_quota(struct render_buf *b, const struct round_eval *e, const struct judged *j,
		      const struct title_group *g)
{
	struct quota_calc q;
	if (!quota_of(e, j, g, &q)) {
		put(b, "null");
		return;
	}
	static const char *const roundings[] = { "floor", "nearest", "ceil" };
	const char *rounding = roundings[q.rule->rounding];
	json_t *args = json_pack(
		"{s:s, s:I, s:s, s:s, s:I, s:I}", "percent", q.percent, "base", (json_int_t)q.base,
		"of", verdict_title_name(&e->x, q.rule->other_title), "rounding", rounding,
		"ceiling", (json_int_t)q.ceiling, "count", (json_int_t)q.count);
	const struct message *m = message_find("quota-calculation");
	char *sentence = m && args ? template_expand_new(m->template, args) : NULL;
	json_decref(args);
	put(b, "{");
	key(b, "rule_id", true);
	put_int(b, q.rule->id);
	key(b, "of", false);
	render_string(b, q.rule->other_title);
	key(b, "percent", false);
	render_string(b, q.percent);
	key(b, "rounding", false);
	render_string(b, rounding);
	key(b, "base", false);
	put_int(b, q.base);
	key(b, "ceiling", false);
	put_int(b, q.ceiling);
	key(b, "count", false);
	put_int(b, q.count);
	key(b, "within", false);
	put(b, q.count <= q.ceiling ? "true" : "false");
	key(b, "calculation", false);
	if (sentence)
		render_string(b, sentence);
	else
		put(b, "null");
	put(b, "}");
	free(sentence);
}

static void put_id_or_null(struct render_buf *b, int64_t id)
{
	if (id)
		put_int(b, id);
	else
		put(b, "null");
}

/* One candidate: who, the verdict, and the checks not met (a list read at
 * a glance: no sentence is written for a check nobody reads); res is the
 * judged verdict, NULL when the facts could not be read (undetermined). */
static void put_candidate(struct render_buf *b, const struct round_eval *e,
			  const struct round_nomination *m, bool counts,
			  const struct elig_result *res, struct candidate_writer *cw)
{
	enum elig_verdict v = res ? res->verdict : VERDICT_UNDETERMINED;
	put(b, "{");
	key(b, "nomination_id", true);
	put_int(b, m->id);
	key(b, "subject_kind", false);
	render_string(b, m->subject_kind);
	key(b, "staff_id", false);
	put_id_or_null(b, m->staff_id);
	key(b, "unit_id", false);
	put_id_or_null(b, m->unit_id);
	key(b, "household_id", false);
	put_id_or_null(b, m->household_id);
	key(b, "name", false);
	render_string(b, m->name);
	key(b, "achievement", false);
	render_string(b, m->achievement);
	key(b, "override", false);
	if (m->override_reason) {
		put(b, "{");
		key(b, "reason", true);
		render_string(b, m->override_reason);
		key(b, "by", false);
		render_string(b, m->override_by);
		key(b, "at", false);
		render_string(b, m->override_at);
		put(b, "}");
	} else {
		put(b, "null");
	}
	key(b, "counts", false);
	put(b, counts ? "true" : "false");
	key(b, "verdict", false);
	render_string(b, elig_verdict_code(v));
	key(b, "verdict_label", false);
	render_string(b, cw->verdict_labels[v]);
	key(b, "reasons", false);
	put(b, "[");
	bool first = true;
	for (size_t i = 0; res && i < res->n_checks; i++) {
		if (res->checks[i].outcome == ELIG_MET)
			continue;
		if (!first)
			put(b, ",");
		first = false;
		const char *text = check_memo_text(&cw->memo, &e->x, &res->checks[i]);
		if (text) {
			put(b, text);
			continue;
		}
		json_t *check = verdict_check_json(&e->x, &res->checks[i]);
		put_json(b, check);
		json_decref(check);
	}
	put(b, "]}");
}

/* One pass: every nomination judged once, grouped by title (the list is
 * sorted by title), counted, and — when cw is given — written into its
 * group's buffer; then the quotas counted. */
static bool judge_all(const struct round_eval *e, const struct round_nominations *noms,
		      const struct round_people *people, struct candidate_writer *cw,
		      struct judged *j)
{
	memset(j, 0, sizeof *j);
	size_t n = noms->n;
	j->groups = calloc(n ? n : 1, sizeof *j->groups);
	struct elig_result *res = malloc(sizeof *res);
	bool ok = j->groups && res;
	for (size_t i = 0; ok && i < n; i++) {
		const struct round_nomination *m = &noms->items[i];
		if (!j->n_groups || strcmp(j->groups[j->n_groups - 1].code, m->award_code) != 0) {
			struct title_group *g = &j->groups[j->n_groups++];
			*g = (struct title_group){ m->award_code, 0, 0, { 0 } };
			if (cw)
				render_init(&g->candidates, 1024 + (n - i) * 256);
		}
		struct title_group *g = &j->groups[j->n_groups - 1];
		g->n++;
		bool read = judge(e, m, people, res);
		bool counts =
			(read && res->verdict == VERDICT_ELIGIBLE) || m->override_reason != NULL;
		if (counts)
			g->counting++;
		else
			j->not_counting++;
		if (cw) {
			if (g->n > 1)
				put(&g->candidates, ",");
			put_candidate(&g->candidates, e, m, counts, read ? res : NULL, cw);
			ok = !g->candidates.failed;
		}
	}
	free(res);
	for (size_t i = 0; ok && !j->over && i < j->n_groups; i++) {
		struct quota_calc q;
		if (quota_of(e, j, &j->groups[i], &q) && q.count > q.ceiling) {
			j->over = &j->groups[i];
			j->over_quota = q;
		}
	}
	return ok;
}

/* The checked list as JSON text (new string, NULL when out of memory):
 * the round, the rule set, and per title its candidates (written by
 * judge_all) and its quota — only in the organisation-wide view (whole),
 * since a quota counts the whole round. */
static char *checked_list_text(const struct round_eval *e, const struct judged *j, bool whole)
{
	struct render_buf b;
	size_t size = 4096;
	for (size_t g = 0; g < j->n_groups; g++)
		size += j->groups[g].candidates.len + 1024;
	render_init(&b, size);
	const json_t *set = json_object_get(e->head, "rule_set");
	put(&b, "{");
	key(&b, "round", true);
	put_json(&b, e->round);
	key(&b, "rule_set", false);
	put(&b, "{");
	key(&b, "code", true);
	put_json(&b, json_object_get(set, "code"));
	key(&b, "status", false);
	put_json(&b, json_object_get(set, "status"));
	key(&b, "name", false);
	put_json(&b, json_object_get(set, lang_current() == LANG_EN ? "name_en" : "name_vi"));
	put(&b, "}");
	key(&b, "titles", false);
	put(&b, "[");
	for (size_t g = 0; g < j->n_groups; g++) {
		const struct title_group *t = &j->groups[g];
		put(&b, g ? ",{" : "{");
		key(&b, "title", true);
		render_string(&b, t->code);
		key(&b, "title_name", false);
		render_string(&b, verdict_title_name(&e->x, t->code));
		key(&b, "counting", false);
		put_int(&b, t->counting);
		key(&b, "quota", false);
		if (whole)
			put_quota(&b, e, j, t);
		else
			put(&b, "null");
		key(&b, "candidates", false);
		put(&b, "[");
		render_append(&b, t->candidates.data, t->candidates.len);
		put(&b, "]}");
	}
	put(&b, "]}");
	return render_take(&b);
}

/* The list's ETag: a digest of what it says, so a client polling it learns
 * that a fact, a nomination or an override changed it.  SipHash-2-4 (64
 * bits, a fixed key): a tag only has to change with the content, nobody
 * gains by forging one, and over a 600 KB list it costs 0.2 ms where
 * BLAKE2b cost 0.5 (measured here). */
static void list_etag(const char *text, char out[20])
{
	static const unsigned char key[crypto_shorthash_KEYBYTES] = { 0 };
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)text, strlen(text), key);
	out[0] = '"';
	sodium_bin2hex(out + 1, 17, h, sizeof h);
	out[17] = '"';
	out[18] = '\0';
}

static void answer_list(struct call *c, char *out, const char etag[20])
{
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

/* The list of a round whose head is loaded: its nominations and people
 * read in the scope, judged, written into *out (a new string; NULL when
 * out of memory). */
static enum db_status list_of_round(struct db *db, const struct row_scope *scope, int64_t id,
				    const struct round_eval *e, char **out)
{
	struct round_nominations noms;
	struct round_people people = { 0 };
	struct judged j = { 0 };
	*out = NULL;
	enum db_status st = store_round_nominations(db, scope, id, &noms);
	if (st == DB_OK)
		st = store_round_people(db, scope->org_id, &noms, e->year, &people);
	struct candidate_writer cw;
	check_memo_init(&cw.memo);
	for (int v = 0; v <= VERDICT_UNDETERMINED; v++)
		cw.verdict_labels[v] = label_of("verdict", elig_verdict_code((enum elig_verdict)v));
	if (st == DB_OK && judge_all(e, &noms, &people, &cw, &j))
		*out = checked_list_text(e, &j, scope->scope == SCOPE_ORG);
	check_memo_free(&cw.memo);
	judged_free(&j);
	round_people_free(&people);
	round_nominations_free(&noms);
	return st;
}

void round_list_read(struct db *db, const struct row_scope *scope, int64_t round_id,
		     struct round_list *out)
{
	char *head = NULL;
	memset(out, 0, sizeof *out);
	out->st = store_round_head(db, scope->org_id, round_id, &head);
	out->outcome = ROUND_LIST_NOT_FOUND;
	if (out->st != DB_OK || !head)
		return;
	struct round_eval e;
	bool ready = round_eval_begin(&e, head);
	free(head);
	out->outcome = ROUND_LIST_FAILED;
	if (!ready && !json_is_object(json_object_get(e.head, "rule_set"))) {
		const char *day = text_of(e.round, "dossier_date");
		out->no_rule_set_on = strdup(day ? day : "");
		if (out->no_rule_set_on)
			out->outcome = ROUND_LIST_NO_RULE_SET;
	} else if (ready) {
		out->st = list_of_round(db, scope, round_id, &e, &out->text);
		if (out->text) {
			list_etag(out->text, out->etag);
			out->outcome = ROUND_LIST_OK;
		}
	}
	round_eval_end(&e);
}

void round_list_free(struct round_list *l)
{
	free(l->text);
	free(l->no_rule_set_on);
	memset(l, 0, sizeof *l);
}

void round_checked_list(struct call *c)
{
	int64_t id;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	struct row_scope scope = api_scope(c);
	struct round_list l;
	round_list_read(db, &scope, id, &l);
	if (l.st != DB_OK) {
		api_answer_db_failure(c, l.st, "round list");
	} else if (l.outcome == ROUND_LIST_OK) {
		answer_list(c, l.text, l.etag);
		l.text = NULL; /* the answer took it */
	} else if (l.outcome == ROUND_LIST_NOT_FOUND) {
		call_problem(c, problem_not_found());
	} else if (l.outcome == ROUND_LIST_NO_RULE_SET) {
		verdict_answer_no_rule_set(c, l.no_rule_set_on);
	} else {
		call_problem(c, problem_internal());
	}
	round_list_free(&l);
}

/* round_submit's decision, inside the transaction that locks the round. */
static bool submit_decide(struct db *db, const char *head, void *ctx, struct write_result *r)
{
	const struct row_scope *all = ctx;
	struct round_eval e;
	bool ready = round_eval_begin(&e, head);
	int64_t id = json_integer_value(json_object_get(e.round, "id"));
	struct round_nominations noms = { 0 };
	struct round_people people = { 0 };
	struct judged j = { 0 };
	bool go = false;
	if (!ready && !json_is_object(json_object_get(e.head, "rule_set"))) {
		write_refused(r, "no-rule-set",
			      json_pack("{s:O}", "on", json_object_get(e.round, "dossier_date")));
	} else if (!ready || store_round_nominations(db, all, id, &noms) != DB_OK ||
		   store_round_people(db, all->org_id, &noms, e.year, &people) != DB_OK ||
		   !judge_all(&e, &noms, &people, NULL, &j)) {
		write_unexpected(r);
	} else if (j.over) {
		const struct quota_calc *q = &j.over_quota;
		write_refused(r, "round-over-quota",
			      json_pack("{s:s, s:I, s:I, s:s, s:I, s:s}", "title",
					verdict_title_name(&e.x, j.over->code), "count",
					(json_int_t)q->count, "ceiling", (json_int_t)q->ceiling,
					"percent", q->percent, "base", (json_int_t)q->base, "of",
					verdict_title_name(&e.x, q->rule->other_title)));
	} else if (j.not_counting > 0) {
		write_refused(r, "round-not-eligible",
			      json_pack("{s:I}", "count", (json_int_t)j.not_counting));
	} else {
		go = true;
	}
	judged_free(&j);
	round_people_free(&people);
	round_nominations_free(&noms);
	round_eval_end(&e);
	return go;
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
