"""Consolidation (báo cáo tổng hợp): the numbers of a hand-computed fixture,
the Excel workbook read back from its XML, sending with If-Match, the feed of
sent consolidations with its cursor, what machine clients may read, other
organisations and roles.

The submissions API is not needed here: periods, units and submissions are
made with SQL, in every status, so each test knows exactly what counts.
"""

import io
import json
import re
import uuid
import zipfile

from harness import EN, main
from identity import IdentityTest, sql_text
from test_plans import TARGETS_2022

FIELDS = [
    {"key": "staff_total", "label": "Tổng số công chức", "type": "number", "required": True},
    {"key": "staff_done", "label": "Số công chức hoàn thành nhiệm vụ", "type": "number"},
    {"key": "done_rate", "label": "Tỷ lệ hoàn thành nhiệm vụ", "type": "percent",
     "numerator": "staff_done", "denominator": "staff_total"},
    {"key": "satisfaction", "label": "Mức độ hài lòng", "type": "percent"},
    {"key": "has_plan", "label": "Đã ban hành kế hoạch", "type": "boolean"},
    {"key": "note", "label": "Ghi chú", "type": "text"},
    {"key": "contact", "label": "Người liên hệ", "type": "text", "aggregate": "none"},
    {"key": "summary", "label": "Kết quả nổi bật", "type": "narrative"},
]

# unit key -> (status, answers, late, version); T and V are added by setUpClass
FIXTURE = {
    "R": ("submitted", {"staff_total": 10, "staff_done": 9, "done_rate": 90,
                        "satisfaction": 80.25, "has_plan": True, "note": "Đủ hồ sơ",
                        "contact": "Chị Bình",
                        "summary": "Văn phòng hoàn thành kế hoạch năm."}, False, 1),
    "C": ("accepted", {"staff_total": 30, "staff_done": 15, "done_rate": 50,
                       "satisfaction": 70.00, "has_plan": False,
                       "summary": "Phòng Tổ chức – Hành chính tinh gọn bộ máy."}, True, 3),
    "S": ("submitted", {"staff_total": 3, "staff_done": 1, "done_rate": 33.33,
                        "has_plan": True, "note": "Thiếu 1 hồ sơ"}, False, 2),
    # not counted: a draft and a returned report
    "T": ("draft", {"staff_total": 500, "staff_done": 500, "done_rate": 100,
                    "satisfaction": 10, "has_plan": False, "summary": "Bản nháp"}, False, 1),
    "V": ("returned", {"staff_total": 700, "staff_done": 1, "done_rate": 0.14,
                       "satisfaction": 99, "has_plan": True, "note": "Bị trả lại",
                       "summary": "Bị trả lại"}, False, 2),
}


class ConsolidationBase(IdentityTest):
    validate_responses = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # two more units in A: T under S, and V, a root (tree order R, C, S, T, V)
        for org in ("A", "B"):
            o = cls.world[org]
            cls.sql("INSERT INTO units (organization_id, parent_id, code, name, kind) VALUES "
                    f"({o.id}, {o.units['S']}, 'T', 'Trung tâm Lưu trữ', 'center')")
            cls.sql("INSERT INTO units (organization_id, parent_id, code, name, kind) VALUES "
                    f"({o.id}, NULL, 'V', 'Văn phòng Đảng ủy', 'office')")
            for k in ("T", "V"):
                o.units[k] = cls.sql(f"SELECT id FROM units WHERE organization_id = {o.id} "
                                     f"AND code = '{k}'")

    @classmethod
    def make_period(cls, fixture=None, org="A", fields=None, title=None):
        """A period of org with a template of fields, its units and submissions."""
        fixture = FIXTURE if fixture is None else fixture
        o = cls.world[org]
        tag = uuid.uuid4().hex[:8]
        title = title or f"Báo cáo sơ kết 6 tháng đầu năm 2022 ({tag})"
        fields_json = sql_text(json.dumps(fields or FIELDS, ensure_ascii=False))
        pid = cls.sql(
            "WITH t AS (INSERT INTO report_templates (organization_id, code, version, title, "
            f"fields) VALUES ({o.id}, 'bc-{tag}', 1, 'Mẫu báo cáo thi đua', "
            f"{fields_json}::jsonb) RETURNING id) "
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) SELECT {o.id}, t.id, 'half_year', {sql_text(title)}, "
            "'2022-01-01', '2022-06-30', '2022-07-15' FROM t RETURNING id")
        for unit, (status, answers, late, version) in fixture.items():
            uid = o.units[unit]
            cls.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                    f"VALUES ({o.id}, {pid}, {uid})")
            if status is None:
                continue
            reason = sql_text("Thiếu số liệu") if status == "returned" else "NULL"
            cls.sql(
                "INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, "
                "late, return_reason, submitted_at, created_by, version) VALUES "
                f"({o.id}, {pid}, {uid}, '{status}', "
                f"{sql_text(json.dumps(answers, ensure_ascii=False))}::jsonb, {late}, "
                f"{reason}, {'NULL' if status == 'draft' else 'now()'}, 'user:1', {version})")
        return int(pid)

    def consolidate(self, pid, role="secretariat", org="A"):
        r = self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                      token=self.token(org, role))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def send(self, k, role="secretariat", org="A"):
        r = self.call("POST", f"/v1/consolidations/{k['id']}/send", token=self.token(org, role),
                      headers={"If-Match": f'"{k["version"]}"'})
        self.assertEqual(r.status, 200, r)
        return r.json()


class ConsolidationDocumentTest(ConsolidationBase):

    def test_numbers_against_the_hand_computed_fixture(self):
        o = self.world["A"]
        pid = self.make_period()
        subs = json.loads(self.sql("SELECT json_object_agg(unit_id, id) FROM submissions "
                                   f"WHERE period_id = {pid}"))
        before = self.count("audit_log", "action = 'consolidation.create'")
        r = self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                      token=self.token("A", "secretariat"))
        self.assertEqual(r.status, 201, r)
        k = r.json()
        self.assertEqual(r.header("Location"), f"/v1/consolidations/{k['id']}")
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual(self.count("audit_log", "action = 'consolidation.create'"), before + 1)
        self.assertEqual((k["period_id"], k["status"], k["version"], k["feed_seq"],
                          k["sent_at"]), (pid, "draft", 1, None, None))
        doc = k["document"]
        self.assertEqual(doc["period"]["id"], pid)
        self.assertEqual(doc["period"]["due_on"], "2022-07-15")
        self.assertEqual(doc["period"]["kind"], "half_year")
        self.assertEqual(doc["template"]["version"], 1)
        self.assertEqual(doc["units_expected"], 5)
        u = o.units
        self.assertEqual(doc["units_reported"], [
            {"unit_id": int(u["R"]), "unit_name": "Văn phòng",
             "submission_id": subs[str(u["R"])], "version": 1, "late": False},
            {"unit_id": int(u["C"]), "unit_name": "Phòng Tổ chức – Hành chính",
             "submission_id": subs[str(u["C"])], "version": 3, "late": True},
            {"unit_id": int(u["S"]), "unit_name": "Phòng Thanh tra",
             "submission_id": subs[str(u["S"])], "version": 2, "late": False}])
        # the draft (T) and the returned report (V) are missing, in tree order
        self.assertEqual(doc["units_missing"], [
            {"unit_id": int(u["T"]), "unit_name": "Trung tâm Lưu trữ"},
            {"unit_id": int(u["V"]), "unit_name": "Văn phòng Đảng ủy"}])
        fields = {f["key"]: f for f in doc["fields"]}
        self.assertEqual([f["key"] for f in doc["fields"]], [f["key"] for f in FIELDS])
        # numbers: 10 + 30 + 3 and 9 + 15 + 1 (T's 500 and V's 700 not counted)
        self.assertEqual((fields["staff_total"]["aggregate"], fields["staff_total"]["value"],
                          fields["staff_total"]["reported"]), ("sum", "43.00", 3))
        self.assertEqual(fields["staff_done"]["value"], "25.00")
        # the ratio is recomputed: 100 × 25 / 43 = 58.1395… → 58.14, not the mean of
        # the units' own percentages, (90 + 50 + 33.33) / 3 = 57.78
        rate = fields["done_rate"]
        self.assertEqual((rate["aggregate"], rate["value"], rate["reported"]),
                         ("ratio", "58.14", 3))
        self.assertEqual(rate["detail"], {"numerator": "25.00", "denominator": "43.00"})
        mean_of_units = round((90 + 50 + 33.33) / 3, 2)
        self.assertEqual(mean_of_units, 57.78)
        self.assertNotEqual(float(rate["value"]), mean_of_units)
        # the average of R and C (S did not answer): (80.25 + 70.00) / 2 = 75.125 → 75.13
        # half up (a binary float rounded half to even would say 75.12)
        sat = fields["satisfaction"]
        self.assertEqual((sat["aggregate"], sat["value"], sat["reported"]),
                         ("average", "75.13", 2))
        self.assertEqual(round((80.25 + 70.00) / 2, 2), 75.12)
        # yes/no counted
        plan = fields["has_plan"]
        self.assertEqual((plan["aggregate"], plan["value"], plan["reported"], plan["detail"]),
                         ("count", 2, 3, {"yes": 2, "no": 1}))
        # texts: collated; "none" is neither computed nor collated
        self.assertEqual((fields["note"]["aggregate"], fields["note"]["value"],
                          fields["note"]["reported"]), ("collate", None, 2))
        self.assertEqual((fields["contact"]["aggregate"], fields["contact"]["value"]),
                         ("none", None))
        self.assertEqual(fields["summary"]["aggregate"], "collate")
        self.assertEqual(doc["narratives"], [
            {"key": "note", "label": "Ghi chú", "sections": [
                {"unit_id": int(u["R"]), "unit_name": "Văn phòng", "text": "Đủ hồ sơ"},
                {"unit_id": int(u["S"]), "unit_name": "Phòng Thanh tra",
                 "text": "Thiếu 1 hồ sơ"}]},
            {"key": "summary", "label": "Kết quả nổi bật", "sections": [
                {"unit_id": int(u["R"]), "unit_name": "Văn phòng",
                 "text": "Văn phòng hoàn thành kế hoạch năm."},
                {"unit_id": int(u["C"]), "unit_name": "Phòng Tổ chức – Hành chính",
                 "text": "Phòng Tổ chức – Hành chính tinh gọn bộ máy."}]}])
        # stored: GET answers the same document with its ETag
        r = self.call("GET", f"/v1/consolidations/{k['id']}", token=self.token("A", "leader"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual(r.json()["document"], doc)

    def test_ratio_is_null_without_a_denominator_and_nobody_reported(self):
        pid = self.make_period({
            "R": ("submitted", {"staff_total": 0, "staff_done": 0, "done_rate": 0}, False, 1),
            "C": (None, None, False, 1)})
        doc = self.consolidate(pid)["document"]
        fields = {f["key"]: f for f in doc["fields"]}
        self.assertIsNone(fields["done_rate"]["value"])
        self.assertEqual(fields["done_rate"]["detail"], {"numerator": "0.00",
                                                         "denominator": "0.00"})
        self.assertEqual(fields["staff_total"]["value"], "0.00")
        self.assertIsNone(fields["satisfaction"]["value"])  # nobody answered
        self.assertEqual(fields["satisfaction"]["reported"], 0)
        self.assertEqual(fields["has_plan"]["value"], 0)
        self.assertEqual(doc["narratives"][1]["sections"], [])
        self.assertEqual([m["unit_id"] for m in doc["units_missing"]],
                         [int(self.world["A"].units["C"])])

    def test_excel_workbook_read_back(self):
        pid = self.make_period(title="Báo cáo sơ kết 6 tháng đầu năm 2022")
        k = self.consolidate(pid)
        r = self.call("GET", f"/v1/consolidations/{k['id']}?format=xlsx",
                      token=self.token("A", "viewer"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(r.header("Content-Disposition"),
                         f'attachment; filename="tong-hop-bao-cao-{pid}.xlsx"')
        book = zipfile.ZipFile(io.BytesIO(r.body))
        workbook = book.read("xl/workbook.xml").decode()
        self.assertEqual(re.findall(r'<sheet name="([^"]*)"', workbook),
                         ["Tổng hợp", "Thuyết minh", "Chưa báo cáo"])
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
        sheets = [book.read(f"xl/worksheets/sheet{i}.xml").decode() for i in (1, 2, 3)]

        def text(sheet, ref):
            m = re.search(rf'<c r="{ref}"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet)
            return strings[int(m.group(1))] if m else None

        def number(sheet, ref):
            m = re.search(rf'<c r="{ref}"[^>]*><v>([^<]+)</v>', sheet)
            return float(m.group(1)) if m and 't="s"' not in m.group(0) else None

        s1, s2, s3 = sheets
        for sheet in sheets:
            self.assertEqual(text(sheet, "A1"), "Sở Nội vụ tỉnh Gia Lai")
            self.assertEqual(text(sheet, "A2"), "Báo cáo sơ kết 6 tháng đầu năm 2022")
        self.assertEqual([text(s1, f"{c}5") for c in "BCDEG"],
                         ["Chỉ tiêu", "Loại", "Cách tổng hợp", "Giá trị", "Số đơn vị báo cáo"])
        # one row per field, from row 6, in the template's order
        self.assertEqual([text(s1, f"B{6 + i}") for i in range(len(FIELDS))],
                         [f["label"] for f in FIELDS])
        self.assertEqual(number(s1, "E6"), 43.0)
        self.assertEqual(number(s1, "E8"), 58.14)
        self.assertEqual(text(s1, "D8"), "Tính lại tỷ lệ từ tử số và mẫu số")
        self.assertEqual(text(s1, "F8"), "25.00 / 43.00")
        self.assertEqual(number(s1, "E9"), 75.13)
        self.assertEqual(number(s1, "E10"), 2.0)
        self.assertEqual(text(s1, "F10"), "Có: 2; Không: 1")
        self.assertEqual(number(s1, "G9"), 2.0)
        self.assertIsNone(number(s1, "E11"))  # a text has no value
        # narratives by unit under each field's label
        self.assertEqual([text(s2, f"{c}5") for c in "ABC"], ["STT", "Đơn vị", "Nội dung"])
        self.assertEqual(text(s2, "A6"), "Ghi chú")
        self.assertEqual([text(s2, "B7"), text(s2, "C7")], ["Văn phòng", "Đủ hồ sơ"])
        self.assertEqual([text(s2, "B8"), text(s2, "C8")], ["Phòng Thanh tra", "Thiếu 1 hồ sơ"])
        self.assertEqual(text(s2, "A9"), "Kết quả nổi bật")
        self.assertEqual(text(s2, "B11"), "Phòng Tổ chức – Hành chính")
        # the units that did not report
        self.assertEqual([text(s3, "B6"), text(s3, "B7"), text(s3, "B8")],
                         ["Trung tâm Lưu trữ", "Văn phòng Đảng ủy", None])
        self.assertEqual(r.header("Content-Language"), "vi")
        # the same workbook in English on request
        r = self.call("GET", f"/v1/consolidations/{k['id']}?format=xlsx",
                      token=self.token("A", "viewer"), headers=EN)
        self.assertEqual((r.status, r.header("Content-Language")), (200, "en"), r)
        book = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertEqual(re.findall(r'<sheet name="([^"]*)"', book.read("xl/workbook.xml")
                                    .decode()),
                         ["Summary", "Narratives", "Not reported"])
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
        s1 = book.read("xl/worksheets/sheet1.xml").decode()
        self.assertEqual([text(s1, f"{c}5") for c in "BCDEG"],
                         ["Indicator", "Field type", "Consolidation method",
                          "Consolidated value", "Units that reported"])
        self.assertEqual(text(s1, "D8"), "Ratio recomputed from the numerator and denominator")
        self.assertEqual(text(s1, "F10"), "Yes: 2; No: 1")
        self.assertEqual(text(s1, "A1"), "Sở Nội vụ tỉnh Gia Lai")  # data stays as it is
        # bad format: 400 with a pointer
        r = self.call("GET", f"/v1/consolidations/{k['id']}?format=pdf",
                      token=self.token("A", "viewer"))
        self.assertEqual(self.assertProblem(r, 400)["errors"][0]["pointer"], "/query/format")

    def test_other_organisation_and_unknown_ids_are_404(self):
        pid_b = self.make_period(org="B", fixture={"R": FIXTURE["R"]})
        kb = self.consolidate(pid_b, org="B")
        for role in ("admin", "secretariat"):
            r = self.call("POST", f"/v1/report-periods/{pid_b}/consolidations",
                          token=self.token("A", role))
            self.assertProblem(r, 404, "not-found")
        self.assertProblem(self.call("GET", f"/v1/consolidations/{kb['id']}",
                                     token=self.token("A", "leader")), 404, "not-found")
        self.assertProblem(self.call("POST", f"/v1/consolidations/{kb['id']}/send",
                                     token=self.token("A", "secretariat"),
                                     headers={"If-Match": '"1"'}), 404, "not-found")
        self.assertProblem(self.call("GET", "/v1/consolidations/999999999",
                                     token=self.token("A", "leader")), 404, "not-found")
        self.assertProblem(self.call("POST", "/v1/report-periods/999999999/consolidations",
                                     token=self.token("A", "admin")), 404, "not-found")
        # B's sent consolidation is not in A's feed
        self.send(kb, org="B")
        r = self.call("GET", "/v1/integration/consolidations?limit=100",
                      token=self.client_token("A", "portal"))
        self.assertNotIn(kb["id"], [i["id"] for i in r.json()["items"]])

    def test_roles(self):
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        k = self.consolidate(pid, role="admin")
        for role in ("unit_head", "staff"):
            tok = self.token("A", role)
            with self.subTest(role=role):
                self.assertProblem(self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                                             token=tok), 403, "forbidden")
                self.assertProblem(self.call("GET", f"/v1/consolidations/{k['id']}", token=tok),
                                   403, "forbidden")
                self.assertProblem(self.call("POST", f"/v1/consolidations/{k['id']}/send",
                                             token=tok, headers={"If-Match": '"1"'}),
                                   403, "forbidden")
                self.assertProblem(self.call("GET", "/v1/integration/consolidations",
                                             token=tok), 403, "forbidden")
        for role in ("leader", "council", "viewer"):
            with self.subTest(role=role):
                self.assertProblem(self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                                             token=self.token("A", role)), 403, "forbidden")
                self.assertEqual(self.call("GET", f"/v1/consolidations/{k['id']}",
                                           token=self.token("A", role)).status, 200)
        # a machine writes nothing here, whatever its scopes
        self.assertProblem(self.call("POST", f"/v1/report-periods/{pid}/consolidations",
                                     token=self.client_token("A", "portal")), 403, "forbidden")
        self.assertProblem(self.call("GET", f"/v1/consolidations/{k['id']}",
                                     token=self.client_token("A", "reports")), 403, "forbidden")


class ConsolidationSendTest(ConsolidationBase):

    def test_send_needs_if_match_and_happens_once(self):
        pid = self.make_period(fixture={"R": FIXTURE["R"], "C": FIXTURE["C"]})
        k = self.consolidate(pid)
        url = f"/v1/consolidations/{k['id']}/send"
        tok = self.token("A", "secretariat")
        self.assertProblem(self.call("POST", url, token=tok), 428, "precondition-required")
        self.assertProblem(self.call("POST", url, token=tok, headers={"If-Match": '"7"'}),
                           412, "precondition-failed")
        self.assertEqual(self.sql(f"SELECT status FROM consolidations WHERE id = {k['id']}"),
                         "draft")
        before = self.count("audit_log", f"action = 'consolidation.send' AND entity_id = "
                                         f"'{k['id']}'")
        r = self.call("POST", url, token=tok, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        sent = r.json()
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual((sent["status"], sent["version"]), ("sent", 2))
        self.assertIsInstance(sent["feed_seq"], int)
        self.assertIsNotNone(sent["sent_at"])
        self.assertEqual(sent["document"], k["document"])
        self.assertEqual(self.count("audit_log", f"action = 'consolidation.send' AND entity_id "
                                                 f"= '{k['id']}'"), before + 1)
        # a second send: 409 (the current ETag), 412 with the old one
        self.assertProblem(self.call("POST", url, token=tok, headers={"If-Match": '"2"'}),
                           409, "consolidation-sent")
        self.assertProblem(self.call("POST", url, token=tok, headers={"If-Match": '"1"'}),
                           412, "precondition-failed")
        self.assertEqual(self.count("audit_log", f"action = 'consolidation.send' AND entity_id "
                                                 f"= '{k['id']}'"), before + 1)
        self.assertEqual(self.sql(f"SELECT feed_seq FROM consolidations WHERE id = {k['id']}"),
                         str(sent["feed_seq"]))

    def test_machine_reads_sent_consolidations_only(self):
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        k = self.consolidate(pid)
        portal = self.client_token("A", "portal")
        url = f"/v1/consolidations/{k['id']}"
        self.assertProblem(self.call("GET", url, token=portal), 404, "not-found")
        self.assertProblem(self.call("GET", url + "?format=xlsx", token=portal), 404,
                           "not-found")
        self.send(k)
        r = self.call("GET", url, token=portal)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "sent")
        r = self.call("GET", url + "?format=xlsx", token=portal)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.startswith(b"PK"))

    def test_a_periods_consolidations_listed(self):
        """Every version the Office made of a period's report, newest first;
        a machine sees the sent ones; another organisation's period is 404."""
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        k1 = self.consolidate(pid)
        self.send(k1)
        k2 = self.consolidate(pid)
        url = f"/v1/report-periods/{pid}/consolidations"
        doc = self.call("GET", url, token=self.token("A", "leader")).json()
        self.assertEqual(doc["period_id"], pid)
        self.assertEqual([(x["id"], x["status"]) for x in doc["items"]],
                         [(k2["id"], "draft"), (k1["id"], "sent")])
        self.assertNotIn("document", doc["items"][0])
        r = self.call("GET", url, token=self.client_token("A", "portal"))
        self.assertEqual([x["id"] for x in r.json()["items"]], [k1["id"]])
        self.assertEqual(self.call("GET", url, token=self.token("A", "unit_head")).status, 403)
        self.assertProblem(self.call("GET", url, token=self.token("B", "leader")), 404,
                           "not-found")
        self.assertProblem(self.call("GET", "/v1/report-periods/999999999/consolidations",
                                     token=self.token("A", "leader")), 404, "not-found")

    def test_feed_pages_with_after_and_next_cursor(self):
        tok = self.client_token("A", "portal")
        r = self.call("GET", "/v1/integration/consolidations?limit=100", token=tok)
        self.assertEqual(r.status, 200, r)
        start = r.json()["items"][-1]["feed_seq"] if r.json()["items"] else 0
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        made = [self.consolidate(pid) for _ in range(5)]
        # sent in another order than made; one stays a draft
        sent = [self.send(k) for k in (made[3], made[0], made[4], made[1])]
        seqs = [s["feed_seq"] for s in sent]
        self.assertEqual(seqs, sorted(seqs))
        seen, after, pages = [], start, 0
        while True:
            r = self.call("GET", f"/v1/integration/consolidations?after={after}&limit=3",
                          token=tok)
            self.assertEqual(r.status, 200, r)
            page = r.json()
            pages += 1
            seen += page["items"]
            if page["next_cursor"] is None:
                self.assertLess(len(page["items"]), 3)
                self.assertIsNone(r.header("Link"))
                break
            self.assertEqual(len(page["items"]), 3)
            self.assertEqual(page["next_cursor"], str(page["items"][-1]["feed_seq"]))
            self.assertEqual(r.header("Link"), f'</v1/integration/consolidations?after='
                                               f'{page["next_cursor"]}&limit=3>; rel="next"')
            after = page["next_cursor"]
        self.assertEqual(pages, 2)
        self.assertEqual([i["id"] for i in seen], [s["id"] for s in sent])
        self.assertTrue(all(i["status"] == "sent" for i in seen))
        self.assertEqual(seen[0]["document"]["period"]["id"], pid)
        # people read the same feed; nothing after the last one
        r = self.call("GET", f"/v1/integration/consolidations?after={seqs[-1]}",
                      token=self.token("A", "leader"))
        self.assertEqual(r.json(), {"items": [], "next_cursor": None})
        # limits and unknown parameters
        for q in ("limit=0", "limit=101", "after=-1", "after=x", "cursor=3"):
            with self.subTest(q=q):
                self.assertProblem(self.call("GET", f"/v1/integration/consolidations?{q}",
                                             token=tok), 400)


class ConsolidationTravelTest(ConsolidationBase):
    """Issue 14 §3: the report that leaves names the organisation, carries a
    number of the common series and its signer, the plan's targets as they
    stand on its day, and is superseded by a new version when a unit
    reported after it was sent; the feed and the outbox show the
    replacement."""

    def test_numbered_signed_and_superseded_after_a_late_report(self):
        a = self.world["A"]
        pid = self.make_period(fixture={"R": FIXTURE["R"], "C": FIXTURE["C"],
                                        "S": (None, None, False, 1)})
        k1 = self.consolidate(pid)
        self.assertEqual(k1["document"]["organization"]["code"],
                         self.sql(f"SELECT code FROM organizations WHERE id = {a.id}"))
        office = self.token("A", "secretariat")
        r = self.call("POST", f"/v1/consolidations/{k1['id']}/send", token=office,
                      headers={"If-Match": f'"{k1["version"]}"'},
                      body={"symbol": "BC-BQLKKT", "signer_name": "Dương Quang Tuấn",
                            "signer_title": "Trưởng ban", "sent_on": "2022-07-20"})
        self.assertEqual(r.status, 200, r)
        s1 = r.json()
        self.assertRegex(s1["number_text"], r"^\d{2,}/BC-BQLKKT$")
        self.assertEqual((s1["sent_on"], s1["signer_name"], s1["signer_title"],
                          s1["supersedes"], s1["superseded_by"], s1["outdated"]),
                         ("2022-07-20", "Dương Quang Tuấn", "Trưởng ban", None, None, False))
        # the common series of 2022: the next decision of the year takes the next number
        n1 = int(s1["number_text"].split("/")[0])
        self.assertEqual(int(self.sql(f"SELECT last_number FROM document_numbers WHERE "
                                      f"organization_id = {a.id} AND series = 'common' AND "
                                      "year = 2022")), n1)
        # unit S reports late, after the sending: the version in force is outdated
        self.sql("INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, "
                 "late, submitted_at, created_by, version) VALUES "
                 f"({a.id}, {pid}, {a.units['S']}, 'submitted', '{{\"staff_total\": 3}}', true, "
                 "now(), 'user:1', 1)")
        got = self.call("GET", f"/v1/consolidations/{k1['id']}", token=office).json()
        self.assertTrue(got["outdated"])
        # the Office makes a new version and sends it, signed by default by itself
        k2 = self.consolidate(pid)
        self.assertEqual(len(k2["document"]["units_reported"]), 3)
        s2 = self.send(k2)
        self.assertEqual((s2["supersedes"], s2["outdated"]), (k1["id"], False))
        self.assertEqual(s2["signer_name"], self.sql(
            f"SELECT display_name FROM users WHERE id = {a.users['secretariat']['id']}"))
        self.assertRegex(s2["number_text"], r"^\d{2,}/BC-")
        old = self.call("GET", f"/v1/consolidations/{k1['id']}", token=office).json()
        self.assertEqual((old["superseded_by"], old["outdated"], old["status"]),
                         (k2["id"], False, "sent"))
        # the feed shows both, the replacement after, naming what it replaces
        feed = self.call("GET", "/v1/integration/consolidations?after=0&limit=100",
                         token=self.client_token("A", "portal")).json()["items"]
        mine = [x for x in feed if x["period_id"] == pid]
        self.assertEqual([(x["id"], x["supersedes"], x["superseded_by"]) for x in mine],
                         [(k1["id"], None, k2["id"]), (k2["id"], k1["id"], None)])
        # and the outbox: sent twice, superseded once, in the sends' transactions
        self.assertEqual(self.sql(
            "SELECT string_agg(type || ':' || (data->>'consolidation_id') || ':' || "
            "coalesce(data->>'superseded_by', data->>'supersedes', '-'), ',' "
            "ORDER BY type, id) FROM outbox_events WHERE type LIKE 'consolidation.%' AND "
            f"(data->>'period_id')::bigint = {pid}"),
            f"consolidation.sent:{k1['id']}:-,consolidation.sent:{k2['id']}:{k1['id']},"
            f"consolidation.superseded:{k1['id']}:{k2['id']}")
        listed = self.call("GET", f"/v1/report-periods/{pid}/consolidations",
                           token=office).json()["items"]
        self.assertEqual([(x["id"], x["supersedes"], x["superseded_by"]) for x in listed],
                         [(k2["id"], k1["id"], None), (k1["id"], None, k2["id"])])

    def test_bad_fields_of_a_send(self):
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        k = self.consolidate(pid)
        office = self.token("A", "secretariat")
        for body, status, pointer in (
                ({"sent_on": "2999-01-01"}, 422, "/sent_on"),
                ({"sent_on": "2022-02-30"}, 422, "/sent_on"),
                ({"symbol": ""}, 422, "/symbol"),
                ({"symbol": "x" * 61}, 422, "/symbol"),
                ({"signer_name": 5}, 422, "/signer_name"),
                ({"number": 7}, 400, "/number")):
            with self.subTest(body=body):
                r = self.call("POST", f"/v1/consolidations/{k['id']}/send", token=office,
                              headers={"If-Match": f'"{k["version"]}"', **EN}, body=body)
                doc = self.assertProblem(r, status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        self.assertEqual(self.sql(f"SELECT status FROM consolidations WHERE id = {k['id']}"),
                         "draft")

    def test_the_plans_targets_as_they_stand_on_its_day(self):
        office = self.token("A", "secretariat")
        r = self.call("POST", "/v1/plans", token=office, body={
            "year": 2022, "symbol": "KH-BQLKKT", "place": "Gia Lai",
            "title": "Kế hoạch thi đua năm 2022 (tổng hợp)",
            "purposes": ["Bám sát nhiệm vụ chính trị"],
            "contents": [{"heading": "Thi đua", "items": ["Cải cách hành chính"]}],
            "recipients": ["Lưu: VT, VP"], "signer_name": "Nguyễn Như Trình",
            "signer_position": "Trưởng ban", "targets": [TARGETS_2022[2], TARGETS_2022[3]]})
        self.assertEqual(r.status, 201, r)
        plan = r.json()
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=self.token("A", "leader"),
                      body={"number": "777", "issued_on": "2022-01-10"},
                      headers={"If-Match": f'"{plan["version"]}"'})
        self.assertEqual(r.status, 200, r)
        pid = self.make_period(fixture={"R": FIXTURE["R"]})
        k = self.consolidate(pid)
        mine = [t for t in k["document"]["targets"] if t["plan_id"] == plan["id"]]
        # the plan of 2022 has ended: counted on its last day, as GET .../progress counts
        progress = self.call("GET", f"/v1/plans/{plan['id']}/progress?as_of=2022-12-31",
                             token=office).json()
        want = [(t["code"], t["numerator"], t["denominator"], t["value"])
                for t in progress["targets"]]
        self.assertEqual([(t["code"], t["numerator"], t["denominator"], t["value"])
                          for t in mine], want)
        self.assertEqual({t["counted_on"] for t in mine}, {"2022-12-31"})
        self.assertEqual([(t["comparison"], t["threshold"]) for t in mine],
                         [("at_least", "100.00"), ("at_least", "80.00")])


if __name__ == "__main__":
    main()
