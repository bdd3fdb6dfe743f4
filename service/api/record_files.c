/*
 * record_files.c — the documents attached to a case and the photos and
 * documents of an exemplar (issue 13 §2-3).
 *
 * POST /v1/cases/{id}/attachments?filename= (the Office) and GET
 * .../attachments/{attachment_id} (who reads cases; a denunciation's
 * files only its handler and the head, as its lodger's name);
 * POST /v1/exemplars/{id}/attachments?filename= (the Office), GET
 * .../attachments/{attachment_id} (every member), and GET
 * /public/v1/{org}/exemplars/{id}/attachments/{attachment_id} (no token,
 * a published exemplar's only).  The files themselves are files.c's.
 */
#include <stdio.h>

#include <sodium.h>

#include "api/files.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "store/files.h"

/* POST /v1/{kind}s/{id}/attachments */
static void add(struct call *c, const char *kind)
{
	int64_t id;
	struct attachment_in in;
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_file_in_or_answer(c, &in, digest) ||
	    !api_writer_or_answer(c, &w))
		return;
	store_record_file_add(&w, kind, id, &in, &r);
	char collection[64];
	snprintf(collection, sizeof collection, "/v1/%ss/%lld/attachments", kind, (long long)id);
	api_answer_write(c, &r, collection);
}

/* GET /v1/{kind}s/{id}/attachments/{attachment_id} */
static void get(struct call *c, const char *kind)
{
	int64_t id, file;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_path_id_or_answer(c, "attachment_id", &file) || !(db = api_db_or_answer(c)))
		return;
	struct attachment_file f;
	struct case_reader cr = api_case_reader(c);
	enum db_status st =
		store_record_file_get(db, c->who.org_id, kind, id, file, cr.user, cr.head, &f);
	api_answer_stored_file(c, st, &f, "record file get");
}

void case_attach(struct call *c)
{
	add(c, "case");
}

void case_attachment_get(struct call *c)
{
	get(c, "case");
}

void exemplar_attach(struct call *c)
{
	add(c, "exemplar");
}

void exemplar_attachment_get(struct call *c)
{
	get(c, "exemplar");
}

void public_exemplar_attachment_get(struct call *c)
{
	const char *code = api_org_code_or_answer(c);
	int64_t id, file;
	struct db *db;
	if (!code || !api_path_id_or_answer(c, "id", &id) ||
	    !api_path_id_or_answer(c, "attachment_id", &file) || !(db = api_db_or_answer(c)))
		return;
	struct attachment_file f;
	enum db_status st = store_public_exemplar_file(db, code, id, file, &f);
	/* a published photo changes never: its digest is its tag */
	if (st == DB_OK && f.data)
		call_set_header(c, "Cache-Control", "public, max-age=86400");
	api_answer_stored_file(c, st, &f, "public exemplar file get");
}
