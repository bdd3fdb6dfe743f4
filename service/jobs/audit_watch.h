/*
 * audit_watch.h — the audit chains watched: verified periodically, and
 * every broken one counted and logged, for the alerts (issue 15 §5).
 *
 * Housekeeping (jobs/housekeeping.c) calls audit_watch_run every quarter
 * of THIDUA_AUDIT_VERIFY_INTERVAL_S.  Of all the replicas, one verifies
 * every organisation's chain once per interval: the one that takes the
 * run's advisory lock and finds the last complete run (audit_verify_runs,
 * migration 0046) older than the interval (store/audit.h says how).  The
 * whole chain is verified each time, not the entries since a checkpoint:
 * the verification exists to find an old entry edited or removed, which a
 * check of the new ones alone would never read again.
 *
 * A chain found broken, by a run or by GET /v1/audit/verify
 * (audit_watch_broken), adds one to thidua_audit_verify_failures_total and
 * logs a warning naming the organisation and where its chain breaks, never
 * what the entries hold.  The gauges are read from memory: a scrape of
 * /metrics never runs a query.
 */
#ifndef THIDUA_JOBS_AUDIT_WATCH_H
#define THIDUA_JOBS_AUDIT_WATCH_H

#include <stdatomic.h>
#include <stdint.h>

#include "store/audit.h"

struct pool;

/* Who found a chain broken: the label source of the failures counter. */
enum audit_watch_source { AUDIT_WATCH_PERIODIC, AUDIT_WATCH_REQUEST };

/* Adds the counter and gauges to /metrics: after metrics_init, before the
 * listener starts.  interval_s is THIDUA_AUDIT_VERIFY_INTERVAL_S, 0 when
 * the runs are off (the counter still counts what requests find). */
void audit_watch_register(unsigned interval_s);

/* One look (housekeeping's thread): the run, when it is due and this
 * replica's turn.  Stops between two organisations once *stop is set, the
 * run then left to the next look.  pool borrowed. */
void audit_watch_run(struct pool *pool, unsigned interval_s, const atomic_bool *stop);

/* Counts and logs org_id's chain found broken, as v says; request_id names
 * the request that found it (NULL for a run). */
void audit_watch_broken(enum audit_watch_source source, int64_t org_id,
			const struct audit_verdict *v, const char *request_id);

#endif
