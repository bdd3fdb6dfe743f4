/*
 * proposals.c — proposals to the province (tờ trình đề nghị khen thưởng).
 *
 * GET /v1/proposals, POST /v1/proposals, GET /v1/proposals/{id},
 * POST /v1/proposals/{id}/send, POST /v1/proposals/{id}/answers.
 * What the agency does not decide itself — provincial and State titles
 * and forms — the council's approvals send to the province in a dossier
 * (domain.md §5.2): the cover letter, each candidate's achievement and the
 * council's result for it.  The Office drafts it from a session whose
 * minutes are signed, the head signs the cover letter (the next number of
 * the issuer's year, as a decision's), and the Office records the
 * province's answer candidate by candidate: an accepted one enters the
 * ledger with the province's decision (db/procedures/proposals.sql).
 * Permissions are the decisions': the same people do the same work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "export/council_pdf.h"
#include "http/validate.h"
#include "store/proposals.h"

#define MAX_ANSWERS 1000

static const char *const outcomes[] = { "accepted", "refused", NULL };

void proposals_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *text = NULL;
	if (!db)
		return;
	enum db_status st = store_proposals(db, c->who.org_id, &text);
	api_answer_read(c, st, text);
}

/* ?format=pdf: the cover letter and its list printed
 * (export/council_pdf.c); a draft prints with its number left blank. */
void proposal_get(struct call *c)
{
	int64_t id;
	enum api_format format;
	struct db *db;
	char *text = NULL;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_PDF, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_proposal(db, c->who.org_id, id, &text);
	if (format != API_FORMAT_PDF || st != DB_OK || !text) {
		api_answer_document(c, st, text);
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "to-trinh-%lld.pdf", (long long)id);
	api_answer_printed(c, text, proposal_pdf_new, name);
}

void proposal_create(struct call *c)
{
	static const char *const fields[] = { "session_id",   "symbol",	 "title",
					      "recipient",    "place",	 "signer_name",
					      "signer_title", "grounds", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	api_document_head_valid(&v);
	field_string(&v, "recipient", true, 1, 300, &s);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_proposal_create(&w, body, &r);
	free(body);
	api_answer_write(c, &r, "/v1/proposals");
}

void proposal_send(struct call *c)
{
	static const char *const fields[] = { "sent_on", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	struct civil_date d;
	char text[11];
	field_date(&v, "sent_on", true, &d, text);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_proposal_send(&w, id, version, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

/* One answer of the province: accepted with its decision (number, date,
 * who decided), or refused with the reason. */
static void check_answer(struct validation *v, size_t i, const json_t *item)
{
	static const char *const fields[] = {
		"position", "outcome", "decision_number", "decision_date", "decided_by",
		"reason",   NULL
	};
	char name[32];
	snprintf(name, sizeof name, "items/%zu", i);
	if (!json_is_object(item)) {
		validation_fail(v, name, "must be an object");
		return;
	}
	struct validation iv;
	validation_begin(&iv, item, fields);
	int64_t n;
	const char *outcome = NULL, *s;
	struct civil_date d;
	char text[11];
	field_int(&iv, "position", true, 1, 100000, &n);
	field_enum(&iv, "outcome", true, outcomes, &outcome);
	bool accepted = outcome && strcmp(outcome, "accepted") == 0;
	bool refused = outcome && strcmp(outcome, "refused") == 0;
	field_string(&iv, "decision_number", accepted, 1, 60, &s);
	field_date(&iv, "decision_date", accepted, &d, text);
	field_string(&iv, "decided_by", accepted, 1, 300, &s);
	if (field_text(&iv, "reason", refused, 2000, &s) && !s[strspn(s, " \t\r\n")])
		validation_fail(&iv, "reason", "must say why");
	validation_nest(v, &iv, name);
}

void proposal_answer(struct call *c)
{
	static const char *const fields[] = { "items", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const json_t *items = NULL;
	if (field_array(&v, "items", true, MAX_ANSWERS, &items) && json_array_size(items) == 0)
		validation_fail(&v, "items", "must hold at least one answer");
	else if (items) {
		size_t i;
		const json_t *item;
		json_array_foreach(items, i, item)
		{
			check_answer(&v, i, item);
		}
	}
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_proposal_answer(&w, id, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}
