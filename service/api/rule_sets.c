/*
 * rule_sets.c — what the service believes the law is (migration 0011).
 *
 * GET /v1/rule-sets?on=YYYY-MM-DD: the national rule sets and the
 * organisation's own layer, with the one that governs a dossier dated
 * `on` (today by default); GET /v1/rule-sets/{code}: one set with the
 * rules in force in it (its own and those it copies), each with its legal
 * source, how the source was read, and whether the value is configurable
 * because the law is unconfirmed.  Readable by every member and by
 * integration clients: the law is not a secret.
 */
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "store/year_end.h"

/* The characters of a rule set's code (rule_sets.code). */
#define RULE_SET_CODE_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

void rule_sets_list(struct call *c)
{
	struct civil_date on;
	bool given;
	struct db *db;
	char *json = NULL;
	if (!api_query_date_or_answer(c, "on", &on, &given) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_rule_sets_list(db, c->who.org_id, on, &json);
	api_answer_read(c, st, json);
}

void rule_set_get(struct call *c)
{
	const char *code = path_param(&c->params, "code");
	size_t n = code ? strlen(code) : 0;
	if (n < 1 || n > 40 || strspn(code, RULE_SET_CODE_CHARS) != n) {
		call_problem(c, problem_not_found());
		return;
	}
	struct db *db = api_db_or_answer(c);
	if (!db)
		return;
	char *json = NULL;
	enum db_status st = store_rule_set_get(db, c->who.org_id, code, &json);
	api_answer_read(c, st, json);
}
