/*
 * rounds.h — SQL for review rounds and nominations (migration 0012,
 * db/procedures/review_rounds.sql).
 *
 * Writes are single statements with their audit entry.  A nomination's
 * checks (the round still open, its deadline, the subject in the writer's
 * scope and in service in the round's year) are the database's, answered
 * with the member they name (write_checked_row).  Submitting a round to
 * the council reads what its list is computed from and changes its status
 * in one transaction, the round locked, so no nomination slips in between
 * (store_round_submit).
 */
#ifndef THIDUA_STORE_ROUNDS_H
#define THIDUA_STORE_ROUNDS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "domain/eligibility.h"
#include "store/db.h"
#include "store/directory.h"
#include "store/write.h"

void store_round_create(const struct writer *w, const char *fields, struct write_result *r);
enum db_status store_rounds_list(struct db *db, int64_t org_id, char **json);
enum db_status store_round_get(struct db *db, int64_t org_id, int64_t id, char **json);

/* A nomination in round_id by a writer whose scope is s (a unit head
 * nominates in their subtree), on the writer's today (the deadline). */
void store_nomination_create(const struct writer *w, const struct row_scope *s, int64_t round_id,
			     const char *fields, struct write_result *r);
/* Nominations from the registrations of the round's year, in the
 * writer's scope (nominations_from_registrations in rounds.c); the
 * document says how many were created and skipped, and lists the new. */
void store_nominations_from_registrations(const struct writer *w, const struct row_scope *s,
					  int64_t round_id, struct write_result *r);
void store_nomination_override(const struct writer *w, int64_t id, const char *reason,
			       struct write_result *r);
void store_nomination_withdraw(const struct writer *w, const struct row_scope *s, int64_t id,
			       struct write_result *r);

/* The head of the round's list (review_round_head: the round, the rule
 * set in force on its dossier date with its rules, the catalogue), a new
 * string; NULL when the round is not the organisation's. */
enum db_status store_round_head(struct db *db, int64_t org_id, int64_t round_id, char **json);

/* The live nominations of a round that the scope covers, ordered by title
 * then id; strings borrow from res (round_nominations_free frees both). */
struct round_nomination {
	int64_t id;
	const char *award_code;
	const char *subject_kind; /* "staff", "unit" or "household" */
	bool unit; /* a collective */
	bool household; /* a household; neither: a person */
	int64_t staff_id, unit_id, household_id; /* 0 when not that kind */
	const char *name, *achievement;
	const char *override_reason; /* NULL: not overridden */
	const char *override_by, *override_at;
	const char *facts; /* a unit's collective_facts as JSON; NULL for a person */
	/* a person's staff row: start date, leave from, until, kind (NULL: none) */
	const char *person[4];
};
struct round_nominations {
	PGresult *res;
	size_t n;
	struct round_nomination *items;
};
enum db_status store_round_nominations(struct db *db, const struct row_scope *s, int64_t round_id,
				       struct round_nominations *out);
void round_nominations_free(struct round_nominations *n);

/*
 * Submits the round to the council: in one transaction, locks the round,
 * reads its head (store_round_head), asks decide(db, head,
 * ctx) — which may read more in the same transaction, and
 * which answers a write_result of its own when the round may not go (a
 * quota exceeded, a verdict not eligible) and returns false — and else
 * sets the status and writes the audit entry.  r is the outcome.
 */
typedef bool (*round_decide_fn)(struct db *db, const char *inputs, void *ctx,
				struct write_result *r);
void store_round_submit(const struct writer *w, int64_t round_id, round_decide_fn decide, void *ctx,
			struct write_result *r);

#endif
