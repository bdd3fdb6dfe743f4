/*
 * files.c — files kept in PostgreSQL (see files.h).
 */
#include "store/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
DB_STATEMENT(add_stmt,
	"SELECT r.* FROM record_file_add($1::bigint, $2, $3, $4, $5, $6::bigint, $7, $8,"
	" $9::bytea, $10::bytea) r", 10);
/* Result columns (binary): content type, filename, sha256, bytes. */
DB_STATEMENT(get_stmt,
	"SELECT f.content_type, f.filename, f.sha256, f.data FROM record_files f"
	" LEFT JOIN cases c ON f.owner_kind = 'case' AND c.id = f.owner_id"
	" WHERE f.organization_id = $1::bigint AND f.owner_kind = $2 AND f.owner_id = $3::bigint"
	" AND f.id = $4::bigint"
	" AND (c.id IS NULL OR case_secret_readable(c, nullif($5::bigint, 0), $6::boolean))", 6);
DB_STATEMENT(public_stmt,
	"SELECT f.content_type, f.filename, f.sha256, f.data FROM record_files f"
	" JOIN organizations o ON o.id = f.organization_id"
	" JOIN exemplars e ON e.id = f.owner_id AND e.status = 'published'"
	" WHERE o.code = $1 AND f.owner_kind = 'exemplar' AND f.owner_id = $2::bigint"
	" AND f.id = $3::bigint", 3);
/* clang-format on */

/* A copy of a binary result value, NUL-terminated (for text columns). */
static char *value_copy(PGresult *res, int col, size_t *len)
{
	size_t n = (size_t)PQgetlength(res, 0, col);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, PQgetvalue(res, 0, col), n);
	out[n] = '\0';
	if (len)
		*len = n;
	return out;
}

enum db_status attachment_file_from(PGresult *res, struct attachment_file *out)
{
	memset(out, 0, sizeof *out);
	if (PQntuples(res) != 1 || PQnfields(res) != 4 || PQgetlength(res, 0, 2) != 32)
		return DB_OK;
	const unsigned char *h = (const unsigned char *)PQgetvalue(res, 0, 2);
	for (size_t k = 0; k < 32; k++)
		snprintf(out->sha256_hex + 2 * k, 3, "%02x", h[k]);
	out->content_type = value_copy(res, 0, NULL);
	out->filename = value_copy(res, 1, NULL);
	out->data = value_copy(res, 3, &out->len);
	if (!out->content_type || !out->filename || !out->data) {
		attachment_file_clear(out);
		return DB_ERROR;
	}
	return DB_OK;
}

void attachment_file_clear(struct attachment_file *f)
{
	free(f->content_type);
	free(f->filename);
	free(f->data);
	memset(f, 0, sizeof *f);
}

void store_record_file_add(const struct writer *w, const char *kind, int64_t owner,
			   const struct attachment_in *in, struct write_result *r)
{
	if (in->len > 0x7fffffff) {
		memset(r, 0, sizeof *r);
		write_unexpected(r); /* libpq lengths are int; the handler caps far below */
		return;
	}
	WRITE_RUN(w->db, add_stmt, r, WRITER_ARGS(w), db_arg_text(kind), db_arg_id(owner),
		  db_arg_text(in->filename), db_arg_text(in->content_type),
		  db_arg_bytes(in->sha256, 32), db_arg_bytes(in->data, in->len));
}

/* Runs a file's read and keeps its one row. */
static enum db_status read_file(PGresult *res, enum db_status st, struct attachment_file *out)
{
	memset(out, 0, sizeof *out);
	if (!res)
		return st;
	st = attachment_file_from(res, out);
	PQclear(res);
	return st;
}

enum db_status store_record_file_get(struct db *db, int64_t org, const char *kind, int64_t owner,
				     int64_t id, int64_t user, bool head,
				     struct attachment_file *out)
{
	enum db_status st;
	PGresult *res =
		DB_EXEC_FORMAT(db, get_stmt, 1, &st, db_arg_id(org), db_arg_text(kind),
			       db_arg_id(owner), db_arg_id(id), db_arg_id(user), db_arg_bool(head));
	return read_file(res, st, out);
}

enum db_status store_public_exemplar_file(struct db *db, const char *code, int64_t exemplar,
					  int64_t id, struct attachment_file *out)
{
	enum db_status st;
	PGresult *res = DB_EXEC_FORMAT(db, public_stmt, 1, &st, db_arg_text(code),
				       db_arg_id(exemplar), db_arg_id(id));
	return read_file(res, st, out);
}
