/*
 * routes.c — every route of the API, with the permission it needs.
 *
 * This table is the whole surface of the service: the dispatcher matches
 * requests against it, `thidua routes` prints it (with the scope each role
 * gets), and a test checks that it and api-spec/openapi.yaml list the same
 * operations with the same permissions.  Deny by default: anything not
 * "public" goes through the authorization hook and the decision table in
 * domain/access.c.
 */
#include "api/app.h"
#include "api/handlers.h"
#include "http/auth.h"

static const char *const q_page[] = { "limit", "cursor", NULL };
static const char *const q_staff[] = { "limit", "cursor", "q", "unit_id", "status", NULL };
static const char *const q_plans[] = { "limit", "cursor", "year", "status", NULL };
static const char *const q_progress[] = { "as_of", "recorded_by", "unit_id", NULL };
static const char *const q_roster[] = { "format", NULL };
static const char *const q_audit[] = {
	"limit", "cursor", "entity_type", "entity_id", "action", NULL
};
/* issue 4, records */
static const char *const q_dated[] = { "limit", "cursor", "plan_id", NULL };
static const char *const q_year[] = { "year", NULL };
/* issue 5, followup */
static const char *const q_attachment[] = { "filename", NULL };
/* issue 5, consolidation */
static const char *const q_consolidation[] = { "format", NULL };
static const char *const q_feed[] = { "after", "limit", NULL };
/* end of issue 5, consolidation */
/* issue 11, year-end */
static const char *const q_awards[] = { "year", "staff_id", "unit_id", NULL };
static const char *const q_on[] = { "on", NULL };
static const char *const q_public_news[] = { "limit", "cursor", "year", "kind", NULL };
static const char *const q_cases[] = { "status", NULL };
static const char *const q_deliveries[] = { "limit", "cursor", "status", NULL };
static const char *const q_eligibility[] = { "year", "title", "on", NULL };
/* issue 14 §1, the province */
static const char *const q_province_lists[] = { "year", "on", NULL };

const struct route api_routes[] = {
	{ "GET", "/healthz", ops_healthz, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/readyz", ops_readyz, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/metrics", ops_metrics, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/openapi.yaml", ops_openapi_yaml, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/openapi.json", ops_openapi_json, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/docs", ops_docs, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/.well-known/jwks.json", auth_jwks, PERM_PUBLIC, BODY_NONE, NULL },

	/* issue 13 §4: the agency's website reads what it published, no token */
	{ "GET", "/public/v1/{org}/news", public_news, PERM_PUBLIC, BODY_NONE, q_public_news },
	{ "GET", "/public/v1/{org}/feed.atom", public_feed_atom, PERM_PUBLIC, BODY_NONE,
	  q_public_news },
	{ "GET", "/public/v1/{org}/feed.json", public_feed_json, PERM_PUBLIC, BODY_NONE,
	  q_public_news },
	{ "GET", "/public/v1/{org}/decisions/{id}", public_decision_get, PERM_PUBLIC, BODY_NONE,
	  NULL },
	{ "GET", "/public/v1/{org}/plans/{id}", public_plan_get, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/public/v1/{org}/exemplars/{id}", public_exemplar_get, PERM_PUBLIC, BODY_NONE,
	  NULL },
	{ "GET", "/public/v1/{org}/exemplars/{id}/attachments/{attachment_id}",
	  public_exemplar_attachment_get, PERM_PUBLIC, BODY_NONE, NULL },
	{ "GET", "/public/v1/{org}/disclosures/{id}", public_disclosure_get, PERM_PUBLIC, BODY_NONE,
	  NULL },
	/* issue 13 §1-2: anyone may lodge a complaint or send feedback on a
	 * disclosed candidate, within a daily quota and, when asked, a proof
	 * of work */
	{ "POST", "/public/v1/{org}/cases", public_case_lodge, PERM_PUBLIC, BODY_JSON, NULL },
	{ "POST", "/public/v1/{org}/disclosures/{id}/feedback", public_disclosure_feedback,
	  PERM_PUBLIC, BODY_JSON, NULL },
	{ "GET", "/public/v1/{org}/challenge", public_challenge, PERM_PUBLIC, BODY_NONE, NULL },
	/* a form, as OAuth 2.0 clients send it (RFC 6749 §4.3.2, §4.4.2), or JSON */
	{ "POST", "/v1/auth/token", auth_token, PERM_PUBLIC, BODY_FORM_OR_JSON, NULL },
	{ "POST", "/v1/auth/logout", auth_logout, PERM_PUBLIC, BODY_JSON, NULL },
	{ "GET", "/v1/me", auth_me, "me.read", BODY_NONE, NULL },

	{ "GET", "/v1/organization", organization_get, "organization.read", BODY_NONE, NULL },
	{ "GET", "/v1/units", units_list, "unit.read", BODY_NONE, NULL },
	{ "POST", "/v1/units", unit_create, "unit.write", BODY_JSON, NULL },
	{ "GET", "/v1/units/{id}", unit_get, "unit.read", BODY_NONE, NULL },
	/* issue 14 §1: renamed, moved, closed, each change dated in its history */
	{ "PATCH", "/v1/units/{id}", unit_patch, "unit.write", BODY_JSON, NULL },
	{ "POST", "/v1/units/{id}/close", unit_close, "unit.write", BODY_JSON, NULL },
	{ "GET", "/v1/units/{id}/history", unit_history, "unit.read", BODY_NONE, NULL },

	{ "GET", "/v1/staff", staff_list, "staff.read", BODY_NONE, q_staff },
	{ "POST", "/v1/staff", staff_create, "staff.write", BODY_JSON, NULL },
	{ "POST", "/v1/staff/import", staff_import, "staff.import", BODY_RAW, NULL },
	{ "GET", "/v1/staff/{id}", staff_get, "staff.read", BODY_NONE, NULL },
	{ "PATCH", "/v1/staff/{id}", staff_patch, "staff.write", BODY_JSON, NULL },

	{ "GET", "/v1/users", users_list, "user.read", BODY_NONE, q_page },
	{ "POST", "/v1/users", user_create, "user.write", BODY_JSON, NULL },
	{ "GET", "/v1/users/{id}", user_get, "user.read", BODY_NONE, NULL },
	{ "PATCH", "/v1/users/{id}", user_patch, "user.write", BODY_JSON, NULL },

	{ "GET", "/v1/clients", clients_list, "client.manage", BODY_NONE, NULL },
	{ "POST", "/v1/clients", client_create, "client.manage", BODY_JSON, NULL },
	{ "POST", "/v1/clients/{id}/rotate", client_rotate, "client.manage", BODY_NONE, NULL },
	{ "POST", "/v1/clients/{id}/revoke", client_revoke, "client.manage", BODY_NONE, NULL },

	/* emulation blocs: made by the province, run by the year's head, scored
	 * by the members (issue 14 §1-2) */
	{ "GET", "/v1/blocs", blocs_list, "bloc.read", BODY_NONE, NULL },
	{ "POST", "/v1/blocs", bloc_create, "bloc.manage", BODY_JSON, NULL },
	{ "GET", "/v1/blocs/{id}", bloc_get, "bloc.read", BODY_NONE, NULL },
	{ "GET", "/v1/blocs/{id}/years/{year}", bloc_year_get, "bloc.read", BODY_NONE, NULL },
	{ "PUT", "/v1/blocs/{id}/years/{year}", bloc_year_put, "bloc.manage", BODY_JSON, NULL },
	{ "PUT", "/v1/blocs/{id}/years/{year}/pact", bloc_pact_put, "bloc.manage", BODY_JSON,
	  NULL },
	{ "PUT", "/v1/blocs/{id}/years/{year}/table", bloc_table_put, "bloc.manage", BODY_JSON,
	  NULL },
	{ "PUT", "/v1/blocs/{id}/years/{year}/scores/{member_id}", bloc_score_put, "bloc.score",
	  BODY_JSON, NULL },
	{ "POST", "/v1/blocs/{id}/years/{year}/adjustments", bloc_adjust, "bloc.manage", BODY_JSON,
	  NULL },
	{ "GET", "/v1/blocs/{id}/years/{year}/ranking", bloc_ranking, "bloc.read", BODY_NONE,
	  NULL },
	/* the year's head reads its members' consolidated reports and targets */
	{ "GET", "/v1/blocs/{id}/years/{year}/reports", bloc_reports, "bloc.read", BODY_NONE,
	  NULL },
	{ "POST", "/v1/blocs/{id}/years/{year}/flags", bloc_flag_propose, "bloc.manage", BODY_JSON,
	  NULL },

	/* webhooks: the outbox's events pushed to subscribers (issue 14 §3) */
	{ "GET", "/v1/webhooks", webhooks_list, "webhook.manage", BODY_NONE, NULL },
	{ "POST", "/v1/webhooks", webhook_create, "webhook.manage", BODY_JSON, NULL },
	{ "GET", "/v1/webhooks/{id}", webhook_get, "webhook.manage", BODY_NONE, NULL },
	{ "POST", "/v1/webhooks/{id}/rotate", webhook_rotate, "webhook.manage", BODY_NONE, NULL },
	{ "POST", "/v1/webhooks/{id}/disable", webhook_disable, "webhook.manage", BODY_NONE, NULL },
	{ "POST", "/v1/webhooks/{id}/ping", webhook_ping, "webhook.manage", BODY_NONE, NULL },
	{ "GET", "/v1/webhooks/{id}/deliveries", webhook_deliveries, "webhook.manage", BODY_NONE,
	  q_deliveries },
	{ "POST", "/v1/webhooks/{id}/deliveries/{event_id}/redeliver", webhook_redeliver,
	  "webhook.manage", BODY_NONE, NULL },

	/* plans (kế hoạch thi đua), their progress and registrations */
	{ "GET", "/v1/plans", plans_list, "plan.read", BODY_NONE, q_plans },
	{ "POST", "/v1/plans", plan_create, "plan.write", BODY_JSON, NULL },
	{ "GET", "/v1/plans/{id}", plan_get, "plan.read", BODY_NONE, NULL },
	{ "PATCH", "/v1/plans/{id}", plan_patch, "plan.write", BODY_JSON, NULL },
	{ "POST", "/v1/plans/{id}/issue", plan_issue, "plan.issue", BODY_JSON_OPTIONAL, NULL },
	{ "POST", "/v1/plans/{id}/close", plan_close, "plan.issue", BODY_NONE, NULL },
	{ "POST", "/v1/plans/{id}/reopen", plan_reopen, "plan.issue", BODY_JSON, NULL },
	{ "POST", "/v1/plans/{id}/amend", plan_amend, "plan.write", BODY_NONE, NULL },
	{ "GET", "/v1/plans/{id}/history", plan_history, "plan.read", BODY_NONE, NULL },
	{ "GET", "/v1/plans/{id}/progress", plan_progress, "progress.read", BODY_NONE, q_progress },
	{ "GET", "/v1/plans/{id}/registrations", registrations_list, "registration.read", BODY_NONE,
	  NULL },
	{ "POST", "/v1/plans/{id}/registrations", registration_create, "registration.write",
	  BODY_JSON, NULL },
	{ "GET", "/v1/plans/{id}/roster", plan_roster, "roster.export", BODY_NONE, q_roster },
	{ "POST", "/v1/plans/{id}/registration-reopenings", registration_reopen,
	  "registration.decide", BODY_JSON, NULL },
	{ "GET", "/v1/registrations/{id}", registration_get, "registration.read", BODY_NONE, NULL },
	{ "PATCH", "/v1/registrations/{id}", registration_patch, "registration.write", BODY_JSON,
	  NULL },
	{ "PUT", "/v1/registrations/{id}/entries/{staff_id}", registration_entry_put,
	  "registration.entry", BODY_JSON, NULL },
	{ "DELETE", "/v1/registrations/{id}/entries/{staff_id}", registration_entry_delete,
	  "registration.entry", BODY_NONE, NULL },
	{ "POST", "/v1/registrations/{id}/submit", registration_submit, "registration.submit",
	  BODY_NONE, NULL },
	{ "POST", "/v1/registrations/{id}/accept", registration_accept, "registration.decide",
	  BODY_NONE, NULL },
	{ "POST", "/v1/registrations/{id}/return", registration_return, "registration.decide",
	  BODY_JSON, NULL },

	/* reporting: templates, periods, submissions */
	{ "GET", "/v1/report-templates", report_templates_list, "report.read", BODY_NONE, NULL },
	{ "POST", "/v1/report-templates", report_template_create, "report.manage", BODY_JSON,
	  NULL },
	{ "GET", "/v1/report-templates/{id}", report_template_get, "report.read", BODY_NONE, NULL },
	{ "GET", "/v1/report-periods", report_periods_list, "report.read", BODY_NONE, q_page },
	{ "POST", "/v1/report-periods", report_period_create, "report.manage", BODY_JSON, NULL },
	{ "GET", "/v1/report-periods/{id}", report_period_get, "report.read", BODY_NONE, NULL },
	{ "POST", "/v1/report-periods/{id}/close", report_period_close, "report.manage", BODY_NONE,
	  NULL },
	{ "GET", "/v1/report-periods/{id}/submissions", submissions_list, "submission.read",
	  BODY_NONE, NULL },
	{ "POST", "/v1/report-periods/{id}/submissions", submission_create, "submission.write",
	  BODY_JSON, NULL },
	{ "GET", "/v1/submissions/{id}", submission_get, "submission.read", BODY_NONE, NULL },
	{ "PUT", "/v1/submissions/{id}", submission_put, "submission.write", BODY_JSON, NULL },
	{ "POST", "/v1/submissions/{id}/submit", submission_submit, "submission.write", BODY_NONE,
	  NULL },
	{ "POST", "/v1/submissions/{id}/accept", submission_accept, "submission.decide", BODY_NONE,
	  NULL },
	{ "POST", "/v1/submissions/{id}/return", submission_return, "submission.decide", BODY_JSON,
	  NULL },
	{ "GET", "/v1/submissions/{id}/versions", submission_versions, "submission.read", BODY_NONE,
	  NULL },

	{ "GET", "/v1/audit", audit_list, "audit.read", BODY_NONE, q_audit },
	{ "GET", "/v1/audit/verify", audit_verify, "audit.read", BODY_NONE, NULL },

	/* issue 4, records: catalogue, documents, movements, sessions, results */
	{ "GET", "/v1/catalogue/titles", titles_list, "catalogue.read", BODY_NONE, NULL },
	{ "GET", "/v1/catalogue/labels", labels_list, "catalogue.read", BODY_NONE, NULL },
	{ "GET", "/v1/documents", documents_list, "document.read", BODY_NONE, NULL },
	{ "POST", "/v1/documents", document_create, "document.write", BODY_JSON, NULL },
	{ "GET", "/v1/documents/{id}", document_get, "document.read", BODY_NONE, NULL },
	{ "GET", "/v1/movements", movements_list, "movement.read", BODY_NONE, q_dated },
	{ "POST", "/v1/movements", movement_create, "movement.write", BODY_JSON, NULL },
	{ "GET", "/v1/movements/{id}", movement_get, "movement.read", BODY_NONE, NULL },
	{ "GET", "/v1/sessions", sessions_list, "session.read", BODY_NONE, q_dated },
	{ "POST", "/v1/sessions", session_create, "session.write", BODY_JSON, NULL },
	{ "GET", "/v1/sessions/{id}", session_get, "session.read", BODY_NONE, NULL },
	{ "PUT", "/v1/sessions/{id}/attendance", session_attendance_put, "session.write", BODY_JSON,
	  NULL },
	{ "GET", "/v1/collective-ratings", ratings_list, "result.read", BODY_NONE, q_year },
	{ "POST", "/v1/collective-ratings", rating_create, "result.write", BODY_JSON, NULL },
	{ "GET", "/v1/recognitions", recognitions_list, "result.read", BODY_NONE, q_year },
	{ "POST", "/v1/recognitions", recognition_create, "result.write", BODY_JSON, NULL },
	{ "POST", "/v1/plans/{id}/targets/{code}/reports", target_report_create, "target.report",
	  BODY_JSON, NULL },
	{ "GET", "/v1/plans/{id}/targets/{code}/reports", target_reports_list, "progress.read",
	  BODY_NONE, q_page },
	/* end of issue 4, records */

	/* issue 5, followup: follow-up of reporting periods, attachments */
	{ "GET", "/v1/report-periods/{id}/status", report_period_status, "report.read", BODY_NONE,
	  NULL },
	{ "POST", "/v1/report-periods/{id}/reminders", report_period_remind, "report.manage",
	  BODY_JSON, NULL },
	{ "POST", "/v1/submissions/{id}/attachments", submission_attach, "submission.write",
	  BODY_RAW, q_attachment },
	{ "GET", "/v1/submissions/{id}/attachments/{attachment_id}", submission_attachment_get,
	  "submission.read", BODY_NONE, NULL },
	/* end of issue 5, followup */
	/* issue 5, consolidation: the agency's consolidated report and its feed */
	{ "POST", "/v1/report-periods/{id}/consolidations", consolidation_create,
	  "consolidation.write", BODY_NONE, NULL },
	{ "GET", "/v1/report-periods/{id}/consolidations", period_consolidations,
	  "consolidation.read", BODY_NONE, NULL },
	{ "GET", "/v1/consolidations/{id}", consolidation_get, "consolidation.read", BODY_NONE,
	  q_consolidation },
	{ "POST", "/v1/consolidations/{id}/send", consolidation_send, "consolidation.write",
	  BODY_JSON_OPTIONAL, NULL },
	{ "GET", "/v1/integration/consolidations", consolidations_feed, "consolidation.read",
	  BODY_NONE, q_feed },
	/* end of issue 5, consolidation */
	/* issue 11, year-end: the year's facts, the ledger, the law, verdicts */
	{ "GET", "/v1/staff/{id}/facts", person_facts_get, "fact.read", BODY_NONE, q_year },
	{ "PUT", "/v1/staff/{id}/ratings/{year}", rating_put, "fact.write", BODY_JSON, NULL },
	{ "POST", "/v1/ratings/import", ratings_import, "fact.write", BODY_RAW, NULL },
	{ "POST", "/v1/staff/{id}/disciplines", discipline_create, "fact.write", BODY_JSON, NULL },
	{ "POST", "/v1/staff/{id}/leaves", leave_create, "fact.write", BODY_JSON, NULL },
	{ "POST", "/v1/staff/{id}/cases", case_create, "fact.write", BODY_JSON, NULL },
	{ "POST", "/v1/cases/{id}/close", case_close, "fact.write", BODY_JSON, NULL },
	{ "GET", "/v1/initiatives", initiatives_list, "initiative.read", BODY_NONE, q_year },
	{ "POST", "/v1/initiatives", initiative_create, "fact.write", BODY_JSON, NULL },
	{ "GET", "/v1/awards", awards_list, "award.read", BODY_NONE, q_awards },
	{ "POST", "/v1/awards", award_create, "award.write", BODY_JSON, NULL },
	{ "GET", "/v1/me/awards", me_awards, "me.read", BODY_NONE, q_year },
	{ "GET", "/v1/rule-sets", rule_sets_list, "rule.read", BODY_NONE, q_on },
	{ "GET", "/v1/rule-sets/{code}", rule_set_get, "rule.read", BODY_NONE, NULL },
	{ "GET", "/v1/staff/{id}/eligibility", staff_eligibility, "eligibility.read", BODY_NONE,
	  q_eligibility },
	{ "GET", "/v1/units/{id}/eligibility", unit_eligibility, "unit_eligibility.read", BODY_NONE,
	  q_eligibility },
	{ "GET", "/v1/review-rounds", rounds_list, "round.read", BODY_NONE, NULL },
	{ "POST", "/v1/review-rounds", round_create, "round.manage", BODY_JSON, NULL },
	{ "GET", "/v1/review-rounds/{id}", round_get, "round.read", BODY_NONE, NULL },
	{ "POST", "/v1/review-rounds/{id}/nominations", round_nominate, "nomination.write",
	  BODY_JSON, NULL },
	{ "POST", "/v1/review-rounds/{id}/nominations/from-registrations",
	  round_nominate_registered, "nomination.write", BODY_NONE, NULL },
	{ "GET", "/v1/review-rounds/{id}/list", round_checked_list, "nomination.read", BODY_NONE,
	  NULL },
	{ "POST", "/v1/review-rounds/{id}/submit", round_submit, "round.manage", BODY_NONE, NULL },
	{ "POST", "/v1/nominations/{id}/override", nomination_override, "nomination.override",
	  BODY_JSON, NULL },
	{ "DELETE", "/v1/nominations/{id}", nomination_withdraw, "nomination.write", BODY_NONE,
	  NULL },
	/* end of issue 11, year-end */
	/* issue 12 §3, the money of awards: the law, open to every member */
	{ "GET", "/v1/bonus-rates", bonus_rates_list, "rule.read", BODY_NONE, q_on },
	{ "GET", "/v1/funds/{year}", fund_get, "fund.read", BODY_NONE, q_roster },
	{ "PUT", "/v1/funds/{year}", fund_put, "fund.write", BODY_JSON, NULL },
	{ "POST", "/v1/funds/{year}/payments", fund_pay, "fund.write", BODY_JSON, NULL },
	/* issue 12 §1, the council: its members, rules, sessions and ballot */
	{ "GET", "/v1/council-members", council_members_list, "council.read", BODY_NONE, q_on },
	{ "POST", "/v1/council-members", council_member_create, "council.manage", BODY_JSON, NULL },
	{ "GET", "/v1/council-rules", council_rules_list, "council.read", BODY_NONE, q_on },
	{ "GET", "/v1/council-sessions", council_sessions_list, "council.read", BODY_NONE, NULL },
	{ "POST", "/v1/council-sessions", council_session_create, "council.manage", BODY_JSON,
	  NULL },
	{ "GET", "/v1/council-sessions/{id}", council_session_get, "council.read", BODY_NONE,
	  NULL },
	{ "PUT", "/v1/council-sessions/{id}/attendance", council_attendance_put, "council.manage",
	  BODY_JSON, NULL },
	{ "POST", "/v1/council-sessions/{id}/open", council_session_open, "council.manage",
	  BODY_NONE, NULL },
	{ "POST", "/v1/council-sessions/{id}/tokens", council_token_create, "council.vote",
	  BODY_JSON, NULL },
	{ "POST", "/v1/council-sessions/{id}/voting", council_session_voting, "council.manage",
	  BODY_NONE, NULL },
	/* public: the token is the credential, and the caller stays unknown */
	{ "POST", "/v1/council-sessions/{id}/ballots", council_ballot_cast, PERM_PUBLIC, BODY_JSON,
	  NULL },
	{ "PUT", "/v1/council-sessions/{id}/hands", council_hands_put, "council.manage", BODY_JSON,
	  NULL },
	{ "POST", "/v1/council-sessions/{id}/close", council_session_close, "council.manage",
	  BODY_NONE, NULL },
	{ "GET", "/v1/council-sessions/{id}/ballots", council_ballots_list, "council.read",
	  BODY_NONE, NULL },
	{ "GET", "/v1/council-sessions/{id}/minutes", council_minutes_get, "council.read",
	  BODY_NONE, q_roster },
	{ "POST", "/v1/council-sessions/{id}/minutes/sign", council_minutes_sign, "council.sign",
	  BODY_NONE, NULL },
	/* issue 13 §2, complaints and denunciations: the Office handles them,
	 * the head decides; open ones block awards */
	{ "GET", "/v1/cases", cases_list, "case.read", BODY_NONE, q_cases },
	{ "POST", "/v1/cases", case_lodge, "case.manage", BODY_JSON, NULL },
	{ "GET", "/v1/cases/{id}", case_get, "case.read", BODY_NONE, NULL },
	{ "POST", "/v1/cases/{id}/steps", case_step, "case.manage", BODY_JSON, NULL },
	{ "POST", "/v1/cases/{id}/decision", case_decide, "case.decide", BODY_JSON, NULL },
	{ "POST", "/v1/cases/{id}/attachments", case_attach, "case.manage", BODY_RAW,
	  q_attachment },
	{ "GET", "/v1/cases/{id}/attachments/{attachment_id}", case_attachment_get, "case.read",
	  BODY_NONE, NULL },
	/* issue 13 §1, public disclosure before awards: the Office publishes
	 * and handles the feedback; the council reads it */
	{ "GET", "/v1/disclosures", disclosures_list, "disclosure.read", BODY_NONE, q_page },
	{ "POST", "/v1/disclosures", disclosure_create, "disclosure.write", BODY_JSON, NULL },
	{ "GET", "/v1/disclosures/{id}", disclosure_get, "disclosure.read", BODY_NONE, NULL },
	{ "POST", "/v1/disclosures/{id}/withdraw", disclosure_withdraw, "disclosure.write",
	  BODY_JSON, NULL },
	{ "POST", "/v1/disclosures/{id}/feedback/{feedback_id}", disclosure_feedback_handle,
	  "disclosure.write", BODY_JSON, NULL },
	/* issue 13 §3, advanced exemplars: the Office records and publishes */
	{ "GET", "/v1/exemplars", exemplars_list, "exemplar.read", BODY_NONE, q_page },
	{ "POST", "/v1/exemplars", exemplar_create, "exemplar.write", BODY_JSON, NULL },
	{ "GET", "/v1/exemplars/{id}", exemplar_get, "exemplar.read", BODY_NONE, NULL },
	{ "POST", "/v1/exemplars/{id}/publish", exemplar_publish, "exemplar.write", BODY_JSON,
	  NULL },
	{ "POST", "/v1/exemplars/{id}/attachments", exemplar_attach, "exemplar.write", BODY_RAW,
	  q_attachment },
	{ "GET", "/v1/exemplars/{id}/attachments/{attachment_id}", exemplar_attachment_get,
	  "exemplar.read", BODY_NONE, NULL },
	{ "POST", "/v1/exemplars/{id}/withdraw", exemplar_withdraw, "exemplar.write", BODY_JSON,
	  NULL },
	/* households, recipients of the agency's certificates of merit */
	{ "GET", "/v1/households", households_list, "household.read", BODY_NONE, q_page },
	{ "POST", "/v1/households", household_create, "household.write", BODY_JSON, NULL },
	{ "GET", "/v1/households/{id}", household_get, "household.read", BODY_NONE, NULL },
	/* issue 12 §2, decisions: drafted from the council, signed by the head */
	{ "GET", "/v1/decisions", decisions_list, "decision.read", BODY_NONE, NULL },
	{ "POST", "/v1/decisions", decision_create, "decision.write", BODY_JSON, NULL },
	{ "GET", "/v1/decisions/{id}", decision_get, "decision.read", BODY_NONE, q_roster },
	{ "GET", "/v1/decisions/{id}/certificates/{position}", decision_certificate,
	  "decision.read", BODY_NONE, NULL },
	{ "POST", "/v1/decisions/{id}/sign", decision_sign, "decision.sign", BODY_JSON, NULL },
	{ "POST", "/v1/decisions/{id}/revocations", decision_revoke, "decision.sign", BODY_JSON,
	  NULL },
	/* proposals to the province: the decisions' people, the decisions' rights */
	{ "GET", "/v1/proposals", proposals_list, "decision.read", BODY_NONE, NULL },
	{ "POST", "/v1/proposals", proposal_create, "decision.write", BODY_JSON, NULL },
	{ "GET", "/v1/proposals/{id}", proposal_get, "decision.read", BODY_NONE, q_roster },
	{ "POST", "/v1/proposals/{id}/send", proposal_send, "decision.sign", BODY_JSON, NULL },
	{ "POST", "/v1/proposals/{id}/answers", proposal_answer, "decision.write", BODY_JSON,
	  NULL },
	/* the working-day calendar every clock counts on: the law, open to all */
	{ "GET", "/v1/calendar/{year}", calendar_get, "rule.read", BODY_NONE, NULL },
	/* issue 14 §1, the province: read across the agencies it groups */
	{ "GET", "/v1/province/members", province_members, "province.read", BODY_NONE, q_on },
	{ "GET", "/v1/province/review-lists", province_review_lists, "province.read", BODY_NONE,
	  q_province_lists },
	/* issue 14 §1: the province's agencies made, renamed, closed, merged and
	 * split, each a dated event in their history */
	{ "POST", "/v1/province/organizations", org_create, "organization.manage", BODY_JSON,
	  NULL },
	{ "GET", "/v1/province/organizations/{id}", org_get, "province.read", BODY_NONE, NULL },
	{ "PATCH", "/v1/province/organizations/{id}", org_patch, "organization.manage", BODY_JSON,
	  NULL },
	{ "POST", "/v1/province/organizations/{id}/close", org_close, "organization.manage",
	  BODY_JSON, NULL },
	{ "POST", "/v1/province/mergers", org_merge, "organization.manage", BODY_JSON, NULL },
	/* issue 14 §3: the statistics forms of Circular 02/2023/TT-BNV; a
	 * province's add up its members' */
	{ "GET", "/v1/statistics/{year}", statistics_get, "statistics.read", BODY_NONE,
	  q_consolidation },
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];

bool api_route_heavy(const struct route *r)
{
	/* every nomination of a round judged: 10-30 ms of CPU and 620 KB; a
	 * province's lists, a hundred times that, streamed from the gate's
	 * thread (call_stream needs one); a decision (480 KB) or its PDF,
	 * and a certificate: 4 ms of CPU, half of it compressing fonts */
	return r->handler == round_checked_list || r->handler == round_submit ||
	       r->handler == province_review_lists || r->handler == decision_get ||
	       r->handler == decision_certificate;
}
