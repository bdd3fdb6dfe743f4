/*
 * decisions.h — SQL for commendation decisions (migration 0024,
 * db/procedures/decisions.sql).
 */
#ifndef THIDUA_STORE_DECISIONS_H
#define THIDUA_STORE_DECISIONS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* Reads: each a new JSON string (NULL: nothing there). */
enum db_status store_decisions(struct db *db, int64_t org_id, char **json);
enum db_status store_decision(struct db *db, int64_t org_id, int64_t id, char **json);
/* The decision's head and its item at position alone (a certificate). */
enum db_status store_decision_item(struct db *db, int64_t org_id, int64_t id, int64_t position,
				   char **json);

/* Drafts a decision from a signed council session (fields: session_id,
 * symbol, title, place, signer_name, signer_title, grounds). */
void store_decision_create(const struct writer *w, const char *fields, struct write_result *r);
/* Signs it (fields: decided_on, paid_on, override_reason) at version. */
void store_decision_sign(const struct writer *w, int64_t id, int version, const char *fields,
			 struct write_result *r);

/* Revokes an award of a signed decision (fields: position, revoked_on,
 * reason, document). */
void store_decision_revoke(const struct writer *w, int64_t id, const char *fields,
			   struct write_result *r);

#endif
