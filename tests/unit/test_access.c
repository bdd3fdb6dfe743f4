/* Unit tests: the authorization decision table, row by row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/access.h"

/* Expected scope per role: admin, secretariat, leader, council, unit_head, staff, viewer. */
struct row {
	const char *permission;
	const char *expect; /* one letter per role: P province, O org, U unit, S self, - none */
	mscope_set machine;
};

static const struct row rows[] = {
	{ "me.read", "OOOOOOO",
	  MSCOPE_BIT(MSCOPE_REPORTS_WRITE) | MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "organization.read", "OOOOOOO", MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "unit.read", "OOOOOOO", MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "unit.write", "O------", 0 },
	{ "staff.read", "OOOOUSO", 0 },
	{ "staff.write", "OO-----", 0 },
	{ "staff.import", "OO-----", 0 },
	{ "user.read", "O------", 0 },
	{ "user.write", "O------", 0 },
	{ "client.manage", "O------", 0 },
	{ "webhook.manage", "O------", 0 },
	{ "audit.read", "O------", 0 },
	/* issue 4, records */
	{ "catalogue.read", "OOOOOOO",
	  MSCOPE_BIT(MSCOPE_INTEGRATION_READ) | MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	{ "document.read", "OOOOOOO", MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "document.write", "OO-----", 0 },
	{ "movement.read", "OOOOOOO", MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "movement.write", "OO-----", 0 },
	{ "session.read", "OOOOUSO", 0 },
	{ "session.write", "OO--U--", 0 },
	{ "result.read", "OOOOOOO", MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "result.write", "OO-----", 0 },
	{ "target.report", "OO--U--", MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	/* issue 12 §3, the fund */
	{ "fund.read", "OOOO--O", 0 },
	{ "fund.write", "OO-----", 0 },
	/* issue 12 §1, the council */
	{ "council.read", "OOOO--O", 0 },
	{ "council.manage", "-O-----", 0 },
	{ "council.vote", "-OOO---", 0 },
	{ "council.sign", "-OO----", 0 },
	/* issue 13 §2, cases */
	{ "case.read", "OOO----", 0 },
	{ "case.manage", "OO-----", 0 },
	{ "case.decide", "O-O----", 0 },
	/* issue 13 §1, disclosure */
	{ "disclosure.read", "OOOO--O", 0 },
	{ "disclosure.write", "OO-----", 0 },
	/* issue 13 §3, exemplars */
	{ "exemplar.read", "OOOOOOO", 0 },
	{ "exemplar.write", "OO-----", 0 },
	/* households, recipients of certificates of merit */
	{ "household.read", "OOOO--O", 0 },
	{ "household.write", "OO-----", 0 },
	/* issue 12 §2, decisions */
	{ "decision.read", "OOOO--O", 0 },
	{ "decision.write", "-O-----", 0 },
	{ "decision.sign", "O-O----", 0 },
	/* issue 14 §1: a province's readers; the handlers refuse agencies */
	{ "province.read", "PPP---P", MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
	{ "bloc.read", "OOOO--O",
	  MSCOPE_BIT(MSCOPE_BLOC_READ) | MSCOPE_BIT(MSCOPE_BLOC_SCORE) |
		  MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
	{ "bloc.manage", "OO-----", 0 },
	{ "bloc.score", "OO-----", MSCOPE_BIT(MSCOPE_BLOC_SCORE) },
	/* issue 14 §1: a province's administrator manages its agencies */
	{ "organization.manage", "O------", 0 },
	/* issue 14 §3: a province's portal reads the province's forms */
	{ "statistics.read", "OOO---O",
	  MSCOPE_BIT(MSCOPE_INTEGRATION_READ) | MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
};

static enum access_scope letter(char ch)
{
	return ch == 'P'   ? SCOPE_PROVINCE
	       : ch == 'O' ? SCOPE_ORG
	       : ch == 'U' ? SCOPE_UNIT
	       : ch == 'S' ? SCOPE_SELF
			   : SCOPE_NONE;
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (int r = 0; r < ROLE_COUNT; r++) {
			enum access_scope got = access_decide(rows[i].permission, ROLE_BIT(r), 0);
			if (got != letter(rows[i].expect[r]))
				fail_msg("%s for %s: got %s", rows[i].permission,
					 role_name((enum role)r), access_scope_name(got));
		}
		if (access_machine_scopes(rows[i].permission) != rows[i].machine)
			fail_msg("%s: machine scopes differ", rows[i].permission);
	}
}

static void test_widest_role_wins(void **state)
{
	(void)state;
	role_set both = ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_UNIT_HEAD);
	assert_int_equal(access_decide("staff.read", both, 0), SCOPE_UNIT);
	both |= ROLE_BIT(ROLE_SECRETARIAT);
	assert_int_equal(access_decide("staff.read", both, 0), SCOPE_ORG);
}

static void test_deny_by_default(void **state)
{
	(void)state;
	role_set all = (1u << ROLE_COUNT) - 1;
	mscope_set ms = (1u << MSCOPE_COUNT) - 1;
	assert_int_equal(access_decide("no.such.permission", all, ms), SCOPE_NONE);
	assert_int_equal(access_decide("", all, ms), SCOPE_NONE);
	assert_int_equal(access_decide("staff.read", 0, 0), SCOPE_NONE);
	/* machine scopes grant nothing they are not listed for */
	assert_int_equal(access_decide("staff.read", 0, ms), SCOPE_NONE);
	assert_int_equal(access_decide("unit.read", 0, MSCOPE_BIT(MSCOPE_INTEGRATION_READ)),
			 SCOPE_ORG);
	assert_int_equal(access_decide("unit.read", 0, MSCOPE_BIT(MSCOPE_REPORTS_WRITE)),
			 SCOPE_NONE);
	/* the table knows exactly the permissions above */
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_true(access_known(rows[i].permission));
}

/* Only the province.* permissions ever reach across organisations: every
 * other permission of the table stays within one, whatever the roles and
 * machine scopes; province:read grants the province and nothing else.
 * statistics.read and bloc.read are the others that province:read
 * grants: a province's forms are its members' added up, and it owns its
 * blocs; their handlers read as the caller's own organisation whatever
 * the scope. */
static void test_province_scope_is_confined(void **state)
{
	(void)state;
	role_set all = (1u << ROLE_COUNT) - 1;
	mscope_set ms = (1u << MSCOPE_COUNT) - 1;
	size_t i = 0;
	for (const char *perm; (perm = access_permission_at(i)); i++) {
		bool province = strncmp(perm, "province.", 9) == 0 ||
				strcmp(perm, "statistics.read") == 0 ||
				strcmp(perm, "bloc.read") == 0;
		enum access_scope widest = access_decide(perm, all, ms);
		if (province ? widest != SCOPE_PROVINCE : widest > SCOPE_ORG)
			fail_msg("%s: %s", perm, access_scope_name(widest));
		enum access_scope by_client =
			access_decide(perm, 0, MSCOPE_BIT(MSCOPE_PROVINCE_READ));
		if (by_client != (province ? SCOPE_PROVINCE : SCOPE_NONE))
			fail_msg("province:read on %s: %s", perm, access_scope_name(by_client));
	}
	assert_true(i > 50); /* the whole table was read */
	assert_string_equal(access_scope_name(SCOPE_PROVINCE), "province");
	enum machine_scope m;
	assert_true(machine_scope_parse("province:read", &m));
	assert_int_equal(m, MSCOPE_PROVINCE_READ);
}

static void test_names(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++) {
		enum role back;
		assert_true(role_parse(role_name((enum role)r), &back));
		assert_int_equal(back, r);
	}
	enum role x;
	assert_false(role_parse("superuser", &x));
	assert_false(role_parse("Admin", &x));
	enum machine_scope m;
	assert_true(machine_scope_parse("reports:write", &m));
	assert_false(machine_scope_parse("reports:*", &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_widest_role_wins),
		cmocka_unit_test(test_deny_by_default),
		cmocka_unit_test(test_province_scope_is_confined),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
