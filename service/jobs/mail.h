/*
 * mail.h — sending the queued e-mails (migration 0038) through the SMTP
 * relay of THIDUA_SMTP_URL, from the delivery thread (jobs/webhooks.c).
 */
#ifndef THIDUA_JOBS_MAIL_H
#define THIDUA_JOBS_MAIL_H

#include <stddef.h>

#include "store/pool.h"

struct mail_options {
	const char *url; /* smtp://host:port or smtps://host:port; "" or NULL: no e-mail */
	const char *from; /* the envelope and From: address */
	const char *user; /* "" when the relay takes mail without a login */
	const char *password;
	unsigned timeout_ms;
	unsigned max_attempts;
	unsigned retry_base_ms;
};

/* One round: claims due messages, sends each, records the outcomes.
 * Answers how many were claimed (0 when e-mail is not configured). */
size_t mail_round(struct pool *pool, const struct mail_options *o, int batch);

#endif
