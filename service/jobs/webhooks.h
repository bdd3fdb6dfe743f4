/*
 * webhooks.h — the thread that delivers the outbox's webhooks.
 *
 * It claims due deliveries (store/webhooks.h; SKIP LOCKED, so every
 * replica runs one), posts them side by side with libcurl, signed as
 * auth/webhook_sign.h says, and records each outcome: delivered on a 2xx,
 * else retried later with a doubling wait, given up after max_attempts.
 * A claim is a lease: a replica that dies mid-post leaves the delivery to
 * be claimed again when the lease ends, so every event is delivered at
 * least once and a subscriber processes it once by its webhook-id.
 *
 * The thread also counts the backlog, all organisations together, every
 * ten looks at the outbox (at most 15 s apart), for the gauges
 * thidua_outbox_pending and thidua_outbox_oldest_pending_seconds, by
 * channel (webhook, email): a scrape of /metrics reads the last counts and
 * never runs a query.  Without the thread (THIDUA_WEBHOOKS=off) the gauges
 * are absent.
 */
#ifndef THIDUA_JOBS_WEBHOOKS_H
#define THIDUA_JOBS_WEBHOOKS_H

#include <stdbool.h>

#include "jobs/mail.h"
#include "store/pool.h"

struct webhooks_options {
	unsigned batch; /* deliveries claimed at once (and posted side by side) */
	unsigned poll_ms; /* the wait when nothing is due */
	unsigned timeout_ms; /* one post, connecting included */
	unsigned max_attempts;
	unsigned retry_base_ms; /* the wait after the first failure, doubled after each */
	bool allow_private; /* post to loopback and private addresses (tests, intranets) */
	struct mail_options mail; /* the reminders' e-mails, sent from the same thread */
};

struct webhooks;

/* Adds the backlog's gauges to /metrics: after metrics_init, before the
 * listener starts.  They show once the thread has counted. */
void webhooks_register_metrics(void);
/* Starts the thread; NULL (logged) when it cannot.  curl_global_init must
 * have run. */
struct webhooks *webhooks_start(struct pool *pool, const struct webhooks_options *o);
/* Stops it: posts under way are abandoned (their leases end and another
 * attempt follows), outcomes already known are recorded.  NULL is a no-op. */
void webhooks_stop(struct webhooks *w);

#endif
