/*
 * stream.h — a streamed answer between the thread that writes it and the
 * libmicrohttpd worker that sends it.
 *
 * The writer (a gate thread running an answer's producer, call.h) appends
 * pieces; libmicrohttpd's content reader takes them.  At most `window`
 * bytes wait: the writer waits beyond, and gives up when the client has
 * read nothing for stall_ms (a client that stops reading must not hold a
 * gate thread).  When nothing waits the reader suspends the connection
 * and the next piece resumes it, so no worker spins or blocks.  Two
 * references: the writer's (http_stream_finish) and the response's
 * (dropped when libmicrohttpd destroys it, or http_stream_abandon when no
 * response was made).
 */
#ifndef THIDUA_HTTP_STREAM_H
#define THIDUA_HTTP_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "http/call.h"

struct MHD_Connection;
struct MHD_Response;
struct http_stream;

/* A stream for the connection (which must stay suspended until the
 * response exists); NULL when out of memory. */
struct http_stream *http_stream_new(struct MHD_Connection *mhd, size_t window, unsigned stall_ms);
/* Where the producer writes. */
struct stream_out *http_stream_out(struct http_stream *s);
/* The writer's end: ok false cuts the answer short.  Drops the writer's
 * reference. */
void http_stream_finish(struct http_stream *s, bool ok);
/* A response of unknown length that reads s; takes the response's
 * reference (dropped, with NULL returned, when libmicrohttpd fails). */
struct MHD_Response *http_stream_response(struct http_stream *s);
/* Drops the response's reference when no response was made (the
 * connection ended first): the writer's next write fails. */
void http_stream_abandon(struct http_stream *s);

/* Streams begun and cut short so far (for /metrics). */
void http_stream_counts(unsigned long long *begun, unsigned long long *cut);

#endif
