/*
 * params.h — what a handler reads from a request beyond its body: path
 * ids, If-Match, pages and cursors, formats, the reason of a workflow step,
 * and the caller's confinement.
 *
 * Every *_or_answer helper answers the call itself (400, 404, 412, 422,
 * 428) and returns false or NULL when the input is unusable.
 */
#ifndef THIDUA_API_PARAMS_H
#define THIDUA_API_PARAMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "http/call.h"
#include "http/validate.h"
#include "store/cases.h"
#include "store/directory.h"
#include "store/plans.h"
#include "store/records.h"

/* A numeric path id; 404 when it is not one (an id that cannot exist
 * names nothing). */
bool api_path_id_or_answer(struct call *c, const char *name, int64_t *id);
/* The organisation's code of a /public/v1/{org} path, as migration 0002
 * allows it; anything else is no organisation (404), not a bad request:
 * the path names nothing. */
const char *api_org_code_or_answer(struct call *c);
/* If-Match: exactly "N"; 428 when absent, 412 when it names no version. */
bool api_if_match_or_answer(struct call *c, int *version);
/* The problem of a validation that failed, answered. */
bool api_valid_or_answer(struct call *c, struct validation *v);

/* ?name= as a whole number in [min, max], def when absent. */
bool api_query_int_or_answer(struct call *c, const char *name, long min, long max, long def,
			     long *out);
/* ?limit= (1..100, default def). */
bool api_limit_or_answer(struct call *c, long def, long *limit);
/* ?cursor= as an id from next_cursor; 0 when absent. */
bool api_cursor_or_answer(struct call *c, int64_t *after);
/* ?cursor= as a sort key (base64url of a JSON array [given_name,
 * full_name, id]); the first page's key when absent.  New reference. */
json_t *api_key_cursor_or_answer(struct call *c);
/* ?limit=, ?plan_id= and ?cursor= ("YYYY-MM-DD.id") of a dated list; date
 * holds the cursor's date, which pg borrows. */
bool api_dated_page_or_answer(struct call *c, struct dated_page *pg, char date[11]);
/* The answers a document can be given in (?format=); a handler allows a
 * set of them, e.g. API_FORMAT_JSON | API_FORMAT_XLSX. */
enum api_format {
	API_FORMAT_JSON = 1 << 0, /* the document itself, the default */
	API_FORMAT_PDF = 1 << 1,
	API_FORMAT_XLSX = 1 << 2,
};
/* ?format= one of allowed (a set of two or more enum api_format, JSON
 * among them), JSON when absent; anything else is answered 400 with the
 * pointer /query/format ("must be json, pdf or xlsx"). */
bool api_format_or_answer(struct call *c, unsigned allowed, enum api_format *format);
/* The head of a document the agency issues from a council session
 * (decisions, proposals): session_id, symbol (the part after the number),
 * title, place, signer_name, signer_title and grounds, checked into v. */
void api_document_head_valid(struct validation *v);
/* Answers 400 "Invalid query parameter." with the pointer /query/<name>
 * and detail (an English msgid, translated here). */
void api_answer_bad_query(struct call *c, const char *name, const char *detail);
/* ?name= as a date (YYYY-MM-DD); today in Vietnam when absent (*given
 * tells which). */
bool api_query_date_or_answer(struct call *c, const char *name, struct civil_date *out,
			      bool *given);
/* The year of a path ({year}): 2000..2100, else nothing is named (404). */
bool api_path_year_or_answer(struct call *c, int *year);
/* ?year= (2000..2100, 0 when absent). */
bool api_year_or_answer(struct call *c, int *year);

/* The body of a workflow step: {reason} (1..2000 characters, not blank)
 * when wanted, else no member at all.  *reason borrows from the body. */
bool api_step_reason_or_answer(struct call *c, bool wanted, const char **reason);
/* j (the validated body, or part of it) as compact JSON text for the
 * store: a new string, or NULL with the call answered (500). */
char *api_json_text_or_answer(struct call *c, const json_t *j);
/* A body member that is present and not null. */
bool api_field_given(const struct validation *v, const char *name);

/* Today in Asia/Ho_Chi_Minh. */
struct civil_date api_today(void);
/* The actor of the audit trail: the verified caller (borrowed strings). */
struct actor api_actor(const struct call *c);
/* The caller's confinement for staff and records. */
/* Who reads a case, or a record that carries a case's secrets (a
 * denouncer's name, a denunciation's files): the calling account and
 * whether it is the head of the agency; today in Vietnam. */
struct case_reader api_case_reader(const struct call *c);
struct row_scope api_scope(const struct call *c);
/* The caller's confinement for plans, registrations and reports: a unit
 * head's subtree or a staff member's own record (-1: nothing is visible). */
struct reg_scope api_reg_scope(const struct call *c);

/* Each element of the array member name checked by check (an object's
 * validation, its errors nested under /name/i); the array must hold at
 * most max objects. */
void api_each_object(struct validation *v, const char *name, bool required, size_t max,
		     const char *const *fields, void (*check)(struct validation *));

#endif
