/*
 * users.c — accounts, administered by the organisation's admin.
 *
 * GET /v1/users, POST /v1/users, GET /v1/users/{id}, PATCH /v1/users/{id}.
 * A password is accepted here only to be hashed (Argon2id); it never goes
 * into the audit trail, a log or a response.  Changing roles, disabling an
 * account or resetting its password revokes its refresh tokens.  A
 * username already taken and references outside the organisation are
 * answered from the registry (answers.def, identity).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "auth/password.h"
#include "http/validate.h"
#include "store/accounts.h"

static const char *const role_names[] = { "admin",     "secretariat", "leader", "council",
					  "unit_head", "staff",	      "viewer", NULL };
static const char *const user_fields[] = { "username", "display_name", "password",
					   "roles",    "staff_id",     "unit_id",
					   "disabled", "email",	       NULL };

/* An address an SMTP relay takes: one '@' with something on each side, no
 * spaces or control characters (RFC 5321 allows more; no relay needs it
 * for an agency's accounts). */
static void validate_email(struct validation *v)
{
	const char *s;
	if (!field_string(v, "email", false, 3, 254, &s))
		return;
	const char *at = strchr(s, '@');
	bool ok = at && at != s && at[1] && !strchr(at + 1, '@');
	for (const char *p = s; ok && *p; p++)
		ok = (unsigned char)*p > 0x20 && *p != 0x7f && !strchr("<>,;\"()[]\\", *p);
	if (!ok)
		validation_fail(v, "email", "must be an e-mail address");
}

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
	if (field_has(v, "email") && !field_is_null(v, "email"))
		validate_email(v);
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

void users_list(struct call *c)
{
	long limit;
	int64_t after;
	struct db *db;
	char *json = NULL;
	if (!api_limit_or_answer(c, 20, &limit) || !api_cursor_or_answer(c, &after) ||
	    !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_users_list(db, c->who.org_id, after, limit, &json);
	api_answer_page(c, st, json, NULL);
}

void user_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_user_get(db, c->who.org_id, id, &json);
	api_answer_document(c, st, json);
}

/* The validated body without its password, as text for the store; NULL
 * answered. */
static char *fields_or_answer(struct call *c, char hash[PASSWORD_HASH_MAX], bool *has)
{
	if (!take_password(c, hash, has)) {
		call_problem(c, problem_internal());
		return NULL;
	}
	return api_json_text_or_answer(c, c->body);
}

void user_create(struct call *c)
{
	struct validation v;
	validation_begin(&v, c->body, user_fields);
	validate_user(&v, false);
	if (!api_valid_or_answer(c, &v))
		return;
	char hash[PASSWORD_HASH_MAX];
	bool has;
	struct writer w;
	char *fields = fields_or_answer(c, hash, &has);
	if (fields && api_writer_or_answer(c, &w)) {
		struct write_result r;
		store_user_create(&w, fields, hash, &r);
		api_answer_write(c, &r, "/v1/users");
	}
	free(fields);
}

void user_patch(struct call *c)
{
	int64_t id;
	int version;
	if (!api_path_id_or_answer(c, "id", &id) || !api_if_match_or_answer(c, &version))
		return;
	struct validation v;
	validation_begin(&v, c->body, user_fields);
	validate_user(&v, true);
	if (json_object_size(c->body) == 0)
		validation_fail(&v, "", "names no field to change");
	if (id == c->who.user_id)
		refuse_self_lockout(&v, c->body);
	if (!api_valid_or_answer(c, &v))
		return;
	char hash[PASSWORD_HASH_MAX];
	bool has;
	struct writer w;
	char *fields = fields_or_answer(c, hash, &has);
	if (fields && api_writer_or_answer(c, &w)) {
		struct write_result r;
		store_user_patch(&w, id, version, fields, has ? hash : NULL, &r);
		api_answer_write(c, &r, NULL);
	}
	free(fields);
}
