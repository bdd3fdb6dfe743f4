/*
 * webhooks.c — subscriptions to the outbox's events, administered by the
 * organisation's admin (issue 14 §3, "push, not only pull").
 *
 * GET/POST /v1/webhooks, GET /v1/webhooks/{id}, POST .../rotate,
 * .../disable, .../ping, GET .../deliveries (the delivery log) and POST
 * .../deliveries/{event_id}/redeliver.  The signing key is drawn here,
 * returned once as "secret" (whsec_…) when made or rotated, and never
 * listed; deliveries are the business of jobs/webhooks.c.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/webhook_sign.h"
#include "http/validate.h"
#include "store/webhooks.h"

/* The events a subscriber may ask for (db/procedures: outbox_emit's
 * callers); webhook.ping goes only to the subscription pinged. */
static const char *const event_names[] = { "consolidation.sent",
					   "consolidation.superseded",
					   "decision.signed",
					   "decision.revoked",
					   "disclosure.opened",
					   "case.reminder",
					   NULL };

/* An http(s) URL with a host, without credentials (they would be listed
 * to every admin and logged by proxies), spaces or a fragment.  Plain
 * http only where private addresses are allowed (tests, an intranet):
 * elsewhere the signature would travel with a readable body. */
static void validate_url(struct validation *v, const char *url, bool allow_http)
{
	size_t scheme = !strncmp(url, "https://", 8) ? 8 : !strncmp(url, "http://", 7) ? 7 : 0;
	if (!scheme) {
		validation_fail(v, "url", "must begin with https://");
		return;
	}
	if (scheme == 7 && !allow_http) {
		validation_fail(v, "url", "must begin with https://");
		return;
	}
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '#') {
			validation_fail(v, "url",
					"must not hold spaces, control characters or '#'");
			return;
		}
	size_t host = strcspn(url + scheme, "/?");
	if (host == 0) {
		validation_fail(v, "url", "must name a host");
		return;
	}
	if (memchr(url + scheme, '@', host))
		validation_fail(v, "url", "must not hold a user name or password");
}

/* Answers a write whose document shows the key once, as "secret". */
static void answer_with_secret(struct call *c, struct write_result *r,
			       const unsigned char key[WEBHOOK_KEY_LEN], const char *collection)
{
	char text[WEBHOOK_SECRET_TEXT_LEN];
	webhook_secret_text(key, text);
	api_answer_write_adding(c, r, "secret", text, collection);
	sodium_memzero(text, sizeof text);
}

void webhooks_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_webhooks(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void webhook_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_webhook(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

void webhook_create(struct call *c)
{
	static const char *const fields[] = { "url", "description", "events", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	if (field_string(&v, "url", true, 12, 2000, &s))
		validate_url(&v, s, c->app->cfg->webhook_allow_private);
	if (api_field_given(&v, "description"))
		field_string(&v, "description", false, 0, 500, &s);
	field_enum_array(&v, "events", true, event_names);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	unsigned char key[WEBHOOK_KEY_LEN];
	webhook_key_new(key);
	struct write_result r;
	store_webhook_create(&w, body, key, &r);
	free(body);
	answer_with_secret(c, &r, key, "/v1/webhooks");
	sodium_memzero(key, sizeof key);
}

void webhook_rotate(struct call *c)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	unsigned char key[WEBHOOK_KEY_LEN];
	webhook_key_new(key);
	struct write_result r;
	store_webhook_rotate(&w, id, key, &r);
	answer_with_secret(c, &r, key, NULL);
	sodium_memzero(key, sizeof key);
}

void webhook_disable(struct call *c)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct write_result r;
	store_webhook_disable(&w, id, &r);
	api_answer_write(c, &r, NULL);
}

void webhook_ping(struct call *c)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct write_result r;
	store_webhook_ping(&w, id, &r);
	api_answer_write(c, &r, NULL);
}

void webhook_deliveries(struct call *c)
{
	static const char *const states[] = { "pending", "delivered", "failed", NULL };
	const char *status = call_query(c, "status");
	bool known = !status;
	for (size_t i = 0; status && states[i]; i++)
		known |= strcmp(status, states[i]) == 0;
	if (!known) {
		api_answer_bad_query(c, "status", "must be pending, delivered or failed");
		return;
	}
	int64_t id, before = 0;
	long limit;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !api_limit_or_answer(c, 50, &limit) ||
	    !api_cursor_or_answer(c, &before) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_webhook_deliveries(db, c->who.org_id, id, status ? status : "",
						     before, limit, &json);
	api_answer_page(c, st, json, NULL);
}

/* A canonical UUID (8-4-4-4-12 hex digits); anything else is no event. */
static bool is_uuid(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return true;
}

void webhook_redeliver(struct call *c)
{
	int64_t id;
	struct writer w;
	const char *event = path_param(&c->params, "event_id");
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	if (!is_uuid(event)) {
		call_problem(c, problem_not_found());
		return;
	}
	if (!api_writer_or_answer(c, &w))
		return;
	struct write_result r;
	store_webhook_redeliver(&w, id, event, &r);
	api_answer_write(c, &r, NULL);
}
