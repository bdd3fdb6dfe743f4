/*
 * staff_rules.c — see staff_rules.h.
 *
 * Minimum age: Labour Code 2019, art. 143, lets people under 15 work only in
 * listed light jobs; no agency hires them, so a start date before the 15th
 * birthday is taken as a typing error.
 */
#include "domain/staff_rules.h"

#include <string.h>
#include <strings.h>

#define MIN_WORKING_AGE 15

/* Marks a sentence for the message catalogue; the api layer translates it
 * when it writes the answer (domain/ does no I/O and knows no language). */
#define N_(msgid) (msgid)

static bool before(struct civil_date a, struct civil_date b)
{
	return civil_days(a) < civil_days(b);
}

bool staff_dates_valid(const struct staff_dates *d, struct staff_rule_error *err)
{
	if (d->has_birth) {
		struct civil_date adult = d->birth;
		adult.year += MIN_WORKING_AGE;
		if (adult.month == 2 && adult.day == 29)
			adult.day = 28; /* the 15th birthday of a leap-day child */
		if (before(d->start, adult)) {
			*err = (struct staff_rule_error){
				"date_of_birth",
				N_("makes the person younger than 15 at the start date")
			};
			return false;
		}
	}
	if (strcmp(d->status, "on_leave") == 0 && !d->has_leave_from) {
		*err = (struct staff_rule_error){ "leave_from",
						  N_("is required when status is on_leave") };
		return false;
	}
	if (d->has_leave_from && d->has_leave_until && before(d->leave_until, d->leave_from)) {
		*err = (struct staff_rule_error){ "leave_until",
						  N_("must not be before leave_from") };
		return false;
	}
	if (strcmp(d->status, "left") == 0 && !d->has_left_on) {
		*err = (struct staff_rule_error){ "left_on",
						  N_("is required when status is left") };
		return false;
	}
	if (d->has_left_on && before(d->left_on, d->start)) {
		*err = (struct staff_rule_error){ "left_on", N_("must not be before start_date") };
		return false;
	}
	return true;
}

struct alias {
	const char *text;
	const char *code;
};

static const char *lookup(const struct alias *table, const char *text)
{
	for (size_t i = 0; table[i].text; i++)
		if (strcasecmp(table[i].text, text) == 0)
			return table[i].code;
	return NULL;
}

const char *staff_gender_code(const char *text)
{
	static const struct alias table[] = {
		{ "male", "male" },  { "female", "female" }, { "other", "other" },
		{ "nam", "male" },   { "Nam", "male" },	     { "nữ", "female" },
		{ "Nữ", "female" },  { "NỮ", "female" },     { "khác", "other" },
		{ "Khác", "other" }, { "KHÁC", "other" },    { NULL, NULL },
	};
	return lookup(table, text);
}

const char *staff_employment_code(const char *text)
{
	static const struct alias table[] = {
		{ "civil_servant", "civil_servant" },
		{ "public_employee", "public_employee" },
		{ "contract_worker", "contract_worker" },
		{ "other", "other" },
		{ "công chức", "civil_servant" },
		{ "Công chức", "civil_servant" },
		{ "viên chức", "public_employee" },
		{ "Viên chức", "public_employee" },
		{ "người lao động", "contract_worker" },
		{ "Người lao động", "contract_worker" },
		{ "hợp đồng", "contract_worker" },
		{ "Hợp đồng", "contract_worker" },
		{ "CÔNG CHỨC", "civil_servant" },
		{ "VIÊN CHỨC", "public_employee" },
		{ "NGƯỜI LAO ĐỘNG", "contract_worker" },
		{ "HỢP ĐỒNG", "contract_worker" },
		{ "khác", "other" },
		{ "Khác", "other" },
		{ NULL, NULL },
	};
	return lookup(table, text);
}
