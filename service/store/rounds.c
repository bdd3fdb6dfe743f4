/*
 * rounds.c — SQL for review rounds and nominations (see rounds.h).
 *
 * Arguments common to the writes: $1..$4 the writer's actor (WRITER_ARGS),
 * $5 the validated body or the value written.
 */
#include "store/rounds.h"

#include <stdlib.h>
#include <string.h>

#include "domain/access.h"

/* clang-format off */

DB_STATEMENT(round_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO review_rounds (organization_id, year, kind, name, deadline,"
	"  dossier_date)"
	"  SELECT $1::bigint, (f->>'year')::integer, f->>'kind', " TEXT_OF("name") ","
	"  (f->>'deadline')::date, coalesce((f->>'dossier_date')::date, (f->>'deadline')::date)"
	"  FROM f RETURNING *),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'review_round.create', 'review_round',"
	"  ins.id::text, NULL, review_round_json(ins), $4) FROM ins)"
	" SELECT review_round_json(ins)::text, ins.version, ins.id FROM ins, aud",
	5);

DB_STATEMENT(rounds_list,
	"SELECT jsonb_build_object('items', coalesce(jsonb_agg(review_round_json(r)"
	" ORDER BY r.year DESC, r.id DESC), '[]'))::text FROM review_rounds r"
	" WHERE r.organization_id = $1::bigint",
	1);

DB_STATEMENT(round_get,
	"SELECT review_round_json(r)::text FROM review_rounds r"
	" WHERE r.organization_id = $1::bigint AND r.id = $2::bigint",
	2);

/*
 * $6 round, $7 scope, $8 scope unit, $9 today.  The round row is read FOR
 * SHARE: a submission to the council (which holds it FOR UPDATE) finishes
 * first, and this statement then sees the round submitted.  Checks, the
 * first that fails answering (a round of another organisation is not
 * found, whatever the body): the round open; its deadline not passed
 * (the Office may still nominate after it); the subject in the writer's
 * scope; a person in service in the round's year.
 */
DB_STATEMENT(nomination_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" r AS (SELECT * FROM review_rounds WHERE organization_id = $1::bigint"
	"  AND id = $6::bigint FOR SHARE),"
	" s AS (SELECT st.* FROM staff st, f WHERE f->>'subject_kind' = 'staff'"
	"  AND st.organization_id = $1::bigint AND st.id = (f->>'staff_id')::bigint),"
	" u AS (SELECT un.* FROM units un, f WHERE f->>'subject_kind' = 'unit'"
	"  AND un.organization_id = $1::bigint AND un.id = (f->>'unit_id')::bigint),"
	" refusal AS (SELECT ptr, code, args FROM ("
	"  SELECT 0 AS k, '' AS ptr, 'round-submitted' AS code, NULL::text AS args"
	"   FROM r WHERE r.status <> 'open'"
	"  UNION ALL SELECT 1, '', 'round-deadline-passed',"
	"   jsonb_build_object('deadline', r.deadline)::text FROM r"
	"   WHERE $9::date > r.deadline AND $7::text <> 'organization'"
	"  UNION ALL SELECT 2, '/staff_id', 'nomination-staff-scope', NULL FROM f"
	"   WHERE f->>'subject_kind' = 'staff' AND NOT EXISTS (SELECT 1 FROM s"
	"   WHERE $7::text = 'organization' OR unit_in_subtree($1::bigint, s.unit_id, $8::bigint))"
	"  UNION ALL SELECT 3, '/unit_id', 'nomination-unit-scope', NULL FROM f"
	"   WHERE f->>'subject_kind' = 'unit' AND NOT EXISTS (SELECT 1 FROM u"
	"   WHERE $7::text = 'organization' OR $8::bigint = ANY (u.path))"
	"  UNION ALL SELECT 4, '/staff_id', 'nomination-not-in-service',"
	"   jsonb_build_object('year', r.year)::text FROM r, s"
	"   WHERE s.start_date > make_date(r.year, 12, 31)"
	"   OR (s.left_on IS NOT NULL AND s.left_on < make_date(r.year, 1, 1))"
	"  ) x WHERE EXISTS (SELECT 1 FROM r) ORDER BY k LIMIT 1),"
	" ins AS (INSERT INTO nominations (organization_id, round_id, award_code, subject_kind,"
	"  staff_id, unit_id, achievement, nominated_by)"
	"  SELECT $1::bigint, r.id, (award_kind_for(f->>'award_code', f->>'subject_kind')).code,"
	"  f->>'subject_kind', (f->>'staff_id')::bigint, (f->>'unit_id')::bigint,"
	"  " TEXT_OF("achievement") ", $2 || ':' || $3 FROM f, r"
	"  WHERE NOT EXISTS (SELECT 1 FROM refusal) RETURNING *),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'nomination.create', 'nomination',"
	"  ins.id::text, NULL, nomination_json(ins), $4) FROM ins)"
	" SELECT (SELECT nomination_json(ins)::text FROM ins, aud), (SELECT ins.id FROM ins),"
	" (SELECT ins.version FROM ins), (SELECT ptr FROM refusal), (SELECT code FROM refusal),"
	" (SELECT args FROM refusal)",
	9);

/* $5 the reason, $6 the nomination: a live one of an open round. */
DB_STATEMENT(nomination_override,
	"WITH n AS (SELECT n.*, r.status AS round_status FROM nominations n"
	"  JOIN review_rounds r ON r.id = n.round_id"
	"  WHERE n.organization_id = $1::bigint AND n.id = $6::bigint"
	"  AND n.withdrawn_at IS NULL FOR UPDATE OF n),"
	" refusal AS (SELECT '' AS ptr, 'round-submitted' AS code, NULL::text AS args FROM n"
	"  WHERE n.round_status <> 'open'),"
	" ins AS (UPDATE nominations m SET override_reason = normalize(btrim($5), NFC),"
	"  override_by = $2 || ':' || $3, override_at = now(), version = m.version + 1"
	"  FROM n WHERE m.id = n.id AND NOT EXISTS (SELECT 1 FROM refusal) RETURNING m.*),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'nomination.override', 'nomination',"
	"  ins.id::text, NULL, nomination_json(ins), $4) FROM ins)"
	" SELECT (SELECT nomination_json(ins)::text FROM ins, aud), (SELECT ins.id FROM ins),"
	" (SELECT ins.version FROM ins), (SELECT ptr FROM refusal), (SELECT code FROM refusal),"
	" (SELECT args FROM refusal)",
	6);

/* $5 scope, $6 the nomination, $7 scope unit, $8 scope staff, $9 today:
 * as for a nomination, a unit head withdraws only until the deadline. */
DB_STATEMENT(nomination_withdraw,
	"WITH n AS (SELECT n.*, r.status AS round_status, r.deadline FROM nominations n"
	"  JOIN review_rounds r ON r.id = n.round_id"
	"  WHERE n.organization_id = $1::bigint AND n.id = $6::bigint AND n.withdrawn_at IS NULL"
	"  AND nomination_visible(n, $5::text, $7::bigint, $8::bigint) FOR UPDATE OF n),"
	" refusal AS (SELECT ptr, code, args FROM ("
	"  SELECT 0 AS k, '' AS ptr, 'round-submitted' AS code, NULL::text AS args FROM n"
	"   WHERE n.round_status <> 'open'"
	"  UNION ALL SELECT 1, '', 'round-deadline-passed',"
	"   jsonb_build_object('deadline', n.deadline)::text FROM n"
	"   WHERE $9::date > n.deadline AND $5::text <> 'organization'"
	"  ) x ORDER BY k LIMIT 1),"
	" ins AS (UPDATE nominations m SET withdrawn_at = now(), version = m.version + 1"
	"  FROM n WHERE m.id = n.id AND NOT EXISTS (SELECT 1 FROM refusal) RETURNING m.*),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'nomination.withdraw', 'nomination',"
	"  ins.id::text, NULL, nomination_json(ins), $4) FROM ins)"
	" SELECT (SELECT nomination_json(ins)::text FROM ins, aud), (SELECT ins.id FROM ins),"
	" (SELECT ins.version FROM ins), (SELECT ptr FROM refusal), (SELECT code FROM refusal),"
	" (SELECT args FROM refusal)",
	9);

DB_STATEMENT(round_head,
	"SELECT review_round_head($1::bigint, $2::bigint)::text",
	2);

/* $1 org, $2 scope, $3 unit, $4 staff, $5 round: the live nominations the
 * scope covers (unsorted: the service puts them in the list's order,
 * cheaper than a sort here), the facts of a unit as JSON, and a
 * person's start date and the leave on their record (what the engine
 * reads of the staff row: read here, where the row is joined anyway). */
DB_STATEMENT(round_nominations,
	"SELECT n.id, n.award_code, n.subject_kind, n.staff_id, n.unit_id,"
	" coalesce(s.full_name, u.name), n.achievement, n.override_reason, n.override_by,"
	" to_char(n.override_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'),"
	" CASE n.subject_kind WHEN 'unit'"
	"  THEN collective_facts($1::bigint, n.unit_id, r.year, now())::text END,"
	" s.start_date::text, s.leave_from::text, s.leave_until::text, s.leave_kind"
	" FROM nominations n JOIN review_rounds r ON r.id = n.round_id"
	" LEFT JOIN staff s ON s.id = n.staff_id LEFT JOIN units u ON u.id = n.unit_id"
	" WHERE n.organization_id = $1::bigint AND n.round_id = $5::bigint"
	" AND n.withdrawn_at IS NULL AND ($2::text = 'organization'"
	" OR nomination_visible(n, $2::text, $3::bigint, $4::bigint))",
	5);

/*
 * $1 org, $2 the people (staff ids, an array): the facts of each, packed
 * (staff_facts, migration 0014; the format in db/procedures/
 * staff_facts.sql), one row per person who has any.  The people are those
 * of the nominations the caller's scope covers (round_nominations, which
 * also reads their staff rows).
 */
DB_STATEMENT(round_people,
	"SELECT f.staff_id, f.facts FROM staff_facts f"
	" WHERE f.organization_id = $1::bigint AND f.staff_id = ANY ($2::bigint[])",
	2);

DB_STATEMENT(round_lock,
	"SELECT status FROM review_rounds WHERE organization_id = $1::bigint AND id = $2::bigint"
	" FOR UPDATE",
	2);

DB_STATEMENT(round_submit,
	"WITH old AS (SELECT review_round_json(r) AS j FROM review_rounds r"
	"  WHERE r.organization_id = $1::bigint AND r.id = $5::bigint),"
	" ins AS (UPDATE review_rounds r SET status = 'submitted', submitted_at = now(),"
	"  updated_at = now(), version = r.version + 1"
	"  WHERE r.organization_id = $1::bigint AND r.id = $5::bigint RETURNING r.*),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'review_round.submit', 'review_round',"
	"  ins.id::text, old.j, review_round_json(ins), $4) FROM ins, old)"
	" SELECT review_round_json(ins)::text, ins.version, ins.id FROM ins, aud",
	5);

/* clang-format on */

void store_round_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, round_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_from_row(w->db, res, st, r);
}

enum db_status store_rounds_list(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, rounds_list, json, db_arg_id(org_id));
}

enum db_status store_round_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, round_get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_nomination_create(const struct writer *w, const struct row_scope *s, int64_t round_id,
			     const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, nomination_create, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_id(round_id), db_arg_text(access_scope_name(s->scope)),
				db_arg_id(s->unit_id), db_arg_date(w->today));
	write_checked_row(w->db, res, st, r);
}

void store_nomination_override(const struct writer *w, int64_t id, const char *reason,
			       struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, nomination_override, &st, WRITER_ARGS(w),
				db_arg_text(reason), db_arg_id(id));
	write_checked_row(w->db, res, st, r);
}

void store_nomination_withdraw(const struct writer *w, const struct row_scope *s, int64_t id,
			       struct write_result *r)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, nomination_withdraw, &st, WRITER_ARGS(w),
			db_arg_text(access_scope_name(s->scope)), db_arg_id(id),
			db_arg_id(s->unit_id), db_arg_id(s->staff_id), db_arg_date(w->today));
	write_checked_row(w->db, res, st, r);
}

enum db_status store_round_head(struct db *db, int64_t org_id, int64_t round_id, char **json)
{
	return DB_FETCH_TEXT(db, round_head, json, db_arg_id(org_id), db_arg_id(round_id));
}

/* The list's order: by title (award code, bytewise), then id. */
static int nomination_cmp(const void *a, const void *b)
{
	const struct round_nomination *x = a, *y = b;
	int c = strcmp(x->award_code, y->award_code);
	if (c)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

enum db_status store_round_nominations(struct db *db, const struct row_scope *s, int64_t round_id,
				       struct round_nominations *out)
{
	memset(out, 0, sizeof *out);
	enum db_status st;
	PGresult *res = DB_EXEC(db, round_nominations, &st, SCOPE_ARGS(s), db_arg_id(round_id));
	if (!res)
		return st;
	size_t n = (size_t)PQntuples(res);
	out->items = calloc(n ? n : 1, sizeof *out->items);
	if (!out->items || PQnfields(res) != 15) {
		PQclear(res);
		free(out->items);
		out->items = NULL;
		return DB_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		struct round_nomination *m = &out->items[i];
		int r = (int)i;
		m->id = db_get_int(res, r, 0);
		m->award_code = PQgetvalue(res, r, 1);
		m->unit = strcmp(PQgetvalue(res, r, 2), "unit") == 0;
		m->staff_id = PQgetisnull(res, r, 3) ? 0 : db_get_int(res, r, 3);
		m->unit_id = PQgetisnull(res, r, 4) ? 0 : db_get_int(res, r, 4);
		m->name = PQgetvalue(res, r, 5);
		m->achievement = PQgetvalue(res, r, 6);
		m->override_reason = PQgetisnull(res, r, 7) ? NULL : PQgetvalue(res, r, 7);
		m->override_by = PQgetvalue(res, r, 8);
		m->override_at = PQgetvalue(res, r, 9);
		m->facts = PQgetisnull(res, r, 10) ? NULL : PQgetvalue(res, r, 10);
		for (int k = 0; k < 4; k++)
			m->person[k] =
				PQgetisnull(res, r, 11 + k) ? NULL : PQgetvalue(res, r, 11 + k);
	}
	qsort(out->items, n, sizeof *out->items, nomination_cmp);
	out->n = n;
	out->res = res;
	return DB_OK;
}

void round_nominations_free(struct round_nominations *n)
{
	free(n->items);
	PQclear(n->res);
	memset(n, 0, sizeof *n);
}

struct submit_tx {
	const struct writer *w;
	int64_t round_id;
	round_decide_fn decide;
	void *ctx;
	struct write_result *r;
};

static enum db_status submit_run(struct db *db, void *ctx)
{
	struct submit_tx *t = ctx;
	const struct writer *w = t->w;
	write_result_clear(t->r);
	enum db_status st;
	PGresult *res =
		DB_EXEC(db, round_lock, &st, db_arg_id(w->actor.org_id), db_arg_id(t->round_id));
	if (!res)
		return st;
	bool found = PQntuples(res) == 1;
	bool open = found && strcmp(PQgetvalue(res, 0, 0), "open") == 0;
	PQclear(res);
	if (!found) {
		write_not_found(t->r);
		return DB_OK;
	}
	if (!open) {
		write_refused(t->r, "round-submitted", NULL);
		return DB_OK;
	}
	char *inputs = NULL;
	st = store_round_head(db, w->actor.org_id, t->round_id, &inputs);
	if (st != DB_OK)
		return st;
	bool go = inputs && t->decide(db, inputs, t->ctx, t->r);
	free(inputs);
	if (!go)
		return DB_OK; /* refused: committing only ends the lock */
	res = DB_EXEC(db, round_submit, &st, WRITER_ARGS(w), db_arg_id(t->round_id));
	write_from_row(db, res, st, t->r);
	return t->r->outcome == WRITE_FAILED ? t->r->db : DB_OK;
}

void store_round_submit(const struct writer *w, int64_t round_id, round_decide_fn decide, void *ctx,
			struct write_result *r)
{
	memset(r, 0, sizeof *r);
	struct submit_tx t = { w, round_id, decide, ctx, r };
	enum db_status st = db_transaction(w->db, submit_run, &t);
	if (st != DB_OK) {
		write_result_clear(r);
		write_failed(w->db, st, r);
	}
}

/* ---- the people of a round ------------------------------------------------- */

static struct civil_date date_text(const char *s)
{
	struct civil_date d = CIVIL_DATE_NONE;
	if (!s || !civil_date_parse(s, &d))
		return CIVIL_DATE_NONE;
	return d;
}

/* Counts by kind, to size the pools. */
struct rp_counts {
	size_t p, r, d, l, c, i, a, g;
};

/* One line of packed facts, split: its kind and up to six fields, each
 * NUL-terminated in `room`. */
#define FACT_FIELDS 7
#define FACT_FIELD_MAX 64
struct fact_line {
	char kind;
	int n;
	char f[FACT_FIELDS][FACT_FIELD_MAX];
};

/* Splits the line at *p (to its newline) into l; *p moves past it.  False
 * at the end of the text. */
static bool next_line(const char **p, struct fact_line *l)
{
	const char *s = *p;
	if (!*s)
		return false;
	const char *end = strchr(s, '\n');
	if (!end)
		end = s + strlen(s);
	l->n = 0;
	while (s <= end && l->n < FACT_FIELDS) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		size_t len = (size_t)(stop - s);
		if (len >= FACT_FIELD_MAX)
			len = FACT_FIELD_MAX - 1;
		memcpy(l->f[l->n], s, len);
		l->f[l->n++][len] = '\0';
		s = stop + 1;
		if (!tab)
			break;
	}
	for (int i = l->n; i < FACT_FIELDS; i++)
		l->f[i][0] = '\0';
	l->kind = l->f[0][0];
	*p = *end ? end + 1 : end;
	return true;
}

/* Whether the engine reads the fact for `year`: ratings of the ten years
 * before, leave overlapping them (runs of consecutive years reach back);
 * everything else whatever its date. */
static bool fact_in_window(const struct fact_line *l, int year)
{
	if (l->kind == 'r') {
		long y = strtol(l->f[1], NULL, 10);
		return y >= year - 10 && y <= year;
	}
	if (l->kind == 'l') {
		struct civil_date from = date_text(l->f[2]), until = date_text(l->f[3]);
		return until.year >= year - 10 && from.year <= year;
	}
	return true;
}

static void count_kind(char kind, struct rp_counts *n)
{
	switch (kind) {
	case 'r':
		n->r++;
		break;
	case 'd':
		n->d++;
		break;
	case 'l':
		n->l++;
		break;
	case 'c':
		n->c++;
		break;
	case 'i':
		n->i++;
		break;
	case 'a':
		n->a++;
		break;
	case 'g':
		n->g++;
		break;
	default:
		break;
	}
}

/* The facts of one packed text by kind, whatever their dates: what the
 * pools must hold at most. */
static void count_text(const char *text, struct rp_counts *n)
{
	while (*text) {
		count_kind(text[0], n);
		const char *end = strchr(text, '\n');
		text = end ? end + 1 : text + strlen(text);
	}
}

static bool pools_new(struct round_people *p, const struct rp_counts *n)
{
	p->ids = calloc(n->p ? n->p : 1, sizeof *p->ids);
	p->people = calloc(n->p ? n->p : 1, sizeof *p->people);
	p->years = calloc(n->r ? n->r : 1, sizeof *p->years);
	p->disciplines = calloc(n->d ? n->d : 1, sizeof *p->disciplines);
	p->leaves = calloc(n->l ? n->l : 1, sizeof *p->leaves);
	p->cases = calloc(n->c ? n->c : 1, sizeof *p->cases);
	p->initiatives = calloc(n->i ? n->i : 1, sizeof *p->initiatives);
	p->awards = calloc(n->a ? n->a : 1, sizeof *p->awards);
	p->registrations = calloc(n->g ? n->g : 1, sizeof *p->registrations);
	return p->ids && p->people && p->years && p->disciplines && p->leaves && p->cases &&
	       p->initiatives && p->awards && p->registrations;
}

/* The person's staff row, as round_nominations reads it: the start date,
 * and the leave on the record (its kind, "other" when not stated;
 * open-ended: to the end of the year). */
static void read_person(struct elig_person *e, const char *const row[4], int year)
{
	e->started_on = date_text(row[0]);
	e->has_started_on = e->started_on.year != 0;
	if (row[1]) {
		struct elig_leave *l = (struct elig_leave *)&e->leaves[e->n_leaves++];
		if (!row[3] || !leave_kind_parse(row[3], &l->kind))
			l->kind = LEAVE_OTHER;
		l->from = date_text(row[1]);
		l->until = date_text(row[2]);
		if (l->until.year == 0)
			l->until = (struct civil_date){ year, 12, 31 };
	}
}

static void read_fact(struct elig_person *e, const struct fact_line *l)
{
	const char(*f)[FACT_FIELD_MAX] = l->f;
	if (l->kind == 'r') {
		struct elig_year *y = (struct elig_year *)&e->years[e->n_years++];
		y->year = (int)strtol(f[1], NULL, 10);
		if (!rating_parse(f[2], &y->rating))
			y->rating = RATING_UNKNOWN;
		y->discipline_stated = f[3][0] == 't' ? 1 : f[3][0] == 'f' ? 0 : -1;
	} else if (l->kind == 'd') {
		struct elig_discipline *d =
			(struct elig_discipline *)&e->disciplines[e->n_disciplines++];
		if (!discipline_form_parse(f[1], &d->form))
			d->form = DISC_DISMISSAL; /* unknown: read as the heaviest */
		d->from = date_text(f[2]);
		d->until = date_text(f[3]);
	} else if (l->kind == 'l') {
		struct elig_leave *v = (struct elig_leave *)&e->leaves[e->n_leaves++];
		if (!leave_kind_parse(f[1], &v->kind))
			v->kind = LEAVE_OTHER;
		v->from = date_text(f[2]);
		v->until = date_text(f[3]);
	} else if (l->kind == 'c') {
		struct elig_case *k = (struct elig_case *)&e->cases[e->n_cases++];
		if (!case_kind_parse(f[1], &k->kind))
			k->kind = CASE_INVESTIGATION;
		k->opened = date_text(f[2]);
		k->closed = date_text(f[3]);
	} else if (l->kind == 'i') {
		struct elig_initiative *x =
			(struct elig_initiative *)&e->initiatives[e->n_initiatives++];
		x->id = strtoll(f[1], NULL, 10);
		if (!initiative_kind_parse(f[2], &x->kind))
			x->kind = INIT_KIND_INITIATIVE;
		if (!initiative_level_parse(f[3], &x->level))
			x->level = INIT_BASE;
		x->province_wide = f[4][0] == 't';
		x->recognised_on = date_text(f[5]);
		x->used = f[6][0] == 't';
	} else if (l->kind == 'a') {
		struct elig_award *w = (struct elig_award *)&e->awards[e->n_awards++];
		size_t len = strnlen(f[1], sizeof w->title - 1);
		memcpy(w->title, f[1], len);
		w->title[len] = '\0';
		w->year = (int)strtol(f[2], NULL, 10);
		w->adhoc = f[3][0] == 't';
	} else if (l->kind == 'g') {
		struct elig_registration *g =
			(struct elig_registration *)&e->registrations[e->n_registrations++];
		g->year = (int)strtol(f[1], NULL, 10);
		size_t len = strnlen(f[2], sizeof g->title - 1);
		memcpy(g->title, f[2], len);
		g->title[len] = '\0';
	}
}

/* A fact row by its person (the rows come unsorted), or a nominated
 * person by id (row: the nomination). */
struct row_ref {
	int64_t id;
	int row;
};

static int row_ref_cmp(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The people of the nominations, by id: refs to their first nomination,
 * sorted and unique; *n their count; NULL when out of memory. */
static struct row_ref *people_refs(const struct round_nominations *noms, size_t *n)
{
	struct row_ref *refs = malloc((noms->n ? noms->n : 1) * sizeof *refs);
	size_t k = 0;
	if (!refs)
		return NULL;
	for (size_t i = 0; i < noms->n; i++)
		if (!noms->items[i].unit)
			refs[k++] = (struct row_ref){ noms->items[i].staff_id, (int)i };
	qsort(refs, k, sizeof *refs, row_ref_cmp);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || refs[i].id != refs[i - 1].id)
			refs[(*n)++] = refs[i];
	return refs;
}

/* The people as an SQL array literal, "{1,2,3}" (new string). */
static char *ids_array(const struct row_ref *people, size_t n)
{
	size_t cap = 3 + n * 21, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[len++] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, i ? ",%lld" : "%lld",
					(long long)people[i].id);
	s[len++] = '}';
	s[len] = '\0';
	return s;
}

/* Points person e's arrays at the pools' next free places: its facts are
 * appended there as they are read (used counts them). */
static void place_arrays(struct round_people *p, struct elig_person *e,
			 const struct rp_counts *used)
{
	e->years = p->years + used->r;
	e->disciplines = p->disciplines + used->d;
	e->leaves = p->leaves + used->l;
	e->cases = p->cases + used->c;
	e->initiatives = p->initiatives + used->i;
	e->awards = p->awards + used->a;
	e->registrations = p->registrations + used->g;
}

/* What person e took of the pools. */
static void took(struct rp_counts *used, const struct elig_person *e)
{
	used->r += e->n_years;
	used->d += e->n_disciplines;
	used->l += e->n_leaves;
	used->c += e->n_cases;
	used->i += e->n_initiatives;
	used->a += e->n_awards;
	used->g += e->n_registrations;
}

/* The row of res packing person id's facts, or -1 (rows: sorted refs). */
static int facts_row(const struct row_ref *rows, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].id == id)
			return rows[mid].row;
		if (rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The people (sorted by id), their staff rows (noms) and packed facts. */
static bool people_of(struct round_people *p, const struct round_nominations *noms,
		      const struct row_ref *people, size_t n_people, const PGresult *res, int year)
{
	size_t rows = (size_t)PQntuples(res);
	struct row_ref *packed = malloc((rows ? rows : 1) * sizeof *packed);
	if (!packed)
		return false;
	for (size_t r = 0; r < rows; r++)
		packed[r] = (struct row_ref){ db_get_int(res, (int)r, 0), (int)r };
	qsort(packed, rows, sizeof *packed, row_ref_cmp);
	/* the pools: every fact packed (those out of the year's window are
	 * skipped below, so this bounds what is used), and a leave each on
	 * the staff rows */
	struct rp_counts n = { .p = n_people, .l = n_people }, used = { 0 };
	for (size_t r = 0; r < rows; r++)
		count_text(PQgetvalue(res, (int)r, 1), &n);
	bool ok = pools_new(p, &n);
	for (size_t i = 0; ok && i < n_people; i++) {
		struct elig_person *e = &p->people[p->n];
		int row = facts_row(packed, rows, people[i].id);
		const char *text = row >= 0 ? PQgetvalue(res, row, 1) : "";
		place_arrays(p, e, &used);
		p->ids[p->n++] = people[i].id;
		read_person(e, noms->items[people[i].row].person, year);
		struct fact_line l;
		while (next_line(&text, &l))
			if (fact_in_window(&l, year))
				read_fact(e, &l);
		took(&used, e);
	}
	free(packed);
	return ok;
}

enum db_status store_round_people(struct db *db, int64_t org_id,
				  const struct round_nominations *noms, int year,
				  struct round_people *out)
{
	memset(out, 0, sizeof *out);
	size_t n_people = 0;
	struct row_ref *people = people_refs(noms, &n_people);
	char *ids = people ? ids_array(people, n_people) : NULL;
	if (!ids) {
		free(people);
		return DB_ERROR;
	}
	enum db_status st;
	PGresult *res = DB_EXEC(db, round_people, &st, db_arg_id(org_id), db_arg_text(ids));
	free(ids);
	if (!res) {
		free(people);
		return st;
	}
	bool ok = PQnfields(res) == 2 && people_of(out, noms, people, n_people, res, year);
	PQclear(res);
	free(people);
	if (!ok) {
		round_people_free(out);
		return DB_ERROR;
	}
	return DB_OK;
}

void round_people_free(struct round_people *p)
{
	free(p->ids);
	free(p->people);
	free(p->years);
	free(p->disciplines);
	free(p->leaves);
	free(p->cases);
	free(p->initiatives);
	free(p->awards);
	free(p->registrations);
	memset(p, 0, sizeof *p);
}

const struct elig_person *round_person(const struct round_people *p, int64_t staff_id)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->ids[mid] == staff_id)
			return &p->people[mid];
		if (p->ids[mid] < staff_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
