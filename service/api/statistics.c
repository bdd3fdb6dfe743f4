/*
 * statistics.c — the statistics forms of emulation and commendation of a
 * report year (issue 14 §3): Circular 02/2023/TT-BNV, forms 0601 to
 * 0605.N/BNV-TĐKT, due on 15 December.
 *
 * GET /v1/statistics/{year}?format=json|xlsx.  The forms are counted from
 * the caller's organisation's own records (db/procedures/statistics.sql);
 * a province's are the roll-up of its own and those of the agencies it
 * groups on the period's last day, so a province's portal reads the whole
 * province in one call and an agency reads only its own.  The regime (the
 * circular, its period and due day, the forms' rows and columns) is the
 * one in force on the year's due day: a year no regime governs is 404
 * with the reason.
 */
#include <stdio.h>
#include <stdlib.h>

#include "answers/registry.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "export/statistics_book.h"
#include "store/statistics.h"

static void answer_no_regime(struct call *c, int year)
{
	char text[8];
	snprintf(text, sizeof text, "%d", year);
	json_t *args = json_pack("{s:s}", "year", text);
	call_problem(c, problem_from_message(message_find("no-statistics-regime"), NULL, args));
	json_decref(args);
}

static void answer_xlsx(struct call *c, const char *json, int year)
{
	json_t *doc = json_loads(json, 0, NULL);
	size_t len = 0;
	char *data = doc ? statistics_book_new(doc, &len) : NULL;
	json_decref(doc);
	char name[64];
	snprintf(name, sizeof name, "bieu-thong-ke-tdkt-%d.xlsx", year);
	api_answer_workbook(c, data, len, name, "statistics");
}

void statistics_get(struct call *c)
{
	int year;
	enum api_format format;
	struct db *db;
	if (!api_path_year_or_answer(c, &year) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_XLSX, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	char *json = NULL;
	enum db_status st = store_statistics(db, c->who.org_id, year, &json);
	if (st == DB_OK && !json)
		answer_no_regime(c, year);
	else if (st == DB_OK && format == API_FORMAT_XLSX)
		answer_xlsx(c, json, year);
	else {
		api_answer_read(c, st, json);
		json = NULL;
	}
	free(json);
}
