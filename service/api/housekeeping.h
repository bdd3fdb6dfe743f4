/*
 * housekeeping.h — periodic chores of a running service.
 *
 * One thread wakes every interval and deletes idempotency keys older than
 * 24 hours (api-conventions: keys are kept at least 24 hours; a key older
 * than that is also replaced when it is reused).  Every replica may run it:
 * the DELETE is idempotent.
 */
#ifndef THIDUA_API_HOUSEKEEPING_H
#define THIDUA_API_HOUSEKEEPING_H

struct app;
struct housekeeping;

/* NULL when the thread cannot start (logged). */
struct housekeeping *housekeeping_start(struct app *app, unsigned interval_s);
/* Wakes the thread, waits for it to end and frees it; NULL is ignored. */
void housekeeping_stop(struct housekeeping *h);

#endif
