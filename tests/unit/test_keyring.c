/*
 * Unit tests: the keyring of access tokens (auth/keyring.c, auth/jwt.c):
 * rotation with two keys, the published JWK Set, trusting an external RS256
 * issuer, and the keys the keyring refuses.  Keys and helpers: jwt_fixture.h.
 */
#include "jwt_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_jwks),
		cmocka_unit_test(test_external_rs256),
		cmocka_unit_test(test_keyring_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
