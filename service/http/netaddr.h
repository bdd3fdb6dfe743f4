/*
 * netaddr.h — whether an address is on the public Internet.
 *
 * The service posts webhooks to URLs an administrator typed; left alone it
 * would post into its own network (PostgreSQL, the metadata service of a
 * cloud, the agency's intranet) for whoever can register a URL.  The check
 * is made on the address the connection is about to use, after DNS, so a
 * name that resolves to a private address, or changes to one, is refused
 * too.
 */
#ifndef THIDUA_HTTP_NETADDR_H
#define THIDUA_HTTP_NETADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/* false for loopback, private (RFC 1918, RFC 4193), link-local, CGNAT,
 * multicast, reserved and unspecified addresses, and Teredo tunnels;
 * IPv4-mapped, NAT64 and 6to4 IPv6 addresses by their IPv4 address; true
 * for the rest.  An unknown family is not
 * public. */
bool netaddr_is_public(const struct sockaddr *sa);

#endif
