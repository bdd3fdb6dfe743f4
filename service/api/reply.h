/*
 * reply.h — how a handler answers: documents, pages, files and the result
 * of a write, and the connection it borrows for that.
 *
 * Naming: a helper whose name ends in _or_answer answers the call itself
 * when it fails and returns false or NULL, so the handler only returns; an
 * api_answer_* helper always answers.  Handlers never answer a database
 * failure themselves: these helpers log it (with its SQLSTATE, never the
 * values) and answer 503 with Retry-After or 500.
 */
#ifndef THIDUA_API_REPLY_H
#define THIDUA_API_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "http/call.h"
#include "http/validate.h"
#include "store/db.h"
#include "store/write.h"

/* Borrows a connection for the call; the dispatcher returns it after the
 * handler (api_after_handler).  NULL with the call answered (503). */
struct db *api_db_or_answer(struct call *c);
/* The writer of the call: a borrowed connection, the verified caller as
 * the actor of the audit trail, and today in Vietnam. */
bool api_writer_or_answer(struct call *c, struct writer *w);
/* The body of a write that v found valid, as JSON text for the store (new),
 * with the writer; NULL when answered (invalid, no database, no memory).
 * _versioned also reads If-Match into *version (428, 400). */
char *api_write_body_or_answer(struct call *c, struct validation *v, struct writer *w);
char *api_versioned_body_or_answer(struct call *c, struct validation *v, int *version,
				   struct writer *w);
/* Returns what the call borrowed; the dispatcher's after-handler hook. */
void api_after_handler(struct call *c);

/*
 * Answers a read: the JSON text the store made (taken; NULL: 404), or the
 * failure st.  _document adds the ETag of the document's "version";
 * _versioned takes the version as read (0: none).
 */
void api_answer_read(struct call *c, enum db_status st, char *json);
void api_answer_document(struct call *c, enum db_status st, char *json);
void api_answer_versioned(struct call *c, enum db_status st, char *json, int version);
/* A page {"items", "next_cursor"} with an RFC 8288 Link to the next page
 * (the request's own query with the new cursor); next: the page's
 * next_cursor as read, or NULL to read it from the page. */
void api_answer_page(struct call *c, enum db_status st, char *json, const char *next);

/*
 * Answers the result of a write and clears it (store/write.h):
 * OK → 201 with Location collection/id when collection is given, else 200,
 * with the ETag of r->version; REPLAYED → the stored answer; NOT_FOUND →
 * 404; STALE → 412; REFUSED, INVALID and CONSTRAINT → the registry's answer
 * (answers/answers.def); FAILED → 503 or 500.
 */
void api_answer_write(struct call *c, struct write_result *r, const char *collection);
/* The same, with member: value added to the document of a write that
 * succeeded: a secret drawn by the handler and shown once (a machine
 * client's, a webhook's), which the store never returns. */
void api_answer_write_adding(struct call *c, struct write_result *r, const char *member,
			     const char *value, const char *collection);

/* Answers a database failure (logged when it is not the database's
 * absence); what names the operation in the log. */
void api_answer_db_failure(struct call *c, enum db_status st, const char *what);

/* Answers a workbook laid out by export/ (data taken; NULL when it could
 * not be written: 500, logged with what) as an attachment named filename,
 * its headings in the request's language. */
void api_answer_workbook(struct call *c, char *data, size_t len, const char *filename,
			 const char *what);
/* Answers a PDF laid out by export/ (data taken; NULL when it could not be
 * written: 500) as an attachment named filename. */
void api_answer_pdf(struct call *c, char *data, size_t len, const char *filename);
/* Answers the document text (taken, JSON) laid out by layout as a PDF
 * named filename. */
void api_answer_printed(struct call *c, char *text, char *(*layout)(const json_t *, size_t *),
			const char *filename);
/* Answers bytes (taken) as an attachment named filename. */
void api_answer_file(struct call *c, const char *content_type, char *data, size_t len,
		     const char *filename);

#endif
