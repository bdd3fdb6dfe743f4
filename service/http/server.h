/*
 * server.h — the HTTP listener: libmicrohttpd through ulfius, and draining.
 *
 * Threading (chosen by measurement, see the README): an epoll thread pool
 * of THIDUA_WORKER_THREADS threads rather than ulfius' default thread per
 * connection.  Shutdown drains: stop accepting, let in-flight requests
 * finish within a deadline, then close the remaining idle connections.
 */
#ifndef THIDUA_HTTP_SERVER_H
#define THIDUA_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/dispatch.h"

struct http_options {
	const char *address;
	unsigned port;
	unsigned threads;
	unsigned max_connections;
	unsigned idle_timeout_s;
};

struct http_server;

/* Starts listening; returns NULL and a one-line reason in err on failure.
 * dispatch_init() must have been called first. */
struct http_server *http_server_start(const struct http_options *opt, size_t body_limit, char *err,
				      size_t errlen);

/* Stops accepting, waits for in-flight requests up to deadline_s; returns the
 * number of requests still running when it gave up (0 on a clean drain). */
unsigned http_server_drain(struct http_server *s, unsigned deadline_s);

/* Closes every connection and frees the server. */
void http_server_stop(struct http_server *s);

bool http_draining(void);
unsigned http_in_flight(void);

#endif
