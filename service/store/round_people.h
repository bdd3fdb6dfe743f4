/*
 * round_people.h — the people of a review round's nominations, as the
 * eligibility engine reads them: their staff rows (read with the
 * nominations, store/rounds.h) and their facts, packed one row per person
 * (staff_facts, migration 0014; the format in db/procedures/
 * staff_facts.sql), parsed into the engine's structures.
 */
#ifndef THIDUA_STORE_ROUND_PEOPLE_H
#define THIDUA_STORE_ROUND_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/eligibility.h"
#include "store/db.h"
#include "store/rounds.h"

/*
 * The people of nominations `noms` (read by store_round_nominations, in
 * the caller's scope), as the eligibility engine reads them: their staff
 * rows (from noms) and their facts for `year`, one packed row each, read
 * in one statement.  Sorted by staff id; the arrays of each person point
 * into pools that round_people owns.
 */
struct round_people {
	size_t n;
	int64_t *ids; /* ascending */
	struct elig_person *people; /* people[i] is ids[i] */
	struct elig_year *years;
	struct elig_discipline *disciplines;
	struct elig_leave *leaves;
	struct elig_case *cases;
	struct elig_initiative *initiatives;
	struct elig_award *awards;
	struct elig_registration *registrations;
};
enum db_status store_round_people(struct db *db, int64_t org_id,
				  const struct round_nominations *noms, int year,
				  struct round_people *out);
void round_people_free(struct round_people *p);
/* The person of staff_id, or NULL. */
const struct elig_person *round_person(const struct round_people *p, int64_t staff_id);

#endif
