/*
 * plans.c — SQL for plans, progress and registrations (see plans.h).
 *
 * The SQL functions called here live in 0003_plans.sql; this file only
 * binds parameters.  Parameters $1..$4 of every write are the actor:
 * organisation, actor type, actor id, request id.
 */
#include "store/plans.h"

#include <stdlib.h>
#include <string.h>

#define ACTOR "$1::bigint, $2, $3, $4"
#define STEP_COLUMNS "SELECT s.outcome, s.detail, s.body, s.current FROM "

static struct db_stmt plans_list =
	DB_STMT("WITH page AS (SELECT p.* FROM plans p WHERE p.organization_id = $1::bigint"
		"  AND ($2::integer = 0 OR p.year = $2::integer) AND ($3 = '' OR p.status = $3)"
		"  AND ($4::bigint = 0 OR (p.year, p.id) < (SELECT a.year, a.id FROM plans a"
		"       WHERE a.organization_id = $1::bigint AND a.id = $4::bigint))"
		"  ORDER BY p.year DESC, p.id DESC LIMIT $5::integer + 1),"
		" shown AS (SELECT * FROM page ORDER BY year DESC, id DESC LIMIT $5::integer)"
		"SELECT json_build_object('items', coalesce((SELECT json_agg(plan_summary_json(s)"
		"  ORDER BY s.year DESC, s.id DESC) FROM shown s), '[]'),"
		" 'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $5::integer THEN"
		"  (SELECT s.id::text FROM shown s ORDER BY s.year, s.id LIMIT 1) END)::text",
		5);

static struct db_stmt plan_get =
	DB_STMT("SELECT plan_json(p)::text FROM plans p"
		" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
		2);

static struct db_stmt plan_history =
	DB_STMT("SELECT json_build_object('items', (SELECT json_agg(plan_summary_json(v) ORDER BY"
		" v.revision) FROM plans v WHERE v.organization_id = p.organization_id"
		" AND v.series_id = p.series_id))::text FROM plans p"
		" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
		2);

static struct db_stmt plan_create = DB_STMT(STEP_COLUMNS "plan_create(" ACTOR ", $5::jsonb) s", 5);
static struct db_stmt plan_update =
	DB_STMT(STEP_COLUMNS "plan_update(" ACTOR ", $5::bigint, $6::integer, $7::jsonb) s", 7);
static struct db_stmt plan_step = DB_STMT(
	STEP_COLUMNS "plan_step(" ACTOR ", $5::bigint, $6::integer, $7, $8::jsonb, $9::date) s", 9);
static struct db_stmt plan_amend = DB_STMT(STEP_COLUMNS "plan_amend(" ACTOR ", $5::bigint) s", 5);

/* One row per target, the plan's columns repeated; a plan without targets
 * still answers one row. */
static struct db_stmt plan_progress = DB_STMT(
	"SELECT p.id, p.series_id, p.year, p.period_start, p.period_end,"
	" least($3::date, p.period_end), x.id, x.code, x.position, x.title, x.kind,"
	" x.params->>'condition', x.comparison, x.threshold, x.rounding, x.numerator,"
	" x.denominator, x.projected_numerator, x.projected_denominator, x.value_centi"
	" FROM plans p LEFT JOIN LATERAL (SELECT t.*, c.* FROM plan_targets t"
	"  CROSS JOIN LATERAL plan_target_counts(t, p, least($3::date, p.period_end),"
	"  $4::bigint) c WHERE t.organization_id = p.organization_id AND t.plan_id = p.id) x"
	"  ON true"
	" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint ORDER BY x.position",
	4);

static struct db_stmt registrations_list =
	DB_STMT("SELECT json_build_object('items', coalesce((SELECT json_agg(registration_json(g,"
		" $4::bigint) ORDER BY u.path) FROM registrations g JOIN units u"
		"  ON u.organization_id = g.organization_id AND u.id = g.unit_id"
		"  WHERE g.organization_id = $1::bigint AND g.plan_id = p.id"
		"  AND registration_visible(g, $3::bigint, $4::bigint)), '[]'))::text"
		" FROM plans p WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
		4);

static struct db_stmt registration_get =
	DB_STMT("SELECT registration_json(g, $4::bigint)::text, g.version FROM registrations g"
		" WHERE g.organization_id = $1::bigint AND g.id = $2::bigint"
		" AND registration_visible(g, $3::bigint, $4::bigint)",
		4);

static struct db_stmt registration_create =
	DB_STMT(STEP_COLUMNS "registration_create(" ACTOR
			     ", $5::bigint, $6::bigint, $7::jsonb, $8::date) s",
		8);
static struct db_stmt registration_update =
	DB_STMT(STEP_COLUMNS "registration_update(" ACTOR
			     ", $5::bigint, $6::integer, $7::bigint, $8::jsonb, $9::date) s",
		9);
static struct db_stmt registration_entry = DB_STMT(
	STEP_COLUMNS "registration_entry(" ACTOR
		     ", $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::jsonb, $10::date) s",
	10);
static struct db_stmt registration_step =
	DB_STMT(STEP_COLUMNS "registration_step(" ACTOR
			     ", $5::bigint, $6::integer, $7::bigint, $8, $9, $10::date) s",
		10);
static struct db_stmt registration_reopen = DB_STMT(
	STEP_COLUMNS "registration_reopen(" ACTOR ", $5::bigint, $6::jsonb, $7::date) s", 7);

static struct db_stmt registration_roster =
	DB_STMT("SELECT registration_roster($1::bigint, $2::bigint, $3::bigint)::text", 3);

static struct db_stmt progress_rev =
	DB_STMT("SELECT coalesce((SELECT rev FROM data_revisions WHERE organization_id = $1::bigint"
		" AND topic = 'progress'), 0)",
		1);

enum db_status store_plans_list(struct db *db, int64_t org, const struct plan_filter *f,
				char **json)
{
	char o[DB_ID_LEN], y[DB_ID_LEN], after[DB_ID_LEN], lim[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(y, f->year), f->status ? f->status : "",
			       db_id(after, f->after_id), db_id(lim, f->limit) };
	return db_query_text(db, &plans_list, args, json);
}

enum db_status store_plan_get(struct db *db, int64_t org, int64_t id, char **json)
{
	char o[DB_ID_LEN], i[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id) };
	return db_query_text(db, &plan_get, args, json);
}

enum db_status store_plan_history(struct db *db, int64_t org, int64_t id, char **json)
{
	char o[DB_ID_LEN], i[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id) };
	return db_query_text(db, &plan_history, args, json);
}

enum db_status store_plan_create(struct db *db, const struct actor *a, const char *fields,
				 struct step_outcome *o)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, fields };
	return store_step(db, &plan_create, args, o);
}

enum db_status store_plan_update(struct db *db, const struct actor *a, int64_t id, int version,
				 const char *fields, struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,		 a->id, a->request_id,
			       db_id(i, id),	      db_id(v, version), fields };
	return store_step(db, &plan_update, args, o);
}

enum db_status store_plan_step(struct db *db, const struct actor *a, int64_t id, int version,
			       const char *step, const char *fields, const char *today,
			       struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id,  a->request_id, db_id(i, id),
			       db_id(v, version),     step,    fields, today };
	return store_step(db, &plan_step, args, o);
}

enum db_status store_plan_amend(struct db *db, const struct actor *a, int64_t id,
				struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, db_id(i, id) };
	return store_step(db, &plan_amend, args, o);
}

enum db_status store_plan_progress(struct db *db, int64_t org, int64_t id, const char *as_of,
				   int64_t unit, PGresult **res)
{
	char o[DB_ID_LEN], i[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id), as_of, db_id(u, unit) };
	enum db_status st;
	*res = db_query(db, &plan_progress, args, &st);
	if (*res && (PQntuples(*res) == 0 || PQnfields(*res) != PC_COUNT)) {
		bool shape_ok = PQnfields(*res) == PC_COUNT;
		PQclear(*res);
		*res = NULL;
		return shape_ok ? DB_OK : DB_ERROR;
	}
	return st;
}

enum db_status store_progress_revision(struct db *db, int64_t org, int64_t *rev)
{
	char o[DB_ID_LEN];
	const char *args[] = { db_id(o, org) };
	char *text = NULL;
	enum db_status st = db_query_text(db, &progress_rev, args, &text);
	*rev = text ? strtoll(text, NULL, 10) : 0;
	free(text);
	return st;
}

enum db_status store_registrations_list(struct db *db, int64_t org, int64_t plan,
					const struct reg_scope *s, char **json)
{
	char o[DB_ID_LEN], p[DB_ID_LEN], u[DB_ID_LEN], st[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(p, plan), db_id(u, s->unit),
			       db_id(st, s->staff) };
	return db_query_text(db, &registrations_list, args, json);
}

enum db_status store_registration_get(struct db *db, int64_t org, int64_t id,
				      const struct reg_scope *s, char **json, int *version)
{
	char o[DB_ID_LEN], i[DB_ID_LEN], u[DB_ID_LEN], st[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id), db_id(u, s->unit),
			       db_id(st, s->staff) };
	char *ver = NULL;
	enum db_status r = db_query_text2(db, &registration_get, args, json, &ver);
	*version = ver ? atoi(ver) : 0;
	free(ver);
	return r;
}

enum db_status store_registration_create(struct db *db, const struct actor *a, int64_t plan,
					 const struct reg_scope *s, const char *fields,
					 const char *today, struct step_outcome *o)
{
	char org[DB_ID_LEN], p[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,		 a->id,	 a->request_id,
			       db_id(p, plan),	      db_id(u, s->unit), fields, today };
	return store_step(db, &registration_create, args, o);
}

enum db_status store_registration_update(struct db *db, const struct actor *a, int64_t id,
					 int version, const struct reg_scope *s, const char *fields,
					 const char *today, struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,	    a->id,
			       a->request_id,	      db_id(i, id), db_id(v, version),
			       db_id(u, s->unit),     fields,	    today };
	return store_step(db, &registration_update, args, o);
}

enum db_status store_registration_entry(struct db *db, const struct actor *a, int64_t id,
					int64_t staff_id, const struct reg_scope *s,
					const char *fields, const char *today,
					struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], sid[DB_ID_LEN], u[DB_ID_LEN], st[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),
			       a->type,
			       a->id,
			       a->request_id,
			       db_id(i, id),
			       db_id(sid, staff_id),
			       db_id(u, s->unit),
			       db_id(st, s->staff),
			       fields,
			       today };
	return store_step(db, &registration_entry, args, o);
}

enum db_status store_registration_step(struct db *db, const struct actor *a, int64_t id,
				       int version, const struct reg_scope *s, const char *step,
				       const char *reason, const char *today,
				       struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = {
		db_id(org, a->org_id), a->type,		  a->id, a->request_id, db_id(i, id),
		db_id(v, version),     db_id(u, s->unit), step,	 reason,	today
	};
	return store_step(db, &registration_step, args, o);
}

enum db_status store_registration_reopen(struct db *db, const struct actor *a, int64_t plan,
					 const char *fields, const char *today,
					 struct step_outcome *o)
{
	char org[DB_ID_LEN], p[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id,
			       db_id(p, plan),	      fields,  today };
	return store_step(db, &registration_reopen, args, o);
}

enum db_status store_registration_roster(struct db *db, int64_t org, int64_t plan, int64_t unit,
					 char **json)
{
	char o[DB_ID_LEN], p[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(p, plan), db_id(u, unit) };
	return db_query_text(db, &registration_roster, args, json);
}
