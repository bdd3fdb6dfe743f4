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
 * scope (a household, which belongs to no unit: the Office's alone); a person in service in the round's year; in an ad hoc round, a
 * form of commendation for an achievement stated.  The emulation titles
 * are judged on a whole year's facts (its rating, the months worked),
 * which an award for an achievement as it happens does not wait for.
 * That is the service's choice, not a rule read in a text [unconfirmed].
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
	"  UNION ALL SELECT 4, '/subject_kind', 'nomination-household-scope', NULL FROM f"
	"   WHERE f->>'subject_kind' = 'household' AND $7::text <> 'organization'"
	"  UNION ALL SELECT 4, '/staff_id', 'nomination-not-in-service',"
	"   jsonb_build_object('year', r.year)::text FROM r, s"
	"   WHERE s.start_date > make_date(r.year, 12, 31)"
	"   OR (s.left_on IS NOT NULL AND s.left_on < make_date(r.year, 1, 1))"
	"  UNION ALL SELECT 5, '/award_code', 'nomination-adhoc-title', NULL FROM r, f"
	"   JOIN award_kinds k ON k.code = f->>'award_code'"
	"   WHERE r.kind = 'adhoc' AND k.category = 'title'"
	"  UNION ALL SELECT 6, '/achievement', 'nomination-adhoc-achievement', NULL FROM r, f"
	"   WHERE r.kind = 'adhoc' AND btrim(coalesce(f->>'achievement', '')) = ''"
	"  ) x WHERE EXISTS (SELECT 1 FROM r) ORDER BY k LIMIT 1),"
	" ins AS (INSERT INTO nominations (organization_id, round_id, award_code, subject_kind,"
	"  staff_id, unit_id, household_id, achievement, nominated_by)"
	"  SELECT $1::bigint, r.id, (award_kind_for(f->>'award_code', f->>'subject_kind')).code,"
	"  f->>'subject_kind', (f->>'staff_id')::bigint, (f->>'unit_id')::bigint,"
	"  (f->>'household_id')::bigint,"
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

/*
 * $5 round, $6 scope, $7 scope unit, $8 today.  Registrations feed
 * nominations: every title or form a registration of the round's year
 * names (sent to the Office and not returned: the registered rule's
 * record, staff_facts.sql) becomes a nomination, with the titles the
 * rule set in force on the round's dossier date says it requires
 * (whoever registers for CSTĐCS is proposed for the LĐTT it needs).  A
 * person must be in service in the year and, for a unit head, in their
 * subtree, as for one nomination; a title that does not fit its subject
 * is left out.  A subject already nominated for the title in the round
 * — live or withdrawn: a withdrawal is a decision the import must not
 * undo — is skipped.  Refusals as for one nomination, and an ad hoc
 * round has no registrations to draw from.  The counts are read from
 * aud, one audit entry per nomination created: reading it is what runs it.
 */
DB_STATEMENT(nominations_from_registrations,
	"WITH r AS (SELECT * FROM review_rounds WHERE organization_id = $1::bigint"
	"  AND id = $5::bigint FOR SHARE),"
	" refusal AS (SELECT ptr, code, args FROM ("
	"  SELECT 0 AS k, '' AS ptr, 'round-submitted' AS code, NULL::text AS args"
	"   FROM r WHERE r.status <> 'open'"
	"  UNION ALL SELECT 1, '', 'round-deadline-passed',"
	"   jsonb_build_object('deadline', r.deadline)::text FROM r"
	"   WHERE $8::date > r.deadline AND $6::text <> 'organization'"
	"  UNION ALL SELECT 2, '', 'round-adhoc-registrations', NULL FROM r WHERE r.kind = 'adhoc'"
	"  ) x ORDER BY k LIMIT 1),"
	" g AS (SELECT g.* FROM r, registrations g JOIN plans p ON p.id = g.plan_id"
	"  WHERE g.organization_id = $1::bigint AND p.organization_id = $1::bigint"
	"  AND p.year = r.year AND g.status IN ('submitted', 'accepted')),"
	" req AS (SELECT e->>'title' AS title, e->'params'->>'title' AS needs"
	"  FROM r, jsonb_array_elements(rule_set_rules(rule_set_for($1::bigint, r.dossier_date))) e"
	"  WHERE e->>'kind' = 'requires_title'),"
	" named AS (SELECT re.title_code AS code, 'staff' AS subject_kind, s.id AS staff_id,"
	"   NULL::bigint AS unit_id FROM r, g"
	"   JOIN registration_entries re ON re.registration_id = g.id"
	"   JOIN staff s ON s.id = re.staff_id"
	"   WHERE ($6::text = 'organization' OR unit_in_subtree($1::bigint, s.unit_id, $7::bigint))"
	"   AND s.start_date <= make_date(r.year, 12, 31)"
	"   AND (s.left_on IS NULL OR s.left_on >= make_date(r.year, 1, 1))"
	"  UNION SELECT t.code, 'unit', NULL, g.unit_id FROM g JOIN units u ON u.id = g.unit_id,"
	"   unnest(g.collective_titles) t (code)"
	"   WHERE $6::text = 'organization' OR $7::bigint = ANY (u.path)),"
	" wanted AS (SELECT code, subject_kind, staff_id, unit_id FROM named"
	"  UNION SELECT req.needs, n.subject_kind, n.staff_id, n.unit_id FROM named n"
	"   JOIN req ON req.title = n.code),"
	" fit AS (SELECT w.* FROM wanted w JOIN award_kinds k ON k.code = w.code"
	"  WHERE k.level IN ('both', CASE w.subject_kind WHEN 'staff' THEN 'individual'"
	"   ELSE 'collective' END)),"
	" ins AS (INSERT INTO nominations (organization_id, round_id, award_code, subject_kind,"
	"  staff_id, unit_id, nominated_by)"
	"  SELECT $1::bigint, r.id, w.code, w.subject_kind, w.staff_id, w.unit_id, $2 || ':' || $3"
	"  FROM fit w, r WHERE NOT EXISTS (SELECT 1 FROM refusal)"
	"  AND NOT EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = r.id"
	"   AND n.award_code = w.code AND n.staff_id IS NOT DISTINCT FROM w.staff_id"
	"   AND n.unit_id IS NOT DISTINCT FROM w.unit_id)"
	"  ORDER BY w.subject_kind, w.code, w.staff_id, w.unit_id"
	"  ON CONFLICT DO NOTHING RETURNING *),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'nomination.create', 'nomination',"
	"  ins.id::text, NULL, nomination_json(ins), $4) FROM ins),"
	" answer AS (SELECT jsonb_build_object('round_id', r.id,"
	"  'created', (SELECT count(*) FROM aud), 'skipped', (SELECT count(*) FROM fit)"
	"  - (SELECT count(*) FROM aud),"
	"  'items', coalesce((SELECT jsonb_agg(nomination_json(ins) ORDER BY ins.id) FROM ins),"
	"  '[]'::jsonb)) AS j FROM r WHERE NOT EXISTS (SELECT 1 FROM refusal))"
	" SELECT (SELECT j::text FROM answer), (SELECT r.id FROM r),"
	" (SELECT r.version FROM r), (SELECT ptr FROM refusal), (SELECT code FROM refusal),"
	" (SELECT args FROM refusal)",
	8);

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
	" coalesce(s.full_name, u.name, h.name), n.achievement, n.override_reason,"
	" n.override_by,"
	" to_char(n.override_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'),"
	" CASE n.subject_kind WHEN 'unit'"
	"  THEN collective_facts($1::bigint, n.unit_id, r.year, now())::text END,"
	" s.start_date::text, s.leave_from::text, s.leave_until::text, s.leave_kind,"
	" n.household_id"
	" FROM nominations n JOIN review_rounds r ON r.id = n.round_id"
	" LEFT JOIN staff s ON s.id = n.staff_id LEFT JOIN units u ON u.id = n.unit_id"
	" LEFT JOIN households h ON h.id = n.household_id"
	" WHERE n.organization_id = $1::bigint AND n.round_id = $5::bigint"
	" AND n.withdrawn_at IS NULL AND ($2::text = 'organization'"
	" OR nomination_visible(n, $2::text, $3::bigint, $4::bigint))",
	5);

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

void store_nominations_from_registrations(const struct writer *w, const struct row_scope *s,
					  int64_t round_id, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, nominations_from_registrations, &st, WRITER_ARGS(w),
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
	if (!out->items || PQnfields(res) != 16) {
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
		m->subject_kind = PQgetvalue(res, r, 2);
		m->unit = strcmp(m->subject_kind, "unit") == 0;
		m->household = strcmp(m->subject_kind, "household") == 0;
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
		m->household_id = PQgetisnull(res, r, 15) ? 0 : db_get_int(res, r, 15);
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
