/*
 * password.h — Argon2id password hashing (libsodium's crypto_pwhash_str).
 *
 * Parameters: t = 2 passes, m = 19 MiB, p = 1 (OWASP's baseline for
 * Argon2id), about 25 ms per hash on our 2-core machines.  Hashes are
 * self-describing strings ($argon2id$v=19$m=19456,t=2,p=1$...), so
 * changing the parameters only affects new hashes; password_verify reports
 * when a stored hash should be replaced, and login does that.
 * Hashing is memory-hard on purpose, so at most `concurrency` run at once
 * (the rest wait): a burst of logins cannot exhaust memory or starve
 * other requests of CPU.
 */
#ifndef THIDUA_AUTH_PASSWORD_H
#define THIDUA_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LENGTH 10
#define PASSWORD_MAX_LENGTH 256

/* Once, at start: sodium_init and the concurrency cap. */
bool password_init(unsigned concurrency);

/* Hashes password into out; false on failure (out of memory). */
bool password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* True when password matches stored; *needs_rehash tells whether stored
 * was made with other parameters.  A malformed stored hash never matches. */
bool password_verify(const char *stored, const char *password, bool *needs_rehash);

/* Spends the same time as a failed verification, for unknown accounts, so
 * that an unknown user and a wrong password look the same to the caller. */
void password_verify_dummy(const char *password);

#endif
