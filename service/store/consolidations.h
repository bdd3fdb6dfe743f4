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

#include "store/db.h"
#include "store/write.h"

/* Generates a draft consolidation of the period: OK with the consolidation,
 * its id and version, or NOT_FOUND when the period is not the
 * organisation's. */
void store_consolidation_create(const struct writer *w, int64_t period, struct write_result *r);

/* One consolidation (*json) and the organisation's name (*org_name), new
 * strings; both NULL when not visible.  sent_only: drafts are invisible
 * (machine clients read only what the Office sent). */
enum db_status store_consolidation_get(struct db *db, int64_t org, int64_t id, bool sent_only,
				       char **json, char **org_name);

/* draft → sent under If-Match version (fields: sent_on, symbol,
 * signer_name, signer_title, each optional; today the day when sent_on is
 * not given): numbered in the common series, superseding the period's
 * version in force.  OK with the consolidation, NOT_FOUND, STALE with the
 * current version, or REFUSED (consolidation-sent) when that version was
 * already sent. */
void store_consolidation_send(const struct writer *w, int64_t id, int version, const char *fields,
			      struct civil_date today, struct write_result *r);

/* The sent consolidations with feed_seq > after, ascending, at most limit:
 * {"items":[...], "next_cursor": "seq"|null}, null when fewer than limit;
 * *next is that cursor again (a new string, or NULL on the last page). */
enum db_status store_consolidation_feed(struct db *db, int64_t org, int64_t after, long limit,
					char **json, char **next);

/* The consolidations of a report period, newest first, without their
 * documents (sent_only: drafts left out); NULL when the period is not the
 * organisation's.  A new JSON string. */
enum db_status store_consolidations_of_period(struct db *db, int64_t org, int64_t period,
					      bool sent_only, char **json);

#endif
