/*
 * reports.h — report templates, reporting periods and submissions.
 *
 * Reads return JSON text made by PostgreSQL (report_json.sql); writes are
 * procedures (report_workflow.sql, submission_workflow.sql) answering a
 * struct write_result (store/write.h), each one statement with its audit
 * record.  A submission's creation also stores its answer under the
 * caller's Idempotency-Key in the same statement, so a retry can never
 * create a second one.  Every call names the organisation; a row of
 * another one is never found.
 */
#ifndef THIDUA_STORE_REPORTS_H
#define THIDUA_STORE_REPORTS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

enum db_status store_report_templates_list(struct db *db, int64_t org, char **json);
enum db_status store_report_template_get(struct db *db, int64_t org, int64_t id, char **json);
/* fields: {code, title, fields (normalized)}; the next version of code. */
void store_report_template_create(const struct writer *w, const char *fields,
				  struct write_result *r);

/* A page of periods, newest due first; after: the last id of the previous page. */
enum db_status store_report_periods_list(struct db *db, int64_t org, int64_t after, long limit,
					 char **json);
enum db_status store_report_period_get(struct db *db, int64_t org, int64_t id, char **json);
/* fields: the validated body {template_id, kind, title, starts_on, ends_on,
 * due_on, unit_ids}. */
void store_report_period_create(const struct writer *w, const char *fields, struct write_result *r);
/* open → closed: no more submissions or changes. */
void store_report_period_close(const struct writer *w, int64_t id, int version,
			       struct write_result *r);

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

/* What makes a creation happen once: the caller's Idempotency-Key (NULL:
 * none) and the SHA-256 of the request it came with. */
#define SUBMISSION_HASH_LEN 32
struct submission_key {
	const char *key;
	unsigned char hash[SUBMISSION_HASH_LEN];
};
/* fields: {unit_id, answers (checked), submit}; unit: the caller's scope
 * (see above).  A key seen before with the same request replays its
 * answer (WRITE_REPLAYED). */
void store_submission_create(const struct writer *w, const struct submission_key *k, int64_t period,
			     int64_t unit, const char *fields, struct write_result *r);
/* step: "update" (fields {answers, submit}), "submit", "accept", "return"
 * (with reason); fields and reason NULL where the step takes none. */
void store_submission_change(const struct writer *w, int64_t id, int version, int64_t unit,
			     const char *step, const char *fields, const char *reason,
			     struct write_result *r);

#endif
