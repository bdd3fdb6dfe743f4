/* Unit tests: the council ballot's oblivious evaluation (auth/ballot.c),
 * played from both sides as a member's app and the service would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "auth/ballot.h"

struct member {
	unsigned char token[BALLOT_BYTES];
	unsigned char blind[crypto_core_ristretto255_SCALARBYTES];
	unsigned char blinded[BALLOT_BYTES];
};

/* The app's first half: a random token, blinded. */
static void member_blind(struct member *m, int64_t session)
{
	unsigned char point[BALLOT_BYTES];
	randombytes_buf(m->token, sizeof m->token);
	ballot_token_point(session, m->token, point);
	crypto_core_ristretto255_scalar_random(m->blind);
	assert_int_equal(crypto_scalarmult_ristretto255(m->blinded, m->blind, point), 0);
}

/* The app's second half: the evaluation unblinded. */
static void member_unblind(const struct member *m, const unsigned char z[BALLOT_BYTES],
			   unsigned char out[BALLOT_BYTES])
{
	unsigned char inverse[crypto_core_ristretto255_SCALARBYTES];
	assert_int_equal(crypto_core_ristretto255_scalar_invert(inverse, m->blind), 0);
	assert_int_equal(crypto_scalarmult_ristretto255(out, inverse, z), 0);
}

static void test_issued_token_checks(void **state)
{
	(void)state;
	unsigned char k[BALLOT_BYTES], key[BALLOT_BYTES], z[BALLOT_BYTES], n[BALLOT_BYTES];
	ballot_keypair(k, key);
	struct member m;
	member_blind(&m, 7);
	assert_true(ballot_evaluate(k, m.blinded, z));
	member_unblind(&m, z, n);
	assert_true(ballot_check(k, 7, m.token, n));
	/* the blinded element is not the evaluation the service sees later */
	assert_memory_not_equal(z, n, BALLOT_BYTES);
	/* another session, another key, a changed token: refused */
	assert_false(ballot_check(k, 8, m.token, n));
	unsigned char k2[BALLOT_BYTES], key2[BALLOT_BYTES];
	ballot_keypair(k2, key2);
	assert_false(ballot_check(k2, 7, m.token, n));
	m.token[0] ^= 1;
	assert_false(ballot_check(k, 7, m.token, n));
}

static void test_forged_evaluation_refused(void **state)
{
	(void)state;
	unsigned char k[BALLOT_BYTES], key[BALLOT_BYTES], token[BALLOT_BYTES], point[BALLOT_BYTES];
	ballot_keypair(k, key);
	randombytes_buf(token, sizeof token);
	/* without k, the best guess is the token's own point, or K */
	ballot_token_point(3, token, point);
	assert_false(ballot_check(k, 3, token, point));
	assert_false(ballot_check(k, 3, token, key));
}

static void test_bad_points_refused(void **state)
{
	(void)state;
	unsigned char k[BALLOT_BYTES], key[BALLOT_BYTES], z[BALLOT_BYTES], bad[BALLOT_BYTES];
	ballot_keypair(k, key);
	memset(bad, 0, sizeof bad);
	assert_false(ballot_evaluate(k, bad, z)); /* the identity */
	memset(bad, 0xff, sizeof bad);
	assert_false(ballot_evaluate(k, bad, z)); /* not an encoding */
	assert_true(ballot_evaluate(k, key, z));
}

static void test_hex(void **state)
{
	(void)state;
	unsigned char b[BALLOT_BYTES], back[BALLOT_BYTES];
	char hex[BALLOT_HEX_LEN];
	randombytes_buf(b, sizeof b);
	ballot_hex(b, hex);
	assert_int_equal(strlen(hex), 64);
	assert_true(ballot_hex_decode(hex, back));
	assert_memory_equal(b, back, BALLOT_BYTES);
	hex[63] = 'g';
	assert_false(ballot_hex_decode(hex, back));
	hex[63] = '\0';
	assert_false(ballot_hex_decode(hex, back));
	assert_false(ballot_hex_decode(NULL, back));
	assert_false(ballot_hex_decode("", back));
	char longer[80];
	memset(longer, 'a', 66);
	longer[66] = '\0';
	assert_false(ballot_hex_decode(longer, back));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issued_token_checks),
		cmocka_unit_test(test_forged_evaluation_refused),
		cmocka_unit_test(test_bad_points_refused),
		cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
