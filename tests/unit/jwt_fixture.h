/*
 * jwt_fixture.h — keys and hand-forged tokens shared by the token tests
 * (test_jwt.c: verification and issuing; test_keyring.c: key management).
 * Keys are generated at run time into mkstemp files removed at the end.
 * Functions are static inline: each test uses a part of them.
 */
#ifndef THIDUA_TESTS_JWT_FIXTURE_H
#define THIDUA_TESTS_JWT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jwt.h> /* libjwt: only to check that its ES256 tokens interoperate */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "auth/jwt.h"

#define NOW 1750000000 /* 2025-06-15T15:06:40Z */
#define ISS "https://thidua.test"
#define AUD "thidua-api"
#define SSO_ISS "https://sso.gialai.gov.vn/realms/gov"
#define SSO_AUD "thidua"
/* the header of a good access token */
#define H_OK "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}"

static const struct jwt_rules rules = { ISS, AUD, "at+jwt", 30, true };

enum keyfile {
	A_PRIV,
	A_PUB,
	B_PRIV,
	B_PUB,
	RSA_PRIV,
	RSA_PUB,
	P384_PRIV,
	P384_PUB,
	RSA1024_PUB,
	ENC_PRIV,
	N_FILES
};

static struct {
	EVP_PKEY *a; /* signs as k1 in fx.ring */
	EVP_PKEY *b; /* the next key, k2, for rotation */
	EVP_PKEY *c; /* an impostor's P-256 key */
	EVP_PKEY *rsa; /* the province SSO's key */
	EVP_PKEY *p384, *rsa1024;
	char path[N_FILES][64];
	char *a_pub_pem, *a_priv_pem;
	struct jwt_keyring *ring;
} fx;

/* ---- helpers ---------------------------------------------------------- */

static inline char *b64url_new(const unsigned char *in, size_t n)
{
	char *out = malloc(4 * (n / 3 + 1) + 1);
	assert_non_null(out);
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	int o = 0;
	for (int i = 0; i < len && out[i] != '='; i++)
		out[o++] = (char)(out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i]);
	out[o] = '\0';
	return out;
}

static inline char *b64url_text_new(const char *text)
{
	return b64url_new((const unsigned char *)text, strlen(text));
}

/* Decodes one base64url part into a NUL-terminated buffer (free()). */
static inline char *b64url_decode_new(const char *in, size_t n)
{
	char *tmp = malloc(n + 4);
	unsigned char *out = malloc(n + 4);
	assert_non_null(tmp);
	assert_non_null(out);
	size_t i;
	for (i = 0; i < n; i++)
		tmp[i] = (char)(in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i]);
	size_t pad = (4 - n % 4) % 4;
	for (size_t k = 0; k < pad; k++)
		tmp[i++] = '=';
	int len = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)i);
	assert_true(len >= 0);
	out[(size_t)len - pad] = '\0';
	free(tmp);
	return (char *)out;
}

static inline char *pem_new(EVP_PKEY *k, bool private_part)
{
	BIO *mem = BIO_new(BIO_s_mem());
	assert_non_null(mem);
	assert_int_equal(private_part ? PEM_write_bio_PrivateKey(mem, k, NULL, NULL, 0, NULL, NULL)
				      : PEM_write_bio_PUBKEY(mem, k),
			 1);
	char *data;
	long len = BIO_get_mem_data(mem, &data);
	char *copy = strndup(data, (size_t)len);
	BIO_free(mem);
	assert_non_null(copy);
	return copy;
}

static inline void write_key(enum keyfile f, EVP_PKEY *k, bool private_part)
{
	snprintf(fx.path[f], sizeof fx.path[f], "/tmp/thidua-test-jwt-XXXXXX");
	int fd = mkstemp(fx.path[f]);
	assert_true(fd >= 0);
	char *pem = pem_new(k, private_part);
	size_t len = strlen(pem);
	assert_int_equal(write(fd, pem, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	free(pem);
}

/* DER ECDSA → JOSE R||S (64 bytes). */
static inline void der_to_raw(const unsigned char *der, size_t der_len, unsigned char raw[64])
{
	const unsigned char *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	assert_non_null(es);
	const BIGNUM *r, *s;
	ECDSA_SIG_get0(es, &r, &s);
	assert_int_equal(BN_bn2binpad(r, raw, 32), 32);
	assert_int_equal(BN_bn2binpad(s, raw + 32, 32), 32);
	ECDSA_SIG_free(es);
}

static inline size_t evp_sign(EVP_PKEY *k, const char *data, unsigned char *sig, size_t cap)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
	size_t len = cap;
	assert_int_equal(EVP_DigestSign(md, sig, &len, (const unsigned char *)data, strlen(data)),
			 1);
	EVP_MD_CTX_free(md);
	return len;
}

enum signer {
	SIGN_A, /* ES256, the ring's own key */
	SIGN_B, /* ES256, the next key */
	SIGN_C, /* ES256, an impostor's key */
	SIGN_A_DER, /* ES256 with key A, but the DER signature instead of R||S */
	SIGN_RSA, /* RS256 with the SSO's key */
	HMAC_A_PUB, /* HS256 keyed with key A's public PEM (alg confusion) */
	HMAC_A_PRIV, /* HS256 keyed with key A's private PEM */
	NO_SIGNATURE, /* "header.payload." */
};

/* header.payload.signature from the texts given.  New string (free()). */
static inline char *forge_new(const char *header, const char *payload, enum signer how)
{
	char *h = b64url_text_new(header), *p = b64url_text_new(payload);
	size_t n = strlen(h) + strlen(p) + 2;
	char *input = malloc(n);
	assert_non_null(input);
	snprintf(input, n, "%s.%s", h, p);
	free(h);
	free(p);

	unsigned char sig[1024], raw[64];
	size_t sig_len = 0;
	unsigned hmac_len = 0;
	const char *secret;
	switch (how) {
	case SIGN_A:
	case SIGN_B:
	case SIGN_C:
		sig_len = evp_sign(how == SIGN_A   ? fx.a
				   : how == SIGN_B ? fx.b
						   : fx.c,
				   input, sig, sizeof sig);
		der_to_raw(sig, sig_len, raw);
		memcpy(sig, raw, sizeof raw);
		sig_len = sizeof raw;
		break;
	case SIGN_A_DER:
		sig_len = evp_sign(fx.a, input, sig, sizeof sig);
		break;
	case SIGN_RSA:
		sig_len = evp_sign(fx.rsa, input, sig, sizeof sig);
		break;
	case HMAC_A_PUB:
	case HMAC_A_PRIV:
		secret = how == HMAC_A_PUB ? fx.a_pub_pem : fx.a_priv_pem;
		assert_non_null(HMAC(EVP_sha256(), secret, (int)strlen(secret),
				     (const unsigned char *)input, strlen(input), sig, &hmac_len));
		sig_len = hmac_len;
		break;
	case NO_SIGNATURE:
		break;
	}
	char *s = b64url_new(sig, sig_len);
	n = strlen(input) + strlen(s) + 2;
	char *token = malloc(n);
	assert_non_null(token);
	snprintf(token, n, "%s.%s", input, s);
	free(s);
	free(input);
	return token;
}

/* Valid claims for fx.ring at NOW, with patch (a JSON object) merged in:
 * a null value deletes the claim.  New string (free()). */
static inline char *claims_new(const char *iss, const char *aud, const char *patch)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "iss", iss, "aud", aud,
			      "sub", "u-42", "jti", "0123456789abcdef0123456789abcdef", "iat",
			      (json_int_t)NOW, "nbf", (json_int_t)NOW, "exp", (json_int_t)NOW + 600,
			      "org", "bqlkkt-gialai");
	json_t *p = json_loads(patch, 0, NULL);
	assert_non_null(c);
	assert_non_null(p);
	const char *k;
	json_t *v;
	json_object_foreach(p, k, v)
	{
		if (json_is_null(v))
			json_object_del(c, k);
		else
			json_object_set(c, k, v);
	}
	char *text = json_dumps(c, JSON_COMPACT);
	assert_non_null(text);
	json_decref(p);
	json_decref(c);
	return text;
}

/* ---- fixtures --------------------------------------------------------- */

static inline int setup(void **state)
{
	(void)state;
	fx.a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	fx.b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	fx.c = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	fx.p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	fx.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	fx.rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	if (!fx.a || !fx.b || !fx.c || !fx.p384 || !fx.rsa || !fx.rsa1024)
		return -1;
	write_key(A_PRIV, fx.a, true);
	write_key(A_PUB, fx.a, false);
	write_key(B_PRIV, fx.b, true);
	write_key(B_PUB, fx.b, false);
	write_key(RSA_PRIV, fx.rsa, true);
	write_key(RSA_PUB, fx.rsa, false);
	write_key(P384_PRIV, fx.p384, true);
	write_key(P384_PUB, fx.p384, false);
	write_key(RSA1024_PUB, fx.rsa1024, false);
	/* A's private key under a passphrase: refused, and never prompted for */
	snprintf(fx.path[ENC_PRIV], sizeof fx.path[ENC_PRIV], "/tmp/thidua-test-jwt-XXXXXX");
	int fd = mkstemp(fx.path[ENC_PRIV]);
	BIO *enc = fd >= 0 ? BIO_new_fd(fd, BIO_CLOSE) : NULL;
	if (!enc || PEM_write_bio_PrivateKey(enc, fx.a, EVP_aes_256_cbc(),
					     (const unsigned char *)"pw", 2, NULL, NULL) != 1)
		return -1;
	BIO_free(enc);
	fx.a_pub_pem = pem_new(fx.a, false);
	fx.a_priv_pem = pem_new(fx.a, true);
	char err[256] = "";
	fx.ring = jwt_keyring_new(fx.path[A_PRIV], "k1", err, sizeof err);
	if (!fx.ring) {
		print_error("keyring: %s\n", err);
		return -1;
	}
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	jwt_keyring_free(fx.ring);
	for (int f = 0; f < N_FILES; f++)
		if (fx.path[f][0])
			unlink(fx.path[f]);
	free(fx.a_pub_pem);
	free(fx.a_priv_pem);
	EVP_PKEY_free(fx.a);
	EVP_PKEY_free(fx.b);
	EVP_PKEY_free(fx.c);
	EVP_PKEY_free(fx.rsa);
	EVP_PKEY_free(fx.p384);
	EVP_PKEY_free(fx.rsa1024);
	return 0;
}

/* ---- forged tokens ---------------------------------------------------- */

static inline char *issue_new(const struct jwt_keyring *kr, char jti[33])
{
	json_t *claims = json_pack("{s:s, s:s}", "sub", "u-42", "org", "bqlkkt-gialai");
	assert_non_null(claims);
	char *token = jwt_issue_new(kr, &rules, claims, NOW, 900, jti);
	json_decref(claims);
	assert_non_null(token);
	return token;
}

#endif
