/*
 * consolidations.c — the agency's consolidated report of a reporting period
 * (báo cáo tổng hợp) for the provincial Emulation–Commendation Committee and
 * the head of the emulation bloc.
 *
 * POST /v1/report-periods/{id}/consolidations generates a draft from the
 * units' submitted or accepted reports (the arithmetic is SQL, in
 * store/consolidations.c); GET /v1/consolidations/{id} answers it as JSON or
 * as an Excel workbook (?format=xlsx); POST /v1/consolidations/{id}/send
 * marks it sent (If-Match), which puts it in the feed GET
 * /v1/integration/consolidations?after=SEQ that provincial and bloc systems
 * poll.  Machine clients see sent consolidations only: a draft is the
 * Office's work in progress, and answers 404 to them.
 * The workbook is laid out by export/consolidation_book.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "export/consolidation_book.h"
#include "export/workbook.h"
#include "http/log.h"
#include "http/validate.h"
#include "store/consolidations.h"

static const struct write_answer consolidation_created = { "/v1/consolidations", "consolidation",
							   "consolidation create", NULL };
static const struct write_answer consolidation_written = { NULL, "consolidation",
							   "consolidation send", NULL };

static void send_xlsx(struct call *c, const char *json, const char *org)
{
	json_t *k = json_loads(json, 0, NULL);
	const json_t *doc = json_object_get(k, "document");
	char name[64];
	snprintf(name, sizeof name, "tong-hop-bao-cao-%lld.xlsx",
		 (long long)json_integer_value(json_object_get(k, "period_id")));
	size_t len = 0;
	char *data = doc ? consolidation_book_new(doc, org, &len) : NULL;
	json_decref(k);
	if (!data) {
		log_msgf(LOG_ERROR, "consolidation workbook failed (request %s)", c->request_id);
		call_problem(c, problem_new(P_INTERNAL, "The workbook could not be written."));
		return;
	}
	api_answer_file(c, XLSX_TYPE, data, len, name);
}

/* ---- handlers ------------------------------------------------------------- */

/* POST /v1/report-periods/{id}/consolidations — a new draft from what the
 * units submitted so far. */
void consolidation_create(struct call *c)
{
	int64_t period;
	if (!api_path_id(c, "id", &period))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *json = NULL;
	enum db_status st = store_consolidation_create(db, &a, period, &json);
	legacy_answer_write(c, db, st, json, 0, &consolidation_created);
	api_release(c, db);
}

/* GET /v1/consolidations/{id}?format=json|xlsx */
void consolidation_get(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	bool xlsx;
	if (!api_format_or_answer(c, &xlsx))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL, *org = NULL;
	bool sent_only = c->who.kind == CALLER_CLIENT;
	enum db_status st = store_consolidation_get(db, c->who.org_id, id, sent_only, &json, &org);
	if (st != DB_OK)
		api_fail_db(c, db, st, "consolidation");
	else if (!json)
		call_problem(c, problem_not_found());
	else if (xlsx)
		send_xlsx(c, json, org);
	else {
		api_send_versioned(c, 200, json);
		json = NULL; /* taken */
	}
	free(json);
	free(org);
	api_release(c, db);
}

/* POST /v1/consolidations/{id}/send — draft → sent, into the feed. */
void consolidation_send(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	struct step_outcome o;
	enum db_status st = store_consolidation_send(db, &a, id, version, &o);
	api_answer_step(c, db, st, &o, &consolidation_written);
	api_release(c, db);
}

/* GET /v1/integration/consolidations?after=SEQ&limit=N — the sent
 * consolidations after a feed position, oldest first. */
void consolidations_feed(struct call *c)
{
	long limit, after;
	struct problem *p = NULL;
	if (!query_int(c, "limit", 1, 100, 20, &limit, &p) ||
	    !query_int(c, "after", 0, LONG_MAX, 0, &after, &p)) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_consolidation_feed(db, c->who.org_id, after, limit, &json);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "consolidation feed");
	} else {
		json_t *page = json ? json_loads(json, 0, NULL) : NULL;
		const char *next = json_string_value(json_object_get(page, "next_cursor"));
		if (next) {
			char link[200];
			snprintf(link, sizeof link, "<%s?after=%s&limit=%ld>; rel=\"next\"",
				 c->path, next, limit);
			call_set_header(c, "Link", link);
		}
		json_decref(page);
		api_send_json_text(c, 200, json);
	}
	api_release(c, db);
}
