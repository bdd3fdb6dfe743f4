/*
 * calendar.c — the working-day calendar (lịch ngày làm việc).
 *
 * GET /v1/calendar/{year}: the year's working days and its exceptions —
 * public holidays, Tết, days given for holidays that fell on a weekend,
 * swapped days — each with its source and mark (migration 0025).  Every
 * clock the service counts in working days (the return of money and items
 * after a revocation) counts on it; a year not entered says so
 * (complete: false), and then only its weekends are skipped.
 */
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "store/calendar.h"

void calendar_get(struct call *c)
{
	int year;
	struct db *db;
	char *text = NULL;
	if (!api_path_year_or_answer(c, &year) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_calendar(db, year, &text);
	api_answer_read(c, st, text);
}
