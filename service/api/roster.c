/*
 * roster.c — GET /v1/plans/{id}/roster: the registration roster (danh sách
 * đăng ký thi đua) that the Office sends to the emulation bloc and the
 * province, as JSON or as an Excel workbook (?format=xlsx, laid out by
 * export/roster_book.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "export/roster_book.h"

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
	api_answer_workbook(c, data, len, name, "roster");
}

void plan_roster(struct call *c)
{
	int64_t plan;
	enum api_format format;
	struct db *db;
	if (!api_path_id_or_answer(c, "id", &plan) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_XLSX, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	struct reg_scope scope = api_reg_scope(c);
	char *json = NULL;
	enum db_status st = store_registration_roster(db, c->who.org_id, plan, scope.unit, &json);
	if (st == DB_OK && json && format == API_FORMAT_XLSX) {
		send_xlsx(c, json);
		free(json);
		return;
	}
	api_answer_read(c, st, json);
}
