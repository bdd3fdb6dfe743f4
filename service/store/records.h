/*
 * records.h — what a plan's targets are measured from: the catalogue of
 * titles, legal documents, movements, dissemination sessions and their
 * attendance, collective ratings, recognitions, and numbers reported by
 * units against a target.
 *
 * Reads return JSON text built by PostgreSQL (the *_json functions of
 * db/procedures/records_json.sql).  Writes are statements of records.c
 * that insert, check and append their audit entry at once (attendance:
 * in one transaction), and answer a struct write_result (store/write.h):
 * the document with its id and version, a member the database refused
 * (a message code of the registry at a JSON Pointer), nothing visible, a
 * broken constraint, or the failure.  Every statement names the caller's
 * organisation: another organisation's rows are never found.  The caller's
 * scope (struct row_scope) confines what a unit head may write and which
 * attendance rows a reader sees.
 */
#ifndef THIDUA_STORE_RECORDS_H
#define THIDUA_STORE_RECORDS_H

#include <stdint.h>

#include "store/db.h"
#include "store/directory.h"
#include "store/write.h"

/* Each *json below is a new string, or NULL when nothing is visible. */

/* {"items":[title kinds]} by level and rank (shared by every organisation). */
enum db_status store_titles_list(struct db *db, char **json);
/* {"<code>": {"vi": name_vi, "en": name_en}} of every title kind. */
enum db_status store_title_labels(struct db *db, char **json);

/* {"items":[documents]}, newest issue date first (undated last), then code. */
enum db_status store_documents_list(struct db *db, int64_t org_id, char **json);
/* One document; NULL when it is not the organisation's. */
enum db_status store_document_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: {code, title, issuer?, issued_on?} validated. */
void store_document_create(const struct writer *w, const char *fields, struct write_result *r);

/* A page of a list ordered by a date, newest first, then id (keyset). */
struct dated_page {
	int64_t plan_id; /* 0: any plan (or none) */
	/* "YYYY-MM-DD" of the previous page's last row, or "infinity" before
	 * the first page (no struct civil_date can say that; sent as text) */
	const char *after_date;
	int64_t after_id; /* its id, or 0 */
	long limit;
};

/* {"items":[movements], "next_cursor": "YYYY-MM-DD.id"|null}. */
enum db_status store_movements_list(struct db *db, int64_t org_id, const struct dated_page *pg,
				    char **json);
/* One movement and its version (the ETag); NULL when not the organisation's. */
enum db_status store_movement_get(struct db *db, int64_t org_id, int64_t id, char **json,
				  int *version);
/* fields: {name, kind, starts_on, ends_on, plan_id?, owner_unit_id?, description?}. */
void store_movement_create(const struct writer *w, const char *fields, struct write_result *r);

/* Sessions are the organisation's; their attendance is confined to the
 * scope: a unit head sees the staff of their subtree, a staff member
 * themselves.  {"items":[sessions], "next_cursor": ...}. */
enum db_status store_sessions_list(struct db *db, const struct row_scope *s,
				   const struct dated_page *pg, char **json);
enum db_status store_session_get(struct db *db, const struct row_scope *s, int64_t id, char **json);
/* fields: {kind, held_on, topic, location?, plan_id?, unit_id?, makeup_of?,
 * document_ids?}.  Invalid at /unit_id (outside the organisation or a unit
 * head's subtree), /plan_id, /makeup_of or /document_ids/<i> (not the
 * organisation's). */
void store_session_create(const struct writer *w, const struct row_scope *s, const char *fields,
			  struct write_result *r);
/* Upserts records ([{staff_id, status, informed_on?, note?}], staff
 * distinct) in one transaction and answers the session as s sees it.  A
 * staff member outside s (or the organisation), or informed_on before the
 * session, refuses the whole batch: invalid at /records/<i>/staff_id or
 * /records/<i>/informed_on; no such session: not found. */
void store_session_attendance(const struct writer *w, const struct row_scope *s, int64_t id,
			      const char *records, struct write_result *r);

/* {"items":[...]} of one year (0: every year). */
enum db_status store_ratings_list(struct db *db, int64_t org_id, int year, char **json);
/* fields: {year, subject_kind, subject_name, unit_id?, rating, rated_on, source_document}. */
void store_rating_create(const struct writer *w, const char *fields, struct write_result *r);
enum db_status store_recognitions_list(struct db *db, int64_t org_id, int year, char **json);
/* fields: {year, kind, granted_on, issuer, evidence}. */
void store_recognition_create(const struct writer *w, const char *fields, struct write_result *r);

/* A number reported against target `code` of plan `plan_id`.
 * fields: {unit_id, reported_on?, note?} (reported_on defaults to the
 * writer's today).  Invalid at "" when the target is not of kind
 * reported_number, at /unit_id when the unit is outside s; not found when
 * the plan or the target is not the organisation's. */
struct target_report_in {
	int64_t plan_id;
	const char *code;
	int64_t value_cents; /* hundredths: 3150 is 31.50 */
	const char *fields;
};
void store_target_report_create(const struct writer *w, const struct row_scope *s,
				const struct target_report_in *in, struct write_result *r);

/* A page of the reports of a plan's target (its series), newest recorded
 * first, after the id after (0: from the start); a unit head's subtree
 * only.  A new JSON string, NULL when the plan or target is not the
 * organisation's. */
enum db_status store_target_reports(struct db *db, const struct row_scope *s, int64_t plan_id,
				    const char *code, int64_t after, long limit, char **json);

#endif
