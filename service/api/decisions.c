/*
 * decisions.c — commendation decisions (quyết định khen thưởng).
 *
 * GET /v1/decisions, POST /v1/decisions, GET /v1/decisions/{id},
 * POST /v1/decisions/{id}/sign, POST /v1/decisions/{id}/revocations.
 * The Office drafts a decision from a council session whose minutes are
 * signed: it holds the candidates the council approved for the titles and
 * forms the agency decides, never a list from the body.  The head of the
 * agency signs it: the service gives it the next number of the issuer's
 * year (Decree 30/2020), writes every award into the ledger with its
 * bonus on the base salary of the decision's date, and with paid_on pays
 * the bonuses from the fund, in one transaction
 * (db/procedures/decisions.sql).  The head also revokes an award (thu
 * hồi): the ledger keeps it, marked, and the money and items are due back
 * on a day counted in working days.  A signed decision is also answered
 * printed (?format=pdf) and its list as a workbook (?format=xlsx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/registry.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "export/decision_book.h"
#include "export/decision_pdf.h"
#include "export/pdf.h"
#include "http/validate.h"
#include "store/decisions.h"

void decisions_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *text = NULL;
	if (!db)
		return;
	enum db_status st = store_decisions(db, c->who.org_id, &text);
	api_answer_read(c, st, text);
}

/* The signed decision id of the caller's organisation, parsed — with its
 * item at position alone when position > 0; NULL with the answer sent
 * (404, 409 for a draft, the database's failure). */
static json_t *signed_decision_or_answer(struct call *c, int64_t id, int64_t position)
{
	struct db *db = api_db_or_answer(c);
	char *text = NULL;
	if (!db)
		return NULL;
	enum db_status st = position > 0
				    ? store_decision_item(db, c->who.org_id, id, position, &text)
				    : store_decision(db, c->who.org_id, id, &text);
	json_t *doc = st == DB_OK && text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (st != DB_OK || !doc) {
		api_answer_read(c, st, NULL);
		json_decref(doc);
		return NULL;
	}
	if (strcmp(json_string_value(json_object_get(doc, "status")), "signed") != 0) {
		call_problem(
			c, problem_from_message(message_find("decision-not-printed"), NULL, NULL));
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The signed decision printed (export/decision_pdf.c). */
static void answer_pdf(struct call *c, const json_t *doc, int64_t id)
{
	size_t len = 0;
	char *data = decision_pdf_new(doc, &len);
	char name[64];
	snprintf(name, sizeof name, "quyet-dinh-%lld.pdf", (long long)id);
	api_answer_pdf(c, data, len, name);
}

/* Its list as a workbook (export/decision_book.c), headed in the
 * request's language. */
static void answer_xlsx(struct call *c, const json_t *doc, int64_t id)
{
	size_t len = 0;
	char *data = decision_book_new(doc, &len);
	char name[64];
	snprintf(name, sizeof name, "quyet-dinh-%lld.xlsx", (long long)id);
	api_answer_workbook(c, data, len, name, "decision");
}

/* GET /v1/decisions/{id}?format=json|pdf|xlsx: the document; printed or as
 * a workbook once signed. */
void decision_get(struct call *c)
{
	int64_t id;
	enum api_format format;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_PDF | API_FORMAT_XLSX, &format))
		return;
	if (format == API_FORMAT_JSON) {
		if (!(db = api_db_or_answer(c)))
			return;
		enum db_status st = store_decision(db, c->who.org_id, id, &text);
		api_answer_document(c, st, text);
		return;
	}
	json_t *doc = signed_decision_or_answer(c, id, 0);
	if (!doc)
		return;
	if (format == API_FORMAT_XLSX)
		answer_xlsx(c, doc, id);
	else
		answer_pdf(c, doc, id);
	json_decref(doc);
}

/* GET /v1/decisions/{id}/certificates/{position}: the certificate of one
 * award of a signed decision, not revoked. */
void decision_certificate(struct call *c)
{
	int64_t id, position;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_path_id_or_answer(c, "position", &position))
		return;
	if (position > 100000) {
		call_problem(c, problem_not_found());
		return;
	}
	json_t *doc = signed_decision_or_answer(c, id, position);
	if (!doc)
		return;
	const json_t *item = NULL, *it;
	size_t i;
	json_array_foreach(json_object_get(doc, "items"), i, it)
	{
		if (json_integer_value(json_object_get(it, "position")) == position)
			item = it;
	}
	if (!item) {
		call_problem(c, problem_not_found());
		json_decref(doc);
		return;
	}
	if (!json_is_null(json_object_get(item, "revoked_on"))) {
		json_t *args = json_pack("{s:O}", "on", json_object_get(item, "revoked_on"));
		call_problem(
			c, problem_from_message(message_find("decision-item-revoked"), NULL, args));
		json_decref(args);
		json_decref(doc);
		return;
	}
	size_t len = 0;
	char *data = certificate_pdf_new(doc, (long)position, &len);
	char name[80];
	snprintf(name, sizeof name, "giay-chung-nhan-%lld-%lld.pdf", (long long)id,
		 (long long)position);
	json_decref(doc);
	api_answer_pdf(c, data, len, name);
}

void decision_create(struct call *c)
{
	static const char *const fields[] = { "session_id",  "symbol",	     "title",	"place",
					      "signer_name", "signer_title", "grounds", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	api_document_head_valid(&v);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_decision_create(&w, body, &r);
	free(body);
	api_answer_write(c, &r, "/v1/decisions");
}

void decision_sign(struct call *c)
{
	static const char *const fields[] = { "decided_on", "paid_on", "override_reason", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	const char *s;
	field_date(&v, "decided_on", true, &d, text);
	field_date(&v, "paid_on", false, &d, text);
	field_string(&v, "override_reason", false, 1, 2000, &s);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_decision_sign(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void decision_revoke(struct call *c)
{
	static const char *const fields[] = { "position", "revoked_on", "reason",
					      "document", "case_id",	NULL };
	int64_t id, position, case_id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	const char *s;
	field_int(&v, "position", true, 1, 100000, &position);
	field_date(&v, "revoked_on", true, &d, text);
	if (field_text(&v, "reason", true, 2000, &s) && !s[strspn(s, " \t\r\n")])
		validation_fail(&v, "reason", "must say why");
	field_string(&v, "document", false, 1, 200, &s);
	if (api_field_given(&v, "case_id"))
		field_id(&v, "case_id", false, &case_id);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_decision_revoke(&w, id, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}
