/*
 * keyring.c — the keys that sign and verify access tokens, and the JWK Set.
 *
 * A keyring is a short array of keys, each bound to one kid and one
 * algorithm; keys[0] is the public half of the signing key.  Keys are
 * checked when loaded (P-256 for ES256, RSA 2048..8192 for RS256, no
 * passphrase prompts) and their JWK is built once.
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

static bool kid_ok(const char *kid)
{
	if (!kid || !kid[0] || strlen(kid) > KID_MAX)
		return false;
	for (const char *p = kid; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
			return false;
	return true;
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

const struct key_entry *find_kid(const struct jwt_keyring *kr, const char *kid)
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
