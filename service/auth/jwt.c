/*
 * jwt.c — issue and verify access tokens (see jwt.h for the contract and for
 * why libjwt 1.10 is not in the verification path).
 *
 * A keyring is a short array of keys, each bound to one kid and one
 * algorithm; keys[0] is the public half of the signing key.  Verification
 * reads the header only to choose a key, checks the signature with EVP, and
 * reads the claims only after that.  JOSE details done here by hand:
 * base64url without padding (strict: the alphabet, no '=', canonical last
 * character), and ES256 signatures as the 64-byte R||S of RFC 7518 §3.4,
 * converted to and from the DER that OpenSSL speaks.
 */
#include "auth/jwt.h"

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

#define KID_MAX 128
#define ES256_COORD 32 /* bytes of a P-256 coordinate, and of R and S */
#define RSA_MIN_BITS 2048
#define RSA_MAX_BITS 8192 /* n fits the JWK buffer; verification stays cheap */
#define KID_RULE "kid must be 1 to 128 printable ASCII characters, no space, quote or backslash"

struct key_entry {
	char *kid;
	enum jwt_alg_id alg;
	EVP_PKEY *pub; /* public half only: verification never sees a private key */
	json_t *jwk; /* this key as a JWK, built once when the key is added */
	bool added; /* by jwt_keyring_add_public: may match a token without kid */
};

struct jwt_keyring {
	EVP_PKEY *sign_key; /* P-256 private key, ES256 */
	struct key_entry *keys; /* keys[0]: the signing key's public half */
	size_t n_keys;
};

/* ---- small helpers ---------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt,
							  ...)
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
static const char *ossl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());
	ERR_clear_error();
	return r ? r : "unknown reason";
}

static bool kid_ok(const char *kid)
{
	if (!kid || !kid[0] || strlen(kid) > KID_MAX)
		return false;
	for (const char *p = kid; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
			return false;
	return true;
}

/* ---- base64url (RFC 4648 §5, no padding) ------------------------------ */

static const char b64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64url_value(char c)
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
static char *b64url_encode_new(const unsigned char *in, size_t n)
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
static unsigned char *b64url_decode_new(const char *in, size_t n, size_t *out_len)
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

/* ---- keys ------------------------------------------------------------- */

/* Never prompts on a terminal for an encrypted key: such a key is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

static bool is_p256(const EVP_PKEY *pkey)
{
	char group[64];
	if (!EVP_PKEY_is_a(pkey, "EC"))
		return false;
	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
					    NULL))
		return false;
	return OBJ_sn2nid(group) == NID_X9_62_prime256v1;
}

/* True when pkey is a sound public key for alg; else a message in err. */
static bool key_fits(EVP_PKEY *pkey, enum jwt_alg_id alg, char *err, size_t errlen)
{
	if (alg == TALG_ES256 && !is_p256(pkey)) {
		set_err(err, errlen, "ES256 needs an EC P-256 key");
		return false;
	}
	if (alg == TALG_RS256 &&
	    (!EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS ||
	     EVP_PKEY_get_bits(pkey) > RSA_MAX_BITS)) {
		set_err(err, errlen, "RS256 needs an RSA key of %d to %d bits", RSA_MIN_BITS,
			RSA_MAX_BITS);
		return false;
	}
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	int ok = ctx ? EVP_PKEY_public_check(ctx) : 0;
	EVP_PKEY_CTX_free(ctx);
	if (ok != 1) {
		set_err(err, errlen, "public key fails its check: %s", ossl_reason());
		return false;
	}
	return true;
}

/* The public half of priv as a key object of its own, made by writing and
 * reading back the SubjectPublicKeyInfo PEM.  New key, or NULL. */
static EVP_PKEY *public_half_new(EVP_PKEY *priv)
{
	EVP_PKEY *pub = NULL;
	BIO *mem = BIO_new(BIO_s_mem());
	if (mem && PEM_write_bio_PUBKEY(mem, priv) == 1)
		pub = PEM_read_bio_PUBKEY(mem, NULL, no_passphrase, NULL);
	BIO_free(mem);
	return pub;
}

static char *bn_b64url_new(const BIGNUM *bn, int pad_to)
{
	int len = pad_to ? pad_to : BN_num_bytes(bn);
	if (len <= 0 || len > 1024)
		return NULL;
	unsigned char buf[1024];
	if (BN_bn2binpad(bn, buf, len) != len)
		return NULL;
	return b64url_encode_new(buf, (size_t)len);
}

/* The JWK of a public key (RFC 7517 §4, RFC 7518 §6).  New reference or NULL. */
static json_t *jwk_new(EVP_PKEY *pub, enum jwt_alg_id alg, const char *kid)
{
	const char *p1 = alg == TALG_ES256 ? OSSL_PKEY_PARAM_EC_PUB_X : OSSL_PKEY_PARAM_RSA_N;
	const char *p2 = alg == TALG_ES256 ? OSSL_PKEY_PARAM_EC_PUB_Y : OSSL_PKEY_PARAM_RSA_E;
	int pad = alg == TALG_ES256 ? ES256_COORD : 0;
	BIGNUM *a = NULL, *b = NULL;
	char *s1 = NULL, *s2 = NULL;
	json_t *jwk = NULL;

	if (!EVP_PKEY_get_bn_param(pub, p1, &a) || !EVP_PKEY_get_bn_param(pub, p2, &b))
		goto cleanup;
	s1 = bn_b64url_new(a, pad);
	s2 = bn_b64url_new(b, pad);
	if (!s1 || !s2)
		goto cleanup;
	if (alg == TALG_ES256)
		jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256",
				"x", s1, "y", s2, "kid", kid, "alg", "ES256", "use", "sig");
	else
		jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "n", s1, "e", s2,
				"kid", kid, "alg", "RS256", "use", "sig");
cleanup:
	free(s2);
	free(s1);
	BN_free(b);
	BN_free(a);
	return jwk;
}

static const struct key_entry *find_kid(const struct jwt_keyring *kr, const char *kid)
{
	for (size_t i = 0; i < kr->n_keys; i++)
		if (strcmp(kr->keys[i].kid, kid) == 0)
			return &kr->keys[i];
	return NULL;
}

/* Appends a key; takes pub on success only. */
static bool ring_append(struct jwt_keyring *kr, const char *kid, enum jwt_alg_id alg, EVP_PKEY *pub,
			bool added, char *err, size_t errlen)
{
	if (find_kid(kr, kid)) {
		set_err(err, errlen, "kid \"%s\" is already in the keyring", kid);
		return false;
	}
	json_t *jwk = jwk_new(pub, alg, kid);
	if (!jwk) {
		set_err(err, errlen, "cannot write the key as a JWK: %s", ossl_reason());
		return false;
	}
	char *kid_copy = strdup(kid);
	struct key_entry *keys =
		kid_copy ? realloc(kr->keys, (kr->n_keys + 1) * sizeof *keys) : NULL;
	if (!keys) {
		free(kid_copy);
		json_decref(jwk);
		set_err(err, errlen, "out of memory");
		return false;
	}
	kr->keys = keys;
	struct key_entry *e = &keys[kr->n_keys++];
	e->kid = kid_copy;
	e->alg = alg;
	e->pub = pub;
	e->jwk = jwk;
	e->added = added;
	return true;
}

struct jwt_keyring *jwt_keyring_new(const char *private_key_path, const char *kid, char *err,
				    size_t errlen)
{
	EVP_PKEY *priv = NULL, *pub = NULL;
	struct jwt_keyring *kr = NULL;

	if (!kid_ok(kid)) {
		set_err(err, errlen, KID_RULE);
		return NULL;
	}
	if (private_key_path) {
		BIO *in = BIO_new_file(private_key_path, "r");
		if (in)
			priv = PEM_read_bio_PrivateKey(in, NULL, no_passphrase, NULL);
		BIO_free(in);
		if (!priv) {
			set_err(err, errlen, "%s: no readable unencrypted private key in PEM: %s",
				private_key_path, ossl_reason());
			goto fail;
		}
		if (!is_p256(priv)) {
			set_err(err, errlen, "%s: the signing key must be an EC P-256 key",
				private_key_path);
			goto fail;
		}
	} else {
		priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		if (!priv) {
			set_err(err, errlen, "cannot generate a P-256 key: %s", ossl_reason());
			goto fail;
		}
	}
	pub = public_half_new(priv);
	if (!pub) {
		set_err(err, errlen, "cannot derive the public key: %s", ossl_reason());
		goto fail;
	}
	if (!key_fits(pub, TALG_ES256, err, errlen))
		goto fail;
	kr = calloc(1, sizeof *kr);
	if (!kr) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	if (!ring_append(kr, kid, TALG_ES256, pub, false, err, errlen))
		goto fail;
	kr->sign_key = priv;
	return kr;
fail:
	free(kr);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(priv);
	ERR_clear_error();
	return NULL;
}

bool jwt_keyring_add_public(struct jwt_keyring *kr, const char *public_key_path, const char *kid,
			    enum jwt_alg_id alg, char *err, size_t errlen)
{
	if (!kr || !public_key_path || (alg != TALG_ES256 && alg != TALG_RS256)) {
		set_err(err, errlen, "bad arguments");
		return false;
	}
	if (!kid_ok(kid)) {
		set_err(err, errlen, KID_RULE);
		return false;
	}
	EVP_PKEY *pub = NULL;
	BIO *in = BIO_new_file(public_key_path, "r");
	if (in)
		pub = PEM_read_bio_PUBKEY(in, NULL, no_passphrase, NULL);
	BIO_free(in);
	if (!pub) {
		set_err(err, errlen, "%s: no \"PUBLIC KEY\" PEM block: %s", public_key_path,
			ossl_reason());
		return false;
	}
	if (!key_fits(pub, alg, err, errlen) ||
	    !ring_append(kr, kid, alg, pub, true, err, errlen)) {
		EVP_PKEY_free(pub);
		ERR_clear_error();
		return false;
	}
	return true;
}

void jwt_keyring_free(struct jwt_keyring *kr)
{
	if (!kr)
		return;
	for (size_t i = 0; i < kr->n_keys; i++) {
		free(kr->keys[i].kid);
		EVP_PKEY_free(kr->keys[i].pub);
		json_decref(kr->keys[i].jwk);
	}
	free(kr->keys);
	EVP_PKEY_free(kr->sign_key);
	free(kr);
}

json_t *jwt_keyring_jwks_new(const struct jwt_keyring *kr)
{
	json_t *keys = json_array();
	json_t *set = json_object();
	if (!kr || !keys || !set || json_object_set(set, "keys", keys) != 0)
		goto fail;
	for (size_t i = 0; i < kr->n_keys; i++)
		if (json_array_append_new(keys, json_deep_copy(kr->keys[i].jwk)) != 0)
			goto fail;
	json_decref(keys);
	return set;
fail:
	json_decref(set);
	json_decref(keys);
	return NULL;
}

/* ---- signatures ------------------------------------------------------- */

static bool digest_verify(EVP_PKEY *pub, const char *data, size_t len, const unsigned char *sig,
			  size_t sig_len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub) == 1 &&
		  EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)data, len) == 1;
	EVP_MD_CTX_free(md);
	return ok;
}

/* ES256 signature: exactly R||S, 32 bytes each, rewritten as DER for EVP. */
static bool es256_verify(EVP_PKEY *pub, const char *data, size_t len, const unsigned char *sig,
			 size_t sig_len)
{
	if (sig_len != (size_t)2 * ES256_COORD)
		return false;
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, ES256_COORD, NULL);
	BIGNUM *s = BN_bin2bn(sig + ES256_COORD, ES256_COORD, NULL);
	if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return false;
	}
	unsigned char *der = NULL; /* es owns r and s from here */
	int der_len = i2d_ECDSA_SIG(es, &der);
	ECDSA_SIG_free(es);
	bool ok = der_len > 0 && digest_verify(pub, data, len, der, (size_t)der_len);
	OPENSSL_free(der);
	return ok;
}

/* RS256 (RSASSA-PKCS1-v1_5, SHA-256): the signature is as long as the modulus. */
static bool rs256_verify(EVP_PKEY *pub, const char *data, size_t len, const unsigned char *sig,
			 size_t sig_len)
{
	int size = EVP_PKEY_get_size(pub);
	return size > 0 && sig_len == (size_t)size && digest_verify(pub, data, len, sig, sig_len);
}

/* Signs data with the P-256 key; raw receives R||S. */
static bool es256_sign(EVP_PKEY *priv, const char *data, size_t len,
		       unsigned char raw[2 * ES256_COORD])
{
	unsigned char der[128]; /* a P-256 DER signature is at most 72 bytes */
	size_t der_len = sizeof der;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, priv) == 1 &&
		  EVP_DigestSign(md, der, &der_len, (const unsigned char *)data, len) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return false;
	const unsigned char *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!es)
		return false;
	const BIGNUM *r, *s;
	ECDSA_SIG_get0(es, &r, &s);
	ok = BN_bn2binpad(r, raw, ES256_COORD) == ES256_COORD &&
	     BN_bn2binpad(s, raw + ES256_COORD, ES256_COORD) == ES256_COORD;
	ECDSA_SIG_free(es);
	return ok;
}

/* ---- issue ------------------------------------------------------------ */

static bool set_claim(json_t *obj, const char *name, json_t *value)
{
	return value && json_object_set_new(obj, name, value) == 0;
}

char *jwt_issue_new(const struct jwt_keyring *kr, const struct jwt_rules *rules,
		    const json_t *claims, int64_t now, unsigned ttl_s, char jti_out[33])
{
	json_t *header = NULL, *body = NULL;
	char *header_text = NULL, *body_text = NULL, *h64 = NULL, *b64 = NULL, *s64 = NULL;
	char *token = NULL;
	int64_t exp;

	if (!kr || !rules || !rules->issuer || !rules->audience || !json_is_object(claims) ||
	    ttl_s == 0 || !jti_out || __builtin_add_overflow(now, (int64_t)ttl_s, &exp))
		return NULL;

	unsigned char rnd[16];
	char jti[33];
	if (RAND_bytes(rnd, sizeof rnd) != 1) {
		ERR_clear_error();
		return NULL;
	}
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(jti + 2 * i, 3, "%02x", rnd[i]);

	header = json_pack("{s:s, s:s}", "alg", "ES256", "kid", kr->keys[0].kid);
	body = json_deep_copy(claims);
	if (!header || !body || (rules->typ && !set_claim(header, "typ", json_string(rules->typ))))
		goto cleanup;
	if (!set_claim(body, "iss", json_string(rules->issuer)) ||
	    !set_claim(body, "aud", json_string(rules->audience)) ||
	    !set_claim(body, "iat", json_integer(now)) ||
	    !set_claim(body, "nbf", json_integer(now)) ||
	    !set_claim(body, "exp", json_integer(exp)) || !set_claim(body, "jti", json_string(jti)))
		goto cleanup;

	header_text = json_dumps(header, JSON_COMPACT);
	body_text = json_dumps(body, JSON_COMPACT);
	if (!header_text || !body_text)
		goto cleanup;
	h64 = b64url_encode_new((const unsigned char *)header_text, strlen(header_text));
	b64 = b64url_encode_new((const unsigned char *)body_text, strlen(body_text));
	if (!h64 || !b64)
		goto cleanup;

	/* header.payload.signature, with a signature of 86 characters */
	size_t signed_len = strlen(h64) + 1 + strlen(b64);
	size_t total = signed_len + 1 + 86;
	if (total > JWT_MAX_TOKEN_LEN)
		goto cleanup; /* a token we would refuse ourselves */
	token = malloc(total + 1);
	if (!token)
		goto cleanup;
	snprintf(token, total + 1, "%s.%s", h64, b64);
	unsigned char raw[2 * ES256_COORD];
	if (!es256_sign(kr->sign_key, token, signed_len, raw) ||
	    !(s64 = b64url_encode_new(raw, sizeof raw))) {
		free(token);
		token = NULL;
		ERR_clear_error();
		goto cleanup;
	}
	snprintf(token + signed_len, total + 1 - signed_len, ".%s", s64);
	memcpy(jti_out, jti, sizeof jti);
cleanup:
	free(s64);
	free(b64);
	free(h64);
	free(body_text);
	free(header_text);
	json_decref(body);
	json_decref(header);
	return token;
}

/* ---- verify ----------------------------------------------------------- */

struct parts {
	const char *head, *body, *sig;
	size_t head_len, body_len, sig_len;
};

/* Three parts separated by two dots, only the base64url alphabet, no
 * padding; header and payload not empty.  The signature may be empty here
 * (alg none): the algorithm check then answers, not the shape. */
static bool split(const char *token, size_t len, struct parts *p)
{
	const char *dot1 = memchr(token, '.', len);
	if (!dot1)
		return false;
	const char *dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token));
	if (!dot2)
		return false;
	for (size_t i = 0; i < len; i++)
		if (token[i] != '.' && b64url_value(token[i]) < 0)
			return false;
	p->head = token;
	p->head_len = (size_t)(dot1 - token);
	p->body = dot1 + 1;
	p->body_len = (size_t)(dot2 - p->body);
	p->sig = dot2 + 1;
	p->sig_len = len - (size_t)(p->sig - token);
	if (memchr(p->sig, '.', p->sig_len)) /* a fourth part, as in JWE */
		return false;
	return p->head_len > 0 && p->body_len > 0 && p->head_len % 4 != 1 && p->body_len % 4 != 1 &&
	       p->sig_len % 4 != 1;
}

/* A JSON object from a base64url part; duplicate names are refused so that
 * no two readers of the same token can see different claims.  New reference. */
static json_t *part_json_new(const char *part, size_t n)
{
	size_t len;
	unsigned char *text = b64url_decode_new(part, n, &len);
	if (!text)
		return NULL;
	json_t *obj = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (obj && !json_is_object(obj)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* Media types compare without case and "application/" may be left out
 * (RFC 7515 §4.1.9). */
static bool typ_equal(const char *got, const char *want)
{
	static const char prefix[] = "application/";
	size_t n = sizeof prefix - 1;
	if (strncasecmp(got, prefix, n) == 0)
		got += n;
	if (strncasecmp(want, prefix, n) == 0)
		want += n;
	return strcasecmp(got, want) == 0;
}

/* The only key added with jwt_keyring_add_public for alg, if exactly one. */
static const struct key_entry *sole_added_key(const struct jwt_keyring *kr, enum jwt_alg_id alg)
{
	const struct key_entry *found = NULL;
	for (size_t i = 0; i < kr->n_keys; i++) {
		if (!kr->keys[i].added || kr->keys[i].alg != alg)
			continue;
		if (found)
			return NULL;
		found = &kr->keys[i];
	}
	return found;
}

/* Chooses the key for an unverified header; nothing else is read from it. */
static enum jwt_verdict check_header(const struct jwt_keyring *kr, const struct jwt_rules *rules,
				     const json_t *header, const struct key_entry **key)
{
	/* We understand no extension, so a "crit" header must be refused (RFC 7515 §4.1.11). */
	if (json_object_get(header, "crit"))
		return JWT_MALFORMED;

	/* Exact, case-sensitive names: "none", "None", "HS256", "es256" are all refused. */
	const char *alg = json_string_value(json_object_get(header, "alg"));
	enum jwt_alg_id want;
	if (alg && strcmp(alg, "ES256") == 0)
		want = TALG_ES256;
	else if (alg && strcmp(alg, "RS256") == 0)
		want = TALG_RS256;
	else
		return JWT_ALG_REJECTED;

	const json_t *kid = json_object_get(header, "kid");
	if (kid) {
		if (!json_is_string(kid) || json_string_length(kid) == 0)
			return JWT_MALFORMED;
		*key = find_kid(kr, json_string_value(kid));
	} else {
		*key = rules->require_kid ? NULL : sole_added_key(kr, want);
	}
	if (!*key)
		return JWT_UNKNOWN_KID;
	if ((*key)->alg != want)
		return JWT_ALG_REJECTED;

	if (rules->typ) {
		const char *typ = json_string_value(json_object_get(header, "typ"));
		if (!typ || !typ_equal(typ, rules->typ))
			return JWT_WRONG_TYPE;
	}
	return JWT_VALID;
}

static enum jwt_verdict check_signature(const struct key_entry *key, const char *signed_part,
					size_t signed_len, const char *sig64, size_t sig64_len)
{
	size_t sig_len;
	unsigned char *sig = b64url_decode_new(sig64, sig64_len, &sig_len);
	if (!sig)
		return JWT_MALFORMED;
	bool ok = key->alg == TALG_ES256
			  ? es256_verify(key->pub, signed_part, signed_len, sig, sig_len)
			  : rs256_verify(key->pub, signed_part, signed_len, sig, sig_len);
	free(sig);
	ERR_clear_error();
	return ok ? JWT_VALID : JWT_BAD_SIGNATURE;
}

/* A NumericDate claim: absent (*present false), an integer, or malformed. */
static bool numeric_date(const json_t *claims, const char *name, int64_t *value, bool *present)
{
	const json_t *v = json_object_get(claims, name);
	*present = v != NULL;
	if (!v)
		return true;
	if (!json_is_integer(v))
		return false;
	*value = json_integer_value(v);
	return true;
}

static bool nonempty_string(const json_t *claims, const char *name)
{
	const json_t *v = json_object_get(claims, name);
	return json_is_string(v) && json_string_length(v) > 0;
}

static bool audience_ok(const json_t *aud, const char *want)
{
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	size_t i;
	const json_t *item;
	json_array_foreach(aud, i, item) if (json_is_string(item) && strcmp(json_string_value(item),
									    want) == 0) return true;
	return false;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

static enum jwt_verdict check_claims(const struct jwt_rules *rules, const json_t *claims,
				     int64_t now)
{
	int64_t leeway = rules->leeway_s, exp = 0, nbf = 0, iat = 0;
	bool has_exp, has_nbf, has_iat;

	if (!numeric_date(claims, "exp", &exp, &has_exp) ||
	    !numeric_date(claims, "nbf", &nbf, &has_nbf) ||
	    !numeric_date(claims, "iat", &iat, &has_iat))
		return JWT_MALFORMED;
	if (!has_exp)
		return JWT_MISSING_CLAIM;
	if (now > sat_add(exp, leeway))
		return JWT_EXPIRED;
	if (has_nbf && now < sat_add(nbf, -leeway))
		return JWT_NOT_YET_VALID;
	if (has_iat && now < sat_add(iat, -leeway))
		return JWT_NOT_YET_VALID;

	const json_t *iss = json_object_get(claims, "iss");
	if (!iss)
		return JWT_MISSING_CLAIM;
	if (!rules->issuer || !json_is_string(iss) ||
	    strcmp(json_string_value(iss), rules->issuer) != 0)
		return JWT_WRONG_ISSUER;
	const json_t *aud = json_object_get(claims, "aud");
	if (!aud)
		return JWT_MISSING_CLAIM;
	if (!rules->audience || !audience_ok(aud, rules->audience))
		return JWT_WRONG_AUDIENCE;
	if (!nonempty_string(claims, "sub") || !nonempty_string(claims, "jti"))
		return JWT_MISSING_CLAIM;
	return JWT_VALID;
}

enum jwt_verdict jwt_verify(const struct jwt_keyring *kr, const struct jwt_rules *rules,
			    const char *token, int64_t now, json_t **payload)
{
	if (payload)
		*payload = NULL;
	if (!kr || !rules || !token)
		return JWT_MALFORMED;
	size_t len = strnlen(token, JWT_MAX_TOKEN_LEN + 1);
	struct parts p;
	if (len > JWT_MAX_TOKEN_LEN || !split(token, len, &p))
		return JWT_MALFORMED;

	json_t *header = part_json_new(p.head, p.head_len);
	if (!header)
		return JWT_MALFORMED;
	const struct key_entry *key = NULL;
	enum jwt_verdict v = check_header(kr, rules, header, &key);
	json_decref(header);
	if (v != JWT_VALID)
		return v;

	/* The signature covers the header and payload exactly as sent. */
	v = check_signature(key, token, p.head_len + 1 + p.body_len, p.sig, p.sig_len);
	if (v != JWT_VALID)
		return v;

	json_t *claims = part_json_new(p.body, p.body_len);
	if (!claims)
		return JWT_MALFORMED;
	v = check_claims(rules, claims, now);
	if (v == JWT_VALID && payload)
		*payload = claims;
	else
		json_decref(claims);
	return v;
}

const char *jwt_verdict_text(enum jwt_verdict v)
{
	switch (v) {
	case JWT_VALID:
		return "valid";
	case JWT_MALFORMED:
		return "malformed token";
	case JWT_ALG_REJECTED:
		return "signing algorithm not accepted";
	case JWT_UNKNOWN_KID:
		return "unknown signing key";
	case JWT_BAD_SIGNATURE:
		return "invalid signature";
	case JWT_EXPIRED:
		return "token expired";
	case JWT_NOT_YET_VALID:
		return "token not yet valid";
	case JWT_WRONG_ISSUER:
		return "wrong issuer";
	case JWT_WRONG_AUDIENCE:
		return "wrong audience";
	case JWT_WRONG_TYPE:
		return "wrong token type";
	case JWT_MISSING_CLAIM:
		return "required claim missing";
	}
	return "invalid token";
}
