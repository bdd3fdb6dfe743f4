/*
 * consolidations.c — SQL of the consolidated report and its feed (see
 * consolidations.h).
 *
 * The document is one statement: the period and its template, the units
 * expected (report_period_units), the submissions that count (status
 * submitted or accepted; a draft or a returned one counts as missing), then
 * one aggregate per field of the template, in numeric so nothing is lost to
 * binary floating point:
 *   sum      Σ of the reported values, "123.50";
 *   ratio    100 × Σnumerator / Σdenominator over the units that reported
 *            both fields, half up to 2 decimals, null when Σdenominator = 0
 *            (a ratio of sums, not the mean of the units' percentages);
 *   average  mean of the reported values, half up to 2 decimals;
 *   count    number of true answers, detail {yes, no};
 *   collate  value null, the texts go to "narratives" by unit (a narrative
 *            field always goes there);
 *   none     null.
 * The default aggregate of a field follows its type (domain/report_template.h):
 * number → sum; percent → ratio when it names a numerator and a
 * denominator, else average; boolean → count; text and narrative → collate.
 * sum and average are null when no unit reported the field.  Units are
 * listed in tree order (units.path).
 *
 * Arguments $1..$4 of every write are the writer's actor (WRITER_ARGS).
 * The writes answer their outcome as plain columns (the document with its
 * id and version, or what stopped it), which become a struct write_result
 * here.
 */
#include "store/consolidations.h"

#include <stdlib.h>
#include <string.h>

/*
 * a / b rounded half up (away from zero) to 2 decimals, exactly: div() is
 * an exact truncating division, where numeric's "/" rounds its quotient at
 * some scale before round() would see it.  b must not be 0.
 */
#define HALF_UP_2(a, b)                                                                           \
	"round(sign((" a ")::numeric) * sign((" b ")::numeric) * div(200 * abs((" a ")::numeric)" \
	" + abs((" b ")::numeric), 2 * abs((" b ")::numeric)) / 100, 2)"

/* The API's consolidation object of row k. */
#define CONSOLIDATION_JSON(k)                                                                     \
	"json_build_object('id', " k ".id, 'period_id', " k ".period_id, 'status', " k ".status," \
	" 'generated_at', " k ".generated_at, 'sent_at', " k ".sent_at, 'feed_seq', " k           \
	".feed_seq, 'version', " k ".version, 'number_text', CASE WHEN " k ".number IS NOT NULL"  \
	" THEN document_number_text(" k ".number, " k ".symbol) END, 'sent_on', " k ".sent_on,"   \
	" 'signer_name', " k ".signer_name, 'signer_title', " k ".signer_title,"                  \
	" 'supersedes', " k ".supersedes, 'superseded_by', " k ".superseded_by,"                  \
	" 'superseded_at', " k ".superseded_at, 'outdated', " OUTDATED(k) ", 'document', " k      \
									  ".document)"
/* A version in force that a unit's report submitted after it was sent
 * leaves behind: the Office makes and sends a new one, which supersedes it. */
#define OUTDATED(k)                                                                    \
	"(" k ".status = 'sent' AND " k ".superseded_by IS NULL AND EXISTS (SELECT 1"  \
	" FROM submissions s WHERE s.organization_id = " k ".organization_id"          \
	" AND s.period_id = " k ".period_id AND s.status IN ('submitted', 'accepted')" \
	" AND s.submitted_at > " k ".sent_at))"

/*
 * The statements are laid out by hand, one SQL clause per line, as in
 * records.c: clang-format cannot lay out SQL made of literals and macros.
 */
/* clang-format off */

/* $5 the period.  No row when the period is not the organisation's. */
DB_STATEMENT(consolidation_create,
	"WITH p AS (SELECT p.id, p.title, p.kind, p.starts_on, p.ends_on, p.due_on,"
	"  t.id AS template_id, t.code, t.version, t.title AS template_title, t.fields"
	"  FROM report_periods p JOIN report_templates t"
	"   ON t.organization_id = p.organization_id AND t.id = p.template_id"
	"  WHERE p.organization_id = $1::bigint AND p.id = $5::bigint),"
	" pu AS (SELECT u.id AS unit_id, u.name AS unit_name, u.path FROM p"
	"  JOIN report_period_units r ON r.organization_id = $1::bigint AND r.period_id = p.id"
	"  JOIN units u ON u.organization_id = r.organization_id AND u.id = r.unit_id),"
	" sub AS (SELECT s.id, s.unit_id, s.version, s.late, s.answers, pu.unit_name, pu.path"
	"  FROM pu JOIN submissions s ON s.organization_id = $1::bigint"
	"   AND s.period_id = $5::bigint AND s.unit_id = pu.unit_id"
	"  WHERE s.status IN ('submitted', 'accepted')),"
	" f AS (SELECT e.ord, e.f->>'key' AS key, e.f->>'label' AS label, e.f->>'type' AS type,"
	"  coalesce(e.f->>'aggregate', CASE e.f->>'type' WHEN 'number' THEN 'sum'"
	"   WHEN 'percent' THEN CASE WHEN e.f ? 'numerator' AND e.f ? 'denominator'"
	"    THEN 'ratio' ELSE 'average' END"
	"   WHEN 'boolean' THEN 'count' ELSE 'collate' END) AS agg,"
	"  e.f->>'numerator' AS num, e.f->>'denominator' AS den"
	"  FROM p, jsonb_array_elements(p.fields) WITH ORDINALITY AS e(f, ord)),"
	" x AS (SELECT f.*, a.* FROM f CROSS JOIN LATERAL (SELECT"
	"   count(*) FILTER (WHERE jsonb_typeof(s.answers->f.key) NOT IN ('null'))"
	"    AS n_given,"
	"   count(*) FILTER (WHERE jsonb_typeof(s.answers->f.key) = 'number') AS n_num,"
	"   sum((s.answers->>f.key)::numeric)"
	"    FILTER (WHERE jsonb_typeof(s.answers->f.key) = 'number') AS total,"
	"   count(*) FILTER (WHERE s.answers->f.key = 'true'::jsonb) AS yes,"
	"   count(*) FILTER (WHERE s.answers->f.key = 'false'::jsonb) AS no,"
	"   count(*) FILTER (WHERE jsonb_typeof(s.answers->f.num) = 'number'"
	"    AND jsonb_typeof(s.answers->f.den) = 'number') AS n_pair,"
	"   coalesce(sum((s.answers->>f.num)::numeric)"
	"    FILTER (WHERE jsonb_typeof(s.answers->f.num) = 'number'"
	"    AND jsonb_typeof(s.answers->f.den) = 'number'), 0) AS nsum,"
	"   coalesce(sum((s.answers->>f.den)::numeric)"
	"    FILTER (WHERE jsonb_typeof(s.answers->f.num) = 'number'"
	"    AND jsonb_typeof(s.answers->f.den) = 'number'), 0) AS dsum"
	"  FROM sub s) a),"
	" fv AS (SELECT x.ord, jsonb_build_object('key', x.key, 'label', x.label, 'type', x.type,"
	"  'aggregate', x.agg,"
	"  'value', CASE x.agg"
	"   WHEN 'sum' THEN to_jsonb(CASE WHEN x.n_num > 0 THEN round(x.total, 2)::text END)"
	"   WHEN 'average' THEN to_jsonb(CASE WHEN x.n_num > 0"
	"    THEN " HALF_UP_2("x.total", "x.n_num") "::text END)"
	"   WHEN 'ratio' THEN to_jsonb(CASE WHEN x.dsum <> 0"
	"    THEN " HALF_UP_2("100 * x.nsum", "x.dsum") "::text END)"
	"   WHEN 'count' THEN to_jsonb(x.yes)"
	"   ELSE 'null'::jsonb END,"
	"  'reported', CASE x.agg WHEN 'ratio' THEN x.n_pair WHEN 'count' THEN x.yes + x.no"
	"   WHEN 'sum' THEN x.n_num WHEN 'average' THEN x.n_num ELSE x.n_given END,"
	"  'detail', CASE x.agg"
	"   WHEN 'ratio' THEN jsonb_build_object('numerator', round(x.nsum, 2)::text,"
	"    'denominator', round(x.dsum, 2)::text)"
	"   WHEN 'count' THEN jsonb_build_object('yes', x.yes, 'no', x.no) END) AS j"
	"  FROM x),"
	" narr AS (SELECT f.ord, jsonb_build_object('key', f.key, 'label', f.label,"
	"  'sections', coalesce((SELECT jsonb_agg(jsonb_build_object('unit_id', s.unit_id,"
	"   'unit_name', s.unit_name, 'text', s.answers->>f.key) ORDER BY s.path) FROM sub s"
	"   WHERE jsonb_typeof(s.answers->f.key) = 'string'"
	"   AND btrim(s.answers->>f.key) <> ''), '[]'::jsonb)) AS j"
	"  FROM f WHERE f.agg = 'collate' OR f.type = 'narrative'),"
	" doc AS (SELECT p.id, jsonb_build_object("
	"  'organization', (SELECT jsonb_build_object('id', o.id, 'code', o.code, 'name', o.name)"
	"   FROM organizations o WHERE o.id = $1::bigint),"
	/* the plan's targets as they stand on the day it is made (issue 14 §3) */
	"  'targets', consolidation_targets($1::bigint, p.starts_on, p.ends_on,"
	"   (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),"
	"  'period', jsonb_build_object('id', p.id, 'title', p.title, 'kind', p.kind,"
	"   'starts_on', p.starts_on, 'ends_on', p.ends_on, 'due_on', p.due_on),"
	"  'template', jsonb_build_object('id', p.template_id, 'code', p.code,"
	"   'version', p.version, 'title', p.template_title),"
	"  'units_expected', (SELECT count(*) FROM pu),"
	"  'units_reported', coalesce((SELECT jsonb_agg(jsonb_build_object('unit_id', s.unit_id,"
	"   'unit_name', s.unit_name, 'submission_id', s.id, 'version', s.version,"
	"   'late', s.late) ORDER BY s.path) FROM sub s), '[]'::jsonb),"
	"  'units_missing', coalesce((SELECT jsonb_agg(jsonb_build_object('unit_id', pu.unit_id,"
	"   'unit_name', pu.unit_name) ORDER BY pu.path) FROM pu"
	"   WHERE NOT EXISTS (SELECT 1 FROM sub s WHERE s.unit_id = pu.unit_id)), '[]'::jsonb),"
	"  'fields', coalesce((SELECT jsonb_agg(fv.j ORDER BY fv.ord) FROM fv), '[]'::jsonb),"
	"  'narratives', coalesce((SELECT jsonb_agg(narr.j ORDER BY narr.ord) FROM narr),"
	"   '[]'::jsonb)) AS d FROM p),"
	" ins AS (INSERT INTO consolidations (organization_id, period_id, document)"
	"  SELECT $1::bigint, doc.id, doc.d FROM doc RETURNING *),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'consolidation.create',"
	"  'consolidation', ins.id::text, NULL, jsonb_build_object('period_id', ins.period_id,"
	"  'status', ins.status, 'version', ins.version,"
	"  'units_expected', ins.document->'units_expected',"
	"  'units_reported', jsonb_array_length(ins.document->'units_reported')), $4) FROM ins)"
	" SELECT " CONSOLIDATION_JSON("ins") "::text, ins.id, ins.version FROM ins, aud",
	5);

/* $3: true when drafts are invisible. */
DB_STATEMENT(consolidation_get,
	"SELECT " CONSOLIDATION_JSON("k") "::text, o.name FROM consolidations k"
	" JOIN organizations o ON o.id = k.organization_id"
	" WHERE k.organization_id = $1::bigint AND k.id = $2::bigint"
	" AND (NOT $3::boolean OR k.status = 'sent')",
	3);

/*
 * $5 the consolidation, $6 the version of If-Match.  feed_seq is taken
 * under a transaction-scoped advisory lock per organisation, so the sends
 * of one organisation commit in the order of their feed_seq: a reader that
 * saw seq n can never later find a newly committed seq below n, which
 * "after=n" would skip.  The lock is in the UPDATE's join, so it is held
 * before nextval() runs.  Answers: whether the consolidation exists, its
 * version before the send, and the sent consolidation with its id and
 * version (NULL when nothing was sent).
 */
DB_STATEMENT(consolidation_send,
	"WITH cur AS (SELECT k.id, k.status, k.version FROM consolidations k"
	"  WHERE k.organization_id = $1::bigint AND k.id = $5::bigint),"
	" lk AS (SELECT pg_advisory_xact_lock(hashtextextended('consolidation_feed',"
	"  $1::bigint)) AS l),"
	" f AS (SELECT $7::jsonb AS f),"
	" upd AS (UPDATE consolidations k SET status = 'sent',"
	"  feed_seq = nextval('consolidation_feed'), sent_at = now(), version = k.version + 1,"
	/* numbered in the common series of the year of its date, as decisions */
	"  sent_on = coalesce((f->>'sent_on')::date, $8::date),"
	"  year = extract(year FROM coalesce((f->>'sent_on')::date, $8::date)),"
	"  number = document_number_next($1::bigint, 'common',"
	"   extract(year FROM coalesce((f->>'sent_on')::date, $8::date))::integer),"
	"  symbol = coalesce(nullif(" TEXT_OF("symbol") ", ''),"
	"   'BC-' || (SELECT upper(o.code) FROM organizations o WHERE o.id = $1::bigint)),"
	"  signer_name = coalesce(nullif(" TEXT_OF("signer_name") ", ''),"
	"   (SELECT u.display_name FROM users u WHERE $2 = 'user'"
	"    AND u.organization_id = $1::bigint AND u.id::text = $3)),"
	"  signer_title = nullif(" TEXT_OF("signer_title") ", ''),"
	"  sent_by = $2 || ':' || $3,"
	/* the version in force of the period, which this one replaces */
	"  supersedes = (SELECT max(o.id) FROM consolidations o WHERE o.organization_id = $1::bigint"
	"   AND o.period_id = k.period_id AND o.status = 'sent' AND o.superseded_by IS NULL)"
	"  FROM cur, lk, f WHERE k.organization_id = $1::bigint AND k.id = cur.id"
	"  AND k.status = 'draft' AND k.version = $6::integer RETURNING k.*),"
	/* every version in force of the period (one, unless rows were written
	 * by hand) */
	" sup AS (UPDATE consolidations o SET superseded_by = upd.id, superseded_at = now(),"
	"  version = o.version + 1 FROM upd WHERE o.organization_id = $1::bigint"
	"  AND o.period_id = upd.period_id AND o.status = 'sent' AND o.superseded_by IS NULL"
	"  AND o.id <> upd.id"
	"  RETURNING o.id, outbox_emit($1::bigint, 'consolidation.superseded',"
	"   jsonb_build_object('consolidation_id', o.id, 'period_id', o.period_id,"
	"   'superseded_by', upd.id)) AS ev),"
	" aud AS (SELECT audit_append($1::bigint, $2, $3, 'consolidation.send', 'consolidation',"
	"  upd.id::text, jsonb_build_object('status', 'draft', 'version', upd.version - 1),"
	"  jsonb_build_object('status', 'sent', 'feed_seq', upd.feed_seq,"
	"  'version', upd.version), $4) FROM upd),"
	/* the outbox's event commits with the send (migration 0036) */
	" ev AS (SELECT outbox_emit($1::bigint, 'consolidation.sent',"
	"  jsonb_build_object('consolidation_id', upd.id, 'period_id', upd.period_id,"
	"  'feed_seq', upd.feed_seq, 'number', document_number_text(upd.number, upd.symbol),"
	"  'supersedes', upd.supersedes)) FROM upd)"
	" SELECT cur.id IS NOT NULL, cur.version,"
	" (SELECT " CONSOLIDATION_JSON("upd") "::text FROM upd, aud, ev), u.id, u.version"
	" FROM (SELECT 1) one LEFT JOIN cur ON true LEFT JOIN upd u ON true",
	8);

/* $2 after (feed_seq), $3 limit.  Reads the partial index consolidations_feed.
 * Answers the page and its next cursor. */
DB_STATEMENT(consolidation_feed,
	"WITH page AS (SELECT k.* FROM consolidations k"
	"  WHERE k.organization_id = $1::bigint AND k.feed_seq IS NOT NULL"
	"  AND k.feed_seq > $2::bigint ORDER BY k.feed_seq LIMIT $3::integer),"
	" next AS (SELECT CASE WHEN count(*) = $3::integer THEN max(page.feed_seq)::text END"
	"  AS cursor FROM page)"
	" SELECT json_build_object('items', coalesce((SELECT json_agg(" CONSOLIDATION_JSON("page")
	"  ORDER BY page.feed_seq) FROM page), '[]'::json),"
	" 'next_cursor', next.cursor)::text, next.cursor FROM next",
	3);

/* $2 the period, $3 true when drafts are invisible.  NULL when the period
 * is not the organisation's. */
DB_STATEMENT(consolidations_of_period,
	"SELECT CASE WHEN p.id IS NOT NULL THEN json_build_object('period_id', p.id,"
	"  'items', coalesce((SELECT json_agg(json_build_object('id', k.id, 'status', k.status,"
	"   'generated_at', k.generated_at, 'sent_at', k.sent_at, 'feed_seq', k.feed_seq,"
	"   'version', k.version, 'number_text', CASE WHEN k.number IS NOT NULL"
	"   THEN document_number_text(k.number, k.symbol) END, 'sent_on', k.sent_on,"
	"   'supersedes', k.supersedes, 'superseded_by', k.superseded_by,"
	"   'outdated', " OUTDATED("k") ") ORDER BY k.id DESC) FROM consolidations k"
	"   WHERE k.organization_id = $1::bigint AND k.period_id = p.id"
	"   AND (NOT $3::boolean OR k.status = 'sent')), '[]'::json))::text END"
	" FROM (SELECT 1) one LEFT JOIN report_periods p"
	"  ON p.organization_id = $1::bigint AND p.id = $2::bigint",
	3);

/* clang-format on */

void store_consolidation_create(const struct writer *w, int64_t period, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	enum db_status st;
	PGresult *res =
		DB_EXEC(w->db, consolidation_create, &st, WRITER_ARGS(w), db_arg_id(period));
	if (!res) {
		write_failed(w->db, st, r);
		return;
	}
	if (PQntuples(res) == 0)
		write_not_found(r);
	else if (PQntuples(res) != 1 || PQnfields(res) != 3)
		write_unexpected(r);
	else
		write_ok(r, db_get_text_new(res, 0, 0), (int)db_get_int(res, 0, 2),
			 db_get_int(res, 0, 1));
	PQclear(res);
}

enum db_status store_consolidation_get(struct db *db, int64_t org, int64_t id, bool sent_only,
				       char **json, char **org_name)
{
	return DB_FETCH_TEXT2(db, consolidation_get, json, org_name, db_arg_id(org), db_arg_id(id),
			      db_arg_bool(sent_only));
}

void store_consolidation_send(const struct writer *w, int64_t id, int version, const char *fields,
			      struct civil_date today, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	enum db_status st;
	PGresult *res = DB_EXEC(w->db, consolidation_send, &st, WRITER_ARGS(w), db_arg_id(id),
				db_arg_int(version), db_arg_text(fields), db_arg_date(today));
	if (!res) {
		write_failed(w->db, st, r);
		return;
	}
	if (PQntuples(res) != 1 || PQnfields(res) != 5) {
		write_unexpected(r);
	} else if (!db_get_bool(res, 0, 0)) {
		write_not_found(r);
	} else if (!PQgetisnull(res, 0, 2)) {
		write_ok(r, db_get_text_new(res, 0, 2), (int)db_get_int(res, 0, 4),
			 db_get_int(res, 0, 3));
	} else if (db_get_int(res, 0, 1) != version) {
		write_stale(r, (int)db_get_int(res, 0, 1));
	} else {
		write_refused(r, "consolidation-sent", NULL);
	}
	PQclear(res);
}

enum db_status store_consolidation_feed(struct db *db, int64_t org, int64_t after, long limit,
					char **json, char **next)
{
	return DB_FETCH_TEXT2(db, consolidation_feed, json, next, db_arg_id(org), db_arg_id(after),
			      db_arg_int(limit));
}

enum db_status store_consolidations_of_period(struct db *db, int64_t org, int64_t period,
					      bool sent_only, char **json)
{
	return DB_FETCH_TEXT(db, consolidations_of_period, json, db_arg_id(org), db_arg_id(period),
			     db_arg_bool(sent_only));
}
