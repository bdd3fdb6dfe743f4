/*
 * council.c — SQL for the council and its sessions (see council.h).
 */
#include "store/council.h"

/* clang-format off */
DB_STATEMENT(members, "SELECT council_members_json($1::bigint, $2::date)::text", 2);
DB_STATEMENT(rules, "SELECT council_rules_json($1::bigint, $2::date)::text", 2);
DB_STATEMENT(sessions, "SELECT council_sessions_json($1::bigint)::text", 1);
DB_STATEMENT(session, "SELECT council_session_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(ballots, "SELECT council_ballots_json($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(minutes, "SELECT council_minutes_get($1::bigint, $2::bigint)::text", 2);
DB_STATEMENT(secret,
	"SELECT encode(council_ballot_secret($1::bigint, $2), 'hex')", 2);

DB_STATEMENT(member_add,
	"SELECT r.* FROM council_member_add($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(session_create,
	"SELECT r.* FROM council_session_create($1::bigint, $2, $3, $4, $5::jsonb) r", 5);
DB_STATEMENT(attendance,
	"SELECT r.* FROM council_attendance_put($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) r",
	6);
DB_STATEMENT(hands,
	"SELECT r.* FROM council_hands_put($1::bigint, $2, $3, $4, $5::bigint, $6::jsonb) r", 6);
DB_STATEMENT(open_,
	"SELECT r.* FROM council_session_open($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(voting,
	"SELECT r.* FROM council_session_voting($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(close_,
	"SELECT r.* FROM council_session_close($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(sign,
	"SELECT r.* FROM council_minutes_sign($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(token,
	"SELECT r.* FROM council_token_issue($1::bigint, $2, $3, $4, $5::bigint) r", 5);
DB_STATEMENT(cast,
	"SELECT r.* FROM council_ballot_cast($1, $2::bigint, $3::jsonb) r", 3);
/* clang-format on */

enum db_status store_council_members(struct db *db, int64_t org_id, struct civil_date on,
				     char **json)
{
	return DB_FETCH_TEXT(db, members, json, db_arg_id(org_id), db_arg_date(on));
}

enum db_status store_council_rules(struct db *db, int64_t org_id, struct civil_date on, char **json)
{
	return DB_FETCH_TEXT(db, rules, json, db_arg_id(org_id), db_arg_date(on));
}

enum db_status store_council_sessions(struct db *db, int64_t org_id, char **json)
{
	return DB_FETCH_TEXT(db, sessions, json, db_arg_id(org_id));
}

enum db_status store_council_session(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, session, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_council_ballots(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, ballots, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_council_minutes(struct db *db, int64_t org_id, int64_t id, char **json)
{
	return DB_FETCH_TEXT(db, minutes, json, db_arg_id(org_id), db_arg_id(id));
}

enum db_status store_council_secret(struct db *db, int64_t id, const char *status, char **hex)
{
	return DB_FETCH_TEXT(db, secret, hex, db_arg_id(id), db_arg_text(status));
}

void store_council_member_add(const struct writer *w, const char *fields, struct write_result *r)
{
	WRITE_RUN(w->db, member_add, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_council_session_create(const struct writer *w, const char *fields,
				  struct write_result *r)
{
	WRITE_RUN(w->db, session_create, r, WRITER_ARGS(w), db_arg_text(fields));
}

void store_council_attendance(const struct writer *w, int64_t id, const char *fields,
			      struct write_result *r)
{
	WRITE_RUN(w->db, attendance, r, WRITER_ARGS(w), db_arg_id(id), db_arg_text(fields));
}

void store_council_hands(const struct writer *w, int64_t id, const char *fields,
			 struct write_result *r)
{
	WRITE_RUN(w->db, hands, r, WRITER_ARGS(w), db_arg_id(id), db_arg_text(fields));
}

void store_council_step(const struct writer *w, int64_t id, enum council_step step,
			struct write_result *r)
{
	/* each takes the writer and the session: five parameters */
	static struct db_stmt *const stmts[] = {
		[COUNCIL_OPEN] = &open_,   [COUNCIL_TOKEN] = &token, [COUNCIL_VOTING] = &voting,
		[COUNCIL_CLOSE] = &close_, [COUNCIL_SIGN] = &sign,
	};
	write_run(w->db, stmts[step], DB_ARGS(WRITER_ARGS(w), db_arg_id(id)), r);
}

void store_council_cast(struct db *db, const char *request_id, int64_t id, const char *fields,
			struct write_result *r)
{
	WRITE_RUN(db, cast, r, db_arg_text(request_id), db_arg_id(id), db_arg_text(fields));
}
