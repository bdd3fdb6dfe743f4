/*
 * cases.h — SQL for complaints, denunciations and petitions (migration
 * 0030, db/procedures/cases.sql).
 */
#ifndef THIDUA_STORE_CASES_H
#define THIDUA_STORE_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"
#include "store/write.h"

/* The kinds of a case, as the cases table allows them (migration 0030):
 * complaint, denunciation, petition; NULL-terminated. */
extern const char *const lodged_case_kinds[];

/* Who reads a case: a denunciation's lodger is shown only to its handler
 * (user) and the head of the agency (head). */
struct case_reader {
	int64_t user; /* 0: a machine or nobody */
	bool head;
	struct civil_date today; /* against which "overdue" is counted */
};

/* The cases of filter ("open", "overdue", "due_soon", "all"); one case.
 * Each a new JSON string. */
enum db_status store_cases(struct db *db, int64_t org_id, const char *filter,
			   const struct case_reader *r, char **json);
enum db_status store_case(struct db *db, int64_t org_id, int64_t id, const struct case_reader *r,
			  char **json);

/* Records a case (fields as POST /v1/cases takes them). */
void store_case_lodge(const struct writer *w, const char *fields, const struct case_reader *cr,
		      struct write_result *r);
/* A step of a case at version (fields: on, reason, outcome,
 * handler_user_id). */
void store_case_step(const struct writer *w, int64_t id, int version, const char *step,
		     const char *fields, const struct case_reader *cr, struct write_result *r);

/* A case lodged by the public to the organisation of code, from the
 * client address_key, at most per_day a day from it (fields: kind,
 * summary, about, decision, lodger_name, lodger_contact); the answer is
 * a receipt. */
void store_case_lodge_public(struct db *db, const char *code, const char *address_key,
			     unsigned per_day, const char *fields, struct civil_date today,
			     const unsigned char *proof, int64_t expires, const char *request_id,
			     struct write_result *r);

#endif
