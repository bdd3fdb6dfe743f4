/*
 * jose.c — base64url (RFC 4648 §5, strict: the alphabet, no padding,
 * canonical last character) and error helpers for the token modules.
 */
#include "auth/jose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

/* ---- small helpers ---------------------------------------------------- */

void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
}

/* OpenSSL's reason for the last failure, then an empty error queue, so that
 * one bad key file or token leaves nothing behind for this thread's next call. */
const char *ossl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());
	ERR_clear_error();
	return r ? r : "unknown reason";
}

/* ---- base64url (RFC 4648 §5, no padding) ------------------------------ */

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int b64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* New NUL-terminated string (free()), or NULL when out of memory. */
char *b64url_encode_new(const unsigned char *in, size_t n)
{
	size_t out_len = n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
	char *out = malloc(out_len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64url_alphabet[(v >> 18) & 63];
		out[o++] = b64url_alphabet[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = b64url_alphabet[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = b64url_alphabet[v & 63];
	}
	out[o] = '\0';
	return out;
}

/* Decodes in[0..n); the bytes and their count (a NUL follows them, so JSON
 * text can be parsed in place), or NULL if in is not canonical unpadded
 * base64url or memory runs out.  New buffer (free()). */
unsigned char *b64url_decode_new(const char *in, size_t n, size_t *out_len)
{
	if (n % 4 == 1)
		return NULL;
	unsigned char *out = malloc(n / 4 * 3 + 3);
	if (!out)
		return NULL;
	size_t o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64url_value(in[i]);
		if (v < 0)
			goto fail;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0) /* leftover bits must be zero: one encoding per value */
		goto fail;
	out[o] = '\0';
	*out_len = o;
	return out;
fail:
	free(out);
	return NULL;
}
