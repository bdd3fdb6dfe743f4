/*
 * netaddr.c — whether an address is on the public Internet (see netaddr.h).
 */
#include "http/netaddr.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

/* a (host order) within prefix/len */
static bool in4(uint32_t a, uint32_t prefix, unsigned len)
{
	uint32_t mask = len ? ~(uint32_t)0 << (32 - len) : 0;
	return (a & mask) == prefix;
}

static bool public4(uint32_t a)
{
	static const struct {
		uint32_t prefix;
		unsigned len;
	} closed[] = {
		{ 0x00000000, 8 }, /* "this" network */
		{ 0x0a000000, 8 }, /* RFC 1918 */
		{ 0x64400000, 10 }, /* carrier-grade NAT */
		{ 0x7f000000, 8 }, /* loopback */
		{ 0xa9fe0000, 16 }, /* link-local, cloud metadata */
		{ 0xac100000, 12 }, /* RFC 1918 */
		{ 0xc0000000, 24 }, /* IETF protocol assignments */
		{ 0xc0a80000, 16 }, /* RFC 1918 */
		{ 0xc6120000, 15 }, /* benchmarking */
		{ 0xe0000000, 4 }, /* multicast */
		{ 0xf0000000, 4 }, /* reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++)
		if (in4(a, closed[i].prefix, closed[i].len))
			return false;
	return true;
}

static bool public6(const unsigned char b[16])
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* an IPv4 address inside an IPv6 one is judged as IPv4: mapped and
	 * NAT64 (RFC 6052) at the end, 6to4 (2002::/16) after the prefix */
	if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12))
		return public4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
			       (uint32_t)b[14] << 8 | b[15]);
	if (b[0] == 0x20 && b[1] == 0x02)
		return public4((uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 |
			       b[5]);
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) /* Teredo: a tunnel */
		return false;
	if (!memcmp(b, zero, 15)) /* :: and ::1 */
		return false;
	if ((b[0] & 0xfe) == 0xfc) /* unique local fc00::/7 */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* link-local fe80::/10 */
		return false;
	if (b[0] == 0xff) /* multicast */
		return false;
	return true;
}

bool netaddr_is_public(const struct sockaddr *sa)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof in);
		return public4(ntohl(in.sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof in6);
		return public6(in6.sin6_addr.s6_addr);
	}
	return false;
}
