/*
 * proof.c — the public routes' proof of work (see proof.h).
 */
#include "auth/proof.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

unsigned proof_zero_bits(const unsigned char *digest, size_t len)
{
	unsigned n = 0;
	for (size_t i = 0; i < len; i++) {
		if (digest[i] == 0) {
			n += 8;
			continue;
		}
		for (unsigned b = digest[i]; !(b & 0x80u); b <<= 1)
			n++;
		break;
	}
	return n;
}

static void mac_hex(const struct proof_key *key, const char *text, size_t len, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key->k, sizeof key->k);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)text, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

void proof_challenge(const struct proof_key *key, unsigned bits, int64_t now, unsigned ttl_s,
		     char out[PROOF_CHALLENGE_MAX])
{
	unsigned char nonce[16];
	char hex[33], mac[65];
	randombytes_buf(nonce, sizeof nonce);
	sodium_bin2hex(hex, sizeof hex, nonce, sizeof nonce);
	int n = snprintf(out, PROOF_CHALLENGE_MAX, "v1.%u.%" PRId64 ".%s", bits, now + ttl_s, hex);
	mac_hex(key, out, (size_t)n, mac);
	snprintf(out + n, PROOF_CHALLENGE_MAX - (size_t)n, ".%s", mac);
}

/* Reads a decimal of 1 to `max` digits at *p, moving *p past it. */
static bool decimal(const char **p, size_t max, uint64_t *v)
{
	size_t n = 0;
	*v = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		*v = *v * 10 + (uint64_t)((*p)[n] - '0');
		n++;
	}
	*p += n;
	return n > 0;
}

/* Reads `n` lowercase hex digits at *p, moving *p past them. */
static bool hex_run(const char **p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (*p)[i]; /* a NUL stops here: the string is never read past it */
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	*p += n;
	return true;
}

enum proof_result proof_check(const struct proof_key *key, unsigned bits, int64_t now,
			      const char *header, unsigned char digest[32], int64_t *expires)
{
	if (!header || strncmp(header, "v1.", 3) != 0)
		return PROOF_MALFORMED;
	const char *p = header + 3;
	uint64_t asked, when, counter;
	if (!decimal(&p, 2, &asked) || *p++ != '.' || !decimal(&p, 12, &when) || *p++ != '.' ||
	    !hex_run(&p, 32) || *p != '.')
		return PROOF_MALFORMED;
	size_t signed_len = (size_t)(p - header);
	p++;
	const char *mac = p;
	if (!hex_run(&p, 64) || *p++ != ':')
		return PROOF_MALFORMED;
	size_t challenge_len = (size_t)(p - 1 - header);
	if (!decimal(&p, 20, &counter) || *p != '\0')
		return PROOF_MALFORMED;
	char want[65];
	mac_hex(key, header, signed_len, want);
	if (sodium_memcmp(want, mac, 64) != 0)
		return PROOF_FORGED;
	if ((int64_t)when < now)
		return PROOF_EXPIRED;
	if (asked < bits || asked > PROOF_MAX_BITS)
		return PROOF_WEAK;
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)header, strlen(header));
	if (proof_zero_bits(h, sizeof h) < asked)
		return PROOF_WEAK;
	crypto_hash_sha256(digest, (const unsigned char *)header, challenge_len);
	*expires = (int64_t)when;
	return PROOF_OK;
}
