/*
 * server.h — the HTTP listener: libmicrohttpd, our access handler, and
 * draining.
 *
 * Threading (chosen by measurement, see the README and server.c): a pool
 * of THIDUA_WORKER_THREADS threads, rather than ulfius' default thread per
 * connection, with epoll where no worker can hold 128 connections and
 * poll() otherwise (http_uses_epoll).  Requests reach the dispatcher
 * through our own access handler, which checks a request's head before
 * reading its body; deadlines, a per-address
 * connection limit and a budget for bodies held in memory bound what slow
 * or hostile clients can take.  Shutdown drains: stop accepting, let
 * in-flight requests finish within a deadline, then close the remaining
 * idle connections.
 */
#ifndef THIDUA_HTTP_SERVER_H
#define THIDUA_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/dispatch.h"

/* Each connection's buffer for a request head (and the answer's head):
 * a longer head is refused with 414 or 431 (server.c says why 16 KiB). */
#define HTTP_CONNECTION_MEMORY ((size_t)16 * 1024)

struct http_options {
	const char *address;
	unsigned port;
	unsigned threads;
	unsigned max_connections;
	unsigned max_per_address; /* 0: no limit */
	unsigned idle_timeout_s; /* for the next request line, and libmicrohttpd's */
	unsigned head_timeout_s; /* for the rest of the head, once its line arrived */
	unsigned body_timeout_s; /* for the body, plus a second per body_min_rate bytes */
	unsigned body_min_rate; /* bytes per second; 0: body_timeout_s is absolute */
	size_t body_budget; /* bytes of bodies held at once, all connections */
	size_t drain_max; /* a refused body up to this (64 KiB at least) is read and dropped */
};

struct http_server;

/* Whether a server of threads workers and max_connections uses epoll
 * (each worker's share at most 125) rather than poll() (server.c). */
bool http_uses_epoll(unsigned threads, unsigned max_connections);

/* Starts listening; returns NULL and a one-line reason in err on failure.
 * dispatch_init() must have been called first. */
struct http_server *http_server_start(const struct http_options *opt, char *err, size_t errlen);

/* Marks the server draining without closing anything: /readyz answers 503
 * and every answer carries "Connection: close", while requests are still
 * accepted and served (the load balancer's grace before the listener goes). */
void http_server_unready(void);

/* Stops accepting, waits for in-flight requests up to deadline_s; returns the
 * number of requests still running when it gave up (0 on a clean drain). */
unsigned http_server_drain(struct http_server *s, unsigned deadline_s);

/* Closes every connection and frees the server. */
void http_server_stop(struct http_server *s);

bool http_draining(void);
unsigned http_in_flight(void);

#endif
