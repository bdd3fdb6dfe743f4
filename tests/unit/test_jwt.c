/*
 * Unit tests: access tokens (auth/jwt.c).  Every attack the wrapper exists
 * for is forged here by hand — header and payload built as text, signed with
 * OpenSSL directly (ECDSA, RSA, HMAC) — and must get its verdict; then the
 * round trip, rotation, the JWK Set, an external RS256 issuer, and the
 * keyring's refusals.  Keys are generated at run time into mkstemp files that
 * are removed at the end.
 */
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

static char *b64url_new(const unsigned char *in, size_t n)
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

static char *b64url_text_new(const char *text)
{
	return b64url_new((const unsigned char *)text, strlen(text));
}

/* Decodes one base64url part into a NUL-terminated buffer (free()). */
static char *b64url_decode_new(const char *in, size_t n)
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

static char *pem_new(EVP_PKEY *k, bool private_part)
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

static void write_key(enum keyfile f, EVP_PKEY *k, bool private_part)
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
static void der_to_raw(const unsigned char *der, size_t der_len, unsigned char raw[64])
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

static size_t evp_sign(EVP_PKEY *k, const char *data, unsigned char *sig, size_t cap)
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
static char *forge_new(const char *header, const char *payload, enum signer how)
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
static char *claims_new(const char *iss, const char *aud, const char *patch)
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

static int setup(void **state)
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

static int teardown(void **state)
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

#define H_OK "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}"

static const struct forged {
	const char *name;
	const char *header;
	const char *patch; /* merged into valid claims; null deletes a claim */
	const char *payload; /* instead of the claims, when not NULL */
	enum signer how;
	enum jwt_verdict want;
} forged[] = {
	{ "baseline: a valid token", H_OK, "{}", NULL, SIGN_A, JWT_VALID },

	/* alg: none and case variants (libjwt's own parser is case-insensitive) */
	{ "alg none, no signature", "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}",
	  NULL, NO_SIGNATURE, JWT_ALG_REJECTED },
	{ "alg none, with a signature part", "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
	  "{}", NULL, SIGN_A, JWT_ALG_REJECTED },
	{ "alg none, no kid", "{\"alg\":\"none\",\"typ\":\"at+jwt\"}", "{}", NULL, NO_SIGNATURE,
	  JWT_ALG_REJECTED },
	{ "alg None", "{\"alg\":\"None\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL,
	  NO_SIGNATURE, JWT_ALG_REJECTED },
	{ "alg NONE", "{\"alg\":\"NONE\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL,
	  NO_SIGNATURE, JWT_ALG_REJECTED },
	/* HMAC keyed with key material an attacker can get (or must never be a MAC key) */
	{ "HS256 keyed with the public key PEM",
	  "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL, HMAC_A_PUB,
	  JWT_ALG_REJECTED },
	{ "HS256 keyed with the private key PEM",
	  "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL, HMAC_A_PRIV,
	  JWT_ALG_REJECTED },
	{ "HS256 without kid", "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", "{}", NULL, HMAC_A_PUB,
	  JWT_ALG_REJECTED },
	/* other algorithms */
	{ "RS256 header on the EC key k1", "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
	  "{}", NULL, SIGN_RSA, JWT_ALG_REJECTED },
	{ "alg es256 (lower case)", "{\"alg\":\"es256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}",
	  NULL, SIGN_A, JWT_ALG_REJECTED },
	{ "alg ES384", "{\"alg\":\"ES384\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_ALG_REJECTED },
	{ "alg PS256", "{\"alg\":\"PS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_ALG_REJECTED },
	{ "alg missing", "{\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_ALG_REJECTED },
	{ "alg not a string", "{\"alg\":[\"ES256\"],\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL,
	  SIGN_A, JWT_ALG_REJECTED },
	/* header shape */
	{ "crit header",
	  "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\",\"crit\":[\"b64\"],\"b64\":false}",
	  "{}", NULL, SIGN_A, JWT_MALFORMED },
	{ "header not JSON", "{\"alg\":\"ES256\",", "{}", NULL, SIGN_A, JWT_MALFORMED },
	{ "header an array", "[\"ES256\"]", "{}", NULL, SIGN_A, JWT_MALFORMED },
	{ "header with a duplicate alg",
	  "{\"alg\":\"none\",\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}", "{}", NULL,
	  SIGN_A, JWT_MALFORMED },
	/* kid */
	{ "unknown kid", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k9\"}", "{}", NULL,
	  SIGN_A, JWT_UNKNOWN_KID },
	{ "kid missing where required", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\"}", "{}", NULL,
	  SIGN_A, JWT_UNKNOWN_KID },
	{ "kid empty", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"\"}", "{}", NULL, SIGN_A,
	  JWT_MALFORMED },
	{ "kid a number", "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":1}", "{}", NULL, SIGN_A,
	  JWT_MALFORMED },
	/* typ (RFC 9068 §2.1; media types compare without case, RFC 7515 §4.1.9) */
	{ "typ JWT", "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_WRONG_TYPE },
	{ "typ missing", "{\"alg\":\"ES256\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A, JWT_WRONG_TYPE },
	{ "typ application/at+jwt",
	  "{\"alg\":\"ES256\",\"typ\":\"application/at+jwt\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_VALID },
	{ "typ AT+JWT", "{\"alg\":\"ES256\",\"typ\":\"AT+JWT\",\"kid\":\"k1\"}", "{}", NULL, SIGN_A,
	  JWT_VALID },
	/* signatures */
	{ "another P-256 key, same kid", H_OK, "{}", NULL, SIGN_C, JWT_BAD_SIGNATURE },
	{ "the next key B, with A's kid", H_OK, "{}", NULL, SIGN_B, JWT_BAD_SIGNATURE },
	{ "DER signature instead of R||S", H_OK, "{}", NULL, SIGN_A_DER, JWT_BAD_SIGNATURE },
	{ "ES256 header, no signature", H_OK, "{}", NULL, NO_SIGNATURE, JWT_BAD_SIGNATURE },
	/* exp, nbf, iat with leeway 30 s */
	{ "expired beyond the leeway", H_OK, "{\"exp\":1749999969}", NULL, SIGN_A, JWT_EXPIRED },
	{ "expired just within the leeway", H_OK, "{\"exp\":1749999970}", NULL, SIGN_A, JWT_VALID },
	{ "exp now", H_OK, "{\"exp\":1750000000}", NULL, SIGN_A, JWT_VALID },
	{ "exp most negative", H_OK, "{\"exp\":-9223372036854775808}", NULL, SIGN_A, JWT_EXPIRED },
	{ "exp largest (no overflow)", H_OK, "{\"exp\":9223372036854775807}", NULL, SIGN_A,
	  JWT_VALID },
	{ "exp missing", H_OK, "{\"exp\":null}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	{ "exp a string", H_OK, "{\"exp\":\"1750000600\"}", NULL, SIGN_A, JWT_MALFORMED },
	{ "exp a real", H_OK, "{\"exp\":1750000600.5}", NULL, SIGN_A, JWT_MALFORMED },
	{ "exp true", H_OK, "{\"exp\":true}", NULL, SIGN_A, JWT_MALFORMED },
	{ "nbf beyond the leeway", H_OK, "{\"nbf\":1750000031}", NULL, SIGN_A, JWT_NOT_YET_VALID },
	{ "nbf within the leeway", H_OK, "{\"nbf\":1750000030}", NULL, SIGN_A, JWT_VALID },
	{ "nbf absent", H_OK, "{\"nbf\":null}", NULL, SIGN_A, JWT_VALID },
	{ "nbf a string", H_OK, "{\"nbf\":\"0\"}", NULL, SIGN_A, JWT_MALFORMED },
	{ "iat in the future", H_OK, "{\"iat\":1750000031}", NULL, SIGN_A, JWT_NOT_YET_VALID },
	{ "iat within the leeway", H_OK, "{\"iat\":1750000030}", NULL, SIGN_A, JWT_VALID },
	{ "iat absent", H_OK, "{\"iat\":null}", NULL, SIGN_A, JWT_VALID },
	/* iss, aud */
	{ "wrong iss", H_OK, "{\"iss\":\"https://evil.test\"}", NULL, SIGN_A, JWT_WRONG_ISSUER },
	{ "iss with a trailing slash", H_OK, "{\"iss\":\"https://thidua.test/\"}", NULL, SIGN_A,
	  JWT_WRONG_ISSUER },
	{ "iss an array", H_OK, "{\"iss\":[\"https://thidua.test\"]}", NULL, SIGN_A,
	  JWT_WRONG_ISSUER },
	{ "iss missing", H_OK, "{\"iss\":null}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	{ "aud string, wrong", H_OK, "{\"aud\":\"other-api\"}", NULL, SIGN_A, JWT_WRONG_AUDIENCE },
	{ "aud array without ours", H_OK, "{\"aud\":[\"other-api\",\"thidua-apix\"]}", NULL, SIGN_A,
	  JWT_WRONG_AUDIENCE },
	{ "aud array with ours", H_OK, "{\"aud\":[\"other-api\",\"thidua-api\"]}", NULL, SIGN_A,
	  JWT_VALID },
	{ "aud empty array", H_OK, "{\"aud\":[]}", NULL, SIGN_A, JWT_WRONG_AUDIENCE },
	{ "aud an object", H_OK, "{\"aud\":{\"thidua-api\":1}}", NULL, SIGN_A, JWT_WRONG_AUDIENCE },
	{ "aud missing", H_OK, "{\"aud\":null}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	/* sub, jti */
	{ "sub missing", H_OK, "{\"sub\":null}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	{ "sub empty", H_OK, "{\"sub\":\"\"}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	{ "sub a number", H_OK, "{\"sub\":42}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	{ "jti missing", H_OK, "{\"jti\":null}", NULL, SIGN_A, JWT_MISSING_CLAIM },
	/* payload shape, signed correctly */
	{ "payload an array", H_OK, NULL, "[1,2]", SIGN_A, JWT_MALFORMED },
	{ "payload not JSON", H_OK, NULL, "{\"sub\":", SIGN_A, JWT_MALFORMED },
	{ "payload with a duplicate sub", H_OK, NULL,
	  "{\"iss\":\"https://"
	  "thidua.test\",\"aud\":\"thidua-api\",\"sub\":\"u-42\",\"sub\":\"admin\","
	  "\"jti\":\"j\",\"exp\":1750000600}",
	  SIGN_A, JWT_MALFORMED },
};

static void test_forged(void **state)
{
	(void)state;
	int failed = 0;
	for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
		const struct forged *f = &forged[i];
		char *payload = f->payload ? strdup(f->payload) : claims_new(ISS, AUD, f->patch);
		assert_non_null(payload);
		char *token = forge_new(f->header, payload, f->how);
		json_t *claims = (json_t *)&claims; /* must be overwritten */
		enum jwt_verdict got = jwt_verify(fx.ring, &rules, token, NOW, &claims);
		if (got != f->want) {
			print_error("%s: got %s, want %s\n", f->name, jwt_verdict_text(got),
				    jwt_verdict_text(f->want));
			failed++;
		}
		if (got == JWT_VALID) {
			assert_true(json_is_object(claims));
			json_decref(claims);
		} else {
			assert_null(claims);
		}
		free(token);
		free(payload);
	}
	assert_int_equal(failed, 0);
}

/* A valid token of fx.ring, signed by the module itself. */
static char *issue_new(const struct jwt_keyring *kr, char jti[33])
{
	json_t *claims = json_pack("{s:s, s:s}", "sub", "u-42", "org", "bqlkkt-gialai");
	assert_non_null(claims);
	char *token = jwt_issue_new(kr, &rules, claims, NOW, 900, jti);
	json_decref(claims);
	assert_non_null(token);
	return token;
}

static void test_mangled(void **state)
{
	(void)state;
	char jti[33];
	char *good = issue_new(fx.ring, jti);
	size_t len = strlen(good);
	assert_int_equal(jwt_verify(fx.ring, &rules, good, NOW, NULL), JWT_VALID);
	char *dot1 = strchr(good, '.'), *dot2 = strrchr(good, '.');
	char buf[JWT_MAX_TOKEN_LEN + 64];

	/* tampered payload, signature kept: sub becomes "admin" */
	char *claims = claims_new(ISS, AUD, "{\"sub\":\"admin\",\"exp\":1750000900}");
	char *p64 = b64url_text_new(claims);
	snprintf(buf, sizeof buf, "%.*s.%s%s", (int)(dot1 - good), good, p64, dot2);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_BAD_SIGNATURE);
	free(p64);
	free(claims);

	/* one bit of the signature flipped (first char: 6 full bits) */
	snprintf(buf, sizeof buf, "%s", good);
	buf[dot2 - good + 1] = buf[dot2 - good + 1] == 'A' ? 'B' : 'A';
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_BAD_SIGNATURE);

	/* signature cut short: 84 characters, 63 bytes */
	snprintf(buf, sizeof buf, "%.*s", (int)len - 2, good);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_BAD_SIGNATURE);

	/* padding, '+', '/', whitespace: not base64url as JWS wants it */
	snprintf(buf, sizeof buf, "%.*s==%s", (int)(dot2 - good), good, dot2);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);
	snprintf(buf, sizeof buf, "%s=", good);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);
	const char swaps[] = "+/ \n%";
	for (const char *c = swaps; *c; c++) {
		snprintf(buf, sizeof buf, "%s", good);
		buf[dot1 - good + 1] = *c;
		assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);
		snprintf(buf, sizeof buf, "%s", good);
		buf[len - 2] = *c;
		assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);
	}
	/* non-canonical last character: 86 characters carry 64 bytes and 4
	 * spare bits, which must be zero */
	snprintf(buf, sizeof buf, "%s", good);
	const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t v = (size_t)(strchr(alpha, buf[len - 1]) - alpha);
	assert_int_equal(v & 15, 0);
	buf[len - 1] = alpha[v | 1];
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);

	/* a fourth part (JWE has five) */
	snprintf(buf, sizeof buf, "%s.AAAA", good);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);

	/* "Bearer " left in */
	snprintf(buf, sizeof buf, "Bearer %s", good);
	assert_int_equal(jwt_verify(fx.ring, &rules, buf, NOW, NULL), JWT_MALFORMED);
	free(good);
}

static void test_garbage(void **state)
{
	(void)state;
	static const char *const garbage[] = {
		"",
		".",
		"..",
		"...",
		"abc",
		"a.b",
		"eyJhbGciOiJFUzI1NiJ9",
		"a.b.c.d",
		".e30.AAAA",
		"e30..AAAA",
		"e30.e30.A",
		"A.e30.AAAA",
		"\xff\xfe.e30.AAAA",
		"null.null.null",
		"e30.e30.e30.e30.e30",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
		enum jwt_verdict v = jwt_verify(fx.ring, &rules, garbage[i], NOW, NULL);
		if (v != JWT_MALFORMED)
			fail_msg("garbage %zu \"%s\": %s", i, garbage[i], jwt_verdict_text(v));
	}
	json_t *out = (json_t *)&out;
	assert_int_equal(jwt_verify(fx.ring, &rules, NULL, NOW, &out), JWT_MALFORMED);
	assert_null(out);

	/* overlong: a valid token's shape, one byte over the bound */
	char *big = malloc(JWT_MAX_TOKEN_LEN + 2);
	assert_non_null(big);
	memset(big, 'A', JWT_MAX_TOKEN_LEN + 1);
	big[JWT_MAX_TOKEN_LEN + 1] = '\0';
	big[100] = big[200] = '.';
	assert_int_equal(jwt_verify(fx.ring, &rules, big, NOW, NULL), JWT_MALFORMED);
	/* and a correctly signed token just over the bound */
	char pad[JWT_MAX_TOKEN_LEN];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	json_t *patch = json_pack("{s:s}", "pad", pad);
	char *patch_text = json_dumps(patch, JSON_COMPACT);
	char *claims = claims_new(ISS, AUD, patch_text);
	char *token = forge_new(H_OK, claims, SIGN_A);
	assert_true(strlen(token) > JWT_MAX_TOKEN_LEN);
	assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW, NULL), JWT_MALFORMED);
	free(token);
	free(claims);
	free(patch_text);
	json_decref(patch);
	free(big);
}

/* ---- issue, rotation, JWKS -------------------------------------------- */

static void test_round_trip(void **state)
{
	(void)state;
	json_t *claims =
		json_pack("{s:s, s:s, s:[s, s], s:s, s:s, s:I}", "sub", "u-42", "org",
			  "bqlkkt-gialai", "roles", "reviewer", "unit_admin", "unit", "u-3", "iss",
			  "https://evil.test", "exp", (json_int_t)9999999999);
	assert_non_null(claims);
	char jti[33] = "";
	char *token = jwt_issue_new(fx.ring, &rules, claims, NOW, 900, jti);
	assert_non_null(token);
	assert_int_equal(strlen(jti), 32);
	assert_int_equal(strspn(jti, "0123456789abcdef"), 32);

	/* the header as written */
	char *header = b64url_decode_new(token, (size_t)(strchr(token, '.') - token));
	json_t *h = json_loads(header, 0, NULL);
	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h, "alg")), "ES256");
	assert_string_equal(json_string_value(json_object_get(h, "typ")), "at+jwt");
	assert_string_equal(json_string_value(json_object_get(h, "kid")), "k1");
	assert_int_equal(json_object_size(h), 3);
	json_decref(h);
	free(header);

	json_t *got = NULL;
	assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW + 10, &got), JWT_VALID);
	assert_non_null(got);
	assert_string_equal(json_string_value(json_object_get(got, "sub")), "u-42");
	assert_string_equal(json_string_value(json_object_get(got, "org")), "bqlkkt-gialai");
	assert_true(json_equal(json_object_get(got, "roles"), json_object_get(claims, "roles")));
	assert_string_equal(json_string_value(json_object_get(got, "unit")), "u-3");
	assert_string_equal(json_string_value(json_object_get(got, "iss")),
			    ISS); /* not the caller's */
	assert_string_equal(json_string_value(json_object_get(got, "aud")), AUD);
	assert_string_equal(json_string_value(json_object_get(got, "jti")), jti);
	assert_int_equal(json_integer_value(json_object_get(got, "iat")), NOW);
	assert_int_equal(json_integer_value(json_object_get(got, "nbf")), NOW);
	assert_int_equal(json_integer_value(json_object_get(got, "exp")), NOW + 900);
	json_decref(got);
	/* the caller's object is only borrowed */
	assert_string_equal(json_string_value(json_object_get(claims, "iss")), "https://evil.test");
	assert_null(json_object_get(claims, "jti"));

	assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW + 930, NULL), JWT_VALID);
	assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW + 931, NULL), JWT_EXPIRED);
	assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW - 31, NULL), JWT_NOT_YET_VALID);
	struct jwt_rules other = rules;
	other.audience = "other-api";
	assert_int_equal(jwt_verify(fx.ring, &other, token, NOW, NULL), JWT_WRONG_AUDIENCE);
	other = rules;
	other.issuer = "https://evil.test";
	assert_int_equal(jwt_verify(fx.ring, &other, token, NOW, NULL), JWT_WRONG_ISSUER);
	other = rules;
	other.typ = NULL;
	assert_int_equal(jwt_verify(fx.ring, &other, token, NOW, NULL), JWT_VALID);
	free(token);

	/* Many signatures, so that R or S with leading zero bytes turn up:
	 * each must be padded to 32 bytes, and every jti is new. */
	char prev[33] = "";
	for (int i = 0; i < 300; i++) {
		token = jwt_issue_new(fx.ring, &rules, claims, NOW, 900, jti);
		assert_non_null(token);
		assert_int_equal(strlen(strrchr(token, '.') + 1), 86);
		assert_int_equal(jwt_verify(fx.ring, &rules, token, NOW, NULL), JWT_VALID);
		assert_string_not_equal(jti, prev);
		memcpy(prev, jti, sizeof prev);
		free(token);
	}
	json_decref(claims);
}

static void test_issue_refuses(void **state)
{
	(void)state;
	char jti[33] = "unchanged";
	json_t *claims = json_pack("{s:s}", "sub", "u-42");
	json_t *array = json_array();
	struct jwt_rules no_iss = rules;
	no_iss.issuer = NULL;
	struct jwt_rules no_aud = rules;
	no_aud.audience = NULL;
	assert_null(jwt_issue_new(NULL, &rules, claims, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, NULL, claims, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, &no_iss, claims, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, &no_aud, claims, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, &rules, array, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, &rules, NULL, NOW, 900, jti));
	assert_null(jwt_issue_new(fx.ring, &rules, claims, NOW, 0, jti));
	assert_null(jwt_issue_new(fx.ring, &rules, claims, INT64_MAX - 10, 900, jti));
	/* a token we would refuse ourselves is not issued */
	char pad[JWT_MAX_TOKEN_LEN];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	json_object_set_new(claims, "pad", json_string(pad));
	assert_null(jwt_issue_new(fx.ring, &rules, claims, NOW, 900, jti));
	assert_string_equal(jti, "unchanged");
	json_decref(array);
	json_decref(claims);
}

static void test_rotation(void **state)
{
	(void)state;
	char err[256] = "", jti[33];
	struct jwt_keyring *next = jwt_keyring_new(fx.path[B_PRIV], "k2", err, sizeof err);
	assert_non_null(next);
	assert_true(
		jwt_keyring_add_public(next, fx.path[A_PUB], "k1", TALG_ES256, err, sizeof err));

	char *old = issue_new(fx.ring, jti); /* signed by A before the switch */
	char *fresh = issue_new(next, jti);
	assert_int_equal(jwt_verify(next, &rules, old, NOW, NULL), JWT_VALID);
	assert_int_equal(jwt_verify(next, &rules, fresh, NOW, NULL), JWT_VALID);
	assert_int_equal(jwt_verify(fx.ring, &rules, fresh, NOW, NULL), JWT_UNKNOWN_KID);

	/* B's signature under A's kid, and A's under B's */
	char *claims = claims_new(ISS, AUD, "{}");
	char *swapped = forge_new(H_OK, claims, SIGN_B);
	assert_int_equal(jwt_verify(next, &rules, swapped, NOW, NULL), JWT_BAD_SIGNATURE);
	free(swapped);
	swapped =
		forge_new("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k2\"}", claims, SIGN_A);
	assert_int_equal(jwt_verify(next, &rules, swapped, NOW, NULL), JWT_BAD_SIGNATURE);
	free(swapped);
	free(claims);

	json_t *jwks = jwt_keyring_jwks_new(next);
	json_t *keys = json_object_get(jwks, "keys");
	assert_int_equal(json_array_size(keys), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(keys, 0), "kid")),
			    "k2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(keys, 1), "kid")),
			    "k1");
	json_decref(jwks);

	free(fresh);
	free(old);
	jwt_keyring_free(next);
}

static void assert_coordinate(const json_t *jwk, const char *member, EVP_PKEY *k, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char bytes[32];
	assert_int_equal(EVP_PKEY_get_bn_param(k, param, &bn), 1);
	assert_int_equal(BN_bn2binpad(bn, bytes, 32), 32);
	char *want = b64url_new(bytes, 32);
	const char *got = json_string_value(json_object_get(jwk, member));
	assert_non_null(got);
	assert_int_equal(strlen(got), 43);
	assert_string_equal(got, want);
	free(want);
	BN_free(bn);
}

static void test_jwks(void **state)
{
	(void)state;
	json_t *jwks = jwt_keyring_jwks_new(fx.ring);
	assert_non_null(jwks);
	assert_int_equal(json_object_size(jwks), 1);
	json_t *keys = json_object_get(jwks, "keys");
	assert_int_equal(json_array_size(keys), 1);
	json_t *k = json_array_get(keys, 0);
	assert_int_equal(json_object_size(k), 7); /* and so no "d" */
	assert_string_equal(json_string_value(json_object_get(k, "kty")), "EC");
	assert_string_equal(json_string_value(json_object_get(k, "crv")), "P-256");
	assert_string_equal(json_string_value(json_object_get(k, "kid")), "k1");
	assert_string_equal(json_string_value(json_object_get(k, "alg")), "ES256");
	assert_string_equal(json_string_value(json_object_get(k, "use")), "sig");
	assert_coordinate(k, "x", fx.a, OSSL_PKEY_PARAM_EC_PUB_X);
	assert_coordinate(k, "y", fx.a, OSSL_PKEY_PARAM_EC_PUB_Y);
	/* a new reference each time: changing one changes nothing else */
	json_object_set_new(k, "kid", json_string("mutated"));
	json_t *again = jwt_keyring_jwks_new(fx.ring);
	json_t *first = json_array_get(json_object_get(again, "keys"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "kid")), "k1");
	json_decref(again);
	json_decref(jwks);
}

/* ---- an external issuer with an RS256 key ------------------------------ */

static void test_external_rs256(void **state)
{
	(void)state;
	char err[256] = "", jti[33];
	struct jwt_keyring *ext = jwt_keyring_new(NULL, "self", err, sizeof err); /* ephemeral */
	assert_non_null(ext);
	assert_true(
		jwt_keyring_add_public(ext, fx.path[RSA_PUB], "sso1", TALG_RS256, err, sizeof err));
	const struct jwt_rules sso = { SSO_ISS, SSO_AUD, NULL, 30, true };
	char *claims = claims_new(SSO_ISS, SSO_AUD, "{}");

	char *t =
		forge_new("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"sso1\"}", claims, SIGN_RSA);
	json_t *got = NULL;
	assert_int_equal(jwt_verify(ext, &sso, t, NOW, &got), JWT_VALID);
	assert_string_equal(json_string_value(json_object_get(got, "sub")), "u-42");
	json_decref(got);

	/* the same signature relabelled ES256 */
	char *dot = strchr(t, '.');
	char *h = b64url_text_new("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"sso1\"}");
	char buf[2048];
	snprintf(buf, sizeof buf, "%s%s", h, dot);
	assert_int_equal(jwt_verify(ext, &sso, buf, NOW, NULL), JWT_ALG_REJECTED);
	free(h);
	/* relabelled HS256, MAC keyed with the RSA public key PEM */
	char *rsa_pub = pem_new(fx.rsa, false);
	char *hs_head = b64url_text_new("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"sso1\"}");
	char *hs_body = b64url_text_new(claims);
	snprintf(buf, sizeof buf, "%s.%s", hs_head, hs_body);
	unsigned char mac[32];
	unsigned mac_len = 0;
	assert_non_null(HMAC(EVP_sha256(), rsa_pub, (int)strlen(rsa_pub),
			     (const unsigned char *)buf, strlen(buf), mac, &mac_len));
	char *mac64 = b64url_new(mac, mac_len);
	size_t used = strlen(buf);
	snprintf(buf + used, sizeof buf - used, ".%s", mac64);
	assert_int_equal(jwt_verify(ext, &sso, buf, NOW, NULL), JWT_ALG_REJECTED);
	free(mac64);
	free(hs_body);
	free(hs_head);
	free(rsa_pub);
	/* one bit flipped in the RSA signature */
	snprintf(buf, sizeof buf, "%s", t);
	char *sig = strrchr(buf, '.') + 1;
	sig[10] = sig[10] == 'A' ? 'B' : 'A';
	assert_int_equal(jwt_verify(ext, &sso, buf, NOW, NULL), JWT_BAD_SIGNATURE);
	free(t);

	/* RS256 under the ES256 kid of the ring's own key */
	t = forge_new("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"self\"}", claims, SIGN_RSA);
	assert_int_equal(jwt_verify(ext, &sso, t, NOW, NULL), JWT_ALG_REJECTED);
	free(t);

	/* no kid: refused when required; otherwise the one key added for RS256 */
	t = forge_new("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims, SIGN_RSA);
	assert_int_equal(jwt_verify(ext, &sso, t, NOW, NULL), JWT_UNKNOWN_KID);
	struct jwt_rules lax = sso;
	lax.require_kid = false;
	assert_int_equal(jwt_verify(ext, &lax, t, NOW, NULL), JWT_VALID);
	free(t);
	/* ... and never the ring's own signing key */
	t = forge_new("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", claims, SIGN_A);
	assert_int_equal(jwt_verify(ext, &lax, t, NOW, NULL), JWT_UNKNOWN_KID);
	free(t);
	free(claims);

	/* the ephemeral key signs and verifies */
	t = issue_new(ext, jti);
	assert_int_equal(jwt_verify(ext, &rules, t, NOW, NULL), JWT_VALID);
	assert_int_equal(jwt_verify(fx.ring, &rules, t, NOW, NULL), JWT_UNKNOWN_KID);
	free(t);

	json_t *jwks = jwt_keyring_jwks_new(ext);
	json_t *rsa = json_array_get(json_object_get(jwks, "keys"), 1);
	assert_string_equal(json_string_value(json_object_get(rsa, "kty")), "RSA");
	assert_string_equal(json_string_value(json_object_get(rsa, "alg")), "RS256");
	assert_string_equal(json_string_value(json_object_get(rsa, "kid")), "sso1");
	assert_string_equal(json_string_value(json_object_get(rsa, "e")), "AQAB");
	assert_int_equal(strlen(json_string_value(json_object_get(rsa, "n"))), 342); /* 256 bytes */
	assert_int_equal(json_object_size(rsa), 6);
	json_decref(jwks);
	jwt_keyring_free(ext);
}

/* libjwt 1.10 signs ES256 as JOSE R||S too: its tokens verify here (its
 * jwt_encode_str forces typ "JWT", so the rules check no typ). */
static void test_libjwt_interop(void **state)
{
	(void)state;
	struct jwt_rules no_typ = rules;
	no_typ.typ = NULL;
	char *claims = claims_new(ISS, AUD, "{}");
	for (int i = 0; i < 50; i++) {
		jwt_t *j = NULL;
		assert_int_equal(jwt_new(&j), 0);
		assert_int_equal(jwt_add_grants_json(j, claims), 0);
		assert_int_equal(jwt_add_header(j, "kid", "k1"), 0);
		assert_int_equal(jwt_set_alg(j, JWT_ALG_ES256, (const unsigned char *)fx.a_priv_pem,
					     (int)strlen(fx.a_priv_pem)),
				 0);
		char *t = jwt_encode_str(j);
		assert_non_null(t);
		assert_int_equal(jwt_verify(fx.ring, &no_typ, t, NOW, NULL), JWT_VALID);
		assert_int_equal(jwt_verify(fx.ring, &rules, t, NOW, NULL), JWT_WRONG_TYPE);
		free(t);
		jwt_free(j);
	}
	free(claims);
}

/* ---- keyring refusals -------------------------------------------------- */

static void test_keyring_refusals(void **state)
{
	(void)state;
	char err[256];
	char long_kid[130];
	memset(long_kid, 'k', sizeof long_kid - 1);
	long_kid[sizeof long_kid - 1] = '\0';

	static const struct {
		const char *name;
		enum keyfile file;
		const char *kid;
	} bad_new[] = {
		{ "empty kid", A_PRIV, "" },
		{ "kid with a space", A_PRIV, "k 1" },
		{ "kid with a quote", A_PRIV, "k\"" },
		{ "kid NULL", A_PRIV, NULL },
		{ "an RSA signing key", RSA_PRIV, "k" },
		{ "a P-384 signing key", P384_PRIV, "k" },
		{ "a public key file", A_PUB, "k" },
		{ "an encrypted key", ENC_PRIV, "k" },
	};
	for (size_t i = 0; i < sizeof bad_new / sizeof bad_new[0]; i++) {
		err[0] = '\0';
		struct jwt_keyring *kr =
			jwt_keyring_new(fx.path[bad_new[i].file], bad_new[i].kid, err, sizeof err);
		if (kr)
			fail_msg("%s: accepted", bad_new[i].name);
		assert_true(err[0] != '\0');
	}
	assert_null(jwt_keyring_new(fx.path[A_PRIV], long_kid, err, sizeof err));
	assert_null(jwt_keyring_new("/nonexistent/key.pem", "k", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/key.pem"));
	assert_null(jwt_keyring_new("/nonexistent/key.pem", "k", NULL, 0)); /* no message wanted */

	static const struct {
		const char *name;
		enum keyfile file;
		const char *kid;
		enum jwt_alg_id alg;
	} bad_add[] = {
		{ "RSA key as ES256", RSA_PUB, "x", TALG_ES256 },
		{ "EC key as RS256", B_PUB, "x", TALG_RS256 },
		{ "P-384 key as ES256", P384_PUB, "x", TALG_ES256 },
		{ "RSA 1024", RSA1024_PUB, "x", TALG_RS256 },
		{ "duplicate kid", B_PUB, "k1", TALG_ES256 },
		{ "a private key file", B_PRIV, "x", TALG_ES256 },
		{ "empty kid", B_PUB, "", TALG_ES256 },
	};
	for (size_t i = 0; i < sizeof bad_add / sizeof bad_add[0]; i++) {
		err[0] = '\0';
		if (jwt_keyring_add_public(fx.ring, fx.path[bad_add[i].file], bad_add[i].kid,
					   bad_add[i].alg, err, sizeof err))
			fail_msg("%s: accepted", bad_add[i].name);
		assert_true(err[0] != '\0');
	}
	assert_false(
		jwt_keyring_add_public(fx.ring, "/nonexistent/pub.pem", "x", TALG_ES256, err, 0));
	assert_false(jwt_keyring_add_public(NULL, fx.path[B_PUB], "x", TALG_ES256, NULL, 0));
	assert_false(
		jwt_keyring_add_public(fx.ring, fx.path[B_PUB], "x", (enum jwt_alg_id)7, NULL, 0));

	/* the ring is as it was */
	json_t *jwks = jwt_keyring_jwks_new(fx.ring);
	assert_int_equal(json_array_size(json_object_get(jwks, "keys")), 1);
	json_decref(jwks);
	jwt_keyring_free(NULL);
}

static void test_verdict_text(void **state)
{
	(void)state;
	for (int v = JWT_VALID; v <= JWT_MISSING_CLAIM; v++) {
		const char *t = jwt_verdict_text((enum jwt_verdict)v);
		assert_non_null(t);
		assert_true(t[0] != '\0');
		assert_null(strpbrk(t, "\"\\\r\n"));
		for (int w = JWT_VALID; w < v; w++)
			assert_string_not_equal(t, jwt_verdict_text((enum jwt_verdict)w));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forged),	       cmocka_unit_test(test_mangled),
		cmocka_unit_test(test_garbage),	       cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_issue_refuses),  cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_jwks),	       cmocka_unit_test(test_external_rs256),
		cmocka_unit_test(test_libjwt_interop), cmocka_unit_test(test_keyring_refusals),
		cmocka_unit_test(test_verdict_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
