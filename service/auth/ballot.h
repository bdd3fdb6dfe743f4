/*
 * ballot.h — the cryptography of the council's secret ballot
 * (docs/ballot.md).
 *
 * An oblivious pseudo-random function on ristretto255 (the construction of
 * RFC 9497, with libsodium's group operations): each session has a secret
 * scalar k and publishes K = k·G.  A member's app draws a random token t,
 * maps it to the group element T = H(session, t), sends B = r·T for a
 * random r, and receives Z = k·B; it unblinds N = r⁻¹·Z = k·T.  Later it
 * casts its ballot with (t, N), which the service checks as k·H(session, t)
 * without learning which B it came from: r makes B uniformly random.
 * After the close k is published, so anyone can check every ballot.
 * Pure functions; sodium_init must have run (auth/password.c does).
 */
#ifndef THIDUA_AUTH_BALLOT_H
#define THIDUA_AUTH_BALLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BALLOT_BYTES ((size_t)32)
#define BALLOT_HEX_LEN (2 * BALLOT_BYTES + 1)

/* A session's key pair: the secret scalar k and the public point K. */
void ballot_keypair(unsigned char secret[BALLOT_BYTES], unsigned char key[BALLOT_BYTES]);

/* Z = k·B for a member's blinded element B; false when B is not the
 * encoding of a group element other than the identity. */
bool ballot_evaluate(const unsigned char secret[BALLOT_BYTES],
		     const unsigned char blinded[BALLOT_BYTES], unsigned char out[BALLOT_BYTES]);

/* T = H(session, token): ristretto255 from SHA-512 of the domain tag
 * "thidua-ballot-v1", the session id as 8 bytes big-endian and the token. */
void ballot_token_point(int64_t session_id, const unsigned char token[BALLOT_BYTES],
			unsigned char out[BALLOT_BYTES]);

/* True when evaluation = k·H(session, token), compared in constant time. */
bool ballot_check(const unsigned char secret[BALLOT_BYTES], int64_t session_id,
		  const unsigned char token[BALLOT_BYTES],
		  const unsigned char evaluation[BALLOT_BYTES]);

/* Exactly 64 hexadecimal digits (either case) into 32 bytes; false
 * otherwise. */
bool ballot_hex_decode(const char *hex, unsigned char out[BALLOT_BYTES]);
/* 32 bytes as 64 lowercase hexadecimal digits. */
void ballot_hex(const unsigned char in[BALLOT_BYTES], char out[BALLOT_HEX_LEN]);

#endif
