"""Reporting: versioned templates, periods, submissions and their lifecycle,
exactly-once creation with Idempotency-Key (same key and body, another body,
concurrent requests), one submission per unit and period under concurrency,
roles and scopes, bad input that stores nothing.
"""

import json
import os
import subprocess
import threading
import time
import uuid

from harness import EN, main
from identity import IdentityTest

FIELDS = [
    {"key": "cases", "label": "Số hồ sơ tiếp nhận", "type": "number", "required": True,
     "min": 0},
    {"key": "on_time", "label": "Số hồ sơ giải quyết đúng hạn", "type": "number", "min": 0},
    {"key": "on_time_rate", "label": "Tỷ lệ đúng hạn", "type": "percent",
     "numerator": "on_time", "denominator": "cases"},
    {"key": "cut", "label": "Tỷ lệ cắt giảm thời gian giải quyết TTHC", "type": "percent"},
    {"key": "level4", "label": "Đã triển khai dịch vụ công mức độ 4", "type": "boolean"},
    {"key": "story", "label": "Thuyết minh", "type": "narrative"},
]
TABLES = ("submissions", "submission_versions", "idempotency_keys", "audit_log")


class ReportsBase(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.call("POST", "/v1/report-templates",
                                token=cls.token("A", "secretariat"),
                                body={"code": "bc-6-thang", "title": "Báo cáo 6 tháng",
                                      "fields": FIELDS}).json()

    def open_period(self, due_on="2099-07-10", units=("R", "C", "S"), org="A", template=None):
        o = self.world[org]
        r = self.call("POST", "/v1/report-periods", token=self.token(org, "secretariat"),
                      body={"template_id": (template or self.template)["id"],
                            "kind": "half_year", "title": "Báo cáo 6 tháng đầu năm",
                            "starts_on": "2026-01-01", "ends_on": "2026-06-30",
                            "due_on": due_on, "unit_ids": [o.units[u] for u in units]})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def submit(self, period, unit="R", role="unit_head", answers=None, key=None, submit=True,
               token=None, org="A"):
        body = {"unit_id": self.world[org].units[unit],
                "answers": answers if answers is not None else {"cases": 120, "on_time": 118},
                "submit": submit}
        headers = {"Idempotency-Key": key} if key else {}
        return self.call("POST", f"/v1/report-periods/{period['id']}/submissions",
                         token=token or self.token(org, role), body=body, headers=headers)

    def snapshot(self):
        return self.sql("SELECT " + ", ".join(
            f"(SELECT count(*) FROM {t})" for t in TABLES))


class TemplatesPeriodsTest(ReportsBase):

    def test_templates_are_versioned_never_changed(self):
        t1 = self.template
        self.assertEqual((t1["code"], t1["version"]), ("bc-6-thang", 1))
        rate = next(f for f in t1["fields"] if f["key"] == "on_time_rate")
        self.assertEqual((rate["aggregate"], rate["min"], rate["max"]), ("ratio", 0, 100))
        r = self.call("POST", "/v1/report-templates", token=self.token("A", "secretariat"),
                      body={"code": "bc-6-thang", "title": "Báo cáo 6 tháng (mẫu mới)",
                            "fields": FIELDS[:2]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.header("Location"), f"/v1/report-templates/{r.json()['id']}")
        self.assertEqual(r.json()["version"], 2)
        # a period keeps the version it was opened with
        period = self.open_period()
        self.assertEqual(period["template"]["version"], 1)
        with self.assertRaisesRegex(RuntimeError, "never changed"):
            self.sql(f"UPDATE report_templates SET title = 'x' WHERE id = {t1['id']}")
        # the other organisation numbers its own versions and sees none of ours
        r = self.call("POST", "/v1/report-templates", token=self.token("B", "admin"),
                      body={"code": "bc-6-thang", "title": "Mẫu B", "fields": FIELDS[:1]})
        self.assertEqual(r.json()["version"], 1)
        self.assertProblem(self.call("GET", f"/v1/report-templates/{t1['id']}",
                                     token=self.token("B", "admin")), 404)

    def test_bad_templates_and_periods_name_their_fields(self):
        sec = self.token("A", "secretariat")
        before = self.sql("SELECT count(*) FROM report_templates")
        for body, status, pointer in (
                ({"code": "BC", "title": "x", "fields": FIELDS}, 422, "/code"),
                ({"code": "bc", "title": "x", "fields": []}, 422, "/fields"),
                ({"code": "bc", "title": "x", "fields": [{"key": "a", "label": "A",
                                                          "type": "date"}]}, 422,
                 "/fields/0/type"),
                ({"code": "bc", "title": "x", "fields": [dict(FIELDS[2], numerator="nope")]},
                 422, "/fields/0/numerator"),
                ({"code": "bc", "title": "x", "version": 3, "fields": FIELDS}, 400, "/version")):
            with self.subTest(pointer=pointer):
                doc = self.assertProblem(self.call("POST", "/v1/report-templates", token=sec,
                                                   body=body), status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        self.assertEqual(self.sql("SELECT count(*) FROM report_templates"), before)
        o = self.world["A"]
        good = {"template_id": self.template["id"], "kind": "ad_hoc", "title": "Đột xuất",
                "starts_on": "2026-03-01", "ends_on": "2026-03-31", "due_on": "2026-04-05",
                "unit_ids": [o.units["R"]]}
        for over, pointer in (({"kind": "weekly"}, "/kind"),
                              ({"ends_on": "2026-02-01"}, "/ends_on"),
                              ({"unit_ids": []}, "/unit_ids"),
                              ({"unit_ids": [self.world["B"].units["R"]]}, "/unit_ids"),
                              ({"template_id": 999999}, "/template_id")):
            with self.subTest(pointer=pointer):
                r = self.call("POST", "/v1/report-periods", token=sec, body=dict(good, **over))
                doc = self.assertProblem(r, 422)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        self.assertProblem(self.call("POST", "/v1/report-periods",
                                     token=self.token("A", "unit_head"), body=good), 403)

    def test_json_bodies_have_their_own_smaller_limit(self):
        # 1.5 MiB of JSON is refused before parsing; files may be larger (attachments)
        big = {"code": "bc-lon", "title": "x", "fields": FIELDS, "pad": "x" * (3 << 19)}
        r = self.call("POST", "/v1/report-templates", token=self.token("A", "secretariat"),
                      body=big)
        self.assertIn("1048576", self.assertProblem(r, 413, "payload-too-large")["detail"])

    def test_periods_page(self):
        for _ in range(3):
            self.open_period()
        seen, cursor = [], None
        while True:
            path = "/v1/report-periods?limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = self.call("GET", path, token=self.token("A", "viewer")).json()
            seen += [p["id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(len(seen), int(self.sql(
            f"SELECT count(*) FROM report_periods WHERE organization_id = {self.world['A'].id}")))


class SubmissionsTest(ReportsBase):

    def test_lifecycle_with_versions(self):
        period = self.open_period(due_on="2020-01-10")  # already due: marked late
        r = self.submit(period, submit=False, answers={"on_time": 3})  # a draft may be partial
        self.assertEqual(r.status, 201, r)
        sub = r.json()
        self.assertEqual((sub["status"], sub["late"]), ("draft", False))
        # submitting it as it stands misses the required field
        r = self.call("POST", f"/v1/submissions/{sub['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": '"1"'})
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/answers/cases")
        r = self.call("PUT", f"/v1/submissions/{sub['id']}", token=self.token("A", "unit_head"),
                      body={"answers": {"cases": 120.5, "on_time": 118, "cut": 31.25,
                                        "level4": True, "story": "Dòng 1\nDòng 2"}},
                      headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["answers"]["cases"], 120.5)
        r = self.call("POST", f"/v1/submissions/{sub['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": '"2"'})
        self.assertEqual((r.json()["status"], r.json()["late"]), ("submitted", True), r)
        # locked while submitted; the Office returns it with a reason
        r = self.call("PUT", f"/v1/submissions/{sub['id']}", token=self.token("A", "unit_head"),
                      body={"answers": {"cases": 1}}, headers={"If-Match": '"3"'})
        self.assertProblem(r, 409, "submission-locked")
        r = self.call("POST", f"/v1/submissions/{sub['id']}/return",
                      token=self.token("A", "secretariat"), body={"reason": "Thiếu số liệu quý II"},
                      headers={"If-Match": '"3"'})
        self.assertEqual((r.json()["status"], r.json()["return_reason"]),
                         ("returned", "Thiếu số liệu quý II"), r)
        r = self.call("PUT", f"/v1/submissions/{sub['id']}", token=self.token("A", "unit_head"),
                      body={"answers": {"cases": 121, "on_time": 119}, "submit": True},
                      headers={"If-Match": '"4"'})
        self.assertEqual(r.json()["status"], "submitted", r)
        r = self.call("POST", f"/v1/submissions/{sub['id']}/accept",
                      token=self.token("A", "secretariat"), headers={"If-Match": '"5"'})
        self.assertEqual(r.json()["status"], "accepted", r)
        self.assertProblem(self.call("POST", f"/v1/submissions/{sub['id']}/accept",
                                     token=self.token("A", "secretariat"),
                                     headers={"If-Match": '"6"'}), 409, "submission-state")
        versions = self.call("GET", f"/v1/submissions/{sub['id']}/versions",
                             token=self.token("A", "leader")).json()["items"]
        self.assertEqual([(v["version"], v["status"]) for v in versions],
                         [(1, "draft"), (2, "draft"), (3, "submitted"), (4, "returned"),
                          (5, "submitted"), (6, "accepted")])
        self.assertEqual(versions[1]["answers"]["story"], "Dòng 1\nDòng 2")
        self.assertEqual(self.sql(
            "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log WHERE "
            f"entity_type = 'submission' AND entity_id = '{sub['id']}'"),
            "submission.create,submission.update,submission.submit,submission.return,"
            "submission.update,submission.accept")

    def test_idempotency_key_same_body_other_body(self):
        period = self.open_period()
        key = f"portal-{uuid.uuid4()}"
        tok = self.client_token("A", "reports")
        first = self.submit(period, key=key, token=tok)
        self.assertEqual(first.status, 201, first)
        again = self.submit(period, key=key, token=tok)
        self.assertEqual((again.status, again.json(), again.header("Location")),
                         (201, first.json(), first.header("Location")))
        self.assertEqual(again.header("Idempotent-Replayed"), "true")
        self.assertIsNone(first.header("Idempotent-Replayed"))
        r = self.submit(period, key=key, token=tok, answers={"cases": 121})
        doc = self.assertProblem(r, 422, "idempotency-key-reused")
        self.assertEqual(doc["errors"][0]["pointer"], "/header/Idempotency-Key")
        self.assertEqual(int(self.sql(
            f"SELECT count(*) FROM submissions WHERE period_id = {period['id']}")), 1)
        # keys are per caller: another client may use the same text
        r = self.submit(period, unit="S", key=key, token=self.client_token("A", "portal"))
        self.assertEqual(r.status, 201, r)
        for bad in ("", "x" * 256, "bad key"):
            with self.subTest(key=bad):
                r = self.call("POST", f"/v1/report-periods/{period['id']}/submissions",
                              token=tok, body={"unit_id": 1, "answers": {}},
                              headers={"Idempotency-Key": bad})
                self.assertProblem(r, 400)

    def test_concurrent_same_key_creates_once(self):
        period = self.open_period()
        key = f"burst-{uuid.uuid4()}"
        tok = self.client_token("A", "reports")
        results = []

        def post():
            results.append(self.submit(period, key=key, token=tok))

        threads = [threading.Thread(target=post) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status for r in results)
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        self.assertIn(201, statuses)
        for r in results:
            if r.status == 409:
                self.assertEqual(r.json()["type"], "urn:thidua:problem:idempotency-key-in-flight")
        ids = {r.json()["id"] for r in results if r.status == 201}
        self.assertEqual(len(ids), 1)
        self.assertEqual(int(self.sql(
            f"SELECT count(*) FROM submissions WHERE period_id = {period['id']}")), 1)
        # once settled, every retry replays the one submission
        r = self.submit(period, key=key, token=tok)
        self.assertEqual((r.status, r.json()["id"]), (201, ids.pop()))

    def test_concurrent_submissions_for_one_unit(self):
        period = self.open_period()
        results = []

        def post(n):
            results.append(self.submit(period, answers={"cases": n},
                                       token=self.token("A", "secretariat")))

        threads = [threading.Thread(target=post, args=(n,)) for n in range(1, 7)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [r for r in results if r.status == 201]
        losers = [r for r in results if r.status != 201]
        self.assertEqual(len(winners), 1, [r.status for r in results])
        for r in losers:
            doc = self.assertProblem(r, 409, "submission-exists")
            self.assertEqual((doc["submission_id"], doc["current_version"]),
                             (winners[0].json()["id"], 1))
        self.assertEqual(int(self.sql(
            f"SELECT count(*) FROM submission_versions v JOIN submissions s ON "
            f"s.id = v.submission_id WHERE s.period_id = {period['id']}")), 1)

    def test_scope_roles_and_bad_input_store_nothing(self):
        period = self.open_period()
        for role in ("unit_head", "staff", "council", "viewer", "leader"):
            self.token("A", role)  # logging in is audited: before the snapshot
        before = self.snapshot()
        uh = self.token("A", "unit_head")
        # a unit head reports for R and C, not S; staff and council not at all
        self.assertEqual(self.assertProblem(self.submit(period, unit="S"), 422)
                         ["errors"][0]["pointer"], "/unit_id")
        for role in ("staff", "council", "viewer", "leader"):
            self.assertProblem(self.submit(period, role=role), 403)
        cases = [
            ({"unit_id": self.world["A"].units["R"], "answers": {"cases": -1}}, 422,
             "/answers/cases"),
            ({"unit_id": self.world["A"].units["R"], "answers": {"cases": "12"}}, 422,
             "/answers/cases"),
            ({"unit_id": self.world["A"].units["R"], "answers": {"cases": 1, "cut": 100.5}}, 422,
             "/answers/cut"),
            ({"unit_id": self.world["A"].units["R"], "answers": {"cases": 1, "nope": 1}}, 422,
             "/answers/nope"),
            ({"unit_id": self.world["A"].units["R"], "answers": {"cases": 1},
              "status": "accepted"}, 400, "/status"),
            ({"unit_id": self.world["A"].units["R"], "answers": [1]}, 422, "/answers"),
            ({"answers": {"cases": 1}}, 422, "/unit_id"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer):
                r = self.call("POST", f"/v1/report-periods/{period['id']}/submissions",
                              token=uh, body=body)
                doc = self.assertProblem(r, status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        r = self.call("POST", f"/v1/report-periods/{period['id']}/submissions", token=uh,
                      body=b'{"unit_id": 1, "answers": {', headers={
                          "Content-Type": "application/json"})
        self.assertProblem(r, 400, "malformed-json")
        self.assertEqual(self.snapshot(), before)
        # other organisation: the period and its submissions are not found
        mine = self.submit(period).json()
        for path in (f"/v1/report-periods/{period['id']}", f"/v1/submissions/{mine['id']}",
                     f"/v1/report-periods/{period['id']}/submissions"):
            self.assertProblem(self.call("GET", path, token=self.token("B", "admin")), 404)
        r = self.submit(period, org="B", role="admin", unit="R")
        self.assertProblem(r, 404)
        # the unit head does not see S's submission
        theirs = self.submit(period, unit="S", role="secretariat").json()
        self.assertProblem(self.call("GET", f"/v1/submissions/{theirs['id']}", token=uh), 404)
        listed = self.call("GET", f"/v1/report-periods/{period['id']}/submissions",
                           token=uh).json()["items"]
        self.assertEqual({s["unit_id"] for s in listed}, {self.world["A"].units["R"]})

    def test_a_client_limited_to_a_unit_reports_for_its_subtree_only(self):
        """A reports:write client created for unit C (migration 0042) submits for
        C, not for R above it nor S beside it, and reads only C's submissions;
        one limited to a unit holds reports:write alone, and the unit must be
        the organisation's."""
        admin = self.token("A", "admin")
        o = self.world["A"]
        r = self.call("POST", "/v1/clients", token=admin, body={
            "client_id": f"c-reporter-{uuid.uuid4().hex[:6]}", "name": "Máy báo cáo phòng C",
            "scopes": ["reports:write"], "unit_id": o.units["C"]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["unit_id"], o.units["C"])
        grant = self.client_grant(r.json()["client_id"], r.json()["client_secret"])
        self.assertEqual(grant.status, 200, grant)
        tok = grant.json()["access_token"]
        period = self.open_period()
        ok = self.submit(period, unit="C", token=tok)
        self.assertEqual(ok.status, 201, ok)
        for unit in ("R", "S"):
            doc = self.assertProblem(self.submit(period, unit=unit, token=tok), 422)
            self.assertEqual([e["pointer"] for e in doc["errors"]], ["/unit_id"])
        other = self.submit(period, unit="S", role="secretariat").json()
        self.assertProblem(self.call("GET", f"/v1/submissions/{other['id']}", token=tok), 404)
        listed = self.call("GET", f"/v1/report-periods/{period['id']}/submissions",
                           token=tok).json()["items"]
        self.assertEqual([s["unit_id"] for s in listed], [o.units["C"]])
        # the whole-organisation client still reports for any unit
        self.assertEqual(self.submit(period, unit="R", token=self.client_token("A", "reports"))
                         .status, 201)
        bad = [({"scopes": ["reports:write", "integration:read"], "unit_id": o.units["C"]},
                "/scopes"),
               ({"scopes": ["reports:write"], "unit_id": self.world["B"].units["C"]},
                "/unit_id"),
               ({"scopes": ["reports:write"], "unit_id": "C"}, "/unit_id")]
        for extra, pointer in bad:
            with self.subTest(pointer=pointer, extra=extra):
                body = {"client_id": f"c-bad-{uuid.uuid4().hex[:6]}", "name": "x"}
                body.update(extra)
                doc = self.assertProblem(self.call("POST", "/v1/clients", token=admin,
                                                   body=body), 422)
                self.assertEqual([e["pointer"] for e in doc["errors"]], [pointer])

    def test_submissions_chain_in_stripes_that_verify(self):
        # submissions of different units append to different chains (stripes)
        # of the organisation's audit trail; each stripe verifies on its own
        period = self.open_period()
        for unit in ("R", "C", "S"):
            self.assertEqual(self.submit(period, unit=unit, role="secretariat").status, 201)
        org = self.world["A"].id
        stripes = self.sql("SELECT string_agg(DISTINCT stripe::text, ',') FROM audit_log "
                           f"WHERE organization_id = {org} AND action = 'submission.create'")
        self.assertGreater(len(stripes.split(",")), 1, stripes)
        admin = self.token("A", "admin")
        v = self.call("GET", "/v1/audit/verify", token=admin).json()
        self.assertTrue(v["ok"], v)
        self.assertGreater(len(v["stripes"]), 1)
        stripe = int(stripes.split(",")[-1])
        seq = self.sql(f"SELECT max(seq) FROM audit_log WHERE organization_id = {org} "
                       f"AND stripe = {stripe}")
        self.sql("BEGIN; ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
                 f"UPDATE audit_log SET after = '{{\"x\": 1}}' WHERE organization_id = {org} "
                 f"AND stripe = {stripe} AND seq = {seq}; "
                 "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only; COMMIT;")
        v = self.call("GET", "/v1/audit/verify", token=admin).json()
        self.assertEqual((v["ok"], v["first_broken_stripe"], v["first_broken_seq"]),
                         (False, stripe, int(seq)), v)
        # the list pages across stripes, newest first
        items = self.call("GET", "/v1/audit?limit=100", token=admin).json()["items"]
        self.assertIn(stripe, {e["stripe"] for e in items})

    def test_a_held_stripe_is_skipped_not_waited_for(self):
        # A submission's audit record goes to a stripe no other transaction
        # holds.  With its unit's own stripe locked by a long transaction, it
        # is written at once, to another stripe, and the trail verifies.
        # (Chosen by unit alone, it waited for that transaction's commit.)
        first, period = self.open_period(), self.open_period()
        for unit in ("R", "C"):  # the stripes of both units exist
            self.assertEqual(self.submit(first, unit=unit, role="secretariat").status, 201)
        org, unit = self.world["A"].id, self.world["A"].units["C"]
        own = int(self.sql(f"SELECT audit_stripe_of_unit({unit})"))
        holder = subprocess.Popen(
            ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PGDATABASE=self.db))
        try:
            holder.stdin.write("BEGIN; SELECT 'locked' FROM audit_heads WHERE organization_id = "
                               f"{org} AND stripe = {own} FOR UPDATE;\n")
            holder.stdin.flush()
            self.assertEqual(holder.stdout.readline().strip(), "locked")
            r = self.submit(period, unit="C", role="secretariat")
            self.assertEqual(r.status, 201, r)
            stripe = int(self.sql("SELECT stripe FROM audit_log WHERE entity_type = 'submission'"
                                  f" AND entity_id = '{r.json()['id']}'"))
            self.assertNotEqual(stripe, own)
        finally:
            holder.stdin.write("COMMIT;\n")
            holder.communicate(timeout=10)
        admin = self.token("A", "admin")
        v = self.call("GET", "/v1/audit/verify", token=admin).json()
        self.assertTrue(v["ok"], v)

    def second_secretariat(self):
        """Another person of the Office: a second secretariat account's token."""
        o = self.world["A"]
        name = f"a.secretariat.{uuid.uuid4().hex[:6]}"
        self.sql("INSERT INTO users (organization_id, username, display_name, password_hash, "
                 f"roles) SELECT {o.id}, '{name}', 'Thư ký 2', password_hash, roles "
                 f"FROM users WHERE id = {o.users['secretariat']['id']}")
        return self.login_as(name)

    def login_as(self, username):
        r = self.password_grant(username)
        self.assertEqual(r.status, 200, r)
        return r.json()["access_token"]

    def decide(self, sub, step, token, version):
        body = {"reason": "Bổ sung số liệu"} if step == "return" else None
        return self.call("POST", f"/v1/submissions/{sub['id']}/{step}", token=token, body=body,
                         headers=dict(EN, **{"If-Match": f'"{version}"'}))

    def test_maker_checker_the_submitter_cannot_decide(self):
        # the Office makes, submits and would accept the same report itself
        period = self.open_period()
        sec, other = self.token("A", "secretariat"), self.second_secretariat()
        sub = self.submit(period, token=sec).json()
        self.assertEqual(sub["status"], "submitted")
        for step in ("accept", "return"):
            with self.subTest(step=step):
                doc = self.assertProblem(self.decide(sub, step, sec, 1), 403, "maker-checker")
                self.assertIn("another person", doc["detail"])
        self.assertEqual(self.sql(f"SELECT status FROM submissions WHERE id = {sub['id']}"),
                         "submitted")
        # someone who only edited the draft is a maker too
        sub2 = self.submit(period, unit="C", token=other, submit=False).json()
        r = self.call("POST", f"/v1/submissions/{sub2['id']}/submit", token=sec,
                      headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.decide(sub2, "accept", other, 2), 403, "maker-checker")
        self.assertProblem(self.decide(sub2, "accept", sec, 2), 403, "maker-checker")
        # another person decides; each may decide what the other made
        r = self.decide(sub, "return", other, 1)
        self.assertEqual((r.status, r.json()["status"]), (200, "returned"), r)
        # the checker who returned it may accept it once its maker resubmits it
        r = self.call("POST", f"/v1/submissions/{sub['id']}/submit", token=sec,
                      headers={"If-Match": '"2"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.decide(sub, "accept", other, 3).status, 200)
        sub3 = self.submit(period, unit="S", token=other).json()
        self.assertEqual(self.decide(sub3, "accept", sec, 1).status, 200)
        # a machine's submission is decided by the Office as before
        period2 = self.open_period()
        sub4 = self.submit(period2, token=self.client_token("A", "reports")).json()
        self.assertEqual(self.decide(sub4, "accept", sec, 1).status, 200)

    def test_closed_period_refuses_changes(self):
        period = self.open_period()
        sub = self.submit(period, submit=False).json()
        path = f"/v1/report-periods/{period['id']}/close"
        self.assertProblem(self.call("POST", path, token=self.token("A", "unit_head"),
                                     headers={"If-Match": '"1"'}), 403)
        self.assertProblem(self.call("POST", path, token=self.token("A", "secretariat")), 428)
        r = self.call("POST", path, token=self.token("A", "secretariat"),
                      headers={"If-Match": '"1"'})
        self.assertEqual((r.status, r.json()["status"], r.header("ETag")), (200, "closed", '"2"'))
        self.assertProblem(self.call("POST", path, token=self.token("A", "secretariat"),
                                     headers={"If-Match": '"2"'}), 409, "period-closed")
        self.assertProblem(self.submit(period, unit="C"), 409, "period-closed")
        r = self.call("POST", f"/v1/submissions/{sub['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": '"1"'})
        self.assertProblem(r, 409, "period-closed")


class LanguageTest(ReportsBase):
    """Refusals, constraints and checks of answers are worded in Vietnamese by
    default and in English on request; slugs and pointers stay the same."""

    def both(self, request):
        """The answer to request(headers) in the default language and in English."""
        vi, en = request({}), request(EN)
        self.assertEqual((vi.header("Content-Language"), en.header("Content-Language")),
                         ("vi", "en"))
        return vi, en

    def test_a_refusal_in_both_languages(self):
        period = self.open_period()
        self.call("POST", f"/v1/report-periods/{period['id']}/close",
                  token=self.token("A", "secretariat"), headers={"If-Match": '"1"'})
        vi, en = self.both(lambda h: self.call(
            "POST", f"/v1/report-periods/{period['id']}/submissions",
            token=self.token("A", "secretariat"), headers=h,
            body={"unit_id": self.world["A"].units["R"], "answers": {"cases": 1}}))
        vi, en = (self.assertProblem(r, 409, "period-closed") for r in (vi, en))
        self.assertEqual(vi["detail"], "Kỳ báo cáo đã đóng.")
        self.assertEqual(en["detail"], "The reporting period is closed.")

    def test_submission_exists_names_it_in_both_languages(self):
        period = self.open_period()
        first = self.submit(period, submit=False).json()
        vi, en = self.both(lambda h: self.call(
            "POST", f"/v1/report-periods/{period['id']}/submissions",
            token=self.token("A", "unit_head"), headers=h,
            body={"unit_id": self.world["A"].units["R"], "answers": {"cases": 2}}))
        for r in (vi, en):
            doc = self.assertProblem(r, 409, "submission-exists")
            self.assertEqual((doc["submission_id"], doc["current_version"]), (first["id"], 1))
        self.assertIn("phiên bản 1", vi.json()["detail"])
        self.assertIn(f"PUT /v1/submissions/{first['id']}", vi.json()["detail"])
        self.assertEqual(en.json()["detail"],
                         "This unit already has a submission for the period (version 1); "
                         f"change it with PUT /v1/submissions/{first['id']}.")

    def test_a_constraint_in_both_languages(self):
        o = self.world["A"]
        body = {"template_id": 999999, "kind": "ad_hoc", "title": "Đột xuất",
                "starts_on": "2026-03-01", "ends_on": "2026-03-31", "due_on": "2026-04-05",
                "unit_ids": [o.units["R"]]}
        vi, en = self.both(lambda h: self.call("POST", "/v1/report-periods",
                                               token=self.token("A", "secretariat"),
                                               body=body, headers=h))
        vi, en = (self.assertProblem(r, 422, "validation") for r in (vi, en))
        self.assertEqual([e["pointer"] for e in vi["errors"]], ["/template_id"])
        self.assertEqual([e["pointer"] for e in en["errors"]], ["/template_id"])
        self.assertIn("mẫu báo cáo", vi["errors"][0]["detail"])
        self.assertEqual(en["errors"][0]["detail"], "no such template in your organisation")
        # a unit of another organisation breaks another constraint
        r = self.call("POST", "/v1/report-periods", token=self.token("A", "secretariat"),
                      body=dict(body, template_id=self.template["id"],
                                unit_ids=[self.world["B"].units["R"]]), headers=EN)
        doc = self.assertProblem(r, 422, "validation")
        self.assertEqual([(e["pointer"], e["detail"]) for e in doc["errors"]],
                         [("/unit_ids", "names a unit that is not in your organisation")])

    def test_answers_are_checked_in_both_languages(self):
        period = self.open_period()
        vi, en = self.both(lambda h: self.call(
            "POST", f"/v1/report-periods/{period['id']}/submissions",
            token=self.token("A", "unit_head"), headers=h,
            body={"unit_id": self.world["A"].units["R"],
                  "answers": {"cases": "12", "cut": 100.5}}))
        vi, en = (self.assertProblem(r, 422, "validation") for r in (vi, en))
        errors = {e["pointer"]: e["detail"] for e in en["errors"]}
        self.assertEqual(errors, {
            "/answers/cases": "must be a number with at most two decimals from 0.00",
            "/answers/cut": "must be a number with at most two decimals from 0.00 to 100.00"})
        errors = {e["pointer"]: e["detail"] for e in vi["errors"]}
        self.assertEqual(errors["/answers/cut"],
                         "phải là số có tối đa hai chữ số thập phân, từ 0.00 đến 100.00")

    def test_idempotency_key_reused_in_both_languages(self):
        period = self.open_period()
        tok = self.client_token("A", "reports")
        key = f"lang-{uuid.uuid4()}"
        self.assertEqual(self.submit(period, key=key, token=tok).status, 201)
        vi, en = self.both(lambda h: self.call(
            "POST", f"/v1/report-periods/{period['id']}/submissions", token=tok,
            headers=dict(h, **{"Idempotency-Key": key}),
            body={"unit_id": self.world["A"].units["R"], "answers": {"cases": 7}}))
        for r in (vi, en):
            doc = self.assertProblem(r, 422, "idempotency-key-reused")
            self.assertEqual([e["pointer"] for e in doc["errors"]], ["/header/Idempotency-Key"])
        self.assertIn("Idempotency-Key", vi.json()["detail"])
        self.assertEqual(en.json()["detail"],
                         "This Idempotency-Key was used with another request body.")


class HousekeepingTest(ReportsBase):
    """Idempotency keys are kept 24 hours, then a background chore deletes them."""

    service_env = {"THIDUA_HOUSEKEEPING_INTERVAL_S": "1"}

    def test_keys_older_than_a_day_are_purged(self):
        org = self.world["A"].id
        for key, age in (("old-key", "25 hours"), ("recent-key", "23 hours")):
            self.sql("INSERT INTO idempotency_keys (organization_id, principal, key, "
                     "request_hash, status_code, body, created_at) VALUES "
                     f"({org}, 'client:x', '{key}', sha256('x'), 201, '{{}}', "
                     f"now() - interval '{age}')")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.sql(
                "SELECT count(*) FROM idempotency_keys WHERE key = 'old-key'") != "0":
            time.sleep(0.2)
        self.assertEqual(self.sql("SELECT string_agg(key, ',') FROM idempotency_keys "
                                  "WHERE key LIKE '%-key'"), "recent-key")
        self.assertTrue(any("idempotency keys older than 24 hours deleted" in l.get("msg", "")
                            for l in self.svc.log_lines()))


if __name__ == "__main__":
    main()
