/*
 * records.h — what a plan's targets are measured from: the catalogue of
 * titles, legal documents, movements, dissemination sessions and their
 * attendance, collective ratings, recognitions, and numbers reported by
 * units against a target.
 *
 * As in directory.h, reads return JSON text built by PostgreSQL (the *_json
 * functions of 0003_plans.sql) and writes take the validated body as one
 * JSON object and append their audit entry in the same statement (or the
 * same transaction), so a change and its trace commit together.  Every
 * statement names the caller's organisation: another organisation's rows are
 * never found.  The caller's scope (struct row_scope) confines what a unit
 * head may write and which attendance rows a reader sees.
 *
 * Rules only the database can check (a unit outside the caller's subtree, a
 * document of another organisation, a date before the session) refuse a
 * write without an error: the statement writes nothing and names the member
 * at fault as a JSON Pointer in *refusal (a new string; "" is the whole
 * body).  *json NULL with *refusal NULL means the object addressed by the
 * path was not visible.
 */
#ifndef THIDUA_STORE_RECORDS_H
#define THIDUA_STORE_RECORDS_H

#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/directory.h"

/* Each *json below is a new string, or NULL when nothing is visible. */

/* {"items":[title kinds]} by level and rank (shared by every organisation). */
enum db_status store_titles_list(struct db *db, int64_t org_id, char **json);

/* {"items":[documents]}, newest issue date first (undated last), then code. */
enum db_status store_documents_list(struct db *db, int64_t org_id, char **json);
/* One document; NULL when it is not the organisation's. */
enum db_status store_document_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: {code, title, issuer?, issued_on?} validated. */
enum db_status store_document_create(struct db *db, const struct actor *a, const char *fields,
				     char **json);

/* A page of a list ordered by a date, newest first, then id (keyset). */
struct dated_page {
	int64_t plan_id; /* 0: any plan (or none) */
	const char *after_date; /* "YYYY-MM-DD" of the previous page's last row, or "infinity" */
	int64_t after_id; /* its id, or 0 */
	long limit;
};

/* {"items":[movements], "next_cursor": "YYYY-MM-DD.id"|null}. */
enum db_status store_movements_list(struct db *db, int64_t org_id, const struct dated_page *pg,
				    char **json);
enum db_status store_movement_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: {name, kind, starts_on, ends_on, plan_id?, owner_unit_id?, description?}. */
enum db_status store_movement_create(struct db *db, const struct actor *a, const char *fields,
				     char **json);

/* Sessions are the organisation's; their attendance is confined to the
 * scope: a unit head sees the staff of their subtree, a staff member
 * themselves.  {"items":[sessions], "next_cursor": ...}. */
enum db_status store_sessions_list(struct db *db, const struct row_scope *s,
				   const struct dated_page *pg, char **json);
enum db_status store_session_get(struct db *db, const struct row_scope *s, int64_t id, char **json);
/* fields: {kind, held_on, topic, location?, plan_id?, unit_id?, makeup_of?,
 * document_ids?}; unit_id must lie in a unit head's subtree. */
enum db_status store_session_create(struct db *db, const struct actor *a, const struct row_scope *s,
				    const char *fields, char **json, char **refusal);
/* Upserts records ([{staff_id, status, informed_on?, note?}], staff
 * distinct) in one transaction and answers the session as s sees it.  A
 * staff member outside s, or informed_on before the session, refuses the
 * whole batch at /records/<i>/... */
enum db_status store_session_attendance(struct db *db, const struct actor *a,
					const struct row_scope *s, int64_t id, const char *records,
					char **json, char **refusal);

/* {"items":[...]} of one year (0: every year). */
enum db_status store_ratings_list(struct db *db, int64_t org_id, int year, char **json);
/* fields: {year, subject_kind, subject_name, unit_id?, rating, rated_on, source_document}. */
enum db_status store_rating_create(struct db *db, const struct actor *a, const char *fields,
				   char **json);
enum db_status store_recognitions_list(struct db *db, int64_t org_id, int year, char **json);
/* fields: {year, kind, granted_on, issuer, evidence}. */
enum db_status store_recognition_create(struct db *db, const struct actor *a, const char *fields,
					char **json);

/* A number reported against target `code` of plan `plan_id`.
 * fields: {unit_id, reported_on?, note?}; value: numeric text ("31.50").
 * Refused at "" when the target is not of kind reported_number, at
 * /unit_id when the unit is outside s; not found when the plan or the
 * target is not the organisation's. */
struct target_report_in {
	int64_t plan_id;
	const char *code;
	const char *value;
	const char *fields;
};
enum db_status store_target_report_create(struct db *db, const struct actor *a,
					  const struct row_scope *s,
					  const struct target_report_in *in, char **json,
					  char **refusal);

#endif
