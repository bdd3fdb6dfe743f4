/*
 * labels.c — the labels of the enumerations (see labels.h).
 *
 * One row per code: the set doubles as the gettext context (msgctxt), so
 * "draft" of a plan and "draft" of a registration can read differently.
 * The codes are those the database's CHECK constraints allow; a test
 * (tests/api/test_language.py) compares each set with its column.  Titles
 * (danh hiệu) are data, not code: GET /v1/catalogue/labels reads them from
 * the title_kinds table.
 */
#include "answers/labels.h"

#include <string.h>

#include "answers/lang.h"

/* LABEL(set, code, text): xgettext reads text with set as its context. */
#define LABEL(set, code, text) { set, code, text }

const struct label labels[] = {
	LABEL("role", "admin", "Administrator"),
	LABEL("role", "secretariat", "Emulation and commendation office"),
	LABEL("role", "leader", "Head of the agency"),
	LABEL("role", "council", "Council member"),
	LABEL("role", "unit_head", "Head of unit"),
	LABEL("role", "staff", "Staff member"),
	LABEL("role", "viewer", "Viewer"),
	LABEL("machine_scope", "reports:write", "Submit reports"),
	LABEL("machine_scope", "integration:read", "Read integration feeds"),

	LABEL("unit_kind", "leadership", "Leadership"),
	LABEL("unit_kind", "office", "Office"),
	LABEL("unit_kind", "department", "Department"),
	LABEL("unit_kind", "center", "Centre"),
	LABEL("unit_kind", "other", "Other"),
	LABEL("gender", "female", "Female"),
	LABEL("gender", "male", "Male"),
	LABEL("gender", "other", "Other"),
	LABEL("employment_type", "civil_servant", "Civil servant"),
	LABEL("employment_type", "public_employee", "Public employee"),
	LABEL("employment_type", "contract_worker", "Contract worker"),
	LABEL("employment_type", "other", "Other"),
	LABEL("staff_status", "active", "Working"),
	LABEL("staff_status", "on_leave", "On leave"),
	LABEL("staff_status", "left", "Left"),

	LABEL("plan_status", "draft", "Draft"),
	LABEL("plan_status", "issued", "Issued"),
	LABEL("plan_status", "superseded", "Superseded"),
	LABEL("plan_status", "closed", "Closed"),
	LABEL("target_kind", "staff_share", "Share of staff"),
	LABEL("target_kind", "title_ratio", "Ratio between titles"),
	LABEL("target_kind", "collective_rating", "Collective rating"),
	LABEL("target_kind", "recognition", "Recognition"),
	LABEL("target_kind", "reported_number", "Reported number"),
	LABEL("comparison", "at_least", "At least"),
	LABEL("comparison", "at_most", "At most"),
	LABEL("comparison", "exactly", "Exactly"),
	LABEL("rounding", "floor", "Round down"),
	LABEL("rounding", "nearest", "Round to nearest"),
	LABEL("rounding", "ceil", "Round up"),
	LABEL("target_status", "met", "Met"),
	LABEL("target_status", "on_track", "On track"),
	LABEL("target_status", "at_risk", "At risk"),
	LABEL("target_status", "missed", "Missed"),
	LABEL("registration_status", "draft", "Draft"),
	LABEL("registration_status", "submitted", "Submitted"),
	LABEL("registration_status", "accepted", "Accepted"),
	LABEL("registration_status", "returned", "Returned"),

	LABEL("movement_kind", "regular", "Regular"),
	LABEL("movement_kind", "thematic", "Thematic"),
	LABEL("session_kind", "dissemination", "Dissemination"),
	LABEL("session_kind", "training", "Training"),
	LABEL("session_kind", "makeup", "Make-up session"),
	LABEL("attendance_status", "attended", "Attended"),
	LABEL("attendance_status", "absent", "Absent"),
	LABEL("attendance_status", "informed_later", "Informed later"),
	LABEL("rating", "excellent", "Excellently completed duties"),
	LABEL("rating", "good", "Well completed duties"),
	LABEL("rating", "completed", "Completed duties"),
	LABEL("rating", "not_completed", "Did not complete duties"),
	LABEL("subject_kind", "agency", "Agency"),
	LABEL("subject_kind", "unit", "Unit"),
	LABEL("subject_kind", "party_cell", "Party cell"),
	LABEL("subject_kind", "mass_organization", "Mass organisation"),
	LABEL("recognition_kind", "cultural_office", "Cultural office"),
	LABEL("recognition_kind", "security_order", "Security and order"),

	LABEL("period_kind", "half_year", "Half-year"),
	LABEL("period_kind", "year", "Year"),
	LABEL("period_kind", "custom", "Custom period"),
	LABEL("period_kind", "ad_hoc", "Ad hoc"),
	LABEL("period_status", "open", "Open"),
	LABEL("period_status", "closed", "Closed"),
	LABEL("submission_status", "draft", "Draft"),
	LABEL("submission_status", "submitted", "Submitted"),
	LABEL("submission_status", "accepted", "Accepted"),
	LABEL("submission_status", "returned", "Returned"),
	LABEL("consolidation_status", "draft", "Draft"),
	LABEL("consolidation_status", "sent", "Sent"),
};

const size_t labels_count = sizeof labels / sizeof labels[0];

static const struct label *label_find(const char *set, const char *code)
{
	for (size_t i = 0; i < labels_count; i++)
		if (strcmp(labels[i].set, set) == 0 && strcmp(labels[i].code, code) == 0)
			return &labels[i];
	return NULL;
}

const char *label_of(const char *set, const char *code)
{
	const struct label *l = label_find(set, code);
	return l ? lang_text_ctx(l->set, l->text) : code;
}

json_t *labels_catalogue_new(void)
{
	enum lang was = lang_current();
	json_t *doc = json_object();
	for (size_t i = 0; doc && i < labels_count; i++) {
		const struct label *l = &labels[i];
		json_t *set = json_object_get(doc, l->set);
		if (!set) {
			set = json_object();
			json_object_set_new(doc, l->set, set);
		}
		json_t *both = json_object();
		for (int k = 0; k < LANG_COUNT; k++) {
			lang_use((enum lang)k);
			json_object_set_new(both, lang_tag((enum lang)k),
					    json_string(lang_text_ctx(l->set, l->text)));
		}
		json_object_set_new(set, l->code, both);
	}
	lang_use(was);
	return doc;
}
