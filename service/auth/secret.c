/*
 * secret.c — random secrets and digests (see secret.h).
 */
#include "auth/secret.h"

#include <sodium.h>
#include <string.h>

void secret_new(char out[SECRET_TEXT_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SECRET_TEXT_LEN, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void secret_sha256_hex(const char *s, char out[SECRET_HASH_HEX_LEN])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, SECRET_HASH_HEX_LEN, digest, sizeof digest);
}

bool secret_hex_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
