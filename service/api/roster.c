/*
 * roster.c — GET /v1/plans/{id}/roster: the registration roster (danh sách
 * đăng ký thi đua) that the Office sends to the emulation bloc and the
 * province, as JSON or as an Excel workbook (?format=xlsx, laid out by
 * export/roster_book.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "http/log.h"
#include "export/roster_book.h"
#include "export/workbook.h"

static void send_xlsx(struct call *c, const char *json)
{
	json_t *doc = json_loads(json, 0, NULL);
	char name[64];
	snprintf(name, sizeof name, "dang-ky-thi-dua-%lld.xlsx",
		 (long long)json_integer_value(
			 json_object_get(json_object_get(doc, "plan"), "year")));
	size_t len = 0;
	char *data = doc ? roster_book_new(doc, &len) : NULL;
	json_decref(doc);
	if (!data) {
		log_msgf(LOG_ERROR, "roster workbook failed (request %s)", c->request_id);
		call_problem(c, problem_new(P_INTERNAL, "The workbook could not be written."));
		return;
	}
	api_answer_file(c, XLSX_TYPE, data, len, name);
}

void plan_roster(struct call *c)
{
	int64_t plan;
	if (!api_path_id(c, "id", &plan))
		return;
	bool xlsx;
	if (!api_format_or_answer(c, &xlsx))
		return;
	struct reg_scope scope = api_reg_scope(c);
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_registration_roster(db, c->who.org_id, plan, scope.unit, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "roster");
	else if (!json)
		call_problem(c, problem_not_found());
	else if (xlsx)
		send_xlsx(c, json);
	else {
		api_send_json_text(c, 200, json);
		json = NULL;
	}
	free(json);
	api_release(c, db);
}
