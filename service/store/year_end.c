/*
 * year_end.c — SQL for the year's facts, the awards ledger and the rule
 * sets (see year_end.h).
 *
 * Writes are single statements: the row, then its audit entry in a CTE,
 * answered as (document, version, id) for write_from_row; no row is "not
 * found" (the person or case the path names is not in the writer's
 * organisation).  Text is normalised to NFC and trimmed on the way in, as
 * in records.c.  Arguments common to the writes: $1..$4 the writer's actor
 * (WRITER_ARGS), $5 the validated body (jsonb).
 */
#include "store/year_end.h"

#include "domain/access.h"

/* The audit entry of a written row: ins(id, j) → action on entity. */
#define AUDIT_OF(action, entity, id)                                                   \
	" aud AS (SELECT audit_append($1::bigint, $2, $3, '" action "', '" entity "'," \
	" " id "::text, NULL, ins.j::jsonb, $4) FROM ins)"

/* A person of the writer's organisation, named by $6. */
#define STAFF_OF_WRITER                                                                   \
	" EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = $1::bigint AND s.id = " \
	"$6::bigint)"

/* The caller's scope over a person row s: $2 scope, $3 unit, $4 staff. */
#define STAFF_IN_SCOPE "staff_visible(s, $1::bigint, $2::text, $3::bigint, $4::bigint)"

/* clang-format off */

/* ---- facts ------------------------------------------------------------------ */

/* $1 org, $2..$4 scope, $5 staff, $6 year. */
DB_STATEMENT(person_facts,
	"SELECT person_facts($1::bigint, s.id, $6::integer, now())::text FROM staff s"
	" WHERE s.organization_id = $1::bigint AND s.id = $5::bigint AND " STAFF_IN_SCOPE,
	6);

/* $6 staff, $7 year. */
DB_STATEMENT(rating_put,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" old AS (SELECT jsonb_build_object('staff_id', e.staff_id, 'year', e.year,"
	"  'rating', e.rating, 'disciplined', e.disciplined, 'rated_on', e.rated_on,"
	"  'source_document', e.source_document, 'version', e.version) AS j"
	"  FROM staff_evaluations e WHERE e.organization_id = $1::bigint"
	"  AND e.staff_id = $6::bigint AND e.year = $7::integer),"
	" ins AS (INSERT INTO staff_evaluations (organization_id, staff_id, year, rating,"
	"  disciplined, rated_on, source_document)"
	"  SELECT $1::bigint, $6::bigint, $7::integer, f->>'rating', (f->>'disciplined')::boolean,"
	"  (f->>'rated_on')::date, " TEXT_OF("source_document") " FROM f WHERE" STAFF_OF_WRITER
	"  ON CONFLICT (organization_id, staff_id, year) DO UPDATE SET rating = excluded.rating,"
	"  disciplined = excluded.disciplined, rated_on = excluded.rated_on,"
	"  source_document = excluded.source_document, updated_at = now(),"
	"  version = staff_evaluations.version + 1"
	"  RETURNING staff_id AS id, version, jsonb_build_object('staff_id', staff_id,"
	"  'year', year, 'rating', rating, 'disciplined', disciplined, 'rated_on', rated_on,"
	"  'source_document', source_document, 'version', version) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff_rating.put', 'staff',"
	"  ins.id::text, (SELECT old.j FROM old), ins.j, $4) FROM ins)"
	" SELECT ins.j::text, ins.version, ins.id FROM ins, aud",
	7);

DB_STATEMENT(discipline_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO staff_disciplines (organization_id, staff_id, form,"
	"  decision_number, decided_on, in_force_from, in_force_until, reason)"
	"  SELECT $1::bigint, $6::bigint, f->>'form', " TEXT_OF("decision_number") ","
	"  (f->>'decided_on')::date, (f->>'in_force_from')::date, (f->>'in_force_until')::date,"
	"  " TEXT_OF("reason") " FROM f WHERE" STAFF_OF_WRITER
	"  RETURNING id, jsonb_build_object('id', id, 'staff_id', staff_id, 'form', form,"
	"  'decision_number', decision_number, 'decided_on', decided_on,"
	"  'in_force_from', in_force_from, 'in_force_until', in_force_until, 'reason', reason)"
	"  AS j),"
	AUDIT_OF("staff_discipline.create", "staff_discipline", "ins.id")
	" SELECT ins.j::text, 1, ins.id FROM ins, aud",
	6);

DB_STATEMENT(leave_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO staff_leaves (organization_id, staff_id, kind, starts_on, ends_on,"
	"  note)"
	"  SELECT $1::bigint, $6::bigint, f->>'kind', (f->>'from')::date, (f->>'until')::date,"
	"  " TEXT_OF("note") " FROM f WHERE" STAFF_OF_WRITER
	"  RETURNING id, jsonb_build_object('id', id, 'staff_id', staff_id, 'kind', kind,"
	"  'from', starts_on, 'until', ends_on, 'note', note) AS j),"
	AUDIT_OF("staff_leave.create", "staff_leave", "ins.id")
	" SELECT ins.j::text, 1, ins.id FROM ins, aud",
	6);

#define CASE_JSON(c) \
	"jsonb_build_object('id', " c ".id, 'staff_id', " c ".staff_id, 'kind', " c ".kind," \
	" 'opened_on', " c ".opened_on, 'closed_on', " c ".closed_on, 'reference', " c ".reference," \
	" 'note', " c ".note, 'version', " c ".version)"

DB_STATEMENT(case_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO staff_cases (organization_id, staff_id, kind, opened_on, closed_on,"
	"  reference, note)"
	"  SELECT $1::bigint, $6::bigint, f->>'kind', (f->>'opened_on')::date,"
	"  (f->>'closed_on')::date, " TEXT_OF("reference") ", " TEXT_OF("note")
	"  FROM f WHERE" STAFF_OF_WRITER
	"  RETURNING id, version, " CASE_JSON("staff_cases") " AS j),"
	AUDIT_OF("staff_case.create", "staff_case", "ins.id")
	" SELECT ins.j::text, ins.version, ins.id FROM ins, aud",
	6);

/* $5 closed_on, $6 case.  A case of the writer's organisation, closed
 * once (409 case-closed naming the day); a closing day before the opening
 * breaks staff_cases_span.  `old` reads the statement's snapshot, the row
 * as it was: no FOR UPDATE, which would skip the row the UPDATE below
 * changes in the same statement. */
DB_STATEMENT(case_close,
	"WITH old AS (SELECT c.closed_on, c.case_id, " CASE_JSON("c") " AS j FROM staff_cases c"
	"  WHERE c.organization_id = $1::bigint AND c.id = $6::bigint),"
	" refusal AS (SELECT * FROM (SELECT '' AS ptr, 'case-closed' AS code,"
	"  jsonb_build_object('closed_on', old.closed_on)::text AS args FROM old"
	"  WHERE old.closed_on IS NOT NULL"
	"  UNION ALL SELECT '', 'case-kept-by-its-case',"
	"  jsonb_build_object('case_id', old.case_id)::text FROM old"
	"  WHERE old.closed_on IS NULL AND old.case_id IS NOT NULL) x LIMIT 1),"
	" ins AS (UPDATE staff_cases c SET closed_on = $5::date, updated_at = now(),"
	"  version = c.version + 1"
	"  WHERE c.organization_id = $1::bigint AND c.id = $6::bigint AND c.closed_on IS NULL"
	"  AND c.case_id IS NULL"
	"  RETURNING c.id, c.version, " CASE_JSON("c") " AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff_case.close', 'staff_case',"
	"  ins.id::text, old.j, ins.j, $4) FROM ins, old)"
	" SELECT (SELECT ins.j::text FROM ins, aud), (SELECT ins.id FROM ins),"
	" (SELECT ins.version FROM ins), (SELECT ptr FROM refusal), (SELECT code FROM refusal),"
	" (SELECT args FROM refusal)",
	6);

#define INITIATIVE_JSON(i) \
	"jsonb_build_object('id', " i ".id, 'kind', " i ".kind, 'title', " i ".title," \
	" 'level', " i ".level, 'recognised_by', " i ".recognised_by," \
	" 'decision_number', " i ".decision_number, 'recognised_on', " i ".recognised_on," \
	" 'province_wide', " i ".province_wide, 'summary', " i ".summary," \
	" 'staff_ids', (SELECT coalesce(jsonb_agg(ic.staff_id ORDER BY ic.staff_id), '[]')" \
	"  FROM initiative_credits ic WHERE ic.initiative_id = " i ".id)," \
	" 'used', EXISTS (SELECT 1 FROM initiative_uses u WHERE u.initiative_id = " i ".id))"

/* The people credited must be of the writer's organisation (the foreign
 * key initiative_credits_organization_id_staff_id_fkey says so). */
DB_STATEMENT(initiative_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ini AS (INSERT INTO initiatives (organization_id, kind, title, level, recognised_by,"
	"  decision_number, recognised_on, province_wide, summary)"
	"  SELECT $1::bigint, f->>'kind', " TEXT_OF("title") ", f->>'level',"
	"  " TEXT_OF("recognised_by") ", " TEXT_OF("decision_number") ","
	"  (f->>'recognised_on')::date, coalesce((f->>'province_wide')::boolean, false),"
	"  " TEXT_OF("summary") " FROM f RETURNING *),"
	" cr AS (INSERT INTO initiative_credits (organization_id, initiative_id, staff_id)"
	"  SELECT $1::bigint, ini.id, x.staff_id FROM ini, f,"
	"  LATERAL (SELECT DISTINCT (e #>> '{}')::bigint AS staff_id"
	"   FROM jsonb_array_elements(f->'staff_ids') e) x RETURNING staff_id),"
	" ins AS (SELECT ini.id, jsonb_build_object('id', ini.id, 'kind', ini.kind,"
	"  'title', ini.title, 'level', ini.level, 'recognised_by', ini.recognised_by,"
	"  'decision_number', ini.decision_number, 'recognised_on', ini.recognised_on,"
	"  'province_wide', ini.province_wide, 'summary', ini.summary,"
	"  'staff_ids', (SELECT jsonb_agg(cr.staff_id ORDER BY cr.staff_id) FROM cr),"
	"  'used', false) AS j FROM ini),"
	AUDIT_OF("initiative.create", "initiative", "ins.id")
	" SELECT ins.j::text, 1, ins.id FROM ins, aud",
	5);

/* $1 org, $2 year (0: all). */
DB_STATEMENT(initiatives_list,
	"SELECT jsonb_build_object('items', coalesce(jsonb_agg(" INITIATIVE_JSON("i")
	" ORDER BY i.recognised_on DESC, i.id DESC), '[]'))::text FROM initiatives i"
	" WHERE i.organization_id = $1::bigint"
	" AND ($2::integer = 0 OR extract(year FROM i.recognised_on) = $2::integer)",
	2);

/* ---- the awards ledger ------------------------------------------------------- */

/*
 * An individual title goes to staff_titles (plan progress counts it),
 * anything else to awards (0011 says why).  The initiatives cited are
 * marked used in the same statement; one already used breaks
 * initiative_uses_pkey, one not credited to the person breaks
 * initiative_uses_credited, an award that does not fit the subject
 * awards_subject_level (award_kind_for, initiative_citable).
 */
DB_STATEMENT(award_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" k AS MATERIALIZED (SELECT (award_kind_for(f->>'award_code', f->>'subject_kind')).*"
	"  FROM f),"
	" ti AS (INSERT INTO staff_titles (organization_id, staff_id, year, title_code,"
	"  decision_number, decision_date, adhoc, decided_by, achievement, method)"
	"  SELECT $1::bigint, (f->>'staff_id')::bigint, (f->>'year')::integer, k.code,"
	"  " TEXT_OF("decision_number") ", (f->>'decision_date')::date,"
	"  coalesce((f->>'adhoc')::boolean, false), " TEXT_OF("decided_by") ","
	"  " TEXT_OF("achievement") ", f->>'method' FROM f, k"
	"  WHERE k.category = 'title' AND k.level = 'individual' RETURNING *),"
	" aw AS (INSERT INTO awards (organization_id, award_code, subject_kind, staff_id, unit_id,"
	"  year, adhoc, decision_number, decision_date, decided_by, achievement, method)"
	"  SELECT $1::bigint, k.code, f->>'subject_kind', (f->>'staff_id')::bigint,"
	"  (f->>'unit_id')::bigint, (f->>'year')::integer, coalesce((f->>'adhoc')::boolean, false),"
	"  " TEXT_OF("decision_number") ", (f->>'decision_date')::date, " TEXT_OF("decided_by") ","
	"  " TEXT_OF("achievement") ", f->>'method' FROM f, k"
	"  WHERE NOT (k.category = 'title' AND k.level = 'individual') RETURNING *),"
	" used AS (INSERT INTO initiative_uses (organization_id, initiative_id, staff_title_id,"
	"  award_id)"
	"  SELECT $1::bigint, initiative_citable($1::bigint, x.id, (f->>'staff_id')::bigint),"
	"  (SELECT ti.id FROM ti), (SELECT aw.id FROM aw)"
	"  FROM f, LATERAL (SELECT DISTINCT (e #>> '{}')::bigint AS id"
	"   FROM jsonb_array_elements(coalesce(f->'initiative_ids', '[]')) e) x"
	"  RETURNING initiative_id),"
	" ins AS (SELECT 'title-' || ti.id AS id, award_ledger_json('title', ti.id, ti.title_code,"
	"  ti.year, ti.adhoc, ti.decision_number, ti.decision_date, ti.decided_by, ti.achievement)"
	"  || jsonb_build_object('subject_kind', 'staff', 'staff_id', ti.staff_id,"
	"  'unit_id', NULL, 'method', award_method(ti.method, ti.adhoc)) AS j, ti.id AS n FROM ti"
	"  UNION ALL SELECT 'award-' || aw.id, award_ledger_json('award', aw.id, aw.award_code,"
	"  aw.year, aw.adhoc, aw.decision_number, aw.decision_date, aw.decided_by,"
	"  aw.achievement) || jsonb_build_object('subject_kind', aw.subject_kind,"
	"  'staff_id', aw.staff_id, 'unit_id', aw.unit_id,"
	"  'method', award_method(aw.method, aw.adhoc)) AS j, aw.id FROM aw),"
	" full_j AS (SELECT ins.id, ins.n, ins.j || jsonb_build_object('decision_level',"
	"  k.decided_at, 'category', k.category, 'initiative_ids',"
	"  (SELECT coalesce(jsonb_agg(u.initiative_id ORDER BY u.initiative_id), '[]')"
	"   FROM used u)) AS j FROM ins, k),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'award.create', 'award', full_j.id,"
	"  NULL, full_j.j, $4) FROM full_j)"
	" SELECT full_j.j::text, 1, full_j.n FROM full_j, aud",
	5);

/*
 * $1 org, $2..$4 scope, $5 year (0: all), $6 staff (0), $7 unit (0).  A
 * unit head sees the awards of the staff and units of their subtree;
 * "self" only their own.
 */
DB_STATEMENT(awards_list,
	"WITH led AS ("
	"  SELECT t.year, t.decision_date, 'title' AS ledger, t.id, t.title_code AS code,"
	"  'staff' AS subject_kind, t.staff_id, s.unit_id AS staff_unit, NULL::bigint AS unit_id,"
	"  t.adhoc, t.decision_number, t.decided_by, t.achievement, t.revoked_on,"
	"  t.revocation_reason, NULL::bigint AS household_id, t.method FROM staff_titles t"
	"  JOIN staff s ON s.organization_id = t.organization_id AND s.id = t.staff_id"
	"  WHERE t.organization_id = $1::bigint AND " STAFF_IN_SCOPE
	"  UNION ALL"
	"  SELECT a.year, a.decision_date, 'award', a.id, a.award_code, a.subject_kind, a.staff_id,"
	"  s.unit_id, a.unit_id, a.adhoc, a.decision_number, a.decided_by, a.achievement,"
	"  a.revoked_on, a.revocation_reason, a.household_id, a.method"
	"  FROM awards a LEFT JOIN staff s ON s.organization_id = a.organization_id"
	"  AND s.id = a.staff_id"
	"  WHERE a.organization_id = $1::bigint AND CASE"
	"   WHEN a.staff_id IS NOT NULL THEN " STAFF_IN_SCOPE
	"   WHEN $2::text = 'organization' THEN true"
	"   WHEN $2::text = 'unit' THEN a.unit_id IS NOT NULL"
	"    AND unit_in_subtree($1::bigint, a.unit_id, $3::bigint)"
	"   ELSE false END)"
	" SELECT jsonb_build_object('items', coalesce(jsonb_agg(award_ledger_json(led.ledger,"
	"  led.id, led.code, led.year, led.adhoc, led.decision_number, led.decision_date,"
	"  led.decided_by, led.achievement) || jsonb_build_object('subject_kind',"
	"  led.subject_kind, 'staff_id', led.staff_id, 'unit_id', led.unit_id,"
	"  'household_id', led.household_id, 'decision_level', k.decided_at, 'category', k.category, 'initiative_ids',"
	"  (SELECT coalesce(jsonb_agg(u.initiative_id ORDER BY u.initiative_id), '[]')"
	"   FROM initiative_uses u WHERE CASE led.ledger WHEN 'title'"
	"   THEN u.staff_title_id = led.id ELSE u.award_id = led.id END),"
	"  'revoked_on', led.revoked_on, 'revocation_reason', led.revocation_reason,"
	"  'method', award_method(led.method, led.adhoc))"
	"  ORDER BY led.year DESC, led.decision_date DESC, led.ledger, led.id DESC), '[]'))::text"
	" FROM led JOIN award_kinds k ON k.code = led.code"
	" WHERE ($5::integer = 0 OR led.year = $5::integer)"
	" AND ($6::bigint = 0 OR led.staff_id = $6::bigint)"
	" AND ($7::bigint = 0 OR led.unit_id = $7::bigint OR led.staff_unit = $7::bigint)",
	7);

/* ---- rule sets --------------------------------------------------------------- */

/* $1 org, $2 the day. */
DB_STATEMENT(rule_sets_list,
	"SELECT jsonb_build_object('on', $2::date, 'in_force', rule_set_for($1::bigint, $2::date),"
	" 'items', coalesce(jsonb_agg(rule_set_json(s, false)"
	" ORDER BY s.valid_from, s.code), '[]'))::text FROM rule_sets s"
	" WHERE s.organization_id IS NULL OR s.organization_id = $1::bigint",
	2);

DB_STATEMENT(rule_set_get,
	"SELECT rule_set_json(s, true)::text FROM rule_sets s WHERE s.code = $2::text"
	" AND (s.organization_id IS NULL OR s.organization_id = $1::bigint)",
	2);

/* $1 org, $2..$4 scope, $5 staff, $6 year, $7 the dossier's day. */
DB_STATEMENT(person_eligibility_inputs,
	"SELECT jsonb_build_object('rule_set', (SELECT rule_set_json(r, true) FROM rule_sets r"
	"  WHERE r.code = rule_set_for($1::bigint, $7::date)),"
	" 'titles', (SELECT jsonb_agg(jsonb_build_object('code', k.code, 'level', k.level,"
	"  'category', k.category, 'name_vi', k.name_vi, 'name_en', k.name_en)"
	"  ORDER BY k.category DESC, k.code) FROM award_kinds k),"
	" 'facts', person_facts($1::bigint, s.id, $6::integer, now()))::text FROM staff s"
	" WHERE s.organization_id = $1::bigint AND s.id = $5::bigint AND " STAFF_IN_SCOPE,
	7);

/* $1 org, $2..$4 scope, $5 unit, $6 year, $7 the dossier's day.  A unit
 * head sees the units of their subtree; staff see none, so their staff
 * record ($4) is not read (it is named only so that every statement of
 * the file takes the same scope arguments). */
DB_STATEMENT(unit_eligibility_inputs,
	"SELECT jsonb_build_object('rule_set', (SELECT rule_set_json(r, true) FROM rule_sets r"
	"  WHERE r.code = rule_set_for($1::bigint, $7::date)),"
	" 'titles', (SELECT jsonb_agg(jsonb_build_object('code', k.code, 'level', k.level,"
	"  'category', k.category, 'name_vi', k.name_vi, 'name_en', k.name_en)"
	"  ORDER BY k.category DESC, k.code) FROM award_kinds k),"
	" 'facts', collective_facts($1::bigint, u.id, $6::integer, now()))::text FROM units u"
	" WHERE u.organization_id = $1::bigint AND u.id = $5::bigint AND CASE $2::text"
	"  WHEN 'organization' THEN true"
	"  WHEN 'unit' THEN $3::bigint = ANY (u.path)"
	"  ELSE false END AND $4::bigint IS NOT NULL",
	7);

/* $1 org, $2 the ids (a JSON array): those of the organisation's staff. */
DB_STATEMENT(staff_ids_known,
	"SELECT coalesce(jsonb_agg(s.id), '[]')::text FROM staff s"
	" WHERE s.organization_id = $1::bigint AND s.id IN (SELECT (e #>> '{}')::bigint"
	"  FROM jsonb_array_elements($2::jsonb) e)",
	2);

/* $5 the rows: every rating written or replaced, one audit entry. */
DB_STATEMENT(ratings_import,
	"WITH rows AS (SELECT f FROM jsonb_array_elements($5::jsonb) AS f),"
	" ins AS (INSERT INTO staff_evaluations (organization_id, staff_id, year, rating,"
	"  disciplined, rated_on, source_document)"
	"  SELECT $1::bigint, (f->>'staff_id')::bigint, (f->>'year')::integer, f->>'rating',"
	"  (f->>'disciplined')::boolean, (f->>'rated_on')::date,"
	"  normalize(btrim(f->>'source_document'), NFC) FROM rows"
	"  ON CONFLICT (organization_id, staff_id, year) DO UPDATE SET rating = excluded.rating,"
	"  disciplined = excluded.disciplined, rated_on = excluded.rated_on,"
	"  source_document = excluded.source_document, updated_at = now(),"
	"  version = staff_evaluations.version + 1"
	"  RETURNING staff_id, year),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff_rating.import', 'staff', NULL,"
	"  NULL, jsonb_build_object('count', (SELECT count(*) FROM ins), 'ratings',"
	"   (SELECT jsonb_agg(jsonb_build_array(staff_id, year) ORDER BY staff_id, year)"
	"    FROM ins)), $4))"
	" SELECT json_build_object('imported', (SELECT count(*) FROM ins))::text,"
	"  NULL::integer, NULL::bigint FROM aud",
	5);

/* clang-format on */

enum db_status store_person_facts(struct db *db, const struct row_scope *s, int64_t staff_id,
				  int year, char **json)
{
	return DB_FETCH_TEXT(db, person_facts, json, SCOPE_ARGS(s), db_arg_id(staff_id),
			     db_arg_int(year));
}

void store_rating_put(const struct writer *w, int64_t staff_id, int year, const char *fields,
		      struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, rating_put, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_id(staff_id), db_arg_int(year));
	write_from_row(w->db, res, st, r);
}

void store_discipline_create(const struct writer *w, int64_t staff_id, const char *fields,
			     struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, discipline_create, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_id(staff_id));
	write_from_row(w->db, res, st, r);
}

void store_leave_create(const struct writer *w, int64_t staff_id, const char *fields,
			struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, leave_create, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_id(staff_id));
	write_from_row(w->db, res, st, r);
}

void store_case_create(const struct writer *w, int64_t staff_id, const char *fields,
		       struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, case_create, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_id(staff_id));
	write_from_row(w->db, res, st, r);
}

void store_case_close(const struct writer *w, int64_t case_id, struct civil_date closed_on,
		      struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, case_close, &st, WRITER_ARGS(w), db_arg_date(closed_on),
				db_arg_id(case_id));
	write_checked_row(w->db, res, st, r);
}

void store_initiative_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, initiative_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_from_row(w->db, res, st, r);
}

enum db_status store_initiatives_list(struct db *db, int64_t org_id, int year, char **json)
{
	return DB_FETCH_TEXT(db, initiatives_list, json, db_arg_id(org_id), db_arg_int(year));
}

void store_award_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, award_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_from_row(w->db, res, st, r);
}

enum db_status store_awards_list(struct db *db, const struct row_scope *s,
				 const struct award_filter *f, char **json)
{
	return DB_FETCH_TEXT(db, awards_list, json, SCOPE_ARGS(s), db_arg_int(f->year),
			     db_arg_id(f->staff_id), db_arg_id(f->unit_id));
}

enum db_status store_rule_sets_list(struct db *db, int64_t org_id, struct civil_date on,
				    char **json)
{
	return DB_FETCH_TEXT(db, rule_sets_list, json, db_arg_id(org_id), db_arg_date(on));
}

enum db_status store_rule_set_get(struct db *db, int64_t org_id, const char *code, char **json)
{
	return DB_FETCH_TEXT(db, rule_set_get, json, db_arg_id(org_id), db_arg_text(code));
}

enum db_status store_person_eligibility_inputs(struct db *db, const struct row_scope *s,
					       int64_t staff_id, int year, struct civil_date on,
					       char **json)
{
	return DB_FETCH_TEXT(db, person_eligibility_inputs, json, SCOPE_ARGS(s),
			     db_arg_id(staff_id), db_arg_int(year), db_arg_date(on));
}

enum db_status store_unit_eligibility_inputs(struct db *db, const struct row_scope *s,
					     int64_t unit_id, int year, struct civil_date on,
					     char **json)
{
	return DB_FETCH_TEXT(db, unit_eligibility_inputs, json, SCOPE_ARGS(s), db_arg_id(unit_id),
			     db_arg_int(year), db_arg_date(on));
}

enum db_status store_staff_ids_known(struct db *db, int64_t org_id, const char *ids, char **json)
{
	return DB_FETCH_TEXT(db, staff_ids_known, json, db_arg_id(org_id), db_arg_text(ids));
}

void store_ratings_import(const struct writer *w, const char *rows, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, ratings_import, &st, WRITER_ARGS(w), db_arg_text(rows));
	write_from_row(w->db, res, st, r);
}
