/*
 * steps.h — workflow steps answered by a database function.
 *
 * A step (issue a plan, submit a registration, ...) is one SQL function
 * call that checks the state, changes it and appends the audit record in
 * one statement.  It answers (outcome, detail, body, current); see
 * 0003_plans.sql.  outcome is "ok", "not_found", "stale", "invalid"
 * (detail: "pointer<TAB>message") or the slug of a 409 problem.
 */
#ifndef THIDUA_STORE_STEPS_H
#define THIDUA_STORE_STEPS_H

#include "store/db.h"

struct step_outcome {
	char *outcome; /* new strings, NULL when SQL NULL */
	char *detail;
	char *body;
	int current; /* the row's version, for "stale" */
};

/* Runs stmt, whose single row is (outcome, detail, body, current). */
enum db_status store_step(struct db *db, struct db_stmt *stmt, const char *const *values,
			  struct step_outcome *o);
void step_outcome_clear(struct step_outcome *o);

#endif
