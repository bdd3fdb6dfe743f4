/*
 * attachments.c — files attached to a report submission (tài liệu kèm theo).
 *
 * POST /v1/submissions/{id}/attachments?filename=NAME takes the file's
 * bytes as the body (BODY_RAW), with its media type as Content-Type (an
 * allow-list), at most 10 MiB, while the submission is draft or returned.
 * The service computes the SHA-256; the bytes go to PostgreSQL as bytea.
 * GET /v1/submissions/{id}/attachments/{attachment_id} answers the exact
 * bytes with the stored type, the file name (RFC 6266) and the digest as
 * ETag.  Unit heads reach the submissions of their subtree only; anything
 * else answers 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/files.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/reports_followup.h"

void submission_attach(struct call *c)
{
	int64_t id;
	struct attachment_in in;
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_file_in_or_answer(c, &in, digest))
		return;
	struct reg_scope s = api_reg_scope(c);
	if (!api_writer_or_answer(c, &w))
		return;
	store_attachment_add(&w, id, s.unit, &in, &r);
	char collection[64];
	snprintf(collection, sizeof collection, "/v1/submissions/%lld/attachments", (long long)id);
	api_answer_write(c, &r, collection);
}

void submission_attachment_get(struct call *c)
{
	int64_t id, attachment;
	struct db *db;
	struct reg_scope s = api_reg_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_path_id_or_answer(c, "attachment_id", &attachment) || !(db = api_db_or_answer(c)))
		return;
	struct attachment_file f;
	enum db_status st = store_attachment_get(db, c->who.org_id, id, attachment, s.unit, &f);
	api_answer_stored_file(c, st, &f, "attachment get");
}
