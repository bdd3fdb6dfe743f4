/*
 * reports.c — SQL for templates, periods and submissions (see reports.h).
 *
 * Parameters $1..$4 of every write are the actor: organisation, actor type,
 * actor id, request id.
 */
#include "store/reports.h"

#include <stdlib.h>

#define ACTOR "$1::bigint, $2, $3, $4"
#define STEP_COLUMNS "SELECT s.outcome, s.detail, s.body, s.current FROM "

static struct db_stmt templates_list =
	DB_STMT("SELECT json_build_object('items', coalesce(json_agg(report_template_json(t)"
		" ORDER BY t.code, t.version), '[]'))::text FROM report_templates t"
		" WHERE t.organization_id = $1::bigint",
		1);

static struct db_stmt template_get =
	DB_STMT("SELECT report_template_json(t)::text FROM report_templates t"
		" WHERE t.organization_id = $1::bigint AND t.id = $2::bigint",
		2);

static struct db_stmt template_create =
	DB_STMT(STEP_COLUMNS "report_template_create(" ACTOR ", $5::jsonb) s", 5);

static struct db_stmt periods_list = DB_STMT(
	"WITH page AS (SELECT p.* FROM report_periods p WHERE p.organization_id = $1::bigint"
	"  AND ($2::bigint = 0 OR (p.due_on, p.id) < (SELECT a.due_on, a.id FROM report_periods a"
	"       WHERE a.organization_id = $1::bigint AND a.id = $2::bigint))"
	"  ORDER BY p.due_on DESC, p.id DESC LIMIT $3::integer + 1),"
	" shown AS (SELECT * FROM page ORDER BY due_on DESC, id DESC LIMIT $3::integer)"
	"SELECT json_build_object('items', coalesce((SELECT json_agg(report_period_json(s)"
	"  ORDER BY s.due_on DESC, s.id DESC) FROM shown s), '[]'),"
	" 'next_cursor', CASE WHEN (SELECT count(*) FROM page) > $3::integer THEN"
	"  (SELECT s.id::text FROM shown s ORDER BY s.due_on, s.id LIMIT 1) END)::text",
	3);

static struct db_stmt period_get =
	DB_STMT("SELECT report_period_json(p)::text FROM report_periods p"
		" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
		2);

static struct db_stmt period_create =
	DB_STMT(STEP_COLUMNS "report_period_create(" ACTOR ", $5::jsonb) s", 5);

static struct db_stmt period_close =
	DB_STMT(STEP_COLUMNS "report_period_close(" ACTOR ", $5::bigint, $6::integer) s", 6);

static struct db_stmt period_fields =
	DB_STMT("SELECT t.fields::text FROM report_periods p JOIN report_templates t"
		" ON t.organization_id = p.organization_id AND t.id = p.template_id"
		" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
		2);

static struct db_stmt submission_fields = DB_STMT(
	"SELECT t.fields::text FROM submissions s JOIN report_periods p"
	" ON p.organization_id = s.organization_id AND p.id = s.period_id"
	" JOIN report_templates t ON t.organization_id = p.organization_id AND t.id = p.template_id"
	" WHERE s.organization_id = $1::bigint AND s.id = $2::bigint",
	2);

/* $3: a unit head's unit (0: everything in the organisation). */
#define SUBMISSION_VISIBLE \
	" ($3::bigint = 0 OR unit_in_subtree(s.organization_id, s.unit_id, $3::bigint))"

static struct db_stmt submissions_list = DB_STMT(
	"SELECT json_build_object('items', coalesce((SELECT json_agg(submission_json(s)"
	"  ORDER BY s.unit_id) FROM submissions s WHERE s.organization_id = p.organization_id"
	"  AND s.period_id = p.id AND" SUBMISSION_VISIBLE "), '[]'))::text"
	" FROM report_periods p WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	3);

static struct db_stmt submission_get = DB_STMT(
	"SELECT submission_json(s)::text FROM submissions s"
	" WHERE s.organization_id = $1::bigint AND s.id = $2::bigint AND" SUBMISSION_VISIBLE,
	3);

static struct db_stmt submission_versions =
	DB_STMT("SELECT json_build_object('items', (SELECT coalesce(json_agg(json_build_object("
		"  'version', v.version, 'status', v.status, 'answers', v.answers, 'late', v.late,"
		"  'return_reason', v.return_reason, 'actor', v.actor, 'created_at', v.created_at)"
		"  ORDER BY v.version), '[]') FROM submission_versions v WHERE v.submission_id = "
		"s.id))::text"
		" FROM submissions s WHERE s.organization_id = $1::bigint AND s.id = $2::bigint"
		" AND" SUBMISSION_VISIBLE,
		3);

static struct db_stmt submission_create = DB_STMT(
	STEP_COLUMNS "submission_create(" ACTOR ", $5, decode($6, 'hex'), $7::bigint, $8::bigint,"
		     " $9::jsonb, $10::date) s",
	10);

static struct db_stmt submission_change =
	DB_STMT(STEP_COLUMNS "submission_change(" ACTOR ", $5::bigint, $6::integer, $7::bigint, $8,"
			     " $9::jsonb, $10, $11::date) s",
		11);

/* Runs a read taking (org, id). */
static enum db_status read2(struct db *db, struct db_stmt *stmt, int64_t org, int64_t id,
			    char **json)
{
	char o[DB_ID_LEN], i[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id) };
	return db_query_text(db, stmt, args, json);
}

/* Runs a read taking (org, id, unit). */
static enum db_status read3(struct db *db, struct db_stmt *stmt, int64_t org, int64_t id,
			    int64_t unit, char **json)
{
	char o[DB_ID_LEN], i[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(i, id), db_id(u, unit) };
	return db_query_text(db, stmt, args, json);
}

/* Runs a write taking the actor and one JSON document. */
static enum db_status write1(struct db *db, struct db_stmt *stmt, const struct actor *a,
			     const char *fields, struct step_outcome *o)
{
	char org[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type, a->id, a->request_id, fields };
	return store_step(db, stmt, args, o);
}

enum db_status store_report_templates_list(struct db *db, int64_t org, char **json)
{
	char o[DB_ID_LEN];
	const char *args[] = { db_id(o, org) };
	return db_query_text(db, &templates_list, args, json);
}

enum db_status store_report_template_get(struct db *db, int64_t org, int64_t id, char **json)
{
	return read2(db, &template_get, org, id, json);
}

enum db_status store_report_template_create(struct db *db, const struct actor *a,
					    const char *fields, struct step_outcome *o)
{
	return write1(db, &template_create, a, fields, o);
}

enum db_status store_report_periods_list(struct db *db, int64_t org, int64_t after, long limit,
					 char **json)
{
	char o[DB_ID_LEN], af[DB_ID_LEN], lim[DB_ID_LEN];
	const char *args[] = { db_id(o, org), db_id(af, after), db_id(lim, limit) };
	return db_query_text(db, &periods_list, args, json);
}

enum db_status store_report_period_get(struct db *db, int64_t org, int64_t id, char **json)
{
	return read2(db, &period_get, org, id, json);
}

enum db_status store_report_period_create(struct db *db, const struct actor *a, const char *fields,
					  struct step_outcome *o)
{
	return write1(db, &period_create, a, fields, o);
}

enum db_status store_report_period_close(struct db *db, const struct actor *a, int64_t id,
					 int version, struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id), a->type,	    a->id,
			       a->request_id,	      db_id(i, id), db_id(v, version) };
	return store_step(db, &period_close, args, o);
}

enum db_status store_period_fields(struct db *db, int64_t org, int64_t period, char **json)
{
	return read2(db, &period_fields, org, period, json);
}

enum db_status store_submission_fields(struct db *db, int64_t org, int64_t submission, char **json)
{
	return read2(db, &submission_fields, org, submission, json);
}

enum db_status store_submissions_list(struct db *db, int64_t org, int64_t period, int64_t unit,
				      char **json)
{
	return read3(db, &submissions_list, org, period, unit, json);
}

enum db_status store_submission_get(struct db *db, int64_t org, int64_t id, int64_t unit,
				    char **json)
{
	return read3(db, &submission_get, org, id, unit, json);
}

enum db_status store_submission_versions(struct db *db, int64_t org, int64_t id, int64_t unit,
					 char **json)
{
	return read3(db, &submission_versions, org, id, unit, json);
}

enum db_status store_submission_create(struct db *db, const struct actor *a, const char *key,
				       const char *hash_hex, int64_t period, int64_t unit,
				       const char *fields, const char *today,
				       struct step_outcome *o)
{
	char org[DB_ID_LEN], p[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = {
		db_id(org, a->org_id), a->type,	       a->id,  a->request_id, key, hash_hex,
		db_id(p, period),      db_id(u, unit), fields, today
	};
	return store_step(db, &submission_create, args, o);
}

enum db_status store_submission_change(struct db *db, const struct actor *a, int64_t id,
				       int version, int64_t unit, const char *step,
				       const char *fields, const char *reason, const char *today,
				       struct step_outcome *o)
{
	char org[DB_ID_LEN], i[DB_ID_LEN], v[DB_ID_LEN], u[DB_ID_LEN];
	const char *args[] = { db_id(org, a->org_id),
			       a->type,
			       a->id,
			       a->request_id,
			       db_id(i, id),
			       db_id(v, version),
			       db_id(u, unit),
			       step,
			       fields,
			       reason,
			       today };
	return store_step(db, &submission_change, args, o);
}
