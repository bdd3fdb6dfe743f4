/*
 * plans.h — emulation plans (kế hoạch thi đua), their targets and progress,
 * and the units' registrations (đăng ký thi đua).
 *
 * Reads return JSON text made by PostgreSQL (plan_json, registration_json,
 * db/procedures/); writes are procedures answering a struct write_result
 * (store/write.h), so a change, its checks and its audit record are one
 * statement.  Every call names the organisation; a row of another one is
 * never found.
 */
#ifndef THIDUA_STORE_PLANS_H
#define THIDUA_STORE_PLANS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "domain/targets.h"
#include "store/db.h"
#include "store/write.h"

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

/* fields: the validated JSON body. */
void store_plan_create(const struct writer *w, const char *fields, struct write_result *r);
void store_plan_update(const struct writer *w, int64_t id, int version, const char *fields,
		       struct write_result *r);
/* step: "issue" or "close"; fields: the step's body ("{}" when none). */
void store_plan_step(const struct writer *w, int64_t id, int version, const char *step,
		     const char *fields, struct write_result *r);
void store_plan_amend(const struct writer *w, int64_t id, struct write_result *r);

/* The period of a plan, from which the domain computes the progress clock. */
struct plan_period {
	int64_t plan_id, series_id;
	int year;
	struct civil_date start, end;
	/* when a closed plan's results of the unit asked were frozen, or "" */
	char frozen_at[40];
	/* whether the plan itself had been recorded before recorded_before */
	bool recorded;
};
/* In the two calls below, recorded_before (an instant in seconds since the
 * epoch; NULL: everything so far) asks the progress as it stood then: only
 * what had been recorded before it counts (issue 11 §5;
 * db/procedures/target_progress.sql). */

/* The plan's period, and frozen_at for unit's counts (0: the
 * organisation's) when they were frozen before recorded_before; *found
 * false when the organisation has no such plan. */
enum db_status store_plan_period(struct db *db, int64_t org, int64_t id, int64_t unit,
				 const int64_t *recorded_before, struct plan_period *p,
				 bool *found);

/* One target and what the database counted for it by the reference day:
 * in the counts the domain evaluates (target_input, without the clock). */
struct target_progress {
	int64_t id;
	int position;
	char code[24];
	char *title; /* owned */
	struct target_input in;
};
struct plan_progress {
	size_t n;
	struct target_progress *targets; /* owned, in the plan's order */
};
/* Counts every target of the plan up to the reference day (results dated
 * after it do not count), confined to unit's subtree when unit > 0, from
 * what had been recorded before recorded_before. */
enum db_status store_plan_progress(struct db *db, int64_t org, int64_t id,
				   struct civil_date reference, int64_t unit,
				   const int64_t *recorded_before, struct plan_progress *out);
void plan_progress_clear(struct plan_progress *p);

/* The organisation's progress revision (data_revisions): it moves with
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
void store_registration_create(const struct writer *w, int64_t plan, const struct reg_scope *s,
			       const char *fields, struct write_result *r);
void store_registration_update(const struct writer *w, int64_t id, int version,
			       const struct reg_scope *s, const char *fields,
			       struct write_result *r);
/* fields NULL: removes the person's entry. */
void store_registration_entry(const struct writer *w, int64_t id, int64_t staff_id,
			      const struct reg_scope *s, const char *fields,
			      struct write_result *r);
/* step: "submit", "accept" or "return" (with reason). */
void store_registration_step(const struct writer *w, int64_t id, int version,
			     const struct reg_scope *s, const char *step, const char *reason,
			     struct write_result *r);
void store_registration_reopen(const struct writer *w, int64_t plan, const char *fields,
			       struct write_result *r);
/* The roster document (registration_roster in db/procedures/). */
enum db_status store_registration_roster(struct db *db, int64_t org, int64_t plan, int64_t unit,
					 char **json);

#endif
