/*
 * webhook_sign.h — the signature of an outgoing webhook, as the Standard
 * Webhooks convention writes it (standardwebhooks.com), so that a
 * subscriber verifies it with any of that convention's libraries:
 *
 *   webhook-id:        the event's id (the same on every retry)
 *   webhook-timestamp: seconds since 1970
 *   webhook-signature: "v1," base64(HMAC-SHA256(key, id "." timestamp "." body))
 *
 * The key is shown to the subscriber once, as "whsec_" base64(key).
 */
#ifndef THIDUA_AUTH_WEBHOOK_SIGN_H
#define THIDUA_AUTH_WEBHOOK_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_SIGN_KEY_LEN 32
/* "whsec_" + base64 of 32 bytes (44) + NUL */
#define WEBHOOK_SECRET_TEXT_LEN 51
/* "v1," + base64 of 32 bytes (44) + NUL */
#define WEBHOOK_SIGNATURE_LEN 48

/* Draws a new key. */
void webhook_key_new(unsigned char key[WEBHOOK_SIGN_KEY_LEN]);
/* The key as the subscriber is given it. */
void webhook_secret_text(const unsigned char key[WEBHOOK_SIGN_KEY_LEN],
			 char out[WEBHOOK_SECRET_TEXT_LEN]);
/* The webhook-signature header's value for (id, timestamp, body) under
 * key[0..key_len). */
void webhook_signature(const unsigned char *key, size_t key_len, const char *id, int64_t timestamp,
		       const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_LEN]);

#endif
