/*
 * records.c — SQL for the catalogue, documents, movements, sessions and the
 * year's results (see records.h).
 *
 * Text is normalised to NFC and trimmed on the way in, as in directory.c.
 * Writes are single statements whose last CTE calls audit_append(), except
 * attendance, whose answer must show the rows just written: a statement
 * cannot read its own changes, so the upsert and the read share a
 * transaction instead.
 *
 * Parameters common to the writes: $1 organisation, $2 actor type, $3 actor
 * id, $4 request id, $5 the validated body (jsonb).
 */
#include "store/records.h"

#include <stdlib.h>
#include <string.h>

#define VI "COLLATE \"vi-VN-x-icu\""

/* The audit entry of a created row: ins(id, j) → action on entity. */
#define AUDIT_CREATE(action, entity)                                                   \
	" aud AS (SELECT audit_append($1::bigint, $2, $3, '" action "', '" entity "'," \
	" ins.id::text, NULL, ins.j::jsonb, $4) FROM ins)"

/* normalize(btrim(f->>'name'), NFC), '' when absent. */
#define TEXT_OF(name) "normalize(btrim(coalesce(f->>'" name "', '')), NFC)"

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

/* ---- catalogue and documents ------------------------------------------- */

static struct db_stmt titles_list = DB_STMT(
	"SELECT json_build_object('items', coalesce(json_agg(json_build_object('code', k.code,"
	" 'level', k.level, 'rank', k.rank, 'name_vi', k.name_vi, 'name_en', k.name_en)"
	" ORDER BY k.level, k.rank), '[]'::json))::text FROM title_kinds k",
	0);

static struct db_stmt documents_list = DB_STMT(
	"SELECT json_build_object('items', coalesce(json_agg(document_json(d)"
	" ORDER BY d.issued_on DESC NULLS LAST, d.code), '[]'::json))::text"
	" FROM documents d WHERE d.organization_id = $1::bigint",
	1);

static struct db_stmt document_get = DB_STMT(
	"SELECT document_json(d)::text FROM documents d"
	" WHERE d.organization_id = $1::bigint AND d.id = $2::bigint",
	2);

static struct db_stmt document_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO documents (organization_id, code, title, issuer, issued_on)"
	"  SELECT $1::bigint, " TEXT_OF("code") ", " TEXT_OF("title") ","
	"  " TEXT_OF("issuer") ", (f->>'issued_on')::date FROM f"
	"  RETURNING id, document_json(documents) AS j),"
	AUDIT_CREATE("document.create", "document")
	" SELECT ins.j::text FROM ins, aud",
	5);

/* ---- movements ------------------------------------------------------------ */

/* $1 org, $2 plan filter (0: any), $3/$4 the cursor, $5 limit. */
static struct db_stmt movements_list = DB_STMT(
	"WITH page AS (SELECT m.starts_on AS d, m.id, movement_json(m) AS j FROM movements m"
	"  WHERE m.organization_id = $1::bigint AND ($2::bigint = 0 OR m.plan_id = $2::bigint)"
	"  AND (m.starts_on, m.id) < ($3::date, $4::bigint)"
	"  ORDER BY m.starts_on DESC, m.id DESC LIMIT $5::integer + 1)"
	DATED_PAGE("$5::integer"),
	5);

static struct db_stmt movement_get = DB_STMT(
	"SELECT movement_json(m)::text FROM movements m"
	" WHERE m.organization_id = $1::bigint AND m.id = $2::bigint",
	2);

static struct db_stmt movement_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO movements (organization_id, plan_id, name, kind, starts_on,"
	"  ends_on, owner_unit_id, description)"
	"  SELECT $1::bigint, (f->>'plan_id')::bigint, " TEXT_OF("name") ", f->>'kind',"
	"  (f->>'starts_on')::date, (f->>'ends_on')::date, (f->>'owner_unit_id')::bigint,"
	"  " TEXT_OF("description") " FROM f"
	"  RETURNING id, movement_json(movements) AS j),"
	AUDIT_CREATE("movement.create", "movement")
	" SELECT ins.j::text FROM ins, aud",
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

static struct db_stmt session_get = DB_STMT(
	"SELECT session_json(x, " ATTENDANCE_UNITS ", " ATTENDANCE_STAFF ")::text"
	" FROM sessions x WHERE x.organization_id = $1::bigint AND x.id = $5::bigint",
	5);

/* $1..$4 as session_get, $5 plan filter, $6/$7 the cursor, $8 limit. */
static struct db_stmt sessions_list = DB_STMT(
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
 * $6 scope, $7 scope unit.
 */
static struct db_stmt session_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" docs AS (SELECT d.id::bigint AS id, d.ord FROM f,"
	"  jsonb_array_elements_text(coalesce(f->'document_ids', '[]'::jsonb))"
	"  WITH ORDINALITY AS d(id, ord)),"
	" refusal AS (SELECT CASE"
	"  WHEN f->>'unit_id' IS NOT NULL"
	"   AND NOT " UNIT_WRITABLE("(f->>'unit_id')::bigint", "$6", "$7")
	"   THEN '/unit_id'"
	"  WHEN f->>'plan_id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM plans p"
	"   WHERE p.organization_id = $1::bigint AND p.id = (f->>'plan_id')::bigint)"
	"   THEN '/plan_id'"
	"  WHEN f->>'makeup_of' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions x"
	"   WHERE x.organization_id = $1::bigint AND x.id = (f->>'makeup_of')::bigint)"
	"   THEN '/makeup_of'"
	"  ELSE (SELECT '/document_ids/' || (docs.ord - 1) FROM docs"
	"   WHERE NOT EXISTS (SELECT 1 FROM documents k"
	"    WHERE k.organization_id = $1::bigint AND k.id = docs.id)"
	"   ORDER BY docs.ord LIMIT 1) END AS ptr FROM f),"
	" ins AS (INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic,"
	"  location, unit_id, makeup_of, document_ids)"
	"  SELECT $1::bigint, (f->>'plan_id')::bigint, f->>'kind', (f->>'held_on')::date,"
	"  " TEXT_OF("topic") ", " TEXT_OF("location") ", (f->>'unit_id')::bigint,"
	"  (f->>'makeup_of')::bigint, ARRAY(SELECT id FROM docs ORDER BY ord)"
	"  FROM f, refusal WHERE refusal.ptr IS NULL"
	"  RETURNING id, session_json(sessions, NULL::bigint[], 0) AS j),"
	AUDIT_CREATE("session.create", "session")
	" SELECT (SELECT ins.j::text FROM ins, aud), (SELECT ptr FROM refusal)",
	7);

/*
 * One batch of attendance: $5 session, $6 records, $7 scope, $8 scope unit.
 * The session row is locked so concurrent batches of one session serialise
 * and each audit entry's "before" is exact.  The first record naming staff
 * outside the writer's scope (or organisation), or informed before the
 * session was held, refuses the batch; then nothing is written.  Answers
 * ('stored' | NULL, refusal | NULL); both NULL: no such session.
 */
#define ATTENDANCE_ROW(a) \
	"jsonb_build_object('staff_id', " a ".staff_id, 'status', " a ".status," \
	" 'informed_on', " a ".informed_on, 'note', " a ".note)"

static struct db_stmt attendance_put = DB_STMT(
	"WITH x AS (SELECT x.id, x.held_on FROM sessions x"
	"  WHERE x.organization_id = $1::bigint AND x.id = $5::bigint FOR UPDATE),"
	" r AS (SELECT t.ord - 1 AS i, (t.e->>'staff_id')::bigint AS staff_id,"
	"  t.e->>'status' AS status, (t.e->>'informed_on')::date AS informed_on,"
	"  normalize(btrim(coalesce(t.e->>'note', '')), NFC) AS note"
	"  FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS t(e, ord)),"
	" refusal AS (SELECT '/records/' || r.i"
	"  || CASE WHEN s.id IS NULL THEN '/staff_id' ELSE '/informed_on' END AS ptr"
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
	" SELECT (SELECT 'stored' FROM aud), (SELECT ptr FROM refusal)",
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
static struct db_stmt ratings_list = DB_STMT(
	"SELECT json_build_object('items', coalesce(json_agg(" RATING_JSON("c")
	" ORDER BY c.year DESC, c.subject_kind, c.subject_name " VI ", c.id),"
	" '[]'::json))::text FROM collective_ratings c"
	" WHERE c.organization_id = $1::bigint AND ($2::integer = 0 OR c.year = $2::integer)",
	2);

static struct db_stmt rating_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO collective_ratings (organization_id, year, subject_kind,"
	"  subject_name, unit_id, rating, rated_on, source_document)"
	"  SELECT $1::bigint, (f->>'year')::integer, f->>'subject_kind',"
	"  " TEXT_OF("subject_name") ", (f->>'unit_id')::bigint, f->>'rating',"
	"  (f->>'rated_on')::date, " TEXT_OF("source_document") " FROM f"
	"  RETURNING id, " RATING_JSON("collective_ratings") " AS j),"
	AUDIT_CREATE("collective_rating.create", "collective_rating")
	" SELECT ins.j::text FROM ins, aud",
	5);

static struct db_stmt recognitions_list = DB_STMT(
	"SELECT json_build_object('items', coalesce(json_agg(" RECOGNITION_JSON("g")
	" ORDER BY g.year DESC, g.kind, g.id), '[]'::json))::text FROM recognitions g"
	" WHERE g.organization_id = $1::bigint AND ($2::integer = 0 OR g.year = $2::integer)",
	2);

static struct db_stmt recognition_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer,"
	"  evidence)"
	"  SELECT $1::bigint, (f->>'year')::integer, f->>'kind', (f->>'granted_on')::date,"
	"  " TEXT_OF("issuer") ", " TEXT_OF("evidence") " FROM f"
	"  RETURNING id, " RECOGNITION_JSON("recognitions") " AS j),"
	AUDIT_CREATE("recognition.create", "recognition")
	" SELECT ins.j::text FROM ins, aud",
	5);

/*
 * $6 plan, $7 target code, $8 value (numeric text), $9 scope, $10 scope unit.
 * A report belongs to the plan's series and the target's code, so it still
 * counts after an amendment (0003_plans.sql); reported_on defaults to
 * today in Vietnam.  Answers (report | NULL, refusal | NULL); both NULL:
 * no such plan or target.
 */
static struct db_stmt target_report_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" t AS (SELECT p.series_id, t.kind FROM plans p JOIN plan_targets t"
	"  ON t.organization_id = p.organization_id AND t.plan_id = p.id"
	"  WHERE p.organization_id = $1::bigint AND p.id = $6::bigint AND t.code = $7::text),"
	" refusal AS (SELECT CASE WHEN t.kind <> 'reported_number' THEN ''"
	"  WHEN NOT " UNIT_WRITABLE("(f->>'unit_id')::bigint", "$9", "$10")
	"  THEN '/unit_id' END AS ptr FROM t, f),"
	" ins AS (INSERT INTO target_reports (organization_id, series_id, target_code,"
	"  unit_id, value, reported_on, note)"
	"  SELECT $1::bigint, t.series_id, $7::text, (f->>'unit_id')::bigint, $8::numeric,"
	"  coalesce((f->>'reported_on')::date, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),"
	"  " TEXT_OF("note") " FROM t, f, refusal WHERE refusal.ptr IS NULL"
	"  RETURNING id, json_build_object('id', id, 'plan_id', $6::bigint,"
	"  'target_code', target_code, 'unit_id', unit_id, 'value', value::text,"
	"  'reported_on', reported_on, 'note', note, 'created_at', created_at) AS j),"
	AUDIT_CREATE("target_report.create", "target_report")
	" SELECT (SELECT ins.j::text FROM ins, aud), (SELECT ptr FROM refusal)",
	10);

/* clang-format on */

/* ---- calls ------------------------------------------------------------- */

enum db_status store_titles_list(struct db *db, int64_t org_id, char **json)
{
	(void)org_id; /* the catalogue is the law's, the same for every organisation */
	return db_query_text(db, &titles_list, NULL, json);
}

enum db_status store_documents_list(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &documents_list, args, json);
}

enum db_status store_document_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	char org[DB_ID_LEN], did[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(did, id) };
	return db_query_text(db, &document_get, args, json);
}

/* The statements that take only the actor and the body. */
static enum db_status create_with(struct db *db, struct db_stmt *stmt, const struct actor *a,
				  const char *fields, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, fields };
	return db_query_text(db, stmt, args, json);
}

enum db_status store_document_create(struct db *db, const struct actor *a, const char *fields,
				     char **json)
{
	return create_with(db, &document_create, a, fields, json);
}

enum db_status store_movements_list(struct db *db, int64_t org_id, const struct dated_page *pg,
				    char **json)
{
	char org[DB_ID_LEN], plan[DB_ID_LEN], after[DB_ID_LEN], limit[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(plan, pg->plan_id), pg->after_date,
			       db_id(after, pg->after_id), db_id(limit, pg->limit) };
	return db_query_text(db, &movements_list, args, json);
}

enum db_status store_movement_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	char org[DB_ID_LEN], mid[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(mid, id) };
	return db_query_text(db, &movement_get, args, json);
}

enum db_status store_movement_create(struct db *db, const struct actor *a, const char *fields,
				     char **json)
{
	return create_with(db, &movement_create, a, fields, json);
}

/* The scope columns ($2 scope, $3 unit, $4 staff) of the session reads. */
struct scope_args {
	char org[DB_ID_LEN], unit[DB_ID_LEN], staff[DB_ID_LEN];
};

enum db_status store_session_get(struct db *db, const struct row_scope *s, int64_t id, char **json)
{
	struct scope_args sa;
	char sid[DB_ID_LEN];
	const char *args[] = { db_id(sa.org, s->org_id), access_scope_name(s->scope),
			       db_id(sa.unit, s->unit_id), db_id(sa.staff, s->staff_id),
			       db_id(sid, id) };
	return db_query_text(db, &session_get, args, json);
}

enum db_status store_sessions_list(struct db *db, const struct row_scope *s,
				   const struct dated_page *pg, char **json)
{
	struct scope_args sa;
	char plan[DB_ID_LEN], after[DB_ID_LEN], limit[DB_ID_LEN];
	const char *args[] = { db_id(sa.org, s->org_id),   access_scope_name(s->scope),
			       db_id(sa.unit, s->unit_id), db_id(sa.staff, s->staff_id),
			       db_id(plan, pg->plan_id),   pg->after_date,
			       db_id(after, pg->after_id), db_id(limit, pg->limit) };
	return db_query_text(db, &sessions_list, args, json);
}

enum db_status store_session_create(struct db *db, const struct actor *a, const struct row_scope *s,
				    const char *fields, char **json, char **refusal)
{
	char org[DB_ID_LEN], unit[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),  a->type, a->id,
			       a->request_id,	       fields,	access_scope_name(s->scope),
			       db_id(unit, s->unit_id) };
	return db_query_text2(db, &session_create, args, json, refusal);
}

enum db_status store_session_attendance(struct db *db, const struct actor *a,
					const struct row_scope *s, int64_t id, const char *records,
					char **json, char **refusal)
{
	*json = NULL;
	char org[DB_ID_LEN], sid[DB_ID_LEN], unit[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),
			       a->type,
			       a->id,
			       a->request_id,
			       db_id(sid, id),
			       records,
			       access_scope_name(s->scope),
			       db_id(unit, s->unit_id) };
	char *stored = NULL;
	enum db_status st = db_begin(db);
	if (st != DB_OK)
		return st;
	st = db_query_text2(db, &attendance_put, args, &stored, refusal);
	/* refused or not found: nothing was written, and nothing to keep */
	if (st == DB_OK && stored)
		st = store_session_get(db, s, id, json);
	if (st == DB_OK && stored)
		st = db_commit(db);
	else
		db_rollback(db);
	if (st != DB_OK) {
		free(*json);
		*json = NULL;
	}
	free(stored);
	return st;
}

enum db_status store_ratings_list(struct db *db, int64_t org_id, int year, char **json)
{
	char org[DB_ID_LEN], y[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(y, year) };
	return db_query_text(db, &ratings_list, args, json);
}

enum db_status store_rating_create(struct db *db, const struct actor *a, const char *fields,
				   char **json)
{
	return create_with(db, &rating_create, a, fields, json);
}

enum db_status store_recognitions_list(struct db *db, int64_t org_id, int year, char **json)
{
	char org[DB_ID_LEN], y[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(y, year) };
	return db_query_text(db, &recognitions_list, args, json);
}

enum db_status store_recognition_create(struct db *db, const struct actor *a, const char *fields,
					char **json)
{
	return create_with(db, &recognition_create, a, fields, json);
}

enum db_status store_target_report_create(struct db *db, const struct actor *a,
					  const struct row_scope *s,
					  const struct target_report_in *in, char **json,
					  char **refusal)
{
	char org[DB_ID_LEN], plan[DB_ID_LEN], unit[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),
			       a->type,
			       a->id,
			       a->request_id,
			       in->fields,
			       db_id(plan, in->plan_id),
			       in->code,
			       in->value,
			       access_scope_name(s->scope),
			       db_id(unit, s->unit_id) };
	return db_query_text2(db, &target_report_create, args, json, refusal);
}
