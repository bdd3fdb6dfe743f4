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

#include "api/app.h"
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
	if (!api_path_id(c, "id", &period))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char today[11];
	legacy_today(today);
	char *json = NULL;
	enum db_status st =
		store_report_status(db, c->who.org_id, period, status_unit(c), today, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "report period status");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}

void report_period_remind(struct call *c)
{
	static const char *const fields[] = { "unit_ids", "message", NULL };
	/* 201 without a Location: reminders are read through the period's status */
	static const struct write_answer created = { "", "reminder", "report remind", NULL };
	int64_t period;
	if (!api_path_id(c, "id", &period))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *message;
	if (field_has(&v, "unit_ids") && field_id_array(&v, "unit_ids", true, 1000) &&
	    json_array_size(json_object_get(c->body, "unit_ids")) == 0)
		validation_fail(&v, "unit_ids", "must name at least one unit (or be left out)");
	if (field_text(&v, "message", true, 2000, &message) &&
	    message[strspn(message, " \t\r\n")] == '\0')
		validation_fail(&v, "message", "must not be blank");
	if (!api_valid(c, &v))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *body = json_dumps(c->body, JSON_COMPACT);
	struct step_outcome o;
	enum db_status st = body ? store_report_remind(db, &a, period, body, &o) : DB_ERROR;
	if (!body)
		memset(&o, 0, sizeof o);
	free(body);
	api_answer_step(c, db, st, &o, &created);
	api_release(c, db);
}
