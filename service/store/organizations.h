/*
 * organizations.h — SQL of a province's agencies made, renamed, closed,
 * merged and split (migration 0044, db/procedures/organizations.sql).
 * The writer's organisation is the province that acts; the procedures
 * refuse agencies that are not its members.
 */
#ifndef THIDUA_STORE_ORGANIZATIONS_H
#define THIDUA_STORE_ORGANIZATIONS_H

#include <stdint.h>

#include "store/db.h"
#include "store/write.h"

/* The agency with its dated changes (a new string); NULL when it is not
 * (and never was) a member of the province org. */
enum db_status store_org_history(struct db *db, int64_t org, int64_t id, char **json);

void store_org_create(const struct writer *w, const char *fields, struct write_result *r);
void store_org_change(const struct writer *w, int64_t id, int version, const char *fields,
		      struct write_result *r);
void store_org_close(const struct writer *w, int64_t id, int version, const char *fields,
		     struct write_result *r);
void store_org_merge(const struct writer *w, const char *fields, struct write_result *r);

#endif
