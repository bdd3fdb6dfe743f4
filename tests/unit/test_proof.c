/* Unit tests: the public routes' proof of work (auth/proof.h) — a
 * challenge checks only with our key, before it expires, with as many
 * zero bits as asked, and nothing but its exact shape is read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "auth/proof.h"

static const struct proof_key key = { { 1, 2, 3, 4, 5, 6, 7, 8 } };

/* "challenge:counter" whose digest has at least bits zero bits (or, with
 * weak, fewer). */
static void solve(const char *challenge, unsigned bits, bool weak, char *out, size_t len)
{
	for (unsigned long n = 0;; n++) {
		snprintf(out, len, "%s:%lu", challenge, n);
		unsigned char h[32];
		crypto_hash_sha256(h, (const unsigned char *)out, strlen(out));
		if ((proof_zero_bits(h, sizeof h) >= bits) != weak)
			return;
	}
}

static void test_zero_bits(void **state)
{
	(void)state;
	unsigned char d[4] = { 0, 0, 0x10, 0xff };
	assert_int_equal(proof_zero_bits(d, 4), 19);
	unsigned char z[2] = { 0, 0 };
	assert_int_equal(proof_zero_bits(z, 2), 16);
	unsigned char f[1] = { 0x80 };
	assert_int_equal(proof_zero_bits(f, 1), 0);
}

static void test_a_solved_challenge_checks(void **state)
{
	(void)state;
	char c[PROOF_CHALLENGE_MAX], p[PROOF_CHALLENGE_MAX + 24];
	unsigned char digest[32], again[32];
	int64_t expires = 0;
	proof_challenge(&key, 10, 1000, 600, c);
	assert_int_equal(strncmp(c, "v1.10.1600.", 11), 0);
	solve(c, 10, false, p, sizeof p);
	assert_int_equal(proof_check(&key, 10, 1001, p, digest, &expires), PROOF_OK);
	assert_int_equal(expires, 1600);
	/* the digest is the challenge's: another counter spends the same */
	char p2[PROOF_CHALLENGE_MAX + 24];
	snprintf(p2, sizeof p2, "%s", p);
	solve(c, 10, false, p2, sizeof p2);
	assert_int_equal(proof_check(&key, 10, 1001, p2, again, &expires), PROOF_OK);
	assert_memory_equal(digest, again, 32);
	/* fewer bits asked now: the challenge of 10 still does */
	assert_int_equal(proof_check(&key, 4, 1001, p, digest, &expires), PROOF_OK);
}

static void test_what_does_not_check(void **state)
{
	(void)state;
	char c[PROOF_CHALLENGE_MAX], p[PROOF_CHALLENGE_MAX + 24];
	unsigned char digest[32];
	int64_t expires;
	proof_challenge(&key, 8, 1000, 600, c);
	solve(c, 8, false, p, sizeof p);
	/* expired */
	assert_int_equal(proof_check(&key, 8, 1601, p, digest, &expires), PROOF_EXPIRED);
	/* another key */
	struct proof_key other = { { 9 } };
	assert_int_equal(proof_check(&other, 8, 1001, p, digest, &expires), PROOF_FORGED);
	/* more bits asked than the challenge carries */
	assert_int_equal(proof_check(&key, 9, 1001, p, digest, &expires), PROOF_WEAK);
	/* a counter that falls short */
	solve(c, 8, true, p, sizeof p);
	assert_int_equal(proof_check(&key, 8, 1001, p, digest, &expires), PROOF_WEAK);
	/* a changed bit count breaks the mac */
	solve(c, 8, false, p, sizeof p);
	p[3] = '0';
	assert_int_equal(proof_check(&key, 8, 1001, p, digest, &expires), PROOF_FORGED);
	/* shapes */
	const char *bad[] = { NULL,
			      "",
			      "v1",
			      "v2.8.1600.00",
			      "v1.8.1600",
			      c,
			      "v1.8.1600.zz:1",
			      "v1.999.1600.00000000000000000000000000000000.:1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(proof_check(&key, 8, 1001, bad[i], digest, &expires),
				 PROOF_MALFORMED);
	char tail[PROOF_CHALLENGE_MAX + 40];
	snprintf(tail, sizeof tail, "%s:12x", c);
	assert_int_equal(proof_check(&key, 8, 1001, tail, digest, &expires), PROOF_MALFORMED);
	snprintf(tail, sizeof tail, "%s:123456789012345678901", c);
	assert_int_equal(proof_check(&key, 8, 1001, tail, digest, &expires), PROOF_MALFORMED);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_bits),
		cmocka_unit_test(test_a_solved_challenge_checks),
		cmocka_unit_test(test_what_does_not_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
