/*
 * webhooks.h — SQL of the outbox's webhooks (migration 0036,
 * db/procedures/outbox.sql): the subscriptions the API manages, and the
 * claims and outcomes of the delivery thread (jobs/webhooks.c).
 */
#ifndef THIDUA_STORE_WEBHOOKS_H
#define THIDUA_STORE_WEBHOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

#define WEBHOOK_KEY_LEN 32

/* The organisation's subscriptions; one of them (NULL when not its own);
 * a page of one's delivery log, newest first, before the event id before
 * (0: from the newest), status "" for all.  Each a new JSON string. */
enum db_status store_webhooks(struct db *db, int64_t org_id, char **json);
enum db_status store_webhook(struct db *db, int64_t org_id, int64_t id, char **json);
enum db_status store_webhook_deliveries(struct db *db, int64_t org_id, int64_t id,
					const char *status, int64_t before, long limit,
					char **json);

/* Subscribes (fields: url, description, events) with key, the 32 bytes the
 * caller drew; replaces the key; disables; queues an event again; queues a
 * ping. */
void store_webhook_create(const struct writer *w, const char *fields,
			  const unsigned char key[WEBHOOK_KEY_LEN], struct write_result *r);
void store_webhook_rotate(const struct writer *w, int64_t id,
			  const unsigned char key[WEBHOOK_KEY_LEN], struct write_result *r);
void store_webhook_disable(const struct writer *w, int64_t id, struct write_result *r);
void store_webhook_redeliver(const struct writer *w, int64_t id, const char *event_uuid,
			     struct write_result *r);
void store_webhook_ping(const struct writer *w, int64_t id, struct write_result *r);

/* One claimed attempt: what to post where, and how to sign it. */
struct webhook_job {
	int64_t subscription_id;
	int64_t event_id;
	char *url;
	unsigned char key[WEBHOOK_KEY_LEN];
	char *webhook_id; /* the event's uuid: the webhook-id header */
	int64_t timestamp; /* seconds: the webhook-timestamp header */
	char *body;
	int attempt; /* 1 for the first */
};

/* Claims up to limit due deliveries for lease_s seconds: *jobs (free with
 * store_webhook_jobs_free) holds *n of them. */
enum db_status store_webhook_claim(struct db *db, int limit, int lease_s, struct webhook_job **jobs,
				   size_t *n);
void store_webhook_jobs_free(struct webhook_job *jobs, size_t n);

/* The outcome of one attempt: status the HTTP status (0: no answer),
 * error NULL when delivered. */
struct webhook_outcome {
	int64_t subscription_id;
	int64_t event_id;
	int status;
	const char *error;
};
/* Records n outcomes in one statement: after max_attempts failures a
 * delivery is given up, else retried after base_ms doubled per attempt. */
enum db_status store_webhook_record(struct db *db, const struct webhook_outcome *o, size_t n,
				    int max_attempts, int base_ms);

/* ---- e-mail (migration 0038): the reminders' messages ---- */

/* One claimed message. */
struct email_job {
	int64_t id;
	char *recipient;
	char *subject;
	char *body;
	char *message_id; /* unique: the event's uuid and the message's id */
};

/* Claims up to limit due messages for lease_s seconds (free with
 * store_email_jobs_free). */
enum db_status store_email_claim(struct db *db, int limit, int lease_s, struct email_job **jobs,
				 size_t *n);
void store_email_jobs_free(struct email_job *jobs, size_t n);

/* The outcome of one message: error NULL when the relay took it. */
struct email_outcome {
	int64_t id;
	const char *error;
};
enum db_status store_email_record(struct db *db, const struct email_outcome *o, size_t n,
				  int max_attempts, int base_ms);

/* ---- the backlog (migration 0045): the gauges of jobs/webhooks.c ---- */

/* Deliveries neither delivered nor given up, all organisations together,
 * and the age of the event of the oldest of them (0 when none). */
struct outbox_backlog {
	int64_t webhook_pending;
	int64_t webhook_oldest_ms;
	int64_t email_pending;
	int64_t email_oldest_ms;
};
/* Index-only scans of the pending rows (0045's partial indexes): what it
 * costs grows with the backlog, not with the delivery log. */
enum db_status store_outbox_backlog(struct db *db, struct outbox_backlog *b);

#endif
