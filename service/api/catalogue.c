/*
 * catalogue.c — the catalogue of titles and labels, and the legal documents.
 *
 * GET /v1/catalogue/titles: the emulation titles the law defines (danh
 * hiệu thi đua), the same for every organisation, with their rank ("that
 * title or higher" in targets).  GET /v1/catalogue/labels: what every
 * enumeration code of the API reads as, in Vietnamese and English at once
 * (answers/labels.c), with the titles as the set "title", so a client can
 * show codes to people without a table of its own.  GET and POST
 * /v1/documents, GET /v1/documents/{id}: the legal and Party documents an
 * organisation's plans cite and its sessions disseminate; a document's
 * code (số, ký hiệu) is unique in the organisation.  Documents are not
 * changed once recorded, in this version, so they have no version (and
 * no ETag).
 */
#include <stdlib.h>

#include "answers/labels.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

void titles_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_titles_list(db, &json);
	api_answer_read(c, st, json);
}

/* The labels of the enumerations with the titles (JSON text of
 * {code: {vi, en}}) as the set "title"; a new string, NULL when out of
 * memory. */
static char *labels_text_new(const char *titles)
{
	json_t *doc = labels_catalogue_new();
	json_t *title = titles ? json_loads(titles, 0, NULL) : NULL;
	char *text = NULL;
	/* json_object_set_new takes title even when it fails */
	if (json_object_set_new(doc, "title", title) == 0)
		text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

void labels_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *titles = NULL;
	if (!db)
		return;
	enum db_status st = store_title_labels(db, &titles);
	char *json = st == DB_OK ? labels_text_new(titles) : NULL;
	free(titles);
	if (st == DB_OK && !json)
		call_problem(c, problem_internal());
	else
		api_answer_read(c, st, json);
}

void documents_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_documents_list(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void document_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_document_get(db, c->who.org_id, id, &json);
	api_answer_read(c, st, json);
}

void document_create(struct call *c)
{
	static const char *const fields[] = { "code", "title", "issuer", "issued_on", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	field_string(&v, "code", true, 1, 100, &s);
	field_string(&v, "title", true, 1, 1000, &s);
	if (api_field_given(&v, "issuer"))
		field_string(&v, "issuer", false, 0, 300, &s);
	if (api_field_given(&v, "issued_on"))
		field_date(&v, "issued_on", false, &d, text);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_document_create(&w, body, &r);
		api_answer_write(c, &r, "/v1/documents");
	}
	free(body);
}
