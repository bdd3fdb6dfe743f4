/*
 * webhook_sign.c — signatures of outgoing webhooks (see webhook_sign.h).
 */
#include "auth/webhook_sign.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

void webhook_key_new(unsigned char key[WEBHOOK_SIGN_KEY_LEN])
{
	randombytes_buf(key, WEBHOOK_SIGN_KEY_LEN);
}

void webhook_secret_text(const unsigned char key[WEBHOOK_SIGN_KEY_LEN],
			 char out[WEBHOOK_SECRET_TEXT_LEN])
{
	/* sodium_bin2base64 writes the rest and its NUL */
	memcpy(out, "whsec_", sizeof "whsec_");
	sodium_bin2base64(out + 6, WEBHOOK_SECRET_TEXT_LEN - 6, key, WEBHOOK_SIGN_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

void webhook_signature(const unsigned char *key, size_t key_len, const char *id, int64_t timestamp,
		       const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_LEN])
{
	char ts[24];
	int ts_len = snprintf(ts, sizeof ts, ".%" PRId64 ".", timestamp);
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)ts_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "v1,", sizeof "v1,");
	sodium_bin2base64(out + 3, WEBHOOK_SIGNATURE_LEN - 3, mac, sizeof mac,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(&st, sizeof st);
}
