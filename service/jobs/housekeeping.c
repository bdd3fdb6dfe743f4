/*
 * housekeeping.c — the periodic chores thread (see housekeeping.h).
 */
#include "jobs/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "domain/timespec.h"
#include "http/log.h"
#include "jobs/audit_watch.h"
#include "store/db.h"
#include "store/housekeeping.h"

struct housekeeping {
	struct pool *pool;
	struct housekeeping_options o;
	unsigned audit_look_s; /* between looks at the audit verification; 0: none */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop; /* written under the lock; read without it by a run */
};

static void purge(struct pool *pool, bool mail)
{
	enum db_status st;
	struct db *db = pool_acquire(pool, &st);
	if (!db)
		return; /* PostgreSQL is away: next time */
	int64_t n = 0;
	st = store_purge_idempotency_keys(db, &n);
	if (st != DB_OK)
		log_msgf(LOG_WARN, "housekeeping: purging idempotency keys failed");
	else if (n > 0)
		log_msgf(LOG_INFO,
			 "housekeeping: %lld idempotency keys older than 24 hours deleted",
			 (long long)n);
	st = store_purge_login_throttle(db, &n);
	if (st != DB_OK)
		log_msgf(LOG_WARN, "housekeeping: purging the login throttle failed");
	else if (n > 0)
		log_msgf(LOG_INFO, "housekeeping: %lld idle login throttle rows deleted",
			 (long long)n);
	st = store_purge_public_case_quota(db, &n);
	if (st != DB_OK)
		log_msgf(LOG_WARN,
			 "housekeeping: purging the public's quotas and spent proofs failed");
	else if (n > 0)
		log_msgf(LOG_INFO,
			 "housekeeping: %lld past days' quotas and expired proofs of the public "
			 "deleted",
			 (long long)n);
	st = store_record_case_reminders(db, mail, &n);
	if (st != DB_OK)
		log_msgf(LOG_WARN, "housekeeping: recording the cases' reminders failed");
	else if (n > 0)
		log_msgf(LOG_INFO, "housekeeping: %lld reminders of cases due recorded",
			 (long long)n);
	pool_release(pool, db);
}

/* now + s seconds (at most a week: settings) */
static struct timespec seconds_after(struct timespec now, unsigned s)
{
	return timespec_plus_ms(now, s * 1000u);
}

static bool reached(const struct timespec *t, const struct timespec *now)
{
	return timespec_diff_ms(now, t) >= 0;
}

/* Two schedules on one thread: the purges, and the looks at the audit
 * verification.  A verification under way delays a purge; both are cheap
 * beside their intervals. */
static void *run(void *arg)
{
	struct housekeeping *h = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct timespec purge_at = seconds_after(now, h->o.interval_s);
	struct timespec audit_at = seconds_after(now, h->audit_look_s);
	pthread_mutex_lock(&h->lock);
	while (!atomic_load(&h->stop)) {
		const struct timespec *until =
			h->audit_look_s && !reached(&purge_at, &audit_at) ? &audit_at : &purge_at;
		while (!atomic_load(&h->stop) &&
		       pthread_cond_timedwait(&h->wake, &h->lock, until) != ETIMEDOUT)
			;
		if (atomic_load(&h->stop))
			break;
		pthread_mutex_unlock(&h->lock);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (reached(&purge_at, &now)) {
			purge(h->pool, h->o.mail);
			clock_gettime(CLOCK_MONOTONIC, &now);
			purge_at = seconds_after(now, h->o.interval_s);
		}
		if (h->audit_look_s && reached(&audit_at, &now)) {
			audit_watch_run(h->pool, h->o.audit_verify_interval_s, &h->stop);
			clock_gettime(CLOCK_MONOTONIC, &now);
			audit_at = seconds_after(now, h->audit_look_s);
		}
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

struct housekeeping *housekeeping_start(struct pool *pool, const struct housekeeping_options *o)
{
	struct housekeeping *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->pool = pool;
	h->o = *o;
	/* a quarter of the interval: all replicas together verify every
	 * interval to interval and a quarter */
	h->audit_look_s = o->audit_verify_interval_s ? (o->audit_verify_interval_s + 3) / 4 : 0;
	atomic_init(&h->stop, false);
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&h->thread, NULL, run, h) != 0) {
		log_msgf(LOG_ERROR, "housekeeping: cannot start its thread");
		pthread_cond_destroy(&h->wake);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

void housekeeping_stop(struct housekeeping *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	atomic_store(&h->stop, true);
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
