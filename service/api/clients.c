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
					   "bloc:read",	    "bloc:score",	NULL };

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
	static const char *const fields[] = { "client_id", "name", "scopes", "unit_id", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *s;
	if (field_string(&v, "client_id", true, 3, 64, &s) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(s))
		validation_fail(&v, "client_id", "may hold only a-z, 0-9, '.', '_' and '-'");
	field_string(&v, "name", true, 1, 200, &s);
	field_enum_array(&v, "scopes", true, scope_names);
	int64_t unit;
	if (api_field_given(&v, "unit_id"))
		field_id(&v, "unit_id", false, &unit);
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
	api_answer_write_adding(c, &r, "client_secret", secret, "");
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
	api_answer_write_adding(c, &r, "client_secret", secret, NULL);
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
