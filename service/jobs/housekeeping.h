/*
 * housekeeping.h — periodic chores of a running service.
 *
 * jobs/ holds the service's own threads besides the HTTP workers; main.c
 * starts and stops them.  Housekeeping wakes every interval and deletes
 * idempotency keys older than 24 hours (api-conventions: keys are kept at
 * least 24 hours; a key older than that is also replaced when it is
 * reused), through store/housekeeping.h.  Every replica may run it: the
 * DELETE is idempotent.
 *
 * On a schedule of its own, every quarter of the audit interval, it looks
 * whether the audit chains are due for their periodic verification
 * (jobs/audit_watch.h): one replica of all verifies them once per interval.
 */
#ifndef THIDUA_JOBS_HOUSEKEEPING_H
#define THIDUA_JOBS_HOUSEKEEPING_H

#include <stdbool.h>

struct pool;
struct housekeeping;

struct housekeeping_options {
	unsigned interval_s; /* between the purges and the reminders */
	bool mail; /* the cases' reminders are also mailed (an SMTP relay is configured) */
	unsigned audit_verify_interval_s; /* 0: no periodic verification */
};

/* NULL when the thread cannot start (logged).  pool is borrowed. */
struct housekeeping *housekeeping_start(struct pool *pool, const struct housekeeping_options *o);
/* Wakes the thread, waits for it to end and frees it; NULL is ignored. */
void housekeeping_stop(struct housekeeping *h);

#endif
