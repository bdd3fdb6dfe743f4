/*
 * sessions.c — dissemination and training sessions (tuyên truyền, quán
 * triệt, tập huấn) and who attended them.
 *
 * GET /v1/sessions, GET /v1/sessions/{id}, POST /v1/sessions,
 * PUT /v1/sessions/{id}/attendance.
 * Sessions are the organisation's and every reader sees all of them; their
 * attendance is personal data, confined to the reader's scope (a unit head
 * sees the staff of their subtree, a staff member themselves).  A unit head
 * records sessions of a unit they lead and the attendance of its staff
 * only.  Attendance feeds the "informed" targets: present at the session,
 * or informed later (at a make-up session or in person) on informed_on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/reply.h"
#include "http/validate.h"

static const char *const session_kinds[] = { "dissemination", "training", "makeup", NULL };
static const char *const attendance_statuses[] = { "attended", "absent", "informed_later", NULL };

#define MAX_DOCUMENTS 100
#define MAX_RECORDS 5000
#define MAX_RECORD_ERRORS 50 /* a batch of 5000 bad rows answers the first ones */

void sessions_list(struct call *c)
{
	struct dated_page pg;
	char date[11];
	struct db *db;
	char *json = NULL;
	struct row_scope scope = api_scope(c);
	if (!api_dated_page_or_answer(c, &pg, date) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_sessions_list(db, &scope, &pg, &json);
	api_answer_page(c, st, json, NULL);
}

void session_get(struct call *c)
{
	int64_t id;
	struct db *db;
	char *json = NULL;
	struct row_scope scope = api_scope(c);
	if (!api_path_id_or_answer(c, "id", &id) || !(db = api_db_or_answer(c)))
		return;
	enum db_status st = store_session_get(db, &scope, id, &json);
	api_answer_read(c, st, json);
}

/* document_ids: distinct positive ids, at most MAX_DOCUMENTS. */
static void validate_document_ids(struct validation *v)
{
	const json_t *ids = json_object_get(v->body, "document_ids");
	if (!json_is_array(ids) || json_array_size(ids) > MAX_DOCUMENTS) {
		validation_fail(v, "document_ids", "must be an array of at most 100 document ids");
		return;
	}
	for (size_t i = 0; i < json_array_size(ids); i++) {
		const json_t *id = json_array_get(ids, i);
		bool ok = json_is_integer(id) && json_integer_value(id) > 0;
		for (size_t k = 0; ok && k < i; k++)
			ok = !json_equal(id, json_array_get(ids, k));
		if (!ok) {
			char name[40];
			snprintf(name, sizeof name, "document_ids/%zu", i);
			validation_fail(v, name, "must be a positive integer id, named once");
		}
	}
}

static void validate_session(const struct call *c, struct validation *v)
{
	const char *kind = NULL, *s;
	struct civil_date d;
	char text[11];
	int64_t id;
	field_enum(v, "kind", true, session_kinds, &kind);
	field_date(v, "held_on", true, &d, text);
	field_string(v, "topic", true, 1, 1000, &s);
	if (api_field_given(v, "location"))
		field_string(v, "location", false, 0, 300, &s);
	if (api_field_given(v, "plan_id"))
		field_id(v, "plan_id", false, &id);
	if (api_field_given(v, "unit_id"))
		field_id(v, "unit_id", false, &id);
	else if (c->who.scope == SCOPE_UNIT)
		validation_fail(v, "unit_id",
				"is required: a unit head records the sessions of "
				"a unit they lead");
	bool makeup = kind && !strcmp(kind, "makeup");
	if (api_field_given(v, "makeup_of")) {
		if (field_id(v, "makeup_of", false, &id) && kind && !makeup)
			validation_fail(v, "makeup_of", "is only for a session of kind makeup");
	} else if (makeup) {
		validation_fail(v, "makeup_of",
				"is required for a make-up session: the session it makes up for");
	}
	if (api_field_given(v, "document_ids"))
		validate_document_ids(v);
}

void session_create(struct call *c)
{
	static const char *const fields[] = { "kind",	   "held_on",	   "topic",
					      "location",  "plan_id",	   "unit_id",
					      "makeup_of", "document_ids", NULL };
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_session(c, &v);
	struct writer w;
	struct write_result r;
	struct row_scope scope = api_scope(c);
	char *body = NULL;
	if (api_valid_or_answer(c, &v) && (body = api_json_text_or_answer(c, c->body)) &&
	    api_writer_or_answer(c, &w)) {
		store_session_create(&w, &scope, body, &r);
		api_answer_write(c, &r, "/v1/sessions");
	}
	free(body);
}

/* --- attendance --------------------------------------------------------- */

/* Validates record i into v; its errors point at /records/i/... */
static void validate_record(struct validation *v, size_t i, const json_t *rec)
{
	static const char *const fields[] = { "staff_id", "status", "informed_on", "note", NULL };
	char name[48];
	snprintf(name, sizeof name, "records/%zu", i);
	if (!json_is_object(rec)) {
		validation_fail(v, name, "must be an object");
		return;
	}
	struct validation rv;
	validation_begin(&rv, rec, fields);
	int64_t id;
	const char *status = NULL, *s;
	struct civil_date d;
	char text[11];
	field_id(&rv, "staff_id", true, &id);
	field_enum(&rv, "status", true, attendance_statuses, &status);
	bool later = status && !strcmp(status, "informed_later");
	if (api_field_given(&rv, "informed_on")) {
		if (field_date(&rv, "informed_on", false, &d, text) && status && !later)
			validation_fail(&rv, "informed_on", "is only for status informed_later");
	} else if (later) {
		validation_fail(
			&rv, "informed_on",
			"is required for status informed_later: the day they were informed");
	}
	if (api_field_given(&rv, "note"))
		field_text(&rv, "note", false, 1000, &s);
	validation_nest(v, &rv, name);
}

struct staff_at {
	int64_t id;
	size_t i;
};

static int by_staff(const void *a, const void *b)
{
	const struct staff_at *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* One record per staff member: an upsert cannot touch a row twice. */
static void check_distinct_staff(struct validation *v, const json_t *records)
{
	size_t n = json_array_size(records);
	struct staff_at *at = malloc(n * sizeof *at);
	if (!at) {
		validation_fail(v, "records", "too many records to check now; send fewer");
		return;
	}
	for (size_t i = 0; i < n; i++)
		at[i] = (struct staff_at){ json_integer_value(json_object_get(
						   json_array_get(records, i), "staff_id")),
					   i };
	qsort(at, n, sizeof *at, by_staff);
	for (size_t k = 1; k < n; k++) {
		if (at[k].id == at[k - 1].id) {
			char name[48];
			snprintf(name, sizeof name, "records/%zu/staff_id", at[k].i);
			validation_fail(v, name,
					"names a staff member already named in this batch");
		}
	}
	free(at);
}

static void validate_records(struct validation *v)
{
	const json_t *records = json_object_get(v->body, "records");
	if (!records) {
		validation_fail(v, "records", "is required");
		return;
	}
	if (!json_is_array(records) || json_array_size(records) < 1 ||
	    json_array_size(records) > MAX_RECORDS) {
		validation_fail(v, "records", "must be an array of 1 to 5000 attendance records");
		return;
	}
	for (size_t i = 0; i < json_array_size(records); i++) {
		if (v->p && json_array_size(v->p->errors) >= MAX_RECORD_ERRORS)
			return;
		validate_record(v, i, json_array_get(records, i));
	}
	if (!v->p) /* every staff_id is a valid id now */
		check_distinct_staff(v, records);
}

void session_attendance_put(struct call *c)
{
	static const char *const fields[] = { "records", NULL };
	int64_t id;
	if (!api_path_id_or_answer(c, "id", &id))
		return;
	struct validation v;
	validation_begin(&v, c->body, fields);
	validate_records(&v);
	struct writer w;
	struct write_result r;
	struct row_scope scope = api_scope(c);
	char *records = NULL;
	if (api_valid_or_answer(c, &v) &&
	    (records = api_json_text_or_answer(c, json_object_get(c->body, "records"))) &&
	    api_writer_or_answer(c, &w)) {
		store_session_attendance(&w, &scope, id, records, &r);
		api_answer_write(c, &r, NULL);
	}
	free(records);
}
