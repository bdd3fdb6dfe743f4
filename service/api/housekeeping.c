/*
 * housekeeping.c — the periodic chores thread (see housekeeping.h).
 */
#include "api/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "api/app.h"
#include "http/log.h"

struct housekeeping {
	struct app *app;
	unsigned interval_s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

static struct db_stmt purge_keys =
	DB_STMT("WITH gone AS (DELETE FROM idempotency_keys"
		" WHERE created_at < now() - interval '24 hours' RETURNING 1)"
		"SELECT count(*) FROM gone",
		0);

static void purge(struct app *app)
{
	enum db_status st;
	struct db *db = pool_acquire(app->pool, &st);
	if (!db)
		return; /* PostgreSQL is away: next time */
	char *n = NULL;
	st = db_query_text(db, &purge_keys, NULL, &n);
	if (st != DB_OK)
		log_msgf(LOG_WARN, "housekeeping: purging idempotency keys failed");
	else if (n && atol(n) > 0)
		log_msgf(LOG_INFO, "housekeeping: %s idempotency keys older than 24 hours deleted",
			 n);
	free(n);
	pool_release(app->pool, db);
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
		purge(h->app);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

struct housekeeping *housekeeping_start(struct app *app, unsigned interval_s)
{
	struct housekeeping *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->app = app;
	h->interval_s = interval_s;
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
