/*
 * bonus.c — what an award is paid: GET /v1/bonus-rates?on=.
 *
 * The rule set that governs a decision dated `on` (the base salary is the
 * one in force on the decision's date: Decree 152 Art. 49.1), each of its
 * coefficients with its legal source, and the amount it pays on that
 * day's base salary with the calculation in a sentence.  The amounts are
 * domain/bonus.c's integer arithmetic, not the database's.  The law is
 * open to every member of the organisation and to integration clients.
 */
#include <stdlib.h>
#include <string.h>

#include "answers/lang.h"
#include "answers/template.h"
#include "api/handlers.h"
#include "api/money.h"
#include "api/params.h"
#include "api/reply.h"
#include "api/verdicts.h"
#include "domain/bonus.h"
#include "store/bonus.h"

char *api_bonus_calculation(int hundredths, int64_t base, int64_t amount)
{
	bool vi = lang_current() == LANG_VI;
	char coef[BONUS_COEF_LEN], b[BONUS_TEXT_LEN], p[BONUS_TEXT_LEN], a[BONUS_TEXT_LEN];
	json_t *args = json_pack("{s:s, s:s, s:s, s:s}", "coefficient",
				 bonus_coefficient_text(coef, hundredths, vi ? ',' : '.'), "base",
				 bonus_grouped(b, base, vi ? '.' : ','), "product",
				 bonus_grouped(p, bonus_product(hundredths, base), vi ? '.' : ','),
				 "amount", bonus_grouped(a, amount, vi ? '.' : ','));
	char *text = args ? template_expand_new(N_("{coefficient} × {base} VND = {product} VND, "
						   "rounded up to a multiple of 10,000 VND: "
						   "{amount} VND"),
						args)
			  : NULL;
	json_decref(args);
	return text;
}

/* Gives a rate its coefficient as a decimal and, on a known base, its
 * amount and calculation; false when out of memory. */
static bool price(json_t *rate, const json_t *base_salary)
{
	int hundredths = (int)json_integer_value(json_object_get(rate, "hundredths"));
	json_int_t base = json_integer_value(json_object_get(base_salary, "amount"));
	char coef[BONUS_COEF_LEN];
	const char *coefficient = bonus_coefficient_text(coef, hundredths, '.');
	bool ok = json_object_set_new(rate, "coefficient", json_string(coefficient)) == 0;
	int64_t amount = base_salary ? bonus_amount(hundredths, base) : -1;
	char *text = amount >= 0 ? api_bonus_calculation(hundredths, base, amount) : NULL;
	ok = ok &&
	     json_object_set_new(rate, "amount",
				 amount >= 0 ? json_integer(amount) : json_null()) == 0 &&
	     json_object_set_new(rate, "calculation", text ? json_string(text) : json_null()) ==
		     0 &&
	     (amount < 0 || text);
	free(text);
	json_object_del(rate, "hundredths");
	return ok;
}

void bonus_rates_list(struct call *c)
{
	struct civil_date on;
	bool given;
	struct db *db;
	char *text = NULL;
	if (!api_query_date_or_answer(c, "on", &on, &given) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_bonus_rates(db, c->who.org_id, on, &text);
	if (st != DB_OK || !text) {
		api_answer_read(c, st, text);
		return;
	}
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	if (doc && json_is_null(json_object_get(doc, "rule_set"))) {
		verdict_answer_no_rule_set(c, json_string_value(json_object_get(doc, "on")));
		json_decref(doc);
		return;
	}
	const json_t *base = json_object_get(doc, "base_salary");
	bool ok = doc != NULL;
	size_t i;
	json_t *rate;
	json_array_foreach(json_object_get(doc, "rates"), i, rate)
	{
		ok = ok && price(rate, json_is_object(base) ? base : NULL);
	}
	if (!ok) {
		json_decref(doc);
		call_problem(c, problem_internal());
		return;
	}
	call_language_headers(c);
	call_json(c, 200, doc);
}
