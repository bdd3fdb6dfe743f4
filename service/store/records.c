/*
 * records.c — SQL for the catalogue, documents, movements, sessions and the
 * year's results (see records.h).
 *
 * Text is normalised to NFC and trimmed on the way in, as in directory.c.
 * Writes are single statements whose last CTE calls audit_append(), except
 * attendance, whose answer must show the rows just written: a statement
 * cannot read its own changes, so the upsert and the read share a
 * transaction instead (db_transaction, which runs it again when PostgreSQL
 * reports a deadlock).
 *
 * Every write statement but attendance's answers one row of the columns
 * (document, id, version, pointer, code, args), which write_checked_row
 * (store/write.h) turns into a struct write_result:
 * the document with its id and version, or the member its checks refused
 * with the code of a message (service/answers/answers.def, section
 * "records") and the message's arguments; all NULL when the object the
 * path names is not visible.  Rules only the database can check (a unit
 * outside the writer's subtree, a document of another organisation, a date
 * before the session) are such checks, so the answer names the member; the
 * foreign keys left to PostgreSQL are answered by their CONSTRAINT rows.
 *
 * Arguments common to the writes: $1..$4 the writer's actor (WRITER_ARGS),
 * $5 the validated body (jsonb).
 */
#include "store/records.h"

#include <string.h>

#define VI "COLLATE \"vi-VN-x-icu\""

/* The audit entry of a created row: ins(id, j) → action on entity. */
#define AUDIT_CREATE(action, entity)                                                   \
	" aud AS (SELECT audit_append($1::bigint, $2, $3, '" action "', '" entity "'," \
	" ins.id::text, NULL, ins.j::jsonb, $4) FROM ins)"

/*
 * A page of a list ordered by (date DESC, id DESC): `page` holds at most
 * limit + 1 rows (d, id, j); the extra row only tells that a next page
 * exists.  The cursor is the last shown row's "YYYY-MM-DD.id".
 */
#define DATED_PAGE(limit)                                                                 \
	", numbered AS (SELECT page.*, row_number() OVER (ORDER BY d DESC, id DESC) AS n" \
	"  FROM page)"                                                                    \
	" SELECT json_build_object('items', coalesce((SELECT json_agg(j ORDER BY n)"      \
	"  FROM numbered WHERE n <= " limit "), '[]'::json),"                             \
	" 'next_cursor', (SELECT to_char(d, 'YYYY-MM-DD') || '.' || id FROM numbered"     \
	"  WHERE n = " limit " AND EXISTS (SELECT 1 FROM numbered WHERE n > " limit ")))::text"

/*
 * The statements are laid out by hand, one SQL clause per line:
 * clang-format cannot lay out SQL made of string literals and macros (it
 * splits them into one character per line).
 */
/* clang-format off */

/* The answer of a write that has no checks of its own: ins(id, j) and the
 * version expression. */
#define WRITE_CREATED(version) \
	" SELECT ins.j::text, ins.id, " version ", NULL::text, NULL::text, NULL::text" \
	" FROM ins, aud"

/* The answer of a write whose checks are the CTE refusal(ptr, code, args),
 * which holds a row only when it refuses. */
#define WRITE_CHECKED \
	" SELECT (SELECT ins.j::text FROM ins, aud), (SELECT ins.id FROM ins), 0," \
	" (SELECT ptr FROM refusal), (SELECT code FROM refusal), (SELECT args FROM refusal)"

/* ---- catalogue and documents ------------------------------------------- */

DB_STATEMENT(titles_list,
	"SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', k.code,"
	" 'level', k.level, 'rank', k.rank, 'name_vi', k.name_vi, 'name_en', k.name_en)"
	" ORDER BY k.level, k.rank), '[]'::json))::text FROM title_kinds k",
	0);

DB_STATEMENT(title_labels,
	"SELECT coalesce(json_object_agg(k.code, json_build_object('vi', k.name_vi,"
	" 'en', k.name_en) ORDER BY k.level, k.rank), '{}'::json)::text FROM title_kinds k",
	0);

DB_STATEMENT(documents_list,
	"SELECT json_build_object('items', coalesce(json_agg(document_json(d)"
	" ORDER BY d.issued_on DESC NULLS LAST, d.code), '[]'::json))::text"
	" FROM documents d WHERE d.organization_id = $1::bigint",
	1);

DB_STATEMENT(document_get,
	"SELECT document_json(d)::text FROM documents d"
	" WHERE d.organization_id = $1::bigint AND d.id = $2::bigint",
	2);

DB_STATEMENT(document_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO documents (organization_id, code, title, issuer, issued_on)"
	"  SELECT $1::bigint, " TEXT_OF("code") ", " TEXT_OF("title") ","
	"  " TEXT_OF("issuer") ", (f->>'issued_on')::date FROM f"
	"  RETURNING id, document_json(documents) AS j),"
	AUDIT_CREATE("document.create", "document")
	WRITE_CREATED("0"),
	5);

/* ---- movements ------------------------------------------------------------ */

/* $1 org, $2 plan filter (0: any), $3/$4 the cursor, $5 limit. */
DB_STATEMENT(movements_list,
	"WITH page AS (SELECT m.starts_on AS d, m.id, movement_json(m) AS j FROM movements m"
	"  WHERE m.organization_id = $1::bigint AND ($2::bigint = 0 OR m.plan_id = $2::bigint)"
	"  AND (m.starts_on, m.id) < ($3::date, $4::bigint)"
	"  ORDER BY m.starts_on DESC, m.id DESC LIMIT $5::integer + 1)"
	DATED_PAGE("$5::integer"),
	5);

DB_STATEMENT(movement_get,
	"SELECT movement_json(m)::text, m.version FROM movements m"
	" WHERE m.organization_id = $1::bigint AND m.id = $2::bigint",
	2);

/* Its plan and unit are checked by the foreign keys, which include the
 * organisation (CONSTRAINT rows of answers.def). */
DB_STATEMENT(movement_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO movements (organization_id, plan_id, name, kind, starts_on,"
	"  ends_on, owner_unit_id, description, launch_level, scope)"
	"  SELECT $1::bigint, (f->>'plan_id')::bigint, " TEXT_OF("name") ", f->>'kind',"
	"  (f->>'starts_on')::date, (f->>'ends_on')::date, (f->>'owner_unit_id')::bigint,"
	"  " TEXT_OF("description") ", coalesce(f->>'launch_level', 'agency'),"
	"  coalesce(f->>'scope', 'agency') FROM f"
	"  RETURNING id, version, movement_json(movements) AS j),"
	AUDIT_CREATE("movement.create", "movement")
	WRITE_CREATED("ins.version"),
	5);

/* ---- sessions ------------------------------------------------------------- */

/*
 * The attendance a reader sees (session_json's p_units and p_staff) from $2
 * scope, $3 unit and $4 staff: everyone, the staff of the unit's subtree, or
 * oneself.  Any other scope sees nobody (deny by default), and so does a
 * "self" caller without a staff record (-1 matches no one, 0 would match all).
 */
#define ATTENDANCE_UNITS \
	"CASE WHEN $2::text IN ('organization', 'self') THEN NULL ELSE ARRAY(SELECT u.id" \
	" FROM units u WHERE u.organization_id = $1::bigint AND $2::text = 'unit'" \
	" AND $3::bigint = ANY (u.path)) END"
#define ATTENDANCE_STAFF \
	"CASE WHEN $2::text IN ('organization', 'unit') THEN 0" \
	" ELSE coalesce(nullif($4::bigint, 0), -1) END"

DB_STATEMENT(session_get,
	"SELECT session_json(x, " ATTENDANCE_UNITS ", " ATTENDANCE_STAFF ")::text"
	" FROM sessions x WHERE x.organization_id = $1::bigint AND x.id = $5::bigint",
	5);

/* $1..$4 as session_get, $5 plan filter, $6/$7 the cursor, $8 limit. */
DB_STATEMENT(sessions_list,
	"WITH page AS (SELECT x.held_on AS d, x.id,"
	"  session_json(x, " ATTENDANCE_UNITS ", " ATTENDANCE_STAFF ") AS j FROM sessions x"
	"  WHERE x.organization_id = $1::bigint AND ($5::bigint = 0 OR x.plan_id = $5::bigint)"
	"  AND (x.held_on, x.id) < ($6::date, $7::bigint)"
	"  ORDER BY x.held_on DESC, x.id DESC LIMIT $8::integer + 1)"
	DATED_PAGE("$8::integer"),
	8);

/* A unit the writer may name: in the organisation, and for a unit head
 * (scope 'unit') inside the subtree of their unit. */
#define UNIT_WRITABLE(id_expr, scope, unit) \
	"EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint" \
	" AND u.id = " id_expr \
	" AND (" scope "::text = 'organization' OR " unit "::bigint = ANY (u.path)))"

/*
 * References are checked here rather than left to the foreign keys, so the
 * answer can name the member (document_ids has no foreign key at all), and
 * a unit outside a unit head's subtree reads like one that does not exist.
 * The first check that fails, in the order of the members, refuses.
 * $6 scope, $7 scope unit.
 */
DB_STATEMENT(session_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" docs AS (SELECT d.id::bigint AS id, d.ord FROM f,"
	/* JSON null means absent, as for every optional member */
	"  jsonb_array_elements_text(coalesce(nullif(f->'document_ids', 'null'), '[]'))"
	"  WITH ORDINALITY AS d(id, ord)),"
	" refusal AS (SELECT ptr, code, NULL::text AS args FROM ("
	"  SELECT 0::bigint AS k, '/unit_id' AS ptr, 'session-unit-scope' AS code FROM f"
	"   WHERE f->>'unit_id' IS NOT NULL"
	"   AND NOT " UNIT_WRITABLE("(f->>'unit_id')::bigint", "$6", "$7")
	"  UNION ALL SELECT 1, '/plan_id', 'session-plan-unknown' FROM f"
	"   WHERE f->>'plan_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM plans p"
	"   WHERE p.organization_id = $1::bigint AND p.id = (f->>'plan_id')::bigint)"
	"  UNION ALL SELECT 2, '/makeup_of', 'session-makeup-unknown' FROM f"
	"   WHERE f->>'makeup_of' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions x"
	"   WHERE x.organization_id = $1::bigint AND x.id = (f->>'makeup_of')::bigint)"
	"  UNION ALL SELECT 2 + docs.ord, '/document_ids/' || (docs.ord - 1),"
	"   'session-document-unknown' FROM docs"
	"   WHERE NOT EXISTS (SELECT 1 FROM documents k"
	"    WHERE k.organization_id = $1::bigint AND k.id = docs.id)"
	"  ) c ORDER BY k LIMIT 1),"
	" ins AS (INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic,"
	"  location, unit_id, makeup_of, document_ids)"
	"  SELECT $1::bigint, (f->>'plan_id')::bigint, f->>'kind', (f->>'held_on')::date,"
	"  " TEXT_OF("topic") ", " TEXT_OF("location") ", (f->>'unit_id')::bigint,"
	"  (f->>'makeup_of')::bigint, ARRAY(SELECT id FROM docs ORDER BY ord)"
	"  FROM f WHERE NOT EXISTS (SELECT 1 FROM refusal)"
	"  RETURNING id, session_json(sessions, NULL::bigint[], 0) AS j),"
	AUDIT_CREATE("session.create", "session")
	WRITE_CHECKED,
	7);

/*
 * One batch of attendance: $5 session, $6 records, $7 scope, $8 scope unit.
 * The session row is locked so concurrent batches of one session serialise
 * and each audit entry's "before" is exact.  The first record naming staff
 * outside the writer's scope (or organisation), or informed before the
 * session was held, refuses the batch; then nothing is written.  Answers
 * one row (stored, pointer, code): 'stored' when written; the member and
 * message code of a refusal; all NULL: no such session.
 */
#define ATTENDANCE_ROW(a) \
	"jsonb_build_object('staff_id', " a ".staff_id, 'status', " a ".status," \
	" 'informed_on', " a ".informed_on, 'note', " a ".note)"

DB_STATEMENT(attendance_put,
	"WITH x AS (SELECT x.id, x.held_on FROM sessions x"
	"  WHERE x.organization_id = $1::bigint AND x.id = $5::bigint FOR UPDATE),"
	" r AS (SELECT t.ord - 1 AS i, (t.e->>'staff_id')::bigint AS staff_id,"
	"  t.e->>'status' AS status, (t.e->>'informed_on')::date AS informed_on,"
	"  normalize(btrim(coalesce(t.e->>'note', '')), NFC) AS note"
	"  FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS t(e, ord)),"
	" refusal AS (SELECT '/records/' || r.i"
	"  || CASE WHEN s.id IS NULL THEN '/staff_id' ELSE '/informed_on' END AS ptr,"
	"  CASE WHEN s.id IS NULL THEN 'attendance-staff-scope'"
	"  ELSE 'attendance-informed-before' END AS code"
	"  FROM x CROSS JOIN r LEFT JOIN staff s ON s.organization_id = $1::bigint"
	"   AND s.id = r.staff_id AND ($7::text = 'organization' OR EXISTS (SELECT 1"
	"    FROM units u WHERE u.organization_id = $1::bigint AND u.id = s.unit_id"
	"    AND $8::bigint = ANY (u.path)))"
	"  WHERE s.id IS NULL OR r.informed_on < x.held_on ORDER BY r.i LIMIT 1),"
	" old AS (SELECT coalesce(jsonb_agg(" ATTENDANCE_ROW("a") " ORDER BY a.staff_id),"
	"  '[]'::jsonb) AS j FROM session_attendance a"
	"  WHERE a.organization_id = $1::bigint AND a.session_id = $5::bigint"
	"  AND a.staff_id IN (SELECT staff_id FROM r)),"
	" up AS (INSERT INTO session_attendance (organization_id, session_id, staff_id,"
	"  status, informed_on, note)"
	"  SELECT $1::bigint, x.id, r.staff_id, r.status, r.informed_on, r.note FROM x, r"
	"  WHERE NOT EXISTS (SELECT 1 FROM refusal)"
	"  ON CONFLICT (session_id, staff_id) DO UPDATE SET status = excluded.status,"
	"  informed_on = excluded.informed_on, note = excluded.note, updated_at = now()"
	"  RETURNING staff_id, status, informed_on, note),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'session.attendance', 'session',"
	"  x.id::text, jsonb_build_object('records', old.j),"
	"  jsonb_build_object('records', (SELECT jsonb_agg(" ATTENDANCE_ROW("up")
	"   ORDER BY up.staff_id) FROM up)), $4)"
	"  FROM x, old WHERE NOT EXISTS (SELECT 1 FROM refusal))"
	" SELECT (SELECT 'stored' FROM aud), (SELECT ptr FROM refusal),"
	" (SELECT code FROM refusal)",
	8);

/* ---- results -------------------------------------------------------------- */

#define RATING_JSON(c) \
	"json_build_object('id', " c ".id, 'year', " c ".year," \
	" 'subject_kind', " c ".subject_kind, 'subject_name', " c ".subject_name," \
	" 'unit_id', " c ".unit_id, 'rating', " c ".rating, 'rated_on', " c ".rated_on," \
	" 'source_document', " c ".source_document, 'created_at', " c ".created_at)"

#define RECOGNITION_JSON(g) \
	"json_build_object('id', " g ".id, 'year', " g ".year, 'kind', " g ".kind," \
	" 'granted_on', " g ".granted_on, 'issuer', " g ".issuer," \
	" 'evidence', " g ".evidence, 'created_at', " g ".created_at)"

/* $1 org, $2 year (0: all). */
DB_STATEMENT(ratings_list,
	"SELECT json_build_object('items', coalesce(json_agg(" RATING_JSON("c")
	" ORDER BY c.year DESC, c.subject_kind, c.subject_name " VI ", c.id),"
	" '[]'::json))::text FROM collective_ratings c"
	" WHERE c.organization_id = $1::bigint AND ($2::integer = 0 OR c.year = $2::integer)",
	2);

DB_STATEMENT(rating_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO collective_ratings (organization_id, year, subject_kind,"
	"  subject_name, unit_id, rating, rated_on, source_document)"
	"  SELECT $1::bigint, (f->>'year')::integer, f->>'subject_kind',"
	"  " TEXT_OF("subject_name") ", (f->>'unit_id')::bigint, f->>'rating',"
	"  (f->>'rated_on')::date, " TEXT_OF("source_document") " FROM f"
	"  RETURNING id, " RATING_JSON("collective_ratings") " AS j),"
	AUDIT_CREATE("collective_rating.create", "collective_rating")
	WRITE_CREATED("0"),
	5);

DB_STATEMENT(recognitions_list,
	"SELECT json_build_object('items', coalesce(json_agg(" RECOGNITION_JSON("g")
	" ORDER BY g.year DESC, g.kind, g.id), '[]'::json))::text FROM recognitions g"
	" WHERE g.organization_id = $1::bigint AND ($2::integer = 0 OR g.year = $2::integer)",
	2);

DB_STATEMENT(recognition_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer,"
	"  evidence)"
	"  SELECT $1::bigint, (f->>'year')::integer, f->>'kind', (f->>'granted_on')::date,"
	"  " TEXT_OF("issuer") ", " TEXT_OF("evidence") " FROM f"
	"  RETURNING id, " RECOGNITION_JSON("recognitions") " AS j),"
	AUDIT_CREATE("recognition.create", "recognition")
	WRITE_CREATED("0"),
	5);

/*
 * $6 plan, $7 target code, $8 value in hundredths, $9 scope, $10 scope
 * unit, $11 the writer's today (the default reported_on).  A report
 * belongs to the plan's series and the target's code, so it still counts
 * after an amendment (0003_plans.sql).  No target row: no such plan or
 * target, and nothing is answered but NULLs.
 */
/* The reports of a plan's target (its series: every revision of the
 * plan), newest recorded first, after the id $6 (0: from the start), at
 * most $7; a unit head's subtree only ($2 the scope's name, $3 its unit).
 * NULL when the
 * plan or the target is not the organisation's. */
DB_STATEMENT(target_reports_list,
	"WITH t AS (SELECT p.series_id FROM plans p JOIN plan_targets t"
	"  ON t.organization_id = p.organization_id AND t.plan_id = p.id"
	"  WHERE p.organization_id = $1::bigint AND p.id = $4::bigint AND t.code = $5::text),"
	" page AS (SELECT r.*, u.name AS unit_name FROM t, target_reports r"
	"  JOIN units u ON u.organization_id = r.organization_id AND u.id = r.unit_id"
	"  WHERE r.organization_id = $1::bigint AND r.series_id = t.series_id"
	"  AND r.target_code = $5::text AND ($6::bigint = 0 OR r.id < $6::bigint)"
	"  AND ($2::text IN ('organization', 'province') OR $3::bigint = ANY (u.path))"
	"  ORDER BY r.id DESC LIMIT $7::integer + 1),"
	" shown AS (SELECT * FROM page ORDER BY id DESC LIMIT $7::integer)"
	" SELECT CASE WHEN EXISTS (SELECT 1 FROM t) THEN json_build_object("
	"  'plan_id', $4::bigint, 'target_code', $5::text,"
	"  'items', coalesce((SELECT json_agg(json_build_object('id', s.id, 'unit_id', s.unit_id,"
	"   'unit', s.unit_name, 'value', s.value::text, 'reported_on', s.reported_on,"
	"   'note', s.note, 'created_at', s.created_at) ORDER BY s.id DESC) FROM shown s),"
	"   '[]'::json),"
	"  'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $7::integer"
	"   THEN (SELECT min(s.id)::text FROM shown s) END)::text END",
	7);

DB_STATEMENT(target_report_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" t AS (SELECT p.series_id, p.status, p.period_start, p.period_end, t.kind,"
	"  coalesce((f->>'reported_on')::date,"
	"  greatest(p.period_start, least($11::date, p.period_end))) AS day"
	"  FROM f, plans p JOIN plan_targets t"
	"  ON t.organization_id = p.organization_id AND t.plan_id = p.id"
	"  WHERE p.organization_id = $1::bigint AND p.id = $6::bigint AND t.code = $7::text),"
	/* history that does not move: nothing is added to a closed plan, and
	 * a number is dated inside the plan's period (issue 11, part 5) */
	" refusal AS (SELECT ptr, code, args FROM ("
	"  SELECT 0 AS k, '' AS ptr, 'report-plan-closed' AS code, NULL::text AS args FROM t"
	"   WHERE t.status = 'closed'"
	"  UNION ALL SELECT 1, '', 'report-target-kind', jsonb_build_object('kind', t.kind,"
	"   'expected', 'reported_number')::text FROM t WHERE t.kind <> 'reported_number'"
	"  UNION ALL SELECT 2, '/reported_on', 'report-outside-period',"
	"   jsonb_build_object('start', t.period_start, 'end', t.period_end)::text FROM t"
	"   WHERE t.day NOT BETWEEN t.period_start AND t.period_end"
	"  UNION ALL SELECT 3, '/unit_id', 'report-unit-scope', NULL FROM f"
	"   WHERE NOT " UNIT_WRITABLE("(f->>'unit_id')::bigint", "$9", "$10")
	"  ) x WHERE EXISTS (SELECT 1 FROM t) ORDER BY k LIMIT 1),"
	" ins AS (INSERT INTO target_reports (organization_id, series_id, target_code,"
	"  unit_id, value, reported_on, note)"
	"  SELECT $1::bigint, t.series_id, $7::text, (f->>'unit_id')::bigint,"
	"  $8::bigint::numeric / 100, t.day,"
	"  " TEXT_OF("note") " FROM t, f WHERE NOT EXISTS (SELECT 1 FROM refusal)"
	"  RETURNING id, json_build_object('id', id, 'plan_id', $6::bigint,"
	"  'target_code', target_code, 'unit_id', unit_id, 'value', value::text,"
	"  'reported_on', reported_on, 'note', note, 'created_at', created_at) AS j),"
	AUDIT_CREATE("target_report.create", "target_report")
	WRITE_CHECKED,
	11);

/* clang-format on */

/* ---- calls ------------------------------------------------------------- */

/* The catalogue is the law's, the same for every organisation: these
 * statements take no argument, which DB_FETCH_TEXT cannot express (a C
 * array has at least one element), so they call the function itself. */
enum db_status store_titles_list(struct db *db, char **json)
{
	return db_fetch_text(db, &titles_list, NULL, 0, json);
}

enum db_status store_title_labels(struct db *db, char **json)
{
	return db_fetch_text(db, &title_labels, NULL, 0, json);
}

enum db_status store_documents_list(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, documents_list, json, db_arg_id(org_id));
}

enum db_status store_document_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, document_get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_document_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, document_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_checked_row(w->db, res, st, r);
}

enum db_status store_movements_list(struct db *db, int64_t org_id, const struct dated_page *pg,
				    char **json)
{
	return DB_FETCH_TEXT(db, movements_list, json, db_arg_id(org_id), db_arg_id(pg->plan_id),
			     db_arg_text(pg->after_date), db_arg_id(pg->after_id),
			     db_arg_int(pg->limit));
}

enum db_status store_movement_get(struct db *db, int64_t org_id, int64_t id, char **json,
				  int *version)
{
	enum db_status st;
	*json = NULL;
	*version = 0;
	PGresult *res = DB_EXEC(db, movement_get, &st, db_arg_id(org_id), db_arg_id(id));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		*json = db_get_text_new(res, 0, 0);
		*version = (int)db_get_int(res, 0, 1);
	}
	PQclear(res);
	return DB_OK;
}

void store_movement_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, movement_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_checked_row(w->db, res, st, r);
}

enum db_status store_session_get(struct db *db, const struct row_scope *s, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, session_get, json, SCOPE_ARGS(s), db_arg_id(id));
}

enum db_status store_sessions_list(struct db *db, const struct row_scope *s,
				   const struct dated_page *pg, char **json)
{
	return DB_FETCH_TEXT(db, sessions_list, json, SCOPE_ARGS(s), db_arg_id(pg->plan_id),
			     db_arg_text(pg->after_date), db_arg_id(pg->after_id),
			     db_arg_int(pg->limit));
}

void store_session_create(const struct writer *w, const struct row_scope *s, const char *fields,
			  struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, session_create, &st, WRITER_ARGS(w), db_arg_text(fields),
				db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id));
	write_checked_row(w->db, res, st, r);
}

/* One attempt of an attendance batch (db_transaction's ctx). */
struct attendance_tx {
	const struct writer *w;
	const struct row_scope *s;
	int64_t id;
	const char *records;
	struct write_result *r;
};

/* The columns of attendance_put. */
enum { AC_STORED, AC_POINTER, AC_CODE, AC_COUNT };

static enum db_status attendance_run(struct db *db, void *ctx)
{
	struct attendance_tx *t = ctx;
	enum db_status st;
	write_result_clear(t->r); /* a retry starts from scratch */
	PGresult *res =
		DB_EXEC(db, attendance_put, &st, WRITER_ARGS(t->w), db_arg_id(t->id),
			db_arg_text(t->records), db_arg_text(access_scope_name(t->s->scope)),
			db_arg_id(t->s->unit_id));
	if (!res)
		return st;
	bool shaped = PQntuples(res) == 1 && PQnfields(res) == AC_COUNT;
	bool stored = shaped && !PQgetisnull(res, 0, AC_STORED);
	if (!shaped)
		write_unexpected(t->r);
	else if (!PQgetisnull(res, 0, AC_POINTER))
		write_invalid(t->r, PQgetvalue(res, 0, AC_POINTER), PQgetvalue(res, 0, AC_CODE),
			      NULL);
	else if (!stored)
		write_not_found(t->r);
	PQclear(res);
	if (!stored)
		return DB_OK; /* nothing was written: committing ends the lock */
	char *json = NULL;
	st = store_session_get(db, t->s, t->id, &json);
	if (st == DB_OK)
		write_ok(t->r, json, 0, t->id);
	return st;
}

void store_session_attendance(const struct writer *w, const struct row_scope *s, int64_t id,
			      const char *records, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	struct attendance_tx t = { w, s, id, records, r };
	enum db_status st = db_transaction(w->db, attendance_run, &t);
	if (st != DB_OK) {
		write_result_clear(r);
		write_failed(w->db, st, r);
	}
}

enum db_status store_ratings_list(struct db *db, int64_t org_id, int year, char **json)
{
	return DB_FETCH_TEXT(db, ratings_list, json, db_arg_id(org_id), db_arg_int(year));
}

void store_rating_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, rating_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_checked_row(w->db, res, st, r);
}

enum db_status store_recognitions_list(struct db *db, int64_t org_id, int year, char **json)
{
	return DB_FETCH_TEXT(db, recognitions_list, json, db_arg_id(org_id), db_arg_int(year));
}

void store_recognition_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, recognition_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_checked_row(w->db, res, st, r);
}

void store_target_report_create(const struct writer *w, const struct row_scope *s,
				const struct target_report_in *in, struct write_result *r)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, target_report_create, &st, WRITER_ARGS(w), db_arg_text(in->fields),
			db_arg_id(in->plan_id), db_arg_text(in->code), db_arg_int(in->value_cents),
			db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id),
			db_arg_date(w->today));
	write_checked_row(w->db, res, st, r);
}

enum db_status store_target_reports(struct db *db, const struct row_scope *s, int64_t plan_id,
				    const char *code, int64_t after, long limit, char **json)
{
	return DB_FETCH_TEXT(db, target_reports_list, json, db_arg_id(s->org_id),
			     db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id),
			     db_arg_id(plan_id), db_arg_text(code), db_arg_id(after),
			     db_arg_int(limit));
}
