/*
 * call.h — one HTTP request on its way through the service.
 *
 * The dispatcher (dispatch.h) runs the steps every request shares and then
 * the route's handler, which reads its inputs from the call through the
 * accessors below (never from ulfius' structures) and answers once with
 * call_json(), call_bytes(), call_take() or call_problem().
 */
#ifndef THIDUA_HTTP_CALL_H
#define THIDUA_HTTP_CALL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <ulfius.h>

#include "answers/lang.h"
#include "domain/access.h"
#include "http/problem.h"
#include "http/query.h"
#include "http/router.h"

struct app; /* the wiring of one process; defined by the api layer */
struct db; /* a database connection the api layer borrowed for the call */

enum caller_kind { CALLER_ANONYMOUS, CALLER_USER, CALLER_CLIENT };

/* Who is calling, from a verified token only (never from the body). */
struct caller {
	enum caller_kind kind;
	int64_t org_id;
	int64_t user_id; /* users.id of a CALLER_USER */
	int64_t unit_id; /* the account's unit, 0 if none */
	int64_t staff_id; /* the account's staff record, 0 if none */
	role_set roles;
	mscope_set mscopes;
	char subject[80]; /* "user:12" or "client:portal", for the audit trail */
	enum access_scope scope; /* what the current route grants this caller */
};

struct MHD_Connection;

/* The request as the listener (server.c) received it.  Only what the
 * service reads is kept: the head stays in libmicrohttpd's memory and is
 * read on demand (call_req_header).  ulfius' request and response, with a
 * map for every part, cost 50 allocations a request (a third of the
 * service's user time on a small read). */
struct http_request {
	const char *method; /* libmicrohttpd's, for the request's life */
	char *target; /* the request target as sent, '?' replaced by NUL: the path */
	const char *query; /* after the '?' (percent-encoded), or "" */
	struct _u_map *query_map; /* the parsed query; NULL when it is empty */
	struct _u_map *joined; /* repeated headers, joined; NULL until one is asked for */
	struct sockaddr_storage client; /* ss_family 0 when unknown */
	char *body;
	size_t body_len;
};

/*
 * A streamed answer, for one too large to hold in memory (a province's
 * checked lists: 100 agencies, 50 MB).  The handler names a producer
 * instead of a body (call_stream); after the handler has returned, the
 * listener calls produce again and again, on the thread that ran the
 * handler, until it answers STREAM_DONE or STREAM_FAILED, then release.
 * Each call writes a piece with stream_write(), which waits while the
 * client has not read what came before, so the answer held at a time is
 * bounded whatever its size.  The status and headers go first: a failure
 * after them can only cut the answer short (the connection closes before
 * the chunked body's end, which every HTTP client reports as an error).
 */
struct stream_out {
	/* false when the client is gone or stopped reading: stop producing */
	bool (*write)(struct stream_out *out, const char *data, size_t len);
};
enum stream_step { STREAM_MORE, STREAM_DONE, STREAM_FAILED };
struct answer_stream {
	enum stream_step (*produce)(void *ctx, struct stream_out *out);
	void (*release)(void *ctx); /* frees ctx; called once, always */
	void *ctx;
};
/* Writes a piece of a streamed answer (stream_out.write). */
static inline bool stream_write(struct stream_out *out, const char *data, size_t len)
{
	return out->write(out, data, len);
}

/* Headers an answer may carry: the service sets 22 distinct ones. */
#define ANSWER_MAX_HEADERS 24

/* The answer being built, until the listener hands it to libmicrohttpd. */
struct http_answer {
	unsigned status;
	char *body; /* from malloc */
	size_t body_len;
	struct answer_stream stream; /* produce NULL: the body above is the answer */
	size_t n_headers;
	struct answer_header {
		const char *name; /* a literal (every caller's is) */
		char *value; /* in room, or from malloc when owned */
		bool owned;
	} headers[ANSWER_MAX_HEADERS];
	size_t room_used;
	char room[1024]; /* header values; longer ones go to malloc */
};

/* Frees what req holds, and clears it. */
void http_request_clear(struct http_request *req);
/* Frees what res holds, and clears it. */
void http_answer_clear(struct http_answer *res);
/* A header of res (case-insensitive), or NULL. */
const char *http_answer_header(const struct http_answer *res, const char *name);

struct call {
	struct http_request *req; /* joined headers are kept in it */
	/* the request's head is read here, on demand (call_req_header); NULL:
	 * no head (a call built by a test) */
	struct MHD_Connection *head;
	struct http_answer *res;
	struct app *app;
	const struct route *route; /* NULL when unmatched */
	enum match_result match;
	char allow[64]; /* the methods of the path, when match is MATCH_WRONG_METHOD */
	struct path_params params;
	struct query_problem query; /* what kept the listener from reading the query */
	struct timespec started; /* CLOCK_MONOTONIC, for the duration logged */
	const char *method; /* borrowed from req */
	const char *path; /* borrowed from req, without query */
	char request_id[129];
	json_t *body; /* parsed body of BODY_JSON routes; owned by the call */
	struct db *db; /* borrowed by the handler, returned after it (dispatch.h) */
	struct caller who; /* set by the authorization hook */
	enum lang lang; /* of every sentence of the answer (Accept-Language) */
	int status; /* 0 until answered */
};

/* Answers with status and a JSON body; steals body. */
void call_json(struct call *c, int status, json_t *body);
/* Answers with a copy of data. */
void call_bytes(struct call *c, int status, const char *content_type, const char *data, size_t len);
/* Answers with data, which must come from malloc; the call takes it. */
void call_take(struct call *c, int status, const char *content_type, char *data, size_t len);
/* Answers with the problem as application/problem+json; steals p. */
void call_problem(struct call *c, struct problem *p);
/* Answers with status and a body that produce writes after the handler
 * has returned (struct answer_stream); the call takes ctx, and releases it
 * even when the answer is never sent. */
void call_stream(struct call *c, int status, const char *content_type,
		 const struct answer_stream *how);
/* Runs the producer of res, if any, to its end into res->body: for a
 * streamed answer that cannot be sent while it is produced (its handler
 * did not run on a thread of its own).  False when out of memory or the
 * producer failed; the producer is released either way. */
bool http_answer_collect(struct http_answer *res);
/* Forgets the answer given so far (status, headers, body), so that
 * another can be given instead. */
void call_reset_answer(struct call *c);
/* Adds or replaces a response header; name must outlive the call (a
 * literal). */
void call_set_header(struct call *c, const char *name, const char *value);
/* Adds a field name to the response's Vary header. */
void call_add_vary(struct call *c, const char *field);
/* Says that the answer holds sentences in c->lang: Content-Language, and
 * Vary: Accept-Language (problems do it themselves). */
void call_language_headers(struct call *c);
/* Borrowed request header (case-insensitive) or NULL. */
const char *call_req_header(const struct call *c, const char *name);
/* The client's IP address as text ("" if unknown). */
void call_client_address(const struct call *c, char *out, size_t len);
/* The value of query parameter name (percent-decoded, borrowed), or NULL. */
const char *call_query(const struct call *c, const char *name);
/* The query string as the client sent it (after '?', percent-encoded,
 * borrowed), or "". */
const char *call_query_string(const struct call *c);
/* The request body as received (borrowed); *len its length in bytes. */
const void *call_body(const struct call *c, size_t *len);

#endif
