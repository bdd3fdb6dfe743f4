"""Plans (kế hoạch thi đua): lifecycle, immutability, amendments, progress of
targets against hand-computed counts, registrations with their deadline, and
the roster as JSON and as an Excel workbook read back from its XML.
"""

import io
import json
import re
import uuid
import zipfile

from harness import EN, main
from identity import IdentityTest, sql_text

TARGETS_2022 = [
    {"code": "1", "title": "100% công chức được quán triệt", "kind": "staff_share",
     "params": {"condition": "informed", "document_ids": []}, "comparison": "at_least",
     "threshold": 100},
    {"code": "2", "title": "100% thực hiện nghiêm", "kind": "staff_share",
     "params": {"condition": "not_disciplined"}, "comparison": "at_least", "threshold": 100},
    {"code": "4", "title": "100% hoàn thành nhiệm vụ", "kind": "staff_share",
     "params": {"condition": "task_completed"}, "comparison": "at_least", "threshold": 100},
    {"code": "4a", "title": "80% đạt Lao động tiên tiến", "kind": "staff_share",
     "params": {"condition": "title", "title": "lao_dong_tien_tien"}, "comparison": "at_least",
     "threshold": 80},
    {"code": "4b", "title": "Chiến sĩ thi đua cơ sở 15% số Lao động tiên tiến",
     "kind": "title_ratio", "params": {"numerator_title": "chien_si_thi_dua_co_so",
                                       "denominator_title": "lao_dong_tien_tien"},
     "comparison": "exactly", "threshold": "15.00"},
    {"code": "5", "title": "Chi bộ hoàn thành tốt nhiệm vụ", "kind": "collective_rating",
     "params": {"subject_kind": "party_cell", "minimum_rating": "good"},
     "comparison": "at_least", "threshold": 100},
    {"code": "6", "title": "Đoàn thể hoàn thành tốt nhiệm vụ", "kind": "collective_rating",
     "params": {"subject_kind": "mass_organization", "minimum_rating": "good"},
     "comparison": "at_least", "threshold": 100},
    {"code": "7", "title": "Công sở văn hóa; an toàn an ninh trật tự", "kind": "recognition",
     "params": {"kinds": ["cultural_office", "security_order"]}, "comparison": "at_least",
     "threshold": 100},
    {"code": "ND1", "title": "Cắt giảm từ 30% thời gian giải quyết TTHC",
     "kind": "reported_number", "params": {"aggregate": "min"}, "comparison": "at_least",
     "threshold": 30},
]


class PlansBase(IdentityTest):

    def plan_body(self, **over):
        body = {"year": 2022, "symbol": "KH-BQLKKT", "place": "Gia Lai",
                "title": "Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022",
                "purposes": ["Bám sát nhiệm vụ chính trị"],
                "contents": [{"heading": "Thi đua thực hiện nhiệm vụ chính trị",
                              "items": ["Cải cách hành chính"]}],
                "recipients": ["Ban TĐKT tỉnh (b/c)", "Lưu: VT, VP"],
                "signer_name": "Nguyễn Như Trình", "signer_position": "Trưởng ban"}
        body.update(over)
        return body

    def create_plan(self, org="A", **over):
        r = self.call("POST", "/v1/plans", token=self.token(org, "secretariat"),
                      body=self.plan_body(**over))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def issue(self, plan, org="A", number="125", issued_on="2022-10-05"):
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=self.token(org, "leader"),
                      body={"number": number, "issued_on": issued_on},
                      headers={"If-Match": f'"{plan["version"]}"'})
        self.assertEqual(r.status, 200, r)
        return r.json()


class PlanLifecycleTest(PlansBase):

    def test_a_number_is_the_issuers_once_a_year(self):
        """Decree 30/2020 (domain.md rule 34): a second 125/KH-BQLKKT of 2022
        is refused; the same number restarts the next year, and another
        symbol is another series."""
        number = str(uuid.uuid4().int % 10**6)
        first = self.issue(self.create_plan(), number=number, issued_on="2022-10-05")
        self.assertEqual((first["number"], first["symbol"]), (number, "KH-BQLKKT"))
        second = self.create_plan()
        r = self.call("POST", f"/v1/plans/{second['id']}/issue", token=self.token("A", "leader"),
                      body={"number": number, "issued_on": "2022-11-20"},
                      headers={"If-Match": f'"{second["version"]}"', **EN})
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("/number", json.dumps(doc))
        self.assertIn("Decree 30/2020", doc["detail"])
        again = self.call("GET", f"/v1/plans/{second['id']}", token=self.token("A", "leader"))
        self.assertEqual(again.json()["status"], "draft")  # nothing half-written
        # the next year, the numbering restarts
        next_year = self.issue(second, number=number, issued_on="2023-01-03")
        self.assertEqual(next_year["status"], "issued")
        # another organisation has numbers of its own
        other = self.issue(self.create_plan(org="B"), org="B", number=number,
                           issued_on="2022-10-05")
        self.assertEqual(other["number"], number)

    def test_create_returns_the_document_and_audits(self):
        before = self.count("audit_log", "action = 'plan.create'")
        r = self.call("POST", "/v1/plans", token=self.token("A", "secretariat"),
                      body=self.plan_body(targets=TARGETS_2022[1:3]))
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.assertEqual(r.header("Location"), f"/v1/plans/{doc['id']}")
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual(doc["status"], "draft")
        self.assertEqual((doc["period_start"], doc["period_end"]), ("2022-01-01", "2022-12-31"))
        self.assertEqual(doc["series_id"], doc["id"])
        self.assertEqual([t["code"] for t in doc["targets"]], ["2", "4"])
        self.assertEqual(doc["targets"][0]["threshold"], "100.00")
        self.assertEqual(doc["contents"][0]["items"], ["Cải cách hành chính"])
        self.assertEqual(self.count("audit_log", "action = 'plan.create'"), before + 1)

    def test_issued_plan_is_immutable_and_amended_by_a_new_version(self):
        plan = self.create_plan(targets=TARGETS_2022[1:2])
        sec = self.token("A", "secretariat")
        # a draft is edited with If-Match
        r = self.call("PATCH", f"/v1/plans/{plan['id']}", token=sec,
                      body={"title": "Kế hoạch năm 2022 (dự thảo 2)"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertProblem(self.call("PATCH", f"/v1/plans/{plan['id']}", token=sec,
                                     body={"title": "x"}, headers={"If-Match": '"1"'}),
                           412, "precondition-failed")
        # issuing needs a number
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=self.token("A", "leader"),
                      headers={"If-Match": '"2"'})
        doc = self.assertProblem(r, 422, "validation")
        self.assertEqual(doc["errors"][0]["pointer"], "/number")
        issued = self.issue({"id": plan["id"], "version": 2})
        self.assertEqual((issued["status"], issued["number"], issued["issued_on"]),
                         ("issued", "125", "2022-10-05"))
        # then nothing changes it: not the API, not SQL
        r = self.call("PATCH", f"/v1/plans/{plan['id']}", token=sec, body={"title": "Sửa"},
                      headers={"If-Match": f'"{issued["version"]}"'})
        self.assertProblem(r, 409, "plan-not-draft")
        for stmt in (f"UPDATE plans SET title = 'x' WHERE id = {plan['id']}",
                     f"UPDATE plan_targets SET threshold = 1 WHERE plan_id = {plan['id']}",
                     f"DELETE FROM plan_targets WHERE plan_id = {plan['id']}",
                     f"DELETE FROM plans WHERE id = {plan['id']}"):
            with self.assertRaisesRegex(RuntimeError, "cannot (be )?change|cannot be deleted"):
                self.sql(stmt)
        self.assertEqual(self.sql(f"SELECT title FROM plans WHERE id = {plan['id']}"),
                         "Kế hoạch năm 2022 (dự thảo 2)")
        # amendment: a new draft of the same series, targets copied
        r = self.call("POST", f"/v1/plans/{plan['id']}/amend", token=sec)
        self.assertEqual(r.status, 201, r)
        amend = r.json()
        self.assertEqual((amend["series_id"], amend["revision"], amend["supersedes_id"]),
                         (plan["id"], 2, plan["id"]))
        self.assertEqual(amend["status"], "draft")
        self.assertEqual([t["code"] for t in amend["targets"]], ["2"])
        # only one draft amendment at a time
        self.assertProblem(self.call("POST", f"/v1/plans/{plan['id']}/amend", token=sec), 409)
        r = self.call("PATCH", f"/v1/plans/{amend['id']}", token=sec,
                      body={"targets": TARGETS_2022[1:3]}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        issued2 = self.issue(r.json(), number="130", issued_on="2022-11-01")
        self.assertEqual(issued2["status"], "issued")
        old = self.call("GET", f"/v1/plans/{plan['id']}", token=sec).json()
        self.assertEqual(old["status"], "superseded")
        self.assertEqual([t["code"] for t in old["targets"]], ["2"])
        hist = self.call("GET", f"/v1/plans/{amend['id']}/history", token=sec).json()["items"]
        self.assertEqual([(h["revision"], h["status"], h["number"]) for h in hist],
                         [(1, "superseded", "125"), (2, "issued", "130")])
        # a superseded version is not amended or closed; the issued one closes
        self.assertProblem(self.call("POST", f"/v1/plans/{plan['id']}/amend", token=sec),
                           409, "plan-not-issued")
        r = self.call("POST", f"/v1/plans/{amend['id']}/close", token=self.token("A", "leader"),
                      headers={"If-Match": f'"{issued2["version"]}"'})
        self.assertEqual(r.json()["status"], "closed", r)
        actions = self.sql(f"SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log "
                           f"WHERE entity_type = 'plan' AND entity_id IN "
                           f"('{plan['id']}', '{amend['id']}')")
        self.assertEqual(actions, "plan.create,plan.update,plan.issue,plan.amend,plan.update,"
                                  "plan.issue,plan.close")

    def test_bad_plans_name_their_fields_and_store_nothing(self):
        sec = self.token("A", "secretariat")
        before = self.count("plans")
        cases = [
            ({"symbol": "KH", "title": "x"}, 422, "/year"),
            (self.plan_body(year=1999), 422, "/year"),
            (self.plan_body(year="2022"), 422, "/year"),
            (self.plan_body(title="   "), 422, "/title"),
            (self.plan_body(period_start="2022-06-01", period_end="2022-05-31"), 422,
             "/period_end"),
            (self.plan_body(period_start="2022-02-30"), 422, "/period_start"),
            (self.plan_body(purposes=["ok", ""]), 422, "/purposes/1"),
            (self.plan_body(contents=[{"heading": "h"}]), 422, "/contents/0/items"),
            (self.plan_body(cited_document_ids=[1, 1]), 422, "/cited_document_ids/1"),
            (self.plan_body(cited_document_ids=[987654]), 422, "/cited_document_ids"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], threshold=100.5)]), 422,
             "/targets/0/threshold"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], threshold=80.123)]), 422,
             "/targets/0/threshold"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], kind="magic")]), 422,
             "/targets/0/kind"),
            (self.plan_body(targets=[TARGETS_2022[3], TARGETS_2022[3]]), 422, "/targets/1/code"),
            (self.plan_body(targets=[dict(TARGETS_2022[0])]), 422,
             "/targets/0/params/document_ids"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], params={"condition": "title"})]),
             422, "/targets/0/params/title"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], params={
                "condition": "title", "title": "tap_the_lao_dong_tien_tien"})]), 422,
             "/targets/0/params/title"),
            (self.plan_body(targets=[dict(TARGETS_2022[7], params={"kinds": []})]), 422,
             "/targets/0/params/kinds"),
            (self.plan_body(targets=[dict(TARGETS_2022[3], weight=2)]), 400,
             "/targets/0/weight"),
            (self.plan_body(status="issued"), 400, "/status"),
            (self.plan_body(organization_id=2), 400, "/organization_id"),
            (self.plan_body(targets=["x"]), 422, "/targets/0"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer, body=body):
                r = self.call("POST", "/v1/plans", token=sec, body=body)
                doc = self.assertProblem(r, status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]], doc)
        self.assertEqual(self.count("plans"), before)

    def test_hostile_text_is_stored_verbatim(self):
        evil = "'; DROP TABLE plans; -- Ký hiệu \"x\" <b>"
        plan = self.create_plan(title=evil, purposes=[evil])
        self.assertEqual(plan["title"], evil)
        self.assertEqual(plan["purposes"], [evil])
        r = self.call("POST", "/v1/plans", token=self.token("A", "secretariat"),
                      body=self.plan_body(title="x" * 501))
        self.assertProblem(r, 422)

    def test_other_organisation_plan_is_404(self):
        plan = self.create_plan(org="B")
        for role in ("admin", "secretariat", "leader", "viewer"):
            tok = self.token("A", role)
            for path in ("", "/history", "/progress", "/registrations", "/roster"):
                with self.subTest(role=role, path=path):
                    r = self.call("GET", f"/v1/plans/{plan['id']}{path}", token=tok)
                    self.assertProblem(r, 404, "not-found")
        r = self.call("PATCH", f"/v1/plans/{plan['id']}", token=self.token("A", "secretariat"),
                      body={"title": "x"}, headers={"If-Match": '"1"'})
        self.assertProblem(r, 404)
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=self.token("A", "leader"),
                      body={"number": "1"}, headers={"If-Match": '"1"'})
        self.assertProblem(r, 404)

    def test_list_pages_newest_year_first(self):
        org = self.world["A"]
        for year in (2019, 2020, 2021):
            self.create_plan(year=year, title=f"Kế hoạch năm {year}")
        tok = self.token("A", "viewer")
        seen, cursor = [], None
        while True:
            path = "/v1/plans?limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = self.call("GET", path, token=tok).json()
            seen += [(p["year"], p["id"]) for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertEqual(len(seen), self.count("plans", f"organization_id = {org.id}"))
        years = {p["year"] for p in self.call("GET", "/v1/plans?year=2020", token=tok)
                 .json()["items"]}
        self.assertEqual(years, {2020})
        self.assertProblem(self.call("GET", "/v1/plans?status=open", token=tok), 400)
        self.assertProblem(self.call("GET", "/v1/plans?cursor=abc", token=tok), 400)


class ProgressTest(PlansBase):
    """Known counts, computed by hand (see the fixture's comments)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o = cls.world["A"]
        cls.org = o
        u = o.units
        org = o.id

        def staff(name, unit, start, status="active", leave=(None, None), left=None):
            lf, lu = (f"'{d}'" if d else "NULL" for d in leave)
            return int(cls.sql(
                "INSERT INTO staff (organization_id, unit_id, full_name, gender, "
                "employment_type, start_date, status, leave_from, leave_until, left_on) "
                f"VALUES ({org}, {u[unit]}, {sql_text(name)}, 'female', 'civil_servant', "
                f"'{start}', '{status}', {lf}, {lu}, {'NULL' if not left else repr(left)}) "
                "RETURNING id"))

        s = {n: o.staff[n] for n in o.staff}
        # joined 1 Oct: in service from then, too late to be rated (92 days)
        s["moi"] = staff("Trương Thị Mới", "R", "2022-10-01")
        # left on 30 Jun: not counted
        s["nghi"] = staff("Lâm Văn Nghỉ", "C", "2015-01-01", "left", left="2022-06-30")
        # 242 days of leave: informed population yes, rated population no
        s["dai"] = staff("Kiều Thị Dài", "S", "2012-01-01", "on_leave",
                         ("2022-02-01", "2022-09-30"))
        # 92 days of leave: both populations
        s["ngan"] = staff("Mạc Thị Ngắn", "C", "2013-01-01", "active",
                          ("2022-03-01", "2022-05-31"))
        # joined 1 May: 245 days, rated
        s["giua"] = staff("Tạ Văn Giữa", "R", "2022-05-01")
        # left on 15 Dec: counted on 30 Nov, gone at the year's end
        s["sau"] = staff("Đinh Văn Sau", "S", "2010-01-01", "left", left="2022-12-15")
        cls.s = s
        originals = ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường", "Đặng Văn Đức",
                     "Lê Thị Hoa", "Phạm Minh Khoa"]
        cls.originals = originals
        doc = int(cls.sql(f"INSERT INTO documents (organization_id, code, title) VALUES "
                          f"({org}, '34-CT/TW', 'Chỉ thị 34-CT/TW') RETURNING id"))
        targets = json.loads(json.dumps(TARGETS_2022))
        targets[0]["params"]["document_ids"] = [doc]
        plan = cls.call("POST", "/v1/plans", token=cls.token("A", "secretariat"),
                        body={"year": 2022, "symbol": "KH-BQLKKT", "title": "Kế hoạch 2022",
                              "targets": targets, "cited_document_ids": [doc]}).json()
        cls.plan = cls.call("POST", f"/v1/plans/{plan['id']}/issue",
                            token=cls.token("A", "leader"), body={"number": "125"},
                            headers={"If-Match": '"1"'}).json()
        pid = cls.plan["id"]

        def session(held_on, kind="dissemination", makeup_of="NULL"):
            return int(cls.sql(
                "INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, "
                f"document_ids, makeup_of) VALUES ({org}, {pid}, '{kind}', '{held_on}', "
                f"'Quán triệt Chỉ thị 34', ARRAY[{doc}]::bigint[], {makeup_of}) RETURNING id"))

        def attend(sess, sid, status="attended", informed_on=None):
            cls.sql("INSERT INTO session_attendance (organization_id, session_id, staff_id, "
                    f"status, informed_on) VALUES ({org}, {sess}, {sid}, '{status}', "
                    f"{repr(informed_on) if informed_on else 'NULL'})")

        s1 = session("2022-03-10")
        for n in originals:
            attend(s1, s[n])
        attend(s1, s["sau"])
        attend(s1, s["ngan"], "informed_later", "2022-06-05")
        s2 = session("2022-06-10", "makeup", s1)
        attend(s2, s["giua"])
        attend(s1, s["moi"], "informed_later", "2022-12-20")  # after 30 Nov
        old = session("2021-12-01")  # before the period: does not count
        attend(old, s["dai"])

        def title(name, code, date="2022-12-20"):
            cls.sql("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                    f"decision_number, decision_date) VALUES ({org}, {s[name]}, 2022, "
                    f"'{code}', '45/QĐ-BQLKKT', '{date}')")

        for n in originals[:5] + ["giua", "dai"]:
            title(n, "lao_dong_tien_tien")
        title("Nguyễn Văn An", "chien_si_thi_dua_co_so")

        def evaluate(name, rating, disciplined=False):
            cls.sql("INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, "
                    f"disciplined, rated_on) VALUES ({org}, {s[name]}, 2022, '{rating}', "
                    f"{str(disciplined).lower()}, '2022-12-25')")

        for n in originals[:5] + ["ngan"]:
            evaluate(n, "good")
        evaluate("Phạm Minh Khoa", "completed", True)
        evaluate("giua", "not_completed")

        def register(unit, status, entries):
            rid = int(cls.sql("INSERT INTO registrations (organization_id, plan_id, unit_id, "
                              f"status) VALUES ({org}, {pid}, {u[unit]}, '{status}') "
                              "RETURNING id"))
            for n, code in entries:
                cls.sql("INSERT INTO registration_entries (organization_id, registration_id, "
                        f"staff_id, title_code) VALUES ({org}, {rid}, {s[n]}, '{code}')")

        ldtt = "lao_dong_tien_tien"
        register("R", "submitted", [("Nguyễn Văn An", "chien_si_thi_dua_co_so"),
                                    ("Trần Thị Bình", ldtt), ("giua", ldtt)])
        register("C", "submitted", [("Nguyễn Văn Cường", ldtt), ("Đặng Văn Đức", ldtt),
                                    ("ngan", ldtt)])
        register("S", "accepted", [("Lê Thị Hoa", ldtt), ("Phạm Minh Khoa", ldtt)])

        def rating(kind, name, value, on):
            cls.sql("INSERT INTO collective_ratings (organization_id, year, subject_kind, "
                    f"subject_name, rating, rated_on, source_document) VALUES ({org}, 2022, "
                    f"'{kind}', {sql_text(name)}, '{value}', '{on}', 'QĐ 12/QĐ-ĐU')")

        rating("party_cell", "Chi bộ Ban Quản lý", "good", "2022-12-28")
        rating("mass_organization", "Công đoàn cơ sở", "good", "2022-11-20")
        rating("mass_organization", "Chi đoàn thanh niên", "completed", "2022-11-25")
        for kind, on in (("cultural_office", "2022-11-15"), ("security_order", "2022-12-30")):
            cls.sql("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                    f"evidence) VALUES ({org}, 2022, '{kind}', '{on}', 'UBND tỉnh', "
                    "'Quyết định công nhận')")
        for unit, value, on in (("R", "35.00", "2022-06-30"), ("C", "28.50", "2022-06-30"),
                                ("C", "31.25", "2022-11-20")):
            cls.sql("INSERT INTO target_reports (organization_id, series_id, target_code, "
                    f"unit_id, value, reported_on) VALUES ({org}, {cls.plan['series_id']}, "
                    f"'ND1', {u[unit]}, {value}, '{on}')")

    def progress(self, as_of, role="secretariat"):
        r = self.call("GET", f"/v1/plans/{self.plan['id']}/progress?as_of={as_of}",
                      token=self.token("A", role))
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        return doc, {t["code"]: t for t in doc["targets"]}

    def check(self, t, numerator, denominator, value, required, status):
        self.assertEqual((t["numerator"], t["denominator"], t["value"], t["required"],
                          t["status"]), (numerator, denominator, value, required, status), t)

    def test_on_30_november(self):
        doc, t = self.progress("2022-11-30")
        self.assertEqual((doc["reference_date"], doc["elapsed_days"], doc["period_days"],
                          doc["period_ended"]), ("2022-11-30", 334, 365, False))
        # in service: 6 + new, long leave, short leave, mid-year, leaves in Dec = 11;
        # informed in the period by 30 Nov: 6 + Dec leaver + short leave (told 5 Jun)
        # + mid-year (make-up) = 9; 9/11 behind 334/365 of the year
        self.check(t["1"], 9, 11, "81.82", 11, "at_risk")
        # not disciplined needs a record: the ratings come on 25 Dec, so nobody
        # is known compliant yet, and nobody known disciplined either
        self.check(t["2"], 0, 11, "0.00", 11, "on_track")
        self.assertEqual(t["2"]["projected_numerator"], 11)
        # rated population: 6 + short leave + mid-year + Dec leaver = 9; nobody rated yet
        self.check(t["4"], 0, 9, "0.00", 9, "on_track")
        self.assertEqual(t["4"]["projected_numerator"], 9)
        # titles come on 20 Dec; registered LĐTT-or-higher: 8 of 9 ≥ 80 %
        self.check(t["4a"], 0, 9, "0.00", 8, "on_track")
        self.assertEqual((t["4a"]["projected_numerator"], t["4a"]["projected_denominator"]),
                         (8, 9))
        # no LĐTT yet; registered: 1 CSTĐCS of 8 = floor(1.2) = 1
        self.check(t["4b"], 0, 0, None, None, "on_track")
        self.assertEqual((t["4b"]["projected_numerator"], t["4b"]["projected_denominator"]),
                         (1, 8))
        self.check(t["5"], 0, 0, None, None, "on_track")
        self.check(t["6"], 1, 2, "50.00", 2, "at_risk")
        self.check(t["7"], 1, 2, "50.00", 2, "on_track")
        self.assertEqual((t["ND1"]["value"], t["ND1"]["numerator"], t["ND1"]["status"],
                          t["ND1"]["unit"]), ("31.25", 2, "met", "value"))

    def test_after_the_year(self):
        doc, t = self.progress("2023-01-15")
        self.assertEqual((doc["reference_date"], doc["period_ended"]), ("2022-12-31", True))
        # in service on 31 Dec: 10; informed: the new one (20 Dec) joins, long leave not
        self.check(t["1"], 9, 10, "90.00", 10, "missed")
        # rated "not disciplined": 5 originals, short leave, mid-year = 7; Khoa
        # was rated disciplined; the new one and long leave have no record
        self.check(t["2"], 7, 10, "70.00", 10, "missed")
        # rated population 8: 6 + short leave + mid-year; mid-year not completed
        self.check(t["4"], 7, 8, "87.50", 8, "missed")
        # LĐTT or higher among the 8: An, Bình, Cường, Đức, Hoa, mid-year = 6 (75 %)
        self.check(t["4a"], 6, 8, "75.00", 7, "missed")
        # 1 CSTĐCS of 6 LĐTT = 16.67 %; the head count is floor(0.9) = 0
        self.check(t["4b"], 1, 6, "16.67", 0, "missed")
        self.check(t["5"], 1, 1, "100.00", 1, "met")
        self.check(t["6"], 1, 2, "50.00", 2, "missed")
        self.check(t["7"], 2, 2, "100.00", 2, "met")
        self.assertEqual(t["ND1"]["status"], "met")

    def test_results_dated_later_do_not_count(self):
        _, t = self.progress("2022-09-01")
        # C's report of 20 Nov is not yet made: the lowest is 28.5
        self.assertEqual((t["ND1"]["value"], t["ND1"]["status"]), ("28.50", "at_risk"))
        self.check(t["7"], 0, 2, "0.00", 2, "on_track")
        _, t = self.progress("2022-01-15")
        self.assertEqual((t["ND1"]["value"], t["ND1"]["status"]), (None, "at_risk"))

    def test_unit_head_sees_the_counts_of_their_subtree(self):
        doc, t = self.progress("2022-11-30", role="unit_head")
        self.assertEqual((doc["scope"], doc["unit_id"]), ("unit", self.org.units["R"]))
        # R and C in service: An, Bình, Cường, Đức, new, short leave, mid-year = 7;
        # informed: all but the new one = 6
        self.check(t["1"], 6, 7, "85.71", 7, "at_risk")

    def test_the_office_reads_one_units_subtree(self):
        """?unit_id= (issue 14 §3): the Office sees which unit holds a target
        back; a unit head only within their subtree; no other organisation's."""
        pid, u = self.plan["id"], self.org.units
        head, _ = self.progress("2022-11-30", role="unit_head")
        r = self.call("GET", f"/v1/plans/{pid}/progress?as_of=2022-11-30&unit_id={u['R']}",
                      token=self.token("A", "secretariat"))
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual((doc["scope"], doc["unit_id"]), ("unit", u["R"]))
        # the same counts as R's head reads for R
        self.assertEqual([(t["code"], t["numerator"], t["denominator"]) for t in doc["targets"]],
                         [(t["code"], t["numerator"], t["denominator"]) for t in head["targets"]])
        _, t = self.progress("2022-11-30")
        r = self.call("GET", f"/v1/plans/{pid}/progress?as_of=2022-11-30&unit_id={u['C']}",
                      token=self.token("A", "leader"))
        c = {x["code"]: x for x in r.json()["targets"]}
        # C is inside R, R inside the organisation: never more people counted
        for code, x in c.items():
            self.assertLessEqual(x["denominator"], t[code]["denominator"], code)
        # the unit head reads C (in R's subtree) but not S, outside it
        r = self.call("GET", f"/v1/plans/{pid}/progress?unit_id={u['C']}",
                      token=self.token("A", "unit_head"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["unit_id"], u["C"])
        b_unit = self.world["B"].units["R"]
        for role, unit in (("unit_head", u["S"]), ("secretariat", b_unit),
                           ("secretariat", 999999999), ("secretariat", "x"),
                           ("secretariat", 0)):
            with self.subTest(role=role, unit=unit):
                r = self.call("GET", f"/v1/plans/{pid}/progress?unit_id={unit}",
                              token=self.token("A", role), headers=EN)
                doc = self.assertProblem(r, 400)
                self.assertEqual(doc["errors"][0]["pointer"], "/query/unit_id")

    def test_roles_and_bad_input(self):
        pid = self.plan["id"]
        self.assertProblem(self.call("GET", f"/v1/plans/{pid}/progress",
                                     token=self.token("A", "staff")), 403, "forbidden")
        for bad in ("2022-13-01", "30-11-2022", "2022-02-29", "1999-12-31", ""):
            with self.subTest(as_of=bad):
                r = self.call("GET", f"/v1/plans/{pid}/progress?as_of={bad}",
                              token=self.token("A", "leader"))
                doc = self.assertProblem(r, 400)
                self.assertEqual(doc["errors"][0]["pointer"], "/query/as_of")
        r = self.call("GET", f"/v1/plans/{pid}/progress", token=self.client_token("A"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["as_of"], r.json()["as_of"][:10])


class ProgressCacheTest(PlansBase):
    """Answers are cached under the organisation's revision: any change of the
    data they count from shows on the next read."""

    def test_changes_show_at_once(self):
        targets = [TARGETS_2022[7], TARGETS_2022[3]]
        plan = self.issue(self.create_plan(targets=targets))
        org, path = self.world["A"].id, f"/v1/plans/{plan['id']}/progress?as_of=2022-11-30"
        tok = self.token("A", "secretariat")

        def counts():
            doc = self.call("GET", path, token=tok).json()
            return {t["code"]: (t["numerator"], t["projected_numerator"], t["status"])
                    for t in doc["targets"]}

        first = counts()
        self.assertEqual(first["7"], (0, 0, "on_track"))
        self.assertEqual(counts(), first)
        self.sql("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                 f"evidence) VALUES ({org}, 2022, 'cultural_office', '2022-11-01', 'UBND tỉnh', "
                 "'QĐ công nhận')")
        self.assertEqual(counts()["7"], (1, 1, "on_track"))
        # a registration submitted through the API moves the projection
        sid = self.world["A"].staff["Nguyễn Văn An"]
        rid = self.sql(f"INSERT INTO registrations (organization_id, plan_id, unit_id, status) "
                       f"VALUES ({org}, {plan['id']}, {self.world['A'].units['R']}, 'submitted') "
                       "RETURNING id")
        self.assertEqual(counts()["4a"][1], 0)
        self.sql("INSERT INTO registration_entries (organization_id, registration_id, staff_id, "
                 f"title_code) VALUES ({org}, {rid}, {sid}, 'lao_dong_tien_tien')")
        self.assertEqual(counts()["4a"][1], 1)
        # and a staff member leaving changes the population
        before = self.call("GET", path, token=tok).json()["targets"][1]["denominator"]
        self.sql(f"UPDATE staff SET status = 'left', left_on = '2022-03-01' WHERE id = {sid}")
        after = self.call("GET", path, token=tok).json()["targets"][1]["denominator"]
        self.assertEqual(after, before - 1)


class FrozenResultsTest(PlansBase):
    """A closed plan's results at its period's end are frozen: what is recorded
    later (a backdated title, a recognition) does not move them, until the
    Office reopens the plan with a written reason."""

    def test_close_freezes_reopen_needs_a_reason(self):
        targets = [TARGETS_2022[3], TARGETS_2022[7]]
        plan = self.issue(self.create_plan(targets=targets), number="131")
        org, sec, lead = self.world["A"].id, self.token("A", "secretariat"), self.token("A", "leader")
        path = f"/v1/plans/{plan['id']}/progress?as_of=2023-01-15"
        sid = self.world["A"].staff["Nguyễn Văn An"]

        def read(token=sec, p=path):
            r = self.call("GET", p, token=token)
            self.assertEqual(r.status, 200, r)
            doc = r.json()
            return doc, {t["code"]: (t["numerator"], t["denominator"]) for t in doc["targets"]}

        def recognise(kind, on):
            self.sql("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                     f"evidence) VALUES ({org}, 2022, '{kind}', '{on}', 'UBND tỉnh', "
                     "'QĐ công nhận')")

        recognise("cultural_office", "2022-10-01")
        live, before = read()
        self.assertIsNone(live["frozen_at"])
        _, unit_before = read(self.token("A", "unit_head"))
        r = self.call("POST", f"/v1/plans/{plan['id']}/close", token=lead,
                      headers={"If-Match": f'"{plan["version"]}"'})
        self.assertEqual(r.status, 200, r)
        closed = r.json()
        frozen, counts = read()
        self.assertEqual(counts, before)
        self.assertTrue(frozen["frozen_at"])
        # facts recorded after the close, dated inside the period
        recognise("security_order", "2022-11-15")
        self.sql("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                 f"decision_number, decision_date) VALUES ({org}, {sid}, 2022, "
                 "'lao_dong_tien_tien', '9/QĐ-BQLKKT', '2022-12-20')")
        again, counts = read()
        self.assertEqual((counts, again["frozen_at"]), (before, frozen["frozen_at"]))
        self.assertEqual(read(self.token("A", "unit_head"))[1], unit_before)
        # a unit without frozen rows (as one created after the close) is
        # counted live, and its answer does not say frozen (another as_of:
        # the answer of the read above is cached, and plan_results has no
        # revision of its own)
        self.sql(f"DELETE FROM plan_results WHERE plan_id = {plan['id']} "
                 f"AND unit_id = {self.world['A'].units['R']}")
        unit_doc, unit_live = read(self.token("A", "unit_head"),
                                   f"/v1/plans/{plan['id']}/progress?as_of=2023-01-16")
        self.assertIsNone(unit_doc["frozen_at"])
        self.assertEqual(unit_live["4a"][0], unit_before["4a"][0] + 1)
        # inside the period the counts are live: the late recognition shows
        _, mid = read(p=f"/v1/plans/{plan['id']}/progress?as_of=2022-12-01")
        self.assertEqual(mid["7"][0], before["7"][0] + 1)

        # reopening: the Office's leader, If-Match, and a reason
        url = f"/v1/plans/{plan['id']}/reopen"
        match = {"If-Match": f'"{closed["version"]}"'}
        self.assertProblem(self.call("POST", url, token=self.token("A", "unit_head"),
                                     body={"reason": "x"}, headers=match), 403, "forbidden")
        for body, status, pointer in (({}, 422, "/reason"), ({"reason": "   "}, 422, "/reason"),
                                      ({"reason": 5}, 422, "/reason"),
                                      ({"reason": "a", "extra": 1}, 400, "/extra")):
            with self.subTest(body=body):
                doc = self.assertProblem(self.call("POST", url, token=lead, body=body,
                                                   headers=match), status)
                self.assertEqual(doc["errors"][0]["pointer"], pointer)
        self.assertProblem(self.call("POST", url, token=lead, body={"reason": "Bổ sung"},
                                     headers={"If-Match": '"1"'}), 412)
        self.assertEqual(self.sql(f"SELECT status FROM plans WHERE id = {plan['id']}"), "closed")
        reason = "Bổ sung quyết định khen thưởng ban hành muộn"
        r = self.call("POST", url, token=lead, body={"reason": reason}, headers=match)
        self.assertEqual(r.status, 200, r)
        reopened = r.json()
        self.assertEqual((reopened["status"], reopened["reopen_reason"], reopened["closed_at"]),
                         ("issued", reason, None))
        self.assertTrue(reopened["reopened_at"])
        doc, counts = read()
        self.assertIsNone(doc["frozen_at"])
        self.assertEqual(counts["7"][0], before["7"][0] + 1)
        self.assertEqual(counts["4a"][0], before["4a"][0] + 1)
        # an issued plan is not reopened; closing again freezes the new counts
        self.assertProblem(self.call("POST", url, token=lead, body={"reason": reason},
                                     headers={"If-Match": f'"{reopened["version"]}"'}),
                           409, "plan-not-issued")
        r = self.call("POST", f"/v1/plans/{plan['id']}/close", token=lead,
                      headers={"If-Match": f'"{reopened["version"]}"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(read()[1], counts)
        actions = self.sql("SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log "
                           f"WHERE entity_type = 'plan' AND entity_id = '{plan['id']}'")
        self.assertTrue(actions.endswith("plan.close,plan.reopen,plan.close"), actions)
        self.assertIn(reason, self.sql("SELECT after::text FROM audit_log WHERE action = "
                                       f"'plan.reopen' AND entity_id = '{plan['id']}'"))


class RegistrationTest(PlansBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = 0

    def open_plan(self, deadline="2099-12-31", org="A"):
        plan = self.create_plan(org=org, year=2026, registration_deadline=deadline)
        return self.issue(plan, org=org, number=str(uuid.uuid4().int % 1000),
                          issued_on="2026-01-10")

    def register(self, plan, unit="R", role="unit_head", org="A", **over):
        body = {"unit_id": self.world[org].units[unit],
                "collective_titles": ["tap_the_lao_dong_tien_tien"],
                "commitments": "Hoàn thành xuất sắc nhiệm vụ năm 2026"}
        body.update(over)
        return self.call("POST", f"/v1/plans/{plan['id']}/registrations",
                         token=self.token(org, role), body=body)

    def test_unit_registers_staff_enter_head_submits_office_decides(self):
        plan = self.open_plan()
        o = self.world["A"]
        r = self.register(plan)
        self.assertEqual(r.status, 201, r)
        reg = r.json()
        self.assertEqual(r.header("Location"), f"/v1/registrations/{reg['id']}")
        self.assertEqual((reg["status"], reg["collective_titles"]),
                         ("draft", ["tap_the_lao_dong_tien_tien"]))
        # the same unit again: 409
        self.assertProblem(self.register(plan), 409)
        # a staff member registers themselves (they are in C, inside R)
        me = o.users["staff"]["staff_id"]
        r = self.call("PUT", f"/v1/registrations/{reg['id']}/entries/{me}",
                      token=self.token("A", "staff"),
                      body={"title_code": "chien_si_thi_dua_co_so", "commitment": "Sáng kiến"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([e["staff_id"] for e in r.json()["entries"]], [me])
        # but not someone else
        other = o.staff["Nguyễn Văn An"]
        r = self.call("PUT", f"/v1/registrations/{reg['id']}/entries/{other}",
                      token=self.token("A", "staff"), body={"title_code": "lao_dong_tien_tien"})
        self.assertProblem(r, 404)
        # the unit head adds An; a person of S does not belong to R's registration
        r = self.call("PUT", f"/v1/registrations/{reg['id']}/entries/{other}",
                      token=self.token("A", "unit_head"), body={"title_code": "lao_dong_tien_tien"})
        self.assertEqual(r.status, 200, r)
        in_s = o.staff["Lê Thị Hoa"]
        r = self.call("PUT", f"/v1/registrations/{reg['id']}/entries/{in_s}",
                      token=self.token("A", "secretariat"),
                      body={"title_code": "lao_dong_tien_tien"})
        doc = self.assertProblem(r, 422)
        self.assertEqual(doc["errors"][0]["pointer"], "/path/staff_id")
        self.assertProblem(self.call(
            "PUT", f"/v1/registrations/{reg['id']}/entries/{other}",
            token=self.token("A", "unit_head"), body={"title_code": "tap_the_lao_dong_tien_tien"}),
            422)
        # staff see their own entry only
        mine = self.call("GET", f"/v1/registrations/{reg['id']}", token=self.token("A", "staff"))
        self.assertEqual([e["staff_id"] for e in mine.json()["entries"]], [me])
        full = self.call("GET", f"/v1/registrations/{reg['id']}",
                         token=self.token("A", "unit_head"))
        self.assertEqual(sorted(e["staff_id"] for e in full.json()["entries"]),
                         sorted([me, other]))
        version = full.json()["version"]
        self.assertEqual(full.header("ETag"), f'"{version}"')
        # submit needs If-Match; then entries are locked
        self.assertProblem(self.call("POST", f"/v1/registrations/{reg['id']}/submit",
                                     token=self.token("A", "unit_head")), 428)
        r = self.call("POST", f"/v1/registrations/{reg['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": f'"{version}"'})
        self.assertEqual(r.json()["status"], "submitted", r)
        r = self.call("DELETE", f"/v1/registrations/{reg['id']}/entries/{other}",
                      token=self.token("A", "unit_head"))
        self.assertProblem(r, 409, "registration-locked")
        # the Office returns it with a reason; the unit fixes and resubmits
        v = self.call("GET", f"/v1/registrations/{reg['id']}",
                      token=self.token("A", "secretariat")).json()["version"]
        self.assertProblem(self.call("POST", f"/v1/registrations/{reg['id']}/return",
                                     token=self.token("A", "secretariat"), body={"reason": " "},
                                     headers={"If-Match": f'"{v}"'}), 422)
        r = self.call("POST", f"/v1/registrations/{reg['id']}/return",
                      token=self.token("A", "secretariat"),
                      body={"reason": "Thiếu bản đăng ký sáng kiến"},
                      headers={"If-Match": f'"{v}"'})
        self.assertEqual((r.json()["status"], r.json()["return_reason"]),
                         ("returned", "Thiếu bản đăng ký sáng kiến"), r)
        r = self.call("DELETE", f"/v1/registrations/{reg['id']}/entries/{other}",
                      token=self.token("A", "unit_head"))
        self.assertEqual(r.status, 200, r)
        v = r.json()["version"]
        r = self.call("POST", f"/v1/registrations/{reg['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": f'"{v}"'})
        self.assertEqual(r.json()["status"], "submitted", r)
        # accepting twice: the second is a state conflict
        v = r.json()["version"]
        r = self.call("POST", f"/v1/registrations/{reg['id']}/accept",
                      token=self.token("A", "secretariat"), headers={"If-Match": f'"{v}"'})
        self.assertEqual(r.json()["status"], "accepted", r)
        r = self.call("POST", f"/v1/registrations/{reg['id']}/accept",
                      token=self.token("A", "secretariat"),
                      headers={"If-Match": f'"{r.json()["version"]}"'})
        self.assertProblem(r, 409, "registration-state")
        self.assertEqual(self.sql(
            f"SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log WHERE "
            f"entity_type = 'registration' AND entity_id = '{reg['id']}'"),
            "registration.create,registration.entry_set,registration.entry_set,"
            "registration.submit,registration.return,registration.entry_delete,"
            "registration.submit,registration.accept")

    def test_deadline_closes_and_the_office_reopens(self):
        plan = self.open_plan(deadline="2020-01-31")
        r = self.register(plan)
        doc = self.assertProblem(r, 409, "registration-closed")
        self.assertIn("2020-01-31", doc["detail"])
        self.assertEqual(self.count("registrations", f"plan_id = {plan['id']}"), 0)
        # reopening for another unit does not help R
        r = self.call("POST", f"/v1/plans/{plan['id']}/registration-reopenings",
                      token=self.token("A", "secretariat"),
                      body={"until": "2099-01-01", "reason": "Bổ sung đơn vị mới",
                            "unit_id": self.world["A"].units["S"]})
        self.assertEqual(r.status, 201, r)
        self.assertProblem(self.register(plan), 409, "registration-closed")
        self.assertEqual(self.register(plan, unit="S", role="secretariat").status, 201)
        # a reopening in the past is refused; one for all units opens R
        r = self.call("POST", f"/v1/plans/{plan['id']}/registration-reopenings",
                      token=self.token("A", "secretariat"),
                      body={"until": "2021-01-01", "reason": "Muộn"})
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/until")
        self.assertProblem(self.call("POST", f"/v1/plans/{plan['id']}/registration-reopenings",
                                     token=self.token("A", "unit_head"),
                                     body={"until": "2099-01-01", "reason": "x"}), 403)
        r = self.call("POST", f"/v1/plans/{plan['id']}/registration-reopenings",
                      token=self.token("A", "secretariat"),
                      body={"until": "2099-01-01", "reason": "Gia hạn cho tất cả đơn vị"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.register(plan).status, 201)

    def test_scope_and_bad_input(self):
        plan = self.open_plan()
        # a unit head registers only inside their subtree
        r = self.register(plan, unit="S")
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/unit_id")
        for body, pointer, status in (
                ({"unit_id": "x"}, "/unit_id", 422),
                ({}, "/unit_id", 422),
                ({"unit_id": 1, "status": "accepted"}, "/status", 400),
                ({"unit_id": 1, "collective_titles": ["lao_dong_tien_tien"]},
                 "/collective_titles/0", 422),
                ({"unit_id": 1, "commitments": "x" * 20001}, "/commitments", 422)):
            with self.subTest(body=body):
                r = self.call("POST", f"/v1/plans/{plan['id']}/registrations",
                              token=self.token("A", "secretariat"), body=body)
                doc = self.assertProblem(r, status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        # a unit of another organisation
        r = self.register(plan, role="secretariat", unit_id=self.world["B"].units["R"])
        self.assertProblem(r, 422)
        # a draft plan takes no registrations
        draft = self.create_plan(year=2027)
        r = self.call("POST", f"/v1/plans/{draft['id']}/registrations",
                      token=self.token("A", "secretariat"),
                      body={"unit_id": self.world["A"].units["R"]})
        self.assertProblem(r, 409, "plan-not-issued")
        # another unit head's registration is invisible
        reg = self.register(plan, unit="S", role="secretariat").json()
        for role in ("unit_head", "staff"):
            r = self.call("GET", f"/v1/registrations/{reg['id']}", token=self.token("A", role))
            self.assertProblem(r, 404)
        r = self.call("POST", f"/v1/registrations/{reg['id']}/submit",
                      token=self.token("A", "unit_head"), headers={"If-Match": '"1"'})
        self.assertProblem(r, 404)
        listed = self.call("GET", f"/v1/plans/{plan['id']}/registrations",
                           token=self.token("A", "unit_head")).json()["items"]
        self.assertNotIn(reg["id"], [g["id"] for g in listed])
        # other organisation
        r = self.call("GET", f"/v1/registrations/{reg['id']}", token=self.token("B", "admin"))
        self.assertProblem(r, 404)

    def test_roster_json_and_excel(self):
        plan = self.open_plan()
        o = self.world["A"]
        reg = self.register(plan).json()
        for name, code in (("Nguyễn Văn An", "chien_si_thi_dua_co_so"),
                           ("Trần Thị Bình", "lao_dong_tien_tien"),
                           ("Nguyễn Văn Cường", "lao_dong_tien_tien")):
            r = self.call("PUT", f"/v1/registrations/{reg['id']}/entries/{o.staff[name]}",
                          token=self.token("A", "unit_head"), body={"title_code": code})
        self.call("POST", f"/v1/registrations/{reg['id']}/submit",
                  token=self.token("A", "unit_head"),
                  headers={"If-Match": f'"{r.json()["version"]}"'})
        draft = self.register(plan, unit="S", role="secretariat").json()  # a draft: not listed
        self.call("PUT", f"/v1/registrations/{draft['id']}/entries/{o.staff['Lê Thị Hoa']}",
                  token=self.token("A", "secretariat"), body={"title_code": "lao_dong_tien_tien"})
        r = self.call("GET", f"/v1/plans/{plan['id']}/roster", token=self.token("A", "leader"))
        self.assertEqual(r.status, 200, r)
        roster = r.json()
        names = [p["full_name"] for p in roster["individuals"]]
        # Vietnamese order: by given name (An, Bình, Cường)
        self.assertEqual(names, ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường"])
        self.assertEqual([p["stt"] for p in roster["individuals"]], [1, 2, 3])
        self.assertEqual(roster["totals"], {"chien_si_thi_dua_co_so": 1,
                                            "lao_dong_tien_tien": 2,
                                            "tap_the_lao_dong_tien_tien": 1})
        self.assertEqual([c["unit_id"] for c in roster["collectives"]], [o.units["R"]])
        r = self.call("GET", f"/v1/plans/{plan['id']}/roster?format=xlsx",
                      token=self.token("A", "secretariat"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("dang-ky-thi-dua-2026.xlsx", r.header("Content-Disposition"))
        book = zipfile.ZipFile(io.BytesIO(r.body))
        shared = book.read("xl/sharedStrings.xml").decode()
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", shared)
        sheet1 = book.read("xl/worksheets/sheet1.xml").decode()
        workbook = book.read("xl/workbook.xml").decode()
        self.assertIn('name="Cá nhân"', workbook)
        self.assertIn('name="Tập thể"', workbook)

        def cell_text(sheet, ref):
            m = re.search(rf'<c r="{ref}"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet)
            return strings[int(m.group(1))] if m else None

        self.assertEqual(cell_text(sheet1, "A1"), "Sở Nội vụ tỉnh Gia Lai")
        self.assertEqual(cell_text(sheet1, "A3"), "DANH SÁCH CÁ NHÂN ĐĂNG KÝ THI ĐUA NĂM 2026")
        self.assertEqual([cell_text(sheet1, f"{c}6") for c in "BCDE"],
                         ["Họ và tên", "Chức vụ", "Đơn vị", "Danh hiệu đăng ký"])
        self.assertEqual([cell_text(sheet1, f"B{row}") for row in (7, 8, 9, 10)],
                         names + [None])
        self.assertEqual(cell_text(sheet1, "E7"), "Chiến sĩ thi đua cơ sở")
        self.assertEqual(cell_text(sheet1, "D7"), "Văn phòng")
        sheet2 = book.read("xl/worksheets/sheet2.xml").decode()
        self.assertEqual(cell_text(sheet2, "B7"), "Văn phòng")
        self.assertEqual(cell_text(sheet2, "C7"), "Tập thể lao động tiên tiến")
        self.assertEqual(r.header("Content-Language"), "vi")
        # in English on request: the headings, not the names the roster holds
        r = self.call("GET", f"/v1/plans/{plan['id']}/roster?format=xlsx",
                      token=self.token("A", "secretariat"), headers=EN)
        self.assertEqual((r.status, r.header("Content-Language")), (200, "en"), r)
        book = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertIn('name="Individuals"', book.read("xl/workbook.xml").decode())
        shared = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("LIST OF INDIVIDUALS REGISTERED FOR EMULATION IN 2026", shared)
        self.assertIn("Văn phòng", shared)
        # the unit head's roster is their subtree's; bad format is 400
        r = self.call("GET", f"/v1/plans/{plan['id']}/roster?format=pdf",
                      token=self.token("A", "secretariat"))
        self.assertEqual(self.assertProblem(r, 400)["errors"][0]["pointer"], "/query/format")


if __name__ == "__main__":
    main()
