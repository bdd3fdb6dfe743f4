/*
 * proposals.h — SQL for proposals to the province (migration 0026,
 * db/procedures/proposals.sql).
 */
#ifndef THIDUA_STORE_PROPOSALS_H
#define THIDUA_STORE_PROPOSALS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* Reads: each a new JSON string (NULL: nothing there). */
enum db_status store_proposals(struct db *db, int64_t org_id, char **json);
enum db_status store_proposal(struct db *db, int64_t org_id, int64_t id, char **json);

/* Drafts a proposal from a signed council session (fields: session_id,
 * symbol, title, recipient, place, signer_name, signer_title, grounds). */
void store_proposal_create(const struct writer *w, const char *fields, struct write_result *r);
/* Signs and sends its cover letter at version (fields: sent_on). */
void store_proposal_send(const struct writer *w, int64_t id, int version, const char *fields,
			 struct write_result *r);
/* Records the province's answers (fields: items). */
void store_proposal_answer(const struct writer *w, int64_t id, const char *fields,
			   struct write_result *r);

#endif
