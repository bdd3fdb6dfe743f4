/*
 * directory.h — organisations, units and staff.
 *
 * Reads return JSON text built by PostgreSQL (unit_json, staff_json), which
 * handlers send as is: no row is parsed into C only to be printed again.
 * Every read and write is confined by a struct row_scope taken from the
 * verified caller; a row outside it is reported as not found.  Writes take
 * the writer and the validated fields as one JSON object, record the audit
 * entry in the same statement, so a change and its trace commit together,
 * and fill a write_result (store/write.h): OK with the document, its
 * version and its id.
 */
#ifndef THIDUA_STORE_DIRECTORY_H
#define THIDUA_STORE_DIRECTORY_H

#include <stdint.h>

#include "domain/access.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/write.h"

struct row_scope {
	int64_t org_id;
	enum access_scope scope;
	int64_t unit_id; /* for SCOPE_UNIT */
	int64_t staff_id; /* for SCOPE_SELF */
};

/* A caller's scope as the arguments $1..$4 of a statement: organisation,
 * scope name, unit, staff (SQL staff_visible and friends read them). */
#define SCOPE_ARGS(s)                                                       \
	db_arg_id((s)->org_id), db_arg_text(access_scope_name((s)->scope)), \
		db_arg_id((s)->unit_id), db_arg_id((s)->staff_id)

/* Each *json is a new string, or NULL when nothing is visible. */
enum db_status store_organization_get(struct db *db, int64_t org_id, char **json);

/* The id of the organisation with this code; *id 0 when there is none. */
enum db_status store_organization_id(struct db *db, const char *code, int64_t *id);

/* *yes when unit is the organisation's and, within > 0, in within's subtree. */
enum db_status store_unit_within(struct db *db, int64_t org_id, int64_t unit, int64_t within,
				 bool *yes);
enum db_status store_units_list(struct db *db, int64_t org_id, char **json);
enum db_status store_unit_get(struct db *db, int64_t org_id, int64_t id, char **json);
/* fields: {"parent_id","code","name","kind"} validated. */
void store_unit_create(const struct writer *w, const char *fields, struct write_result *r);
/* A unit renamed or moved (fields: name, code, kind, parent_id, tdkt_body,
 * effective_on, decision), or closed (closed_on, decision), at version;
 * db/procedures/units.sql. */
void store_unit_change(const struct writer *w, int64_t id, int version, const char *fields,
		       struct write_result *r);
void store_unit_close(const struct writer *w, int64_t id, int version, const char *fields,
		      struct write_result *r);
/* {"unit", "changes"}: the unit and its dated changes; NULL when not the
 * organisation's. */
enum db_status store_unit_history(struct db *db, int64_t org_id, int64_t id, char **json);

struct staff_filter {
	const char *q; /* name search without accents, or NULL: syllable
			* prefixes (staff_name_parts); a substring with unit_id */
	int64_t unit_id; /* 0: any (within scope) */
	const char *status; /* NULL: any */
	/* keyset: the sort key of the last row of the previous page;
	 * "", "", 0 for the first page */
	const char *after_given;
	const char *after_full;
	int64_t after_id;
	long limit;
};
/* {"items":[...], "next_cursor": "base64url"|null}, and the cursor alone
 * (NULL on the last page) so the caller need not parse the page. */
struct page_cache;
/* staff_pages: rendered pages kept by the staff revision, or NULL. */
enum db_status store_staff_list(struct db *db, struct page_cache *staff_pages,
				const struct row_scope *s, const struct staff_filter *f,
				char **json, char **next_cursor);
/* The record and its version (for the ETag). */
enum db_status store_staff_get(struct db *db, const struct row_scope *s, int64_t id, char **json,
			       int *version);
void store_staff_create(const struct writer *w, const char *fields, struct write_result *r);
/* Applies fields (a partial document) to a record the scope s lets the
 * caller see (else NOT_FOUND) when its version equals if_version (else
 * STALE). */
void store_staff_patch(const struct writer *w, const struct row_scope *s, int64_t id,
		       int if_version, const char *fields, struct write_result *r);
/* Inserts every row of a validated JSON array, all or none (one
 * statement); OK with the body {"imported": n}. */
void store_staff_import(const struct writer *w, const char *rows, struct write_result *r);
/* {"code": id, ...} of the organisation's units, for the import. */
enum db_status store_unit_codes(struct db *db, int64_t org_id, char **json);

#endif
