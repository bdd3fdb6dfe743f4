/*
 * funds.c — the emulation and commendation fund of a year (quỹ thi đua,
 * khen thưởng) and the bonuses paid out of it.
 *
 * GET /v1/funds/{year}, PUT /v1/funds/{year}, POST /v1/funds/{year}/payments.
 * The Office enters the fund's size; the share set aside for organising
 * the movements (20 % under Decree 152 Art. 48.1.a) is the rule set's,
 * not the body's.  A payment names an award of the ledger and never its
 * amount: the database computes it from the award's decision date
 * (db/procedures/fund.sql), and this layer checks it against
 * domain/bonus.c when it shows the fund.  A payment beyond the balance
 * needs the Office's written reason, which stays on the payment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/lang.h"
#include "answers/template.h"
#include "api/handlers.h"
#include "api/money.h"
#include "api/params.h"
#include "api/reply.h"
#include "domain/bonus.h"
#include "export/fund_book.h"
#include "http/log.h"
#include "http/validate.h"
#include "store/funds.h"

/* Payments have no route of their own: 201 without Location. */
#define NO_COLLECTION ""

/* An award of the ledger as GET /v1/awards names it: "title-12" (an
 * individual title) or "award-5"; false when it is neither. */
static bool award_id_parse(const char *s, const char **ledger, int64_t *id)
{
	const char *rest = NULL;
	if (strncmp(s, "title-", 6) == 0) {
		*ledger = "title";
		rest = s + 6;
	} else if (strncmp(s, "award-", 6) == 0) {
		*ledger = "award";
		rest = s + 6;
	}
	size_t n = rest ? strlen(rest) : 0;
	if (n < 1 || n > 18 || rest[0] == '0' || strspn(rest, "0123456789") != n)
		return false;
	*id = strtoll(rest, NULL, 10);
	return true;
}

/* The calculation of a title paid less what the titles of its period
 * were paid already (only the highest is paid): a new string or NULL. */
static char *deducted_calculation(int hundredths, int64_t base, int64_t full, int64_t amount,
				  const json_t *year)
{
	char *first = api_bonus_calculation(hundredths, base, full);
	bool vi = lang_current() == LANG_VI;
	char d[BONUS_TEXT_LEN], a[BONUS_TEXT_LEN];
	json_t *args = json_pack("{s:s, s:O, s:s}", "deducted",
				 bonus_grouped(d, full - amount, vi ? '.' : ','), "year", year,
				 "amount", bonus_grouped(a, amount, vi ? '.' : ','));
	char *second = args ? template_expand_new(N_("less {deducted} VND already paid for a "
						     "title of {year} (of the titles of one "
						     "period only the highest is paid): "
						     "{amount} VND"),
						  args)
			    : NULL;
	json_decref(args);
	char *text = NULL;
	if (first && second && asprintf(&text, "%s; %s", first, second) < 0)
		text = NULL;
	free(first);
	free(second);
	return text;
}

/* Gives a payment its coefficient and calculation; false when out of
 * memory.  An amount other than domain/bonus.c's is logged: the two
 * arithmetics must agree. */
static bool explain_payment(json_t *p)
{
	int hundredths = (int)json_integer_value(json_object_get(p, "coefficient_hundredths"));
	json_int_t base = json_integer_value(json_object_get(p, "base_salary"));
	json_int_t full = json_integer_value(json_object_get(p, "full_amount"));
	json_int_t amount = json_integer_value(json_object_get(p, "amount"));
	if (bonus_amount(hundredths, base) != full)
		log_msgf(LOG_ERROR, "fund payment %lld: %lld recorded, %lld computed",
			 (long long)json_integer_value(json_object_get(p, "id")), (long long)full,
			 (long long)bonus_amount(hundredths, base));
	char coef[BONUS_COEF_LEN];
	const char *coefficient = bonus_coefficient_text(coef, hundredths, '.');
	char *text = amount < full ? deducted_calculation(hundredths, base, full, amount,
							  json_object_get(p, "period_year"))
				   : api_bonus_calculation(hundredths, base, amount);
	bool ok = text && json_object_set_new(p, "coefficient", json_string(coefficient)) == 0 &&
		  json_object_set_new(p, "calculation", json_string(text)) == 0;
	free(text);
	json_object_del(p, "coefficient_hundredths");
	return ok;
}

/* The document of a fund or of one payment (text from the database),
 * explained; NULL when it cannot be read. */
static json_t *explained(const char *text, bool payment)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	bool ok = doc != NULL;
	if (ok && payment) {
		ok = explain_payment(doc);
	} else if (ok) {
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(doc, "payments"), i, p)
		{
			ok = ok && explain_payment(p);
		}
	}
	if (!ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The report as a workbook (export/fund_book.c). */
static void send_xlsx(struct call *c, const json_t *doc, int year)
{
	size_t len = 0;
	char *data = fund_book_new(doc, &len);
	char name[64];
	snprintf(name, sizeof name, "quy-thi-dua-khen-thuong-%d.xlsx", year);
	api_answer_workbook(c, data, len, name, "fund");
}

void fund_get(struct call *c)
{
	int year;
	enum api_format format;
	struct db *db;
	if (!api_path_year_or_answer(c, &year) ||
	    !api_format_or_answer(c, API_FORMAT_JSON | API_FORMAT_XLSX, &format) ||
	    !(db = api_db_or_answer(c)))
		return;
	char *text = NULL;
	enum db_status st = store_fund_report(db, c->who.org_id, year, &text);
	if (st != DB_OK || !text) {
		api_answer_read(c, st, text);
		return;
	}
	json_t *doc = explained(text, false);
	free(text);
	if (!doc) {
		call_problem(c, problem_internal());
		return;
	}
	if (format == API_FORMAT_XLSX) {
		send_xlsx(c, doc, year);
		json_decref(doc);
		return;
	}
	call_language_headers(c);
	call_json(c, 200, doc);
}

void fund_put(struct call *c)
{
	static const char *const fields[] = { "size", "source_document", NULL };
	int year;
	if (!api_path_year_or_answer(c, &year))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	int64_t size;
	const char *s;
	field_int(&v, "size", true, 0, 999999999999LL, &size);
	field_string(&v, "source_document", false, 0, 300, &s);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	char *body = api_json_text_or_answer(c, c->body);
	if (!body)
		return;
	struct write_result r;
	store_fund_put(&w, year, body, &r);
	free(body);
	api_answer_write(c, &r, NULL);
}

void fund_pay(struct call *c)
{
	static const char *const fields[] = { "award_id", "paid_on", "override_reason", NULL };
	int year;
	if (!api_path_year_or_answer(c, &year))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	const char *award = NULL, *reason = NULL, *ledger = NULL;
	int64_t id = 0;
	struct civil_date day;
	char day_text[11];
	if (field_string(&v, "award_id", true, 7, 24, &award) &&
	    !award_id_parse(award, &ledger, &id))
		validation_fail(&v, "award_id",
				"must be an award's id from /v1/awards, e.g. title-12");
	field_date(&v, "paid_on", true, &day, day_text);
	field_text(&v, "override_reason", false, 2000, &reason);
	struct writer w;
	if (!api_valid_or_answer(c, &v) || !api_writer_or_answer(c, &w))
		return;
	json_t *fields_doc =
		json_pack("{s:s, s:I, s:s, s:s?}", "ledger", ledger, "id", (json_int_t)id,
			  "paid_on", day_text, "override_reason", reason);
	char *body = fields_doc ? api_json_text_or_answer(c, fields_doc) : NULL;
	json_decref(fields_doc);
	if (!body) {
		if (!c->status)
			call_problem(c, problem_internal());
		return;
	}
	struct write_result r;
	store_fund_pay(&w, year, body, &r);
	free(body);
	if (r.outcome == WRITE_OK) {
		json_t *doc = explained(r.body, true);
		char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
		json_decref(doc);
		if (!text) {
			write_result_clear(&r);
			call_problem(c, problem_internal());
			return;
		}
		free(r.body);
		r.body = text;
	}
	call_language_headers(c);
	api_answer_write(c, &r, NO_COLLECTION);
}
