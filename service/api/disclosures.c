/*
 * disclosures.c — public disclosure before awards (công khai) and the
 * public's feedback, as the agency handles them.
 *
 * GET/POST /v1/disclosures, GET /v1/disclosures/{id}, POST
 * .../{id}/withdraw, POST .../{id}/feedback/{feedback_id}.  The Office
 * publishes the candidates of a council session before it opens, or of a
 * proposal to the province before it is sent, for a period of working
 * days on the calendar, at least the law's minimum for the highest level
 * disclosed (disclosure_periods: Decree 152 Art. 44.2 for the State's
 * awards).  The list goes into the public news (/public/v1, public.c);
 * the public's feedback (public_forms.c) comes back here, listed with
 * each candidate for the council and recorded in the session's minutes.
 * The session does not open, and the proposal is not sent, before the
 * period ends.  Who sent a piece of feedback is shown only to the Office,
 * the admin and the head of the agency; the council reads what was said.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"
#include "store/disclosures.h"

/* Who sent a piece of feedback is read by the Office, the admin and the
 * head; a case lodged from it is lodged as the caller. */
static struct disclosure_reader reader(const struct call *c)
{
	unsigned private_roles =
		ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_SECRETARIAT) | ROLE_BIT(ROLE_LEADER);
	return (struct disclosure_reader){
		.private_ = c->who.kind == CALLER_USER && (c->who.roles & private_roles) != 0,
		.cr = api_case_reader(c),
	};
}

void disclosures_list(struct call *c)
{
	long limit;
	int64_t after = 0;
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 20, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_disclosures(db, c->who.org_id, after, limit, api_today(), &json);
	api_answer_page(c, st, json, NULL);
}

void disclosure_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	struct disclosure_reader dr = reader(c);
	enum db_status st = store_disclosure(db, c->who.org_id, id, &dr, &json);
	api_answer_document(c, st, json);
}

/* The source: a session or a proposal, and the one member that names it. */
static void validate_source(struct validation *v)
{
	static const char *const sources[] = { "session", "proposal", NULL };
	static const char *const members[] = { "session_id", "proposal_id" };
	const char *source;
	int64_t id;
	if (!field_enum(v, "source", true, sources, &source))
		return;
	for (size_t i = 0; i < 2; i++) {
		if (strcmp(sources[i], source) == 0)
			field_id(v, members[i], true, &id);
		else if (api_field_given(v, members[i]))
			validation_fail(v, members[i], "names the other kind of list");
	}
}

void disclosure_create(struct call *c)
{
	static const char *const fields[] = { "source",	      "session_id", "proposal_id",
					      "title",	      "intro",	    "opens_on",
					      "working_days", "identity",   NULL };
	static const char *const identities[] = { "optional", "required", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	struct civil_date d;
	char text[11];
	int64_t n;
	validate_source(&v);
	field_string(&v, "title", true, 1, 500, &s);
	if (api_field_given(&v, "intro"))
		field_text(&v, "intro", false, 5000, &s);
	if (api_field_given(&v, "opens_on"))
		field_date(&v, "opens_on", false, &d, text);
	if (api_field_given(&v, "working_days"))
		field_int(&v, "working_days", false, 1, 60, &n);
	if (api_field_given(&v, "identity"))
		field_enum(&v, "identity", false, identities, &s);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_disclosure_create(&w, body, api_today(), &r);
		api_answer_write(c, &r, "/v1/disclosures");
	}
	free(body);
}

void disclosure_withdraw(struct call *c)
{
	static const char *const fields[] = { "reason", NULL };
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	field_nonblank_text(&v, "reason", true, 2000, &s);
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_disclosure_withdraw(&w, id, version, body, api_today(), &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}

/* The Office's answer to a piece of feedback: considered, with its note,
 * or lodged as a case of the given kind about the candidate. */
void disclosure_feedback_handle(struct call *c)
{
	static const char *const fields[] = { "action", "note", "kind", NULL };
	static const char *const actions[] = { "consider", "case", NULL };
	int64_t id, fid;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) ||
	    !api_path_id_or_answer(c, "feedback_id", &fid) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *action = NULL, *s;
	field_enum(&v, "action", true, actions, &action);
	field_nonblank_text(&v, "note", true, 5000, &s);
	if (action && strcmp(action, "case") == 0)
		field_enum(&v, "kind", true, lodged_case_kinds, &s);
	else if (api_field_given(&v, "kind"))
		validation_fail(&v, "kind", "is only for feedback lodged as a case");
	struct writer w;
	struct write_result r;
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		struct disclosure_reader dr = reader(c);
		store_disclosure_feedback_handle(&w, id, fid, version, body, &dr, &r);
		api_answer_write(c, &r, NULL);
	}
	free(body);
}
