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

#define VI "COLLATE \"vi-VN-x-icu\""

/* $1 org, $2 scope name, $3 unit, $4 staff: the caller's confinement. */
#define STAFF_VISIBLE "staff_visible(s, $1::bigint, $2, $3::bigint, $4::bigint)"

static struct db_stmt org_get = DB_STMT(
	"SELECT json_build_object('id', id, 'code', code, 'name', name, 'short_name', short_name,"
	" 'version', version)::text FROM organizations WHERE id = $1::bigint",
	1);

static struct db_stmt org_by_code = DB_STMT("SELECT id FROM organizations WHERE code = $1", 1);

static struct db_stmt units_list = DB_STMT(
	"SELECT json_build_object('items', coalesce(json_agg(unit_json(u) ORDER BY u.path), "
	"'[]'::json))::text FROM units u WHERE u.organization_id = $1::bigint",
	1);

static struct db_stmt unit_get =
	DB_STMT("SELECT unit_json(u)::text FROM units u WHERE u.organization_id = $1::bigint "
		"AND u.id = $2::bigint",
		2);

static struct db_stmt unit_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO units (organization_id, parent_id, code, name, kind)"
	"  SELECT $1::bigint, (f->>'parent_id')::bigint, f->>'code',"
	"   normalize(btrim(f->>'name'), NFC), f->>'kind' FROM f"
	"  RETURNING id, unit_json(units) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'unit.create', 'unit', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text FROM ins, aud",
	5);

static struct db_stmt unit_codes =
	DB_STMT("SELECT coalesce(json_object_agg(code, id), '{}'::json)::text FROM units "
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
#define STAFF_AFTER_CURSOR                                                               \
	" AND (s.given_name " VI ", s.full_name " VI ", s.id) > ($2 " VI ", $3 " VI ", " \
	"$4::bigint)"
#define STAFF_ORDER " ORDER BY s.given_name " VI ", s.full_name " VI ", s.id LIMIT $5::integer + 1"
#define STAFF_COLUMNS                                                                         \
	"s.id, s.unit_id, s.full_name, s.given_name, s.gender, s.date_of_birth, s.position,"  \
	" s.employment_type, s.start_date, s.status, s.leave_from, s.leave_until, s.left_on," \
	" s.version, s.created_at, s.updated_at"

static struct db_stmt staff_list_org =
	DB_STMT("SELECT " STAFF_COLUMNS " FROM staff s"
		" WHERE s.organization_id = $1::bigint" STAFF_AFTER_CURSOR STAFF_ORDER,
		5);

static struct db_stmt staff_list_unit =
	DB_STMT("SELECT " STAFF_COLUMNS " FROM staff s"
		" WHERE s.organization_id = $1::bigint" STAFF_AFTER_CURSOR
		"  AND s.unit_id IN (SELECT u.id FROM units u WHERE u.organization_id = $1::bigint"
		"   AND $6::bigint = ANY (u.path))" STAFF_ORDER,
		6);

/* $6 scope, $7 scope unit, $8 scope staff, $9 q, $10 unit filter, $11
 * status.  Replanned at every call: the trigram index suits a selective
 * text, a range scan of the name index a common one. */
static struct db_stmt staff_list_filtered = DB_STMT_REPLAN(
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

/* The members of staff_json() (0002_identity.sql), in its order. */
static const struct render_column staff_render[] = {
	{ "id", RENDER_NUMBER },	  { "unit_id", RENDER_NUMBER },
	{ "full_name", RENDER_STRING },	  { "given_name", RENDER_STRING },
	{ "gender", RENDER_STRING },	  { "date_of_birth", RENDER_STRING },
	{ "position", RENDER_STRING },	  { "employment_type", RENDER_STRING },
	{ "start_date", RENDER_STRING },  { "status", RENDER_STRING },
	{ "leave_from", RENDER_STRING },  { "leave_until", RENDER_STRING },
	{ "left_on", RENDER_STRING },	  { "version", RENDER_NUMBER },
	{ "created_at", RENDER_INSTANT }, { "updated_at", RENDER_INSTANT },
};

/* The opaque cursor after row: base64url of [given_name, full_name, id]. */
static char *staff_cursor_new(const PGresult *res, int row)
{
	json_t *key = json_pack("[s, s, I]", PQgetvalue(res, row, 3), PQgetvalue(res, row, 2),
				(json_int_t)strtoll(PQgetvalue(res, row, 0), NULL, 10));
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

/* The visibility rule of staff_visible() written out, so the planner can
 * inline it: a called SQL function costs more than the whole lookup. */
#define STAFF_IN_SCOPE                                                                             \
	" s.organization_id = $1::bigint AND ($2 = 'organization'"                                 \
	"  OR ($2 = 'unit' AND EXISTS (SELECT 1 FROM units u WHERE u.organization_id = $1::bigint" \
	"      AND u.id = s.unit_id AND $3::bigint = ANY (u.path)))"                               \
	"  OR ($2 = 'self' AND s.id = $4::bigint))"

static struct db_stmt staff_get = DB_STMT(
	"SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = $5::bigint AND" STAFF_IN_SCOPE, 5);

/* The organisation-wide case on its own: no scope condition to evaluate. */
static struct db_stmt staff_get_org =
	DB_STMT("SELECT " STAFF_COLUMNS " FROM staff s WHERE s.id = $2::bigint"
		" AND s.organization_id = $1::bigint",
		2);

/* Columns a staff document sets, read from the validated JSON in $5. */
#define STAFF_FIELDS_FROM_F                                                                   \
	"(f->>'unit_id')::bigint, normalize(btrim(f->>'full_name'), NFC), f->>'gender',"      \
	" (f->>'date_of_birth')::date, normalize(coalesce(f->>'position', ''), NFC),"         \
	" f->>'employment_type', (f->>'start_date')::date, coalesce(f->>'status', 'active')," \
	" (f->>'leave_from')::date, (f->>'leave_until')::date, (f->>'left_on')::date"

static struct db_stmt staff_create = DB_STMT(
	"WITH f AS (SELECT $5::jsonb AS f),"
	" ins AS (INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth,"
	"  position, employment_type, start_date, status, leave_from, leave_until, left_on)"
	"  SELECT $1::bigint, " STAFF_FIELDS_FROM_F " FROM f"
	"  RETURNING id, staff_json(staff) AS j),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.create', 'staff', ins.id::text,"
	"  NULL, ins.j::jsonb, $4) FROM ins)"
	"SELECT ins.j::text FROM ins, aud",
	5);

/* A field keeps its value unless the patch names it (null clears it). */
#define PATCH(col, expr) col " = CASE WHEN p ? '" col "' THEN " expr " ELSE s." col " END"

static struct db_stmt
	staff_patch =
		DB_STMT("WITH p AS (SELECT $6::jsonb AS p),"
			" old AS (SELECT s.id, s.version, staff_json(s) AS j FROM staff s"
			"  WHERE s.id = $5::bigint AND s.organization_id = $1::bigint FOR UPDATE),"
			" upd AS (UPDATE staff s SET " PATCH("unit_id", "(p->>'unit_id')::bigint") ", " PATCH("full_name", "normalize(btrim(p->>'full_name'), NFC)") ", " PATCH("gender", "p->>'gender'") ", " PATCH("date_of_birth",
																										     "(p->>'date_of_birth')::date") ", " PATCH("position", "normalize(coalesce(p->>'position', ''), NFC)") ", " PATCH("employment_type", "p->>'employment_type'") ", " PATCH("start_date", "(p->>'start_date')::date") ", " PATCH("status", "p->>'status'") ", " PATCH("leave_from", "(p->>'leave_from')::date") ", " PATCH("leave_until", "(p->>'leave_until')::date") ", " PATCH("left_on",
																																																																								   "(p->>'left_on')::date") ","
																																																																											    "  version = s.version + 1, updated_at = now()"
																																																																											    "  FROM p, old WHERE s.id = old.id AND old.version = $7::integer"
																																																																											    "  RETURNING s.id, staff_json(s) AS j),"
																																																																											    " aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.update', 'staff', upd.id::text,"
																																																																											    "  old.j::jsonb, upd.j::jsonb, $4) FROM upd, old)"
																																																																											    "SELECT (SELECT upd.j::text FROM upd, aud), (SELECT version FROM old)",
			7);

/* Checks the caller's scope before a patch (the write itself is org-wide). */
static struct db_stmt staff_visible_stmt =
	DB_STMT("SELECT 1 FROM staff s WHERE s.id = $5::bigint AND " STAFF_VISIBLE, 5);

static struct db_stmt staff_import = DB_STMT(
	"WITH rows AS (SELECT f FROM jsonb_array_elements($5::jsonb) AS f),"
	" ins AS (INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth,"
	"  position, employment_type, start_date, status, leave_from, leave_until, left_on)"
	"  SELECT $1::bigint, " STAFF_FIELDS_FROM_F " FROM rows"
	"  RETURNING id),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'staff.import', 'staff', NULL, NULL,"
	"  jsonb_build_object('count', (SELECT count(*) FROM ins), 'ids',"
	"   (SELECT jsonb_agg(id ORDER BY id) FROM ins)), $4))"
	"SELECT (SELECT count(*) FROM ins) FROM aud",
	5);

static const char *scope_name(enum access_scope s)
{
	return access_scope_name(s);
}

enum db_status store_organization_get(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &org_get, args, json);
}

enum db_status store_organization_id(struct db *db, const char *code, int64_t *id)
{
	const char *args[] = { code };
	char *text = NULL;
	enum db_status st = db_query_text(db, &org_by_code, args, &text);
	*id = text ? strtoll(text, NULL, 10) : 0;
	free(text);
	return st;
}

enum db_status store_units_list(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &units_list, args, json);
}

enum db_status store_unit_get(struct db *db, int64_t org_id, int64_t id, char **json)
{
	char org[DB_ID_LEN], uid[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id), db_id(uid, id) };
	return db_query_text(db, &unit_get, args, json);
}

enum db_status store_unit_create(struct db *db, const struct actor *a, const char *fields,
				 char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, fields };
	return db_query_text(db, &unit_create, args, json);
}

enum db_status store_unit_codes(struct db *db, int64_t org_id, char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, org_id) };
	return db_query_text(db, &unit_codes, args, json);
}

/* The organisation's staff revision (0004_revisions.sql). */
static struct db_stmt staff_rev =
	DB_STMT("SELECT coalesce((SELECT rev FROM data_revisions WHERE organization_id = $1::bigint"
		" AND topic = 'staff'), 0)",
		1);

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

static enum db_status staff_list_query(struct db *db, const struct row_scope *s,
				       const struct staff_filter *f, char **json,
				       char **next_cursor)
{
	char org[DB_ID_LEN], after[DB_ID_LEN], limit[DB_ID_LEN], unit[DB_ID_LEN], staff[DB_ID_LEN],
		funit[DB_ID_LEN];
	bool filtered = f->q || f->unit_id || f->status || s->scope == SCOPE_SELF;
	const char *args[] = { db_id(org, s->org_id),
			       f->after_given,
			       f->after_full,
			       db_id(after, f->after_id),
			       db_id(limit, f->limit),
			       s->scope == SCOPE_UNIT && !filtered ? db_id(unit, s->unit_id)
								   : scope_name(s->scope),
			       db_id(unit, s->unit_id),
			       db_id(staff, s->staff_id),
			       f->q,
			       db_id(funit, f->unit_id),
			       f->status };
	struct db_stmt *stmt = filtered		       ? &staff_list_filtered
			       : s->scope == SCOPE_ORG ? &staff_list_org
						       : &staff_list_unit;
	enum db_status st;
	PGresult *res = db_query(db, stmt, args, &st);
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
				const struct row_scope *s, const struct staff_filter *f, char **json,
				char **next_cursor)
{
	*json = *next_cursor = NULL;
	char key[1024], org[DB_ID_LEN];
	const char *rev_args[] = { db_id(org, s->org_id) };
	char *rev_text = NULL;
	bool keyed = staff_pages && staff_page_key(s, f, key, sizeof key);
	if (keyed) {
		enum db_status st = db_query_text(db, &staff_rev, rev_args, &rev_text);
		if (st != DB_OK)
			return st;
	}
	int64_t rev = rev_text ? strtoll(rev_text, NULL, 10) : 0;
	free(rev_text);
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
	char org[DB_ID_LEN], unit[DB_ID_LEN], staff[DB_ID_LEN], sid[DB_ID_LEN];
	const char *args[] = { db_id(org, s->org_id), scope_name(s->scope), db_id(unit, s->unit_id),
			       db_id(staff, s->staff_id), db_id(sid, id) };
	const char *org_args[] = { org, sid };
	enum db_status st;
	PGresult *res = s->scope == SCOPE_ORG ? db_query(db, &staff_get_org, org_args, &st)
					      : db_query(db, &staff_get, args, &st);
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		struct render_buf b;
		render_init(&b, 600);
		render_row(&b, res, 0, 0, staff_render,
			   sizeof staff_render / sizeof staff_render[0]);
		*json = render_take(&b);
		*version = atoi(PQgetvalue(res, 0, 13));
		st = *json ? DB_OK : DB_ERROR;
	}
	PQclear(res);
	return st;
}

enum db_status store_staff_create(struct db *db, const struct actor *a, const char *fields,
				  char **json)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, fields };
	return db_query_text(db, &staff_create, args, json);
}

enum db_status store_staff_patch(struct db *db, const struct actor *a, const struct row_scope *s,
				 int64_t id, int if_version, const char *fields, char **json,
				 int *current_version)
{
	*json = NULL;
	*current_version = 0;
	char org[DB_ID_LEN], unit[DB_ID_LEN], staff[DB_ID_LEN], sid[DB_ID_LEN], ver[DB_ID_LEN];
	const char *vargs[] = { db_id(org, s->org_id), scope_name(s->scope),
				db_id(unit, s->unit_id), db_id(staff, s->staff_id),
				db_id(sid, id) };
	char *visible = NULL;
	enum db_status st = db_query_text(db, &staff_visible_stmt, vargs, &visible);
	if (st != DB_OK || !visible)
		return st;
	free(visible);
	const char *args[] = {
		org, a->type, a->id, a->request_id, sid, fields, db_id(ver, if_version)
	};
	PGresult *res = db_query(db, &staff_patch, args, &st);
	if (!res)
		return st;
	if (!PQgetisnull(res, 0, 0))
		*json = strdup(PQgetvalue(res, 0, 0));
	if (!PQgetisnull(res, 0, 1))
		*current_version = atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return DB_OK;
}

enum db_status store_staff_import(struct db *db, const struct actor *a, const char *rows,
				  long *inserted)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, rows };
	char *n = NULL;
	enum db_status st = db_query_text(db, &staff_import, args, &n);
	*inserted = n ? atol(n) : 0;
	free(n);
	return st;
}
