/*
 * proxy.h — which reverse proxies are believed when they say who the
 * client is (issue 15 §5).
 *
 * Behind HAProxy or an ingress every request comes from the proxy: the
 * login throttle and the public's daily quotas would key on the proxy and
 * lock everybody out together.  A proxy names the client in
 * X-Forwarded-For (or RFC 7239 Forwarded), but so can anybody: the header
 * is believed only from the addresses configured (THIDUA_TRUSTED_PROXIES),
 * and only as far as the chain of trusted hops goes.  The client is the
 * first hop, from the right, that is not a trusted proxy; what lies to its
 * left was written by the client itself and is never read.
 */
#ifndef THIDUA_HTTP_PROXY_H
#define THIDUA_HTTP_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#define PROXY_MAX_NETS 32

/* An address: AF_INET (4 bytes of addr used) or AF_INET6. */
struct proxy_addr {
	int family;
	unsigned char addr[16];
};

struct proxy_trust {
	size_t n;
	struct {
		struct proxy_addr net;
		unsigned bits; /* prefix length */
	} nets[PROXY_MAX_NETS];
};

/* Parses "addr[/bits],..." (IPv4 or IPv6, spaces allowed around items;
 * "" trusts nobody); false with a message naming the bad item. */
bool proxy_trust_parse(struct proxy_trust *t, const char *spec, char *err, size_t errlen);

/* Whether a is inside one of t's blocks (an IPv4-mapped IPv6 address is
 * judged as its IPv4 address). */
bool proxy_trusts(const struct proxy_trust *t, const struct proxy_addr *a);

/* The client of a request whose connection came from peer: peer itself
 * unless it is trusted, else walking Forwarded's "for=" elements (when the
 * header is given) or X-Forwarded-For's items from the right while the hop
 * is trusted.  An item that is not an address (unknown, obfuscated, junk)
 * stops the walk at the last hop that was.  Either header may be NULL. */
struct proxy_addr proxy_client(const struct proxy_trust *t, const struct proxy_addr *peer,
			       const char *forwarded, const char *x_forwarded_for);

/* The process's trust, set once at start (empty until then). */
void proxy_init(const struct proxy_trust *t);
const struct proxy_trust *proxy_current(void);

#endif
