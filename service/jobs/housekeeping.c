/*
 * housekeeping.c — the periodic chores thread (see housekeeping.h).
 */
#include "jobs/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "http/log.h"
#include "store/db.h"
#include "store/housekeeping.h"

struct housekeeping {
	struct pool *pool;
	unsigned interval_s;
	bool mail;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
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

static void *run(void *arg)
{
	struct housekeeping *h = arg;
	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += h->interval_s;
		while (!h->stop && pthread_cond_timedwait(&h->wake, &h->lock, &until) != ETIMEDOUT)
			;
		if (h->stop)
			break;
		pthread_mutex_unlock(&h->lock);
		purge(h->pool, h->mail);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

struct housekeeping *housekeeping_start(struct pool *pool, unsigned interval_s, bool mail)
{
	struct housekeeping *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->pool = pool;
	h->interval_s = interval_s;
	h->mail = mail;
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
	h->stop = true;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
