/*
 * council.c — the emulation and commendation council (Hội đồng thi đua –
 * khen thưởng): its members, its working rules, its sessions and their
 * secret ballot.
 *
 * GET/POST /v1/council-members, GET /v1/council-rules,
 * GET/POST /v1/council-sessions, GET /v1/council-sessions/{id},
 * PUT .../attendance, POST .../open, POST .../tokens, POST .../voting,
 * POST .../ballots, PUT .../hands, POST .../close, GET .../ballots,
 * GET .../minutes, POST .../minutes/sign.
 *
 * The Office (the council's standing body) convenes a session on the
 * submitted rounds, records attendance and opens it once the quorum is
 * met; each member present, or absent and voting in writing, obtains one
 * blindly evaluated token (auth/ballot.c) while logged in, and casts the
 * ballot later without logging in, the token as its only credential; the
 * Office closes the vote, which publishes every ballot and counts it, and
 * the chair or the secretary signs the minutes.  Membership is data: a
 * role lets an account reach a route, its term on the council on the
 * session's day lets it vote or sign (db/procedures/council.sql).  The
 * protocol and its limits: docs/ballot.md.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "answers/registry.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/ballot.h"
#include "export/council_pdf.h"
#include "http/validate.h"
#include "store/council.h"

/* Ballots and memberships have no route of their own: 201 without
 * Location. */
#define NO_COLLECTION ""
#define MAX_ITEMS 500 /* members, candidates: a council is tens of people */
#define MAX_VOTE_KEY 19

static const char *const council_roles[] = { "chair", "vice_chair", "secretary", "member", NULL };
static const char *const attendances[] = { "present", "written", "absent", NULL };

static void answer_message(struct call *c, const char *code, const char *pointer, json_t *args)
{
	call_problem(c, problem_from_message(message_find(code), pointer, args));
	json_decref(args);
}

/* Sends the text of a read, or, when the read found nothing, 404 for a
 * session that is not there and 409 for one not yet closed. */
static void answer_closed_read(struct call *c, struct db *db, int64_t id, enum db_status st,
			       char *text)
{
	if (st != DB_OK || text) {
		api_answer_read(c, st, text);
		return;
	}
	char *session = NULL;
	st = store_council_session(db, c->who.org_id, id, &session);
	json_t *doc = st == DB_OK && session ? json_loads(session, 0, NULL) : NULL;
	free(session);
	if (st != DB_OK || !doc) {
		api_answer_read(c, st, NULL);
		json_decref(doc);
		return;
	}
	answer_message(c, "council-session-state", NULL,
		       json_pack("{s:O}", "status", json_object_get(doc, "status")));
	json_decref(doc);
}

/* ---- members and rules ------------------------------------------------- */

void council_members_list(struct call *c)
{
	struct civil_date on;
	bool given;
	struct db *db;
	char *text = NULL;
	if (!api_query_date_or_answer(c, "on", &on, &given) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_council_members(db, c->who.org_id, on, &text);
	api_answer_read(c, st, text);
}

void council_member_create(struct call *c)
{
	static const char *const fields[] = { "user_id",     "council_role",	"valid_from",
					      "valid_until", "source_document", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	int64_t user;
	const char *role, *s;
	struct civil_date from = { 0 }, until;
	char text[11];
	field_id(&v, "user_id", true, &user);
	field_enum(&v, "council_role", true, council_roles, &role);
	bool has_from = field_date(&v, "valid_from", true, &from, text);
	if (api_field_given(&v, "valid_until") && !field_is_null(&v, "valid_until") &&
	    field_date(&v, "valid_until", false, &until, text) && has_from &&
	    civil_days(until) < civil_days(from))
		validation_fail(&v, "valid_until", "must not be before valid_from");
	field_string(&v, "source_document", false, 0, 300, &s);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_council_member_add(&w, body, &r);
	free(body);
	api_answer_write(c, &r, NO_COLLECTION);
}

void council_rules_list(struct call *c)
{
	struct civil_date on;
	bool given;
	struct db *db;
	char *text = NULL;
	if (!api_query_date_or_answer(c, "on", &on, &given) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_council_rules(db, c->who.org_id, on, &text);
	api_answer_read(c, st, text);
}

/* ---- sessions ---------------------------------------------------------- */

void council_sessions_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *text = NULL;
	if (!db)
		return;
	enum db_status st = store_council_sessions(db, c->who.org_id, &text);
	api_answer_read(c, st, text);
}

void council_session_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_council_session(db, c->who.org_id, id, &text);
	api_answer_document(c, st, text);
}

/* The body with the session's key pair, drawn here and never from the
 * caller: a new string, or NULL when out of memory. */
static char *with_new_key(const json_t *body)
{
	unsigned char secret[BALLOT_BYTES], key[BALLOT_BYTES];
	char secret_hex[BALLOT_HEX_LEN], key_hex[BALLOT_HEX_LEN];
	ballot_keypair(secret, key);
	ballot_hex(secret, secret_hex);
	ballot_hex(key, key_hex);
	json_t *fields = json_deep_copy(body);
	char *text = NULL;
	if (fields && json_object_set_new(fields, "ballot_secret", json_string(secret_hex)) == 0 &&
	    json_object_set_new(fields, "ballot_key", json_string(key_hex)) == 0)
		text = json_dumps(fields, JSON_COMPACT);
	json_decref(fields);
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(secret_hex, sizeof secret_hex);
	return text;
}

void council_session_create(struct call *c)
{
	static const char *const fields[] = { "name", "held_on", "place", "round_ids", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_string(&v, "name", true, 1, 300, &s);
	field_date(&v, "held_on", true, &d, text);
	field_string(&v, "place", false, 0, 300, &s);
	field_id_array(&v, "round_ids", true, 50);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = with_new_key(c->body);
	if (!body) {
		call_problem(c, problem_internal());
		return;
	}
	struct write_result r;
	store_council_session_create(&w, body, &r);
	sodium_memzero(body, strlen(body));
	free(body);
	api_answer_write(c, &r, "/v1/council-sessions");
}

/* Validates items i of an array body member into v, with check. */
static void validate_items(struct validation *v, const char *name,
			   void (*check)(struct validation *, size_t, const json_t *))
{
	const json_t *items;
	if (!field_array(v, name, true, MAX_ITEMS, &items))
		return;
	size_t i;
	const json_t *item;
	json_array_foreach(items, i, item)
	{
		check(v, i, item);
	}
}

static void check_attendance(struct validation *v, size_t i, const json_t *item)
{
	static const char *const fields[] = { "member_id", "status", NULL };
	char name[32];
	snprintf(name, sizeof name, "items/%zu", i);
	if (!json_is_object(item)) {
		validation_fail(v, name, "must be an object");
		return;
	}
	struct validation iv;
	validation_begin(&iv, item, fields);
	int64_t id;
	const char *status;
	field_id(&iv, "member_id", true, &id);
	field_enum(&iv, "status", true, attendances, &status);
	validation_nest(v, &iv, name);
}

static void check_hands(struct validation *v, size_t i, const json_t *item)
{
	static const char *const fields[] = { "nomination_id", "yes", "no", NULL };
	char name[32];
	snprintf(name, sizeof name, "items/%zu", i);
	if (!json_is_object(item)) {
		validation_fail(v, name, "must be an object");
		return;
	}
	struct validation iv;
	validation_begin(&iv, item, fields);
	int64_t n;
	field_id(&iv, "nomination_id", true, &n);
	field_int(&iv, "yes", true, 0, 1000, &n);
	field_int(&iv, "no", true, 0, 1000, &n);
	validation_nest(v, &iv, name);
}

typedef void (*items_store)(const struct writer *, int64_t, const char *, struct write_result *);

/* PUT of a list of items on a session: attendance, or a show of hands. */
static void put_items(struct call *c, void (*check)(struct validation *, size_t, const json_t *),
		      items_store store)
{
	static const char *const fields[] = { "items", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_items(&v, "items", check);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store(&w, id, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void council_attendance_put(struct call *c)
{
	put_items(c, check_attendance, store_council_attendance);
}

void council_hands_put(struct call *c)
{
	put_items(c, check_hands, store_council_hands);
}

static void session_step(struct call *c, enum council_step step)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct write_result r;
	store_council_step(&w, id, step, &r);
	api_answer_write(c, &r, NULL);
}

void council_session_open(struct call *c)
{
	session_step(c, COUNCIL_OPEN);
}

void council_session_voting(struct call *c)
{
	session_step(c, COUNCIL_VOTING);
}

void council_session_close(struct call *c)
{
	session_step(c, COUNCIL_CLOSE);
}

void council_minutes_sign(struct call *c)
{
	session_step(c, COUNCIL_SIGN);
}

/* ---- the ballot -------------------------------------------------------- */

/* A hex member of 32 bytes into out; false with the error recorded. */
static bool field_bytes32(struct validation *v, const char *name, unsigned char *out)
{
	const char *s = NULL;
	if (!field_string(v, name, true, 1, 2 * BALLOT_BYTES, &s))
		return false;
	if (ballot_hex_decode(s, out))
		return true;
	validation_fail(v, name, "must be 64 hexadecimal digits (32 bytes)");
	return false;
}

/* The session's key while it is in status, into secret; false with the
 * answer sent (404, 409 with the status it is in, or the database's). */
static bool secret_or_answer(struct call *c, struct db *db, int64_t id, const char *status,
			     unsigned char secret[BALLOT_BYTES])
{
	char *hex = NULL;
	enum db_status st = store_council_secret(db, id, status, &hex);
	bool ok = st == DB_OK && hex && ballot_hex_decode(hex, secret);
	if (hex) {
		sodium_memzero(hex, strlen(hex));
		free(hex);
	}
	if (ok)
		return true;
	if (st != DB_OK)
		api_answer_db_failure(c, st, "council session");
	else if (!strcmp(status, "voting"))
		/* an unauthenticated caller learns no more than that */
		answer_message(c, "council-not-voting", NULL, NULL);
	else
		answer_closed_read(c, db, id, DB_OK, NULL);
	return false;
}

/* POST /v1/council-sessions/{id}/tokens {blinded}: the calling member's
 * blinded element, evaluated under the session's key, once. */
void council_token_create(struct call *c)
{
	static const char *const fields[] = { "blinded", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	unsigned char blinded[BALLOT_BYTES], secret[BALLOT_BYTES], z[BALLOT_BYTES];
	field_bytes32(&v, "blinded", blinded);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w) ||
	    !secret_or_answer(c, w.db, id, "open", secret))
		return;
	/* evaluated before the token is recorded: a bad element must not
	 * spend the member's one token */
	bool ok = ballot_evaluate(secret, blinded, z);
	sodium_memzero(secret, sizeof secret);
	if (!ok) {
		answer_message(c, "council-blinded-invalid", "/blinded", NULL);
		return;
	}
	struct write_result r;
	store_council_step(&w, id, COUNCIL_TOKEN, &r);
	if (r.outcome != WRITE_OK) {
		api_answer_write(c, &r, NULL);
		return;
	}
	write_result_clear(&r);
	char hex[BALLOT_HEX_LEN];
	ballot_hex(z, hex);
	call_json(c, 200, json_pack("{s:I, s:s}", "session_id", (json_int_t)id, "evaluation", hex));
}

static bool is_choice(const char *s)
{
	return s && (strcmp(s, "yes") == 0 || strcmp(s, "no") == 0);
}

/* votes: {"<nomination id>": "yes" | "no"}; a candidate left out is a
 * blank on this ballot. */
static void check_votes(struct validation *v)
{
	const json_t *votes;
	if (!field_object(v, "votes", true, &votes))
		return;
	if (json_object_size(votes) > MAX_ITEMS) {
		validation_fail(v, "votes", "has too many candidates");
		return;
	}
	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)votes, key, value)
	{
		char name[32];
		size_t n = strlen(key);
		snprintf(name, sizeof name, "votes/%.*s", MAX_VOTE_KEY, key);
		if (n < 1 || n >= MAX_VOTE_KEY || key[0] == '0' || strspn(key, "0123456789") != n)
			validation_fail(v, "votes", "must be keyed by nomination ids");
		else if (!is_choice(json_string_value(value)))
			validation_fail(v, name, "must be \"yes\" or \"no\"");
	}
}

/* POST /v1/council-sessions/{id}/ballots {token, evaluation, votes}:
 * public; the token is the credential. */
void council_ballot_cast(struct call *c)
{
	static const char *const fields[] = { "token", "evaluation", "votes", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	unsigned char token[BALLOT_BYTES], evaluation[BALLOT_BYTES], secret[BALLOT_BYTES];
	bool have = field_bytes32(&v, "token", token);
	have = field_bytes32(&v, "evaluation", evaluation) && have;
	check_votes(&v);
	struct db *db;
	if (!api_valid_or_answer(c, &v) || !(db = api_db_or_answer(c)) ||
	    !secret_or_answer(c, db, id, "voting", secret))
		return;
	bool ok = have && ballot_check(secret, id, token, evaluation);
	sodium_memzero(secret, sizeof secret);
	if (!ok) {
		answer_message(c, "council-token-invalid", "/evaluation", NULL);
		return;
	}
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_council_cast(db, c->request_id, id, body, &r);
	free(body);
	api_answer_write(c, &r, NO_COLLECTION);
}

void council_ballots_list(struct call *c)
{
	int64_t id;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_council_ballots(db, c->who.org_id, id, &text);
	answer_closed_read(c, db, id, st, text);
}

/* ?format=pdf: the minutes printed (export/council_pdf.c). */
void council_minutes_get(struct call *c)
{
	int64_t id;
	enum api_format format;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_PDF, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_council_minutes(db, c->who.org_id, id, &text);
	if (format != API_FORMAT_PDF || st != DB_OK || !text) {
		answer_closed_read(c, db, id, st, text);
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "bien-ban-hoi-dong-%lld.pdf", (long long)id);
	api_answer_printed(c, text, minutes_pdf_new, name);
}
