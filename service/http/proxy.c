/*
 * proxy.c — trusted reverse proxies and the client they name (see proxy.h).
 */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Items of a forwarding header looked at, from the right: a longer chain
 * than this many proxies is not a deployment, and the walk stops there. */
#define MAX_HOPS 64

static struct proxy_trust current;

void proxy_init(const struct proxy_trust *t)
{
	current = *t;
}

const struct proxy_trust *proxy_current(void)
{
	return &current;
}

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address. */
static void unmap(struct proxy_addr *a)
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (a->family == AF_INET6 && memcmp(a->addr, prefix, 12) == 0) {
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
		a->family = AF_INET;
	}
}

/* An address literal of len bytes: IPv4 with an optional ":port", IPv6
 * bare or "[...]" with an optional ":port", optionally in double quotes
 * (Forwarded), spaces around; false when it is none. */
static bool parse_addr(const char *s, size_t len, struct proxy_addr *out)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		s++, len -= 2;
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *text = buf;
	if (text[0] == '[') { /* [v6] or [v6]:port */
		char *end = strchr(text, ']');
		if (!end || (end[1] && end[1] != ':'))
			return false;
		*end = '\0';
		text++;
	} else if (strchr(text, '.') && strchr(text, ':') == strrchr(text, ':')) {
		char *colon = strchr(text, ':'); /* v4:port */
		if (colon)
			*colon = '\0';
	}
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, text, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, text, out->addr) == 1)
		out->family = AF_INET6;
	else
		return false;
	unmap(out);
	return true;
}

bool proxy_trust_parse(struct proxy_trust *t, const char *spec, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	const char *p = spec ? spec : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[80];
		if (len >= sizeof item)
			len = sizeof item - 1;
		memcpy(item, p, len);
		item[len] = '\0';
		p = end ? end + 1 : p + strlen(p);
		while (len && isspace((unsigned char)item[len - 1]))
			item[--len] = '\0';
		char *slash = strchr(item, '/');
		long bits = -1;
		if (slash) {
			char *e;
			*slash = '\0';
			bits = strtol(slash + 1, &e, 10);
			if (e == slash + 1 || *e || bits < 0)
				bits = 999;
		}
		struct proxy_addr a;
		if (!slash && strspn(item, " \t") == strlen(item))
			continue; /* an empty item: "a,,b" or a trailing comma */
		/* a bare literal: no port, brackets or quotes in the configuration */
		long max = 0;
		const char *lit = item + strspn(item, " \t");
		memset(&a, 0, sizeof a);
		if (inet_pton(AF_INET, lit, a.addr) == 1)
			a.family = AF_INET, max = 32;
		else if (inet_pton(AF_INET6, lit, a.addr) == 1)
			a.family = AF_INET6, max = 128;
		if (!max || bits > max || t->n == PROXY_MAX_NETS) {
			snprintf(err, errlen,
				 "THIDUA_TRUSTED_PROXIES: \"%.60s\" is not an address or a block "
				 "(address/bits), or there are more than %d",
				 item, PROXY_MAX_NETS);
			return false;
		}
		t->nets[t->n].net = a;
		t->nets[t->n].bits = (unsigned)(bits < 0 ? max : bits);
		t->n++;
	}
	return true;
}

static bool in_block(const struct proxy_addr *a, const struct proxy_addr *net, unsigned bits)
{
	if (a->family != net->family)
		return false;
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a->addr, net->addr, whole) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a->addr[whole] & mask) == (net->addr[whole] & mask);
}

bool proxy_trusts(const struct proxy_trust *t, const struct proxy_addr *a)
{
	struct proxy_addr x = *a;
	unmap(&x);
	for (size_t i = 0; i < t->n; i++)
		if (in_block(&x, &t->nets[i].net, t->nets[i].bits))
			return true;
	return false;
}

/* The items of a header split at commas: their starts and lengths, the
 * rightmost MAX_HOPS; returns how many. */
static size_t split(const char *h, const char *starts[MAX_HOPS], size_t lens[MAX_HOPS])
{
	size_t n = 0;
	const char *p = h;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (n == MAX_HOPS) { /* keep the rightmost: shift left by one */
			memmove(starts, starts + 1, (MAX_HOPS - 1) * sizeof starts[0]);
			memmove(lens, lens + 1, (MAX_HOPS - 1) * sizeof lens[0]);
			n--;
		}
		starts[n] = p;
		lens[n] = len;
		n++;
		if (!end)
			return n;
		p = end + 1;
	}
}

/* The "for=" value of one Forwarded element (pairs split at ';'); false
 * when it has none. */
static bool forwarded_for(const char *s, size_t len, const char **v, size_t *vlen)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != ';')
			j++;
		size_t k = i;
		while (k < j && isspace((unsigned char)s[k]))
			k++;
		if (j - k > 4 && strncasecmp(s + k, "for=", 4) == 0) {
			*v = s + k + 4;
			*vlen = j - k - 4;
			return true;
		}
		i = j + 1;
	}
	return false;
}

struct proxy_addr proxy_client(const struct proxy_trust *t, const struct proxy_addr *peer,
			       const char *forwarded, const char *x_forwarded_for)
{
	struct proxy_addr client = *peer;
	unmap(&client);
	const char *h = forwarded ? forwarded : x_forwarded_for;
	if (!h || !proxy_trusts(t, &client))
		return client;
	const char *starts[MAX_HOPS];
	size_t lens[MAX_HOPS];
	size_t n = split(h, starts, lens);
	for (size_t i = n; i-- > 0 && proxy_trusts(t, &client);) {
		const char *v = starts[i];
		size_t vlen = lens[i];
		struct proxy_addr hop;
		if ((forwarded && !forwarded_for(starts[i], lens[i], &v, &vlen)) ||
		    !parse_addr(v, vlen, &hop))
			break;
		client = hop;
	}
	return client;
}
