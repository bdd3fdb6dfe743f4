/*
 * files.c — files sent as a request's raw body and answered back: a
 * submission's attachments (attachments.c), the files of a case or an
 * exemplar (record_files.c).
 *
 * A file is the body's bytes with its media type as Content-Type (an
 * allow-list), at most 10 MiB, and its name in ?filename= (UTF-8, no '/',
 * no control characters); the service computes the SHA-256.  Read back,
 * it is the exact bytes with the stored type, the file name (RFC 6266)
 * and the digest as ETag.
 */
#include "api/files.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/reply.h"
#include "http/problem.h"
#include "http/validate.h"

#define ATTACHMENT_MAX_BYTES 10485760 /* 10 MiB, as 0006_reports.sql checks */

static const char *const allowed_types[] = {
	"application/pdf",
	"image/png",
	"image/jpeg",
	"text/plain",
	"text/csv",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	NULL,
};

/* The allow-listed media type of a Content-Type header (its parameters,
 * such as charset, dropped), or NULL. */
static const char *media_type_allowed(const char *header)
{
	if (!header)
		return NULL;
	header += strspn(header, " \t");
	size_t len = strcspn(header, ";");
	while (len && (header[len - 1] == ' ' || header[len - 1] == '\t'))
		len--;
	for (size_t i = 0; allowed_types[i]; i++)
		if (strlen(allowed_types[i]) == len &&
		    strncasecmp(header, allowed_types[i], len) == 0)
			return allowed_types[i];
	return NULL;
}

/* Why a file name is refused (an English msgid), or NULL: 1..255
 * characters of UTF-8, no '/' and no control characters (C0, DEL, C1). */
static const char *filename_problem(const char *name)
{
	if (!name || !*name)
		return N_("is required: the file's name, 1 to 255 characters");
	size_t chars = utf8_chars(name);
	if (chars == SIZE_MAX)
		return N_("must be UTF-8");
	if (chars > 255)
		return N_("must be at most 255 characters");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p == '/')
			return N_("must not contain '/'");
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return N_("must not contain control characters");
	}
	return NULL;
}

/* True when the raw query string gives filename a NUL byte (%00), which
 * the decoded value, a C string, would silently cut off. */
static bool filename_has_nul(const char *q)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		if (strncmp(q, "filename=", 9) == 0)
			for (size_t i = 9; i + 2 < len; i++)
				if (q[i] == '%' && q[i + 1] == '0' && q[i + 2] == '0')
					return true;
		q += len + (q[len] == '&');
	}
	return false;
}

/* ?filename=, checked; NULL with the call answered (422). */
static const char *filename_or_answer(struct call *c)
{
	const char *filename = call_query(c, "filename");
	const char *why = filename_has_nul(call_query_string(c))
				  ? N_("must not contain control characters")
				  : filename_problem(filename);
	if (!why)
		return filename;
	struct problem *p = problem_new(P_VALIDATION, "The file name is not acceptable.");
	problem_add_error_text(p, "/query/filename", _(why));
	call_problem(c, p);
	return NULL;
}

/* The body as an attachment's bytes: an allow-listed type, 1 byte to
 * 10 MiB; false with the call answered (415, 413, 400). */
static bool bytes_or_answer(struct call *c, struct attachment_in *in)
{
	in->content_type = media_type_allowed(call_req_header(c, "Content-Type"));
	in->data = call_body(c, &in->len);
	if (!in->content_type)
		call_problem(c,
			     problem_new(P_UNSUPPORTED_MEDIA_TYPE,
					 "Send the file as PDF, PNG, JPEG, plain text, CSV, "
					 "Word (.docx) or Excel (.xlsx), with its Content-Type."));
	else if (in->len > ATTACHMENT_MAX_BYTES)
		call_problem(c,
			     problem_new(P_PAYLOAD_TOO_LARGE, "An attachment is at most %d bytes.",
					 ATTACHMENT_MAX_BYTES));
	else if (in->len == 0)
		call_problem(c,
			     problem_bad_request("", "The body is empty: send the file's bytes."));
	else
		return true;
	return false;
}

bool api_file_in_or_answer(struct call *c, struct attachment_in *in,
			   unsigned char digest[crypto_hash_sha256_BYTES])
{
	if (!(in->filename = filename_or_answer(c)) || !bytes_or_answer(c, in))
		return false;
	crypto_hash_sha256(digest, in->data, in->len);
	in->sha256 = digest;
	return true;
}

/* attachment; filename*=UTF-8''<name percent-encoded> (RFC 6266, RFC 8187):
 * only attr-char stays as it is. */
static void content_disposition(const char *name, char *out, size_t size)
{
	static const char attr[] = "!#$&+-.^_`|~";
	size_t n = (size_t)snprintf(out, size, "attachment; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && n + 4 < size; p++) {
		if ((isalnum(*p) && *p < 0x80) || strchr(attr, *p))
			out[n++] = (char)*p;
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
	}
	out[n] = '\0';
}

void api_answer_stored_file(struct call *c, enum db_status st, struct attachment_file *f,
			    const char *what)
{
	if (st != DB_OK) {
		api_answer_db_failure(c, st, what);
		return;
	}
	if (!f->data) {
		call_problem(c, problem_not_found());
		return;
	}
	char disposition[255 * 4 * 3 + 64]; /* 255 characters of up to 4 bytes, each %XX */
	content_disposition(f->filename, disposition, sizeof disposition);
	call_set_header(c, "Content-Disposition", disposition);
	char etag[70];
	snprintf(etag, sizeof etag, "\"%s\"", f->sha256_hex);
	call_set_header(c, "ETag", etag);
	call_take(c, 200, f->content_type, f->data, f->len);
	f->data = NULL; /* taken */
	attachment_file_clear(f);
}
