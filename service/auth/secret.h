/*
 * secret.h — random secrets and their digests (libsodium).
 *
 * Refresh tokens and client secrets are 256-bit random values, shown to
 * their owner once and stored only as SHA-256 digests: with that much
 * entropy nobody can search the digest space, so a fast hash is enough.
 */
#ifndef THIDUA_AUTH_SECRET_H
#define THIDUA_AUTH_SECRET_H

#include <stdbool.h>

#define SECRET_TEXT_LEN 44 /* 43 base64url characters + NUL */
#define SECRET_HASH_HEX_LEN 65

/* A new random secret, base64url without padding. */
void secret_new(char out[SECRET_TEXT_LEN]);
/* SHA-256 of s, lowercase hex. */
void secret_sha256_hex(const char *s, char out[SECRET_HASH_HEX_LEN]);
/* Constant-time comparison of two hex digests of the same length. */
bool secret_hex_equal(const char *a, const char *b);

#endif
