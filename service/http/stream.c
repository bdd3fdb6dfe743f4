/*
 * stream.c — a streamed answer (see stream.h).
 *
 * The pieces wait in one buffer: [start, start + len) of data.  The reader
 * copies out of it; the writer appends, moving what waits to the front
 * first when the tail has no room.  libmicrohttpd calls the reader on the
 * connection's worker; everything else runs on the writer's thread.
 *
 * Suspending from the content reader is libmicrohttpd's documented way to
 * say "no data yet" without busy waiting.  The writer resumes outside our
 * lock; if it does so before the reader's MHD_suspend_connection runs,
 * libmicrohttpd cancels that suspension (its `resuming` flag, under its
 * own mutex), so a piece is never left unsent.  A suspended connection is
 * never freed, so the writer may resume it; once the response is
 * destroyed (`closed`), it never does.
 */
#include "http/stream.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "domain/timespec.h"

struct http_stream {
	struct stream_out out; /* first: the writer's view */
	pthread_mutex_t lock;
	pthread_cond_t room; /* the reader took some, or the response is gone */
	struct MHD_Connection *mhd;
	char *data;
	size_t start, len, cap, window;
	unsigned stall_ms;
	bool suspended; /* the reader suspended the connection, waiting */
	bool finished, ok; /* the writer's end, and whether it was whole */
	bool closed; /* the response is destroyed: nobody reads any more */
	int refs;
};

static atomic_ullong streams_begun, streams_cut;

static void unref(struct http_stream *s)
{
	pthread_mutex_lock(&s->lock);
	bool last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->room);
	free(s->data);
	free(s);
}

/* Room for n more bytes at the tail (s locked); false when out of memory. */
static bool make_room(struct http_stream *s, size_t n)
{
	if (s->start + s->len + n <= s->cap)
		return true;
	if (s->start > 0) {
		memmove(s->data, s->data + s->start, s->len);
		s->start = 0;
	}
	if (s->len + n <= s->cap)
		return true;
	size_t cap = s->cap ? s->cap : (size_t)64 * 1024;
	while (cap < s->len + n)
		cap *= 2;
	char *grown = realloc(s->data, cap);
	if (!grown)
		return false;
	s->data = grown;
	s->cap = cap;
	return true;
}

/* Waits (s locked) until the window has room or nobody reads; false when
 * the client read nothing for stall_ms. */
static bool wait_for_room(struct http_stream *s)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	struct timespec until = timespec_plus_ms(now, s->stall_ms);
	while (s->len >= s->window && !s->closed) {
		size_t before = s->len;
		int rc = pthread_cond_timedwait(&s->room, &s->lock, &until);
		if (rc == ETIMEDOUT && s->len >= before)
			return false;
		if (s->len < before) { /* the client reads: the clock restarts */
			clock_gettime(CLOCK_MONOTONIC, &now);
			until = timespec_plus_ms(now, s->stall_ms);
		}
	}
	return true;
}

static bool stream_put(struct stream_out *out, const char *data, size_t len)
{
	struct http_stream *s = (struct http_stream *)out;
	pthread_mutex_lock(&s->lock);
	bool ok = !s->closed && wait_for_room(s) && !s->closed && make_room(s, len);
	if (ok) {
		memcpy(s->data + s->start + s->len, data, len);
		s->len += len;
	}
	bool wake = ok && s->suspended;
	if (wake)
		s->suspended = false;
	pthread_mutex_unlock(&s->lock);
	if (wake)
		MHD_resume_connection(s->mhd);
	return ok;
}

struct http_stream *http_stream_new(struct MHD_Connection *mhd, size_t window, unsigned stall_ms)
{
	struct http_stream *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->room, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&s->lock, NULL);
	s->out.write = stream_put;
	s->mhd = mhd;
	s->window = window;
	s->stall_ms = stall_ms;
	s->refs = 2;
	atomic_fetch_add(&streams_begun, 1);
	return s;
}

struct stream_out *http_stream_out(struct http_stream *s)
{
	return &s->out;
}

void http_stream_finish(struct http_stream *s, bool ok)
{
	pthread_mutex_lock(&s->lock);
	s->finished = true;
	s->ok = ok;
	bool wake = s->suspended;
	s->suspended = false;
	pthread_mutex_unlock(&s->lock);
	if (!ok)
		atomic_fetch_add(&streams_cut, 1);
	if (wake)
		MHD_resume_connection(s->mhd);
	unref(s);
}

/* libmicrohttpd's content reader: what waits, the end, or a suspension. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct http_stream *s = cls;
	pthread_mutex_lock(&s->lock);
	if (s->len > 0) {
		size_t n = s->len < max ? s->len : max;
		memcpy(buf, s->data + s->start, n);
		s->start += n;
		s->len -= n;
		if (s->len == 0)
			s->start = 0;
		pthread_cond_signal(&s->room);
		pthread_mutex_unlock(&s->lock);
		return (ssize_t)n;
	}
	if (s->finished) {
		bool ok = s->ok;
		pthread_mutex_unlock(&s->lock);
		return ok ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
	}
	s->suspended = true;
	pthread_mutex_unlock(&s->lock);
	MHD_suspend_connection(s->mhd);
	return 0;
}

void http_stream_abandon(struct http_stream *s)
{
	pthread_mutex_lock(&s->lock);
	s->closed = true;
	s->suspended = false;
	pthread_cond_signal(&s->room);
	pthread_mutex_unlock(&s->lock);
	unref(s);
}

static void stream_gone(void *cls)
{
	http_stream_abandon(cls);
}

struct MHD_Response *http_stream_response(struct http_stream *s)
{
	/* 64 KiB a call at most: libmicrohttpd offers what its buffer holds */
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, (size_t)64 * 1024, stream_read, s, stream_gone);
	if (!r)
		http_stream_abandon(s);
	return r;
}

void http_stream_counts(unsigned long long *begun, unsigned long long *cut)
{
	*begun = atomic_load(&streams_begun);
	*cut = atomic_load(&streams_cut);
}
