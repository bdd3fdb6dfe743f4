/*
 * server.c — the listener: libmicrohttpd, our access handler, deadlines, the
 * memory held for request bodies, and draining (see server.h).
 *
 * The access handler is ours, not ulfius': ulfius reads a request's whole
 * body into memory before any of our code runs, up to one limit for every
 * route, so that a refusal (no route, no token, wrong media type, too
 * large) came only after up to 10 MiB had been buffered, for anyone.
 * The request and the answer the handlers see through call.h are ours too
 * (struct http_request, struct http_answer): ulfius' structures built a map
 * for every part of both, 50 allocations for a small read.  ulfius keeps
 * the parsed query string (query.h).  A request's life here:
 *
 *   request line   uri_logger(): keep the target as sent; the query is
 *                  parsed by query_parse(), not by libmicrohttpd (below)
 *   head           on_head(): dispatch_begin() and, when a body is
 *                  announced, dispatch_admit() at once; a body is then
 *                  read only for an admitted request, into a buffer of its
 *                  declared size, within THIDUA_BODY_BUFFER_TOTAL for all
 *                  connections together (503 beyond).  A refused one is
 *                  answered at once when its client waits for "100
 *                  Continue", or announces a body larger than drain_max
 *                  (twice the largest body any route takes, 64 KiB at
 *                  least): the body is never read, and the connection
 *                  closes.  Otherwise its body is read and dropped
 *                  (memory: none) and the answer follows, because a client that is still sending when
 *                  the connection closes under it gets a reset instead of
 *                  its answer (measured: Python's http.client, a
 *                  1.5 MiB body, "Broken pipe" instead of the 413)
 *   body           on_body(): stored or dropped
 *   end            on_complete(): dispatch_run() and the answer; a heavy
 *                  route's connection is suspended instead and a thread of
 *                  the gate runs it (gate.h), then resumes it, and
 *                  on_complete() sends the answer — or, for a streamed
 *                  one (call_stream), its head, while the gate thread
 *                  writes the body into http/stream.c
 *   completion     request_completed(): everything is released
 *
 * Query strings: libmicrohttpd stores each argument in the connection's
 * memory pool (HTTP_CONNECTION_MEMORY); a few hundred of them exhaust it,
 * after which it neither answered nor called us back (measured: 500 parameters hung the
 * connection and leaked the in-flight count).  Its URI callback is
 * documented as the place to process the URI before it is parsed: there we
 * keep the target and end the string after '?', so that it parses no
 * argument at all, and query_parse() reads the copy.
 *
 * Event loop: epoll when no worker can hold 126 connections, poll()
 * otherwise.  libmicrohttpd 0.9.75's epoll loop calls epoll_wait() again
 * before handling anything when a call returned exactly 128 events, so a
 * worker with 128 (or 256) connections all waiting for their answers slept
 * until a connection timed out: 323 req/s at 128 connections on one worker
 * against 90 k at 127 (measured on this service).  libmicrohttpd gives each
 * worker an equal share of THIDUA_MAX_CONNECTIONS and stops a full worker
 * accepting; with at most EPOLL_MAX_PER_WORKER connections, its listening
 * socket and its wake-up pipe, an epoll set holds 127 descriptors at most
 * and epoll_wait() cannot return 128.  Beyond that share, poll(), which
 * has no such loop.  epoll is chosen when it is safe because poll() costs
 * more as a worker holds more connections: /healthz at 64 connections,
 * 8 workers, 121-129 k req/s with poll() against 141-158 k with epoll (the
 * bare hello baseline: 132-152 k), at 16 connections within noise.
 *
 * Deadlines: libmicrohttpd closes a connection only after THIDUA_IDLE_
 * TIMEOUT_S without a byte, which a client sending one byte every few
 * seconds never reaches.  So each connection carries a deadline for what it
 * owes us next, checked by one reaper thread: its next request line within
 * THIDUA_IDLE_TIMEOUT_S of the connection or of the previous answer; the
 * rest of the head within THIDUA_HEAD_TIMEOUT_S of the request line; the
 * body within THIDUA_BODY_TIMEOUT_S, one more second for every
 * THIDUA_BODY_MIN_RATE bytes received.  While a handler runs or an answer
 * is sent there is none (libmicrohttpd's idle timeout still applies).  A
 * connection past its deadline is shut down; libmicrohttpd then closes it.
 * With a per-address connection limit (THIDUA_MAX_CONNECTIONS_PER_ADDRESS),
 * one client can no longer hold every connection.
 *
 * In flight: a request counts from its head to its completion, marked on
 * its connection, so a request that never completes is uncounted when its
 * connection closes, whatever libmicrohttpd did or did not call.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "domain/timespec.h"
#include "http/gate.h"
#include "http/log.h"
#include "http/metrics.h"
#include "http/query.h"
#include "http/stream.h"

/* A refused body this small is always read and dropped, whatever drain_max. */
#define DRAIN_MIN ((size_t)64 * 1024)
/* A chunked body's buffer starts this small and doubles up to its limit. */
#define CHUNKED_FIRST ((size_t)16 * 1024)
#define REAPER_PERIOD_MS 250
/* A streamed answer's bytes waiting for the client at most (stream.h). */
#define STREAM_WINDOW ((size_t)1024 * 1024)
/* The most connections a worker may hold for epoll to be safe (above). */
#define EPOLL_MAX_PER_WORKER 125u

enum phase { PH_WAITING, PH_HEAD, PH_BODY, PH_SERVING, PH_COUNT };
static const char *const phase_names[PH_COUNT] = { "request_line", "head", "body", "serving" };

enum body_mode { BODY_ABSENT, BODY_KEEP, BODY_DROP };

/* The request in progress on a connection (one at a time in HTTP/1.1). */
struct request {
	bool live; /* req and res are initialised */
	bool counted; /* in in_flight */
	bool answered; /* queued on the first call; libmicrohttpd reads no body */
	char *uri; /* the target as sent, until it moves into req */
	struct http_request req;
	struct http_answer res;
	struct call call;
	enum body_mode mode;
	char *body; /* BODY_KEEP: the buffer, until it moves into req */
	size_t body_len, body_cap, limit;
	uint64_t body_seen; /* bytes received, kept or dropped */
	size_t reserved; /* bytes of the body budget held */
	int64_t body_started_ms;
	/* a heavy request: its connection suspended while a gate thread
	 * computes the answer (gate.h); answered once it is resumed */
	struct gate_job job;
	struct MHD_Connection *mhd;
	bool offloaded;
	/* a streamed answer (call_stream) being written by the gate thread,
	 * until its response takes it */
	struct http_stream *stream;
};

/* One client connection (libmicrohttpd's socket context). */
struct conn {
	struct conn *prev, *next; /* the reaper's list, under conns.lock */
	int fd;
	_Atomic int64_t deadline_ms; /* CLOCK_MONOTONIC ms; 0: none */
	_Atomic int phase;
	struct request rq;
};

struct http_server {
	struct MHD_Daemon *mhd;
	struct sockaddr_in addr4;
	struct sockaddr_in6 addr6;
	pthread_t reaper;
	bool reaper_started;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct conn *head;
	bool stopping;
} conns = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false };

/* Read-only after http_server_start. */
static struct http_options opts;

static atomic_uint in_flight;
static atomic_bool draining;
static atomic_size_t body_held; /* bytes reserved for bodies, all connections */
static atomic_uint_fast64_t budget_refusals;
static atomic_uint_fast64_t deadline_closes[PH_COUNT];

bool http_draining(void)
{
	return atomic_load(&draining);
}

unsigned http_in_flight(void)
{
	return atomic_load(&in_flight);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_deadline(struct conn *k, enum phase ph, int64_t deadline)
{
	atomic_store(&k->phase, (int)ph);
	atomic_store(&k->deadline_ms, deadline);
}

/* ---- the body budget ------------------------------------------------------- */

static bool budget_reserve(size_t n)
{
	size_t held = atomic_load(&body_held);
	do {
		if (n > opts.body_budget || held > opts.body_budget - n)
			return false;
	} while (!atomic_compare_exchange_weak(&body_held, &held, held + n));
	return true;
}

static void budget_release(size_t n)
{
	atomic_fetch_sub(&body_held, n);
}

/* ---- requests ---------------------------------------------------------------- */

/* Ends the request in progress, if any: uncounts it, gives back its budget,
 * frees what it holds. */
static void request_end(struct request *rq)
{
	if (rq->counted)
		atomic_fetch_sub(&in_flight, 1);
	budget_release(rq->reserved);
	if (rq->stream)
		http_stream_abandon(rq->stream);
	if (rq->live) {
		json_decref(rq->call.body); /* set when the call was not finished */
		http_request_clear(&rq->req);
		http_answer_clear(&rq->res);
	}
	free(rq->uri);
	free(rq->body);
	memset(rq, 0, sizeof *rq);
}

/* Fills req from the connection's head; false when out of memory. */
static bool request_fill(struct request *rq, struct MHD_Connection *mhd, const char *method)
{
	rq->live = true;
	struct http_request *req = &rq->req;
	req->method = method;
	req->target = rq->uri ? rq->uri : strdup("");
	rq->uri = NULL;
	if (!req->target)
		return false;
	char *q = strchr(req->target, '?');
	if (q)
		*q = '\0';
	req->query = q ? q + 1 : "";
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6))
		memcpy(&req->client, sa,
		       sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in));
	/* headers are read from the connection when asked for (call_req_header):
	 * copying every one into a map cost 4 % of the service's user time */
	return true;
}

/* The declared body length; *has_body is false when there is none. */
static uint64_t declared_length(struct MHD_Connection *mhd, bool *has_body, bool *chunked)
{
	const char *te = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Transfer-Encoding");
	*chunked = te && strcasestr(te, "chunked");
	const char *cl = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Content-Length");
	uint64_t n = cl ? strtoull(cl, NULL, 10) : 0;
	*has_body = *chunked || n > 0;
	return *chunked ? 0 : n;
}

/* ---- answers ----------------------------------------------------------------- */

static enum MHD_Result queue_answer(struct MHD_Connection *mhd, struct request *rq, bool close)
{
	struct call *c = &rq->call;
	/* while draining, a client that keeps connections (a load balancer)
	 * opens its next one elsewhere */
	if (close || atomic_load(&draining))
		call_set_header(c, "Connection", "close");
	struct http_answer *res = &rq->res;
	if (!rq->stream && res->stream.produce && !http_answer_collect(res)) {
		call_reset_answer(c);
		call_problem(c, problem_internal());
	}
	dispatch_finish(c);
	struct MHD_Response *r;
	if (rq->stream) {
		r = http_stream_response(rq->stream);
		rq->stream = NULL;
	} else if (res->body && res->body_len) {
		/* the body moves into libmicrohttpd, which frees it when sent */
		r = MHD_create_response_from_buffer_with_free_callback(res->body_len, res->body,
								       free);
		if (r) {
			res->body = NULL;
			res->body_len = 0;
		}
	} else {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(mhd, res->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- libmicrohttpd's callbacks --------------------------------------------------- */

static void on_connection(void *cls, struct MHD_Connection *mhd, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *k = calloc(1, sizeof *k);
		if (!k)
			return; /* no deadline for this one; libmicrohttpd's idle timeout stays */
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci ? ci->connect_fd : -1;
		set_deadline(k, PH_WAITING, now_ms() + (int64_t)opts.idle_timeout_s * 1000);
		pthread_mutex_lock(&conns.lock);
		k->next = conns.head;
		if (conns.head)
			conns.head->prev = k;
		conns.head = k;
		pthread_mutex_unlock(&conns.lock);
		*socket_context = k;
		return;
	}
	struct conn *k = *socket_context;
	if (!k)
		return;
	/* unlinked before libmicrohttpd closes the socket, so the reaper never
	 * shuts down a descriptor that was reused */
	pthread_mutex_lock(&conns.lock);
	if (k->prev)
		k->prev->next = k->next;
	else
		conns.head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&conns.lock);
	request_end(&k->rq);
	free(k);
	*socket_context = NULL;
}

static struct conn *conn_of(struct MHD_Connection *mhd)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The request line has arrived; what it returns is the request's con_cls. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *mhd)
{
	(void)cls;
	struct conn *k = conn_of(mhd);
	if (!k)
		return NULL;
	request_end(&k->rq); /* a request libmicrohttpd gave up on without telling */
	k->rq.uri = strdup(uri);
	/* libmicrohttpd parses the arguments after '?' once we return: leave it
	 * none (see the top of this file); uri points into its own buffer */
	char *q = strchr(uri, '?');
	if (q)
		q[1] = '\0';
	set_deadline(k, PH_HEAD, now_ms() + (int64_t)opts.head_timeout_s * 1000);
	return k;
}

static int64_t body_deadline(const struct request *rq)
{
	uint64_t extra_ms = opts.body_min_rate ? rq->body_seen * 1000 / opts.body_min_rate : 0;
	return rq->body_started_ms + (int64_t)opts.body_timeout_s * 1000 + (int64_t)extra_ms;
}

/* The head is complete. */
static enum MHD_Result on_head(struct conn *k, struct MHD_Connection *mhd, const char *method)
{
	struct request *rq = &k->rq;
	atomic_fetch_add(&in_flight, 1);
	rq->counted = true;
	if (!request_fill(rq, mhd, method))
		return MHD_NO;
	struct call *c = &rq->call;
	dispatch_begin(c, &rq->req, &rq->res, mhd);
	query_parse(rq->req.query, &rq->req.query_map, &c->query);

	bool has_body, chunked;
	uint64_t declared = declared_length(mhd, &has_body, &chunked);
	if (!has_body) {
		rq->mode = BODY_ABSENT;
		set_deadline(k, PH_SERVING, 0);
		return MHD_YES;
	}
	rq->limit = dispatch_body_limit(c);
	bool admitted = dispatch_admit(c, declared);
	size_t want = chunked ? rq->limit + 1 : (size_t)declared;
	if (admitted && !budget_reserve(want)) {
		atomic_fetch_add(&budget_refusals, 1);
		lang_use(c->lang);
		call_problem(c, problem_unavailable(
					"The service is receiving too many request bodies at once; "
					"try again shortly.",
					1));
		admitted = false;
	}
	rq->body_started_ms = now_ms();
	set_deadline(k, PH_BODY, body_deadline(rq));
	if (admitted) {
		rq->reserved = want;
		rq->mode = BODY_KEEP;
		rq->body_cap = chunked ? (want < CHUNKED_FIRST ? want : CHUNKED_FIRST) : want;
		rq->body = malloc(rq->body_cap);
		return rq->body ? MHD_YES : MHD_NO;
	}
	const char *expect = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Expect");
	if ((expect && strcasecmp(expect, "100-continue") == 0) || declared > opts.drain_max) {
		rq->answered = true;
		set_deadline(k, PH_SERVING, 0);
		return queue_answer(mhd, rq, true);
	}
	rq->mode = BODY_DROP;
	return MHD_YES;
}

/* False when the connection must close: a body going on far past its limit
 * (a chunked one declares no length) is not read to its end. */
static bool on_body(struct conn *k, const char *data, size_t n)
{
	struct request *rq = &k->rq;
	rq->body_seen += n;
	if (rq->body_seen > (uint64_t)(rq->limit > opts.drain_max ? rq->limit : opts.drain_max) + 1)
		return false;
	set_deadline(k, PH_BODY, body_deadline(rq));
	if (rq->mode != BODY_KEEP)
		return true;
	/* at most limit + 1 bytes: enough to answer 413, never more memory */
	size_t room = rq->limit + 1 - rq->body_len;
	if (n > room)
		n = room;
	if (rq->body_len + n > rq->body_cap) {
		size_t cap = rq->body_cap * 2;
		if (cap < rq->body_len + n)
			cap = rq->body_len + n;
		if (cap > rq->reserved)
			cap = rq->reserved;
		char *grown = realloc(rq->body, cap);
		if (!grown)
			return false;
		rq->body = grown;
		rq->body_cap = cap;
	}
	memcpy(rq->body + rq->body_len, data, n);
	rq->body_len += n;
	return true;
}

/* A streamed answer's producer, run on the gate thread once the
 * connection is resumed to send the head.  rq is not touched after the
 * resumption: the connection may end, and rq with it, at any time. */
static void stream_answer(struct request *rq)
{
	struct answer_stream how = rq->res.stream;
	rq->res.stream = (struct answer_stream){ 0 };
	struct http_stream *s =
		http_stream_new(rq->mhd, STREAM_WINDOW, opts.idle_timeout_s * 1000u);
	if (!s) {
		how.release(how.ctx);
		call_reset_answer(&rq->call);
		call_problem(&rq->call, problem_internal());
		MHD_resume_connection(rq->mhd);
		return;
	}
	rq->stream = s;
	MHD_resume_connection(rq->mhd);
	enum stream_step step;
	while ((step = how.produce(how.ctx, http_stream_out(s))) == STREAM_MORE)
		;
	how.release(how.ctx);
	http_stream_finish(s, step == STREAM_DONE);
}

/* A heavy request on a gate thread: the handler runs there (or, when it
 * waited too long, a 503), then the connection is resumed and
 * libmicrohttpd calls on_complete again, which sends the answer — or, for
 * a streamed one, its head, while this thread writes the body. */
static void run_offloaded(struct gate_job *job, bool in_time)
{
	struct request *rq = (struct request *)((char *)job - offsetof(struct request, job));
	if (in_time) {
		dispatch_run(&rq->call);
		if (rq->res.stream.produce) {
			stream_answer(rq);
			return;
		}
	} else {
		lang_use(rq->call.lang);
		call_problem(
			&rq->call,
			problem_unavailable(
				"Too many long computations are waiting; try again shortly.", 2));
	}
	MHD_resume_connection(rq->mhd);
}

/* True when the admitted call was handed to the gate (the connection is
 * then suspended until the answer is ready). */
static bool offload(struct request *rq, struct MHD_Connection *mhd)
{
	if (!dispatch_heavy(&rq->call) || !gate_running())
		return false;
	rq->offloaded = true;
	rq->mhd = mhd;
	rq->job.run = run_offloaded;
	MHD_suspend_connection(mhd);
	gate_submit(&rq->job);
	return true;
}

/* The request has arrived whole (or, offloaded, its answer is ready). */
static enum MHD_Result on_complete(struct conn *k, struct MHD_Connection *mhd)
{
	struct request *rq = &k->rq;
	set_deadline(k, PH_SERVING, 0);
	if (rq->answered)
		return MHD_YES;
	struct call *c = &rq->call;
	if (rq->offloaded) /* resumed: the gate thread answered */
		return queue_answer(mhd, rq, false);
	switch (rq->mode) {
	case BODY_ABSENT:
		if (dispatch_admit(c, 0)) {
			if (offload(rq, mhd))
				return MHD_YES;
			dispatch_run(c);
		}
		break;
	case BODY_KEEP:
		rq->req.body = rq->body;
		rq->req.body_len = rq->body_len;
		rq->body = NULL;
		if (dispatch_body_fits(c, rq->body_seen))
			dispatch_run(c);
		break;
	case BODY_DROP:
		/* answered from the head; over the limit the answer becomes 413 */
		dispatch_body_fits(c, rq->body_seen);
		break;
	}
	return queue_answer(mhd, rq, false);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mhd, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url; /* decoded by libmicrohttpd; the path as sent is in req.target */
	(void)version;
	struct conn *k = *con_cls;
	if (!k)
		return MHD_NO; /* no memory for the connection's state */
	if (!k->rq.live && !k->rq.counted)
		return on_head(k, mhd, method);
	if (*upload_size) {
		bool go_on = on_body(k, upload, *upload_size);
		*upload_size = 0;
		return go_on ? MHD_YES : MHD_NO;
	}
	return on_complete(k, mhd);
}

static void request_completed(void *cls, struct MHD_Connection *mhd, void **con_cls,
			      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)mhd;
	(void)toe;
	struct conn *k = *con_cls;
	if (!k)
		return;
	request_end(&k->rq);
	set_deadline(k, PH_WAITING, now_ms() + (int64_t)opts.idle_timeout_s * 1000);
	*con_cls = NULL;
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

/* ---- the reaper ---------------------------------------------------------------- */

static void *reaper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&conns.lock);
	while (!conns.stopping) {
		struct timespec clock_now; /* the condition variable's clock */
		clock_gettime(CLOCK_REALTIME, &clock_now);
		struct timespec until = timespec_plus_ms(clock_now, REAPER_PERIOD_MS);
		pthread_cond_timedwait(&conns.wake, &conns.lock, &until);
		/* heavy requests that waited too long are answered now */
		pthread_mutex_unlock(&conns.lock);
		gate_sweep();
		pthread_mutex_lock(&conns.lock);
		int64_t now = now_ms();
		for (struct conn *k = conns.head; k; k = k->next) {
			int64_t d = atomic_load(&k->deadline_ms);
			if (!d || now < d || k->fd < 0)
				continue;
			/* the worker sees end of file and closes the connection */
			shutdown(k->fd, SHUT_RDWR);
			atomic_store(&k->deadline_ms, 0);
			int ph = atomic_load(&k->phase);
			atomic_fetch_add(&deadline_closes[ph >= 0 && ph < PH_COUNT ? ph : 0], 1);
		}
	}
	pthread_mutex_unlock(&conns.lock);
	return NULL;
}

static void server_gauges(struct metrics_buf *out, void *ctx)
{
	(void)ctx;
	metrics_printf(out,
		       "# HELP thidua_http_body_bytes_held Bytes reserved for request bodies "
		       "being received.\n"
		       "# TYPE thidua_http_body_bytes_held gauge\n"
		       "thidua_http_body_bytes_held %zu\n"
		       "# HELP thidua_http_body_budget_refusals_total Requests answered 503 "
		       "because bodies already held the whole budget.\n"
		       "# TYPE thidua_http_body_budget_refusals_total counter\n"
		       "thidua_http_body_budget_refusals_total %llu\n"
		       "# HELP thidua_http_deadline_closes_total Connections closed for missing "
		       "a deadline, by what they owed.\n"
		       "# TYPE thidua_http_deadline_closes_total counter\n",
		       atomic_load(&body_held), (unsigned long long)atomic_load(&budget_refusals));
	for (int ph = 0; ph < PH_SERVING; ph++)
		metrics_printf(out, "thidua_http_deadline_closes_total{phase=\"%s\"} %llu\n",
			       phase_names[ph],
			       (unsigned long long)atomic_load(&deadline_closes[ph]));
	unsigned long long streams, cut;
	http_stream_counts(&streams, &cut);
	metrics_printf(out,
		       "# HELP thidua_http_streams_total Answers streamed while they were "
		       "computed.\n"
		       "# TYPE thidua_http_streams_total counter\n"
		       "thidua_http_streams_total %llu\n"
		       "# HELP thidua_http_streams_cut_total Streamed answers cut short: the "
		       "client left or stopped reading, or the computation failed.\n"
		       "# TYPE thidua_http_streams_cut_total counter\n"
		       "thidua_http_streams_cut_total %llu\n",
		       streams, cut);
}

/* ---- start, drain, stop ----------------------------------------------------------- */

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

bool http_uses_epoll(unsigned threads, unsigned max_connections)
{
	unsigned per_worker = threads ? (max_connections + threads - 1) / threads : max_connections;
	return per_worker <= EPOLL_MAX_PER_WORKER;
}

struct http_server *http_server_start(const struct http_options *opt, char *err, size_t errlen)
{
	struct http_server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "cannot initialise the HTTP server");
		return NULL;
	}
	opts = *opt;
	if (opts.drain_max < DRAIN_MIN)
		opts.drain_max = DRAIN_MIN;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME |
			 (http_uses_epoll(opt->threads, opt->max_connections) ? MHD_USE_EPOLL
									      : MHD_USE_POLL);
	/* The per-connection buffer: libmicrohttpd clears all of it for every
	 * request (128 KiB cost 30% of /healthz throughput here; its default
	 * 32 KiB was 2% of the service's CPU on GET /v1/staff/{id}, and evicted
	 * the first-level cache each time).  16 KiB holds a head as large as
	 * Node's default limit, twice nginx's; a longer one gets the library's
	 * own 414 or 431. */
	struct MHD_OptionItem ops[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)request_completed, NULL },
		{ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)uri_logger, NULL },
		{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)opt->threads, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, (intptr_t)opt->max_connections, NULL },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)opt->max_per_address, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)opt->idle_timeout_s, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)HTTP_CONNECTION_MEMORY, NULL },
		{ MHD_OPTION_END, 0, NULL }, /* the listen address goes here */
		{ MHD_OPTION_END, 0, NULL },
	};
	size_t addr_slot = sizeof ops / sizeof ops[0] - 2;
	if (!set_address(s, opt, &ops[addr_slot], &flags)) {
		snprintf(err, errlen, "THIDUA_LISTEN_ADDRESS: not an IP address: %s", opt->address);
		free(s);
		return NULL;
	}
	s->mhd = MHD_start_daemon(flags, (uint16_t)opt->port, NULL, NULL, on_request, NULL,
				  MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	if (!s->mhd) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s", opt->address, opt->port,
			 errno ? strerror(errno) : "unknown error");
		free(s);
		return NULL;
	}
	conns.stopping = false;
	s->reaper_started = pthread_create(&s->reaper, NULL, reaper_main, NULL) == 0;
	if (!s->reaper_started)
		log_msgf(LOG_WARN, "no reaper thread: slow clients are bounded by the idle "
				   "timeout only");
	metrics_add_source(server_gauges, NULL);
	return s;
}

void http_server_unready(void)
{
	atomic_store(&draining, true);
}

unsigned http_server_drain(struct http_server *s, unsigned deadline_s)
{
	atomic_store(&draining, true);
	MHD_socket listen_fd = MHD_quiesce_daemon(s->mhd);
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
	if (s->reaper_started) {
		pthread_mutex_lock(&conns.lock);
		conns.stopping = true;
		pthread_cond_signal(&conns.wake);
		pthread_mutex_unlock(&conns.lock);
		pthread_join(s->reaper, NULL);
	}
	MHD_stop_daemon(s->mhd);
	free(s);
}
