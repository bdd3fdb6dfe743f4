/*
 * plans.c — SQL for plans, progress and registrations (see plans.h).
 *
 * The procedures called here live in db/procedures/ (plan_workflow.sql,
 * registration_workflow.sql, target_progress.sql); this file only binds
 * arguments.  Arguments $1..$4 of every write are the writer's actor
 * (WRITER_ARGS).
 */
#include "store/plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
#define WRITE_OF(call) "SELECT r.* FROM " call " r"
#define ACTOR "$1::bigint, $2, $3, $4"

DB_STATEMENT(plans_list,
	"WITH page AS (SELECT p.* FROM plans p WHERE p.organization_id = $1::bigint"
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

DB_STATEMENT(plan_get,
	"SELECT plan_json(p)::text FROM plans p"
	" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	2);

DB_STATEMENT(plan_history,
	"SELECT json_build_object('items', (SELECT json_agg(plan_summary_json(v) ORDER BY"
	" v.revision) FROM plans v WHERE v.organization_id = p.organization_id"
	" AND v.series_id = p.series_id))::text FROM plans p"
	" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	2);

DB_STATEMENT(plan_create, WRITE_OF("plan_create(" ACTOR ", $5::jsonb)"), 5);
DB_STATEMENT(plan_update,
	WRITE_OF("plan_update(" ACTOR ", $5::bigint, $6::integer, $7::jsonb)"), 7);
DB_STATEMENT(plan_step,
	WRITE_OF("plan_step(" ACTOR ", $5::bigint, $6::integer, $7, $8::jsonb, $9::date)"), 9);
DB_STATEMENT(plan_amend, WRITE_OF("plan_amend(" ACTOR ", $5::bigint)"), 5);

/* The recording bound of plan_progress_counts (rec): before the instant
 * $n (seconds since the epoch), or everything when $n is NULL. */
#define RECORDED_BEFORE(n) "coalesce(to_timestamp($" #n "::bigint), 'infinity'::timestamptz)"

/* $3 the unit whose counts are asked (0: the organisation): its frozen
 * rows are the ones plan_progress_counts reads, so frozen_at is theirs (a
 * unit created after the close has none, and is counted live); frozen
 * before the recording bound only.  The last column: whether the plan
 * itself was recorded by then. */
DB_STATEMENT(plan_period,
	"SELECT p.id, p.series_id, p.year, p.period_start, p.period_end,"
	" (SELECT to_char(min(x.frozen_at) AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') FROM plan_results x"
	"  WHERE x.plan_id = p.id AND x.unit_id = $3::bigint AND p.status = 'closed'"
	"  AND x.frozen_at < " RECORDED_BEFORE(4) "),"
	" p.created_at < " RECORDED_BEFORE(4)
	" FROM plans p WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	4);

/* One row per target, counted up to the reference day $3 (the domain's
 * progress_clock_of, never recomputed here), in the columns of enum
 * progress_col.  plan_progress_counts reads the kept counts of the targets
 * that count staff (progress_steps) and counts the others from the facts
 * (db/procedures/target_progress.sql). */
DB_STATEMENT(plan_progress,
	"SELECT t.id, t.position, t.code, t.title, t.kind, t.params->>'condition',"
	" t.comparison, (t.threshold * 100)::bigint, t.rounding, c.numerator, c.denominator,"
	" c.projected_numerator, c.projected_denominator, c.value_centi"
	" FROM plan_progress_counts($1::bigint, $2::bigint, $3::date, $4::bigint,"
	"  " RECORDED_BEFORE(5) ") c"
	" JOIN plan_targets t ON t.organization_id = $1::bigint AND t.id = c.target_id"
	" ORDER BY t.position",
	5);

DB_STATEMENT(registrations_list,
	"SELECT json_build_object('items', coalesce((SELECT json_agg(registration_json(g,"
	" $4::bigint) ORDER BY u.path) FROM registrations g JOIN units u"
	"  ON u.organization_id = g.organization_id AND u.id = g.unit_id"
	"  WHERE g.organization_id = $1::bigint AND g.plan_id = p.id"
	"  AND registration_visible(g, $3::bigint, $4::bigint)), '[]'))::text"
	" FROM plans p WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	4);

DB_STATEMENT(registration_get,
	"SELECT registration_json(g, $4::bigint)::text, g.version FROM registrations g"
	" WHERE g.organization_id = $1::bigint AND g.id = $2::bigint"
	" AND registration_visible(g, $3::bigint, $4::bigint)",
	4);

DB_STATEMENT(registration_create,
	WRITE_OF("registration_create(" ACTOR ", $5::bigint, $6::bigint, $7::jsonb, $8::date)"),
	8);
DB_STATEMENT(registration_update,
	WRITE_OF("registration_update(" ACTOR
		 ", $5::bigint, $6::integer, $7::bigint, $8::jsonb, $9::date)"),
	9);
DB_STATEMENT(registration_entry,
	WRITE_OF("registration_entry(" ACTOR
		 ", $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::jsonb, $10::date)"),
	10);
DB_STATEMENT(registration_step,
	WRITE_OF("registration_step(" ACTOR
		 ", $5::bigint, $6::integer, $7::bigint, $8, $9, $10::date)"),
	10);
DB_STATEMENT(registration_reopen,
	WRITE_OF("registration_reopen(" ACTOR ", $5::bigint, $6::jsonb, $7::date)"), 7);

DB_STATEMENT(registration_roster,
	"SELECT registration_roster($1::bigint, $2::bigint, $3::bigint)::text", 3);

DB_STATEMENT(progress_rev,
	"SELECT coalesce((SELECT rev FROM data_revisions WHERE organization_id = $1::bigint"
	" AND topic = 'progress'), 0)",
	1);
/* clang-format on */

enum db_status store_plans_list(struct db *db, int64_t org, const struct plan_filter *f,
				char **json)
{
	return DB_FETCH_TEXT(db, plans_list, json, db_arg_id(org), db_arg_int(f->year),
			     db_arg_text(f->status ? f->status : ""), db_arg_id(f->after_id),
			     db_arg_int(f->limit));
}

enum db_status store_plan_get(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, plan_get, json, db_arg_id(org), db_arg_id(id));
}

enum db_status store_plan_history(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, plan_history, json, db_arg_id(org), db_arg_id(id));
}

void store_plan_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, plan_create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_plan_update(const struct writer *w, int64_t id, int version, const char *fields,
		       struct write_result *r)
{
	WRITE_RUN(w->db, plan_update, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(fields));
}

void store_plan_step(const struct writer *w, int64_t id, int version, const char *step,
		     const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, plan_step, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_text(step), db_arg_text(fields), db_arg_date(w->today));
}

void store_plan_amend(const struct writer *w, int64_t id, struct write_result *r)
{
	WRITE_RUN(w->db, plan_amend, r, WRITER_ARGS(w), db_arg_id(id));
}

static struct civil_date date_of(const PGresult *res, int row, int col)
{
	struct civil_date d = { 1970, 1, 1 };
	civil_date_parse(PQgetvalue(res, row, col), &d);
	return d;
}

/* A recording bound as the statements take it: the instant, or NULL. */
static struct db_arg recorded_before_arg(const int64_t *recorded_before)
{
	return recorded_before ? db_arg_int(*recorded_before) : db_arg_null();
}

enum db_status store_plan_period(struct db *db, int64_t org, int64_t id, int64_t unit,
				 const int64_t *recorded_before, struct plan_period *p, bool *found)
{
	enum db_status st;
	*found = false;
	PGresult *res = DB_EXEC(db, plan_period, &st, db_arg_id(org), db_arg_id(id),
				db_arg_id(unit), recorded_before_arg(recorded_before));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		*found = true;
		p->plan_id = db_get_int(res, 0, 0);
		p->series_id = db_get_int(res, 0, 1);
		p->year = (int)db_get_int(res, 0, 2);
		p->start = date_of(res, 0, 3);
		p->end = date_of(res, 0, 4);
		snprintf(p->frozen_at, sizeof p->frozen_at, "%s", PQgetvalue(res, 0, 5));
		p->recorded = db_get_bool(res, 0, 6);
	}
	PQclear(res);
	return DB_OK;
}

/* The columns of plan_progress. */
enum progress_col {
	PC_ID,
	PC_POSITION,
	PC_CODE,
	PC_TITLE,
	PC_KIND,
	PC_CONDITION,
	PC_COMPARISON,
	PC_THRESHOLD_CENTI,
	PC_ROUNDING,
	PC_NUMERATOR,
	PC_DENOMINATOR,
	PC_PROJECTED_NUMERATOR,
	PC_PROJECTED_DENOMINATOR,
	PC_VALUE_CENTI,
	PC_COUNT
};

/* One row into t; false when a code is not one the domain knows. */
static bool target_of(const PGresult *res, int row, struct target_progress *t)
{
	struct target_input *in = &t->in;
	memset(t, 0, sizeof *t);
	t->id = db_get_int(res, row, PC_ID);
	t->position = (int)db_get_int(res, row, PC_POSITION);
	snprintf(t->code, sizeof t->code, "%s", PQgetvalue(res, row, PC_CODE));
	t->title = db_get_text_new(res, row, PC_TITLE);
	bool known = target_kind_parse(PQgetvalue(res, row, PC_KIND), &in->kind) &&
		     target_cmp_parse(PQgetvalue(res, row, PC_COMPARISON), &in->cmp) &&
		     target_rounding_parse(PQgetvalue(res, row, PC_ROUNDING), &in->rounding);
	in->informed = in->kind == TARGET_STAFF_SHARE &&
		       strcmp(PQgetvalue(res, row, PC_CONDITION), "informed") == 0;
	in->threshold_centi = db_get_int(res, row, PC_THRESHOLD_CENTI);
	in->numerator = db_get_int(res, row, PC_NUMERATOR);
	in->denominator = db_get_int(res, row, PC_DENOMINATOR);
	in->projected_numerator = db_get_int(res, row, PC_PROJECTED_NUMERATOR);
	in->projected_denominator = db_get_int(res, row, PC_PROJECTED_DENOMINATOR);
	in->has_value = !PQgetisnull(res, row, PC_VALUE_CENTI);
	in->value_centi = db_get_int(res, row, PC_VALUE_CENTI);
	return known && t->title;
}

enum db_status store_plan_progress(struct db *db, int64_t org, int64_t id,
				   struct civil_date reference, int64_t unit,
				   const int64_t *recorded_before, struct plan_progress *out)
{
	enum db_status st;
	*out = (struct plan_progress){ 0 };
	PGresult *res = DB_EXEC(db, plan_progress, &st, db_arg_id(org), db_arg_id(id),
				db_arg_date(reference), db_arg_id(unit),
				recorded_before_arg(recorded_before));
	if (!res)
		return st;
	int rows = PQntuples(res);
	if (PQnfields(res) != PC_COUNT ||
	    (rows && !(out->targets = calloc((size_t)rows, sizeof *out->targets)))) {
		PQclear(res);
		return DB_ERROR;
	}
	for (int i = 0; i < rows; i++) {
		bool ok = target_of(res, i, &out->targets[out->n]);
		out->n++;
		if (!ok) {
			PQclear(res);
			plan_progress_clear(out);
			return DB_ERROR;
		}
	}
	PQclear(res);
	return DB_OK;
}

void plan_progress_clear(struct plan_progress *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->targets[i].title);
	free(p->targets);
	*p = (struct plan_progress){ 0 };
}

enum db_status store_progress_revision(struct db *db, int64_t org, int64_t *rev)
{
	enum db_status st;
	*rev = 0;
	PGresult *res = DB_EXEC(db, progress_rev, &st, db_arg_id(org));
	if (!res)
		return st;
	*rev = db_get_int(res, 0, 0);
	PQclear(res);
	return DB_OK;
}

enum db_status store_registrations_list(struct db *db, int64_t org, int64_t plan,
					const struct reg_scope *s, char **json)
{
	return DB_FETCH_TEXT(db, registrations_list, json, db_arg_id(org), db_arg_id(plan),
			     db_arg_id(s->unit), db_arg_id(s->staff));
}

enum db_status store_registration_get(struct db *db, int64_t org, int64_t id,
				      const struct reg_scope *s, char **json, int *version)
{
	enum db_status st;
	*json = NULL;
	*version = 0;
	PGresult *res = DB_EXEC(db, registration_get, &st, db_arg_id(org), db_arg_id(id),
				db_arg_id(s->unit), db_arg_id(s->staff));
	if (!res)
		return st;
	if (PQntuples(res) == 1) {
		*json = db_get_text_new(res, 0, 0);
		*version = (int)db_get_int(res, 0, 1);
	}
	PQclear(res);
	return DB_OK;
}

void store_registration_create(const struct writer *w, int64_t plan, const struct reg_scope *s,
			       const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, registration_create, r, WRITER_ARGS(w), db_arg_id(plan),
		  db_arg_id(s->unit), db_arg_text(fields), db_arg_date(w->today));
}

void store_registration_update(const struct writer *w, int64_t id, int version,
			       const struct reg_scope *s, const char *fields,
			       struct write_result *r)
{
	WRITE_RUN(w->db, registration_update, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_id(s->unit), db_arg_text(fields), db_arg_date(w->today));
}

void store_registration_entry(const struct writer *w, int64_t id, int64_t staff_id,
			      const struct reg_scope *s, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, registration_entry, r, WRITER_ARGS(w), db_arg_id(id), db_arg_id(staff_id),
		  db_arg_id(s->unit), db_arg_id(s->staff), db_arg_text(fields),
		  db_arg_date(w->today));
}

void store_registration_step(const struct writer *w, int64_t id, int version,
			     const struct reg_scope *s, const char *step, const char *reason,
			     struct write_result *r)
{
	WRITE_RUN(w->db, registration_step, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_id(s->unit), db_arg_text(step), db_arg_text(reason),
		  db_arg_date(w->today));
}

void store_registration_reopen(const struct writer *w, int64_t plan, const char *fields,
			       struct write_result *r)
{
	WRITE_RUN(w->db, registration_reopen, r, WRITER_ARGS(w), db_arg_id(plan),
		  db_arg_text(fields), db_arg_date(w->today));
}

enum db_status store_registration_roster(struct db *db, int64_t org, int64_t plan, int64_t unit,
					 char **json)
{
	return DB_FETCH_TEXT(db, registration_roster, json, db_arg_id(org), db_arg_id(plan),
			     db_arg_id(unit));
}
