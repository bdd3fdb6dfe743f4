/*
 * write.h — the one protocol of every write: who writes (struct writer) and
 * what came of it (struct write_result).
 *
 * A write is one statement (a procedure of db/procedures/, or a statement
 * of a store file) that checks the state, changes it and appends its audit
 * record, so a change and its trace commit together.  Whatever it does, it
 * answers one typed result, and one function of the api layer
 * (api_answer_write) turns every result into an HTTP answer:
 *
 *   WRITE_OK          body: the document; version: its version (ETag, 0
 *                     when unversioned); id: the object's id (Location)
 *   WRITE_REPLAYED    the stored answer of an Idempotency-Key: status,
 *                     location, body, version
 *   WRITE_NOT_FOUND   nothing the caller may see is at that address
 *   WRITE_STALE       If-Match named another version; version: the current
 *   WRITE_REFUSED     a rule refused it: code (a message of the registry,
 *                     answers/answers.def) with args; id and version when
 *                     the message names an object (an existing submission)
 *   WRITE_INVALID     a member is wrong in the current state: pointer, code
 *                     and args
 *   WRITE_CONSTRAINT  the statement broke a constraint: code is its name,
 *                     sqlstate its class (23505 unique, 23503 reference,
 *                     23514 check, 55000 immutable)
 *   WRITE_FAILED      the database failed: db says how (503 or 500)
 *
 * In SQL the same result is the composite type write_result, made by the
 * constructors write_ok(), write_refused(), ... (db/procedures/write_result.sql).
 */
#ifndef THIDUA_STORE_WRITE_H
#define THIDUA_STORE_WRITE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/audit.h"
#include "store/db.h"

/* Who writes, through which connection, on which legal day. */
struct writer {
	struct db *db;
	struct actor actor; /* for the audit trail: from the verified caller */
	struct civil_date today; /* the calendar day in Vietnam */
};

enum write_outcome {
	WRITE_OK,
	WRITE_REPLAYED,
	WRITE_NOT_FOUND,
	WRITE_STALE,
	WRITE_REFUSED,
	WRITE_INVALID,
	WRITE_CONSTRAINT,
	WRITE_FAILED,
};

struct write_result {
	enum write_outcome outcome;
	enum db_status db; /* DB_OK unless WRITE_FAILED */
	char code[64]; /* REFUSED, INVALID: message code; CONSTRAINT: constraint name */
	char sqlstate[6]; /* CONSTRAINT */
	char *pointer; /* INVALID (and REFUSED when it names a member); owned */
	json_t *args; /* message arguments, or NULL; owned */
	char *body; /* OK, REPLAYED: the document; owned */
	int version;
	int64_t id;
	int status; /* REPLAYED: the stored HTTP status */
	char *location; /* REPLAYED: the stored Location, or NULL; owned */
};

/*
 * Runs stmt, whose one row has the columns of write_result (outcome, code,
 * pointer, args, body, version, id, status, location: select them as
 * "SELECT r.* FROM proc(...) r"), into *r.  A failure of the statement
 * becomes WRITE_CONSTRAINT or WRITE_FAILED.  Use the WRITE_RUN macro, which
 * checks the argument count at compile time.
 */
void write_run(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
	       struct write_result *r);
#define WRITE_RUN(db, stmt, r, ...) \
	(DB_ARGC_CHECK(stmt, __VA_ARGS__), write_run((db), &(stmt), DB_ARGS(__VA_ARGS__), (r)))

/*
 * The result of a write statement written in C whose row is (document,
 * version, id[, current version]) — res is taken, NULL when it failed with
 * st: a document is OK; no document but a current version is STALE (the
 * row exists, If-Match named another version); no row is NOT_FOUND.
 */
void write_from_row(struct db *db, PGresult *res, enum db_status st, struct write_result *r);

/*
 * The result of a checked write statement written in C, whose one row is
 * (document, id, version, pointer, code, args): a pointer is the member
 * its checks refused, with the code of a message (answers.def) and its
 * arguments (JSON text); else a document is OK; all NULL is NOT_FOUND.
 * res is taken, NULL when the statement failed with st.
 */
void write_checked_row(struct db *db, PGresult *res, enum db_status st, struct write_result *r);

/* The result of a write whose statement failed with st (after db's last
 * error): a broken constraint, or the failure itself. */
void write_failed(struct db *db, enum db_status st, struct write_result *r);

/* Results made in C, as the SQL constructors make them: OK with body
 * (taken), version and id; a member refused (code of a message, args
 * taken, may be NULL); a rule refused; nothing visible. */
void write_ok(struct write_result *r, char *body, int version, int64_t id);
void write_invalid(struct write_result *r, const char *pointer, const char *code, json_t *args);
void write_refused(struct write_result *r, const char *code, json_t *args);
void write_not_found(struct write_result *r);
void write_stale(struct write_result *r, int current_version);
/* A statement answered something the protocol has no word for: a bug of
 * this build, answered 500. */
void write_unexpected(struct write_result *r);
void write_outcome_set(struct write_result *r, enum write_outcome o, const char *code);

/* Frees what r owns and empties it. */
void write_result_clear(struct write_result *r);

/* The arguments every procedure's write takes first ($1..$4): the actor's
 * organisation, type, id and request id. */
#define WRITER_ARGS(w)                                                                          \
	db_arg_id((w)->actor.org_id), db_arg_text((w)->actor.type), db_arg_text((w)->actor.id), \
		db_arg_text((w)->actor.request_id)

#endif
