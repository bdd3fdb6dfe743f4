/*
 * clients.c — machine clients (OAuth2 client credentials), administered by
 * the organisation's admin.
 *
 * GET /v1/clients, POST /v1/clients, POST /v1/clients/{id}/rotate,
 * POST /v1/clients/{id}/revoke.  The secret is generated here (256 random
 * bits), returned once in client_secret, and stored only as its SHA-256.
 */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/secret.h"
#include "http/validate.h"
#include "store/accounts.h"

static const char *const scope_names[] = { "reports:write", "integration:read", "province:read",
					   NULL };

/* Adds client_secret to the document of a write that succeeded; false when
 * out of memory. */
static bool add_secret(struct write_result *r, const char *secret)
{
	if (r->outcome != WRITE_OK)
		return true;
	json_t *doc = json_loads(r->body, 0, NULL);
	char *text = NULL;
	if (doc && json_object_set_new(doc, "client_secret", json_string(secret)) == 0)
		text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return false;
	free(r->body);
	r->body = text;
	return true;
}

/* Answers a write whose document carries the new secret: 201 (without a
 * Location: clients have no address of their own) when created, else 200. */
static void answer_with_secret(struct call *c, struct write_result *r, const char *secret,
			       bool created)
{
	if (!add_secret(r, secret)) {
		write_result_clear(r);
		call_problem(c, problem_internal());
		return;
	}
	api_answer_write(c, r, created ? "" : NULL);
}

void clients_list(struct call *c)
{
	struct db *db = api_db_or_answer(c);
	char *json = NULL;
	if (!db)
		return;
	enum db_status st = store_clients_list(db, c->who.org_id, &json);
	api_answer_read(c, st, json);
}

void client_create(struct call *c)
{
	static const char *const fields[] = { "client_id", "name", "scopes", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	if (field_string(&v, "client_id", true, 3, 64, &s) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(s))
		validation_fail(&v, "client_id", "may hold only a-z, 0-9, '.', '_' and '-'");
	field_string(&v, "name", true, 1, 200, &s);
	field_enum_array(&v, "scopes", true, scope_names);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	char secret[SECRET_TEXT_LEN], hash[SECRET_HASH_HEX_LEN];
	secret_new(secret);
	secret_sha256_hex(secret, hash);
	struct write_result r;
	store_client_create(&w, body, hash, &r);
	free(body);
	answer_with_secret(c, &r, secret, true);
}

void client_rotate(struct call *c)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	char secret[SECRET_TEXT_LEN], hash[SECRET_HASH_HEX_LEN];
	secret_new(secret);
	secret_sha256_hex(secret, hash);
	struct write_result r;
	store_client_rotate(&w, id, hash, &r);
	answer_with_secret(c, &r, secret, false);
}

void client_revoke(struct call *c)
{
	int64_t id;
	struct writer w;
	if (!api_path_id_or_answer(c, "id", &id) || !api_writer_or_answer(c, &w))
		return;
	struct write_result r;
	store_client_revoke(&w, id, &r);
	api_answer_write(c, &r, NULL);
}
