/*
 * users.c — accounts, administered by the organisation's admin.
 *
 * GET /v1/users, POST /v1/users, GET /v1/users/{id}, PATCH /v1/users/{id}.
 * A password is accepted here only to be hashed (Argon2id); it never goes
 * into the audit trail, a log or a response.  Changing roles, disabling an
 * account or resetting its password revokes its refresh tokens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "auth/password.h"
#include "http/validate.h"
#include "store/accounts.h"

static const char *const role_names[] = { "admin",     "secretariat", "leader", "council",
					  "unit_head", "staff",	      "viewer", NULL };
static const char *const user_fields[] = { "username", "display_name", "password", "roles",
					   "staff_id", "unit_id",      "disabled", NULL };

static void validate_user(struct validation *v, bool partial)
{
	const char *s;
	int64_t id;
	bool b;
	if (!partial && field_string(v, "username", true, 3, 64, &s) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(s))
		validation_fail(v, "username", "may hold only a-z, 0-9, '.', '_' and '-'");
	if (partial && field_has(v, "username"))
		validation_fail(v, "username", "cannot be changed");
	if (!partial || field_has(v, "display_name"))
		field_string(v, "display_name", true, 1, 200, &s);
	if (!partial || field_has(v, "password"))
		field_string(v, "password", true, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, &s);
	if (!partial || field_has(v, "roles"))
		field_enum_array(v, "roles", true, role_names);
	if (field_has(v, "staff_id") && !field_is_null(v, "staff_id"))
		field_id(v, "staff_id", false, &id);
	if (field_has(v, "unit_id") && !field_is_null(v, "unit_id"))
		field_id(v, "unit_id", false, &id);
	if (field_has(v, "disabled"))
		field_bool(v, "disabled", false, &b);
	if (!partial && field_has(v, "disabled"))
		validation_fail(v, "disabled", "new accounts start enabled");
}

/* Takes the password out of the body: it is hashed, never stored as sent. */
static bool take_password(struct call *c, char hash[PASSWORD_HASH_MAX], bool *has)
{
	const char *pw = json_string_value(json_object_get(c->body, "password"));
	*has = pw != NULL;
	if (!pw)
		return true;
	bool ok = password_hash(pw, hash);
	json_object_del(c->body, "password");
	return ok;
}

/* An administrator may not disable their own account or drop their own
 * admin role: the organisation could be left with no administrator. */
static void refuse_self_lockout(struct validation *v, const json_t *body)
{
	if (json_is_true(json_object_get(body, "disabled")))
		validation_fail(v, "disabled", "you cannot disable your own account");
	const json_t *roles = json_object_get(body, "roles");
	if (json_is_array(roles)) {
		bool admin = false;
		size_t i;
		json_t *r;
		json_array_foreach(roles, i, r) admin |=
			json_is_string(r) && !strcmp(json_string_value(r), "admin");
		if (!admin)
			validation_fail(v, "roles", "you cannot remove your own admin role");
	}
}

/* Pointers for a broken constraint of users (0002_identity.sql). */
static void annotate_user(struct db *db, struct problem *p)
{
	const char *state = db_last_sqlstate(db);
	if (!strcmp(state, "23505"))
		problem_add_error(p, "/username", "is taken");
	else if (!strcmp(state, "23503"))
		problem_add_error(p, "", "staff_id or unit_id names nothing in your organisation");
	else if (!strcmp(state, "23514"))
		problem_add_error(p, "/roles", "unit_head needs unit_id; staff needs staff_id");
}

static const struct write_answer created = { "/v1/users", "account", "user write", annotate_user };
static const struct write_answer patched = { NULL, "account", "user write", annotate_user };

void users_list(struct call *c)
{
	struct problem *p = NULL;
	long limit;
	int64_t after;
	if (!query_int(c, "limit", 1, 100, 20, &limit, &p) || !api_cursor(c, &after, &p)) {
		call_problem(c, p);
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_users_list(db, c->who.org_id, after, limit, &json);
	if (st != DB_OK) {
		api_fail_db(c, db, st, "users");
	} else {
		api_send_page(c, json);
	}
	api_release(c, db);
}

void user_get(struct call *c)
{
	api_read_item(c, store_user_get, "user");
}

void user_create(struct call *c)
{
	struct validation v;
	validation_begin(&v, c->body, user_fields);
	validate_user(&v, false);
	if (!api_valid(c, &v))
		return;
	char hash[PASSWORD_HASH_MAX];
	bool has;
	if (!take_password(c, hash, &has)) {
		call_problem(c, problem_internal());
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	enum db_status st = store_user_create(db, &a, fields, hash, &json);
	free(fields);
	legacy_answer_write(c, db, st, json, 0, &created);
	api_release(c, db);
}

void user_patch(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id(c, "id", &id) || !api_if_match(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, user_fields);
	validate_user(&v, true);
	if (json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	if (id == c->who.user_id)
		refuse_self_lockout(&v, c->body);
	if (!api_valid(c, &v))
		return;
	char hash[PASSWORD_HASH_MAX];
	bool has;
	if (!take_password(c, hash, &has)) {
		call_problem(c, problem_internal());
		return;
	}
	struct db *db = api_db(c);
	if (!db)
		return;
	struct actor a;
	legacy_actor(c, &a);
	char *fields = json_dumps(c->body, JSON_COMPACT);
	char *json = NULL;
	int current = 0;
	enum db_status st =
		store_user_patch(db, &a, id, version, fields, has ? hash : NULL, &json, &current);
	free(fields);
	legacy_answer_write(c, db, st, json, current, &patched);
	api_release(c, db);
}
