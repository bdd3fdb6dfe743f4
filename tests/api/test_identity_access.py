"""Identity, function level and object level: the route x role matrix, scopes.

The expectations below are written from the documented policy (access.c's
header, api-conventions.md "Security"), not read from `thidua routes`; one
test compares the two so that a drift in either side is caught.
"""

import json
import re
import urllib.parse
import uuid

from ballot_client import Member, keypair
import test_disclosures
from harness import main, run_cli
from identity import ROLES, IdentityTest

ORG_WIDE = {r: "organization" for r in ROLES}
ADMIN_ONLY = {"admin": "organization"}
OFFICE = {"admin": "organization", "secretariat": "organization"}
PERSONAL = dict(ORG_WIDE, unit_head="unit", staff="self")
READERS_UNIT = {"admin": "organization", "secretariat": "organization", "leader": "organization",
                "council": "organization", "unit_head": "unit", "viewer": "organization"}
OFFICE_UNIT = dict(OFFICE, unit_head="unit")

# (method, path) -> (permission, scope per role (absent: none), machine scopes that grant it)
POLICY = {
    # who am I: every caller, machines too
    ("GET", "/v1/me"): ("me.read", ORG_WIDE, {"integration:read", "reports:write"}),
    ("GET", "/v1/organization"): ("organization.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/units"): ("unit.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/units"): ("unit.write", ADMIN_ONLY, set()),
    ("GET", "/v1/units/{id}"): ("unit.read", ORG_WIDE, {"integration:read"}),
    ("PATCH", "/v1/units/{id}"): ("unit.write", ADMIN_ONLY, set()),
    ("POST", "/v1/units/{id}/close"): ("unit.write", ADMIN_ONLY, set()),
    ("GET", "/v1/units/{id}/history"): ("unit.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/staff"): ("staff.read", PERSONAL, set()),
    ("POST", "/v1/staff"): ("staff.write", OFFICE, set()),
    ("POST", "/v1/staff/import"): ("staff.import", OFFICE, set()),
    ("GET", "/v1/staff/{id}"): ("staff.read", PERSONAL, set()),
    ("PATCH", "/v1/staff/{id}"): ("staff.write", OFFICE, set()),
    ("GET", "/v1/users"): ("user.read", ADMIN_ONLY, set()),
    ("POST", "/v1/users"): ("user.write", ADMIN_ONLY, set()),
    ("GET", "/v1/users/{id}"): ("user.read", ADMIN_ONLY, set()),
    ("PATCH", "/v1/users/{id}"): ("user.write", ADMIN_ONLY, set()),
    ("GET", "/v1/clients"): ("client.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/clients"): ("client.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/clients/{id}/rotate"): ("client.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/clients/{id}/revoke"): ("client.manage", ADMIN_ONLY, set()),
    ("GET", "/v1/audit"): ("audit.read", ADMIN_ONLY, set()),
    ("GET", "/v1/audit/verify"): ("audit.read", ADMIN_ONLY, set()),
    # plans, progress, registrations
    ("GET", "/v1/plans"): ("plan.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/plans"): ("plan.write", OFFICE, set()),
    ("GET", "/v1/plans/{id}"): ("plan.read", ORG_WIDE, {"integration:read"}),
    ("PATCH", "/v1/plans/{id}"): ("plan.write", OFFICE, set()),
    ("POST", "/v1/plans/{id}/issue"): ("plan.issue", {"admin": "organization",
                                                      "leader": "organization"}, set()),
    ("POST", "/v1/plans/{id}/close"): ("plan.issue", {"admin": "organization",
                                                      "leader": "organization"}, set()),
    ("POST", "/v1/plans/{id}/reopen"): ("plan.issue", {"admin": "organization",
                                                       "leader": "organization"}, set()),
    ("POST", "/v1/plans/{id}/amend"): ("plan.write", OFFICE, set()),
    ("GET", "/v1/plans/{id}/history"): ("plan.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/plans/{id}/progress"): ("progress.read", READERS_UNIT, {"integration:read"}),
    ("GET", "/v1/plans/{id}/registrations"): ("registration.read", PERSONAL, set()),
    ("POST", "/v1/plans/{id}/registrations"): ("registration.write", OFFICE_UNIT, set()),
    ("GET", "/v1/plans/{id}/roster"): ("roster.export", READERS_UNIT, {"integration:read"}),
    ("POST", "/v1/plans/{id}/registration-reopenings"): ("registration.decide", OFFICE, set()),
    ("GET", "/v1/registrations/{id}"): ("registration.read", PERSONAL, set()),
    ("PATCH", "/v1/registrations/{id}"): ("registration.write", OFFICE_UNIT, set()),
    ("PUT", "/v1/registrations/{id}/entries/{staff_id}"): (
        "registration.entry", dict(OFFICE_UNIT, staff="self"), set()),
    ("DELETE", "/v1/registrations/{id}/entries/{staff_id}"): (
        "registration.entry", dict(OFFICE_UNIT, staff="self"), set()),
    ("POST", "/v1/registrations/{id}/submit"): ("registration.submit", OFFICE_UNIT, set()),
    ("POST", "/v1/registrations/{id}/accept"): ("registration.decide", OFFICE, set()),
    ("POST", "/v1/registrations/{id}/return"): ("registration.decide", OFFICE, set()),
}
PUBLIC = {
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("GET", "/openapi.yaml"),
    ("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/.well-known/jwks.json"),
    ("POST", "/v1/auth/token"), ("POST", "/v1/auth/logout"),
    # the council's ballot: the token is the credential (test_council.py)
    ("POST", "/v1/council-sessions/{id}/ballots"),
    # the agency's website: what it published (test_public.py)
    ("GET", "/public/v1/{org}/news"), ("GET", "/public/v1/{org}/feed.atom"),
    ("GET", "/public/v1/{org}/feed.json"), ("GET", "/public/v1/{org}/decisions/{id}"),
    ("GET", "/public/v1/{org}/plans/{id}"), ("GET", "/public/v1/{org}/exemplars/{id}"),
    ("POST", "/public/v1/{org}/cases"),
    # disclosure: the public reads the list and sends feedback (test_disclosures.py)
    ("GET", "/public/v1/{org}/disclosures/{id}"),
    ("GET", "/public/v1/{org}/exemplars/{id}/attachments/{attachment_id}"),
    ("POST", "/public/v1/{org}/disclosures/{id}/feedback"), ("GET", "/public/v1/{org}/challenge"),
}
# the machine clients of the fixtures and the scopes they hold
CLIENT_SCOPES = {"portal": {"integration:read", "reports:write"}, "reports": {"reports:write"}}
CALLERS = [("role", r) for r in ROLES] + [("client", c) for c in CLIENT_SCOPES]
# what a granted call answers, when it is not 200
GRANTED_STATUS = {("POST", "/v1/units"): 201, ("POST", "/v1/staff"): 201,
                  ("POST", "/v1/staff/import"): 201, ("POST", "/v1/users"): 201,
                  ("POST", "/v1/clients"): 201, ("POST", "/v1/plans"): 201,
                  ("POST", "/v1/plans/{id}/amend"): 201,
                  ("POST", "/v1/plans/{id}/registrations"): 201,
                  ("POST", "/v1/plans/{id}/registration-reopenings"): 201}

# ---- issue 4, records: catalogue, documents, movements, sessions, results ----
OFFICE_OR_UNIT_HEAD = dict(OFFICE, unit_head="unit")
POLICY.update({
    ("GET", "/v1/catalogue/titles"): ("catalogue.read", ORG_WIDE,
                                      {"integration:read", "reports:write"}),
    ("GET", "/v1/catalogue/labels"): ("catalogue.read", ORG_WIDE,
                                      {"integration:read", "reports:write"}),
    ("GET", "/v1/documents"): ("document.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/documents"): ("document.write", OFFICE, set()),
    ("GET", "/v1/documents/{id}"): ("document.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/movements"): ("movement.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/movements"): ("movement.write", OFFICE, set()),
    ("GET", "/v1/movements/{id}"): ("movement.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/sessions"): ("session.read", PERSONAL, set()),
    ("POST", "/v1/sessions"): ("session.write", OFFICE_OR_UNIT_HEAD, set()),
    ("GET", "/v1/sessions/{id}"): ("session.read", PERSONAL, set()),
    ("PUT", "/v1/sessions/{id}/attendance"): ("session.write", OFFICE_OR_UNIT_HEAD, set()),
    ("GET", "/v1/collective-ratings"): ("result.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/collective-ratings"): ("result.write", OFFICE, set()),
    ("GET", "/v1/recognitions"): ("result.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/recognitions"): ("result.write", OFFICE, set()),
    ("POST", "/v1/plans/{id}/targets/{code}/reports"): ("target.report", OFFICE_OR_UNIT_HEAD,
                                                        {"reports:write"}),
    ("GET", "/v1/plans/{id}/targets/{code}/reports"): ("progress.read", READERS_UNIT,
                                                       {"integration:read"}),
})
GRANTED_STATUS.update({route: 201 for route in (
    ("POST", "/v1/documents"), ("POST", "/v1/movements"), ("POST", "/v1/sessions"),
    ("POST", "/v1/collective-ratings"), ("POST", "/v1/recognitions"),
    ("POST", "/v1/plans/{id}/targets/{code}/reports"))})
# ---- end of issue 4, records

# ---- issue 5: reporting (templates, periods, submissions)
REPORT_READERS = {r: "organization" for r in ROLES if r != "staff"}
POLICY.update({
    ("GET", "/v1/report-templates"): ("report.read", REPORT_READERS,
                                      {"integration:read", "reports:write"}),
    ("POST", "/v1/report-templates"): ("report.manage", OFFICE, set()),
    ("GET", "/v1/report-templates/{id}"): ("report.read", REPORT_READERS,
                                           {"integration:read", "reports:write"}),
    ("GET", "/v1/report-periods"): ("report.read", REPORT_READERS,
                                    {"integration:read", "reports:write"}),
    ("POST", "/v1/report-periods"): ("report.manage", OFFICE, set()),
    ("POST", "/v1/report-periods/{id}/close"): ("report.manage", OFFICE, set()),
    ("GET", "/v1/report-periods/{id}"): ("report.read", REPORT_READERS,
                                         {"integration:read", "reports:write"}),
    ("GET", "/v1/report-periods/{id}/submissions"): ("submission.read", READERS_UNIT,
                                                     {"reports:write"}),
    ("POST", "/v1/report-periods/{id}/submissions"): ("submission.write", OFFICE_UNIT,
                                                      {"reports:write"}),
    ("GET", "/v1/submissions/{id}"): ("submission.read", READERS_UNIT, {"reports:write"}),
    ("PUT", "/v1/submissions/{id}"): ("submission.write", OFFICE_UNIT, {"reports:write"}),
    ("POST", "/v1/submissions/{id}/submit"): ("submission.write", OFFICE_UNIT,
                                              {"reports:write"}),
    ("POST", "/v1/submissions/{id}/accept"): ("submission.decide", OFFICE, set()),
    ("POST", "/v1/submissions/{id}/return"): ("submission.decide", OFFICE, set()),
    ("GET", "/v1/submissions/{id}/versions"): ("submission.read", READERS_UNIT,
                                               {"reports:write"}),
})
GRANTED_STATUS.update({route: 201 for route in (
    ("POST", "/v1/report-templates"), ("POST", "/v1/report-periods"),
    ("POST", "/v1/report-periods/{id}/submissions"))})
REPORT_FIELDS = ('[{"key": "cases", "label": "Số hồ sơ", "type": "number", "required": true, '
                 '"aggregate": "sum"}]')
# ---- end of issue 5, reporting
# ---- issue 5, followup: follow-up of reporting periods, attachments ----------
POLICY.update({
    ("GET", "/v1/report-periods/{id}/status"): ("report.read", REPORT_READERS,
                                                {"integration:read", "reports:write"}),
    ("POST", "/v1/report-periods/{id}/reminders"): ("report.manage", OFFICE, set()),
    ("POST", "/v1/submissions/{id}/attachments"): ("submission.write", OFFICE_UNIT,
                                                   {"reports:write"}),
    ("GET", "/v1/submissions/{id}/attachments/{attachment_id}"): (
        "submission.read", READERS_UNIT, {"reports:write"}),
})
GRANTED_STATUS.update({("POST", "/v1/report-periods/{id}/reminders"): 201,
                       ("POST", "/v1/submissions/{id}/attachments"): 201})
# ---- end of issue 5, followup
# ---- issue 5, consolidation ----
CONSOLIDATION_READERS = {r: "organization" for r in ROLES if r not in ("unit_head", "staff")}
POLICY.update({
    ("POST", "/v1/report-periods/{id}/consolidations"): ("consolidation.write", OFFICE, set()),
    ("GET", "/v1/report-periods/{id}/consolidations"): ("consolidation.read",
                                                        CONSOLIDATION_READERS,
                                                        {"integration:read"}),
    ("GET", "/v1/consolidations/{id}"): ("consolidation.read", CONSOLIDATION_READERS,
                                         {"integration:read"}),
    ("POST", "/v1/consolidations/{id}/send"): ("consolidation.write", OFFICE, set()),
    ("GET", "/v1/integration/consolidations"): ("consolidation.read", CONSOLIDATION_READERS,
                                                {"integration:read"}),
})
GRANTED_STATUS[("POST", "/v1/report-periods/{id}/consolidations")] = 201
# ---- end of issue 5, consolidation
# ---- issue 11, year-end: facts, the ledger, the law, verdicts ----
POLICY.update({
    ("GET", "/v1/staff/{id}/facts"): ("fact.read", PERSONAL, set()),
    ("PUT", "/v1/staff/{id}/ratings/{year}"): ("fact.write", OFFICE, set()),
    ("POST", "/v1/ratings/import"): ("fact.write", OFFICE, set()),
    ("POST", "/v1/staff/{id}/disciplines"): ("fact.write", OFFICE, set()),
    ("POST", "/v1/staff/{id}/leaves"): ("fact.write", OFFICE, set()),
    ("POST", "/v1/staff/{id}/cases"): ("fact.write", OFFICE, set()),
    ("POST", "/v1/cases/{id}/close"): ("fact.write", OFFICE, set()),
    ("GET", "/v1/initiatives"): ("initiative.read", ORG_WIDE, {"integration:read"}),
    ("POST", "/v1/initiatives"): ("fact.write", OFFICE, set()),
    ("GET", "/v1/awards"): ("award.read", PERSONAL, {"integration:read"}),
    ("POST", "/v1/awards"): ("award.write", OFFICE, set()),
    ("GET", "/v1/me/awards"): ("me.read", ORG_WIDE, {"integration:read", "reports:write"}),
    ("GET", "/v1/rule-sets"): ("rule.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/rule-sets/{code}"): ("rule.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/staff/{id}/eligibility"): ("eligibility.read", PERSONAL, set()),
    ("GET", "/v1/units/{id}/eligibility"): ("unit_eligibility.read", READERS_UNIT, set()),
    ("GET", "/v1/review-rounds"): ("round.read", ORG_WIDE, set()),
    ("POST", "/v1/review-rounds"): ("round.manage", OFFICE, set()),
    ("GET", "/v1/review-rounds/{id}"): ("round.read", ORG_WIDE, set()),
    ("POST", "/v1/review-rounds/{id}/nominations"): ("nomination.write", OFFICE_UNIT, set()),
    ("POST", "/v1/review-rounds/{id}/nominations/from-registrations"): (
        "nomination.write", OFFICE_UNIT, set()),
    ("GET", "/v1/review-rounds/{id}/list"): ("nomination.read", PERSONAL, set()),
    ("POST", "/v1/review-rounds/{id}/submit"): ("round.manage", OFFICE, set()),
    ("POST", "/v1/nominations/{id}/override"): ("nomination.override", OFFICE, set()),
    ("DELETE", "/v1/nominations/{id}"): ("nomination.write", OFFICE_UNIT, set()),
})
GRANTED_STATUS.update({route: 201 for route in (
    ("POST", "/v1/review-rounds"), ("POST", "/v1/review-rounds/{id}/nominations"),
    ("POST", "/v1/ratings/import"),
    ("POST", "/v1/staff/{id}/disciplines"), ("POST", "/v1/staff/{id}/leaves"),
    ("POST", "/v1/staff/{id}/cases"), ("POST", "/v1/initiatives"), ("POST", "/v1/awards"))})
# ---- end of issue 11, year-end

# ---- issue 12 §3, the money of awards: the law, like the rule sets
POLICY[("GET", "/v1/bonus-rates")] = ("rule.read", ORG_WIDE, {"integration:read"})
FUND_READERS = {r: "organization" for r in ("admin", "secretariat", "leader", "council",
                                             "viewer")}
POLICY[("GET", "/v1/funds/{year}")] = ("fund.read", FUND_READERS, set())
POLICY[("PUT", "/v1/funds/{year}")] = ("fund.write", OFFICE, set())
POLICY[("POST", "/v1/funds/{year}/payments")] = ("fund.write", OFFICE, set())
GRANTED_STATUS[("POST", "/v1/funds/{year}/payments")] = 201

# ---- issue 12 §1, the council: the Office runs sessions; members vote and
# the chair (the head) or the secretary (the Office) signs, where their term
# on the council says so: the matrix's leader, secretariat and council
# accounts are the chair, the secretary and a member (build_council_request)
COUNCIL_READERS = {r: "organization" for r in ("admin", "secretariat", "leader", "council",
                                                "viewer")}
SECRETARIAT = {"secretariat": "organization"}
COUNCIL_VOTERS = {r: "organization" for r in ("secretariat", "leader", "council")}
POLICY.update({
    ("GET", "/v1/council-members"): ("council.read", COUNCIL_READERS, set()),
    ("POST", "/v1/council-members"): ("council.manage", SECRETARIAT, set()),
    ("GET", "/v1/council-rules"): ("council.read", COUNCIL_READERS, set()),
    ("GET", "/v1/council-sessions"): ("council.read", COUNCIL_READERS, set()),
    ("POST", "/v1/council-sessions"): ("council.manage", SECRETARIAT, set()),
    ("GET", "/v1/council-sessions/{id}"): ("council.read", COUNCIL_READERS, set()),
    ("PUT", "/v1/council-sessions/{id}/attendance"): ("council.manage", SECRETARIAT, set()),
    ("POST", "/v1/council-sessions/{id}/open"): ("council.manage", SECRETARIAT, set()),
    ("POST", "/v1/council-sessions/{id}/tokens"): ("council.vote", COUNCIL_VOTERS, set()),
    ("POST", "/v1/council-sessions/{id}/voting"): ("council.manage", SECRETARIAT, set()),
    ("PUT", "/v1/council-sessions/{id}/hands"): ("council.manage", SECRETARIAT, set()),
    ("POST", "/v1/council-sessions/{id}/close"): ("council.manage", SECRETARIAT, set()),
    ("GET", "/v1/council-sessions/{id}/ballots"): ("council.read", COUNCIL_READERS, set()),
    ("GET", "/v1/council-sessions/{id}/minutes"): ("council.read", COUNCIL_READERS, set()),
    ("POST", "/v1/council-sessions/{id}/minutes/sign"): (
        "council.sign", {"secretariat": "organization", "leader": "organization"}, set()),
})
GRANTED_STATUS.update({("POST", "/v1/council-members"): 201,
                       ("POST", "/v1/council-sessions"): 201})

# ---- issue 12 §2, decisions: the Office drafts, the head signs
DECISION_SIGNERS = {"admin": "organization", "leader": "organization"}
POLICY.update({
    ("GET", "/v1/decisions"): ("decision.read", COUNCIL_READERS, set()),
    ("POST", "/v1/decisions"): ("decision.write", SECRETARIAT, set()),
    ("GET", "/v1/decisions/{id}"): ("decision.read", COUNCIL_READERS, set()),
    ("POST", "/v1/decisions/{id}/sign"): ("decision.sign", DECISION_SIGNERS, set()),
    ("POST", "/v1/decisions/{id}/revocations"): ("decision.sign", DECISION_SIGNERS, set()),
    ("GET", "/v1/calendar/{year}"): ("rule.read", ORG_WIDE, {"integration:read"}),
    ("GET", "/v1/decisions/{id}/certificates/{position}"): ("decision.read", COUNCIL_READERS,
                                                           set()),
    ("GET", "/v1/proposals"): ("decision.read", COUNCIL_READERS, set()),
    ("POST", "/v1/proposals"): ("decision.write", SECRETARIAT, set()),
    ("GET", "/v1/proposals/{id}"): ("decision.read", COUNCIL_READERS, set()),
    ("POST", "/v1/proposals/{id}/send"): ("decision.sign", DECISION_SIGNERS, set()),
    ("POST", "/v1/proposals/{id}/answers"): ("decision.write", SECRETARIAT, set()),
})
GRANTED_STATUS[("POST", "/v1/proposals")] = 201
GRANTED_STATUS[("POST", "/v1/decisions")] = 201

# households commended by the agency: citizens' addresses, for those who run
# commendation; the Office and the administrator record them
POLICY.update({
    ("GET", "/v1/households"): ("household.read", COUNCIL_READERS, set()),
    ("POST", "/v1/households"): ("household.write", OFFICE, set()),
    ("GET", "/v1/households/{id}"): ("household.read", COUNCIL_READERS, set()),
})
GRANTED_STATUS[("POST", "/v1/households")] = 201

# issue 13 §3, exemplars: every member reads them, the Office publishes
POLICY.update({
    ("GET", "/v1/exemplars"): ("exemplar.read", ORG_WIDE, set()),
    ("POST", "/v1/exemplars"): ("exemplar.write", OFFICE, set()),
    ("GET", "/v1/exemplars/{id}"): ("exemplar.read", ORG_WIDE, set()),
    ("POST", "/v1/exemplars/{id}/publish"): ("exemplar.write", OFFICE, set()),
    ("POST", "/v1/exemplars/{id}/withdraw"): ("exemplar.write", OFFICE, set()),
    ("POST", "/v1/exemplars/{id}/attachments"): ("exemplar.write", OFFICE, set()),
    ("GET", "/v1/exemplars/{id}/attachments/{attachment_id}"): ("exemplar.read", ORG_WIDE,
                                                                set()),
})
GRANTED_STATUS[("POST", "/v1/exemplars/{id}/attachments")] = 201
GRANTED_STATUS[("POST", "/v1/exemplars")] = 201

# issue 13 §2, cases: the Office handles them, the head decides
CASE_READERS = {r: "organization" for r in ("admin", "secretariat", "leader")}
POLICY.update({
    ("GET", "/v1/cases"): ("case.read", CASE_READERS, set()),
    ("POST", "/v1/cases"): ("case.manage", OFFICE, set()),
    ("GET", "/v1/cases/{id}"): ("case.read", CASE_READERS, set()),
    ("POST", "/v1/cases/{id}/steps"): ("case.manage", OFFICE, set()),
    ("POST", "/v1/cases/{id}/decision"): ("case.decide", DECISION_SIGNERS, set()),
    ("POST", "/v1/cases/{id}/attachments"): ("case.manage", OFFICE, set()),
    ("GET", "/v1/cases/{id}/attachments/{attachment_id}"): ("case.read", CASE_READERS, set()),
})
GRANTED_STATUS[("POST", "/v1/cases/{id}/attachments")] = 201
GRANTED_STATUS[("POST", "/v1/cases")] = 201

# issue 13 §1, disclosure: the Office publishes and handles the feedback; the
# head, the council and viewers read it
POLICY.update({
    ("GET", "/v1/disclosures"): ("disclosure.read", COUNCIL_READERS, set()),
    ("POST", "/v1/disclosures"): ("disclosure.write", OFFICE, set()),
    ("GET", "/v1/disclosures/{id}"): ("disclosure.read", COUNCIL_READERS, set()),
    ("POST", "/v1/disclosures/{id}/withdraw"): ("disclosure.write", OFFICE, set()),
    ("POST", "/v1/disclosures/{id}/feedback/{feedback_id}"): ("disclosure.write", OFFICE,
                                                              set()),
})
GRANTED_STATUS[("POST", "/v1/disclosures")] = 201

# issue 14 §1-2, blocs: what an organisation may do in a bloc is its part in it,
# which the procedures check: A here is a member and the year's head, not a
# province, so making a bloc or naming a head is refused to its granted roles
# too (test_blocs.py acts as the province)
BLOC_MACHINE = {"bloc:read", "bloc:score", "province:read"}
POLICY.update({
    ("GET", "/v1/blocs"): ("bloc.read", COUNCIL_READERS, BLOC_MACHINE),
    ("POST", "/v1/blocs"): ("bloc.manage", OFFICE, set()),
    ("GET", "/v1/blocs/{id}"): ("bloc.read", COUNCIL_READERS, BLOC_MACHINE),
    ("GET", "/v1/blocs/{id}/years/{year}"): ("bloc.read", COUNCIL_READERS, BLOC_MACHINE),
    ("PUT", "/v1/blocs/{id}/years/{year}"): ("bloc.manage", OFFICE, set()),
    ("PUT", "/v1/blocs/{id}/years/{year}/pact"): ("bloc.manage", OFFICE, set()),
    ("PUT", "/v1/blocs/{id}/years/{year}/table"): ("bloc.manage", OFFICE, set()),
    ("PUT", "/v1/blocs/{id}/years/{year}/scores/{member_id}"): ("bloc.score", OFFICE,
                                                                {"bloc:score"}),
    ("POST", "/v1/blocs/{id}/years/{year}/adjustments"): ("bloc.manage", OFFICE, set()),
    ("GET", "/v1/blocs/{id}/years/{year}/ranking"): ("bloc.read", COUNCIL_READERS,
                                                     BLOC_MACHINE),
    ("GET", "/v1/blocs/{id}/years/{year}/reports"): ("bloc.read", COUNCIL_READERS,
                                                     BLOC_MACHINE),
    ("POST", "/v1/blocs/{id}/years/{year}/flags"): ("bloc.manage", OFFICE, set()),
})
GRANTED_STATUS.update({("POST", "/v1/blocs"): 403, ("PUT", "/v1/blocs/{id}/years/{year}"): 403,
                       # a fresh year, nobody scored: no leading unit yet
                       ("POST", "/v1/blocs/{id}/years/{year}/flags"): 409})

# issue 14 §3, webhooks: the admin alone says where the organisation's events go
POLICY.update({
    ("GET", "/v1/webhooks"): ("webhook.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/webhooks"): ("webhook.manage", ADMIN_ONLY, set()),
    ("GET", "/v1/webhooks/{id}"): ("webhook.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/webhooks/{id}/rotate"): ("webhook.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/webhooks/{id}/disable"): ("webhook.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/webhooks/{id}/ping"): ("webhook.manage", ADMIN_ONLY, set()),
    ("GET", "/v1/webhooks/{id}/deliveries"): ("webhook.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/webhooks/{id}/deliveries/{event_id}/redeliver"): ("webhook.manage",
                                                                    ADMIN_ONLY, set()),
})
GRANTED_STATUS[("POST", "/v1/webhooks")] = 201

# ---- issue 14 §1, the province: the table grants a province's readers;
# the handler then refuses every organisation that is not a province, as
# organisation A is (test_province.py reads as a province)
PROVINCE_READERS = {r: "province" for r in ("admin", "secretariat", "leader", "viewer")}
POLICY.update({
    ("GET", "/v1/province/members"): ("province.read", PROVINCE_READERS, {"province:read"}),
    ("GET", "/v1/province/review-lists"): ("province.read", PROVINCE_READERS,
                                           {"province:read"}),
})
GRANTED_STATUS.update({("GET", "/v1/province/members"): 403,
                       ("GET", "/v1/province/review-lists"): 403})
# issue 14 §1, a province's agencies: the table grants an organisation's
# administrator; the procedures then refuse an agency (A) what only a province
# does, and find no agency of A's to change (test_organizations.py acts as
# the province); any reader of A's reads A's own history
POLICY.update({
    ("POST", "/v1/province/organizations"): ("organization.manage", ADMIN_ONLY, set()),
    ("GET", "/v1/province/organizations/{id}"): ("province.read", PROVINCE_READERS,
                                                  {"province:read"}),
    ("PATCH", "/v1/province/organizations/{id}"): ("organization.manage", ADMIN_ONLY, set()),
    ("POST", "/v1/province/organizations/{id}/close"): ("organization.manage", ADMIN_ONLY,
                                                         set()),
    ("POST", "/v1/province/mergers"): ("organization.manage", ADMIN_ONLY, set()),
})
GRANTED_STATUS.update({("POST", "/v1/province/organizations"): 403,
                       ("PATCH", "/v1/province/organizations/{id}"): 404,
                       ("POST", "/v1/province/organizations/{id}/close"): 404,
                       ("POST", "/v1/province/mergers"): 403})
# issue 14 §3, the statistics forms: the organisation's own (a province's
# add up its members', test_statistics.py)
POLICY[("GET", "/v1/statistics/{year}")] = (
    "statistics.read", {r: "organization" for r in ("admin", "secretariat", "leader", "viewer")},
    {"integration:read", "province:read"})


def route_listing():
    """`thidua routes` as {(method, path): (permission, {role: scope}, {machine scopes})}."""
    out = run_cli(["routes"])
    assert out.returncode == 0, out.stderr
    routes = {}
    for line in out.stdout.splitlines():
        if not line.strip():
            continue
        method, path, permission, *rest = line.split()
        scopes = dict(t.split("=", 1) for t in rest if "=" in t)
        machine = {t for t in rest if "=" not in t}
        routes[(method, path)] = (permission, scopes, machine)
    return routes


def expected_grant(route, caller):
    _, by_role, machine = POLICY[route]
    kind, name = caller
    if kind == "role":
        return by_role.get(name, "none") != "none"
    return bool(CLIENT_SCOPES[name] & machine)


class AccessMatrixTest(IdentityTest):
    """Function level: every protected route, every role, two machine clients."""

    def caller_token(self, caller, org="A"):
        kind, name = caller
        return self.token(org, name) if kind == "role" else self.client_token(org, name)

    def staff_id_visible_to(self, caller, org="A"):
        o = self.world[org]
        kind, name = caller
        if kind == "role" and name == "staff":
            return o.users["staff"]["staff_id"]
        if kind == "role" and name == "unit_head":
            return o.staff["Nguyễn Văn Cường"]  # in C, inside R's subtree
        return o.staff["Trần Thị Bình"]

    def new_plan(self, status="issued"):
        """A plan of organisation A, its own series; issued ones take registrations."""
        o = self.world["A"]
        return self.sql(
            "INSERT INTO plans (organization_id, year, number, symbol, issued_on, title, "
            f"period_start, period_end, status) VALUES ({o.id}, 2026, "
            f"{'' if status == 'draft' else str(uuid.uuid4().int % 10**9)!r}, 'KH-TEST', "
            f"{'NULL' if status == 'draft' else repr('2026-01-05')}, 'Kế hoạch thử', "
            f"'2026-01-01', '2026-12-31', '{status}') RETURNING id")

    def new_registration(self, status="draft", entry=False):
        """A registration of unit C (inside the unit head's R; the staff account is in C)."""
        o = self.world["A"]
        rid = self.sql(
            "INSERT INTO registrations (organization_id, plan_id, unit_id, status) VALUES "
            f"({o.id}, {self.new_plan()}, {o.units['C']}, '{status}') RETURNING id")
        if entry:
            self.sql("INSERT INTO registration_entries (organization_id, registration_id, "
                     f"staff_id, title_code) VALUES ({o.id}, {rid}, "
                     f"{o.users['staff']['staff_id']}, 'lao_dong_tien_tien')")
        return rid

    def plan_request(self, route, tag):
        """Requests for the routes of plans and registrations, or None."""
        method, template = route
        o = self.world["A"]
        me = o.users["staff"]["staff_id"]
        if_1 = {"If-Match": '"1"'}
        if route == ("POST", "/v1/plans"):
            return method, template, {"year": 2026, "symbol": "KH-BQLKKT",
                                      "title": f"Kế hoạch {tag}"}, {}
        if route == ("PATCH", "/v1/plans/{id}"):
            return method, f"/v1/plans/{self.new_plan('draft')}", {"title": f"Sửa {tag}"}, if_1
        if route == ("POST", "/v1/plans/{id}/issue"):
            # a number of its own: two plans of a year never share one (Decree 30/2020)
            return method, f"/v1/plans/{self.new_plan('draft')}/issue", {
                "number": str(uuid.uuid4().int % 10**9)}, if_1
        if route == ("POST", "/v1/plans/{id}/close"):
            return method, f"/v1/plans/{self.new_plan()}/close", None, if_1
        if route == ("POST", "/v1/plans/{id}/reopen"):
            return method, f"/v1/plans/{self.new_plan('closed')}/reopen", {
                "reason": f"Mở lại {tag}"}, if_1
        if route == ("POST", "/v1/plans/{id}/amend"):
            return method, f"/v1/plans/{self.new_plan()}/amend", None, {}
        if route == ("POST", "/v1/plans/{id}/registrations"):
            return method, f"/v1/plans/{self.new_plan()}/registrations", {
                "unit_id": o.units["C"]}, {}
        if route == ("POST", "/v1/plans/{id}/registration-reopenings"):
            return method, f"/v1/plans/{self.new_plan()}/registration-reopenings", {
                "until": "2099-01-01", "reason": f"Gia hạn {tag}"}, {}
        if template.startswith("/v1/plans/{id}"):
            if not hasattr(type(self), "shared_plan"):
                type(self).shared_plan = self.new_plan()
            return method, template.replace("{id}", type(self).shared_plan), None, {}
        if route == ("GET", "/v1/registrations/{id}"):
            return method, f"/v1/registrations/{self.new_registration()}", None, {}
        if route == ("PATCH", "/v1/registrations/{id}"):
            return method, f"/v1/registrations/{self.new_registration()}", {
                "commitments": f"Cam kết {tag}"}, if_1
        if template == "/v1/registrations/{id}/entries/{staff_id}":
            rid = self.new_registration(entry=method == "DELETE")
            body = {"title_code": "lao_dong_tien_tien"} if method == "PUT" else None
            return method, f"/v1/registrations/{rid}/entries/{me}", body, {}
        if route == ("POST", "/v1/registrations/{id}/submit"):
            return method, f"/v1/registrations/{self.new_registration()}/submit", None, if_1
        if template in ("/v1/registrations/{id}/accept", "/v1/registrations/{id}/return"):
            rid = self.new_registration("submitted")
            body = {"reason": "Bổ sung hồ sơ"} if template.endswith("return") else None
            return method, template.replace("{id}", rid), body, if_1
        return None

    def record_file(self, kind, owner):
        """A file of a case or an exemplar of organisation A; its id."""
        return self.sql("INSERT INTO record_files (organization_id, owner_kind, owner_id, "
                        "filename, content_type, size_bytes, sha256, data, created_by) VALUES "
                        f"({self.world['A'].id}, '{kind}', {owner}, 'tep.txt', 'text/plain', "
                        "3, sha256('\\x00ff41'), '\\x00ff41', 'user:1') RETURNING id")

    def build_disclosure_request(self, route, tag):
        """A disclosure of a fresh convened session, and a piece of feedback."""
        method, template = route
        o = self.world["A"]
        sid = test_disclosures.convened_session(self, [("lao_dong_tien_tien", "Trần Thị Bình")])
        body = {"source": "session", "session_id": sid, "title": f"Công khai {tag}"}
        if route == ("POST", "/v1/disclosures"):
            return method, template, body, {}
        did = self.sql(f"SELECT (disclosure_create({o.id}, 'user', '0', 'test', "
                       f"'{json.dumps(body)}'::jsonb, current_date)).id")
        path = template.replace("{id}", did)
        if template.endswith("/withdraw"):
            return method, path, {"reason": "Lập lại danh sách"}, {"If-Match": '"1"'}
        if template.endswith("{feedback_id}"):
            fid = self.sql("INSERT INTO disclosure_feedback (organization_id, disclosure_id, "
                           f"position, body, received_on) VALUES ({o.id}, {did}, 1, 'Góp ý', "
                           "current_date) RETURNING id")
            return method, path.replace("{feedback_id}", fid), {
                "action": "consider", "note": "Đã xem xét"}, {"If-Match": '"1"'}
        return method, path, None, {}

    def build_bloc_request(self, route, tag):
        """A fresh bloc of a province with A as a member and the head of 2018,
        its table set (so A may score itself)."""
        method, template = route
        a = self.world["A"].id
        if not hasattr(type(self), "bloc_province"):
            type(self).bloc_province = self.sql(
                "INSERT INTO organizations (code, name, kind) VALUES ('TINH-MATRIX', "
                "'Tỉnh thử', 'province') RETURNING id")
            self.sql("INSERT INTO province_members (province_id, member_id, valid_from) "
                     f"VALUES ({type(self).bloc_province}, {a}, '2015-01-01')")
        if route == ("POST", "/v1/blocs"):
            return method, template, {"code": f"K-{tag}", "name": "Khối thử", "members": []}, {}
        bid = self.sql(f"INSERT INTO blocs (province_id, code, name) VALUES "
                       f"({type(self).bloc_province}, 'K-{tag}', 'Khối thử') RETURNING id")
        self.sql(f"INSERT INTO bloc_members (bloc_id, member_id, valid_from) VALUES "
                 f"({bid}, {a}, '2018-01-01')")
        self.sql("INSERT INTO bloc_years (bloc_id, year, head_id, criteria) VALUES "
                 f"({bid}, 2018, {a}, '[{{\"code\": \"C1\", \"title\": \"x\", "
                 "\"max_points\": 10}]')")
        path = (template.replace("{id}", bid).replace("{year}", "2018")
                .replace("{member_id}", str(a)))
        body = {
            ("PUT", "/v1/blocs/{id}/years/{year}"): {"head_id": a},
            ("PUT", "/v1/blocs/{id}/years/{year}/pact"): {"theme": "Chủ đề",
                                                         "signed_on": "2018-03-16"},
            ("PUT", "/v1/blocs/{id}/years/{year}/table"): {
                "criteria": [{"code": "C1", "title": "x", "max_points": 10}]},
            ("PUT", "/v1/blocs/{id}/years/{year}/scores/{member_id}"): {"points": {"C1": 5}},
            ("POST", "/v1/blocs/{id}/years/{year}/adjustments"): {
                "member_id": a, "points": 1, "reason": "Lý do"},
            ("POST", "/v1/blocs/{id}/years/{year}/flags"): {"member_id": a,
                                                           "flag": "provincial"},
        }.get(route)
        return method, path, body, {}

    def build_webhook_request(self, route, tag):
        """A subscription of its own (an address nobody answers: deliveries
        fail quietly), with one event queued for it."""
        method, template = route
        o = self.world["A"]
        body = {"url": f"https://portal-{tag}.invalid/hooks", "events": ["case.reminder"]}
        if route == ("POST", "/v1/webhooks"):
            # room under the limit of 20 active subscriptions
            self.sql(f"UPDATE webhook_subscriptions SET disabled_at = now() "
                     f"WHERE organization_id = {o.id}")
            return method, template, body, {}
        wid = self.sql("INSERT INTO webhook_subscriptions (organization_id, url, events, secret) "
                       f"VALUES ({o.id}, 'https://portal-{tag}.invalid/hooks', "
                       "'{case.reminder}', decode(md5('a') || md5('b'), 'hex')) RETURNING id")
        eid = self.sql(f"SELECT outbox_emit({o.id}, 'case.reminder', '{{}}'::jsonb)")
        event = self.sql(f"SELECT event_id FROM outbox_events WHERE id = {eid}")
        path = template.replace("{id}", wid).replace("{event_id}", event)
        return method, path, None, {}

    def build_request(self, route, caller):
        """(method, path, body, headers) of a call that succeeds when granted."""
        method, template = route
        o = self.world["A"]
        tag = uuid.uuid4().hex[:8]
        # the narrower templates first: reports claims every /v1/submissions/{id}...
        followup = self.build_followup_request(route, caller)
        if followup:
            return followup
        consolidation = self.build_consolidation_request(route)
        if consolidation:
            return consolidation
        reports = self.build_report_request(route, caller)
        if reports:
            return reports
        records = self.build_records_request(route, caller)
        if records:
            return records
        planned = self.plan_request(route, tag)
        if planned:
            return planned
        year_end = self.build_year_end_request(route, caller, tag)
        if year_end:
            return year_end
        if template.startswith("/v1/funds/{year}"):
            return self.build_fund_request(route, tag)
        if route == ("GET", "/v1/statistics/{year}"):
            return method, template.replace("{year}", "2024"), None, {}
        if template.startswith("/v1/province/organizations") or template == "/v1/province/mergers":
            path = template.replace("{id}", str(o.id))
            body = {("POST", "/v1/province/organizations"): {
                        "code": f"SO-{tag}", "name": f"Sở {tag}", "valid_from": "2024-01-01"},
                    ("PATCH", "/v1/province/organizations/{id}"): {"name": f"Cơ quan {tag}"},
                    ("POST", "/v1/province/organizations/{id}/close"): {
                        "closed_on": "2030-01-01", "decision": f"{tag}/QĐ"},
                    ("POST", "/v1/province/mergers"): {
                        "kind": "merge", "effective_on": "2030-01-01", "decision": f"{tag}/QĐ",
                        "predecessor_ids": [o.id], "successor_ids": [o.id]}}.get(route)
            return method, path, body, {"If-Match": '"1"'} if "{id}" in template else {}
        if template.startswith("/v1/council-"):
            return self.build_council_request(route, tag)
        if template.startswith("/v1/decisions") or template.startswith("/v1/proposals"):
            return self.build_decision_request(route, tag)
        if route == ("POST", "/v1/exemplars"):
            return method, template, {"subject_kind": "staff",
                                      "staff_id": o.staff["Trần Thị Bình"],
                                      "title": f"Tấm gương cải cách hành chính {tag}",
                                      "story": "Rút ngắn thời gian giải quyết hồ sơ."}, {}
        if template.startswith("/v1/exemplars/{id}"):
            status = "published" if template.endswith("/withdraw") else "draft"
            published = "'2024-05-01'" if status == "published" else "NULL"
            eid = self.sql(
                "INSERT INTO exemplars (organization_id, subject_kind, staff_id, title, story, "
                f"consent_on, status, published_on, created_by) VALUES ({o.id}, 'staff', "
                f"{o.staff['Trần Thị Bình']}, 'Tấm gương {tag}', 'Câu chuyện', '2024-04-01', "
                f"'{status}', {published}, 'test') RETURNING id")
            path = template.replace("{id}", eid)
            if template.endswith("/attachments"):
                return method, path + f"?filename=anh-{tag}.png", b"\x89PNG\r\n", {
                    "Content-Type": "image/png"}
            if template.endswith("{attachment_id}"):
                return method, path.replace("{attachment_id}", self.record_file("exemplar", eid)), \
                    None, {}
            if method == "POST":
                return method, path, {}, {"If-Match": '"1"'}
            return method, path, None, {}
        if template.startswith("/v1/disclosures"):
            return self.build_disclosure_request(route, tag)
        if template.startswith("/v1/webhooks"):
            return self.build_webhook_request(route, tag)
        if template.startswith("/v1/blocs"):
            return self.build_bloc_request(route, tag)
        if route == ("POST", "/v1/cases"):
            return method, template, {"kind": "petition", "staff_id": o.staff["Trần Thị Bình"],
                                      "summary": f"Kiến nghị {tag}",
                                      "received_on": "2024-05-02"}, {}
        if template.startswith("/v1/cases/{id}"):
            cid = self.sql(
                "INSERT INTO cases (organization_id, kind, staff_id, summary, lodged_by, "
                f"received_on, status, accepted_on) VALUES ({o.id}, 'petition', "
                f"{o.staff['Trần Thị Bình']}, 'Kiến nghị {tag}', 'test', '2024-05-02', "
                "'accepted', '2024-05-03') RETURNING id")
            path = template.replace("{id}", cid)
            if template.endswith("/steps"):
                return method, path, {"step": "verify"}, {"If-Match": '"1"'}
            if template.endswith("/decision"):
                return method, path, {"outcome": "Đã trả lời"}, {"If-Match": '"1"'}
            if template.endswith("/attachments"):
                return method, path + f"?filename=don-{tag}.pdf", b"%PDF-1.7\n", {
                    "Content-Type": "application/pdf"}
            if template.endswith("{attachment_id}"):
                return method, path.replace("{attachment_id}", self.record_file("case", cid)), \
                    None, {}
            return method, path, None, {}
        if route == ("POST", "/v1/households"):
            return method, template, {"name": f"Hộ ông Rơ Châm {tag}",
                                      "address": "Làng Ia Băng, xã Ia Băng"}, {}
        if route == ("GET", "/v1/households/{id}"):
            hid = self.sql(f"INSERT INTO households (organization_id, name, address, "
                           f"created_by) VALUES ({o.id}, 'Hộ bà Ksor H''Bia', 'Plei Kần', "
                           f"'test') RETURNING id")
            return method, f"/v1/households/{hid}", None, {}
        if route == ("GET", "/v1/calendar/{year}"):
            return "GET", "/v1/calendar/2025", None, {}
        if route == ("GET", "/v1/province/review-lists"):
            return method, template + "?year=2024", None, {}
        if route == ("POST", "/v1/units"):
            return method, template, {"code": f"T-{tag}", "name": f"Tổ công tác {tag}",
                                      "kind": "other", "parent_id": o.units["R"]}, {}
        if route == ("POST", "/v1/staff"):
            return method, template, {"unit_id": o.units["C"],
                                      "full_name": f"Phan Thị Thử {tag}", "gender": "female",
                                      "employment_type": "public_employee",
                                      "start_date": "2020-03-01"}, {}
        if route == ("POST", "/v1/staff/import"):
            csv = ("full_name,gender,employment_type,start_date,unit_code\r\n"
                   f"Lưu Văn Nhập {tag},Nam,Công chức,2019-05-01,S\r\n").encode()
            return method, template, csv, {"Content-Type": "text/csv"}
        if route == ("PATCH", "/v1/staff/{id}"):
            sid = o.staff["Trần Thị Bình"]
            version = self.sql(f"SELECT version FROM staff WHERE id = {sid}")
            return method, f"/v1/staff/{sid}", {"position": f"Chuyên viên chính {tag}"}, {
                "If-Match": f'"{version}"'}
        if route == ("POST", "/v1/users"):
            return method, template, {"username": f"tk.{tag}", "display_name": f"Tài khoản {tag}",
                                      "password": "Mat-khau-moi@2024", "roles": ["viewer"]}, {}
        if route == ("PATCH", "/v1/users/{id}"):
            uid = o.users["viewer"]["id"]
            version = self.sql(f"SELECT version FROM users WHERE id = {uid}")
            return method, f"/v1/users/{uid}", {"display_name": f"Người xem {tag}"}, {
                "If-Match": f'"{version}"'}
        if template == "/v1/users/{id}":
            return method, f"/v1/users/{o.users['viewer']['id']}", None, {}
        if route == ("POST", "/v1/clients"):
            return method, template, {"client_id": f"c-{tag}", "name": f"Hệ thống {tag}",
                                      "scopes": ["reports:write"]}, {}
        if template.startswith("/v1/clients/{id}/"):
            # a spare client of its own, so the fixtures' clients stay usable
            cid = self.sql(f"INSERT INTO clients (organization_id, client_id, name, secret_hash, "
                           f"scopes) VALUES ({o.id}, 'spare-{tag}', 'Dự phòng', "
                           f"sha256('x'::bytea), '{{reports:write}}') RETURNING id")
            return method, template.replace("{id}", cid), None, {}
        if route in (("PATCH", "/v1/units/{id}"), ("POST", "/v1/units/{id}/close")):
            # a unit of its own, empty, so the fixtures' units stay as they are
            uid = self.sql(f"INSERT INTO units (organization_id, parent_id, code, name, kind) "
                           f"VALUES ({o.id}, {o.units['R']}, 'TMP-{tag}', 'Tổ tạm {tag}', "
                           "'other') RETURNING id")
            body = ({"name": f"Tổ đổi tên {tag}"} if method == "PATCH"
                    else {"closed_on": "2026-01-01", "decision": f"{tag}/QĐ"})
            return method, template.replace("{id}", uid), body, {"If-Match": '"1"'}
        if template.startswith("/v1/units/{id}") and method == "GET":
            return method, template.replace("{id}", str(o.units["C"])), None, {}
        if template == "/v1/staff/{id}":
            return method, f"/v1/staff/{self.staff_id_visible_to(caller)}", None, {}
        if "{" not in template and method == "GET":
            return method, template, None, {}
        self.fail(f"the matrix test has no request for {method} {template}; add one")

    # -- issue 11, year-end ---------------------------------------------------

    def build_year_end_request(self, route, caller, tag):
        """The request of build_request for a route of the year-end review, or
        None.  Writes name a person of the organisation; reads one the caller
        may see."""
        method, template = route
        o = self.world["A"]
        sid = self.staff_id_visible_to(caller)
        if template.startswith("/v1/staff/{id}/"):
            path = template.replace("{id}", str(sid)).replace("{year}", "2024")
            if method == "GET":
                return method, path + "?year=2024", None, {}
            body = {
                "ratings": {"rating": "good", "rated_on": "2024-12-16",
                            "source_document": f"QĐ {tag}", "disciplined": False},
                "disciplines": {"form": "reprimand", "decision_number": f"{tag}/QĐ-KL",
                                "decided_on": "2023-02-01", "in_force_from": "2023-02-01",
                                "in_force_until": "2023-12-31"},
                "leaves": {"kind": "sickness", "from": "2024-02-01", "until": "2024-02-10"},
                "cases": {"kind": "complaint", "opened_on": "2023-02-01",
                          "closed_on": "2023-03-01"},
            }[template.split("/")[4]]
            return method, path, body, {}
        if route == ("POST", "/v1/ratings/import"):
            csv = ("staff_id,year,rating,rated_on,source_document\r\n"
                   f"{sid},2023,good,2023-12-16,QĐ {tag}\r\n").encode()
            return method, template, csv, {"Content-Type": "text/csv"}
        if route == ("POST", "/v1/cases/{id}/close"):
            cid = self.sql(f"INSERT INTO staff_cases (organization_id, staff_id, kind, opened_on) "
                           f"VALUES ({o.id}, {sid}, 'inspection', '2024-01-02') RETURNING id")
            return method, f"/v1/cases/{cid}/close", {"closed_on": "2024-02-01"}, {}
        if route == ("POST", "/v1/initiatives"):
            return method, template, {"kind": "initiative", "title": f"Sáng kiến {tag}",
                                      "level": "base", "recognised_by": "Hội đồng sáng kiến",
                                      "decision_number": f"{tag}/QĐ",
                                      "recognised_on": "2024-06-01", "staff_ids": [sid]}, {}
        if route == ("POST", "/v1/awards"):
            return method, template, {"award_code": "giay_khen", "subject_kind": "staff",
                                      "staff_id": sid, "year": 2024,
                                      "decision_number": f"{tag}/QĐ",
                                      "decision_date": "2024-12-28"}, {}
        if route == ("GET", "/v1/units/{id}/eligibility"):
            return method, f"/v1/units/{o.units['C']}/eligibility?year=2024", None, {}
        if route == ("GET", "/v1/rule-sets/{code}"):
            return method, "/v1/rule-sets/nd98_2023", None, {}
        if route == ("POST", "/v1/review-rounds"):
            return method, template, {"year": 2024, "kind": "annual", "name": f"Đợt {tag}",
                                      "deadline": "2099-12-15"}, {}
        if template.startswith("/v1/review-rounds/{id}") or template.startswith(
                "/v1/nominations/{id}"):
            rid = self.sql(f"INSERT INTO review_rounds (organization_id, year, kind, name, "
                           f"deadline, dossier_date) VALUES ({o.id}, 2024, 'annual', "
                           f"'Đợt {tag}', '2099-12-15', '2024-12-20') RETURNING id")
            if template.startswith("/v1/nominations/{id}"):
                nid = self.sql(f"INSERT INTO nominations (organization_id, round_id, award_code, "
                               f"subject_kind, staff_id, nominated_by) VALUES ({o.id}, {rid}, "
                               f"'lao_dong_tien_tien', 'staff', {sid}, 'test') RETURNING id")
                body = {"reason": "Lý do giữ lại"} if template.endswith("override") else None
                return method, template.replace("{id}", nid), body, {}
            path = template.replace("{id}", rid)
            if template.endswith("nominations"):
                return method, path, {"award_code": "lao_dong_tien_tien",
                                      "subject_kind": "staff", "staff_id": sid}, {}
            return method, path, None, {}
        return None

    # -- issue 4, records ----------------------------------------------------

    def report_period(self):
        """A new period of organisation A's template, answered by units R, C and S."""
        o = self.world["A"]
        if not hasattr(type(self), "report_template"):
            type(self).report_template = self.sql(
                "INSERT INTO report_templates (organization_id, code, version, title, fields) "
                f"VALUES ({o.id}, 'bc-test', 1, 'Mẫu thử', '{REPORT_FIELDS}') RETURNING id")
        pid = self.sql(
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) VALUES ({o.id}, {type(self).report_template}, 'ad_hoc', "
            "'Báo cáo đột xuất', '2026-01-01', '2026-06-30', '2099-07-10') RETURNING id")
        self.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                 f"SELECT {o.id}, {pid}, unnest(ARRAY[{o.units['R']}, {o.units['C']}, "
                 f"{o.units['S']}]::bigint[])")
        return pid

    def report_submission(self, status="draft"):
        """A new submission of unit C (inside the unit head's R)."""
        o = self.world["A"]
        return self.sql(
            "INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, "
            f"created_by) VALUES ({o.id}, {self.report_period()}, {o.units['C']}, '{status}', "
            "'{\"cases\": 1}', 'user:test') RETURNING id")

    def build_report_request(self, route, caller):
        """The request of build_request for a reporting route, or None."""
        method, template = route
        o = self.world["A"]
        tag = uuid.uuid4().hex[:8]
        if1 = {"If-Match": '"1"'}
        if route == ("POST", "/v1/report-templates"):
            return method, template, {"code": f"bc-{tag}", "title": f"Mẫu {tag}",
                                      "fields": json.loads(REPORT_FIELDS)}, {}
        if route == ("POST", "/v1/report-periods"):
            self.report_period()  # makes sure the template exists
            return method, template, {"template_id": int(type(self).report_template),
                                      "kind": "year", "title": f"Năm {tag}",
                                      "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                                      "due_on": "2027-01-10", "unit_ids": [o.units["R"]]}, {}
        if template == "/v1/report-templates/{id}":
            self.report_period()
            return method, f"/v1/report-templates/{type(self).report_template}", None, {}
        if route == ("POST", "/v1/report-periods/{id}/close"):
            return method, f"/v1/report-periods/{self.report_period()}/close", None, if1
        if route == ("POST", "/v1/report-periods/{id}/submissions"):
            return method, f"/v1/report-periods/{self.report_period()}/submissions", {
                "unit_id": o.units["C"], "answers": {"cases": 3}}, {}
        if template.startswith("/v1/report-periods/{id}"):
            return method, template.replace("{id}", self.report_period()), None, {}
        if route == ("PUT", "/v1/submissions/{id}"):
            return method, f"/v1/submissions/{self.report_submission()}", {
                "answers": {"cases": 4}}, if1
        if route == ("POST", "/v1/submissions/{id}/submit"):
            return method, f"/v1/submissions/{self.report_submission()}/submit", None, if1
        if template in ("/v1/submissions/{id}/accept", "/v1/submissions/{id}/return"):
            body = {"reason": "Bổ sung số liệu"} if template.endswith("return") else None
            return method, template.replace("{id}", self.report_submission("submitted")), \
                body, if1
        if template.startswith("/v1/submissions/{id}"):
            return method, template.replace("{id}", self.report_submission()), None, {}
        return None

    def build_records_request(self, route, caller):
        """The request of build_request for a route of the records, or None.
        Fixtures are made fresh with SQL, so every granted write succeeds."""
        method, template = route
        o = self.world["A"]
        tag = uuid.uuid4().hex[:8]
        if route == ("POST", "/v1/documents"):
            return method, template, {"code": f"{tag}/QĐ-UBND", "title": f"Quyết định {tag}"}, {}
        if template == "/v1/documents/{id}":
            did = self.sql("INSERT INTO documents (organization_id, code, title) VALUES "
                           f"({o.id}, '{tag}/KH-UBND', 'Kế hoạch {tag}') RETURNING id")
            return method, f"/v1/documents/{did}", None, {}
        if route == ("POST", "/v1/movements"):
            return method, template, {"name": f"Phong trào {tag}", "kind": "regular",
                                      "starts_on": "2024-01-01", "ends_on": "2024-12-31"}, {}
        if template == "/v1/movements/{id}":
            mid = self.sql("INSERT INTO movements (organization_id, name, kind, starts_on, "
                           f"ends_on) VALUES ({o.id}, 'Phong trào {tag}', 'thematic', "
                           "'2024-03-01', '2024-06-30') RETURNING id")
            return method, f"/v1/movements/{mid}", None, {}
        if route == ("POST", "/v1/sessions"):
            return method, template, {"kind": "dissemination", "held_on": "2024-03-01",
                                      "topic": f"Quán triệt {tag}", "unit_id": o.units["R"]}, {}
        if template.startswith("/v1/sessions/{id}"):
            sid = self.sql("INSERT INTO sessions (organization_id, kind, held_on, topic) "
                           f"VALUES ({o.id}, 'training', '2024-04-01', 'Tập huấn {tag}') "
                           "RETURNING id")
            body = None
            if method == "PUT":
                body = {"records": [{"staff_id": self.staff_id_visible_to(caller),
                                     "status": "attended"}]}
            return method, template.replace("{id}", sid), body, {}
        if route == ("POST", "/v1/collective-ratings"):
            return method, template, {"year": 2024, "subject_kind": "unit",
                                      "subject_name": f"Tổ {tag}", "unit_id": o.units["C"],
                                      "rating": "good", "rated_on": "2024-12-20",
                                      "source_document": "Quyết định 01/QĐ"}, {}
        if route == ("POST", "/v1/recognitions"):
            # one recognition of a kind per year: a year that has none yet
            year = self.sql("SELECT min(y) FROM generate_series(2000, 2100) y WHERE NOT EXISTS "
                            f"(SELECT 1 FROM recognitions WHERE organization_id = {o.id} "
                            "AND year = y AND kind = 'security_order')")
            return method, template, {"year": int(year), "kind": "security_order",
                                      "granted_on": "2024-12-01", "issuer": "Công an tỉnh",
                                      "evidence": f"Quyết định {tag}"}, {}
        if template == "/v1/plans/{id}/targets/{code}/reports":
            pid = self.sql("INSERT INTO plans (organization_id, year, symbol, title, "
                           f"period_start, period_end) VALUES ({o.id}, 2024, 'KH-{tag}', "
                           "'Kế hoạch', '2024-01-01', '2024-12-31') RETURNING id")
            self.sql("INSERT INTO plan_targets (organization_id, plan_id, position, code, title, "
                     f"kind, params, comparison, threshold) VALUES ({o.id}, {pid}, 1, '5', "
                     "'Giảm thủ tục', 'reported_number', '{\"aggregate\": \"sum\"}', "
                     "'at_least', 30)")
            if method == "GET":
                return method, f"/v1/plans/{pid}/targets/5/reports", None, {}
            return method, f"/v1/plans/{pid}/targets/5/reports", {
                "unit_id": o.units["R"], "value": 12.5}, {}
        return None

    # -- issue 5, followup ---------------------------------------------------

    def build_followup_request(self, route, caller):
        """The request of build_request for a route of the follow-up and the
        attachments, or None.  A fresh period asking unit C (inside the unit
        head's R) with a draft submission, made with SQL for every call."""
        method, template = route
        if not template.startswith(("/v1/report-periods/{id}/status",
                                    "/v1/report-periods/{id}/reminders",
                                    "/v1/submissions/{id}/attachments")):
            return None
        o = self.world["A"]
        tag = uuid.uuid4().hex[:8]
        unit = o.units["C"]
        tid = self.sql("INSERT INTO report_templates (organization_id, code, version, title, "
                       f"fields) VALUES ({o.id}, 'bc-{tag}', 1, 'Báo cáo', '{REPORT_FIELDS}') "
                       "RETURNING id")
        pid = self.sql("INSERT INTO report_periods (organization_id, template_id, kind, title, "
                       f"starts_on, ends_on, due_on) VALUES ({o.id}, {tid}, 'ad_hoc', "
                       f"'Báo cáo đột xuất {tag}', '2024-01-01', '2024-03-31', '2024-04-10') "
                       "RETURNING id")
        self.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                 f"VALUES ({o.id}, {pid}, {unit})")
        sid = self.sql("INSERT INTO submissions (organization_id, period_id, unit_id, status, "
                       f"answers, created_by) VALUES ({o.id}, {pid}, {unit}, 'draft', '{{}}', "
                       "'user:1') RETURNING id")
        if route == ("GET", "/v1/report-periods/{id}/status"):
            return method, f"/v1/report-periods/{pid}/status", None, {}
        if route == ("POST", "/v1/report-periods/{id}/reminders"):
            return method, f"/v1/report-periods/{pid}/reminders", {
                "message": f"Nhắc gửi báo cáo {tag}"}, {}
        if route == ("POST", "/v1/submissions/{id}/attachments"):
            return method, f"/v1/submissions/{sid}/attachments?filename=bao-cao-{tag}.pdf", \
                b"%PDF-1.7\n\x00\xff", {"Content-Type": "application/pdf"}
        aid = self.sql("INSERT INTO submission_attachments (organization_id, submission_id, "
                       "filename, content_type, size_bytes, sha256, data, created_by) VALUES "
                       f"({o.id}, {sid}, 'ghi-chu.txt', 'text/plain', 3, sha256('\\x00ff41'), "
                       "'\\x00ff41', 'user:1') RETURNING id")
        return method, f"/v1/submissions/{sid}/attachments/{aid}", None, {}
    # -- issue 5, consolidation ----------------------------------------------

    def consolidation_period(self):
        """A period of organisation A (a template and unit R), made once per class."""
        if not hasattr(type(self), "shared_period"):
            o = self.world["A"]
            tag = uuid.uuid4().hex[:8]
            pid = self.sql(
                "WITH t AS (INSERT INTO report_templates (organization_id, code, version, title, "
                f"fields) VALUES ({o.id}, 'bc-{tag}', 1, 'Mẫu báo cáo', '[{{\"key\": \"n\", "
                "\"label\": \"Số\", \"type\": \"number\"}]') RETURNING id) "
                "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
                f"ends_on, due_on) SELECT {o.id}, t.id, 'year', 'Báo cáo năm {tag}', "
                "'2024-01-01', '2024-12-31', '2025-01-10' FROM t RETURNING id")
            self.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                     f"VALUES ({o.id}, {pid}, {o.units['R']})")
            type(self).shared_period = pid
            # a consolidated document as the service makes it, which the
            # consolidations of the matrix carry
            r = self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                          token=self.token("A", "secretariat"))
            assert r.status == 201, r
            type(self).shared_document = self.sql(
                f"SELECT document::text FROM consolidations WHERE id = {r.json()['id']}")
        return type(self).shared_period

    def build_consolidation_request(self, route):
        """The request of build_request for a route of consolidations, or None.
        Each call gets a fresh consolidation: a draft to send (If-Match "1"), a
        sent one to read (machines read sent ones only)."""
        method, template = route
        if template == "/v1/report-periods/{id}/consolidations":
            return method, template.replace("{id}", str(self.consolidation_period())), None, {}
        if route == ("GET", "/v1/integration/consolidations"):
            return method, template + "?limit=5", None, {}
        if template.startswith("/v1/consolidations/{id}"):
            state = ("'sent', nextval('consolidation_feed'), now()" if method == "GET"
                     else "'draft', NULL, NULL")
            period = self.consolidation_period()
            document = type(self).shared_document.replace("'", "''")
            kid = self.sql(
                "INSERT INTO consolidations (organization_id, period_id, document, status, "
                f"feed_seq, sent_at) VALUES ({self.world['A'].id}, {period}, '{document}', "
                f"{state}) RETURNING id")
            return method, template.replace("{id}", kid), None, {"If-Match": '"1"'}
        return None

    def build_fund_request(self, route, tag):
        """The fund of 2024 (entered once, large), and for a payment a new
        Giấy khen of the ledger, paid once."""
        org = self.world["A"].id
        self.sql("INSERT INTO emulation_funds (organization_id, year, size, set_aside_percent) "
                 f"VALUES ({org}, 2024, 100000000000, 20) ON CONFLICT DO NOTHING")
        method, template = route
        path = template.replace("{year}", "2024")
        if method == "PUT":
            return method, path, {"size": 100000000000}, {}
        if method == "POST":
            sid = self.world["A"].staff["Trần Thị Bình"]
            aid = self.sql(
                "INSERT INTO awards (organization_id, award_code, subject_kind, staff_id, year, "
                f"decision_number, decision_date) VALUES ({org}, 'giay_khen', 'staff', {sid}, "
                f"2024, '{tag}/QĐ', '2024-12-28') RETURNING id")
            return method, path, {"award_id": f"award-{aid}", "paid_on": "2024-12-30"}, {}
        return method, path, None, {}

    def council_session(self, status):
        """A session of organisation A in status, on a new submitted round
        with one candidate, its three members present (created once: the
        leader chairs, the secretariat is the secretary, the council account
        a member)."""
        o = self.world["A"]
        if not hasattr(type(self), "council_members"):
            type(self).council_members = [self.sql(
                "INSERT INTO council_members (organization_id, user_id, council_role, "
                f"valid_from) VALUES ({o.id}, {o.users[role]['id']}, '{council_role}', "
                "'2020-01-01') RETURNING id")
                for role, council_role in (("leader", "chair"), ("secretariat", "secretary"),
                                           ("council", "member"))]
        secret, key = keypair()
        rid = self.sql("INSERT INTO review_rounds (organization_id, year, kind, name, deadline, "
                       f"dossier_date, status) VALUES ({o.id}, 2024, 'annual', 'Đợt hội đồng', "
                       "'2024-12-15', '2024-12-20', 'submitted') RETURNING id")
        nid = self.sql("INSERT INTO nominations (organization_id, round_id, award_code, "
                       f"subject_kind, staff_id, nominated_by) VALUES ({o.id}, {rid}, "
                       f"'lao_dong_tien_tien', 'staff', {o.staff['Lê Thị Hoa']}, 'test') "
                       "RETURNING id")
        sid = self.sql("INSERT INTO council_sessions (organization_id, name, held_on, "
                       f"ballot_secret, ballot_key, created_by) VALUES ({o.id}, 'Phiên họp', "
                       f"'2024-12-22', '\\x{secret.hex()}', '\\x{key.hex()}', 'test') "
                       "RETURNING id")
        self.sql(f"INSERT INTO council_agenda VALUES ({o.id}, {sid}, {rid}); "
                 "INSERT INTO council_attendance SELECT "
                 f"{o.id}, {sid}, unnest(ARRAY[{','.join(type(self).council_members)}]), "
                 "'present'")
        if status != "convened":
            self.sql("INSERT INTO council_candidates SELECT "
                     f"{o.id}, {sid}, {nid}, (council_rule_for('nd98_2023', "
                     "'lao_dong_tien_tien')).id, 'nd98_2023'; "
                     f"UPDATE council_sessions SET status = '{status}' WHERE id = {sid}")
        if status in ("closed", "signed"):
            # closed as the ballot closes a session: with the commitment to its ballots
            self.sql("UPDATE council_sessions SET commitment = sha256('ballots'::bytea) "
                     f"WHERE id = {sid}")
        return sid, nid

    def build_council_request(self, route, tag):
        """The request of build_request for a route of the council: each call
        a new session in the state its step needs."""
        method, template = route
        o = self.world["A"]
        if route == ("POST", "/v1/council-members"):
            uid = self.sql("INSERT INTO users (organization_id, username, display_name, "
                           f"password_hash, roles) VALUES ({o.id}, 'hd.{tag}', 'Ủy viên {tag}', "
                           "'x', '{council}') RETURNING id")
            return method, template, {"user_id": int(uid), "council_role": "member",
                                      "valid_from": "2024-01-01"}, {}
        if route == ("POST", "/v1/council-sessions"):
            rid = self.sql("INSERT INTO review_rounds (organization_id, year, kind, name, "
                           f"deadline, dossier_date, status) VALUES ({o.id}, 2024, 'annual', "
                           f"'Đợt {tag}', '2024-12-15', '2024-12-20', 'submitted') RETURNING id")
            return method, template, {"name": f"Phiên {tag}", "held_on": "2024-12-22",
                                      "round_ids": [int(rid)]}, {}
        if "{" not in template:
            return method, template, None, {}
        step = template.rsplit("/", 1)[-1]
        status = {"open": "convened", "attendance": "convened", "{id}": "convened",
                  "tokens": "open", "voting": "open", "hands": "voting",
                  "close": "voting"}.get(step, "closed")
        sid, nid = self.council_session(status)
        path = template.replace("{id}", sid)
        body = {"attendance": {"items": [{"member_id": int(type(self).council_members[2]),
                                          "status": "present"}]},
                "tokens": {"blinded": Member(int(sid)).blinded.hex()},
                "hands": {"items": [{"nomination_id": int(nid), "yes": 2, "no": 1}]},
                }.get(step)
        return method, path, body, {}

    def build_decision_request(self, route, tag):
        """Each call a draft of its own, on a signed session approving one Giấy
        khen (a form: a person may receive several in a year), or for a
        proposal one Bằng khen of the province."""
        method, template = route
        if "{" not in template and method == "GET":
            return method, template, None, {}
        proposal = template.startswith("/v1/proposals")
        sid, nid = self.council_session("voting")
        # signed minutes as the council signs them: the tally with its counts
        # (three members by secret ballot, three needed), and their hash
        tally = (f'{{"nomination_id": {nid}, "approved": true, "method": "secret_ballot", '
                 '"yes": 3, "no": 0, "blank": 0, "base": 3, "needed": 3}')
        self.sql("UPDATE council_sessions SET status = 'signed', commitment = "
                 "sha256('ballots'::bytea), minutes_hash = sha256('minutes'::bytea), "
                 f"minutes = '{{\"tally\": [{tally}]}}' "
                 f"WHERE id = {sid}; UPDATE nominations SET award_code = "
                 f"'{'bang_khen_tinh' if proposal else 'giay_khen'}' WHERE id = {nid}")
        draft = {"session_id": int(sid), "symbol": "QĐ-BQLKKT", "title": f"Khen thưởng {tag}",
                 "place": "Gia Lai", "signer_name": "Dương Quang Tuấn",
                 "signer_title": "Trưởng ban"}
        if proposal:
            draft.update(symbol="TTr-BQLKKT", recipient="Ủy ban nhân dân tỉnh Gia Lai")
        if method == "POST" and "{" not in template:
            return method, template, draft, {}
        if proposal:
            pid = self.sql(f"SELECT (proposal_create({self.world['A'].id}, 'user', '1', 'test', "
                           f"'{json.dumps(draft)}'::jsonb)).id")
            path = template.replace("{id}", pid)
            if template.endswith("/send"):
                return method, path, {"sent_on": "2024-12-28"}, {"If-Match": '"1"'}
            if template.endswith("/answers"):
                self.sql(f"SELECT proposal_send({self.world['A'].id}, 'user', '1', 'test', "
                         f"{pid}, 1, '{{\"sent_on\": \"2024-12-28\"}}'::jsonb)")
                return method, path, {"items": [{"position": 1, "outcome": "refused",
                                                 "reason": "Chưa đủ tiêu chuẩn"}]}, {}
            return method, path, None, {}
        did = self.sql(f"SELECT (decision_create({self.world['A'].id}, 'user', '1', 'test', "
                       f"'{json.dumps(draft)}'::jsonb)).id")
        path = template.replace("{id}", did)
        if template.endswith("/sign"):
            return method, path, {"decided_on": "2024-12-28"}, {"If-Match": '"1"'}
        if template.endswith("/certificates/{position}"):
            self.sql(f"SELECT decision_sign({self.world['A'].id}, 'user', '1', 'test', {did}, "
                     "1, '{\"decided_on\": \"2024-12-28\"}'::jsonb)")
            return method, path.replace("{position}", "1"), None, {}
        if template.endswith("/revocations"):
            self.sql(f"SELECT decision_sign({self.world['A'].id}, 'user', '1', 'test', {did}, "
                     "1, '{\"decided_on\": \"2024-12-28\"}'::jsonb)")
            return method, path, {"position": 1, "revoked_on": "2024-12-30",
                                  "reason": "Khai man thành tích"}, {}
        return method, path, None, {}

    def test_route_listing_matches_policy(self):
        listing = route_listing()
        public = {k for k, v in listing.items() if v[0] == "public"}
        self.assertEqual(public, PUBLIC, "public routes differ from the policy")
        protected = {k: v for k, v in listing.items() if v[0] != "public"}
        self.assertEqual(sorted(set(protected) - set(POLICY)), [],
                         "routes the policy table of this test does not know")
        self.assertEqual(sorted(set(POLICY) - set(protected)), [],
                         "routes in the policy that the service does not have")
        for route, (perm, by_role, machine) in POLICY.items():
            with self.subTest(route=route):
                got_perm, got_scopes, got_machine = protected[route]
                self.assertEqual(got_perm, perm)
                got = {r: s for r, s in got_scopes.items() if s != "none"}
                self.assertEqual(got, by_role)
                self.assertEqual(got_machine, machine)

    def test_matrix_every_route_every_caller(self):
        listing = route_listing()
        protected = sorted(k for k, v in listing.items() if v[0] != "public")
        self.assertTrue(protected)
        for route in protected:
            self.assertIn(route, POLICY, f"no expectation for {route}")
            for caller in CALLERS:
                with self.subTest(route=" ".join(route), caller=":".join(caller)):
                    method, path, body, headers = self.build_request(route, caller)
                    r = self.call(method, path, token=self.caller_token(caller), body=body,
                                  headers=headers)
                    if expected_grant(route, caller):
                        self.assertEqual(r.status, GRANTED_STATUS.get(route, 200), r)
                    else:
                        doc = self.assertProblem(r, 403, "forbidden")
                        self.assertIn("insufficient_scope", r.header("WWW-Authenticate") or "")
                        self.assertNotIn("errors", doc)

    def test_no_token_is_401_with_challenge_everywhere(self):
        listing = route_listing()
        for route in sorted(k for k, v in listing.items() if v[0] != "public"):
            for auth in (None, "Basic YWRtaW46YWRtaW4=", "Bearer", "bearer"):
                with self.subTest(route=" ".join(route), auth=auth):
                    method, path, body, headers = self.build_request(route, ("role", "admin"))
                    if auth:
                        headers = dict(headers, Authorization=auth)
                    r = self.call(method, path, body=body, headers=headers)
                    self.assertProblem(r, 401, "unauthorized")
                    self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="thidua"')

    def test_denied_write_stores_nothing(self):
        tables = ("units", "staff", "users", "clients", "refresh_tokens", "audit_log")
        snapshot = "SELECT " + ", ".join(
            f"(SELECT md5(coalesce(string_agg(row_to_json(t)::text, ',' ORDER BY id), '')) "
            f"FROM {t} t)" for t in tables)
        for role in ("secretariat", "leader", "council", "unit_head", "staff", "viewer"):
            tok = self.token("A", role)  # logging in is audited: before any snapshot
            for route in sorted(POLICY):
                if route[0] == "GET" or POLICY[route][1].get(role):
                    continue
                with self.subTest(role=role, route=" ".join(route)):
                    method, path, body, headers = self.build_request(route, ("role", role))
                    before = self.sql(snapshot)
                    r = self.call(method, path, token=tok, body=body, headers=headers)
                    self.assertEqual(r.status, 403, r)
                    self.assertEqual(self.sql(snapshot), before)


class AccessScopeTest(IdentityTest):
    """Object level: other organisations, unit subtrees, oneself.  No writes here
    (except refused ones), so the seeded sets are exact."""

    def caller_tokens(self, org):
        for role in ROLES:
            yield role, self.token(org, role)

    def test_other_org_staff_is_404_for_every_role(self):
        for mine, theirs in (("A", "B"), ("B", "A")):
            other = self.world[theirs]
            for role, tok in self.caller_tokens(mine):
                for name, sid in other.staff.items():
                    with self.subTest(caller=f"{mine}:{role}", staff=name):
                        self.assertProblem(self.call("GET", f"/v1/staff/{sid}", token=tok),
                                           404, "not-found")

    def test_other_org_staff_patch_is_404_and_unchanged(self):
        for mine, theirs in (("A", "B"), ("B", "A")):
            other = self.world[theirs]
            sid = next(iter(other.staff.values()))
            before = self.sql(f"SELECT row_to_json(s)::text FROM staff s WHERE id = {sid}")
            for role in ("admin", "secretariat"):
                with self.subTest(caller=f"{mine}:{role}"):
                    r = self.call("PATCH", f"/v1/staff/{sid}", token=self.token(mine, role),
                                  body={"position": "Đã bị sửa"}, headers={"If-Match": '"1"'})
                    self.assertProblem(r, 404, "not-found")
            self.assertEqual(self.sql(f"SELECT row_to_json(s)::text FROM staff s "
                                      f"WHERE id = {sid}"), before)

    def test_other_org_units_are_404(self):
        for mine, theirs in (("A", "B"), ("B", "A")):
            callers = list(self.caller_tokens(mine)) + [("client:portal",
                                                         self.client_token(mine, "portal"))]
            for who, tok in callers:
                for ukey, uid in self.world[theirs].units.items():
                    with self.subTest(caller=f"{mine}:{who}", unit=ukey):
                        self.assertProblem(self.call("GET", f"/v1/units/{uid}", token=tok),
                                           404, "not-found")
                # and one's own units are found
                for uid in self.world[mine].units.values():
                    self.assertEqual(self.call("GET", f"/v1/units/{uid}", token=tok).status,
                                     200)

    def client_ids(self, org_key):
        return {k: int(self.sql(f"SELECT id FROM clients WHERE client_id = '{cid}'"))
                for k, (cid, _) in self.world[org_key].clients.items()}

    def test_other_org_users_and_clients_are_404(self):
        for mine, theirs in (("A", "B"), ("B", "A")):
            tok = self.token(mine, "admin")
            other = self.world[theirs]
            users_before = self.sql("SELECT md5(string_agg(row_to_json(u)::text, ',' "
                                    "ORDER BY id)) FROM users u")
            clients_before = self.sql("SELECT md5(string_agg(row_to_json(c)::text, ',' "
                                      "ORDER BY id)) FROM clients c")
            for role, u in other.users.items():
                with self.subTest(caller=f"{mine}:admin", user=u["username"]):
                    self.assertProblem(self.call("GET", f"/v1/users/{u['id']}", token=tok),
                                       404, "not-found")
                    r = self.call("PATCH", f"/v1/users/{u['id']}", token=tok,
                                  body={"roles": ["admin"]}, headers={"If-Match": '"1"'})
                    self.assertProblem(r, 404, "not-found")
            for kind, cid in self.client_ids(theirs).items():
                for action in ("rotate", "revoke"):
                    with self.subTest(caller=f"{mine}:admin", client=kind, action=action):
                        r = self.call("POST", f"/v1/clients/{cid}/{action}", token=tok)
                        self.assertProblem(r, 404, "not-found")
                        self.assertNotIn(b"client_secret", r.body)
            self.assertEqual(self.sql("SELECT md5(string_agg(row_to_json(u)::text, ',' "
                                      "ORDER BY id)) FROM users u"), users_before)
            self.assertEqual(self.sql("SELECT md5(string_agg(row_to_json(c)::text, ',' "
                                      "ORDER BY id)) FROM clients c"), clients_before)

    def test_users_and_clients_lists_are_own_organisation(self):
        for org_key in ("A", "B"):
            o = self.world[org_key]
            tok = self.token(org_key, "admin")
            r = self.call("GET", "/v1/users?limit=100", token=tok)
            self.assertEqual(r.status, 200, r)
            items = r.json()["items"]
            self.assertEqual({u["id"] for u in items}, {u["id"] for u in o.users.values()})
            for u in items:
                self.assertNotIn("password_hash", u)
                self.assertNotIn("password", u)
            r = self.call("GET", "/v1/clients", token=tok)
            self.assertEqual(r.status, 200, r)
            items = r.json()["items"]
            self.assertEqual({c["client_id"] for c in items},
                             {cid for cid, _ in o.clients.values()})
            for c in items:
                self.assertNotIn("secret_hash", c)
                self.assertNotIn("client_secret", c)

    def test_unit_head_sees_own_subtree_only(self):
        for org_key in ("A", "B"):
            o = self.world[org_key]
            tok = self.token(org_key, "unit_head")
            for name, sid in o.staff.items():
                with self.subTest(org=org_key, staff=name):
                    r = self.call("GET", f"/v1/staff/{sid}", token=tok)
                    if o.staff_unit[name] in ("R", "C"):
                        self.assertEqual(r.status, 200, r)
                        self.assertEqual(r.json()["id"], sid)
                    else:
                        self.assertProblem(r, 404, "not-found")

    def test_staff_sees_only_own_record(self):
        for org_key in ("A", "B"):
            o = self.world[org_key]
            tok = self.token(org_key, "staff")
            own = o.users["staff"]["staff_id"]
            for name, sid in o.staff.items():
                with self.subTest(org=org_key, staff=name):
                    r = self.call("GET", f"/v1/staff/{sid}", token=tok)
                    if sid == own:
                        self.assertEqual(r.status, 200, r)
                        self.assertEqual(r.json()["full_name"], name)
                    else:
                        self.assertProblem(r, 404, "not-found")

    def expected_staff(self, org_key, role):
        o = self.world[org_key]
        if role == "unit_head":
            return o.staff_in("R", "C")
        if role == "staff":
            return {o.users["staff"]["staff_id"]}
        return set(o.staff.values())

    def collect_pages(self, tok, query, limit):
        """Follows next_cursor; returns the ids in order."""
        ids, cursor = [], None
        for _ in range(50):
            q = dict(query, limit=limit)
            if cursor:
                q["cursor"] = cursor
            r = self.call("GET", "/v1/staff?" + urllib.parse.urlencode(q), token=tok)
            self.assertEqual(r.status, 200, r)
            doc = r.json()
            self.assertLessEqual(len(doc["items"]), limit)
            ids += [s["id"] for s in doc["items"]]
            cursor = doc["next_cursor"]
            if not cursor:
                return ids
        self.fail("pagination does not end")

    def test_staff_lists_are_exactly_the_scope(self):
        for org_key in ("A", "B"):
            for role, tok in self.caller_tokens(org_key):
                want = self.expected_staff(org_key, role)
                with self.subTest(org=org_key, role=role, page="one"):
                    r = self.call("GET", "/v1/staff?limit=100", token=tok)
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual({s["id"] for s in r.json()["items"]}, want)
                    self.assertIsNone(r.json()["next_cursor"])
                with self.subTest(org=org_key, role=role, page="by two"):
                    ids = self.collect_pages(tok, {}, 2)
                    self.assertEqual(len(ids), len(set(ids)), "a row came twice")
                    self.assertEqual(set(ids), want)

    def test_staff_list_filters_stay_inside_scope(self):
        a, b = self.world["A"], self.world["B"]
        cases = [
            ("unit_head", {"unit_id": a.units["S"]}, set()),
            ("unit_head", {"unit_id": a.units["C"]}, a.staff_in("C")),
            ("unit_head", {"unit_id": b.units["R"]}, set()),
            ("staff", {"unit_id": a.units["C"]}, {a.users["staff"]["staff_id"]}),
            ("staff", {"unit_id": a.units["R"]}, set()),
            ("staff", {"q": "nguyen"}, set()),
            ("admin", {"unit_id": b.units["R"]}, set()),
            ("admin", {"q": "vo thi lan"}, set()),      # B's, not A's
            ("viewer", {"q": "thi"}, {a.staff["Trần Thị Bình"], a.staff["Lê Thị Hoa"]}),
            ("unit_head", {"q": "thi"}, {a.staff["Trần Thị Bình"]}),
        ]
        for role, query, want in cases:
            with self.subTest(role=role, query=query):
                r = self.call("GET", "/v1/staff?" + urllib.parse.urlencode(query),
                              token=self.token("A", role))
                self.assertEqual(r.status, 200, r)
                self.assertEqual({s["id"] for s in r.json()["items"]}, want)

    def test_cursor_of_other_org_leaks_nothing(self):
        # a cursor naming B's staff id is no way into B's list
        b_id = next(iter(self.world["B"].staff.values()))
        r = self.call("GET", f"/v1/staff?cursor={b_id}&limit=100", token=self.token("A", "admin"))
        self.assertIn(r.status, (200, 400), r)
        if r.status == 200:
            got = {s["id"] for s in r.json()["items"]}
            self.assertTrue(got <= set(self.world["A"].staff.values()), got)

    def test_link_next_keeps_the_filters(self):
        # follow Link rel="next" from a filtered first page: every page must
        # still be filtered, and together they must be the one-page answer
        a = self.world["A"]
        tok = self.token("A", "admin")
        for query in ({"q": "thi"}, {"unit_id": a.units["S"]}, {"q": "nguyen van"},
                      {"status": "active", "q": "van"}):
            with self.subTest(query=query):
                whole = self.call("GET", "/v1/staff?" + urllib.parse.urlencode(
                    dict(query, limit=100)), token=tok)
                want = [s["id"] for s in whole.json()["items"]]
                self.assertGreaterEqual(len(want), 2)
                got, url = [], "/v1/staff?" + urllib.parse.urlencode(dict(query, limit=1))
                for _ in range(10):
                    r = self.call("GET", url, token=tok)
                    self.assertEqual(r.status, 200, r)
                    got += [s["id"] for s in r.json()["items"]]
                    link = r.header("Link")
                    if not link:
                        break
                    m = re.match(r'<([^>]+)>;\s*rel="next"$', link)
                    self.assertIsNotNone(m, link)
                    url = m.group(1)
                    self.assertTrue(url.startswith("/v1/staff?"), url)
                self.assertEqual(got, want, f"following Link lost the filter (last: {url})")

    def test_units_list_is_own_organisation(self):
        for org_key in ("A", "B"):
            callers = list(self.caller_tokens(org_key)) + [
                ("client:portal", self.client_token(org_key, "portal"))]
            for who, tok in callers:
                with self.subTest(org=org_key, caller=who):
                    r = self.call("GET", "/v1/units", token=tok)
                    self.assertEqual(r.status, 200, r)
                    items = r.json()["items"]
                    self.assertEqual({u["id"] for u in items},
                                     set(self.world[org_key].units.values()))
                    by_id = {u["id"]: u for u in items}
                    u = self.world[org_key].units
                    self.assertEqual(by_id[u["C"]]["parent_id"], u["R"])
                    self.assertEqual(by_id[u["C"]]["path"], [u["R"], u["C"]])
                    self.assertIsNone(by_id[u["S"]]["parent_id"])

    def test_organization_is_own(self):
        for org_key in ("A", "B"):
            for who, tok in list(self.caller_tokens(org_key)) + [
                    ("client:portal", self.client_token(org_key, "portal"))]:
                with self.subTest(org=org_key, caller=who):
                    r = self.call("GET", "/v1/organization", token=tok)
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.json()["id"], self.world[org_key].id)
                    self.assertEqual(r.header("ETag"), f'"{r.json()["version"]}"')

    def test_me_describes_the_caller(self):
        for org_key in ("A", "B"):
            o = self.world[org_key]
            for role, tok in self.caller_tokens(org_key):
                with self.subTest(org=org_key, role=role):
                    r = self.call("GET", "/v1/me", token=tok)
                    self.assertEqual(r.status, 200, r)
                    me = r.json()
                    self.assertEqual(me["kind"], "user")
                    self.assertEqual(me["subject"], f"user:{o.users[role]['id']}")
                    self.assertEqual(me["organization_id"], o.id)
                    self.assertEqual(me["roles"], [role])
                    self.assertEqual(me["scopes"], [])
                    self.assertEqual(me.get("unit_id"), o.users[role]["unit_id"])
                    self.assertEqual(me.get("staff_id"), o.users[role]["staff_id"])
                    self.assertIn("no-store", r.header("Cache-Control"))

    def test_audit_list_is_own_organisation(self):
        # every log-in above is audited in its own organisation's chain
        for org_key, other in (("A", "B"), ("B", "A")):
            self.token(other, "viewer")
            r = self.call("GET", "/v1/audit?limit=100", token=self.token(org_key, "admin"))
            self.assertEqual(r.status, 200, r)
            mine = {str(u["id"]) for u in self.world[org_key].users.values()}
            items = r.json()["items"]
            self.assertTrue(items)
            for e in items:
                self.assertIn(e["actor_id"], mine, e)


if __name__ == "__main__":
    main()
