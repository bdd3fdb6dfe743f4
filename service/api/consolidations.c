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
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "export/consolidation_book.h"
#include "http/log.h"
#include "http/validate.h"
#include "store/consolidations.h"

/* The workbook of a consolidation (json as read), in the request's
 * language, or 500. */
static void answer_xlsx(struct call *c, const char *json, const char *org)
{
	json_t *k = json_loads(json, 0, NULL);
	const json_t *doc = json_object_get(k, "document");
	char name[64];
	snprintf(name, sizeof name, "tong-hop-bao-cao-%lld.xlsx",
		 (long long)json_integer_value(json_object_get(k, "period_id")));
	size_t len = 0;
	char *data = doc ? consolidation_book_new(doc, org, &len) : NULL;
	json_decref(k);
	api_answer_workbook(c, data, len, name, "consolidation");
}

/* ---- handlers ------------------------------------------------------------- */

/* POST /v1/report-periods/{id}/consolidations — a new draft from what the
 * units submitted so far. */
void consolidation_create(struct call *c)
{
	int64_t period;
	struct writer w;
	struct write_result r;
	if (api_path_id_or_answer(c, "id", &period) && api_writer_or_answer(c, &w)) {
		store_consolidation_create(&w, period, &r);
		api_answer_write(c, &r, "/v1/consolidations");
	}
}

/* GET /v1/consolidations/{id}?format=json|xlsx */
void consolidation_get(struct call *c)
{
	int64_t id;
	enum api_format format;
	struct db *db;
	char *json = NULL, *org = NULL;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_XLSX, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	bool sent_only = c->who.kind == CALLER_CLIENT;
	enum db_status st = store_consolidation_get(db, c->who.org_id, id, sent_only, &json, &org);
	if (st == DB_OK && json && format == API_FORMAT_XLSX) {
		answer_xlsx(c, json, org);
		free(json);
	} else {
		api_answer_document(c, st, json);
	}
	free(org);
}

/* GET /v1/report-periods/{id}/consolidations — every version the Office
 * made of a period's report, newest first: which was sent, which
 * superseded; a machine client sees the sent ones only, as it reads
 * them one by one. */
void period_consolidations(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	bool sent_only = c->who.kind == CALLER_CLIENT;
	enum db_status st = store_consolidations_of_period(db, c->who.org_id, id, sent_only, &json);
	api_answer_document(c, st, json);
}

/* The optional body of a send: its date (not after today), the symbol of
 * its number, who signs it. */
static bool send_fields_valid(struct call *c)
{
	static const char *const fields[] = { "sent_on", "symbol", "signer_name", "signer_title",
					      NULL };
	if (!c->body)
		return true;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	if (api_field_given(&v, "sent_on") && field_date(&v, "sent_on", false, &d, text) &&
	    civil_days(d) > civil_days(api_today()))
		validation_fail(&v, "sent_on", "must not be after today");
	if (api_field_given(&v, "symbol"))
		field_string(&v, "symbol", false, 1, 60, &s);
	if (api_field_given(&v, "signer_name"))
		field_string(&v, "signer_name", false, 1, 200, &s);
	if (api_field_given(&v, "signer_title"))
		field_string(&v, "signer_title", false, 0, 200, &s);
	return api_valid_or_answer(c, &v);
}

/* POST /v1/consolidations/{id}/send — draft → sent, into the feed, with
 * its number of the common series; the period's version sent before is
 * superseded by it. */
void consolidation_send(struct call *c)
{
	int64_t id;
	int version;
	struct writer w;
	struct write_result r;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version) ||
	    !send_fields_valid(c) || !api_writer_or_answer(c, &w))
		return;
	char *body = c->body ? api_json_text_or_answer(c, c->body) : strdup("{}");
	if (!body) {
		if (!c->body)
			call_problem(c, problem_internal());
		return;
	}
	store_consolidation_send(&w, id, version, body, api_today(), &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

/* GET /v1/integration/consolidations?after=SEQ&limit=N — the sent
 * consolidations after a feed position, oldest first. */
void consolidations_feed(struct call *c)
{
	long limit, after;
	struct db *db;
	char *json = NULL, *next = NULL;
	if (!api_limit_or_answer(c, 20, &limit) ||
	    !api_query_int_or_answer(c, "after", 0, LONG_MAX, 0, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_consolidation_feed(db, c->who.org_id, after, limit, &json, &next);
	if (st == DB_OK && next) {
		/* the feed's own cursor is ?after=, not the ?cursor= of api_answer_page */
		char link[200];
		snprintf(link, sizeof link, "<%s?after=%s&limit=%ld>; rel=\"next\"", c->path, next,
			 limit);
		call_set_header(c, "Link", link);
	}
	free(next);
	api_answer_read(c, st, json);
}
