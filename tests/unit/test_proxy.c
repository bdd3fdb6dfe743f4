/* Unit tests: trusted proxies and the client they name (http/proxy.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "http/proxy.h"

static struct proxy_addr addr(const char *text)
{
	struct proxy_addr a = { 0 };
	if (inet_pton(AF_INET, text, a.addr) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.addr) == 1)
		a.family = AF_INET6;
	return a;
}

static const char *show(struct proxy_addr a, char out[64])
{
	inet_ntop(a.family, a.addr, out, 64);
	return out;
}

static struct proxy_trust trust(const char *spec)
{
	struct proxy_trust t;
	char err[200];
	assert_true(proxy_trust_parse(&t, spec, err, sizeof err));
	return t;
}

static void test_parse(void **state)
{
	(void)state;
	struct proxy_trust t;
	char err[200];
	assert_true(proxy_trust_parse(&t, "", err, sizeof err));
	assert_int_equal(t.n, 0);
	assert_true(
		proxy_trust_parse(&t, " 10.0.0.0/8 , 127.0.0.1,fd00::/8, ::1", err, sizeof err));
	assert_int_equal(t.n, 4);
	assert_int_equal(t.nets[1].bits, 32);
	assert_int_equal(t.nets[3].bits, 128);
	static const char *const bad[] = { "10.0.0.0/33", "::/129",	 "10.0.0.0/",
					   "10.0.0.0/x",  "proxy.local", "10.0.0.1:80",
					   "1.2.3",	  "10.0.0.0/-1", "/8" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(proxy_trust_parse(&t, bad[i], err, sizeof err));
		assert_non_null(strstr(err, "THIDUA_TRUSTED_PROXIES"));
	}
	char many[2000] = "";
	for (int i = 0; i < PROXY_MAX_NETS + 1; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d,", i);
	assert_false(proxy_trust_parse(&t, many, err, sizeof err));
}

static void test_trusts(void **state)
{
	(void)state;
	struct proxy_trust t = trust("10.1.0.0/16,fd00:1::/32,192.168.7.9");
	struct proxy_addr a = addr("10.1.255.3");
	assert_true(proxy_trusts(&t, &a));
	a = addr("10.2.0.1");
	assert_false(proxy_trusts(&t, &a));
	a = addr("::ffff:10.1.0.9"); /* IPv4-mapped: judged as IPv4 */
	assert_true(proxy_trusts(&t, &a));
	a = addr("fd00:1:ffff::1");
	assert_true(proxy_trusts(&t, &a));
	a = addr("fd00:2::1");
	assert_false(proxy_trusts(&t, &a));
	a = addr("192.168.7.9");
	assert_true(proxy_trusts(&t, &a));
	a = addr("192.168.7.10");
	assert_false(proxy_trusts(&t, &a));
	struct proxy_trust none = trust("");
	a = addr("127.0.0.1");
	assert_false(proxy_trusts(&none, &a));
}

/* The client proxy_client names, as text. */
static const char *client(const struct proxy_trust *t, const char *peer, const char *fwd,
			  const char *xff, char out[64])
{
	struct proxy_addr p = addr(peer);
	return show(proxy_client(t, &p, fwd, xff), out);
}

static void test_client(void **state)
{
	(void)state;
	char out[64];
	struct proxy_trust t = trust("127.0.0.1,10.0.0.0/8");
	/* a stranger's header is ignored */
	assert_string_equal(client(&t, "203.0.113.9", NULL, "198.51.100.1", out), "203.0.113.9");
	/* behind the proxy: the rightmost untrusted hop */
	assert_string_equal(client(&t, "127.0.0.1", NULL, "198.51.100.1", out), "198.51.100.1");
	assert_string_equal(client(&t, "127.0.0.1", NULL, "1.1.1.1, 198.51.100.1, 10.0.0.5", out),
			    "198.51.100.1");
	/* what the client wrote to the left of itself is never read */
	assert_string_equal(client(&t, "127.0.0.1", NULL, "10.9.9.9, 198.51.100.1", out),
			    "198.51.100.1");
	/* every hop trusted: the leftmost */
	assert_string_equal(client(&t, "127.0.0.1", NULL, "10.0.0.7, 10.0.0.5", out), "10.0.0.7");
	/* junk stops the walk at the last address read */
	assert_string_equal(client(&t, "127.0.0.1", NULL, "198.51.100.1, unknown", out),
			    "127.0.0.1");
	assert_string_equal(client(&t, "127.0.0.1", NULL, "", out), "127.0.0.1");
	assert_string_equal(client(&t, "127.0.0.1", NULL, ",,,", out), "127.0.0.1");
	/* ports and brackets */
	assert_string_equal(client(&t, "127.0.0.1", NULL, "198.51.100.1:4711", out),
			    "198.51.100.1");
	assert_string_equal(client(&t, "127.0.0.1", NULL, "[2001:db8::17]:4711", out),
			    "2001:db8::17");
	assert_string_equal(client(&t, "127.0.0.1", NULL, " 2001:db8::17 ", out), "2001:db8::17");
	/* an IPv4-mapped peer (a dual-stack listener) */
	assert_string_equal(client(&t, "::ffff:127.0.0.1", NULL, "198.51.100.1", out),
			    "198.51.100.1");
	/* RFC 7239 Forwarded, preferred to X-Forwarded-For */
	assert_string_equal(client(&t, "127.0.0.1",
				   "for=192.0.2.60;proto=http;by=203.0.113.43, "
				   "For=\"[2001:db8:cafe::17]:4711\"",
				   "198.51.100.1", out),
			    "2001:db8:cafe::17");
	assert_string_equal(client(&t, "127.0.0.1", "for=192.0.2.43, for=10.0.0.2", NULL, out),
			    "192.0.2.43");
	assert_string_equal(client(&t, "127.0.0.1", "proto=https", NULL, out), "127.0.0.1");
	assert_string_equal(client(&t, "127.0.0.1", "for=_hidden", NULL, out), "127.0.0.1");
	/* a very long chain: only the rightmost hops are looked at */
	char longer[8000] = "";
	for (int i = 0; i < 200; i++)
		strcat(longer, "10.0.0.1,");
	strcat(longer, "10.0.0.2");
	assert_string_equal(client(&t, "127.0.0.1", NULL, longer, out), "10.0.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_trusts),
		cmocka_unit_test(test_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
