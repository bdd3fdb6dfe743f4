/*
 * reports.h — report templates, reporting periods and submissions.
 *
 * Writes are database functions of 0006_reports.sql answering a struct
 * step_outcome (store/steps.h), each one statement with its audit record.
 * A submission's creation also stores its answer under the caller's
 * Idempotency-Key in the same statement, so a retry can never create a
 * second one.
 */
#ifndef THIDUA_STORE_REPORTS_H
#define THIDUA_STORE_REPORTS_H

#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/steps.h"

enum db_status store_report_templates_list(struct db *db, int64_t org, char **json);
enum db_status store_report_template_get(struct db *db, int64_t org, int64_t id, char **json);
/* fields: {code, title, fields (normalized)}. */
enum db_status store_report_template_create(struct db *db, const struct actor *a,
					    const char *fields, struct step_outcome *o);

/* A page of periods, newest due first; after: the last id of the previous page. */
enum db_status store_report_periods_list(struct db *db, int64_t org, int64_t after, long limit,
					 char **json);
enum db_status store_report_period_get(struct db *db, int64_t org, int64_t id, char **json);
enum db_status store_report_period_create(struct db *db, const struct actor *a, const char *fields,
					  struct step_outcome *o);

/* open → closed: no more submissions or changes. */
enum db_status store_report_period_close(struct db *db, const struct actor *a, int64_t id,
					 int version, struct step_outcome *o);

/* The normalized fields of the template a period (or a submission's
 * period) was opened with; NULL when not found. */
enum db_status store_period_fields(struct db *db, int64_t org, int64_t period, char **json);
enum db_status store_submission_fields(struct db *db, int64_t org, int64_t submission, char **json);

/* unit > 0: a unit head's subtree (0: the organisation). */
enum db_status store_submissions_list(struct db *db, int64_t org, int64_t period, int64_t unit,
				      char **json);
enum db_status store_submission_get(struct db *db, int64_t org, int64_t id, int64_t unit,
				    char **json);
enum db_status store_submission_versions(struct db *db, int64_t org, int64_t id, int64_t unit,
					 char **json);
/* key NULL: no Idempotency-Key; hash: hex of the request's SHA-256. */
enum db_status store_submission_create(struct db *db, const struct actor *a, const char *key,
				       const char *hash_hex, int64_t period, int64_t unit,
				       const char *fields, const char *today,
				       struct step_outcome *o);
/* step: "update" (fields {answers, submit}), "submit", "accept", "return". */
enum db_status store_submission_change(struct db *db, const struct actor *a, int64_t id,
				       int version, int64_t unit, const char *step,
				       const char *fields, const char *reason, const char *today,
				       struct step_outcome *o);

#endif
