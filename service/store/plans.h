/*
 * plans.h — emulation plans (kế hoạch thi đua), their targets and progress,
 * and the units' registrations (đăng ký thi đua).
 *
 * Reads return JSON text made by PostgreSQL (plan_json, registration_json);
 * workflow steps are database functions answering a struct step_outcome
 * (store/steps.h), so a change, its checks and its audit record are one
 * statement.  Every call names the organisation; a row of another one is
 * never found.
 */
#ifndef THIDUA_STORE_PLANS_H
#define THIDUA_STORE_PLANS_H

#include <libpq-fe.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/steps.h"

struct plan_filter {
	int64_t year; /* 0: any */
	const char *status; /* NULL: any */
	int64_t after_id; /* keyset: the last plan of the previous page; 0: first page */
	long limit;
};

/* Each *json is a new string, or NULL when the plan is not found. */
enum db_status store_plans_list(struct db *db, int64_t org, const struct plan_filter *f,
				char **json);
enum db_status store_plan_get(struct db *db, int64_t org, int64_t id, char **json);
enum db_status store_plan_history(struct db *db, int64_t org, int64_t id, char **json);

/* fields: the validated JSON body.  today: "YYYY-MM-DD" in Vietnam. */
enum db_status store_plan_create(struct db *db, const struct actor *a, const char *fields,
				 struct step_outcome *o);
enum db_status store_plan_update(struct db *db, const struct actor *a, int64_t id, int version,
				 const char *fields, struct step_outcome *o);
/* step: "issue" or "close". */
enum db_status store_plan_step(struct db *db, const struct actor *a, int64_t id, int version,
			       const char *step, const char *fields, const char *today,
			       struct step_outcome *o);
enum db_status store_plan_amend(struct db *db, const struct actor *a, int64_t id,
				struct step_outcome *o);

/*
 * The counts of every target as of the day as_of ("YYYY-MM-DD"), confined
 * to unit's subtree when unit > 0.  One row per target (none: the plan has
 * no targets, and one row with NULL target columns), columns in the order
 * of enum progress_col; NULL *res when the plan is not found.
 */
enum progress_col {
	PC_PLAN_ID,
	PC_SERIES_ID,
	PC_YEAR,
	PC_PERIOD_START,
	PC_PERIOD_END,
	PC_REFERENCE,
	PC_TARGET_ID,
	PC_CODE,
	PC_POSITION,
	PC_TITLE,
	PC_KIND,
	PC_CONDITION,
	PC_COMPARISON,
	PC_THRESHOLD,
	PC_ROUNDING,
	PC_NUMERATOR,
	PC_DENOMINATOR,
	PC_PROJECTED_NUMERATOR,
	PC_PROJECTED_DENOMINATOR,
	PC_VALUE_CENTI,
	PC_COUNT
};
enum db_status store_plan_progress(struct db *db, int64_t org, int64_t id, const char *as_of,
				   int64_t unit, PGresult **res);

/* The organisation's progress revision (0004_revisions.sql): it moves with
 * every change of the data progress is counted from. */
enum db_status store_progress_revision(struct db *db, int64_t org, int64_t *rev);

/* Registrations.  unit > 0: a unit head's subtree; staff > 0: one person. */
struct reg_scope {
	int64_t unit;
	int64_t staff;
};
enum db_status store_registrations_list(struct db *db, int64_t org, int64_t plan,
					const struct reg_scope *s, char **json);
/* The registration and its version (for the ETag); NULL when not visible. */
enum db_status store_registration_get(struct db *db, int64_t org, int64_t id,
				      const struct reg_scope *s, char **json, int *version);
enum db_status store_registration_create(struct db *db, const struct actor *a, int64_t plan,
					 const struct reg_scope *s, const char *fields,
					 const char *today, struct step_outcome *o);
enum db_status store_registration_update(struct db *db, const struct actor *a, int64_t id,
					 int version, const struct reg_scope *s, const char *fields,
					 const char *today, struct step_outcome *o);
/* fields NULL: removes the person's entry. */
enum db_status store_registration_entry(struct db *db, const struct actor *a, int64_t id,
					int64_t staff_id, const struct reg_scope *s,
					const char *fields, const char *today,
					struct step_outcome *o);
/* step: "submit", "accept" or "return" (with reason). */
enum db_status store_registration_step(struct db *db, const struct actor *a, int64_t id,
				       int version, const struct reg_scope *s, const char *step,
				       const char *reason, const char *today,
				       struct step_outcome *o);
enum db_status store_registration_reopen(struct db *db, const struct actor *a, int64_t plan,
					 const char *fields, const char *today,
					 struct step_outcome *o);
/* The roster document (see registration_roster in 0003_plans.sql). */
enum db_status store_registration_roster(struct db *db, int64_t org, int64_t plan, int64_t unit,
					 char **json);

#endif
