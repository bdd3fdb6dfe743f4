/*
 * reports_followup.h — following up a reporting period (who reported, who
 * is late, reminders) and the attachments of submissions.
 *
 * Every call names the organisation; a period, submission or attachment of
 * another one is never found.  unit > 0 confines the call to that unit's
 * subtree (a unit head), -1 sees nothing, 0 the whole organisation.  Writes
 * are single statements whose audit record is appended in the same
 * statement, so a change and its record commit together; they answer a
 * struct write_result (store/write.h).
 */
#ifndef THIDUA_STORE_REPORTS_FOLLOWUP_H
#define THIDUA_STORE_REPORTS_FOLLOWUP_H

#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "store/db.h"
#include "store/files.h"
#include "store/write.h"

/* The status document of the period as of today (the calendar day in
 * Vietnam); *json is a new string, NULL when the period is not found. */
enum db_status store_report_status(struct db *db, int64_t org, int64_t period, int64_t unit,
				   struct civil_date today, char **json);

/* Records a reminder per unit.  fields: the validated body {unit_ids?,
 * message}; without unit_ids, every unit that has no submission in state
 * submitted or accepted.  OK with the document {"items": [...]} (no id,
 * no version), NOT_FOUND, or INVALID at /unit_ids when a unit named is not
 * asked to report in the period (then nothing is written). */
void store_report_remind(const struct writer *w, int64_t period, const char *fields,
			 struct write_result *r);

/* Adds an attachment to a submission of unit's subtree (see above) while it
 * is draft or returned and its period open.  sha256: the 32 bytes of the
 * digest of data.  OK with the attachment's document (without its bytes)
 * and its id, NOT_FOUND, REFUSED submission-attach-locked with the
 * submission's status, or REFUSED period-closed. */
void store_attachment_add(const struct writer *w, int64_t submission, int64_t unit,
			  const struct attachment_in *in, struct write_result *r);

/* An attachment read back (store/files.h); data is NULL when it is not
 * found. */
enum db_status store_attachment_get(struct db *db, int64_t org, int64_t submission, int64_t id,
				    int64_t unit, struct attachment_file *out);

#endif
