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

#include "api/app.h"
#include "auth/secret.h"
#include "http/validate.h"
#include "store/accounts.h"

static const char *const scope_names[] = { "reports:write", "integration:read", NULL };

/* Adds client_secret to the stored document and answers; takes json. */
static void send_with_secret(struct call *c, int status, char *json, const char *secret)
{
	json_t *doc = json ? json_loads(json, 0, NULL) : NULL;
	free(json);
	if (!doc) {
		call_problem(c, problem_not_found());
		return;
	}
	json_object_set_new(doc, "client_secret", json_string(secret));
	call_json(c, status, doc);
}

void clients_list(struct call *c)
{
	api_read_org(c, store_clients_list, "clients", false);
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
	if (!api_valid(c, &v))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char secret[SECRET_TEXT_LEN], hash[SECRET_HASH_HEX_LEN];
	secret_new(secret);
	secret_sha256_hex(secret, hash);
	struct actor a;
	legacy_actor(c, &a);
	char *body = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	enum db_status st = store_client_create(db, &a, body, hash, &json);
	free(body);
	struct problem *p;
	if (st == DB_OK) {
		send_with_secret(c, 201, json, secret);
	} else if ((p = api_db_write_problem(db, st))) {
		if (!strcmp(db_last_sqlstate(db), "23505"))
			problem_add_error(p, "/client_id", "is taken");
		call_problem(c, p);
	} else {
		api_fail_db(c, db, st, "client create");
	}
	api_release(c, db);
}

void client_rotate(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	char secret[SECRET_TEXT_LEN], hash[SECRET_HASH_HEX_LEN];
	secret_new(secret);
	secret_sha256_hex(secret, hash);
	struct actor a;
	legacy_actor(c, &a);
	char *json = NULL;
	enum db_status st = store_client_rotate(db, &a, id, hash, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "client rotate");
	else
		send_with_secret(c, 200, json, secret);
	api_release(c, db);
}

void client_revoke(struct call *c)
{
	int64_t id;
	if (!api_path_id(c, "id", &id))
		return;
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *json = NULL;
	enum db_status st = store_client_revoke(db, &a, id, &json);
	if (st != DB_OK)
		api_fail_db(c, db, st, "client revoke");
	else
		api_send_json_text(c, 200, json);
	api_release(c, db);
}
