/*
 * files.h — files kept in PostgreSQL: a submission's attachments (0006)
 * and the files of a case or an exemplar (0032).  Their bytes travel as
 * binary parameters and results, never hex.
 */
#ifndef THIDUA_STORE_FILES_H
#define THIDUA_STORE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* A file to add: checked by the service before it reaches the store. */
struct attachment_in {
	const char *filename; /* validated UTF-8 */
	const char *content_type; /* one of the allow-list, lower case */
	const unsigned char *sha256; /* 32 bytes */
	const void *data; /* borrowed, len bytes, may hold NUL */
	size_t len;
};

/* A file read back: new strings and bytes, freed with
 * attachment_file_clear; data is NULL when it is not found. */
struct attachment_file {
	char *content_type;
	char *filename;
	char sha256_hex[65];
	char *data;
	size_t len;
};
void attachment_file_clear(struct attachment_file *f);

/* Reads the one row of a binary result (content type, filename, sha256,
 * bytes) into out; nothing when the result has no row.  DB_ERROR when
 * memory runs out. */
enum db_status attachment_file_from(PGresult *res, struct attachment_file *out);

/* The files of a case or an exemplar ("case", "exemplar"): add one to a
 * record of the writer's organisation (OK with the file's document and
 * id, NOT_FOUND); read one back.  A denunciation's files are read only by
 * its handler (user) and the head, as its lodger's name is. */
void store_record_file_add(const struct writer *w, const char *kind, int64_t owner,
			   const struct attachment_in *in, struct write_result *r);
enum db_status store_record_file_get(struct db *db, int64_t org, const char *kind, int64_t owner,
				     int64_t id, int64_t user, bool head,
				     struct attachment_file *out);
/* A file of a published exemplar, for the public (by the organisation's
 * code). */
enum db_status store_public_exemplar_file(struct db *db, const char *code, int64_t exemplar,
					  int64_t id, struct attachment_file *out);

#endif
