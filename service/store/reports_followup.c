/*
 * reports_followup.c — SQL for the follow-up of reporting periods and the
 * attachments of submissions (see reports_followup.h).
 *
 * A unit has "reported" when its submission is submitted or accepted;
 * otherwise it is missing, whatever its draft or returned submission holds.
 * A unit is late when it reported after the due day (the submission's late
 * flag, set at its first submission) or when it is missing and today is
 * after the due day.  Its state is accepted, submitted or late (reported),
 * draft or returned (a submission that does not count yet), or, without a
 * submission, missing or late.
 *
 * Attachment bytes travel as binary parameters and results (no hex or
 * escape encoding of up to 10 MiB).  Arguments $1..$4 of every write are
 * the writer's actor (WRITER_ARGS).  The writes are statements of their
 * own: each answers its outcome as plain columns (found, what refused it,
 * the document and its id), which become a struct write_result here.
 */
#include "store/reports_followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statements are laid out by hand, one SQL clause per line, as in
 * records.c: clang-format cannot lay out SQL made of string literals. */
/* clang-format off */

/* Units of the period in scope: $1 org, $2 period, $3 unit (0: all). */
DB_STATEMENT(status_stmt,
	"WITH p AS (SELECT * FROM report_periods"
	"  WHERE organization_id = $1::bigint AND id = $2::bigint),"
	" r AS (SELECT pu.unit_id, u.name AS unit_name, u.path, s.id AS submission_id,"
	"  s.status, s.submitted_at, coalesce(s.status IN ('submitted', 'accepted'), false)"
	"  AS reported, coalesce(s.late, false) AS submitted_late, p.due_on,"
	"  (SELECT count(*) FROM report_reminders m WHERE m.organization_id = pu.organization_id"
	"   AND m.period_id = pu.period_id AND m.unit_id = pu.unit_id) AS reminders"
	"  FROM p JOIN report_period_units pu"
	"   ON pu.organization_id = p.organization_id AND pu.period_id = p.id"
	"  JOIN units u ON u.organization_id = pu.organization_id AND u.id = pu.unit_id"
	"  LEFT JOIN submissions s ON s.organization_id = pu.organization_id"
	"   AND s.period_id = pu.period_id AND s.unit_id = pu.unit_id"
	"  WHERE $3::bigint = 0 OR $3::bigint = ANY (u.path)),"
	" k AS (SELECT r.*, CASE WHEN r.reported THEN r.submitted_late"
	"   ELSE $4::date > r.due_on END AS late FROM r),"
	" st AS (SELECT k.*, CASE"
	"   WHEN k.status = 'accepted' THEN 'accepted'"
	"   WHEN k.status = 'submitted' AND k.late THEN 'late'"
	"   WHEN k.status = 'submitted' THEN 'submitted'"
	"   WHEN k.status IN ('draft', 'returned') THEN k.status"
	"   WHEN k.late THEN 'late' ELSE 'missing' END AS state FROM k)"
	" SELECT json_build_object('period_id', p.id, 'due_on', p.due_on, 'today', $4::date,"
	"  'units', coalesce((SELECT json_agg(json_build_object('unit_id', st.unit_id,"
	"   'unit_name', st.unit_name, 'state', st.state, 'submission_id', st.submission_id,"
	"   'submitted_at', st.submitted_at, 'late', st.late, 'reminders', st.reminders)"
	"   ORDER BY st.path, st.unit_id) FROM st), '[]'::json),"
	"  'counts', (SELECT json_build_object('expected', count(*),"
	"   'submitted', count(*) FILTER (WHERE st.reported),"
	"   'accepted', count(*) FILTER (WHERE st.status = 'accepted'),"
	"   'late', count(*) FILTER (WHERE st.late),"
	"   'missing', count(*) FILTER (WHERE NOT st.reported)) FROM st))::text"
	" FROM p",
	4);

/*
 * $5 period, $6 body {unit_ids?, message}.  Asked units must be units of
 * the period (else nothing is written); one audit record names the period
 * and lists the reminders written.  Answers: whether the period exists,
 * the least unit asked that the period does not ask (or NULL), and the
 * document of the reminders written.
 */
DB_STATEMENT(remind_stmt,
	"WITH p AS (SELECT id FROM report_periods"
	"  WHERE organization_id = $1::bigint AND id = $5::bigint),"
	" f AS (SELECT $6::jsonb AS f),"
	" asked AS (SELECT x::bigint AS unit_id FROM f,"
	"  jsonb_array_elements_text(CASE WHEN f ? 'unit_ids' THEN f->'unit_ids'"
	"   ELSE '[]'::jsonb END) x),"
	" due AS (SELECT pu.unit_id FROM p JOIN report_period_units pu"
	"   ON pu.organization_id = $1::bigint AND pu.period_id = p.id, f"
	"  WHERE CASE WHEN f ? 'unit_ids' THEN pu.unit_id IN (SELECT unit_id FROM asked)"
	"   ELSE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.organization_id = $1::bigint"
	"    AND s.period_id = p.id AND s.unit_id = pu.unit_id"
	"    AND s.status IN ('submitted', 'accepted')) END),"
	" bad AS (SELECT unit_id FROM asked WHERE unit_id NOT IN (SELECT unit_id FROM due)),"
	" ins AS (INSERT INTO report_reminders (organization_id, period_id, unit_id, message,"
	"   created_by)"
	"  SELECT $1::bigint, p.id, due.unit_id, normalize(btrim(f->>'message'), NFC),"
	"   $2::text || ':' || $3::text FROM p, due, f WHERE NOT EXISTS (SELECT 1 FROM bad)"
	"  RETURNING id, period_id, unit_id, message, created_at),"
	" body AS (SELECT json_build_object('items', coalesce(json_agg(json_build_object("
	"   'id', id, 'period_id', period_id, 'unit_id', unit_id, 'message', message,"
	"   'created_at', created_at) ORDER BY unit_id), '[]'::json)) AS j FROM ins),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'report.remind', 'report_period',"
	"   (SELECT id::text FROM p), NULL, jsonb_build_object('reminders', (SELECT jsonb_agg(jsonb_build_object("
	"    'id', id, 'unit_id', unit_id) ORDER BY unit_id) FROM ins),"
	"    'message', (SELECT f->>'message' FROM f)), $4)"
	"  WHERE EXISTS (SELECT 1 FROM ins))"
	" SELECT EXISTS (SELECT 1 FROM p), (SELECT min(unit_id) FROM bad),"
	"  (SELECT j::text FROM body)"
	" FROM (SELECT count(*) FROM aud) a",
	6);

/*
 * $5 submission, $6 unit (0: any), $7 filename, $8 content type, $9 the
 * SHA-256 (binary), $10 the bytes (binary).  The submission's row is locked
 * so that it cannot be submitted while the attachment is added, and its
 * period's shared, so that it cannot close meanwhile: a draft of a closed
 * period changes no more (submission_change), its files neither.  Answers:
 * whether the submission is visible, its status, the attachment's document
 * and id when it was added, and whether its period is open.
 */
DB_STATEMENT(attach_stmt,
	"WITH s AS (SELECT s.id, s.status, p.status = 'open' AS period_open FROM submissions s"
	"  JOIN units u ON u.organization_id = s.organization_id AND u.id = s.unit_id"
	"  JOIN report_periods p ON p.organization_id = s.organization_id AND p.id = s.period_id"
	"  WHERE s.organization_id = $1::bigint AND s.id = $5::bigint"
	"  AND ($6::bigint = 0 OR $6::bigint = ANY (u.path)) FOR UPDATE OF s FOR SHARE OF p),"
	" ins AS (INSERT INTO submission_attachments (organization_id, submission_id, filename,"
	"   content_type, size_bytes, sha256, data, created_by)"
	"  SELECT $1::bigint, s.id, normalize($7::text, NFC), $8::text, length($10::bytea),"
	"   $9::bytea, $10::bytea, $2::text || ':' || $3::text FROM s"
	"  WHERE s.status IN ('draft', 'returned') AND s.period_open"
	"  RETURNING id, submission_id, filename, content_type, size_bytes, sha256, created_at),"
	" body AS (SELECT ins.id, ins.submission_id, json_build_object('id', ins.id, 'submission_id',"
	"   ins.submission_id, 'filename', ins.filename, 'content_type', ins.content_type,"
	"   'size_bytes', ins.size_bytes, 'sha256', encode(ins.sha256, 'hex'),"
	"   'created_at', ins.created_at) AS j FROM ins),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'submission.attach', 'submission',"
	"   body.submission_id::text, NULL, body.j::jsonb, $4) FROM body)"
	" SELECT EXISTS (SELECT 1 FROM s), (SELECT s.status FROM s), (SELECT j::text FROM body),"
	"  (SELECT id FROM body), coalesce((SELECT s.period_open FROM s), false)"
	" FROM (SELECT count(*) FROM aud) a",
	10);

/* Result columns (binary): content type, filename, sha256, bytes. */
DB_STATEMENT(attachment_get_stmt,
	"SELECT a.content_type, a.filename, a.sha256, a.data FROM submission_attachments a"
	" JOIN submissions s ON s.organization_id = a.organization_id AND s.id = a.submission_id"
	" JOIN units u ON u.organization_id = s.organization_id AND u.id = s.unit_id"
	" WHERE a.organization_id = $1::bigint AND a.submission_id = $2::bigint"
	" AND a.id = $3::bigint AND ($4::bigint = 0 OR $4::bigint = ANY (u.path))",
	4);

/* clang-format on */

enum db_status store_report_status(struct db *db, int64_t org, int64_t period, int64_t unit,
				   struct civil_date today, char **json)
{
	return DB_FETCH_TEXT(db, status_stmt, json, db_arg_id(org), db_arg_id(period),
			     db_arg_id(unit), db_arg_date(today));
}

void store_report_remind(const struct writer *w, int64_t period, const char *fields,
			 struct write_result *r)
{
	memset(r, 0, sizeof *r);
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, remind_stmt, &st, WRITER_ARGS(w), db_arg_id(period),
				db_arg_text(fields));
	if (!res) {
		write_failed(w->db, st, r);
		return;
	}
	if (PQntuples(res) != 1 || PQnfields(res) != 3)
		write_unexpected(r);
	else if (!db_get_bool(res, 0, 0))
		write_not_found(r);
	else if (!PQgetisnull(res, 0, 1))
		write_invalid(r, "/unit_ids", "reminder-unit-not-asked",
			      json_pack("{s:I}", "unit_id", (json_int_t)db_get_int(res, 0, 1)));
	else
		write_ok(r, db_get_text_new(res, 0, 2), 0, 0);
	PQclear(res);
}

void store_attachment_add(const struct writer *w, int64_t submission, int64_t unit,
			  const struct attachment_in *in, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	if (in->len > 0x7fffffff) {
		write_unexpected(r); /* libpq lengths are int; the handler caps far below */
		return;
	}
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, attach_stmt, &st, WRITER_ARGS(w), db_arg_id(submission),
			db_arg_id(unit), db_arg_text(in->filename), db_arg_text(in->content_type),
			db_arg_bytes(in->sha256, 32), db_arg_bytes(in->data, in->len));
	if (!res) {
		write_failed(w->db, st, r);
		return;
	}
	const char *status = PQntuples(res) == 1 ? PQgetvalue(res, 0, 1) : "";
	bool changeable = !strcmp(status, "draft") || !strcmp(status, "returned");
	if (PQntuples(res) != 1 || PQnfields(res) != 5)
		write_unexpected(r);
	else if (!db_get_bool(res, 0, 0))
		write_not_found(r);
	else if (PQgetisnull(res, 0, 2) && !changeable)
		write_refused(r, "submission-attach-locked", json_pack("{s:s}", "status", status));
	else if (PQgetisnull(res, 0, 2))
		write_refused(r, "period-closed", NULL); /* as submission_change answers */
	else
		write_ok(r, db_get_text_new(res, 0, 2), 0, db_get_int(res, 0, 3));
	PQclear(res);
}

enum db_status store_attachment_get(struct db *db, int64_t org, int64_t submission, int64_t id,
				    int64_t unit, struct attachment_file *out)
{
	memset(out, 0, sizeof *out);
	enum db_status st;
	PGresult *res = DB_EXEC_FORMAT(db, attachment_get_stmt, 1, &st, db_arg_id(org),
				       db_arg_id(submission), db_arg_id(id), db_arg_id(unit));
	if (!res)
		return st;
	st = attachment_file_from(res, out);
	PQclear(res);
	return st;
}
