/*
 * proof.h — a proof of work for the routes the public calls without a
 * token (issue 13 §1: "a proof-of-work or captcha-friendly hook").
 *
 * The service hands out a challenge it can check without keeping it:
 *   v1.<bits>.<expires>.<random>.<mac>
 * bits the work asked for, expires a Unix time, random 16 bytes and mac
 * an HMAC-SHA256 of everything before it under the service's key (one
 * key for every replica: THIDUA_PUBLIC_PROOF_SECRET), all hex or
 * decimal.  The client finds a counter such that
 *   SHA-256(challenge ":" counter)
 * begins with `bits` zero bits and sends "challenge:counter" in the
 * Thidua-Proof header.  The database spends each challenge once
 * (public_proofs_spent).  A captcha run by the agency itself would
 * plug in at the same place: anything that proves a human or a cost
 * before the database is written.
 */
#ifndef THIDUA_AUTH_PROOF_H
#define THIDUA_AUTH_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROOF_KEY_BYTES 32
#define PROOF_CHALLENGE_MAX 160
#define PROOF_MAX_BITS 32

struct proof_key {
	unsigned char k[PROOF_KEY_BYTES];
};

enum proof_result {
	PROOF_OK,
	PROOF_MALFORMED, /* not a challenge and counter this service writes */
	PROOF_FORGED, /* its mac is not ours */
	PROOF_EXPIRED,
	PROOF_WEAK, /* too few zero bits, or a challenge of fewer bits than asked */
};

/* A challenge of `bits` that expires at now + ttl_s, in out. */
void proof_challenge(const struct proof_key *key, unsigned bits, int64_t now, unsigned ttl_s,
		     char out[PROOF_CHALLENGE_MAX]);

/* Checks a Thidua-Proof header against `bits` at `now`.  On PROOF_OK,
 * digest is the SHA-256 of the challenge (what is spent once) and
 * *expires its expiry. */
enum proof_result proof_check(const struct proof_key *key, unsigned bits, int64_t now,
			      const char *header, unsigned char digest[32], int64_t *expires);

/* The number of leading zero bits of a digest. */
unsigned proof_zero_bits(const unsigned char *digest, size_t len);

#endif
