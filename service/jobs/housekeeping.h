/*
 * housekeeping.h — periodic chores of a running service.
 *
 * jobs/ holds the service's own threads besides the HTTP workers; main.c
 * starts and stops them.  Housekeeping wakes every interval and deletes
 * idempotency keys older than 24 hours (api-conventions: keys are kept at
 * least 24 hours; a key older than that is also replaced when it is
 * reused), through store/housekeeping.h.  Every replica may run it: the
 * DELETE is idempotent.
 */
#ifndef THIDUA_JOBS_HOUSEKEEPING_H
#define THIDUA_JOBS_HOUSEKEEPING_H

#include <stdbool.h>

struct pool;
struct housekeeping;

/* NULL when the thread cannot start (logged).  pool is borrowed.  mail:
 * the cases' reminders are also mailed (an SMTP relay is configured). */
struct housekeeping *housekeeping_start(struct pool *pool, unsigned interval_s, bool mail);
/* Wakes the thread, waits for it to end and frees it; NULL is ignored. */
void housekeeping_stop(struct housekeeping *h);

#endif
