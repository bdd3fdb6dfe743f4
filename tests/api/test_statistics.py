"""The statistics forms of Circular 02/2023/TT-BNV (issue 14 §3): forms 0601 to
0605.N/BNV-TĐKT of a report year, counted from the service's own records, in
JSON and in the forms' Excel layout, and a province's roll-up of its agencies.

The fixtures (ProvinceBase): agencies A and B belong to province P from 2020;
B leaves P on 30/06/2025 for province Q.  The report year 2024 runs from
01/12/2023 to 30/11/2024 (regime tt02_2023, due 15/12/2024).  Every figure
below is counted by hand from the records the tests make.
"""

import io
import re
import uuid
import zipfile

from harness import EN, main
from test_province import ProvinceBase

FORMS = ["0601", "0602", "0603", "0604", "0605"]


def tag():
    return uuid.uuid4().hex[:8]


def rows(doc, form):
    """{row code: values} of one form of the document."""
    f = next(f for f in doc["forms"] if f["form"] == form)
    return {r["code"]: r["values"] for r in f["rows"] if not r["heading"]}


def column_keys(doc, form):
    return [c["key"] for c in next(f for f in doc["forms"] if f["form"] == form)["columns"]]


def gaps(doc, form):
    f = next(f for f in doc["forms"] if f["form"] == form)
    return {(g["row"], g["section"]): g["missing"] for g in f["gaps"]}


def sheet_texts(data):
    """The shared strings and the sheets' XML of a workbook."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = z.read("xl/sharedStrings.xml").decode()
    strings = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", shared, re.S)]
    sheets = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    return strings, [z.read(n).decode() for n in sheets], names


class StatisticsTest(ProvinceBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_records()

    # -- the records -------------------------------------------------------

    @classmethod
    def movement(cls, org, name, kind, starts, ends, **extra):
        body = {"name": name, "kind": kind, "starts_on": starts, "ends_on": ends}
        body.update(extra)
        r = cls.call("POST", "/v1/movements", token=cls.token(org, "secretariat"), body=body)
        assert r.status == 201, r
        return r.json()

    @classmethod
    def staff(cls, org, **fields):
        body = {"unit_id": cls.world[org].units["C"], "full_name": f"Nguyễn Văn {tag()}",
                "gender": "female", "employment_type": "civil_servant",
                "start_date": "2018-01-01"}
        body.update(fields)
        r = cls.call("POST", "/v1/staff", token=cls.token(org, "admin"), body=body)
        assert r.status == 201, r
        return r.json()

    @classmethod
    def record_award(cls, org, code, date, **subject):
        body = {"award_code": code, "year": int(date[:4]), "decision_number": f"{tag()}/QĐ-UBND",
                "decision_date": date, "subject_kind": "staff"}
        body.update(subject)
        r = cls.call("POST", "/v1/awards", token=cls.token(org, "secretariat"), body=body)
        assert r.status == 201, r
        return r.json()

    @classmethod
    def build_records(cls):
        # 0601 of A: three movements launched in the period, one before it
        cls.movement("A", "Phong trào thi đua thường xuyên năm 2024", "regular",
                     "2024-01-01", "2024-12-31")
        cls.movement("A", "Đợt thi đua cải cách hành chính", "thematic", "2024-03-01",
                     "2024-06-30", launch_level="ministry_province", scope="sector_locality")
        cls.movement("A", "Thi đua của khối kinh tế giai đoạn 2024-2027", "regular",
                     "2024-06-01", "2027-05-31", scope="bloc")
        cls.movement("A", "Đợt thi đua chào mừng năm mới", "thematic", "2023-11-15",
                     "2024-02-01")
        # B records the province's movement too (counted once by P), and its own
        cls.movement("B", "Đợt thi đua  CẢI CÁCH hành chính", "thematic", "2024-03-01",
                     "2024-06-30", launch_level="ministry_province", scope="sector_locality")
        cls.movement("B", "Tháng thi đua của Sở", "thematic", "2024-02-01", "2024-02-29")
        # in 2025 B is Q's by the period's end (moved 01/07/2025)
        cls.movement("B", "Phong trào năm 2025", "regular", "2025-01-01", "2025-12-31")

        # 0602 and 0603 of A
        s1 = cls.staff("A", recipient_category="department_leader")["id"]
        s2 = cls.staff("A")["id"]
        cls.record_award("A", "bang_khen_tinh", "2024-03-10", staff_id=s1)
        cls.record_award("A", "chien_si_thi_dua_cap_tinh", "2024-05-20", staff_id=s1, adhoc=True)
        cls.record_award("A", "huan_chuong_lao_dong_hang_ba", "2024-09-02", staff_id=s2,
                         method="contribution")
        cls.record_award("A", "huan_chuong_lao_dong_hang_ba", "2024-09-02", subject_kind="unit",
                         unit_id=cls.world["A"].units["C"])
        cls.record_award("A", "co_thi_dua_cap_tinh", "2024-01-15", subject_kind="agency")
        cls.record_award("A", "giay_khen", "2024-02-02", staff_id=s2)          # on no form
        cls.record_award("A", "bang_khen_tinh", "2024-12-05", staff_id=s2)     # 2025's period
        revoked = cls.record_award("A", "ky_niem_chuong_tinh", "2024-04-01", staff_id=s2)
        cls.sql("UPDATE awards SET revoked_on = '2024-10-01', revoked_at = now(), "
                "revocation_reason = 'Sai sót hồ sơ', revocation_document = '1/QĐ' "
                f"WHERE id = {revoked['id'].split('-')[1]}")
        # B: a State award counted in P's roll-up of 2024
        sb = cls.staff("B", recipient_category="direct_worker", gender="male")["id"]
        cls.record_award("B", "bang_khen_thu_tuong", "2024-07-07", staff_id=sb,
                         method="thematic")

        # 0605 of A: three civil servants doing TĐKT work on 30/11/2024
        cls.staff("A", date_of_birth="1995-06-01", tdkt_since="2021-01-01",
                  training_level="university")
        cls.staff("A", gender="male", date_of_birth="1980-12-01", tdkt_since="2014-11-30",
                  training_level="postgraduate")
        cls.staff("A", date_of_birth="1964-11-30", tdkt_since="2019-12-01")
        cls.staff("A", gender="male", tdkt_since="2020-01-01", training_level="college")  # no birth
        cls.staff("A", employment_type="contract_worker", date_of_birth="1990-01-01",
                  tdkt_since="2015-01-01", training_level="college")            # not a civil servant
        cls.staff("A", date_of_birth="1985-01-01", tdkt_since="2015-01-01", status="left",
                  left_on="2024-06-30", training_level="college")                # left before
        cls.staff("A", date_of_birth="1985-01-01", tdkt_since="2024-12-10",
                  training_level="college")                                      # started after

        # 0604 of P: its TĐKT board and division
        for code, body in (("BTDKT", "home_affairs_board"), ("PTDKT", "home_affairs_division")):
            r = cls.call("POST", "/v1/units", token=cls.ptoken_cls("admin"),
                         body={"code": code, "name": f"Ban {code}", "kind": "department",
                               "tdkt_body": body})
            assert r.status == 201, r

    @classmethod
    def ptoken_cls(cls, role):
        r = cls.password_grant(f"p.{role}")
        assert r.status == 200, r
        return r.json()["access_token"]

    # -- an agency's forms -------------------------------------------------

    def test_agency_forms_counted_by_hand(self):
        r = self.get("/v1/statistics/2024")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["organization"]["id"], self.world["A"].id)
        self.assertEqual(doc["period"], {"from": "2023-12-01", "to": "2024-11-30"})
        self.assertEqual(doc["due_on"], "2024-12-15")
        self.assertEqual(doc["regime"]["code"], "tt02_2023")
        self.assertEqual(doc["receiver"]["id"], self.prov["TINH-P"])
        self.assertEqual([f["form"] for f in doc["forms"]], FORMS)
        self.assertEqual(doc["members"], [])

        m = rows(doc, "0601")
        self.assertEqual(column_keys(doc, "0601"), ["1", "2", "3", "4"])
        self.assertEqual(m["01"], [3, 0, 1, 2])
        self.assertEqual(m["02"], [0, 0, 0, 0])
        self.assertEqual(m["03"], [1, 0, 1, 0])
        self.assertEqual(m["04"], [1, 0, 0, 1])
        self.assertEqual(m["05"], [1, 0, 0, 1])
        self.assertEqual(m["06"], [1, 0, 1, 0])      # four months
        self.assertEqual(m["07"], [1, 0, 0, 1])      # exactly one year
        self.assertEqual(m["08"], [0, 0, 0, 0])
        self.assertEqual(m["09"], [1, 0, 0, 1])      # exactly three years
        self.assertEqual(m["11"], [1, 0, 1, 0])
        self.assertEqual(m["12"], [2, 0, 0, 2])
        self.assertEqual(gaps(doc, "0601"), {})

        keys = column_keys(doc, "0602")
        s = rows(doc, "0602")

        def at(code, key):
            return s[code][keys.index(key)]
        self.assertEqual(s["01"][0], 2)
        self.assertEqual((at("01", "2e"), at("01", "2f")), (1, 1))
        self.assertEqual(s["03"][0], 2)              # proposed by the province
        self.assertEqual(s["02"][0], 0)
        self.assertEqual((s["06"][0], at("06", "2e")), (1, 1))
        self.assertEqual((s["09"][0], at("09", "2f")), (1, 1))
        self.assertEqual(s["08"][0], 0)
        self.assertEqual(s["15"][0], 1)              # regular: the unit's
        self.assertEqual(s["19"][0], 1)              # for a career's contribution
        # the person has no recipient category: 09's breakdown misses one
        self.assertEqual(gaps(doc, "0602"), {("09", 1): 1})

        p = rows(doc, "0603")
        self.assertEqual(column_keys(doc, "0603"), ["1", "2", "3", "4", "5"])
        self.assertEqual(p["01"], [3, 1, 1, 1, 0])   # the revoked medal is not counted
        self.assertEqual(p["02"], [1, 0, 0, 1, 0])
        self.assertEqual(p["05"], [2, 1, 1, 0, 0])
        self.assertEqual(p["07"], [2, 1, 1, 0, 0])
        self.assertEqual(p["11"], [2, 1, 0, 1, 0])
        self.assertEqual(p["13"], [1, 0, 1, 0, 0])   # ad hoc
        self.assertEqual(gaps(doc, "0603"), {})

        self.assertEqual(rows(doc, "0604")["01"], [0])

        c = rows(doc, "0605")
        self.assertEqual(c["01"], [4, 2])
        self.assertEqual(c["02"], [1, 1])            # 29
        self.assertEqual(c["04"], [1, 0])            # 43
        self.assertEqual(c["06"], [1, 1])            # 60 on the day
        self.assertEqual(c["07"], [0, 0])            # no date of birth is no age
        self.assertEqual(c["10"], [1, 0])
        self.assertEqual(c["11"], [1, 1])
        self.assertEqual(c["12"], [1, 0])
        self.assertEqual(c["13"], [3, 2])            # under five years
        self.assertEqual(c["15"], [1, 0])            # ten years on the day
        self.assertEqual(gaps(doc, "0605"), {("01", 1): 1, ("01", 2): 1})

    def test_an_agency_sees_its_own_records_only(self):
        a = self.get("/v1/statistics/2024").json()
        b = self.get("/v1/statistics/2024", org="B").json()
        self.assertEqual(b["organization"]["id"], self.world["B"].id)
        self.assertEqual(rows(b, "0601")["01"], [2, 0, 1, 1])
        self.assertEqual(rows(b, "0602")["01"][0], 1)
        self.assertEqual(rows(b, "0605")["01"], [0, 0])
        self.assertEqual(rows(a, "0602")["01"][0], 2)

    # -- a province ----------------------------------------------------------

    def test_province_rolls_up_its_members_of_the_period(self):
        r = self.pget("/v1/statistics/2024", token=self.pclient("p-portal"))
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["organization"]["id"], self.prov["TINH-P"])
        self.assertEqual(sorted(m["id"] for m in doc["members"]),
                         sorted([self.world["A"].id, self.world["B"].id]))
        self.assertIsNone(doc["receiver"]["id"])     # a province reports to the Ministry
        # A's three and B's own; the province's movement both record, once
        self.assertEqual(rows(doc, "0601")["01"], [4, 0, 1, 3])
        self.assertEqual(rows(doc, "0601")["06"], [2, 0, 1, 1])
        s = rows(doc, "0602")
        keys = column_keys(doc, "0602")
        self.assertEqual(s["01"][0], 3)
        self.assertEqual(s["01"][keys.index("7b")], 1)
        self.assertEqual(s["14"][0], 1)
        self.assertEqual(s["16"][0], 1)
        self.assertEqual(rows(doc, "0603")["01"], [3, 1, 1, 1, 0])
        self.assertEqual(rows(doc, "0604")["01"], [2])
        self.assertEqual(rows(doc, "0604")["04"], [1])
        self.assertEqual(rows(doc, "0604")["05"], [1])
        self.assertEqual(rows(doc, "0605")["01"], [4, 2])

    def test_a_moved_agency_counts_where_it_ends_the_period(self):
        p = self.pget("/v1/statistics/2025").json()
        self.assertEqual([m["id"] for m in p["members"]], [self.world["A"].id])
        self.assertEqual(rows(p, "0601")["01"], [0, 0, 0, 0])
        q = self.sql(
            "SELECT stat_forms_json(id, 2025)::text FROM organizations WHERE code = 'TINH-Q'")
        import json
        q = json.loads(q)
        self.assertEqual([m["id"] for m in q["members"]], [self.world["B"].id])
        self.assertEqual(rows(q, "0601")["01"], [1, 0, 0, 1])
        # 2024's forms of P still hold B, which was P's on 30/11/2024
        p24 = self.pget("/v1/statistics/2024").json()
        self.assertIn(self.world["B"].id, [m["id"] for m in p24["members"]])

    # -- the regime by date ---------------------------------------------------

    def test_the_regime_is_the_one_in_force_on_the_due_day(self):
        r = self.get("/v1/statistics/2022")
        self.assertEqual(r.status, 200, r)
        reg = r.json()["regime"]
        self.assertEqual((reg["code"], reg["status"], reg["layout"]),
                         ("tt03_2018", "placeholder", "tt02_2023"))
        self.assertEqual(r.json()["period"], {"from": "2021-12-01", "to": "2022-11-30"})
        r = self.get("/v1/statistics/2017")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.json()["type"], "urn:thidua:problem:no-statistics-regime")
        self.assertIn("2017", r.json()["detail"])
        r = self.get("/v1/statistics/2017", headers=EN)
        self.assertIn("No statistics reporting regime", r.json()["detail"])
        self.assertEqual(self.get("/v1/statistics/1999").status, 404)
        self.assertEqual(self.get("/v1/statistics/20x4").status, 404)

    def test_every_state_award_kind_has_a_column(self):
        missing = self.sql(
            "SELECT string_agg(k.code, ',') FROM award_kinds k WHERE k.decided_at = 'national' "
            "AND NOT EXISTS (SELECT 1 FROM stat_form_columns c WHERE c.layout = 'tt02_2023' "
            "AND c.form = '0602' AND k.code = ANY (c.award_codes))")
        self.assertEqual(missing, "")

    # -- the workbook -----------------------------------------------------------

    def test_workbook_in_the_forms_layout(self):
        r = self.get("/v1/statistics/2024?format=xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        self.assertIn("bieu-thong-ke-tdkt-2024.xlsx", r.header("content-disposition"))
        strings, sheets, names = sheet_texts(r.body)
        self.assertEqual(names, FORMS)
        for text in ("Biểu số: 0601.N/BNV-TĐKT", "SỐ PHONG TRÀO THI ĐUA", "Mã số",
                     "Đơn vị tính", "Người lập biểu", "Thủ trưởng đơn vị",
                     "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"):
            self.assertIn(text, strings)
        self.assertTrue(any(s.startswith("Ngày nhận báo cáo: ngày 15 tháng 12") for s in strings),
                        strings[:10])
        self.assertTrue(any("Đơn vị nhận báo cáo: Tỉnh Phú Thịnh" == s for s in strings))
        # the total of 0601 row 01 is a number cell of 3
        self.assertRegex(sheets[0], r'<c r="D\d+"[^>]*><v>3</v></c>')
        en = self.get("/v1/statistics/2024?format=xlsx", headers=EN)
        strings, _, _ = sheet_texts(en.body)
        self.assertIn("Form: 0601.N/BNV-TĐKT", strings)
        self.assertIn("NUMBER OF EMULATION MOVEMENTS", strings)

    # -- who may read ------------------------------------------------------------

    def test_who_may_read(self):
        for role in ("secretariat", "leader", "viewer", "admin"):
            self.assertEqual(self.get("/v1/statistics/2024", role=role).status, 200, role)
        for role in ("staff", "unit_head"):
            r = self.get("/v1/statistics/2024", role=role)
            self.assertEqual(r.status, 403, role)
        r = self.call("GET", "/v1/statistics/2024", token=self.token("A", "council"))
        self.assertEqual(r.status, 403)
        # the agency's integration client reads the agency's, not the province's
        r = self.call("GET", "/v1/statistics/2024", token=self.client_token("A"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["organization"]["id"], self.world["A"].id)
        r = self.call("GET", "/v1/statistics/2024", token=self.client_token("A", "reports"))
        self.assertEqual(r.status, 403)
        r = self.call("GET", "/v1/statistics/2024")
        self.assertEqual(r.status, 401)
        r = self.pget("/v1/statistics/2024", token=self.ptoken("secretariat"))
        self.assertEqual(r.json()["organization"]["id"], self.prov["TINH-P"])

    def test_bad_input(self):
        r = self.get("/v1/statistics/2024?format=pdf")
        self.assertEqual(r.status, 400, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/query/format"])
        r = self.post("/v1/movements", {"name": "x", "kind": "regular", "starts_on": "2024-01-01",
                                        "ends_on": "2024-12-31", "launch_level": "galactic",
                                        "scope": 7})
        self.assertEqual(r.status, 422, r)
        pointers = {e["pointer"] for e in r.json()["errors"]}
        self.assertEqual(pointers, {"/launch_level", "/scope"})
        r = self.post("/v1/staff", {"unit_id": self.world["A"].units["C"], "full_name": "A B",
                                    "gender": "female", "employment_type": "civil_servant",
                                    "start_date": "2010-01-01", "tdkt_since": "2024-02-30",
                                    "training_level": "phd", "recipient_category": "king"},
                      role="admin")
        self.assertEqual(r.status, 422, r)
        pointers = {e["pointer"] for e in r.json()["errors"]}
        self.assertEqual(pointers, {"/tdkt_since", "/training_level", "/recipient_category"})
        r = self.post("/v1/awards", {"award_code": "bang_khen_tinh", "subject_kind": "agency",
                                     "year": 2024, "decision_number": "1/QĐ",
                                     "decision_date": "2024-01-01", "method": "bribery"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/method"])
        r = self.post("/v1/units", {"code": "X1", "name": "X", "kind": "other",
                                    "tdkt_body": "ministry"}, role="admin")
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/tdkt_body"])

    def test_fields_round_trip(self):
        s = self.staff("A", tdkt_since="2020-02-01", training_level="college",
                       recipient_category="other_leader")
        self.assertEqual((s["tdkt_since"], s["training_level"], s["recipient_category"]),
                         ("2020-02-01", "college", "other_leader"))
        r = self.call("PATCH", f"/v1/staff/{s['id']}", token=self.token("A", "admin"),
                      body={"tdkt_since": None, "training_level": "university"},
                      headers={"If-Match": f'"{s["version"]}"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["tdkt_since"], r.json()["training_level"]),
                         (None, "university"))
        m = self.movement("A", "Phong trào khối", "regular", "2030-01-01", "2030-12-31",
                          launch_level="central", scope="national")
        self.assertEqual((m["launch_level"], m["scope"]), ("central", "national"))
        m = self.movement("A", "Phong trào đơn vị", "regular", "2030-01-01", "2030-12-31")
        self.assertEqual((m["launch_level"], m["scope"]), ("agency", "agency"))


if __name__ == "__main__":
    main()
