/*
 * ballot.c — the cryptography of the council's secret ballot (see
 * ballot.h).  Every operation is libsodium's; this file only fixes the
 * encoding and the domain separation.
 */
#include "auth/ballot.h"

#include <sodium.h>
#include <string.h>

static const char tag[] = "thidua-ballot-v1";

void ballot_keypair(unsigned char secret[BALLOT_BYTES], unsigned char key[BALLOT_BYTES])
{
	/* scalar_random never draws zero, so K is never the identity */
	crypto_core_ristretto255_scalar_random(secret);
	crypto_scalarmult_ristretto255_base(key, secret);
}

bool ballot_evaluate(const unsigned char secret[BALLOT_BYTES],
		     const unsigned char blinded[BALLOT_BYTES], unsigned char out[BALLOT_BYTES])
{
	/* the identity encodes as zeros: k·O = O would fail below anyway,
	 * but it is refused by name */
	if (sodium_is_zero(blinded, BALLOT_BYTES) ||
	    !crypto_core_ristretto255_is_valid_point(blinded))
		return false;
	return crypto_scalarmult_ristretto255(out, secret, blinded) == 0;
}

void ballot_token_point(int64_t session_id, const unsigned char token[BALLOT_BYTES],
			unsigned char out[BALLOT_BYTES])
{
	unsigned char id[8], hash[crypto_hash_sha512_BYTES];
	for (int i = 0; i < 8; i++)
		id[i] = (unsigned char)((uint64_t)session_id >> (56 - 8 * i));
	crypto_hash_sha512_state st;
	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, (const unsigned char *)tag, sizeof tag - 1);
	crypto_hash_sha512_update(&st, id, sizeof id);
	crypto_hash_sha512_update(&st, token, BALLOT_BYTES);
	crypto_hash_sha512_final(&st, hash);
	crypto_core_ristretto255_from_hash(out, hash);
}

bool ballot_check(const unsigned char secret[BALLOT_BYTES], int64_t session_id,
		  const unsigned char token[BALLOT_BYTES],
		  const unsigned char evaluation[BALLOT_BYTES])
{
	unsigned char point[BALLOT_BYTES], expected[BALLOT_BYTES];
	ballot_token_point(session_id, token, point);
	if (crypto_scalarmult_ristretto255(expected, secret, point) != 0)
		return false;
	return sodium_memcmp(expected, evaluation, BALLOT_BYTES) == 0;
}

bool ballot_hex_decode(const char *hex, unsigned char out[BALLOT_BYTES])
{
	size_t len = 0;
	const char *end = NULL;
	if (!hex || strlen(hex) != 2 * BALLOT_BYTES)
		return false;
	return sodium_hex2bin(out, BALLOT_BYTES, hex, 2 * BALLOT_BYTES, NULL, &len, &end) == 0 &&
	       len == BALLOT_BYTES && end == hex + 2 * BALLOT_BYTES;
}

void ballot_hex(const unsigned char in[BALLOT_BYTES], char out[BALLOT_HEX_LEN])
{
	sodium_bin2hex(out, BALLOT_HEX_LEN, in, BALLOT_BYTES);
}
