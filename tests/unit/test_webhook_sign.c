/* Unit tests: the signature of outgoing webhooks (auth/webhook_sign.h) is
 * the Standard Webhooks one — checked against that convention's own test
 * vector, which no code of ours computed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "auth/webhook_sign.h"

/* The vector of the convention's specification: secret
 * "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", a 24-byte key. */
static void test_standard_vector(void **state)
{
	(void)state;
	unsigned char key[64];
	size_t key_len = 0;
	assert_int_equal(sodium_base642bin(key, sizeof key, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 32,
					   NULL, &key_len, NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	assert_int_equal(key_len, 24);
	const char *body = "{\"test\": 2432232314}";
	char sig[WEBHOOK_SIGNATURE_LEN];
	webhook_signature(key, key_len, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
			  strlen(body), sig);
	assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	/* one byte of the body, of the id or of the time changes it */
	webhook_signature(key, key_len, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
			  strlen(body) - 1, sig);
	assert_string_not_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	webhook_signature(key, key_len, "msg_p5jXN8AQM9LWM0D4loKWxJeK", 1614265330, body,
			  strlen(body), sig);
	assert_string_not_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	webhook_signature(key, key_len, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body,
			  strlen(body), sig);
	assert_string_not_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

/* The secret text decodes back to the key, and two keys differ. */
static void test_secret_text(void **state)
{
	(void)state;
	unsigned char k1[WEBHOOK_SIGN_KEY_LEN], k2[WEBHOOK_SIGN_KEY_LEN], back[64];
	webhook_key_new(k1);
	webhook_key_new(k2);
	assert_memory_not_equal(k1, k2, sizeof k1);
	char text[WEBHOOK_SECRET_TEXT_LEN];
	webhook_secret_text(k1, text);
	assert_int_equal(strlen(text), WEBHOOK_SECRET_TEXT_LEN - 1);
	assert_memory_equal(text, "whsec_", 6);
	size_t n = 0;
	assert_int_equal(sodium_base642bin(back, sizeof back, text + 6, strlen(text + 6), NULL, &n,
					   NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	assert_int_equal(n, sizeof k1);
	assert_memory_equal(back, k1, sizeof k1);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_vector),
		cmocka_unit_test(test_secret_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
