/*
 * access.h — who may do what, and on which rows: the decision table.
 *
 * One table maps each permission to the scope each role gets (nothing, only
 * themselves, their unit's subtree, or the whole organisation) and to the
 * machine scopes that grant it.  The dispatcher asks access_decide() before
 * any handler runs; handlers then apply the returned scope inside every
 * query, so a row outside it answers 404 like a row that does not exist.
 * Pure: no I/O.
 */
#ifndef THIDUA_DOMAIN_ACCESS_H
#define THIDUA_DOMAIN_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

enum role {
	ROLE_ADMIN, /* the organisation's administrator */
	ROLE_SECRETARIAT, /* the Office's emulation officer (Văn phòng) */
	ROLE_LEADER, /* head of agency (Trưởng ban): approves, signs */
	ROLE_COUNCIL, /* member of the emulation-commendation council (Hội đồng TĐKT) */
	ROLE_UNIT_HEAD, /* head of a unit: that unit and its subtree */
	ROLE_STAFF, /* a staff member: themselves */
	ROLE_VIEWER, /* read-only, e.g. the provincial committee */
	ROLE_COUNT
};

enum machine_scope {
	MSCOPE_REPORTS_WRITE, /* reports:write */
	MSCOPE_INTEGRATION_READ, /* integration:read */
	MSCOPE_PROVINCE_READ, /* province:read: a province's client, across its members */
	MSCOPE_BLOC_READ, /* bloc:read: the blocs its organisation belongs to or groups */
	MSCOPE_BLOC_SCORE, /* bloc:score: its organisation's scorings in its blocs */
	MSCOPE_COUNT
};

/* Ordered: a wider scope includes the narrower ones.  SCOPE_PROVINCE is
 * granted only by the province.* permissions, whose routes read across
 * the agencies a province groups (and only when the caller's organisation
 * is a province: the handlers check it); no other route ever sees it. */
enum access_scope { SCOPE_NONE, SCOPE_SELF, SCOPE_UNIT, SCOPE_ORG, SCOPE_PROVINCE };

const char *role_name(enum role r);
bool role_parse(const char *name, enum role *out);
const char *machine_scope_name(enum machine_scope s);
bool machine_scope_parse(const char *name, enum machine_scope *out);

/* Bit sets of roles and machine scopes. */
typedef unsigned role_set;
typedef unsigned mscope_set;
#define ROLE_BIT(r) (1u << (r))
#define MSCOPE_BIT(s) (1u << (s))

/* The widest scope any of the caller's roles or machine scopes grants for
 * permission; SCOPE_NONE for an unknown permission (deny by default). */
enum access_scope access_decide(const char *permission, role_set roles, mscope_set mscopes);

/* True when the permission is in the table. */
bool access_known(const char *permission);
/* The table's permissions, by index (NULL past the last): for tests that
 * must hold for every row. */
const char *access_permission_at(size_t i);

/* For the route listing and the contract test: the scope role r gets. */
enum access_scope access_role_scope(const char *permission, enum role r);
/* Machine scopes that grant permission, as a bit set. */
mscope_set access_machine_scopes(const char *permission);
const char *access_scope_name(enum access_scope s);

#endif
