/*
 * followup.c — following up a reporting period (theo dõi, đôn đốc báo cáo).
 *
 * GET /v1/report-periods/{id}/status: which units reported, which are late,
 * which are missing, with counts (rules in store/reports_followup.c).
 * POST /v1/report-periods/{id}/reminders: the Office records a reminder for
 * units (by default every unit still missing); delivering it comes with the
 * integration hooks of a later issue.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/reports_followup.h"

/*
 * The units a caller follows up: report.read grants the whole organisation
 * to unit heads (they read templates and periods), but the status of the
 * other units is not theirs to see.  A unit head without another role that
 * grants the organisation sees their subtree only (0: every unit, -1: none).
 */
static int64_t status_unit(const struct call *c)
{
	if (c->who.kind != CALLER_USER || !(c->who.roles & ROLE_BIT(ROLE_UNIT_HEAD)))
		return 0;
	role_set others = c->who.roles & ~ROLE_BIT(ROLE_UNIT_HEAD);
	if (access_decide("report.read", others, 0) == SCOPE_ORG)
		return 0;
	return c->who.unit_id > 0 ? c->who.unit_id : -1;
}

void report_period_status(struct call *c)
{
	int64_t period;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &period) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st =
		store_report_status(db, c->who.org_id, period, status_unit(c), api_today(), &json);
	api_answer_read(c, st, json);
}

/* The validated reminder {unit_ids?, message} as text, or NULL answered. */
static char *reminder_text_or_answer(struct call *c)
{
	static const char *const fields[] = { "unit_ids", "message", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *message;
	if (field_has(&v, "unit_ids") && field_id_array(&v, "unit_ids", true, 1000) &&
	    json_array_size(json_object_get(c->body, "unit_ids")) == 0)
		validation_fail(&v, "unit_ids", "must name at least one unit (or be left out)");
	field_nonblank_text(&v, "message", true, 2000, &message);
	if (!api_valid_or_answer(c, &v))
		return NULL;
	return api_json_text_or_answer(c, c->body);
}

void report_period_remind(struct call *c)
{
	int64_t period;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &period))
		return;
	char *text = reminder_text_or_answer(c);
	if (text && api_writer_or_answer(c, &w)) {
		store_report_remind(&w, period, text, &r);
		/* 201 without a Location: reminders are read through the period's status */
		api_answer_write(c, &r, "");
	}
	free(text);
}
