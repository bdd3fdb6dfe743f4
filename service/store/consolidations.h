/*
 * consolidations.h — the agency's consolidated report of a reporting period
 * (báo cáo tổng hợp) and the feed of the sent ones.
 *
 * The document is computed by PostgreSQL with numeric (exact) arithmetic
 * from each unit's submission in status submitted or accepted, and stored
 * with its audit record in the same statement (consolidations.c says how
 * each aggregate is computed).  Reads return JSON text made by PostgreSQL.
 * Every call names the organisation: another organisation's rows are never
 * found.
 */
#ifndef THIDUA_STORE_CONSOLIDATIONS_H
#define THIDUA_STORE_CONSOLIDATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/steps.h"

/* Generates a draft consolidation of the period; *json is a new string, or
 * NULL when the period is not the organisation's. */
enum db_status store_consolidation_create(struct db *db, const struct actor *a, int64_t period,
					  char **json);

/* One consolidation (*json) and the organisation's name (*org_name), new
 * strings; both NULL when not visible.  sent_only: drafts are invisible
 * (machine clients read only what the Office sent). */
enum db_status store_consolidation_get(struct db *db, int64_t org, int64_t id, bool sent_only,
				       char **json, char **org_name);

/* draft → sent under If-Match version: outcome "ok" (body: the consolidation),
 * "not_found", "stale" (current: the version) or "consolidation-sent". */
enum db_status store_consolidation_send(struct db *db, const struct actor *a, int64_t id,
					int version, struct step_outcome *o);

/* The sent consolidations with feed_seq > after, ascending, at most limit:
 * {"items":[...], "next_cursor": "seq"|null}, null when fewer than limit. */
enum db_status store_consolidation_feed(struct db *db, int64_t org, int64_t after, long limit,
					char **json);

#endif
