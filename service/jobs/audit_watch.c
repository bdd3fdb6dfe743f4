/*
 * audit_watch.c — the periodic verification of the audit chains and the
 * counts of broken ones (see audit_watch.h).
 */
#include "jobs/audit_watch.h"

#include <stdlib.h>
#include <time.h>

#include "domain/timespec.h"
#include "http/log.h"
#include "http/metrics.h"
#include "store/db.h"

static const char *const source_names[] = { "periodic", "request" };

/* Written by housekeeping's thread and the requests, read by scrapes. */
static struct {
	unsigned interval_s; /* set before the listener starts */
	atomic_uint_fast64_t failures[2]; /* by enum audit_watch_source */
	atomic_int_fast64_t last_success; /* Unix seconds; 0: not known here */
} watch;

static void gauges(struct metrics_buf *out, void *ctx)
{
	(void)ctx;
	metrics_printf(out,
		       "# HELP thidua_audit_verify_failures_total Organisations whose audit "
		       "chain did not verify, one at each verification that found it broken, "
		       "by who verified: the periodic run or a request (GET /v1/audit/verify).\n"
		       "# TYPE thidua_audit_verify_failures_total counter\n");
	for (size_t i = 0; i < 2; i++)
		metrics_printf(out, "thidua_audit_verify_failures_total{source=\"%s\"} %llu\n",
			       source_names[i],
			       (unsigned long long)atomic_load_explicit(&watch.failures[i],
									memory_order_relaxed));
	if (!watch.interval_s)
		return;
	metrics_printf(out,
		       "# HELP thidua_audit_verify_interval_seconds The interval of the periodic "
		       "verification of the audit chains (THIDUA_AUDIT_VERIFY_INTERVAL_S).\n"
		       "# TYPE thidua_audit_verify_interval_seconds gauge\n"
		       "thidua_audit_verify_interval_seconds %u\n",
		       watch.interval_s);
	int_fast64_t last = atomic_load_explicit(&watch.last_success, memory_order_relaxed);
	if (last)
		metrics_printf(out,
			       "# HELP thidua_audit_verify_last_success_timestamp_seconds The end "
			       "of the last run, by any replica, that verified every "
			       "organisation's audit chain, whatever it found.\n"
			       "# TYPE thidua_audit_verify_last_success_timestamp_seconds gauge\n"
			       "thidua_audit_verify_last_success_timestamp_seconds %lld\n",
			       (long long)last);
}

void audit_watch_register(unsigned interval_s)
{
	watch.interval_s = interval_s;
	metrics_add_source(gauges, NULL);
}

void audit_watch_broken(enum audit_watch_source source, int64_t org_id,
			const struct audit_verdict *v, const char *request_id)
{
	size_t i = source == AUDIT_WATCH_REQUEST;
	atomic_fetch_add_explicit(&watch.failures[i], 1, memory_order_relaxed);
	/* where the chain breaks, never what its entries hold */
	json_t *fields =
		json_pack("{s:I, s:i, s:I, s:s, s:s}", "organization_id", (json_int_t)org_id,
			  "stripe", v->stripe, "seq", (json_int_t)v->seq, "reason", v->reason,
			  "source", source_names[i]);
	if (request_id)
		json_object_set_new(fields, "request_id", json_string(request_id));
	log_event(LOG_WARN, "audit chain broken", fields);
}

/* A run, inside the claim's transaction: every organisation's chain, each
 * one statement (so statement_timeout bounds one organisation, not all).
 * *failed_org: the organisation whose statement failed. */
static enum db_status verify_all(struct db *db, const atomic_bool *stop, int64_t *failed_org)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int64_t *ids = NULL;
	size_t n = 0, broken = 0;
	int64_t entries = 0;
	enum db_status st = store_audit_organizations(db, &ids, &n);
	for (size_t i = 0; st == DB_OK && i < n; i++) {
		if (atomic_load(stop)) {
			st = DB_UNAVAILABLE; /* not an error: the next look runs it again */
			break;
		}
		struct audit_verdict v;
		st = store_audit_verify_verdict(db, ids[i], &v);
		if (st != DB_OK) {
			*failed_org = ids[i];
			break;
		}
		entries += v.checked;
		if (!v.ok) {
			broken++;
			audit_watch_broken(AUDIT_WATCH_PERIODIC, ids[i], &v, NULL);
		}
	}
	free(ids);
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t finished = 0;
	if (st == DB_OK)
		st = store_audit_run_finish(db, (int64_t)n, (int64_t)broken, &finished);
	if (st == DB_OK)
		st = db_commit(db);
	if (st != DB_OK)
		return st;
	atomic_store_explicit(&watch.last_success, finished, memory_order_relaxed);
	log_event(broken ? LOG_WARN : LOG_INFO, "audit chains verified",
		  json_pack("{s:I, s:I, s:I, s:I}", "organizations", (json_int_t)n, "broken",
			    (json_int_t)broken, "entries", (json_int_t)entries, "duration_ms",
			    (json_int_t)timespec_diff_ms(&t1, &t0)));
	return DB_OK;
}

void audit_watch_run(struct pool *pool, unsigned interval_s, const atomic_bool *stop)
{
	enum db_status st;
	struct db *db = pool_acquire(pool, &st);
	if (!db)
		return; /* PostgreSQL away, or the migrations not applied yet: next look */
	bool due = false;
	int64_t finished = 0, failed_org = 0;
	st = db_begin(db);
	if (st == DB_OK)
		st = store_audit_run_claim(db, interval_s, &due, &finished);
	if (st == DB_OK && finished) /* another replica's run tells this one too */
		atomic_store_explicit(&watch.last_success, finished, memory_order_relaxed);
	if (st == DB_OK && due) {
		st = verify_all(db, stop, &failed_org);
		if (st != DB_OK && !atomic_load(stop)) {
			json_t *fields = json_pack("{s:s}", "sqlstate", db_last_sqlstate(db));
			if (failed_org)
				json_object_set_new(fields, "organization_id",
						    json_integer(failed_org));
			log_event(LOG_WARN, "audit verification not finished", fields);
		}
	}
	pool_release(pool, db); /* rolls back what is still open: the lock goes */
}
