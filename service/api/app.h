/*
 * app.h — what the handlers of one process share, and the route table.
 *
 * main.c builds one struct app at start; every call carries a pointer to it
 * (struct call.app).  Nothing in it changes after start except through its
 * own synchronisation (the pool).
 */
#ifndef THIDUA_API_APP_H
#define THIDUA_API_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/jwt.h"
#include "config.h"
#include "http/auth.h"
#include "http/call.h"
#include "store/audit.h"
#include "store/directory.h"
#include "store/plans.h"
#include "store/steps.h"
#include "store/db.h"
#include "store/write.h"
#include "api/params.h"
#include "api/reply.h"

/* The process-wide caches, made by main.c at start.  Each is a copy of what
 * PostgreSQL holds, checked against a revision read on every request
 * (cache/page_cache.h) or immutable; none is what makes a path fast enough. */
struct app_caches {
	struct page_cache *staff_pages; /* staff list pages, by staff revision */
	struct page_cache *progress; /* progress answers, by progress revision and language */
	struct page_cache *template_fields; /* the fields of a period's template */
};

struct app {
	const struct config *cfg;
	struct pool *pool;
	struct app_caches caches;
	char *openapi_json; /* the contract as JSON, converted once at start */
	size_t openapi_json_len;
	struct jwt_keyring *keys; /* signs and verifies our access tokens */
	struct jwt_rules rules;
	char *jwks_json; /* the public keys, converted once at start */
	struct jwt_keyring *sso_keys; /* the external issuer's key, or NULL */
	struct jwt_rules sso_rules;
	struct sso_trust sso;
};

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* The problem to answer for a failed database step; new, never NULL. */
struct problem *problem_from_db(enum db_status st);

/* Borrows a connection; when none can be had, answers the call and returns NULL. */
struct db *api_db(struct call *c);
void api_release(struct call *c, struct db *db);
/* The actor of the audit trail: the verified caller (borrowed strings). */
void legacy_actor(const struct call *c, struct actor *a);
/* Answers JSON text made by PostgreSQL; takes text (NULL answers 404). */
void api_send_json_text(struct call *c, int status, char *text);
/* Logs a database failure (DB_ERROR with its SQLSTATE) and answers it. */
void api_fail_db(struct call *c, struct db *db, enum db_status st, const char *what);
/* The caller's confinement for queries. */
struct row_scope api_scope(const struct call *c);
/* Reads a numeric path id; answers 404 and returns false when it is not one. */
bool api_path_id(struct call *c, const char *name, int64_t *id);
/* Reads If-Match ("N"); answers 428/412 and returns false when unusable. */
bool api_if_match(struct call *c, int *version);
/* Sends a JSON document with an ETag made from its "version"; takes text. */
void api_send_versioned(struct call *c, int status, char *text);
/* Same, with the version already known (no parsing of the document). */
void api_send_with_etag(struct call *c, int status, char *text, int version);
/* Sends 201 with Location: collection/<id> (none when collection is "")
 * and the ETag; takes text. */
void api_send_created(struct call *c, char *text, const char *collection);
/* Reads ?cursor= made of a sort key (base64url of a JSON array
 * [given_name, full_name, id]); the first page's key when absent.
 * New reference, or NULL with *p set. */
json_t *api_key_cursor_new(struct call *c, struct problem **p);
/* Reads ?cursor= (an id from next_cursor). */
bool api_cursor(struct call *c, int64_t *after, struct problem **p);
/* Sends a page {"items","next_cursor"} with an RFC 8288 Link to the next
 * page (the request's query with the new cursor); takes text. */
void api_send_page(struct call *c, char *text);
/* Same, with the next cursor already known (NULL: last page). */
void api_send_page_cursor(struct call *c, char *text, const char *next);
/* The 409/422 for a write that broke a constraint, or NULL. */
struct problem *api_db_write_problem(struct db *db, enum db_status st);

/* Answers the problem and returns false when the body did not validate. */
struct validation;
bool api_valid(struct call *c, struct validation *v);

/* How to answer a write (see legacy_answer_write). */
struct write_answer {
	const char *collection; /* created: 201 with Location under it; NULL: 200 */
	const char *noun; /* "record", "account": for the 412 detail */
	const char *what; /* for the log of a database failure */
	void (*annotate)(struct db *db, struct problem *p); /* pointers for a 409/422 */
};
/* The answer to a write: the document (201 or 200 with ETag), 412 when
 * current > 0 (the row moved on), 404 when nothing was visible, 409/422 for a
 * broken constraint, else 500/503.  Takes json. */
void legacy_answer_write(struct call *c, struct db *db, enum db_status st, char *json, int current,
		      const struct write_answer *w);

/* The answer to a workflow step (store/steps.h): the body (201 under
 * w->collection, else 200) with its ETag, 404, 412, 422 for "invalid", 409
 * for a state conflict, or the database failure.  Clears o. */
void api_answer_step(struct call *c, struct db *db, enum db_status st, struct step_outcome *o,
		     const struct write_answer *w);

/* The body of a workflow step: {reason} (1..2000 characters, not blank)
 * when wanted (a return), else no member at all; answers 400/422 and
 * returns false otherwise.  *reason is borrowed from the body. */
bool api_step_reason(struct call *c, bool wanted, const char **reason);
/* Today in Asia/Ho_Chi_Minh, "YYYY-MM-DD". */
void legacy_today(char out[11]);
/* The caller's confinement for plans and registrations: a unit head's
 * subtree or a staff member's own record (-1: nothing is visible). */
struct reg_scope api_reg_scope(const struct call *c);

/* The common reads: the organisation's document or list (read fills JSON
 * text), or one of its records by the path's {id}; answers the call. */
typedef enum db_status (*org_read_fn)(struct db *db, int64_t org_id, char **json);
typedef enum db_status (*org_item_fn)(struct db *db, int64_t org_id, int64_t id, char **json);
void api_read_org(struct call *c, org_read_fn read, const char *what, bool versioned);
void api_read_item(struct call *c, org_item_fn read, const char *what);

/* Resource handlers. */
void auth_token(struct call *c);
void auth_logout(struct call *c);
void auth_jwks(struct call *c);
void auth_me(struct call *c);
void organization_get(struct call *c);
void units_list(struct call *c);
void unit_get(struct call *c);
void unit_create(struct call *c);
void staff_list(struct call *c);
void staff_get(struct call *c);
void staff_create(struct call *c);
void staff_patch(struct call *c);
void staff_import(struct call *c);
void users_list(struct call *c);
void user_get(struct call *c);
void user_create(struct call *c);
void user_patch(struct call *c);
void clients_list(struct call *c);
void client_create(struct call *c);
void client_rotate(struct call *c);
void client_revoke(struct call *c);
void audit_list(struct call *c);
void plans_list(struct call *c);
void plan_create(struct call *c);
void plan_get(struct call *c);
void plan_patch(struct call *c);
void plan_issue(struct call *c);
void plan_close(struct call *c);
void plan_amend(struct call *c);
void plan_history(struct call *c);
void plan_progress(struct call *c);
void plan_roster(struct call *c);
void registrations_list(struct call *c);
void registration_create(struct call *c);
void registration_get(struct call *c);
void registration_patch(struct call *c);
void registration_entry_put(struct call *c);
void registration_entry_delete(struct call *c);
void registration_submit(struct call *c);
void registration_accept(struct call *c);
void registration_return(struct call *c);
void registration_reopen(struct call *c);

/* Issue 5: report templates, periods and submissions (api/reports.c,
 * api/submissions.c). */
struct report_errors;
/* Adds the errors of a report template check to v, under /prefix. */
void api_report_errors(struct validation *v, const struct report_errors *err, const char *prefix);
void report_templates_list(struct call *c);
void report_template_create(struct call *c);
void report_template_get(struct call *c);
void report_periods_list(struct call *c);
void report_period_create(struct call *c);
void report_period_get(struct call *c);
void report_period_close(struct call *c);
void submissions_list(struct call *c);
void submission_create(struct call *c);
void submission_get(struct call *c);
void submission_put(struct call *c);
void submission_submit(struct call *c);
void submission_accept(struct call *c);
void submission_return(struct call *c);
void submission_versions(struct call *c);
void audit_verify(struct call *c);

/* Handlers of the operational routes (api/ops.c). */
void ops_healthz(struct call *c);
void ops_readyz(struct call *c);
void ops_metrics(struct call *c);
void ops_openapi_yaml(struct call *c);
void ops_openapi_json(struct call *c);
void ops_docs(struct call *c);

/* Registers the pool gauges with /metrics. */
void ops_register_metrics(struct app *app);

/* ---- Issue 4, records: catalogue, documents, movements, sessions, results.
 * Shared steps in api/records.c; handlers in catalogue.c, movements.c,
 * sessions.c and results.c. */
#include "store/records.h"

/* Reads ?limit=, ?plan_id= and ?cursor= of a dated list (date holds the
 * cursor's date, which pg borrows); answers 400 and returns false when one
 * is invalid. */
bool api_dated_page(struct call *c, struct dated_page *pg, char date[11]);
/* Answers 422 naming the member a store refused (see store/records.h). */
void api_refused(struct call *c, const char *pointer, const char *detail);
/* True when an optional member is present and not null. */
bool api_field_given(const struct validation *v, const char *name);
/* Stores the validated body with create and answers 201 (with Location
 * when w->collection is set), or the write's problem. */
typedef enum db_status (*record_create_fn)(struct db *db, const struct actor *a, const char *fields,
					   char **json);
void api_create(struct call *c, record_create_fn create, const struct write_answer *w);

void titles_list(struct call *c);
void documents_list(struct call *c);
void document_create(struct call *c);
void document_get(struct call *c);
void movements_list(struct call *c);
void movement_get(struct call *c);
void movement_create(struct call *c);
void sessions_list(struct call *c);
void session_get(struct call *c);
void session_create(struct call *c);
void session_attendance_put(struct call *c);
void ratings_list(struct call *c);
void rating_create(struct call *c);
void recognitions_list(struct call *c);
void recognition_create(struct call *c);
void target_report_create(struct call *c);
/* ---- end of issue 4, records */

/* ---- issue 5, followup: api/followup.c and api/attachments.c */
void report_period_status(struct call *c);
void report_period_remind(struct call *c);
void submission_attach(struct call *c);
void submission_attachment_get(struct call *c);
/* ---- end of issue 5, followup */
/* ---- issue 5, consolidation (api/consolidations.c) */
void consolidation_create(struct call *c);
void consolidation_get(struct call *c);
void consolidation_send(struct call *c);
void consolidations_feed(struct call *c);
/* ---- end of issue 5, consolidation */

#endif
