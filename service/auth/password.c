/*
 * password.c — Argon2id through libsodium (see password.h).
 */
#include "auth/password.h"

#include <semaphore.h>
#include <sodium.h>
#include <string.h>

#define OPSLIMIT 2ULL
#define MEMLIMIT (19ULL * 1024 * 1024)

static sem_t slots;
static char dummy_hash[PASSWORD_HASH_MAX];

bool password_init(unsigned concurrency)
{
	if (sodium_init() < 0 || sem_init(&slots, 0, concurrency ? concurrency : 1) != 0)
		return false;
	/* a real hash of a random password: verifying against it costs the same */
	unsigned char random[24];
	char pw[64];
	randombytes_buf(random, sizeof random);
	sodium_bin2hex(pw, sizeof pw, random, sizeof random);
	return password_hash(pw, dummy_hash);
}

static void acquire(void)
{
	while (sem_wait(&slots) != 0)
		; /* EINTR */
}

bool password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	acquire();
	int rc = crypto_pwhash_str(out, password, strlen(password), OPSLIMIT, MEMLIMIT);
	sem_post(&slots);
	return rc == 0;
}

bool password_verify(const char *stored, const char *password, bool *needs_rehash)
{
	*needs_rehash = false;
	if (strncmp(stored, "$argon2id$", 10) != 0) {
		password_verify_dummy(password);
		return false;
	}
	acquire();
	int rc = crypto_pwhash_str_verify(stored, password, strlen(password));
	sem_post(&slots);
	if (rc != 0)
		return false;
	*needs_rehash = crypto_pwhash_str_needs_rehash(stored, OPSLIMIT, MEMLIMIT) != 0;
	return true;
}

void password_verify_dummy(const char *password)
{
	acquire();
	/* the answer is known to be "no"; only the time it takes matters */
	int rc = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
	(void)rc;
	sem_post(&slots);
}
