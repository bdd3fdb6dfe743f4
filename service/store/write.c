/*
 * write.c — reading write results (see write.h).
 */
#include "store/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of the SQL type write_result, in its order. */
enum {
	W_OUTCOME,
	W_CODE,
	W_POINTER,
	W_ARGS,
	W_BODY,
	W_VERSION,
	W_ID,
	W_STATUS,
	W_LOCATION,
	W_COLUMNS
};

static const char *const outcome_names[] = {
	[WRITE_OK] = "ok",
	[WRITE_REPLAYED] = "replayed",
	[WRITE_NOT_FOUND] = "not_found",
	[WRITE_STALE] = "stale",
	[WRITE_REFUSED] = "refused",
	[WRITE_INVALID] = "invalid",
	[WRITE_CONSTRAINT] = "constraint",
	[WRITE_FAILED] = "failed",
};

void write_outcome_set(struct write_result *r, enum write_outcome o, const char *code)
{
	r->outcome = o;
	snprintf(r->code, sizeof r->code, "%s", code ? code : "");
}

void write_ok(struct write_result *r, char *body, int version, int64_t id)
{
	write_outcome_set(r, WRITE_OK, NULL);
	r->body = body;
	r->version = version;
	r->id = id;
}

void write_invalid(struct write_result *r, const char *pointer, const char *code, json_t *args)
{
	write_outcome_set(r, WRITE_INVALID, code);
	r->pointer = strdup(pointer ? pointer : "");
	r->args = args;
}

void write_refused(struct write_result *r, const char *code, json_t *args)
{
	write_outcome_set(r, WRITE_REFUSED, code);
	r->args = args;
}

void write_not_found(struct write_result *r)
{
	write_outcome_set(r, WRITE_NOT_FOUND, NULL);
}

void write_stale(struct write_result *r, int current_version)
{
	write_outcome_set(r, WRITE_STALE, NULL);
	r->version = current_version;
}

void write_unexpected(struct write_result *r)
{
	write_result_clear(r);
	r->db = DB_ERROR;
	write_outcome_set(r, WRITE_FAILED, NULL);
}

void write_failed(struct db *db, enum db_status st, struct write_result *r)
{
	const char *state = db_last_sqlstate(db);
	r->db = st;
	/* class 23 (integrity) and 55000 (an immutable row, raised by triggers)
	 * are the caller's doing, not the database's: they have answers */
	if (st == DB_ERROR && (strncmp(state, "23", 2) == 0 || strcmp(state, "55000") == 0)) {
		write_outcome_set(r, WRITE_CONSTRAINT, db_last_constraint(db));
		snprintf(r->sqlstate, sizeof r->sqlstate, "%s", state);
		r->db = DB_OK;
		return;
	}
	write_outcome_set(r, WRITE_FAILED, NULL);
}

/* The columns of a write statement written in C (write_from_row). */
enum { WR_BODY, WR_VERSION, WR_ID, WR_CURRENT };

void write_from_row(struct db *db, PGresult *res, enum db_status st, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	if (!res) {
		write_failed(db, st, r);
		return;
	}
	bool row = PQntuples(res) == 1;
	if (row && !PQgetisnull(res, 0, WR_BODY)) {
		char *body = db_get_text_new(res, 0, WR_BODY);
		if (body)
			write_ok(r, body, (int)db_get_int(res, 0, WR_VERSION),
				 db_get_int(res, 0, WR_ID));
		else /* out of memory */
			write_failed(db, DB_ERROR, r);
	} else if (row && PQnfields(res) > WR_CURRENT && !PQgetisnull(res, 0, WR_CURRENT)) {
		write_stale(r, (int)db_get_int(res, 0, WR_CURRENT));
	} else {
		write_not_found(r);
	}
	PQclear(res);
}

static char *text_of(const PGresult *res, int col)
{
	return db_get_text_new(res, 0, col);
}

/* Reads the one row of a write_result; false when it is not one. */
static bool read_row(const PGresult *res, struct write_result *r)
{
	if (PQntuples(res) != 1 || PQnfields(res) != W_COLUMNS || PQgetisnull(res, 0, W_OUTCOME))
		return false;
	const char *o = PQgetvalue(res, 0, W_OUTCOME);
	size_t k = 0;
	while (k < sizeof outcome_names / sizeof outcome_names[0] &&
	       strcmp(o, outcome_names[k]) != 0)
		k++;
	if (k == WRITE_CONSTRAINT || k == WRITE_FAILED ||
	    k == sizeof outcome_names / sizeof outcome_names[0])
		return false;
	write_outcome_set(r, (enum write_outcome)k, PQgetvalue(res, 0, W_CODE));
	r->pointer = text_of(res, W_POINTER);
	if (!PQgetisnull(res, 0, W_ARGS))
		r->args = json_loads(PQgetvalue(res, 0, W_ARGS), 0, NULL);
	r->body = text_of(res, W_BODY);
	r->version = (int)db_get_int(res, 0, W_VERSION);
	r->id = db_get_int(res, 0, W_ID);
	r->status = (int)db_get_int(res, 0, W_STATUS);
	r->location = text_of(res, W_LOCATION);
	/* the code names a message: REFUSED and INVALID need one */
	return (r->outcome != WRITE_REFUSED && r->outcome != WRITE_INVALID) || r->code[0];
}

void write_run(struct db *db, struct db_stmt *stmt, const struct db_arg *args, size_t n,
	       struct write_result *r)
{
	memset(r, 0, sizeof *r);
	enum db_status st;
	PGresult *res = db_exec(db, stmt, args, n, &st);
	if (!res) {
		write_failed(db, st, r);
		return;
	}
	bool ok = read_row(res, r);
	PQclear(res);
	if (!ok)
		write_unexpected(r);
}

void write_result_clear(struct write_result *r)
{
	free(r->pointer);
	json_decref(r->args);
	free(r->body);
	free(r->location);
	memset(r, 0, sizeof *r);
}

/* The columns of a checked write's row (write_checked_row). */
enum write_col { WC_BODY, WC_ID, WC_VERSION, WC_POINTER, WC_CODE, WC_ARGS, WC_COUNT };

void write_checked_row(struct db *db, PGresult *res, enum db_status st, struct write_result *r)
{
	memset(r, 0, sizeof *r);
	if (!res) {
		write_failed(db, st, r);
		return;
	}
	if (PQntuples(res) != 1 || PQnfields(res) != WC_COUNT) {
		PQclear(res);
		write_unexpected(r);
		return;
	}
	if (!PQgetisnull(res, 0, WC_POINTER)) {
		const char *args =
			PQgetisnull(res, 0, WC_ARGS) ? NULL : PQgetvalue(res, 0, WC_ARGS);
		write_invalid(r, PQgetvalue(res, 0, WC_POINTER), PQgetvalue(res, 0, WC_CODE),
			      args ? json_loads(args, 0, NULL) : NULL);
	} else if (PQgetisnull(res, 0, WC_BODY)) {
		write_not_found(r);
	} else {
		write_ok(r, db_get_text_new(res, 0, WC_BODY), (int)db_get_int(res, 0, WC_VERSION),
			 db_get_int(res, 0, WC_ID));
	}
	PQclear(res);
}
