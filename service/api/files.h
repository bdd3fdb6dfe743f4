/*
 * files.h — files sent as a raw body and answered back (see files.c).
 */
#ifndef THIDUA_API_FILES_H
#define THIDUA_API_FILES_H

#include <stdbool.h>

#include "http/call.h"
#include "store/db.h"
#include "store/files.h"

/* The body as a file named by ?filename=: its name checked, its type
 * allow-listed, 1 byte to 10 MiB, its SHA-256 in digest (in->sha256
 * points there); false with the call answered (422, 415, 413, 400). */
bool api_file_in_or_answer(struct call *c, struct attachment_in *in, unsigned char digest[32]);

/* Answers a file read back (st and f from the store; what names the
 * operation in the log): its bytes, or 404 when f holds none.  Takes
 * f's bytes and clears it. */
void api_answer_stored_file(struct call *c, enum db_status st, struct attachment_file *f,
			    const char *what);

#endif
