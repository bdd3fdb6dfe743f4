/*
 * jwt.c — issue and verify access tokens (see jwt.h for the contract and for
 * why libjwt 1.10 is not in the verification path).
 *
 * Verification reads the header only to choose a key (auth/keyring.c),
 * checks the signature with EVP, and reads the claims only after that.
 * ES256 signatures are the 64-byte R||S of RFC 7518 §3.4, converted to and
 * from the DER that OpenSSL speaks.
 */
#include "auth/jose.h"
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

/* Marked for the message catalogue: the authorization hook translates the
 * verdict for the problem's detail (answers/lang.h); the header keeps it. */
#define N_(msgid) (msgid)

const char *jwt_verdict_text(enum jwt_verdict v)
{
	switch (v) {
	case JWT_VALID:
		return N_("valid");
	case JWT_MALFORMED:
		return N_("malformed token");
	case JWT_ALG_REJECTED:
		return N_("signing algorithm not accepted");
	case JWT_UNKNOWN_KID:
		return N_("unknown signing key");
	case JWT_BAD_SIGNATURE:
		return N_("invalid signature");
	case JWT_EXPIRED:
		return N_("token expired");
	case JWT_NOT_YET_VALID:
		return N_("token not yet valid");
	case JWT_WRONG_ISSUER:
		return N_("wrong issuer");
	case JWT_WRONG_AUDIENCE:
		return N_("wrong audience");
	case JWT_WRONG_TYPE:
		return N_("wrong token type");
	case JWT_MISSING_CLAIM:
		return N_("required claim missing");
	}
	return N_("invalid token");
}
