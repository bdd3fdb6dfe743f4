/*
 * housekeeping.h — SQL of the periodic chores (jobs/housekeeping.c).
 */
#ifndef THIDUA_STORE_HOUSEKEEPING_H
#define THIDUA_STORE_HOUSEKEEPING_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Deletes idempotency keys older than 24 hours; *deleted how many. */
enum db_status store_purge_idempotency_keys(struct db *db, int64_t *deleted);
/* Deletes login throttle rows that hold nothing any more: no failure for a
 * day, not blocked, no attempt in flight (db/procedures/login_throttle.sql);
 * *deleted how many.  Without it every name ever tried stays a row. */
enum db_status store_purge_login_throttle(struct db *db, int64_t *deleted);
/* Deletes the public's quotas of past days (public_case_quota, migration
 * 0030: cases and feedback) and the proofs of work whose challenge expired
 * (public_proofs_spent, 0031). */
enum db_status store_purge_public_case_quota(struct db *db, int64_t *deleted);

/* Records the reminders of cases due within five days or overdue on
 * Vietnam's today (case_reminders, migration 0034), each an outbox event
 * and, with mail, e-mails to queue (migration 0038); *made how many new. */
enum db_status store_record_case_reminders(struct db *db, bool mail, int64_t *made);

#endif
