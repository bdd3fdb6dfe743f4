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

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
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

/* What a verification found, typed. */
struct audit_verdict {
	bool ok;
	int64_t checked; /* entries */
	int stripe; /* the first broken link, when !ok */
	int64_t seq;
	char reason[48]; /* a value of AuditVerification.reason; "" when ok */
};
/* Reads the document store_audit_verify answers (doc borrowed); false when
 * it is not one. */
bool store_audit_verdict_read(const json_t *doc, struct audit_verdict *v);
/* store_audit_verify, typed. */
enum db_status store_audit_verify_verdict(struct db *db, int64_t org_id, struct audit_verdict *v);

/*
 * The periodic verification of every organisation's chain (migration 0046,
 * jobs/audit_watch.c), all in one transaction of the caller's:
 * store_audit_run_claim takes the run's advisory lock if no other
 * transaction holds it (pg_try_advisory_xact_lock: released at the end of
 * the transaction, as PgBouncer in transaction mode requires) and reads the
 * last run; then each organisation's chain is verified; then
 * store_audit_run_finish records the run.
 *
 * *due: the lock is ours and the last complete run ended interval_s ago or
 * more (or none did).  *finished_at: that end, Unix seconds; 0 when none.
 */
enum db_status store_audit_run_claim(struct db *db, unsigned interval_s, bool *due,
				     int64_t *finished_at);
/* Every organisation's id, ascending: *ids a new array of *n (free it). */
enum db_status store_audit_organizations(struct db *db, int64_t **ids, size_t *n);
/* *finished_at: the end recorded, Unix seconds. */
enum db_status store_audit_run_finish(struct db *db, int64_t organizations, int64_t broken,
				      int64_t *finished_at);

#endif
