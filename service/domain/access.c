/*
 * access.c — the permission table (see access.h).
 *
 * Columns: admin, secretariat, leader, council, unit_head, staff, viewer.
 * Reading the organisation chart (units) and the plans is open to every
 * member: it is not personal data.  Staff records are personal data: unit heads see
 * their subtree, staff see themselves.  Only administrators manage accounts,
 * machine clients and read the audit trail.
 */
#include "domain/access.h"

#include <string.h>

#define N SCOPE_NONE
#define S SCOPE_SELF
#define U SCOPE_UNIT
#define O SCOPE_ORG
#define P SCOPE_PROVINCE

struct grant {
	const char *permission;
	enum access_scope by_role[ROLE_COUNT];
	mscope_set machine;
};

static const struct grant table[] = {
	/*                          adm sec lea cou uhd stf vie */
	{ "me.read",
	  { O, O, O, O, O, O, O },
	  MSCOPE_BIT(MSCOPE_REPORTS_WRITE) | MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "organization.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "unit.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "unit.write", { O, N, N, N, N, N, N }, 0 },
	{ "staff.read", { O, O, O, O, U, S, O }, 0 },
	{ "staff.write", { O, O, N, N, N, N, N }, 0 },
	{ "staff.import", { O, O, N, N, N, N, N }, 0 },
	{ "user.read", { O, N, N, N, N, N, N }, 0 },
	{ "user.write", { O, N, N, N, N, N, N }, 0 },
	{ "client.manage", { O, N, N, N, N, N, N }, 0 },
	/* who is told of the organisation's events, and where: the admin's */
	{ "webhook.manage", { O, N, N, N, N, N, N }, 0 },
	{ "audit.read", { O, N, N, N, N, N, N }, 0 },
	/* plans: drafted by the Office, issued by the head of the agency */
	{ "plan.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "plan.write", { O, O, N, N, N, N, N }, 0 },
	{ "plan.issue", { O, N, O, N, N, N, N }, 0 },
	/* progress counts people: a unit head sees their subtree's */
	{ "progress.read", { O, O, O, O, U, N, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	/* registrations: units register, staff their own entry, the Office decides */
	{ "registration.read", { O, O, O, O, U, S, O }, 0 },
	{ "registration.write", { O, O, N, N, U, N, N }, 0 },
	{ "registration.entry", { O, O, N, N, U, S, N }, 0 },
	{ "registration.submit", { O, O, N, N, U, N, N }, 0 },
	{ "registration.decide", { O, O, N, N, N, N, N }, 0 },
	{ "roster.export", { O, O, O, O, U, N, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	/* issue 4, records: what targets are measured from */
	{ "catalogue.read",
	  { O, O, O, O, O, O, O },
	  MSCOPE_BIT(MSCOPE_INTEGRATION_READ) | MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	{ "document.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "document.write", { O, O, N, N, N, N, N }, 0 },
	{ "movement.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "movement.write", { O, O, N, N, N, N, N }, 0 },
	{ "session.read", { O, O, O, O, U, S, O }, 0 },
	{ "session.write", { O, O, N, N, U, N, N }, 0 },
	{ "result.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "result.write", { O, O, N, N, N, N, N }, 0 },
	{ "target.report", { O, O, N, N, U, N, N }, MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	/* end of issue 4, records */
	/* reporting: the Office runs periods, units and machines submit */
	{ "report.read",
	  { O, O, O, O, O, N, O },
	  MSCOPE_BIT(MSCOPE_REPORTS_WRITE) | MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "report.manage", { O, O, N, N, N, N, N }, 0 },
	{ "submission.read", { O, O, O, O, U, N, O }, MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	{ "submission.write", { O, O, N, N, U, N, N }, MSCOPE_BIT(MSCOPE_REPORTS_WRITE) },
	{ "submission.decide", { O, O, N, N, N, N, N }, 0 },
	/* issue 5, consolidation: the Office generates and sends; once sent,
	 * provincial and bloc systems read it */
	{ "consolidation.read", { O, O, O, O, N, N, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "consolidation.write", { O, O, N, N, N, N, N }, 0 },
	/* end of issue 5, consolidation */
	/* issue 11, year-end: the Office records the year's facts and the
	 * ledger; people read their own file, unit heads their subtree's; the
	 * law and the initiatives recognised are open to every member */
	{ "fact.read", { O, O, O, O, U, S, O }, 0 },
	{ "fact.write", { O, O, N, N, N, N, N }, 0 },
	{ "initiative.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "award.read", { O, O, O, O, U, S, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "award.write", { O, O, N, N, N, N, N }, 0 },
	{ "rule.read", { O, O, O, O, O, O, O }, MSCOPE_BIT(MSCOPE_INTEGRATION_READ) },
	{ "eligibility.read", { O, O, O, O, U, S, O }, 0 },
	/* a collective's verdict counts its members: not for a staff member */
	{ "unit_eligibility.read", { O, O, O, O, U, N, O }, 0 },
	/* review rounds: the Office opens and submits them, unit heads nominate
	 * in their subtree, everyone sees whether they were nominated and why */
	{ "round.read", { O, O, O, O, O, O, O }, 0 },
	{ "round.manage", { O, O, N, N, N, N, N }, 0 },
	{ "nomination.read", { O, O, O, O, U, S, O }, 0 },
	{ "nomination.write", { O, O, N, N, U, N, N }, 0 },
	{ "nomination.override", { O, O, N, N, N, N, N }, 0 },
	/* end of issue 11, year-end */
	/* issue 12 §3, the emulation fund: the Office keeps it and pays the
	 * bonuses; the head of the agency and the council read it */
	{ "fund.read", { O, O, O, O, N, N, O }, 0 },
	{ "fund.write", { O, O, N, N, N, N, N }, 0 },
	/* issue 12 §1, the council: the Office (its standing body) convenes
	 * and runs sessions; members vote and the chair or the secretary
	 * signs, where their term on the council says so (the data, not the
	 * role, makes a member); the chair is the head of the agency and the
	 * secretary the Office, so only they sign; viewers read */
	{ "council.read", { O, O, O, O, N, N, O }, 0 },
	{ "council.manage", { N, O, N, N, N, N, N }, 0 },
	{ "council.vote", { N, O, O, O, N, N, N }, 0 },
	{ "council.sign", { N, O, O, N, N, N, N }, 0 },
	/* issue 13 §2, cases: the Office records and handles them, the head
	 * of the agency decides (the complaints law: the head of the body
	 * whose decision is complained of); nobody else reads them */
	{ "case.read", { O, O, O, N, N, N, N }, 0 },
	{ "case.manage", { O, O, N, N, N, N, N }, 0 },
	{ "case.decide", { O, N, O, N, N, N, N }, 0 },
	/* issue 13 §1, disclosure: the Office publishes the lists and
	 * handles the feedback; the head, the council and viewers read them
	 * (who sent a piece of feedback: the Office, the admin and the head
	 * only, disclosures.c); units and staff read the public list */
	{ "disclosure.read", { O, O, O, O, N, N, O }, 0 },
	{ "disclosure.write", { O, O, N, N, N, N, N }, 0 },
	/* issue 13 §3, exemplars: spreading them is their point, so every
	 * member reads them; the Office records and publishes them */
	{ "exemplar.read", { O, O, O, O, O, O, O }, 0 },
	{ "exemplar.write", { O, O, N, N, N, N, N }, 0 },
	/* households commended by the agency: citizens' names and addresses,
	 * for those who run commendation; the Office records them */
	{ "household.read", { O, O, O, O, N, N, O }, 0 },
	{ "household.write", { O, O, N, N, N, N, N }, 0 },
	/* issue 12 §2, decisions: the Office drafts them from the council's
	 * minutes, the head of the agency signs them (as plans are issued) */
	{ "decision.read", { O, O, O, O, N, N, O }, 0 },
	{ "decision.write", { N, O, N, N, N, N, N }, 0 },
	{ "decision.sign", { O, N, O, N, N, N, N }, 0 },
	/* a province reads across its member agencies: its office's officers,
	 * its leaders and viewers, and its machine clients with province:read */
	{ "province.read", { P, P, P, N, N, N, P }, MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
	/* issue 14 §1: a province's administrator makes, renames, closes,
	 * merges and splits its agencies (the procedures refuse an agency's) */
	{ "organization.manage", { O, N, N, N, N, N, N }, 0 },
	/* issue 14 §3, the statistics forms: counted for whoever reports
	 * them (the Office, the head, viewers; the integration and the
	 * province's portal); a province's are its members' added up */
	{ "statistics.read",
	  { O, O, O, N, N, N, O },
	  MSCOPE_BIT(MSCOPE_INTEGRATION_READ) | MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
	/* issue 14 §1-2, blocs: read by whoever reads the organisation's work
	 * (a province's portal too: the province owns its blocs);
	 * written by its admin and Office, as what the organisation is in the
	 * bloc allows (the province, the year's head, a member, a scorer: the
	 * procedures check it) */
	{ "bloc.read",
	  { O, O, O, O, N, N, O },
	  MSCOPE_BIT(MSCOPE_BLOC_READ) | MSCOPE_BIT(MSCOPE_BLOC_SCORE) |
		  MSCOPE_BIT(MSCOPE_PROVINCE_READ) },
	{ "bloc.manage", { O, O, N, N, N, N, N }, 0 },
	{ "bloc.score", { O, O, N, N, N, N, N }, MSCOPE_BIT(MSCOPE_BLOC_SCORE) },
};

#undef N
#undef S
#undef U
#undef O
#undef P

static const char *const role_names[ROLE_COUNT] = {
	"admin", "secretariat", "leader", "council", "unit_head", "staff", "viewer",
};

static const char *const mscope_names[MSCOPE_COUNT] = {
	"reports:write", "integration:read", "province:read", "bloc:read", "bloc:score",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

bool role_parse(const char *name, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum role)i;
			return true;
		}
	}
	return false;
}

const char *machine_scope_name(enum machine_scope s)
{
	return (unsigned)s < MSCOPE_COUNT ? mscope_names[s] : "?";
}

bool machine_scope_parse(const char *name, enum machine_scope *out)
{
	for (int i = 0; i < MSCOPE_COUNT; i++) {
		if (strcmp(name, mscope_names[i]) == 0) {
			*out = (enum machine_scope)i;
			return true;
		}
	}
	return false;
}

static const struct grant *find(const char *permission)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].permission, permission) == 0)
			return &table[i];
	return NULL;
}

bool access_known(const char *permission)
{
	return find(permission) != NULL;
}

const char *access_permission_at(size_t i)
{
	return i < sizeof table / sizeof table[0] ? table[i].permission : NULL;
}

enum access_scope access_decide(const char *permission, role_set roles, mscope_set mscopes)
{
	const struct grant *g = find(permission);
	if (!g)
		return SCOPE_NONE;
	enum access_scope best = SCOPE_NONE;
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((roles & ROLE_BIT(r)) && g->by_role[r] > best)
			best = g->by_role[r];
	/* a machine scope grants the organisation (clients act for the
	 * agency), province:read the province */
	if (mscopes & g->machine & MSCOPE_BIT(MSCOPE_PROVINCE_READ))
		best = SCOPE_PROVINCE;
	else if (mscopes & g->machine)
		best = SCOPE_ORG;
	return best;
}

enum access_scope access_role_scope(const char *permission, enum role r)
{
	const struct grant *g = find(permission);
	return g && (unsigned)r < ROLE_COUNT ? g->by_role[r] : SCOPE_NONE;
}

mscope_set access_machine_scopes(const char *permission)
{
	const struct grant *g = find(permission);
	return g ? g->machine : 0;
}

const char *access_scope_name(enum access_scope s)
{
	static const char *const names[] = { "none", "self", "unit", "organization", "province" };
	return (unsigned)s < 5 ? names[s] : "?";
}
