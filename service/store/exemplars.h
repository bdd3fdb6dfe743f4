/*
 * exemplars.h — SQL for advanced exemplars (migration 0029,
 * db/procedures/exemplars.sql).
 */
#ifndef THIDUA_STORE_EXEMPLARS_H
#define THIDUA_STORE_EXEMPLARS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* A page of the organisation's exemplars, newest first, after the id
 * after (0: from the start); one exemplar.  Each a new JSON string. */
enum db_status store_exemplars(struct db *db, int64_t org_id, int64_t after, long limit,
			       char **json);
enum db_status store_exemplar(struct db *db, int64_t org_id, int64_t id, char **json);

/* Records an exemplar (fields as POST /v1/exemplars takes them). */
void store_exemplar_create(const struct writer *w, const char *fields, struct write_result *r);
/* Publishes it (step "publish"; fields: published_on, consent_on) or
 * withdraws it (step "withdraw"), at version. */
void store_exemplar_step(const struct writer *w, int64_t id, int version, const char *name,
			 const char *fields, struct write_result *r);

#endif
