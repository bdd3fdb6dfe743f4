/*
 * webhooks.c — the delivery thread of the outbox (see webhooks.h).
 */
#include "jobs/webhooks.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/webhook_sign.h"
#include "domain/timespec.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/netaddr.h"
#include "store/db.h"
#include "store/webhooks.h"

/* The lease of a claim outlives the post it covers by this much, so that
 * two replicas never post one delivery at once unless one of them died. */
#define LEASE_SLACK_S 5
/* e-mails claimed at once: sent one after the other */
#define MAIL_BATCH 20
/* The backlog is counted again every ten looks at the outbox, at most 15 s
 * (ms) apart: a count per replica that often reads a few index pages
 * (store_outbox_backlog). */
#define BACKLOG_LOOKS 10
#define BACKLOG_EVERY_MAX_MS 15000

struct webhooks {
	struct pool *pool;
	struct webhooks_options o;
	CURLM *multi; /* kept across batches: its connections are reused */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
};

/* One post under way. */
struct transfer {
	struct webhook_job *job;
	CURL *easy;
	struct curl_slist *headers;
	struct webhook_outcome *outcome;
	char error[96];
	bool done;
};

/* The backlog as last counted, for /metrics: the thread writes it under
 * the lock, a scrape copies it; a scrape never reaches PostgreSQL. */
enum { CHANNEL_WEBHOOK, CHANNEL_EMAIL, N_CHANNELS };
static const char *const channel_names[N_CHANNELS] = { "webhook", "email" };
static struct {
	pthread_mutex_t lock;
	bool known; /* counted at least once */
	int64_t pending[N_CHANNELS];
	int64_t oldest_ms[N_CHANNELS]; /* the oldest one's age when counted; 0: none */
	struct timespec counted; /* CLOCK_MONOTONIC */
} backlog = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The oldest one's age is its age when counted plus the time since, so
 * that it keeps growing when the counts stop (the thread stuck, PostgreSQL
 * away): an alert on it then fires instead of reading an old value. */
static void backlog_gauges(struct metrics_buf *out, void *ctx)
{
	(void)ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&backlog.lock);
	bool known = backlog.known;
	int64_t pending[N_CHANNELS], age_ms[N_CHANNELS];
	for (int i = 0; i < N_CHANNELS; i++) {
		pending[i] = backlog.pending[i];
		age_ms[i] =
			pending[i] ? backlog.oldest_ms[i] + timespec_diff_ms(&now, &backlog.counted)
				   : 0;
	}
	pthread_mutex_unlock(&backlog.lock);
	if (!known)
		return; /* never "0 pending" before the first count */
	metrics_printf(out, "# HELP thidua_outbox_pending Deliveries of the outbox neither "
			    "delivered nor given up, all organisations, by channel.\n"
			    "# TYPE thidua_outbox_pending gauge\n");
	for (int i = 0; i < N_CHANNELS; i++)
		metrics_printf(out, "thidua_outbox_pending{channel=\"%s\"} %lld\n",
			       channel_names[i], (long long)pending[i]);
	metrics_printf(out, "# HELP thidua_outbox_oldest_pending_seconds Age of the event of the "
			    "oldest pending delivery, by channel; 0 when none.\n"
			    "# TYPE thidua_outbox_oldest_pending_seconds gauge\n");
	for (int i = 0; i < N_CHANNELS; i++)
		metrics_printf(out, "thidua_outbox_oldest_pending_seconds{channel=\"%s\"} %.3f\n",
			       channel_names[i], (double)age_ms[i] / 1000.0);
}

/* Counts the backlog again when *next has come.  No connection (the
 * migrations not applied yet, PostgreSQL away): the next look tries again;
 * a failed count waits for the next turn.  Either keeps the last counts. */
static void backlog_count(struct webhooks *w, struct timespec *next)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (timespec_diff_ms(&now, next) < 0)
		return;
	enum db_status st;
	struct db *db = pool_acquire(w->pool, &st);
	if (!db)
		return;
	unsigned every_ms = w->o.poll_ms * BACKLOG_LOOKS;
	if (every_ms > BACKLOG_EVERY_MAX_MS)
		every_ms = BACKLOG_EVERY_MAX_MS;
	*next = timespec_plus_ms(now, every_ms);
	struct outbox_backlog b;
	st = store_outbox_backlog(db, &b);
	pool_release(w->pool, db);
	if (st != DB_OK)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&backlog.lock);
	backlog.known = true;
	backlog.pending[CHANNEL_WEBHOOK] = b.webhook_pending;
	backlog.oldest_ms[CHANNEL_WEBHOOK] = b.webhook_oldest_ms;
	backlog.pending[CHANNEL_EMAIL] = b.email_pending;
	backlog.oldest_ms[CHANNEL_EMAIL] = b.email_oldest_ms;
	backlog.counted = now;
	pthread_mutex_unlock(&backlog.lock);
}

static size_t discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * n;
}

/* Refuses, after DNS, the addresses of the service's own networks. */
static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
	const struct webhooks *w = ctx;
	(void)purpose;
	if (!w->o.allow_private && !netaddr_is_public(&a->addr))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

static struct curl_slist *headers_of(const struct webhook_job *j)
{
	char sig[WEBHOOK_SIGNATURE_LEN], line[160];
	webhook_signature(j->key, sizeof j->key, j->webhook_id, j->timestamp, j->body,
			  strlen(j->body), sig);
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(line, sizeof line, "webhook-id: %s", j->webhook_id);
	h = h ? curl_slist_append(h, line) : NULL;
	snprintf(line, sizeof line, "webhook-timestamp: %" PRId64, j->timestamp);
	h = h ? curl_slist_append(h, line) : NULL;
	snprintf(line, sizeof line, "webhook-signature: %s", sig);
	h = h ? curl_slist_append(h, line) : NULL;
	/* no "100 Continue" round trip: bodies are small */
	h = h ? curl_slist_append(h, "Expect:") : NULL;
	return h;
}

static bool transfer_begin(struct webhooks *w, struct transfer *t)
{
	t->headers = headers_of(t->job);
	t->easy = curl_easy_init();
	if (!t->headers || !t->easy)
		return false;
	CURL *e = t->easy;
	long timeout = (long)w->o.timeout_ms;
	curl_easy_setopt(e, CURLOPT_URL, t->job->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* no proxy from the environment: the address check must see the
	 * subscriber's address, not a proxy's */
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout < 5000 ? timeout : 5000L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->job->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(t->job->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "thidua-webhooks/" THIDUA_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, w);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	return curl_multi_add_handle(w->multi, e) == CURLM_OK;
}

static void transfer_end(struct webhooks *w, struct transfer *t)
{
	if (t->easy) {
		curl_multi_remove_handle(w->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->headers);
	t->easy = NULL;
	t->headers = NULL;
}

/* What a finished post says: delivered on a 2xx, else the reason. */
static void transfer_done(struct transfer *t, CURLcode code)
{
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	t->outcome->status = (int)status;
	t->outcome->error = NULL;
	if (code != CURLE_OK)
		snprintf(t->error, sizeof t->error, "%s", curl_easy_strerror(code));
	else if (status < 200 || status > 299)
		snprintf(t->error, sizeof t->error, "HTTP %ld", status);
	else
		t->error[0] = '\0';
	if (t->error[0])
		t->outcome->error = t->error;
	t->done = true;
}

/* Posts the n jobs side by side until all are done or the thread stops;
 * answers how many are done (their outcomes filled). */
static size_t post_all(struct webhooks *w, struct transfer *t, size_t n)
{
	size_t done = 0;
	for (size_t i = 0; i < n; i++)
		if (!transfer_begin(w, &t[i])) {
			snprintf(t[i].error, sizeof t[i].error, "out of memory");
			t[i].outcome->error = t[i].error;
			t[i].done = true;
			done++;
		}
	int running = 1;
	while (running && !atomic_load(&w->stop)) {
		if (curl_multi_perform(w->multi, &running) != CURLM_OK)
			break;
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(w->multi, &left))) {
			struct transfer *x = NULL;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			if (x && !x->done) {
				transfer_done(x, m->data.result);
				done++;
			}
		}
		if (running)
			curl_multi_poll(w->multi, NULL, 0, 200, NULL);
	}
	for (size_t i = 0; i < n; i++)
		transfer_end(w, &t[i]);
	return done;
}

/* The outcomes of the posts that finished, in one statement; those that
 * did not are left to their leases. */
static void record(struct webhooks *w, const struct transfer *t, size_t n)
{
	struct webhook_outcome *done = calloc(n ? n : 1, sizeof *done);
	size_t k = 0;
	for (size_t i = 0; done && i < n; i++)
		if (t[i].done)
			done[k++] = *t[i].outcome;
	enum db_status st = DB_ERROR;
	struct db *db = done && k ? pool_acquire(w->pool, &st) : NULL;
	if (db) {
		st = store_webhook_record(db, done, k, (int)w->o.max_attempts,
					  (int)w->o.retry_base_ms);
		pool_release(w->pool, db);
	}
	if (k && st != DB_OK)
		log_msgf(LOG_WARN,
			 "webhooks: %zu outcomes not recorded; they are posted again when their "
			 "leases end",
			 k);
	free(done);
}

/* One round: claim, post, record.  Answers how many were claimed. */
static size_t round_once(struct webhooks *w)
{
	enum db_status st;
	struct db *db = pool_acquire(w->pool, &st);
	if (!db)
		return 0;
	struct webhook_job *jobs = NULL;
	size_t n = 0;
	int lease = (int)((w->o.timeout_ms + 999) / 1000) + LEASE_SLACK_S;
	st = store_webhook_claim(db, (int)w->o.batch, lease, &jobs, &n);
	pool_release(w->pool, db);
	if (st != DB_OK || n == 0) {
		store_webhook_jobs_free(jobs, n);
		return 0;
	}
	struct transfer *t = calloc(n, sizeof *t);
	struct webhook_outcome *o = calloc(n, sizeof *o);
	if (t && o) {
		for (size_t i = 0; i < n; i++) {
			t[i].job = &jobs[i];
			t[i].outcome = &o[i];
			o[i].subscription_id = jobs[i].subscription_id;
			o[i].event_id = jobs[i].event_id;
		}
		post_all(w, t, n);
		record(w, t, n);
	}
	free(o);
	free(t);
	store_webhook_jobs_free(jobs, n);
	return n;
}

static void nap(struct webhooks *w, unsigned ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	while (!atomic_load(&w->stop) &&
	       pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&w->lock);
}

void webhooks_register_metrics(void)
{
	metrics_add_source(backlog_gauges, NULL);
}

static void *run(void *arg)
{
	struct webhooks *w = arg;
	struct timespec count_at;
	clock_gettime(CLOCK_MONOTONIC, &count_at); /* at once */
	while (!atomic_load(&w->stop)) {
		backlog_count(w, &count_at);
		/* a full batch means more are due: go on at once */
		size_t posted = round_once(w);
		size_t mailed = mail_round(w->pool, &w->o.mail, MAIL_BATCH);
		if (posted < w->o.batch && mailed < MAIL_BATCH)
			nap(w, w->o.poll_ms);
	}
	return NULL;
}

struct webhooks *webhooks_start(struct pool *pool, const struct webhooks_options *o)
{
	struct webhooks *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->pool = pool;
	w->o = *o;
	atomic_init(&w->stop, false);
	w->multi = curl_multi_init();
	if (!w->multi) {
		free(w);
		log_msgf(LOG_ERROR, "webhooks: libcurl cannot start");
		return NULL;
	}
	/* a subscriber gets a few connections, kept alive between batches */
	curl_multi_setopt(w->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	curl_multi_setopt(w->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 64L);
	curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS, 64L);
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		log_msgf(LOG_ERROR, "webhooks: cannot start the delivery thread");
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		curl_multi_cleanup(w->multi);
		free(w);
		return NULL;
	}
	return w;
}

void webhooks_stop(struct webhooks *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop, true);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	curl_multi_cleanup(w->multi);
	free(w);
}
