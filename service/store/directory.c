/*
 * directory.c — SQL for organisations, units and staff (see directory.h).
 *
 * Staff are ordered the Vietnamese way: by given name, then the full name,
 * under the ICU collation vi-VN-x-icu (tones in dictionary order), with the
 * id as tie-breaker so keyset pagination is exact.  Text is normalised to
 * NFC on the way in, so equal names compare equal whatever the keyboard.
 */
#include "store/directory.h"

#include <jansson.h>
#include <sodium.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/page_cache.h"
#include "store/render.h"

/*
 * The statements are laid out by hand, one SQL clause per line:
 * clang-format cannot lay out SQL made of string literals and macros (it
 * splits them into fragments of a few characters).
 */
/* clang-format off */
#define VI "COLLATE \"vi-VN-x-icu\""

/* with its memberships, predecessors and successors (organizations.sql) */
DB_STATEMENT(org_get, "SELECT org_json(o)::text FROM organizations o WHERE o.id = $1::bigint", 1);

DB_STATEMENT(org_by_code,
	"SELECT id FROM organizations WHERE code = $1", 1);

/* $3 0, or a unit whose subtree $2 must be in. */
DB_STATEMENT(unit_within,
	"SELECT EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint"
	" AND u.id = $2::bigint AND ($3::bigint = 0 OR $3::bigint = ANY (u.path)))::text",
	3);

DB_STATEMENT(units_list,
	"SELECT json_build_object('items', coalesce(json_agg(unit_json(u) ORDER BY u.path), "
	"'[]'::json))::text FROM units u WHERE u.organization_id = $1::bigint",
	1);

DB_STATEMENT(unit_get,
	"SELECT unit_json(u)::text FROM units u WHERE u.organization_id = $1::bigint "
	"AND u.id = $2::bigint",
	2);

DB_STATEMENT(unit_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO units (organization_id, parent_id, code, name, kind, tdkt_body)"
	"  SELECT $1::bigint, (f->>'parent_id')::bigint, f->>'code',"
	"   normalize(btrim(f->>'name'), NFC), f->>'kind', f->>'tdkt_body' FROM f"
	"  RETURNING id, version, unit_json(units) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'unit.create', 'unit', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text, ins.version, ins.id FROM ins, aud",
	5);

DB_STATEMENT(unit_change,
	"SELECT r.* FROM unit_change($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7::jsonb,"
	" $8::date) r",
	8);
DB_STATEMENT(unit_close,
	"SELECT r.* FROM unit_close($1::bigint, $2, $3, $4, $5::bigint, $6::integer, $7::jsonb) r",
	7);
DB_STATEMENT(unit_history, "SELECT unit_history($1::bigint, $2::bigint)::text", 2);

DB_STATEMENT(unit_codes,
	"SELECT coalesce(json_object_agg(code, id), '{}'::json)::text FROM units "
	"WHERE organization_id = $1::bigint",
	1);

/*
 * Staff lists: the keyset is the sort key itself, (given_name, full_name,
 * id) under vi-VN-x-icu, so a page is one range scan of staff_by_name and
 * stops after limit + 1 rows.  The common cases get statements of their own
 * (a generic plan cannot prune "$x IS NULL OR ..." conditions, and would
 * sort the whole organisation instead); filtered searches share one.
 * $1 org, $2/$3/$4 the cursor (given, full, id; '', '', 0 for the first
 * page), $5 the limit.  The answer is built here, next_cursor included
 * (base64url of the last row's key).
 */
#define STAFF_AFTER_CURSOR							\
	" AND (s.given_name " VI ", s.full_name " VI ", s.id) > ($2 " VI ", $3 " VI ","	\
	" $4::bigint)"
#define STAFF_ORDER " ORDER BY s.given_name " VI ", s.full_name " VI ", s.id LIMIT $5::integer + 1"
#define STAFF_COLUMNS								\
	"s.id, s.unit_id, s.full_name, s.given_name, s.gender, s.date_of_birth, s.position,"	\
	" s.employment_type, s.start_date, s.status, s.leave_from, s.leave_until, s.leave_kind,"	\
	" s.left_on,"	\
	" s.version, s.created_at, s.updated_at, s.code, s.recipient_category, s.tdkt_since,"	\
	" s.training_level"

DB_STATEMENT(staff_list_org,
	"SELECT " STAFF_COLUMNS " FROM staff s"
	" WHERE s.organization_id = $1::bigint" STAFF_AFTER_CURSOR STAFF_ORDER,
	5);

/* $6 the unit whose subtree the caller sees. */
DB_STATEMENT(staff_list_unit,
	"SELECT " STAFF_COLUMNS " FROM staff s"
	" WHERE s.organization_id = $1::bigint" STAFF_AFTER_CURSOR
	"  AND s.unit_id IN (SELECT u.id FROM units u WHERE u.organization_id = $1::bigint"
	"   AND $6::bigint = ANY (u.path))" STAFF_ORDER,
	6);

/* $6 scope, $7 scope unit, $8 scope staff, $9 q (a substring, here only
 * with a unit filter), $10 unit filter, $11 status.  Replanned at every
 * call: with a unit, that unit's rows through staff_by_unit, then sorted
 * (5 ms for a unit of 1,000 among 1,000,000 staff); without, a range scan of
 * the name index.  The generic plan cannot use staff_by_unit through
 * "$10 = 0 OR unit_id = $10" and reads the organisation (3 s). */
DB_STATEMENT_REPLAN(staff_list_filtered,
	"SELECT " STAFF_COLUMNS " FROM staff s"
	" WHERE s.organization_id = $1::bigint AND ($6 = 'organization'"
	"  OR ($6 = 'unit' AND EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint"
	"      AND u.id = s.unit_id AND $7::bigint = ANY (u.path)))"
	"  OR ($6 = 'self' AND s.id = $8::bigint))" STAFF_AFTER_CURSOR
	"  AND ($9::text IS NULL OR s.search_name LIKE '%' || replace(replace(replace("
	"       vn_fold($9), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')"
	"  AND ($10::bigint = 0 OR s.unit_id = $10::bigint)"
	"  AND ($11::text IS NULL OR s.status = $11)" STAFF_ORDER,
	11);

/*
 * The search (q without unit_id): staff whose name has, for every word of
 * q, a syllable beginning with it, accents and case aside ("ng v an" finds
 * Nguyễn Văn An), in list order, keyset-paged like the list.  It reads
 * staff_name_parts (migration 0008), ordered by (organisation, syllable,
 * given name, full name, id):
 *  - tokens: the words of vn_fold(q);
 *  - driver: the word with the fewest syllables beginning with it, counted
 *    up to 1,000 index entries each (the last word among equals: users type
 *    the given name last, and it is the most selective part of a name);
 *    a single word is not counted;
 *  - parts: the distinct syllables beginning with the driver, by a skip
 *    scan of the index (one probe each: "ng" is about thirty syllables);
 *  - for each of them, a range scan in list order after the cursor that
 *    stops at limit + 1 rows passing the other words (checked on the index
 *    entry's words) and the caller's scope and status;
 *  - the union of those, without repeats, in list order, limit + 1 rows.
 * A page of a single word costs (syllables beginning with it) x (limit + 1)
 * index entries at most, whatever the size of the organisation; the plan
 * does not depend on the values, so the generic plan is the right one.
 * Several words cost the entries skipped in list order before limit + 1 of
 * the driver's rows match the other words: few when the words are common
 * together, up to the driver's rows when they never are ("thi van").
 * $6 scope, $7 scope unit, $8 scope staff, $9 q, $10 status.
 */
#define LIKE_ESCAPE(x) "replace(replace(replace(" x ", '\\', '\\\\'), '%', '\\%'), '_', '\\_')"
#define PARTS_BELOW(tok) tok " || chr(1114111)" /* after every text tok begins (collation C) */
DB_STATEMENT(staff_search,
	"WITH RECURSIVE"
	" tokens AS MATERIALIZED (SELECT t.tok, t.n"
	"  FROM unnest(regexp_split_to_array(vn_fold($9), '\\s+')) WITH ORDINALITY AS t (tok, n)"
	"  WHERE t.tok <> ''),"
	" driver AS MATERIALIZED (SELECT t.tok, " PARTS_BELOW("t.tok") " AS below FROM tokens t"
	"  ORDER BY CASE WHEN (SELECT count(*) FROM tokens) > 1 THEN (SELECT count(*) FROM ("
	"   SELECT FROM staff_name_parts p WHERE p.organization_id = $1::bigint AND p.part >= t.tok"
	"   AND p.part < " PARTS_BELOW("t.tok") " LIMIT 1000) c) END, t.n DESC LIMIT 1),"
	" others AS MATERIALIZED (SELECT coalesce(array_agg('% ' || " LIKE_ESCAPE("t.tok") " || '%'),"
	"  '{}') AS patterns FROM tokens t WHERE t.tok <> (SELECT d.tok FROM driver d)),"
	" parts AS (SELECT (SELECT p.part FROM staff_name_parts p WHERE p.organization_id = $1::bigint"
	"   AND p.part >= (SELECT d.tok FROM driver d) AND p.part < (SELECT d.below FROM driver d)"
	"   ORDER BY p.part LIMIT 1) AS part"
	"  UNION ALL SELECT (SELECT p.part FROM staff_name_parts p"
	"   WHERE p.organization_id = $1::bigint AND p.part > parts.part"
	"   AND p.part < (SELECT d.below FROM driver d) ORDER BY p.part LIMIT 1)"
	"  FROM parts WHERE parts.part IS NOT NULL),"
	" hits AS (SELECT h.* FROM parts, others, LATERAL (SELECT x.staff_id, x.given_name, x.full_name"
	"  FROM staff_name_parts x WHERE x.organization_id = $1::bigint AND x.part = parts.part"
	"  AND (x.given_name, x.full_name, x.staff_id) > ($2, $3, $4::bigint)"
	"  AND NOT EXISTS (SELECT FROM unnest(others.patterns) AS o (pattern)"
	"   WHERE (' ' || x.words) NOT LIKE o.pattern)"
	"  AND (($6 = 'organization' AND $10::text IS NULL) OR EXISTS (SELECT FROM staff s"
	"   WHERE s.id = x.staff_id AND ($10::text IS NULL OR s.status = $10) AND ($6 = 'organization'"
	"   OR ($6 = 'unit' AND EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint"
	"       AND u.id = s.unit_id AND $7::bigint = ANY (u.path)))"
	"   OR ($6 = 'self' AND s.id = $8::bigint))))"
	"  ORDER BY x.given_name, x.full_name, x.staff_id LIMIT $5::integer + 1) h"
	"  WHERE parts.part IS NOT NULL)"
	"SELECT DISTINCT ON (h.given_name, h.full_name, h.staff_id) " STAFF_COLUMNS
	" FROM hits h JOIN staff s ON s.id = h.staff_id"
	" ORDER BY h.given_name, h.full_name, h.staff_id LIMIT $5::integer + 1",
	10);

/* The visibility rule of staff_visible() written out, so the planner can
 * inline it: a called SQL function costs more than the whole lookup. */
#define STAFF_IN_SCOPE								\
	" s.organization_id = $1::bigint AND ($2 = 'organization'"			\
	"  OR ($2 = 'unit' AND EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint" \
	"      AND u.id = s.unit_id AND $3::bigint = ANY (u.path)))"			\
	"  OR ($2 = 'self' AND s.id = $4::bigint))"

DB_STATEMENT(staff_get,
	"SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = $5::bigint AND" STAFF_IN_SCOPE, 5);

/* The organisation-wide case on its own: no scope condition to evaluate. */
DB_STATEMENT(staff_get_org,
	"SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = $2::bigint"
	" AND s.organization_id = $1::bigint",
	2);

/* Columns a staff document sets, read from the validated JSON in $5. */
#define STAFF_FIELDS_FROM_F							\
	"(f->>'unit_id')::bigint, normalize(btrim(f->>'full_name'), NFC), f->>'gender',"	\
	" (f->>'date_of_birth')::date, normalize(coalesce(f->>'position', ''), NFC),"		\
	" f->>'employment_type', (f->>'start_date')::date, coalesce(f->>'status', 'active'),"	\
	" (f->>'leave_from')::date, (f->>'leave_until')::date, f->>'leave_kind',"	\
	" (f->>'left_on')::date, nullif(btrim(f->>'code'), ''), f->>'recipient_category',"	\
	" (f->>'tdkt_since')::date, f->>'training_level'"

/* Every write answers one row: the document, its version and its id. */
DB_STATEMENT(staff_create,
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth,"
	"  position, employment_type, start_date, status, leave_from, leave_until, leave_kind,"
	"  left_on, code, recipient_category, tdkt_since, training_level)"
	"  SELECT $1::bigint, " STAFF_FIELDS_FROM_F " FROM f"
	"  RETURNING id, version, staff_json(staff) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.create', 'staff', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text, ins.version, ins.id FROM ins, aud",
	5);

/* A field keeps its value unless the patch names it (null clears it). */
#define PATCH(col, expr) col " = CASE WHEN p ? '" col "' THEN " expr " ELSE s." col " END"

/* $8, $9, $10: the caller's scope (staff_visible).  No row: nothing the
 * caller may see; a row without a document: old.version is not $7
 * (stale). */
DB_STATEMENT(staff_patch,
	"WITH p AS (SELECT $6::jsonb AS p),"
	" old AS (SELECT s.id, s.version, staff_json(s) AS j FROM staff s"
	"  WHERE s.id = $5::bigint"
	"  AND staff_visible(s, $1::bigint, $8, $9::bigint, $10::bigint) FOR UPDATE),"
	" upd AS (UPDATE staff s SET "
	PATCH("unit_id", "(p->>'unit_id')::bigint") ", "
	PATCH("full_name", "normalize(btrim(p->>'full_name'), NFC)") ", "
	PATCH("gender", "p->>'gender'") ", "
	PATCH("date_of_birth", "(p->>'date_of_birth')::date") ", "
	PATCH("position", "normalize(coalesce(p->>'position', ''), NFC)") ", "
	PATCH("employment_type", "p->>'employment_type'") ", "
	PATCH("start_date", "(p->>'start_date')::date") ", "
	PATCH("status", "p->>'status'") ", "
	PATCH("leave_from", "(p->>'leave_from')::date") ", "
	PATCH("leave_until", "(p->>'leave_until')::date") ", "
	PATCH("leave_kind", "p->>'leave_kind'") ", "
	PATCH("left_on", "(p->>'left_on')::date") ", "
	PATCH("code", "nullif(btrim(p->>'code'), '')") ", "
	PATCH("recipient_category", "p->>'recipient_category'") ", "
	PATCH("tdkt_since", "(p->>'tdkt_since')::date") ", "
	PATCH("training_level", "p->>'training_level'") ","
	"  version = s.version + 1, updated_at = now()"
	"  FROM p, old WHERE s.id = old.id AND old.version = $7::integer"
	"  RETURNING s.id, s.version, staff_json(s) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.update', 'staff', upd.id::text,"
	"  old.j::jsonb, upd.j::jsonb, $4) FROM upd, old)"
	"SELECT w.j::text, w.version, w.id, old.version FROM old"
	" LEFT JOIN (SELECT upd.* FROM upd, aud) w ON true",
	10);

/* The answer is {"imported": n, "created": c, "updated": u}: no document
 * of its own, no version.  A row whose code (mã cán bộ) an organisation's
 * person already has updates that person (re-importing a file changes
 * nobody twice); a row without one is a new person. */
DB_STATEMENT(staff_import,
	"WITH rows AS (SELECT f FROM jsonb_array_elements($5::jsonb) AS f),"
	" ins AS (INSERT INTO staff AS s (organization_id, unit_id, full_name, gender,"
	"  date_of_birth, position, employment_type, start_date, status, leave_from, leave_until,"
	"  leave_kind, left_on, code, recipient_category, tdkt_since, training_level)"
	"  SELECT $1::bigint, " STAFF_FIELDS_FROM_F " FROM rows"
	"  ON CONFLICT (organization_id, code) WHERE code IS NOT NULL DO UPDATE SET"
	"  unit_id = excluded.unit_id, full_name = excluded.full_name, gender = excluded.gender,"
	"  date_of_birth = excluded.date_of_birth, position = excluded.position,"
	"  employment_type = excluded.employment_type, start_date = excluded.start_date,"
	"  version = s.version + 1, updated_at = now()"
	"  RETURNING id, xmax = 0 AS created),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.import', 'staff', NULL, NULL,"
	"  jsonb_build_object('count', (SELECT count(*) FROM ins),"
	"   'ids', (SELECT jsonb_agg(id ORDER BY id) FROM ins),"
	"   'created', (SELECT jsonb_agg(id ORDER BY id) FROM ins WHERE created),"
	"   'updated', (SELECT jsonb_agg(id ORDER BY id) FROM ins WHERE NOT created)), $4))"
	"SELECT json_build_object('imported', (SELECT count(*) FROM ins),"
	"  'created', (SELECT count(*) FROM ins WHERE created),"
	"  'updated', (SELECT count(*) FROM ins WHERE NOT created))::text,"
	"  NULL::integer, NULL::bigint FROM aud",
	5);

/* The organisation's staff revision (data_revisions.sql). */
DB_STATEMENT(staff_rev,
	"SELECT coalesce((SELECT rev FROM data_revisions WHERE organization_id = $1::bigint"
	" AND topic = 'staff'), 0)",
	1);
/* clang-format on */

/* The members of staff_json() (identity_json.sql), in its order. */
static const struct render_column staff_render[] = {
	{ "id", RENDER_NUMBER },
	{ "unit_id", RENDER_NUMBER },
	{ "full_name", RENDER_STRING },
	{ "given_name", RENDER_STRING },
	{ "gender", RENDER_STRING },
	{ "date_of_birth", RENDER_STRING },
	{ "position", RENDER_STRING },
	{ "employment_type", RENDER_STRING },
	{ "start_date", RENDER_STRING },
	{ "status", RENDER_STRING },
	{ "leave_from", RENDER_STRING },
	{ "leave_until", RENDER_STRING },
	{ "leave_kind", RENDER_STRING },
	{ "left_on", RENDER_STRING },
	{ "version", RENDER_NUMBER },
	{ "created_at", RENDER_INSTANT },
	{ "updated_at", RENDER_INSTANT },
	{ "code", RENDER_STRING },
	{ "recipient_category", RENDER_STRING },
	{ "tdkt_since", RENDER_STRING },
	{ "training_level", RENDER_STRING },
};
/* Where render_row finds the version of a staff row (staff_get). */
enum { STAFF_COL_VERSION = 14 };

/* The opaque cursor after row: base64url of [given_name, full_name, id]. */
static char *staff_cursor_new(const PGresult *res, int row)
{
	json_t *key = json_pack("[s, s, I]", PQgetvalue(res, row, 3), PQgetvalue(res, row, 2),
				(json_int_t)db_get_int(res, row, 0));
	char *text = key ? json_dumps(key, JSON_COMPACT) : NULL;
	json_decref(key);
	if (!text)
		return NULL;
	size_t len = strlen(text);
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(cap);
	if (out)
		sodium_bin2base64(out, cap, (const unsigned char *)text, len,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(text);
	return out;
}

/* {"items":[...],"next_cursor":...} from limit + 1 rows at most. */
static enum db_status render_staff_page(const PGresult *res, long limit, char **json,
					char **next_cursor)
{
	int rows = PQntuples(res);
	int shown = rows > limit ? (int)limit : rows;
	*next_cursor = rows > limit ? staff_cursor_new(res, shown - 1) : NULL;
	struct render_buf b;
	render_init(&b, 512 + (size_t)shown * 480);
	render_append(&b, "{\"items\":[", 10);
	for (int r = 0; r < shown; r++) {
		if (r)
			render_append(&b, ",", 1);
		render_row(&b, res, r, 0, staff_render,
			   sizeof staff_render / sizeof staff_render[0]);
	}
	render_append(&b, "],\"next_cursor\":", 16);
	if (*next_cursor)
		render_string(&b, *next_cursor);
	else
		render_append(&b, "null", 4);
	render_append(&b, "}", 1);
	*json = render_take(&b);
	return *json && (rows <= limit || *next_cursor) ? DB_OK : DB_ERROR;
}

enum db_status store_organization_get(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, org_get, json, db_arg_id(org_id));
}

enum db_status store_organization_id(struct db *db, const char *code, int64_t *id)
{
	enum db_status st;
	*id = 0;
	PGresult *res = DB_EXEC(db, org_by_code, &st, db_arg_text(code));
	if (!res)
		return st;
	if (PQntuples(res) == 1)
		*id = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_unit_within(struct db *db, int64_t org_id, int64_t unit, int64_t within,
				 bool *yes)
{
	char *t = NULL;
	enum db_status st = DB_FETCH_TEXT(db, unit_within, &t, db_arg_id(org_id), db_arg_id(unit),
					  db_arg_id(within));
	*yes = st == DB_OK && t && t[0] == 't';
	free(t);
	return st;
}

enum db_status store_units_list(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, units_list, json, db_arg_id(org_id));
}

enum db_status store_unit_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, unit_get, json, db_arg_id(org_id), db_arg_id(id));
}

void store_unit_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, unit_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_from_row(w->db, res, st, r);
}

void store_unit_change(const struct writer *w, int64_t id, int version, const char *fields,
		       struct write_result *r)
{
	WRITE_RUN(w->db, unit_change, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields), db_arg_date(w->today));
}

void store_unit_close(const struct writer *w, int64_t id, int version, const char *fields,
		      struct write_result *r)
{
	WRITE_RUN(w->db, unit_close, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields));
}

enum db_status store_unit_history(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, unit_history, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_unit_codes(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, unit_codes, json, db_arg_id(org_id));
}

/* Everything a page depends on besides the data; strings length-prefixed
 * so no value can pass for another.  False when it does not fit. */
static bool staff_page_key(const struct row_scope *s, const struct staff_filter *f, char *key,
			   size_t len)
{
	int n = snprintf(key, len, "%lld/%d/%lld/%lld/%d%zu:%s/%lld/%zu:%s/%zu:%s/%zu:%s/%lld/%ld",
			 (long long)s->org_id, (int)s->scope, (long long)s->unit_id,
			 (long long)s->staff_id, f->q != NULL, f->q ? strlen(f->q) : 0,
			 f->q ? f->q : "", (long long)f->unit_id, f->status ? strlen(f->status) : 0,
			 f->status ? f->status : "", strlen(f->after_given), f->after_given,
			 strlen(f->after_full), f->after_full, (long long)f->after_id, f->limit);
	return n > 0 && (size_t)n < len;
}

/* The cursor and the limit, $1..$5 of every staff list. */
#define STAFF_PAGE_ARGS(s, f)                                                                \
	db_arg_id((s)->org_id), db_arg_text((f)->after_given), db_arg_text((f)->after_full), \
		db_arg_id((f)->after_id), db_arg_int((f)->limit)

static enum db_status staff_list_query(struct db *db, const struct row_scope *s,
				       const struct staff_filter *f, char **json,
				       char **next_cursor)
{
	bool filtered = f->q || f->unit_id || f->status || s->scope == SCOPE_SELF;
	enum db_status st;
	PGresult *res;
	if (f->q && !f->unit_id)
		res = DB_EXEC(db, staff_search, &st, STAFF_PAGE_ARGS(s, f),
			      db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id),
			      db_arg_id(s->staff_id), db_arg_text(f->q), db_arg_text(f->status));
	else if (filtered)
		res = DB_EXEC(db, staff_list_filtered, &st, STAFF_PAGE_ARGS(s, f),
			      db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id),
			      db_arg_id(s->staff_id), db_arg_text(f->q), db_arg_id(f->unit_id),
			      db_arg_text(f->status));
	else if (s->scope == SCOPE_ORG)
		res = DB_EXEC(db, staff_list_org, &st, STAFF_PAGE_ARGS(s, f));
	else
		res = DB_EXEC(db, staff_list_unit, &st, STAFF_PAGE_ARGS(s, f),
			      db_arg_id(s->unit_id));
	if (!res)
		return st;
	st = render_staff_page(res, f->limit, json, next_cursor);
	PQclear(res);
	return st;
}

/*
 * A page costs a range scan and 50 rows through libpq; the revision costs
 * one primary-key read.  So the revision is read first, and the page comes
 * from the cache when it was rendered at that revision (see page_cache.h
 * for why reading it first is safe).
 */
enum db_status store_staff_list(struct db *db, struct page_cache *staff_pages,
				const struct row_scope *s, const struct staff_filter *f,
				char **json, char **next_cursor)
{
	*json = *next_cursor = NULL;
	char key[1024];
	int64_t rev = 0;
	bool keyed = staff_pages && staff_page_key(s, f, key, sizeof key);
	if (keyed) {
		enum db_status st;
		PGresult *res = DB_EXEC(db, staff_rev, &st, db_arg_id(s->org_id));
		if (!res)
			return st;
		rev = db_get_int(res, 0, 0);
		PQclear(res);
	}
	if (keyed && page_cache_get(staff_pages, key, rev, json, next_cursor))
		return DB_OK;
	enum db_status st = staff_list_query(db, s, f, json, next_cursor);
	if (st == DB_OK && keyed)
		page_cache_put(staff_pages, key, rev, *json, *next_cursor);
	return st;
}

enum db_status store_staff_get(struct db *db, const struct row_scope *s, int64_t id, char **json,
			       int *version)
{
	*json = NULL;
	*version = 0;
	enum db_status st;
	PGresult *res =
		s->scope == SCOPE_ORG
			? DB_EXEC(db, staff_get_org, &st, db_arg_id(s->org_id), db_arg_id(id))
			: DB_EXEC(db, staff_get, &st, db_arg_id(s->org_id),
				  db_arg_text(access_scope_name(s->scope)), db_arg_id(s->unit_id),
				  db_arg_id(s->staff_id), db_arg_id(id));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		struct render_buf b;
		render_init(&b, 600);
		render_row(&b, res, 0, 0, staff_render,
			   sizeof staff_render / sizeof staff_render[0]);
		*json = render_take(&b);
		*version = (int)db_get_int(res, 0, STAFF_COL_VERSION);
		st = *json ? DB_OK : DB_ERROR;
	}
	PQclear(res);
	return st;
}

void store_staff_create(const struct writer *w, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, staff_create, &st, WRITER_ARGS(w), db_arg_text(fields));
	write_from_row(w->db, res, st, r);
}

void store_staff_patch(const struct writer *w, const struct row_scope *s, int64_t id,
		       int if_version, const char *fields, struct write_result *r)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, staff_patch, &st, WRITER_ARGS(w), db_arg_id(id), db_arg_text(fields),
			db_arg_int(if_version), db_arg_text(access_scope_name(s->scope)),
			db_arg_id(s->unit_id), db_arg_id(s->staff_id));
	write_from_row(w->db, res, st, r);
}

void store_staff_import(const struct writer *w, const char *rows, struct write_result *r)
{
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, staff_import, &st, WRITER_ARGS(w), db_arg_text(rows));
	write_from_row(w->db, res, st, r);
}
