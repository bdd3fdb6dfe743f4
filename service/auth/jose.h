/*
 * jose.h — what the token modules share inside auth/: the keyring's layout,
 * base64url, and OpenSSL error handling.  Not for use outside auth/.
 */
#ifndef THIDUA_AUTH_JOSE_H
#define THIDUA_AUTH_JOSE_H

#include <openssl/evp.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "auth/alg.h"

#define KID_MAX 128
#define ES256_COORD 32 /* bytes of a P-256 coordinate, and of R and S */
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 8192 /* n fits the JWK buffer; verification stays cheap */
#define KID_RULE "kid must be 1 to 128 printable ASCII characters, no space, quote or backslash"

struct key_entry {
	char *kid;
	enum jwt_alg_id alg;
	EVP_PKEY *pub; /* public half only: verification never sees a private key */
	json_t *jwk; /* this key as a JWK, built once when the key is added */
	bool added; /* by jwt_keyring_add_public: may match a token without kid */
};

struct jwt_keyring {
	EVP_PKEY *sign_key; /* P-256 private key, ES256 */
	struct key_entry *keys; /* keys[0]: the signing key's public half */
	size_t n_keys;
};

/* Writes a message into err (errlen bytes; err may be NULL). */
void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* OpenSSL's reason for the last failure; empties the thread's error queue. */
const char *ossl_reason(void);
/* The 6-bit value of a base64url character, or -1. */
int b64url_value(char c);
/* base64url without padding; new strings/buffers, NULL on bad input. */
char *b64url_encode_new(const unsigned char *in, size_t n);
unsigned char *b64url_decode_new(const char *in, size_t n, size_t *out_len);
/* The key with this kid, or NULL. Borrowed. */
const struct key_entry *find_kid(const struct jwt_keyring *kr, const char *kid);

#endif
