/*
 * labels.c — the labels of the enumerations (see labels.h).
 *
 * One row per code: the set doubles as the gettext context (msgctxt), so
 * "draft" of a plan and "draft" of a registration can read differently.
 * Labels are written in lower case, in both languages, because sentences
 * carry them ("The plan is {status|plan_status}."); a heading capitalises.
 * The codes are those the database's CHECK constraints allow; a test
 * (tests/api/test_labels.py) compares each set with its column.  Titles
 * (danh hiệu) are data, not code: GET /v1/catalogue/labels reads them from
 * the title_kinds table.
 */
#include "answers/labels.h"

#include <string.h>

#include "answers/lang.h"

/* LABEL(set, code, text): xgettext reads text with set as its context. */
/* (clang-format would spread this one-line macro over four) */
/* clang-format off */
#define LABEL(set, code, text) { set, code, text }
/* clang-format on */

const struct label labels[] = {
	LABEL("role", "admin", "administrator"),
	LABEL("role", "secretariat", "emulation and commendation office"),
	LABEL("role", "leader", "head of the agency"),
	LABEL("role", "council", "council member"),
	LABEL("role", "unit_head", "head of unit"),
	LABEL("role", "staff", "staff member"),
	LABEL("role", "viewer", "viewer"),
	LABEL("machine_scope", "reports:write", "submit reports"),
	LABEL("machine_scope", "integration:read", "read integration feeds"),
	LABEL("machine_scope", "province:read", "read across the agencies of a province"),
	LABEL("machine_scope", "bloc:read",
	      "read the blocs of the organisation and their rankings"),
	LABEL("machine_scope", "bloc:score", "score the organisation's own part in its blocs"),

	LABEL("unit_kind", "leadership", "leadership"),
	LABEL("unit_kind", "office", "office"),
	LABEL("unit_kind", "department", "department"),
	LABEL("unit_kind", "center", "centre"),
	LABEL("unit_kind", "other", "other"),
	LABEL("gender", "female", "female"),
	LABEL("gender", "male", "male"),
	LABEL("gender", "other", "other"),
	LABEL("employment_type", "civil_servant", "civil servant"),
	LABEL("employment_type", "public_employee", "public employee"),
	LABEL("employment_type", "contract_worker", "contract worker"),
	LABEL("employment_type", "other", "other"),
	LABEL("staff_status", "active", "working"),
	LABEL("staff_status", "on_leave", "on leave"),
	LABEL("staff_status", "left", "left"),

	LABEL("plan_status", "draft", "draft"),
	LABEL("plan_status", "issued", "issued"),
	LABEL("plan_status", "superseded", "superseded"),
	LABEL("plan_status", "closed", "closed"),
	LABEL("target_kind", "staff_share", "share of staff"),
	LABEL("target_kind", "title_ratio", "ratio between titles"),
	LABEL("target_kind", "collective_rating", "collective rating"),
	LABEL("target_kind", "recognition", "recognition"),
	LABEL("target_kind", "reported_number", "reported number"),
	LABEL("comparison", "at_least", "at least"),
	LABEL("comparison", "at_most", "at most"),
	LABEL("comparison", "exactly", "exactly"),
	LABEL("rounding", "floor", "round down"),
	LABEL("rounding", "nearest", "round to nearest"),
	LABEL("rounding", "ceil", "round up"),
	LABEL("target_status", "met", "met"),
	LABEL("target_status", "on_track", "on track"),
	LABEL("target_status", "at_risk", "at risk"),
	LABEL("target_status", "missed", "missed"),
	LABEL("registration_status", "draft", "draft"),
	LABEL("registration_status", "submitted", "submitted"),
	LABEL("registration_status", "accepted", "accepted"),
	LABEL("registration_status", "returned", "returned"),

	LABEL("movement_kind", "regular", "regular"),
	LABEL("movement_kind", "thematic", "thematic"),
	LABEL("session_kind", "dissemination", "dissemination"),
	LABEL("session_kind", "training", "training"),
	LABEL("session_kind", "makeup", "make-up session"),
	LABEL("attendance_status", "attended", "attended"),
	LABEL("attendance_status", "absent", "absent"),
	LABEL("attendance_status", "informed_later", "informed later"),
	LABEL("rating", "excellent", "excellently completed duties"),
	LABEL("rating", "good", "well completed duties"),
	LABEL("rating", "completed", "completed duties"),
	LABEL("rating", "not_completed", "did not complete duties"),
	LABEL("subject_kind", "agency", "agency"),
	LABEL("subject_kind", "unit", "unit"),
	LABEL("subject_kind", "party_cell", "party cell"),
	LABEL("subject_kind", "mass_organization", "mass organisation"),
	LABEL("recognition_kind", "cultural_office", "cultural office"),
	LABEL("recognition_kind", "security_order", "security and order"),

	LABEL("period_kind", "half_year", "half-year"),
	LABEL("period_kind", "year", "year"),
	LABEL("period_kind", "custom", "custom period"),
	LABEL("period_kind", "ad_hoc", "ad hoc"),
	LABEL("period_status", "open", "open"),
	LABEL("period_status", "closed", "closed"),
	LABEL("submission_status", "draft", "draft"),
	LABEL("submission_status", "submitted", "submitted"),
	LABEL("submission_status", "accepted", "accepted"),
	LABEL("submission_status", "returned", "returned"),
	LABEL("consolidation_status", "draft", "draft"),
	LABEL("consolidation_status", "sent", "sent"),
	/* a unit's state in the follow-up of a period (GET .../status): computed,
	 * not a column; see store/reports_followup.c */
	LABEL("report_unit_state", "accepted", "accepted"),
	LABEL("report_unit_state", "submitted", "submitted on time"),
	LABEL("report_unit_state", "late", "late"),
	LABEL("report_unit_state", "draft", "being drafted"),
	LABEL("report_unit_state", "returned", "returned"),
	LABEL("report_unit_state", "missing", "not reported yet"),
	/* issue 11, year-end: the year's facts and verdicts */
	LABEL("discipline_form", "reprimand", "reprimand"),
	LABEL("discipline_form", "warning", "warning"),
	LABEL("discipline_form", "salary_demotion", "salary demotion"),
	LABEL("discipline_form", "demotion", "demotion"),
	LABEL("discipline_form", "removal", "removal from office"),
	LABEL("discipline_form", "dismissal", "dismissal"),
	LABEL("leave_kind", "maternity", "maternity leave"),
	LABEL("leave_kind", "sickness", "sick leave"),
	LABEL("leave_kind", "study", "study leave"),
	LABEL("leave_kind", "unpaid", "unpaid leave"),
	LABEL("leave_kind", "other", "other leave"),
	LABEL("case_kind", "discipline_review", "disciplinary review"),
	LABEL("case_kind", "investigation", "investigation"),
	LABEL("case_kind", "inspection", "inspection"),
	LABEL("case_kind", "complaint", "complaint"),
	LABEL("case_kind", "denunciation", "denunciation"),
	LABEL("lodged_case_kind", "complaint", "complaint"),
	LABEL("lodged_case_kind", "denunciation", "denunciation"),
	LABEL("lodged_case_kind", "petition", "petition"),
	LABEL("lodged_case_status", "received", "received"),
	LABEL("lodged_case_status", "accepted", "accepted for handling"),
	LABEL("lodged_case_status", "refused", "refused"),
	LABEL("lodged_case_status", "verifying", "under verification"),
	LABEL("lodged_case_status", "decided", "decided"),
	LABEL("lodged_case_status", "withdrawn", "withdrawn"),
	LABEL("initiative_kind", "initiative", "initiative"),
	LABEL("initiative_kind", "research", "research work"),
	LABEL("initiative_level", "base", "grassroots"),
	LABEL("initiative_level", "province", "provincial"),
	LABEL("initiative_level", "national", "national"),
	LABEL("award_subject", "staff", "individual"),
	LABEL("award_subject", "unit", "unit"),
	LABEL("award_subject", "agency", "agency"),
	LABEL("award_subject", "household", "household"),
	LABEL("verdict", "eligible", "eligible"),
	LABEL("verdict", "not_eligible", "not eligible"),
	LABEL("verdict", "undetermined", "undetermined"),
	LABEL("check_outcome", "met", "met"),
	LABEL("check_outcome", "failed", "not met"),
	LABEL("check_outcome", "unknown", "cannot be decided"),
	LABEL("source_mark", "primary", "read in the legal text"),
	LABEL("source_mark", "secondary", "from a secondary source"),
	LABEL("source_mark", "unconfirmed", "unconfirmed"),
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
