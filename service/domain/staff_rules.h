/*
 * staff_rules.h — consistency of a staff member's dates and status.
 *
 * Pure.  Used when a record is created or imported: the database's CHECK
 * constraints hold the same invariants as a last line of defence, but only
 * this can tell the client which field is wrong.
 */
#ifndef THIDUA_DOMAIN_STAFF_RULES_H
#define THIDUA_DOMAIN_STAFF_RULES_H

#include <stdbool.h>

#include "domain/calendar.h"

struct staff_dates {
	const char *status; /* "active", "on_leave", "left" */
	struct civil_date start;
	bool has_birth, has_leave_from, has_leave_until, has_left_on;
	struct civil_date birth, leave_from, leave_until, left_on;
};

struct staff_rule_error {
	const char *field; /* the field to point at */
	const char *message; /* an English msgid (static): the caller translates it */
};

/* True when consistent; otherwise err names the first wrong field. */
bool staff_dates_valid(const struct staff_dates *d, struct staff_rule_error *err);

/* Maps the values agencies write in spreadsheets to our codes:
 * "Nam"/"nam"/"male" → "male", "Nữ"/"nữ"/"female" → "female", ... NULL if unknown. */
const char *staff_gender_code(const char *text);
/* "Công chức" → civil_servant, "Viên chức" → public_employee,
 * "Người lao động"/"Hợp đồng" → contract_worker, codes map to themselves. */
const char *staff_employment_code(const char *text);

#endif
