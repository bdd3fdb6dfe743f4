/*
 * council.h — SQL for the council, its rules, its sessions and their
 * ballot (migration 0023, db/procedures/council.sql).
 */
#ifndef THIDUA_STORE_COUNCIL_H
#define THIDUA_STORE_COUNCIL_H

#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"
#include "store/write.h"

/* Reads: each a new JSON string (NULL: nothing there). */
enum db_status store_council_members(struct db *db, int64_t org_id, struct civil_date on,
				     char **json);
enum db_status store_council_rules(struct db *db, int64_t org_id, struct civil_date on,
				   char **json);
enum db_status store_council_sessions(struct db *db, int64_t org_id, char **json);
enum db_status store_council_session(struct db *db, int64_t org_id, int64_t id, char **json);
/* Closed sessions only. */
enum db_status store_council_ballots(struct db *db, int64_t org_id, int64_t id, char **json);
enum db_status store_council_minutes(struct db *db, int64_t org_id, int64_t id, char **json);
/* The session's secret key in hex while it is in `status` (open: issuing
 * tokens; voting: taking ballots); NULL otherwise.  Any organisation's:
 * a ballot is cast without logging in. */
enum db_status store_council_secret(struct db *db, int64_t id, const char *status, char **hex);

/* Writes (db/procedures/council.sql says what each refuses). */
void store_council_member_add(const struct writer *w, const char *fields, struct write_result *r);
void store_council_session_create(const struct writer *w, const char *fields,
				  struct write_result *r);
void store_council_attendance(const struct writer *w, int64_t id, const char *fields,
			      struct write_result *r);
void store_council_hands(const struct writer *w, int64_t id, const char *fields,
			 struct write_result *r);
/* The steps that name only the session. */
enum council_step {
	COUNCIL_OPEN, /* checks the quorum, freezes the candidates */
	COUNCIL_TOKEN, /* records that the calling member received a token */
	COUNCIL_VOTING, /* no more tokens; ballots are taken */
	COUNCIL_CLOSE, /* publishes the ballots and their commitment */
	COUNCIL_SIGN, /* freezes the minutes: the chair or the secretary */
};
void store_council_step(const struct writer *w, int64_t id, enum council_step step,
			struct write_result *r);
/* Takes a ballot (fields: token, evaluation, votes), with no caller. */
void store_council_cast(struct db *db, const char *request_id, int64_t id, const char *fields,
			struct write_result *r);

#endif
