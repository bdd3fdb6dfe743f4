/*
 * Unit tests: access tokens (auth/jwt.c).  Every attack the wrapper exists
 * for is forged here by hand — header and payload built as text, signed with
 * OpenSSL directly (ECDSA, RSA, HMAC) — and must get its verdict; then the
 * round trip, what issuing refuses, and interoperability with libjwt.
 * Key management (rotation, JWKS, external issuer, refusals) is in
 * test_keyring.c; the keys and forging helpers in jwt_fixture.h.
 */
#include "jwt_fixture.h"

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
		cmocka_unit_test(test_forged),	      cmocka_unit_test(test_mangled),
		cmocka_unit_test(test_garbage),	      cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_issue_refuses), cmocka_unit_test(test_libjwt_interop),
		cmocka_unit_test(test_verdict_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
