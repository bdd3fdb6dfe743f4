/*
 * year_end.h — SQL for the year's facts (ratings, discipline, cases,
 * leave, initiatives), the awards ledger and the rule sets (migration
 * 0011, db/procedures/year_end.sql).
 *
 * Reads are confined by a struct row_scope, as in directory.h: a person
 * outside it is not found.  Writes are the Office's (organisation scope):
 * one statement each, the change and its audit entry together, answered
 * as a struct write_result whose document is the row written.  A foreign
 * key of another organisation is a broken constraint, answered by its
 * CONSTRAINT row in answers.def.
 */
#ifndef THIDUA_STORE_YEAR_END_H
#define THIDUA_STORE_YEAR_END_H

#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"
#include "store/directory.h"
#include "store/write.h"

/* ---- facts ---------------------------------------------------------------- */

/* The person's facts for `year` (db person_facts): a new string, NULL when
 * the person is not visible. */
enum db_status store_person_facts(struct db *db, const struct row_scope *s, int64_t staff_id,
				  int year, char **json);

/* PUT a person's rating of a year (fields: the validated body as JSON). */
void store_rating_put(const struct writer *w, int64_t staff_id, int year, const char *fields,
		      struct write_result *r);
/* Of the staff ids of the JSON array ids, those of the organisation (a
 * JSON array, new string). */
enum db_status store_staff_ids_known(struct db *db, int64_t org_id, const char *ids, char **json);
/* Writes or replaces every rating of rows (validated documents), all or
 * none; the answer is {"imported": n}. */
void store_ratings_import(const struct writer *w, const char *rows, struct write_result *r);
void store_discipline_create(const struct writer *w, int64_t staff_id, const char *fields,
			     struct write_result *r);
void store_leave_create(const struct writer *w, int64_t staff_id, const char *fields,
			struct write_result *r);
void store_case_create(const struct writer *w, int64_t staff_id, const char *fields,
		       struct write_result *r);
/* Closes an open case on closed_on (not before it was opened: refused). */
void store_case_close(const struct writer *w, int64_t case_id, struct civil_date closed_on,
		      struct write_result *r);
void store_initiative_create(const struct writer *w, const char *fields, struct write_result *r);
/* ?year= (0: all) of the organisation's initiatives. */
enum db_status store_initiatives_list(struct db *db, int64_t org_id, int year, char **json);

/* ---- the awards ledger ---------------------------------------------------- */

void store_award_create(const struct writer *w, const char *fields, struct write_result *r);

struct award_filter {
	int year; /* 0: every year */
	int64_t staff_id; /* 0: anyone */
	int64_t unit_id; /* 0: any unit */
};
/* The ledger as the scope lets the caller see it: the whole organisation,
 * a unit head's subtree (its staff and units), or one's own awards. */
enum db_status store_awards_list(struct db *db, const struct row_scope *s,
				 const struct award_filter *f, char **json);

/* ---- rule sets ------------------------------------------------------------ */

/* The national sets and the organisation's own, with the one in force on
 * `on`; one set with its rules in force (NULL: no such set visible). */
enum db_status store_rule_sets_list(struct db *db, int64_t org_id, struct civil_date on,
				    char **json);
enum db_status store_rule_set_get(struct db *db, int64_t org_id, const char *code, char **json);

/*
 * What a verdict on one person is computed from: {"rule_set": the set in
 * force on `on` with its rules (null when none), "titles": every award
 * kind with its level and names, "facts": person_facts}.
 * NULL when the person is not visible.
 */
enum db_status store_person_eligibility_inputs(struct db *db, const struct row_scope *s,
					       int64_t staff_id, int year, struct civil_date on,
					       char **json);

/* The same for a collective: "facts" is collective_facts (the unit's own
 * ratings and awards, and the person_facts of every member). */
enum db_status store_unit_eligibility_inputs(struct db *db, const struct row_scope *s,
					     int64_t unit_id, int year, struct civil_date on,
					     char **json);

#endif
