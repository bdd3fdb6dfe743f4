/*
 * Shared server skeleton for the benchmark baselines (hello.c, pgrow.c).
 *
 * Both baselines must start libmicrohttpd in exactly the same threading
 * mode as the service so that "service rps / baseline rps" compares the
 * service's own work and not a different MHD configuration:
 *
 *   BENCH_MHD_MODE=pool (default)  ulfius_start_framework_with_mhd_options(),
 *                                  MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
 *                                  | MHD_USE_ITC | MHD_USE_ERROR_LOG and
 *                                  MHD_OPTION_THREAD_POOL_SIZE = BENCH_THREADS
 *                                  (default 8)
 *   BENCH_MHD_MODE=tpc             plain ulfius_start_framework(): one thread
 *                                  per connection (ulfius' default)
 *
 * Port: argv[1], else env BENCH_PORT, else the caller's default. The
 * server always binds 127.0.0.1 and runs until SIGINT or SIGTERM.
 */
#ifndef THIDUA_BENCH_SERVER_H
#define THIDUA_BENCH_SERVER_H

/* Including files define _POSIX_C_SOURCE 200809L before any header. */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <ulfius.h>

#define BENCH_DEFAULT_THREADS 8u

/* Parses a positive decimal integer in [min, max]; returns 0 on error. */
static inline int bench_parse_uint(const char *text, unsigned long min, unsigned long max,
				   unsigned long *out)
{
	if (text == NULL || *text == '\0') {
		return 0;
	}
	char *end = NULL;
	errno = 0;
	unsigned long value = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value < min ||
	    value > max) {
		return 0;
	}
	*out = value;
	return 1;
}

/* Reads an unsigned env variable, falling back to def when unset or empty. */
static inline int bench_env_uint(const char *name, unsigned long min, unsigned long max,
				 unsigned long def, unsigned long *out)
{
	const char *text = getenv(name);
	if (text == NULL || *text == '\0') {
		*out = def;
		return 1;
	}
	if (!bench_parse_uint(text, min, max, out)) {
		fprintf(stderr, "bench: invalid %s=%s (expected %lu..%lu)\n", name, text, min, max);
		return 0;
	}
	return 1;
}

struct bench_server {
	struct _u_instance instance;
	struct sockaddr_in bind_addr;
	const char *name;
	const char *mode; /* "pool" or "tpc" */
	unsigned long threads; /* thread-pool size in pool mode */
	unsigned int port;
	sigset_t stop_signals;
};

/*
 * Blocks SIGINT/SIGTERM (so every MHD thread inherits the mask and the main
 * thread can sigwait() for them), resolves port and mode, and initialises
 * the ulfius instance bound to 127.0.0.1. Returns 0 on success.
 */
static inline int bench_server_init(struct bench_server *srv, const char *name, int argc,
				    char **argv, unsigned int default_port)
{
	memset(srv, 0, sizeof(*srv));
	srv->name = name;

	sigemptyset(&srv->stop_signals);
	sigaddset(&srv->stop_signals, SIGINT);
	sigaddset(&srv->stop_signals, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &srv->stop_signals, NULL) != 0) {
		fprintf(stderr, "%s: pthread_sigmask failed\n", name);
		return -1;
	}
	/* A client that disconnects mid-response must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	unsigned long port = default_port;
	const char *port_text = argc > 1 ? argv[1] : getenv("BENCH_PORT");
	if (port_text != NULL && *port_text != '\0' &&
	    !bench_parse_uint(port_text, 1, 65535, &port)) {
		fprintf(stderr, "%s: invalid port '%s'\n", name, port_text);
		return -1;
	}
	srv->port = (unsigned int)port;

	const char *mode = getenv("BENCH_MHD_MODE");
	if (mode == NULL || *mode == '\0' || strcmp(mode, "pool") == 0) {
		srv->mode = "pool";
	} else if (strcmp(mode, "tpc") == 0) {
		srv->mode = "tpc";
	} else {
		fprintf(stderr, "%s: invalid BENCH_MHD_MODE=%s (expected pool or tpc)\n", name,
			mode);
		return -1;
	}
	if (!bench_env_uint("BENCH_THREADS", 1, 1024, BENCH_DEFAULT_THREADS, &srv->threads)) {
		return -1;
	}

	srv->bind_addr.sin_family = AF_INET;
	srv->bind_addr.sin_port = htons((uint16_t)srv->port);
	srv->bind_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	if (ulfius_init_instance(&srv->instance, srv->port, &srv->bind_addr, NULL) != U_OK) {
		fprintf(stderr, "%s: ulfius_init_instance failed\n", name);
		return -1;
	}
	return 0;
}

/* Starts MHD in the configured mode. Returns 0 on success. */
static inline int bench_server_start(struct bench_server *srv)
{
	int rc;
	if (strcmp(srv->mode, "tpc") == 0) {
		rc = ulfius_start_framework(&srv->instance);
	} else {
		/* ulfius requires NOTIFY_COMPLETED and URI_LOG_CALLBACK in the table;
         * SOCK_ADDR carries the 127.0.0.1 bind address. */
		struct MHD_OptionItem ops[] = {
			{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL },
			{ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL },
			{ MHD_OPTION_SOCK_ADDR, 0, &srv->bind_addr },
			{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)srv->threads, NULL },
			{ MHD_OPTION_END, 0, NULL },
		};
		unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
				     MHD_USE_ERROR_LOG;
		rc = ulfius_start_framework_with_mhd_options(&srv->instance, flags, ops);
	}
	if (rc != U_OK) {
		fprintf(stderr, "%s: failed to start on 127.0.0.1:%u (mode %s), ulfius error %d\n",
			srv->name, srv->port, srv->mode, rc);
		return -1;
	}
	if (strcmp(srv->mode, "tpc") == 0) {
		fprintf(stderr, "%s: listening on 127.0.0.1:%u mode=tpc\n", srv->name, srv->port);
	} else {
		fprintf(stderr, "%s: listening on 127.0.0.1:%u mode=pool threads=%lu\n", srv->name,
			srv->port, srv->threads);
	}
	return 0;
}

/* Waits for SIGINT/SIGTERM, then stops MHD and frees the instance. */
static inline void bench_server_run_until_signal(struct bench_server *srv)
{
	int sig = 0;
	while (sigwait(&srv->stop_signals, &sig) != 0) {
	}
	fprintf(stderr, "%s: signal %d, stopping\n", srv->name, sig);
	ulfius_stop_framework(&srv->instance);
	ulfius_clean_instance(&srv->instance);
}

#endif /* THIDUA_BENCH_SERVER_H */
