/*
 * handlers.h — every handler of the API, by resource file.
 *
 * routes.c maps each route to one of these; nothing else calls them.
 */
#ifndef THIDUA_API_HANDLERS_H
#define THIDUA_API_HANDLERS_H

#include "http/call.h"

/* ops.c: the operational routes */
void ops_healthz(struct call *c);
void ops_readyz(struct call *c);
void ops_metrics(struct call *c);
void ops_openapi_yaml(struct call *c);
void ops_openapi_json(struct call *c);
void ops_docs(struct call *c);

/* auth.c: tokens and the caller */
void auth_token(struct call *c);
void auth_logout(struct call *c);
void auth_jwks(struct call *c);
void auth_me(struct call *c);

/* units.c, staff.c, users.c, clients.c, audit.c: the organisation */
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
/* blocs.c */
void blocs_list(struct call *c);
void bloc_create(struct call *c);
void bloc_get(struct call *c);
void bloc_year_get(struct call *c);
void bloc_year_put(struct call *c);
void bloc_pact_put(struct call *c);
void bloc_table_put(struct call *c);
void bloc_score_put(struct call *c);
void bloc_adjust(struct call *c);
void bloc_ranking(struct call *c);
void bloc_flag_propose(struct call *c);
/* webhooks.c */
void webhooks_list(struct call *c);
void webhook_create(struct call *c);
void webhook_get(struct call *c);
void webhook_rotate(struct call *c);
void webhook_disable(struct call *c);
void webhook_ping(struct call *c);
void webhook_deliveries(struct call *c);
void webhook_redeliver(struct call *c);
void audit_list(struct call *c);
void audit_verify(struct call *c);

/* plans.c, progress.c, roster.c, registrations.c: plans and registrations */
void plans_list(struct call *c);
void plan_create(struct call *c);
void plan_get(struct call *c);
void plan_patch(struct call *c);
void plan_issue(struct call *c);
void plan_close(struct call *c);
void plan_reopen(struct call *c);
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

/* catalogue.c, movements.c, sessions.c, results.c: what targets count */
void titles_list(struct call *c);
void labels_list(struct call *c);
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
void target_reports_list(struct call *c);

/* reports.c, submissions.c, followup.c, attachments.c, consolidations.c */
void report_templates_list(struct call *c);
void report_template_create(struct call *c);
void report_template_get(struct call *c);
void report_periods_list(struct call *c);
void report_period_create(struct call *c);
void report_period_get(struct call *c);
void report_period_close(struct call *c);
void report_period_status(struct call *c);
void report_period_remind(struct call *c);
void submissions_list(struct call *c);
void submission_create(struct call *c);
void submission_get(struct call *c);
void submission_put(struct call *c);
void submission_submit(struct call *c);
void submission_accept(struct call *c);
void submission_return(struct call *c);
void submission_versions(struct call *c);
void submission_attach(struct call *c);
void submission_attachment_get(struct call *c);
void consolidation_create(struct call *c);
void consolidation_get(struct call *c);
void consolidation_send(struct call *c);
void consolidations_feed(struct call *c);
void period_consolidations(struct call *c);

/* facts.c, awards.c, rule_sets.c, eligibility.c: the year-end review */
void person_facts_get(struct call *c);
void rating_put(struct call *c);
void ratings_import(struct call *c);
void discipline_create(struct call *c);
void leave_create(struct call *c);
void case_create(struct call *c);
void case_close(struct call *c);
void initiatives_list(struct call *c);
void initiative_create(struct call *c);
void awards_list(struct call *c);
void award_create(struct call *c);
void me_awards(struct call *c);
void rule_sets_list(struct call *c);
void rule_set_get(struct call *c);
void staff_eligibility(struct call *c);
void unit_eligibility(struct call *c);

/* rounds.c: review rounds, nominations, the council's checked list */
void rounds_list(struct call *c);
void round_create(struct call *c);
void round_get(struct call *c);
void round_nominate(struct call *c);
void round_nominate_registered(struct call *c);
void round_checked_list(struct call *c);
void round_submit(struct call *c);
void nomination_override(struct call *c);
void nomination_withdraw(struct call *c);

/* issue 12 §3, the money of awards (bonus.c) */
void bonus_rates_list(struct call *c);
void fund_get(struct call *c);
void fund_put(struct call *c);
void fund_pay(struct call *c);

/* issue 14 §1, the province (province.c) */
void province_members(struct call *c);
void bloc_reports(struct call *c);
/* a province's agencies made, renamed, closed, merged, split (issue 14 §1) */
void org_get(struct call *c);
void org_create(struct call *c);
void org_patch(struct call *c);
void org_close(struct call *c);
void org_merge(struct call *c);
/* units renamed, moved, closed, with their history (issue 14 §1) */
void unit_patch(struct call *c);
void unit_close(struct call *c);
void unit_history(struct call *c);
/* the statistics forms of a report year (issue 14 §3) */
void statistics_get(struct call *c);
void province_review_lists(struct call *c);

/* council.c: the council, its rules, its sessions and their ballot */
void council_members_list(struct call *c);
void council_member_create(struct call *c);
void council_rules_list(struct call *c);
void council_sessions_list(struct call *c);
void council_session_create(struct call *c);
void council_session_get(struct call *c);
void council_attendance_put(struct call *c);
void council_session_open(struct call *c);
void council_token_create(struct call *c);
void council_session_voting(struct call *c);
void council_ballot_cast(struct call *c);
void council_hands_put(struct call *c);
void council_session_close(struct call *c);
void council_ballots_list(struct call *c);
void council_minutes_get(struct call *c);
void council_minutes_sign(struct call *c);

/* public.c: /public/v1, the agency's website, without a token */
void public_news(struct call *c);
void public_feed_atom(struct call *c);
void public_feed_json(struct call *c);
void public_decision_get(struct call *c);
void public_plan_get(struct call *c);
void public_exemplar_get(struct call *c);
void public_disclosure_get(struct call *c);
/* public_forms.c */
void public_case_lodge(struct call *c);
void public_disclosure_feedback(struct call *c);
void public_challenge(struct call *c);
/* record_files.c */
void case_attach(struct call *c);
void case_attachment_get(struct call *c);
void exemplar_attach(struct call *c);
void exemplar_attachment_get(struct call *c);
void public_exemplar_attachment_get(struct call *c);
/* disclosures.c */
void disclosures_list(struct call *c);
void disclosure_create(struct call *c);
void disclosure_get(struct call *c);
void disclosure_withdraw(struct call *c);
void disclosure_feedback_handle(struct call *c);

/* cases.c: complaints, denunciations and petitions with their clocks */
void cases_list(struct call *c);
void case_get(struct call *c);
void case_lodge(struct call *c);
void case_step(struct call *c);
void case_decide(struct call *c);

/* exemplars.c: advanced exemplars, published with consent */
void exemplars_list(struct call *c);
void exemplar_get(struct call *c);
void exemplar_create(struct call *c);
void exemplar_publish(struct call *c);
void exemplar_withdraw(struct call *c);

/* households.c: households as recipients of a commendation */
void households_list(struct call *c);
void household_get(struct call *c);
void household_create(struct call *c);

/* decisions.c: commendation decisions */
void decisions_list(struct call *c);
void decision_create(struct call *c);
void decision_get(struct call *c);
void decision_sign(struct call *c);
void decision_revoke(struct call *c);
void decision_certificate(struct call *c);

/* proposals.c: proposals to the province */
void proposals_list(struct call *c);
void proposal_create(struct call *c);
void proposal_get(struct call *c);
void proposal_send(struct call *c);
void proposal_answer(struct call *c);

/* calendar.c: the working-day calendar */
void calendar_get(struct call *c);

#endif
