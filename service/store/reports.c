/*
 * reports.c — SQL for templates, periods and submissions (see reports.h).
 *
 * The procedures called here live in db/procedures/ (report_workflow.sql,
 * submission_workflow.sql, report_json.sql); this file only binds
 * arguments.  Arguments $1..$4 of every write are the writer's actor
 * (WRITER_ARGS).
 */
#include "store/reports.h"

/* clang-format off */
#define WRITE_OF(call) "SELECT r.* FROM " call " r"
#define ACTOR "$1::bigint, $2, $3, $4"

DB_STATEMENT(templates_list,
	"SELECT json_build_object('items', coalesce(json_agg(report_template_json(t)"
	" ORDER BY t.code, t.version), '[]'))::text FROM report_templates t"
	" WHERE t.organization_id = $1::bigint",
	1);

DB_STATEMENT(template_get,
	"SELECT report_template_json(t)::text FROM report_templates t"
	" WHERE t.organization_id = $1::bigint AND t.id = $2::bigint",
	2);

DB_STATEMENT(template_create, WRITE_OF("report_template_create(" ACTOR ", $5::jsonb)"), 5);

DB_STATEMENT(periods_list,
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

DB_STATEMENT(period_get,
	"SELECT report_period_json(p)::text FROM report_periods p"
	" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	2);

DB_STATEMENT(period_create, WRITE_OF("report_period_create(" ACTOR ", $5::jsonb)"), 5);
DB_STATEMENT(period_close,
	WRITE_OF("report_period_close(" ACTOR ", $5::bigint, $6::integer)"), 6);

DB_STATEMENT(period_fields,
	"SELECT t.fields::text FROM report_periods p JOIN report_templates t"
	" ON t.organization_id = p.organization_id AND t.id = p.template_id"
	" WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	2);

DB_STATEMENT(submission_fields,
	"SELECT t.fields::text FROM submissions s JOIN report_periods p"
	" ON p.organization_id = s.organization_id AND p.id = s.period_id"
	" JOIN report_templates t ON t.organization_id = p.organization_id AND t.id = p.template_id"
	" WHERE s.organization_id = $1::bigint AND s.id = $2::bigint",
	2);

/* $3: a unit head's unit (0: everything in the organisation). */
#define SUBMISSION_VISIBLE \
	" ($3::bigint = 0 OR unit_in_subtree(s.organization_id, s.unit_id, $3::bigint))"

DB_STATEMENT(submissions_list,
	"SELECT json_build_object('items', coalesce((SELECT json_agg(submission_json(s)"
	"  ORDER BY s.unit_id) FROM submissions s WHERE s.organization_id = p.organization_id"
	"  AND s.period_id = p.id AND" SUBMISSION_VISIBLE "), '[]'))::text"
	" FROM report_periods p WHERE p.organization_id = $1::bigint AND p.id = $2::bigint",
	3);

DB_STATEMENT(submission_get,
	"SELECT submission_json(s)::text FROM submissions s"
	" WHERE s.organization_id = $1::bigint AND s.id = $2::bigint AND" SUBMISSION_VISIBLE,
	3);

DB_STATEMENT(submission_versions,
	"SELECT json_build_object('items', (SELECT coalesce(json_agg(json_build_object("
	"  'version', v.version, 'status', v.status, 'answers', v.answers, 'late', v.late,"
	"  'return_reason', v.return_reason, 'actor', v.actor, 'created_at', v.created_at)"
	"  ORDER BY v.version), '[]') FROM submission_versions v WHERE v.submission_id = s.id))"
	"::text FROM submissions s WHERE s.organization_id = $1::bigint AND s.id = $2::bigint"
	" AND" SUBMISSION_VISIBLE,
	3);

/* $6: the request's SHA-256, as raw bytes. */
DB_STATEMENT(submission_create,
	WRITE_OF("submission_create(" ACTOR ", $5, $6::bytea, $7::bigint, $8::bigint,"
		 " $9::jsonb, $10::date)"),
	10);

DB_STATEMENT(submission_change,
	WRITE_OF("submission_change(" ACTOR ", $5::bigint, $6::integer, $7::bigint, $8,"
		 " $9::jsonb, $10, $11::date)"),
	11);
/* clang-format on */

enum db_status store_report_templates_list(struct db *db, int64_t org, char **json)
{
	return DB_FETCH_TEXT(db, templates_list, json, db_arg_id(org));
}

enum db_status store_report_template_get(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, template_get, json, db_arg_id(org), db_arg_id(id));
}

void store_report_template_create(const struct writer *w, const char *fields,
				  struct write_result *r)
{
	WRITE_RUN(w->db, template_create, r, WRITER_ARGS(w), db_arg_text(fields));
}

enum db_status store_report_periods_list(struct db *db, int64_t org, int64_t after, long limit,
					 char **json)
{
	return DB_FETCH_TEXT(db, periods_list, json, db_arg_id(org), db_arg_id(after),
			     db_arg_int(limit));
}

enum db_status store_report_period_get(struct db *db, int64_t org, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, period_get, json, db_arg_id(org), db_arg_id(id));
}

void store_report_period_create(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, period_create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_report_period_close(const struct writer *w, int64_t id, int version,
			       struct write_result *r)
{
	WRITE_RUN(w->db, period_close, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version));
}

enum db_status store_period_fields(struct db *db, int64_t org, int64_t period, char **json)
{
	return DB_FETCH_TEXT(db, period_fields, json, db_arg_id(org), db_arg_id(period));
}

enum db_status store_submission_fields(struct db *db, int64_t org, int64_t submission, char **json)
{
	return DB_FETCH_TEXT(db, submission_fields, json, db_arg_id(org), db_arg_id(submission));
}

enum db_status store_submissions_list(struct db *db, int64_t org, int64_t period, int64_t unit,
				      char **json)
{
	return DB_FETCH_TEXT(db, submissions_list, json, db_arg_id(org), db_arg_id(period),
			     db_arg_id(unit));
}

enum db_status store_submission_get(struct db *db, int64_t org, int64_t id, int64_t unit,
				    char **json)
{
	return DB_FETCH_TEXT(db, submission_get, json, db_arg_id(org), db_arg_id(id),
			     db_arg_id(unit));
}

enum db_status store_submission_versions(struct db *db, int64_t org, int64_t id, int64_t unit,
					 char **json)
{
	return DB_FETCH_TEXT(db, submission_versions, json, db_arg_id(org), db_arg_id(id),
			     db_arg_id(unit));
}

void store_submission_create(const struct writer *w, const struct submission_key *k, int64_t period,
			     int64_t unit, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, submission_create, r, WRITER_ARGS(w), db_arg_text(k->key),
		  db_arg_bytes(k->hash, sizeof k->hash), db_arg_id(period), db_arg_id(unit),
		  db_arg_text(fields), db_arg_date(w->today));
}

void store_submission_change(const struct writer *w, int64_t id, int version, int64_t unit,
			     const char *step, const char *fields, const char *reason,
			     struct write_result *r)
{
	WRITE_RUN(w->db, submission_change, r, WRITER_ARGS(w), db_arg_id(id), db_arg_int(version),
		  db_arg_id(unit), db_arg_text(step), db_arg_text(fields), db_arg_text(reason),
		  db_arg_date(w->today));
}
