/*
 * audit.h — the append-only, hash-chained audit trail (see
 * db/procedures/audit_chain.sql).
 *
 * Writes call store_audit_append inside the transaction of the change (or
 * use audit_append() in the same SQL statement), so a change and its record
 * commit or roll back together.
 */
#ifndef THIDUA_STORE_AUDIT_H
#define THIDUA_STORE_AUDIT_H

#include <stdint.h>

#include "store/db.h"

/* Who acts: from the verified caller, never from a request body. */
struct actor {
	int64_t org_id;
	const char *type; /* "user", "client" or "system" */
	const char *id; /* "12", "portal" */
	const char *request_id;
};

/* before/after: JSON text or NULL. */
enum db_status store_audit_append(struct db *db, const struct actor *a, const char *action,
				  const char *entity_type, const char *entity_id,
				  const char *before_json, const char *after_json);

struct audit_filter {
	int64_t org_id;
	const char *entity_type; /* NULL: any */
	const char *entity_id; /* NULL: any */
	const char *action; /* NULL: any */
	int64_t before_id; /* keyset: rows with id < this; 0: from the newest */
	long limit;
};
/* A page as JSON text {"items":[...], "next_cursor": "id"|null}; new string. */
enum db_status store_audit_list(struct db *db, const struct audit_filter *f, char **json);

/* Recomputes every stripe's chain; JSON text {"ok":bool,"checked":n,
 * "first_broken_seq":n|null,"first_broken_stripe":n|null,...}. */
enum db_status store_audit_verify(struct db *db, int64_t org_id, char **json);

#endif
