/*
 * server.c — starting, draining and stopping the listener (see server.h).
 *
 * In-flight requests are counted with two libmicrohttpd hooks that ulfius
 * already needs: the URI logger runs when a request line arrives, and the
 * completion callback when its response has been sent (or the connection
 * died).  We wrap both, so the count covers the whole of a request,
 * including sending the answer, not only the time in our handler.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/log.h"

struct http_server {
	struct _u_instance instance;
	struct sockaddr_in addr4;
	struct sockaddr_in6 addr6;
};

static atomic_uint in_flight;
static atomic_bool draining;

bool http_draining(void)
{
	return atomic_load(&draining);
}

unsigned http_in_flight(void)
{
	return atomic_load(&in_flight);
}

static void *uri_logger(void *cls, const char *uri)
{
	atomic_fetch_add(&in_flight, 1);
	return ulfius_uri_logger(cls, uri);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	mhd_request_completed(cls, conn, con_cls, toe);
	unsigned cur = atomic_load(&in_flight);
	while (cur > 0 && !atomic_compare_exchange_weak(&in_flight, &cur, cur - 1))
		;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_event(LOG_WARN, "libmicrohttpd", json_pack("{s:s}", "detail", msg));
}

static bool set_address(struct http_server *s, const struct http_options *opt,
			struct MHD_OptionItem *item, unsigned *flags)
{
	if (strchr(opt->address, ':')) {
		s->addr6.sin6_family = AF_INET6;
		s->addr6.sin6_port = htons((uint16_t)opt->port);
		if (inet_pton(AF_INET6, opt->address, &s->addr6.sin6_addr) != 1)
			return false;
		*item = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &s->addr6 };
		*flags |= MHD_USE_IPv6;
		return true;
	}
	s->addr4.sin_family = AF_INET;
	s->addr4.sin_port = htons((uint16_t)opt->port);
	if (inet_pton(AF_INET, opt->address, &s->addr4.sin_addr) != 1)
		return false;
	*item = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &s->addr4 };
	return true;
}

struct http_server *http_server_start(const struct http_options *opt, size_t body_limit, char *err,
				      size_t errlen)
{
	struct http_server *s = calloc(1, sizeof *s);
	if (!s || ulfius_init_instance(&s->instance, opt->port, NULL, NULL) != U_OK) {
		snprintf(err, errlen, "cannot initialise the HTTP server");
		free(s);
		return NULL;
	}
	/* Keep limit + 1 bytes, so the dispatcher can tell "too large" apart. */
	s->instance.max_post_body_size = body_limit + 1;
	s->instance.allowed_post_processor = U_POST_PROCESS_NONE;
	ulfius_set_default_endpoint(&s->instance, dispatch_request, NULL);

	unsigned flags =
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	/* The per-connection buffer stays at libmicrohttpd's default 32 KiB: the
	 * library clears it for every request, and 128 KiB cost 30% of /healthz
	 * throughput here.  Longer request heads get the library's own 414. */
	struct MHD_OptionItem ops[8] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)request_completed, NULL },
		{ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_logger, NULL },
		{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)opt->threads, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, (intptr_t)opt->max_connections, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)opt->idle_timeout_s, NULL },
		{ MHD_OPTION_END, 0, NULL }, /* the listen address goes here */
		{ MHD_OPTION_END, 0, NULL },
	};
	if (!set_address(s, opt, &ops[6], &flags)) {
		snprintf(err, errlen, "THIDUA_LISTEN_ADDRESS: not an IP address: %s", opt->address);
		ulfius_clean_instance(&s->instance);
		free(s);
		return NULL;
	}
	if (ulfius_start_framework_with_mhd_options(&s->instance, flags, ops) != U_OK) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s", opt->address, opt->port,
			 errno ? strerror(errno) : "unknown error");
		ulfius_clean_instance(&s->instance);
		free(s);
		return NULL;
	}
	return s;
}

unsigned http_server_drain(struct http_server *s, unsigned deadline_s)
{
	atomic_store(&draining, true);
	MHD_socket listen_fd = MHD_quiesce_daemon(s->instance.mhd_daemon);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		unsigned left = http_in_flight();
		if (left == 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)deadline_s)
			return left;
		struct timespec nap = { 0, 10L * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	ulfius_stop_framework(&s->instance);
	ulfius_clean_instance(&s->instance);
	free(s);
}
