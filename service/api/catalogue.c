/*
 * catalogue.c — the catalogue of titles and the legal documents.
 *
 * GET /v1/catalogue/titles: the emulation titles the law defines (danh
 * hiệu thi đua), the same for every organisation, with their rank ("that
 * title or higher" in targets).  GET and POST /v1/documents, GET
 * /v1/documents/{id}: the legal and
 * Party documents an organisation's plans cite and its sessions
 * disseminate; a document's code (số, ký hiệu) is unique in the
 * organisation.  Documents are not changed once recorded, in this version.
 */
#include <string.h>

#include "api/app.h"
#include "http/validate.h"

void titles_list(struct call *c)
{
	api_read_org(c, store_titles_list, "titles", false);
}

void documents_list(struct call *c)
{
	api_read_org(c, store_documents_list, "documents", false);
}

void document_get(struct call *c)
{
	api_read_item(c, store_document_get, "document");
}

static void annotate_document(struct db *db, struct problem *p)
{
	if (!strcmp(db_last_sqlstate(db), "23505"))
		problem_add_error(p, "/code", "another document already has this code");
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
	if (!api_valid(c, &v))
		return;
	static const struct write_answer w = { "/v1/documents", "document", "document create",
					       annotate_document };
	api_create(c, store_document_create, &w);
}
