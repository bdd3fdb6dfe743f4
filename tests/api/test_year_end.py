"""The year-end review over HTTP (issue 11): the year's facts, the awards
ledger, the law as dated data and the eligibility engine's verdicts.

Each class gets its own database, service and the two seeded organisations
of identity.py (units R > C and S; the unit head leads R, the staff account
is Đặng Văn Đức of C).  People whose dates matter are created through the
API with the dates each case needs.
"""

import glob
import json
import os
import random
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from ballot_client import Member
from feed_check import check_atom, check_json_feed
from harness import EN, Locker, Service, main
from identity import KID, IdentityTest
from test_plans import TARGETS_2022

LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"


def tag():
    return uuid.uuid4().hex[:8]


class YearEndBase(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for org in ("A", "B"):
            for role in ("admin", "secretariat", "unit_head", "staff", "viewer", "leader"):
                cls.token(org, role)

    def post(self, path, body, role="secretariat", org="A", headers=None):
        return self.call("POST", path, token=self.token(org, role), body=body, headers=headers)

    def put(self, path, body, role="secretariat", org="A"):
        return self.call("PUT", path, token=self.token(org, role), body=body)

    def get(self, path, role="secretariat", org="A", headers=None):
        return self.call("GET", path, token=self.token(org, role), headers=headers)

    def person(self, start, gender="female", unit="C", org="A", **extra):
        """A new person of org's unit, recruited on start; their id."""
        body = {"unit_id": self.world[org].units[unit], "full_name": f"Nguyễn Thị {tag()}",
                "gender": gender, "employment_type": "civil_servant", "start_date": start}
        body.update(extra)
        r = self.post("/v1/staff", body, role="admin", org=org)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def rate(self, sid, year, rating, disciplined=False, org="A"):
        body = {"rating": rating, "rated_on": f"{year}-12-16",
                "source_document": f"Quyết định số {tag()}/QĐ-BQLKKT"}
        if disciplined is not None:
            body["disciplined"] = disciplined
        r = self.put(f"/v1/staff/{sid}/ratings/{year}", body, org=org)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def register(self, sid, year, title=LDTT, org="A", status="accepted"):
        """Enters sid for title in their unit's registration for org's plan of the
        year (made, issued, when absent), with that status; the registration id."""
        o = self.world[org]
        plan = self.sql(f"SELECT id FROM plans WHERE organization_id = {o.id} AND year = {year} "
                        "AND symbol = 'KH-DK'")
        if not plan:
            plan = self.sql(
                "INSERT INTO plans (organization_id, year, number, symbol, issued_on, title, "
                f"period_start, period_end, status) VALUES ({o.id}, {year}, '1', 'KH-DK', "
                f"'{year}-01-05', 'Kế hoạch {year}', '{year}-01-01', '{year}-12-31', 'issued') "
                "RETURNING id")
        unit = self.sql(f"SELECT unit_id FROM staff WHERE id = {sid}")
        reg = self.sql(f"SELECT id FROM registrations WHERE plan_id = {plan} AND unit_id = {unit}")
        if not reg:
            reason = "'Quá tỷ lệ'" if status == "returned" else "NULL"
            reg = self.sql("INSERT INTO registrations (organization_id, plan_id, unit_id, status, "
                           f"return_reason) VALUES ({o.id}, {plan}, {unit}, '{status}', {reason}) "
                           "RETURNING id")
        self.sql("INSERT INTO registration_entries (organization_id, registration_id, staff_id, "
                 f"title_code) VALUES ({o.id}, {reg}, {sid}, '{title}')")
        return reg

    def award(self, sid, code, year, **extra):
        body = {"award_code": code, "subject_kind": "staff", "staff_id": sid, "year": year,
                "decision_number": f"{tag()}/QĐ-BQLKKT", "decision_date": f"{year}-12-28"}
        body.update(extra)
        return self.post("/v1/awards", body)

    def verdict(self, sid, year, title, on=None, role="secretariat", headers=None):
        q = f"?year={year}&title={title}" + (f"&on={on}" if on else "")
        r = self.get(f"/v1/staff/{sid}/eligibility{q}", role=role, headers=headers)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(len(doc["verdicts"]), 1, doc)
        return doc, doc["verdicts"][0]

    def checks(self, v, depth=0):
        return {c["code"]: c for c in v["checks"] if c["depth"] == depth}


class FactsTest(YearEndBase):

    def test_rating_put_read_and_audit(self):
        sid = self.person("2015-01-01")
        doc = self.rate(sid, 2022, "excellent")
        self.assertEqual((doc["rating"], doc["disciplined"], doc["version"]),
                         ("excellent", False, 1))
        doc = self.rate(sid, 2022, "good", disciplined=None)
        self.assertEqual((doc["rating"], doc["disciplined"], doc["version"]), ("good", None, 2))
        facts = self.get(f"/v1/staff/{sid}/facts?year=2022").json()
        self.assertEqual([(y["year"], y["rating"]) for y in facts["years"]], [(2022, "good")])
        self.assertEqual(self.count("audit_log", f"action = 'staff_rating.put' AND "
                                                 f"entity_id = '{sid}'"), 2)

    def test_who_may_write_and_read(self):
        sid = self.person("2015-01-01", unit="C")
        body = {"rating": "good", "rated_on": "2022-12-16", "source_document": "QĐ 1"}
        for role in ("unit_head", "staff", "viewer", "leader"):
            with self.subTest(role=role):
                r = self.put(f"/v1/staff/{sid}/ratings/2022", body, role=role)
                self.assertProblem(r, 403, "forbidden")
        self.assertEqual(self.count("staff_evaluations", f"staff_id = {sid}"), 0)
        # another organisation's Office does not see the person
        r = self.put(f"/v1/staff/{sid}/ratings/2022", body, org="B")
        self.assertProblem(r, 404, "not-found")
        # the unit head of R reads C's people, not S's; staff only themselves
        s_person = self.person("2015-01-01", unit="S")
        self.assertEqual(self.get(f"/v1/staff/{sid}/facts", role="unit_head").status, 200)
        self.assertEqual(self.get(f"/v1/staff/{s_person}/facts", role="unit_head").status, 404)
        own = self.world["A"].staff["Đặng Văn Đức"]
        self.assertEqual(self.get(f"/v1/staff/{own}/facts", role="staff").status, 200)
        self.assertEqual(self.get(f"/v1/staff/{sid}/facts", role="staff").status, 404)

    def test_bad_input_names_the_field(self):
        sid = self.person("2015-01-01")
        cases = [
            (f"/v1/staff/{sid}/ratings/2022", "PUT",
             {"rating": "great", "rated_on": "2022-12-16", "source_document": "x"}, "/rating"),
            (f"/v1/staff/{sid}/ratings/2022", "PUT",
             {"rating": "good", "rated_on": "2022-02-30", "source_document": "x"}, "/rated_on"),
            (f"/v1/staff/{sid}/ratings/2022", "PUT",
             {"rating": "good", "rated_on": "2022-12-16", "source_document": "x",
              "score": 9}, "/score"),
            (f"/v1/staff/{sid}/disciplines", "POST",
             {"form": "warning", "decision_number": "1/QĐ", "decided_on": "2022-03-01",
              "in_force_from": "2022-03-01", "in_force_until": "2022-02-01"},
             "/in_force_until"),
            (f"/v1/staff/{sid}/disciplines", "POST",
             {"form": "caution", "decision_number": "1/QĐ", "decided_on": "2022-03-01",
              "in_force_from": "2022-03-01"}, "/form"),
            (f"/v1/staff/{sid}/leaves", "POST",
             {"kind": "holiday", "from": "2022-03-01", "until": "2022-04-01"}, "/kind"),
            (f"/v1/staff/{sid}/cases", "POST",
             {"kind": "complaint", "opened_on": "2022-03-01", "closed_on": "2022-01-01"},
             "/closed_on"),
        ]
        for path, method, body, pointer in cases:
            with self.subTest(path=path, pointer=pointer):
                r = self.call(method, path, token=self.token("A", "secretariat"), body=body)
                # an unknown member is a malformed request (400), a bad value
                # a validation failure (422): both name the member
                status = 400 if pointer == "/score" else 422
                doc = self.assertProblem(r, status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]], doc)
        for table in ("staff_evaluations", "staff_disciplines", "staff_leaves", "staff_cases"):
            self.assertEqual(self.count(table, f"staff_id = {sid}"), 0, table)
        # a year outside 2000..2100 names nothing
        r = self.put(f"/v1/staff/{sid}/ratings/1999",
                     {"rating": "good", "rated_on": "1999-12-16", "source_document": "x"})
        self.assertProblem(r, 404, "not-found")

    def test_case_closes_once_and_not_before_it_opened(self):
        sid = self.person("2015-01-01")
        r = self.post(f"/v1/staff/{sid}/cases",
                      {"kind": "complaint", "opened_on": "2024-03-01", "reference": "Đơn 12"})
        self.assertEqual(r.status, 201, r)
        cid = r.json()["id"]
        r = self.post(f"/v1/cases/{cid}/close", {"closed_on": "2024-02-01"})
        doc = self.assertProblem(r, 422, "validation")
        self.assertEqual(doc["errors"][0]["pointer"], "/closed_on")
        r = self.post(f"/v1/cases/{cid}/close", {"closed_on": "2024-05-01"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["closed_on"], "2024-05-01")
        self.assertEqual(self.post(f"/v1/cases/{cid}/close", {"closed_on": "2024-06-01"},
                                   org="B").status, 404)
        # closed once
        r = self.post(f"/v1/cases/{cid}/close", {"closed_on": "2024-06-01"})
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("2024-05-01", doc["detail"])

    def test_initiative_all_or_nothing_and_cited_once(self):
        a, b = self.person("2015-01-01"), self.person("2015-01-01")
        other = self.world["B"].staff["Võ Thị Lan"]
        body = {"kind": "initiative", "title": "Số hóa hồ sơ thi đua", "level": "base",
                "recognised_by": "Hội đồng sáng kiến Ban Quản lý Khu kinh tế",
                "decision_number": "12/QĐ-HĐSK", "recognised_on": "2024-10-01",
                "staff_ids": [a, other]}
        before = self.count("initiatives")
        r = self.post("/v1/initiatives", body)
        doc = self.assertProblem(r, 422, "validation")
        self.assertEqual(doc["errors"][0]["pointer"], "/staff_ids", doc)
        self.assertEqual(self.count("initiatives"), before)
        body["staff_ids"] = [a]
        r = self.post("/v1/initiatives", body)
        self.assertEqual(r.status, 201, r)
        ini = r.json()["id"]
        self.assertEqual(r.json()["staff_ids"], [a])
        # b is not credited: refused, and nothing is written
        r = self.award(b, "giay_khen", 2024, initiative_ids=[ini])
        self.assertProblem(r, 422, "validation")
        self.assertEqual(self.count("awards", f"staff_id = {b}"), 0)
        r = self.award(a, CSTDCS, 2024, initiative_ids=[ini])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["initiative_ids"], [ini])
        # cited once only (Official letter 5007/BNV-TĐKT)
        r = self.award(a, "giay_khen", 2024, initiative_ids=[ini])
        self.assertProblem(r, 409, "conflict")
        self.assertEqual(self.count("awards", f"staff_id = {a}"), 0)


class PackedFactsTest(YearEndBase):
    """staff_facts (migration 0014) packs each person's facts for the checked
    lists, kept by triggers: after random writes — through the API and behind
    it, backdated, moved to another person, deleted, initiatives changed and
    cited, registrations entered, returned and sent again — every packed row
    equals a packing from scratch."""

    def mismatches(self):
        return self.sql(
            "SELECT count(*) FROM (SELECT s.organization_id, s.id, "
            "coalesce(f.facts, '') AS kept, staff_facts_pack(s.organization_id, s.id) AS fresh "
            "FROM staff s LEFT JOIN staff_facts f ON f.staff_id = s.id) x "
            "WHERE kept IS DISTINCT FROM fresh")

    def test_kept_equals_packed_from_scratch_after_random_writes(self):
        rng = random.Random(20261203)
        org = self.world["A"].id
        people = [self.person(f"{rng.randint(2005, 2020)}-0{rng.randint(1, 9)}-01")
                  for _ in range(6)]
        ratings = ["excellent", "good", "completed", "not_completed"]
        initiatives = []
        for step in range(60):
            sid = rng.choice(people)
            year = rng.randint(2016, 2025)
            op = rng.randrange(13)
            if op == 0:
                self.rate(sid, year, rng.choice(ratings), rng.choice([True, False, None]))
            elif op == 1:
                r = self.post(f"/v1/staff/{sid}/disciplines", {
                    "form": rng.choice(["reprimand", "warning"]),
                    "decision_number": f"{tag()}/QĐ-KL", "decided_on": f"{year}-03-01",
                    "in_force_from": f"{year}-03-01",
                    **({"in_force_until": f"{year + 1}-02-28"} if rng.random() < 0.7 else {})})
                self.assertEqual(r.status, 201, r)
            elif op == 2:
                r = self.post(f"/v1/staff/{sid}/leaves", {
                    "kind": rng.choice(["maternity", "sickness", "unpaid"]),
                    "from": f"{year}-02-01", "until": f"{year}-0{rng.randint(3, 9)}-28"})
                self.assertEqual(r.status, 201, r)
            elif op == 3:
                r = self.post(f"/v1/staff/{sid}/cases", {
                    "kind": "complaint", "opened_on": f"{year}-10-01"})
                self.assertEqual(r.status, 201, r)
            elif op == 4:
                credited = rng.sample(people, rng.randint(1, 3))
                r = self.post("/v1/initiatives", {
                    "kind": rng.choice(["initiative", "research"]), "title": f"Sáng kiến {tag()}",
                    "level": "base", "recognised_by": "Hội đồng sáng kiến",
                    "decision_number": f"{tag()}/QĐ-HĐSK", "recognised_on": f"{year}-06-01",
                    "staff_ids": credited})
                self.assertEqual(r.status, 201, r)
                initiatives.append((r.json()["id"], credited))
            elif op == 5 and initiatives:
                # cited by an award: "used" for everyone credited
                ini, credited = rng.choice(initiatives)
                self.award(credited[0], "giay_khen", year, initiative_ids=[ini])
            elif op == 6:
                self.award(sid, rng.choice([LDTT, CSTDCS]), year)
            elif op == 7 and initiatives:
                ini, _ = rng.choice(initiatives)
                self.sql(f"UPDATE initiatives SET level = 'province', recognised_on = "
                         f"'{year}-07-01' WHERE id = {ini}")
            elif op == 8:
                # a fact moved to another person, behind the API
                other = rng.choice(people)
                self.sql(f"UPDATE staff_leaves SET staff_id = {other} WHERE id = (SELECT min(id) "
                         f"FROM staff_leaves WHERE organization_id = {org} AND staff_id = {sid})")
            elif op == 9:
                table = rng.choice(["staff_evaluations", "staff_disciplines", "staff_cases",
                                    "awards", "staff_titles"])
                self.sql(f"DELETE FROM {table} WHERE organization_id = {org} AND staff_id = {sid}")
            elif op == 11:
                taken = self.sql(
                    "SELECT 1 FROM registration_entries e JOIN registrations g ON "
                    "g.id = e.registration_id JOIN plans p ON p.id = g.plan_id "
                    f"WHERE e.staff_id = {sid} AND p.year = {year} AND p.symbol = 'KH-DK'")
                if not taken:
                    self.register(sid, year, rng.choice([LDTT, CSTDCS]))
            elif op == 12:
                # a registration returned, or sent again: its entries count or not
                self.sql("UPDATE registrations SET status = CASE status WHEN 'returned' THEN "
                         "'submitted' ELSE 'returned' END, return_reason = CASE status WHEN "
                         "'returned' THEN NULL ELSE 'Quá tỷ lệ' END WHERE id = (SELECT min(id) "
                         f"FROM registrations WHERE organization_id = {org} AND plan_id IN "
                         f"(SELECT id FROM plans WHERE year = {year}))")
            else:
                self.sql(f"INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                         f"decision_number, decision_date) VALUES ({org}, {sid}, {year}, "
                         f"'{LDTT}', '{tag()}/QĐ', '{year}-12-20') ON CONFLICT DO NOTHING")
            if step % 10 == 9:
                self.assertEqual(self.mismatches(), "0", f"after step {step}")
        self.assertEqual(self.mismatches(), "0")
        # and the packing is not empty: the test saw facts of every kind
        kinds = self.sql("SELECT string_agg(DISTINCT left(line, 1), '' ORDER BY left(line, 1)) "
                         "FROM staff_facts, regexp_split_to_table(facts, E'\\n') line "
                         f"WHERE organization_id = {org} AND line <> ''")
        for kind in "acdgilr":
            self.assertIn(kind, kinds)


class RatingsImportTest(YearEndBase):

    def upload(self, text, role="secretariat", org="A"):
        return self.call("POST", "/v1/ratings/import", token=self.token(org, role),
                         body=text.encode(), headers={"Content-Type": "text/csv"})

    def test_all_rows_or_none_errors_by_line_and_column(self):
        a, b = self.person("2015-01-01"), self.person("2015-01-01")
        other = self.world["B"].staff["Võ Thị Lan"]
        head = "staff_id,year,rating,rated_on,source_document,disciplined\r\n"
        bad = (head + f"{a},2024,Hoàn thành tốt nhiệm vụ,2024-12-16,QĐ 208,không\r\n"
               f"{b},2024,Xuất sắc,2024-12-16,QĐ 208,\r\n"
               f"{other},2024,good,2024-12-16,QĐ 208,\r\n"
               f"{a},2024,good,2024-13-01,QĐ 208,có lẽ\r\n")
        r = self.upload(bad)
        doc = self.assertProblem(r, 422, "validation")
        cells = {(e["line"], e["column"]) for e in doc["errors"]}
        self.assertEqual(cells, {(3, 3), (4, 1), (5, 2), (5, 4), (5, 6)}, doc)
        self.assertEqual(self.count("staff_evaluations", f"staff_id IN ({a}, {b})"), 0)
        good = (head + f"{a},2024,Hoàn thành tốt nhiệm vụ,2024-12-16,QĐ 208,không\r\n"
                f"{b},2024,excellent,2024-12-16,QĐ 208,\r\n")
        r = self.upload(good)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["imported"], 2)
        facts = self.get(f"/v1/staff/{a}/facts?year=2024").json()["years"]
        self.assertEqual((facts[0]["rating"], facts[0]["disciplined"]), ("good", False))
        facts = self.get(f"/v1/staff/{b}/facts?year=2024").json()["years"]
        self.assertEqual((facts[0]["rating"], facts[0]["disciplined"]), ("excellent", None))
        self.assertEqual(self.count("audit_log", "action = 'staff_rating.import'"), 1)
        # a second file replaces
        r = self.upload(head + f"{b},2024,good,2024-12-20,QĐ 210,có\r\n")
        self.assertEqual(r.status, 201, r)
        facts = self.get(f"/v1/staff/{b}/facts?year=2024").json()["years"]
        self.assertEqual((facts[0]["rating"], facts[0]["disciplined"]), ("good", True))

    def test_the_file_itself_and_who_may_send_it(self):
        self.assertProblem(self.upload("staff_id,year\r\n1,2024\r\n"), 422, "invalid-csv")
        r = self.call("POST", "/v1/ratings/import", token=self.token("A", "secretariat"),
                      body=b"{}", headers={"Content-Type": "application/json"})
        self.assertProblem(r, 415)
        for role in ("unit_head", "staff", "viewer", "leader"):
            self.assertProblem(self.upload("staff_id\r\n1\r\n", role=role), 403, "forbidden")


class LedgerTest(YearEndBase):

    def test_awards_ledger_and_its_readers(self):
        c_person = self.person("2015-01-01", unit="C")
        s_person = self.person("2015-01-01", unit="S")
        for sid in (c_person, s_person):
            self.assertEqual(self.award(sid, LDTT, 2023).status, 201)
        r = self.award(c_person, LDTT, 2023)
        self.assertProblem(r, 409, "conflict")
        r = self.post("/v1/awards", {"award_code": "tap_the_lao_dong_tien_tien",
                                     "subject_kind": "unit", "unit_id": self.world["A"].units["C"],
                                     "year": 2023, "decision_number": "9/QĐ",
                                     "decision_date": "2023-12-28"})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.json()["id"].startswith("award-"))
        # a collective title is not a person's; an unknown code is named
        r = self.award(c_person, "tap_the_lao_dong_tien_tien", 2023)
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/subject_kind")
        r = self.award(c_person, "huan_chuong", 2023)
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/award_code")
        # the Office sees all, the head of R sees R and C, not S
        every = self.get("/v1/awards?year=2023").json()["items"]
        self.assertTrue({c_person, s_person} <= {i["staff_id"] for i in every})
        head = self.get("/v1/awards?year=2023", role="unit_head").json()["items"]
        ids = {i["staff_id"] for i in head}
        self.assertIn(c_person, ids)
        self.assertNotIn(s_person, ids)
        self.assertIn(self.world["A"].units["C"], {i["unit_id"] for i in head})
        # staff read their own ledger only
        own = self.world["A"].staff["Đặng Văn Đức"]
        self.assertEqual(self.award(own, "giay_khen", 2023).status, 201)
        mine = self.get("/v1/me/awards", role="staff").json()["items"]
        self.assertEqual({i["staff_id"] for i in mine}, {own})
        listed = self.get("/v1/awards", role="staff").json()["items"]
        self.assertEqual({i["staff_id"] for i in listed}, {own})
        # another organisation sees none of it
        self.assertEqual(self.get("/v1/awards?year=2023", org="B").json()["items"], [])
        for role in ("unit_head", "staff", "viewer"):
            r = self.call("POST", "/v1/awards", token=self.token("A", role),
                          body={"award_code": "giay_khen"})
            self.assertProblem(r, 403, "forbidden")


class RuleSetsTest(YearEndBase):

    def test_the_set_in_force_by_the_dossier_date(self):
        want = [("2022-12-31", "nd91_2017"), ("2023-12-31", "nd91_2017"),
                ("2024-01-01", "nd98_2023"), ("2025-06-30", "nd98_2023"),
                ("2025-07-01", "nd152_2025"), ("2026-09-30", "nd152_2025"),
                ("2026-10-01", "luat06_2026")]
        for on, code in want:
            with self.subTest(on=on):
                r = self.get(f"/v1/rule-sets?on={on}", role="staff")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json()["in_force"], code)
        self.assertIsNone(self.get("/v1/rule-sets?on=2010-01-01").json()["in_force"])
        r = self.get("/v1/rule-sets?on=2022-13-01")
        self.assertEqual(self.assertProblem(r, 400)["errors"][0]["pointer"], "/query/on")

    def test_rules_carry_their_sources_and_copies_inherit(self):
        doc = self.get("/v1/rule-sets/luat06_2026").json()
        self.assertEqual((doc["status"], doc["copies"]), ("placeholder", "nd152_2025"))
        self.assertTrue(doc["rules"])
        for rule in doc["rules"]:
            self.assertEqual(rule["defined_in"], "nd152_2025")
            self.assertTrue(rule["source"]["document"])
            self.assertIn(rule["source"]["mark"], ("primary", "secondary", "unconfirmed"))
            self.assertEqual(rule["configurable"], rule["source"]["mark"] == "unconfirmed")
        nd91 = self.get("/v1/rule-sets/nd91_2017").json()["rules"]
        bars = {(r["title"], r["kind"]): r["params"] for r in nd91}
        self.assertEqual(bars[(LDTT, "min_service_months")], {"months": 10})
        self.assertEqual(bars[(CSTDCS, "quota")]["percent"], 15)
        nd98 = {(r["title"], r["kind"]): r["params"]
                for r in self.get("/v1/rule-sets/nd98_2023").json()["rules"]}
        self.assertEqual(nd98[(LDTT, "min_service_months")], {"months": 6})
        self.assertNotIn((CSTDCS, "quota"), nd98)
        self.assertEqual(self.get("/v1/rule-sets/nd00_1999").status, 404)
        self.assertEqual(self.get("/v1/rule-sets/ND91").status, 404)

    def test_every_stored_rule_loads_in_the_engine(self):
        # a verdict for every title of every set: a rule the engine refused
        # would answer 500
        sid = self.person("2010-01-01")
        for on in ("2023-06-01", "2024-06-01", "2025-08-01", "2026-11-01"):
            r = self.get(f"/v1/staff/{sid}/eligibility?year={on[:4]}&on={on}")
            self.assertEqual(r.status, 200, r)
            self.assertGreaterEqual(len(r.json()["verdicts"]), 3)


class EligibilityTest(YearEndBase):

    def test_service_bar_10_months_under_decree_91_and_6_under_decree_98(self):
        cases = [("2022-03-01", 2022, "met"), ("2022-03-02", 2022, "failed"),
                 ("2024-07-01", 2024, "met"), ("2024-07-02", 2024, "failed")]
        for start, year, outcome in cases:
            with self.subTest(start=start):
                sid = self.person(start)
                self.rate(sid, year, "good")
                if year == 2022:
                    self.register(sid, year)
                doc, v = self.verdict(sid, year, LDTT)
                check = [c for c in v["checks"] if c["kind"] == "min_service_months"][0]
                self.assertEqual(check["outcome"], outcome, check)
                self.assertEqual(doc["rule_set"]["code"],
                                 "nd91_2017" if year == 2022 else "nd98_2023")
                self.assertEqual(v["verdict"], "eligible" if outcome == "met" else "not_eligible")
                self.assertTrue(check["source"]["document"])

    def test_no_registration_no_title_under_the_old_law_only(self):
        # Law 2003 Art. 10.1.b, in Decree 91's set: registered for the title, or
        # for CSTĐCS which needs it, in a registration sent and not returned
        sid = self.person("2015-01-01")
        self.rate(sid, 2022, "good")
        _, v = self.verdict(sid, 2022, LDTT)
        check = [c for c in v["checks"] if c["kind"] == "registered"][0]
        self.assertEqual((v["verdict"], check["code"], check["outcome"]),
                         ("not_eligible", "not_registered", "failed"))
        self.assertEqual((check["source"]["document"], check["source"]["article"]),
                         ("Luật Thi đua, Khen thưởng 2003", "Điều 10"))
        self.assertIn("2022", check["message"])
        reg = self.register(sid, 2022, CSTDCS, status="returned")
        _, v = self.verdict(sid, 2022, LDTT)
        self.assertEqual(v["verdict"], "not_eligible")
        self.sql("UPDATE registrations SET status = 'submitted', return_reason = NULL "
                 f"WHERE id = {reg}")
        _, v = self.verdict(sid, 2022, LDTT)
        check = [c for c in v["checks"] if c["kind"] == "registered"][0]
        self.assertEqual((v["verdict"], check["code"], check["args"]["title"]),
                         ("eligible", "registered", CSTDCS))
        # Decree 98's set has no such rule: unregistered in 2024 is no bar
        other = self.person("2015-01-01")
        self.rate(other, 2024, "good")
        _, v = self.verdict(other, 2024, LDTT)
        self.assertEqual(v["verdict"], "eligible")
        self.assertFalse([c for c in v["checks"] if c["kind"] == "registered"])

    def test_no_discipline_record_is_never_compliance(self):
        sid = self.person("2015-01-01")
        self.rate(sid, 2024, "good", disciplined=None)
        _, v = self.verdict(sid, 2024, LDTT)
        self.assertEqual(v["verdict"], "undetermined")
        self.assertEqual(self.checks(v)["discipline_unknown"]["outcome"], "unknown")
        self.rate(sid, 2024, "good", disciplined=False)
        self.assertEqual(self.verdict(sid, 2024, LDTT)[1]["verdict"], "eligible")

    def test_discipline_ending_31_december_bars_that_year(self):
        sid = self.person("2015-01-01")
        self.rate(sid, 2024, "good")
        r = self.post(f"/v1/staff/{sid}/disciplines",
                      {"form": "reprimand", "decision_number": "3/QĐ-KL",
                       "decided_on": "2024-01-05", "in_force_from": "2024-01-05",
                       "in_force_until": "2024-12-31"})
        self.assertEqual(r.status, 201, r)
        _, v = self.verdict(sid, 2024, LDTT)
        self.assertEqual(v["verdict"], "not_eligible")
        self.assertEqual(self.checks(v)["discipline_in_force"]["args"]["form"], "reprimand")
        # the next year it is no longer in force
        self.rate(sid, 2025, "good")
        _, v = self.verdict(sid, 2025, LDTT, on="2025-12-31")
        self.assertIn("discipline_clear", self.checks(v))

    def test_maternity_leave_counts_as_work_unpaid_leave_does_not(self):
        for kind, verdict in (("maternity", "eligible"), ("unpaid", "not_eligible")):
            with self.subTest(kind=kind):
                sid = self.person("2015-01-01")
                self.rate(sid, 2024, "good")
                r = self.post(f"/v1/staff/{sid}/leaves",
                              {"kind": kind, "from": "2024-03-01", "until": "2024-08-31"})
                self.assertEqual(r.status, 201, r)
                _, v = self.verdict(sid, 2024, LDTT)
                self.assertEqual(v["verdict"], verdict, v)

    def test_a_pending_complaint_blocks_until_closed(self):
        sid = self.person("2015-01-01")
        self.rate(sid, 2024, "good")
        cid = self.post(f"/v1/staff/{sid}/cases",
                        {"kind": "complaint", "opened_on": "2024-11-01"}).json()["id"]
        _, v = self.verdict(sid, 2024, LDTT)
        self.assertEqual(v["verdict"], "not_eligible")
        self.assertEqual(self.checks(v)["case_pending"]["args"]["kind"], "complaint")
        self.assertEqual(self.post(f"/v1/cases/{cid}/close",
                                   {"closed_on": "2024-12-20"}).status, 200)
        self.assertEqual(self.verdict(sid, 2024, LDTT)[1]["verdict"], "eligible")
        # a dossier dated while it was open still meets it
        self.assertEqual(self.verdict(sid, 2024, LDTT, on="2024-12-01")[1]["verdict"],
                         "not_eligible")

    def test_grassroots_fighter_old_needs_an_initiative_new_an_excellent_rating(self):
        sid = self.person("2015-01-01")
        self.rate(sid, 2023, "excellent")
        self.rate(sid, 2024, "excellent")
        _, v = self.verdict(sid, 2023, CSTDCS)
        self.assertEqual(v["verdict"], "not_eligible")
        self.assertIn("initiative_missing", self.checks(v))
        _, v = self.verdict(sid, 2024, CSTDCS)
        self.assertEqual(v["verdict"], "eligible", v)
        self.assertIn("any_met", self.checks(v))
        # the LĐTT conditions are listed under the requirement, one level down
        self.assertTrue([c for c in v["checks"] if c["depth"] == 1])

    def test_consecutive_years_with_a_gap(self):
        sid = self.person("2015-01-01")
        for year in (2023, 2024, 2025):
            self.rate(sid, year, "excellent")
        self.assertEqual(self.award(sid, CSTDCS, 2023).status, 201)
        _, v = self.verdict(sid, 2025, CSTD_TINH, on="2025-12-31")
        self.assertEqual(v["verdict"], "not_eligible")
        broken = self.checks(v)["run_broken"]
        self.assertEqual((broken["args"]["year"], broken["args"]["years"]), (2024, 3))

    def test_reasons_in_english_on_request(self):
        sid = self.person("2022-06-01")
        self.rate(sid, 2022, "good")
        _, vi = self.verdict(sid, 2022, LDTT)
        _, en = self.verdict(sid, 2022, LDTT, headers=EN)
        msg_vi = self.checks(vi)["service_short"]["message"]
        msg_en = self.checks(en)["service_short"]["message"]
        self.assertIn("7", msg_en)
        self.assertIn("In service only 7 months", msg_en)
        self.assertNotEqual(msg_vi, msg_en)
        self.assertEqual(en["title_name"], "Advanced worker")
        self.assertEqual(vi["title_name"], "Lao động tiên tiến")

    def test_a_future_rule_set_changes_verdicts_on_its_date(self):
        """The next amendment is data: a (fictitious) set from 01/03/2027 that
        raises the service bar to 12 months changes the verdict that day."""
        self.sql("INSERT INTO rule_sets (code, name_vi, name_en, valid_from, copies, status) "
                 "VALUES ('gia_dinh_2027', 'Bộ quy tắc giả định 2027', 'Fictitious 2027 set', "
                 "'2027-03-01', 'luat06_2026', 'placeholder');"
                 "INSERT INTO rules (rule_set, award_code, kind, position, params, "
                 "source_document, mark) VALUES ('gia_dinh_2027', 'lao_dong_tien_tien', "
                 "'min_service_months', 2, '{\"months\": 12}', 'Văn bản giả định', "
                 "'unconfirmed')")
        try:
            sid = self.person("2026-02-01")
            self.rate(sid, 2026, "good")
            before, v1 = self.verdict(sid, 2026, LDTT, on="2027-02-28")
            after, v2 = self.verdict(sid, 2026, LDTT, on="2027-03-01")
            self.assertEqual(before["rule_set"]["code"], "luat06_2026")
            self.assertEqual(after["rule_set"]["code"], "gia_dinh_2027")
            self.assertEqual(v1["verdict"], "eligible")
            self.assertEqual(v2["verdict"], "not_eligible")
            self.assertEqual(self.checks(v2)["service_short"]["args"]["required"], 12)
        finally:
            self.sql("DELETE FROM rule_sets WHERE code = 'gia_dinh_2027'")

    def test_an_organisation_layers_its_own_rules(self):
        org_a = self.world["A"].id
        self.sql("INSERT INTO rule_sets (code, organization_id, name_vi, name_en, valid_from, "
                 f"valid_until, copies) VALUES ('gialai_2024', {org_a}, 'Quy định của tỉnh', "
                 "'Provincial rules', '2024-01-01', '2025-06-30', 'nd98_2023');"
                 "INSERT INTO rules (rule_set, award_code, kind, position, params, "
                 "source_document, mark) VALUES ('gialai_2024', 'lao_dong_tien_tien', "
                 "'min_service_months', 2, '{\"months\": 9}', 'Quyết định của UBND tỉnh', "
                 "'unconfirmed')")
        try:
            self.assertEqual(self.get("/v1/rule-sets?on=2024-06-01").json()["in_force"],
                             "gialai_2024")
            self.assertEqual(self.get("/v1/rule-sets?on=2024-06-01", org="B").json()["in_force"],
                             "nd98_2023")
            codes = {s["code"] for s in self.get("/v1/rule-sets", org="B").json()["items"]}
            self.assertNotIn("gialai_2024", codes)
            self.assertEqual(self.get("/v1/rule-sets/gialai_2024", org="B").status, 404)
            sid = self.person("2024-05-01")
            self.rate(sid, 2024, "good")
            _, v = self.verdict(sid, 2024, LDTT)
            self.assertEqual(self.checks(v)["service_short"]["args"]["required"], 9)
        finally:
            self.sql("DELETE FROM rule_sets WHERE code = 'gialai_2024'")

    def test_scope_and_bad_queries(self):
        c_person = self.person("2015-01-01", unit="C")
        s_person = self.person("2015-01-01", unit="S")
        own = self.world["A"].staff["Đặng Văn Đức"]
        path = "/v1/staff/{}/eligibility?year=2024"
        self.assertEqual(self.get(path.format(own), role="staff").status, 200)
        self.assertEqual(self.get(path.format(c_person), role="staff").status, 404)
        self.assertEqual(self.get(path.format(c_person), role="unit_head").status, 200)
        self.assertEqual(self.get(path.format(s_person), role="unit_head").status, 404)
        self.assertEqual(self.get(path.format(c_person), org="B").status, 404)
        for q, pointer in (("title=LDTT", "/query/title"),
                           ("title=tap_the_lao_dong_tien_tien", "/query/title"),
                           ("on=2024-02-30", "/query/on"), ("year=1999", "/query/year")):
            with self.subTest(q=q):
                r = self.get(f"/v1/staff/{c_person}/eligibility?{q}")
                self.assertEqual(self.assertProblem(r, 400)["errors"][0]["pointer"], pointer)
        r = self.get(f"/v1/staff/{c_person}/eligibility?year=2012&on=2012-12-31")
        self.assertProblem(r, 409, "no-rule-set")

    def test_every_title_when_none_is_asked(self):
        sid = self.person("2015-01-01")
        self.rate(sid, 2022, "good")
        r = self.get(f"/v1/staff/{sid}/eligibility?year=2022")
        doc = r.json()
        self.assertEqual((doc["basis"], doc["on"]), ("year_end", "2022-12-31"))
        titles = [v["title"] for v in doc["verdicts"]]
        self.assertIn(LDTT, titles)
        self.assertIn(CSTDCS, titles)
        self.assertNotIn("tap_the_lao_dong_tien_tien", titles)


class CollectiveTest(YearEndBase):

    def unit_with(self, ratings, year):
        """A new unit whose members are rated as listed (None: not rated);
        its id and the members' ids."""
        t = tag()
        r = self.post("/v1/units", {"code": f"U-{t}", "name": f"Phòng {t}", "kind": "department",
                                    "parent_id": self.world["A"].units["S"]}, role="admin")
        self.assertEqual(r.status, 201, r)
        uid = r.json()["id"]
        ids = []
        for rating in ratings:
            sid = self.person("2015-01-01", unit=None, unit_id=uid)
            if rating:
                self.rate(sid, year, rating)
            ids.append(sid)
        return uid, ids

    def person(self, start, gender="female", unit="C", org="A", unit_id=None, **extra):
        if unit_id is None:
            return super().person(start, gender, unit, org, **extra)
        body = {"unit_id": unit_id, "full_name": f"Trần Văn {tag()}", "gender": gender,
                "employment_type": "civil_servant", "start_date": start}
        r = self.post("/v1/staff", body, role="admin", org=org)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def collective_rating(self, uid, year, rating):
        r = self.post("/v1/collective-ratings", {
            "year": year, "subject_kind": "unit", "subject_name": f"Đơn vị {uid}",
            "unit_id": uid, "rating": rating, "rated_on": f"{year}-12-20",
            "source_document": "Quyết định xếp loại tập thể"})
        self.assertEqual(r.status, 201, r)

    def unit_verdict(self, uid, year, title="tap_the_lao_dong_tien_tien", role="secretariat"):
        r = self.get(f"/v1/units/{uid}/eligibility?year={year}&title={title}", role=role)
        self.assertEqual(r.status, 200, r)
        return r.json(), r.json()["verdicts"][0]

    def test_seventy_percent_under_the_new_law(self):
        uid, _ = self.unit_with(["good"] * 7 + ["completed"] * 3, 2024)
        self.collective_rating(uid, 2024, "good")
        doc, v = self.unit_verdict(uid, 2024)
        self.assertEqual(doc["members"], 10)
        self.assertEqual(v["verdict"], "eligible", v)
        share = self.checks(v)["share_met"]
        self.assertEqual((share["args"]["count"], share["args"]["members"]), (7, 10))

    def test_exactly_half_is_not_more_than_half_under_the_old_law(self):
        uid, _ = self.unit_with(["good"] * 5 + ["not_completed"] * 5, 2023)
        self.collective_rating(uid, 2023, "good")
        _, v = self.unit_verdict(uid, 2023)
        self.assertEqual(v["verdict"], "not_eligible")
        below = self.checks(v)["share_below"]
        self.assertEqual(below["args"]["percent_centi"], 5000)
        # exactly half is not "more than half": the sentence says so
        self.assertIn("trên 50%", below["message"])

    def test_no_registration_no_collective_title_under_the_old_law(self):
        ttldtt = "tap_the_lao_dong_tien_tien"
        uid, ids = self.unit_with(["good"] * 4, 2023)
        self.collective_rating(uid, 2023, "good")
        _, v = self.unit_verdict(uid, 2023)
        self.assertEqual(v["verdict"], "not_eligible")
        check = [c for c in v["checks"] if c["kind"] == "registered"][0]
        self.assertEqual((check["code"], check["args"]["title"], check["source"]["article"]),
                         ("not_registered", ttldtt, "Điều 10"))
        # the unit's registration names the title: sent and not returned, it counts
        reg = self.register(ids[0], 2023, LDTT, status="returned")
        self.sql(f"UPDATE registrations SET collective_titles = '{{{ttldtt}}}' WHERE id = {reg}")
        _, v = self.unit_verdict(uid, 2023)
        check = [c for c in v["checks"] if c["kind"] == "registered"][0]
        self.assertEqual(check["code"], "not_registered")
        self.sql(f"UPDATE registrations SET status = 'accepted', return_reason = NULL "
                 f"WHERE id = {reg}")
        _, v = self.unit_verdict(uid, 2023)
        check = [c for c in v["checks"] if c["kind"] == "registered"][0]
        self.assertEqual((check["code"], check["outcome"]), ("registered", "met"))
        # Decree 98's set has no such rule for collectives either
        uid2, _ = self.unit_with(["good"] * 4, 2024)
        _, v = self.unit_verdict(uid2, 2024)
        self.assertFalse([c for c in v["checks"] if c["kind"] == "registered"])

    def test_a_member_under_a_warning_bars_the_collective(self):
        uid, ids = self.unit_with(["good"] * 10, 2024)
        self.collective_rating(uid, 2024, "good")
        self.post(f"/v1/staff/{ids[0]}/disciplines",
                  {"form": "warning", "decision_number": "5/QĐ-KL", "decided_on": "2024-04-01",
                   "in_force_from": "2024-04-01", "in_force_until": "2025-03-31"})
        _, v = self.unit_verdict(uid, 2024)
        self.assertEqual(v["verdict"], "not_eligible")
        self.assertEqual(self.checks(v)["members_disciplined"]["args"]["count"], 1)

    def test_unrated_members_leave_it_undetermined_and_scope(self):
        uid, _ = self.unit_with(["good"] * 6 + [None] * 4, 2024)
        self.collective_rating(uid, 2024, "good")
        _, v = self.unit_verdict(uid, 2024)
        self.assertEqual(v["verdict"], "undetermined", v)
        # a unit of S is outside the head of R's subtree; staff see no unit
        r = self.get(f"/v1/units/{uid}/eligibility?year=2024", role="unit_head")
        self.assertProblem(r, 404)
        self.assertProblem(self.get(f"/v1/units/{uid}/eligibility?year=2024", role="staff"),
                           403, "forbidden")
        self.assertProblem(self.get(f"/v1/units/{uid}/eligibility?year=2024", org="B"), 404)
        r = self.get(f"/v1/units/{uid}/eligibility?year=2024&title={LDTT}")
        self.assertEqual(self.assertProblem(r, 400)["errors"][0]["pointer"], "/query/title")


class RoundsTest(YearEndBase):

    def round(self, year, deadline=None, dossier=None):
        body = {"year": year, "kind": "annual", "name": f"Bình xét thi đua năm {year}",
                "deadline": deadline or f"{year + 5}-12-15"}
        if dossier:
            body["dossier_date"] = dossier
        r = self.post("/v1/review-rounds", body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def nominate(self, rid, sid, title=LDTT, role="secretariat", **extra):
        body = {"award_code": title, "subject_kind": "staff", "staff_id": sid}
        body.update(extra)
        return self.post(f"/v1/review-rounds/{rid}/nominations", body, role=role)

    def listed(self, rid, role="secretariat", headers=None):
        r = self.get(f"/v1/review-rounds/{rid}/list", role=role, headers=headers)
        self.assertEqual(r.status, 200, r)
        return {g["title"]: g for g in r.json()["titles"]}, r

    def test_decree_91_quota_counted_floor_and_enforced(self):
        rid = self.round(2023, dossier="2023-12-20")
        people = []
        for i in range(7):
            sid = self.person("2015-01-01")
            self.rate(sid, 2023, "good")
            self.register(sid, 2023, CSTDCS if i < 2 else LDTT)
            self.assertEqual(self.nominate(rid, sid).status, 201)
            people.append(sid)
        noms = []
        for sid in people[:2]:
            ini = self.post("/v1/initiatives", {
                "kind": "initiative", "title": f"Sáng kiến {tag()}", "level": "base",
                "recognised_by": "Hội đồng sáng kiến", "decision_number": f"{tag()}/QĐ",
                "recognised_on": "2023-06-01", "staff_ids": [sid]})
            self.assertEqual(ini.status, 201, ini)
            r = self.nominate(rid, sid, CSTDCS)
            self.assertEqual(r.status, 201, r)
            noms.append(r.json()["id"])
        groups, _ = self.listed(rid)
        self.assertEqual(len(groups[LDTT]["candidates"]), 7)
        self.assertTrue(all(c["verdict"] == "eligible" for c in groups[LDTT]["candidates"]))
        quota = groups[CSTDCS]["quota"]
        # 15 % of 7 is 1.05: at most 1, rounded down (Decree 91 Art. 9.3)
        self.assertEqual((quota["base"], quota["ceiling"], quota["count"], quota["within"]),
                         (7, 1, 2, False))
        self.assertIn("15%", quota["calculation"])
        self.assertIsNone(groups[LDTT]["quota"])
        r = self.post(f"/v1/review-rounds/{rid}/submit", None)
        doc = self.assertProblem(r, 409, "quota-exceeded")
        self.assertIn("2", doc["detail"])
        self.assertIn("1", doc["detail"])
        self.assertEqual(self.get(f"/v1/review-rounds/{rid}").json()["status"], "open")
        r = self.call("DELETE", f"/v1/nominations/{noms[1]}", token=self.token("A", "secretariat"))
        self.assertEqual(r.status, 200, r)
        r = self.post(f"/v1/review-rounds/{rid}/submit", None)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "submitted")
        r = self.nominate(rid, self.person("2015-01-01"))
        self.assertProblem(r, 409, "round-submitted")
        self.assertEqual(self.count("audit_log", f"action = 'review_round.submit' "
                                                 f"AND entity_id = '{rid}'"), 1)

    def test_no_quota_under_decree_98_and_overrides_with_a_reason(self):
        rid = self.round(2024)
        sid = self.person("2015-01-01")
        self.rate(sid, 2024, "completed")
        nid = self.nominate(rid, sid).json()["id"]
        groups, _ = self.listed(rid)
        cand = groups[LDTT]["candidates"][0]
        self.assertEqual((cand["verdict"], cand["counts"]), ("not_eligible", False))
        self.assertIn("rating_below", [x["code"] for x in cand["reasons"]])
        self.assertProblem(self.post(f"/v1/review-rounds/{rid}/submit", None), 409,
                           "round-not-ready")
        self.assertProblem(self.post(f"/v1/nominations/{nid}/override",
                                     {"reason": "Hoàn thành xuất sắc nhiệm vụ đột xuất"},
                                     role="unit_head"), 403, "forbidden")
        r = self.post(f"/v1/nominations/{nid}/override", {"reason": "  "})
        self.assertProblem(r, 422)
        r = self.post(f"/v1/nominations/{nid}/override",
                      {"reason": "Hội đồng đề nghị xét lại kết quả xếp loại"})
        self.assertEqual(r.status, 200, r)
        groups, _ = self.listed(rid)
        cand = groups[LDTT]["candidates"][0]
        self.assertEqual(cand["verdict"], "not_eligible")  # the verdict stays visible
        self.assertEqual(cand["override"]["reason"], "Hội đồng đề nghị xét lại kết quả xếp loại")
        self.assertTrue(cand["counts"])
        self.assertEqual(self.post(f"/v1/review-rounds/{rid}/submit", None).status, 200)

    def test_who_nominates_whom_and_bad_input(self):
        rid = self.round(2024, deadline="2024-12-15")
        c_person = self.person("2015-01-01", unit="C")
        s_person = self.person("2015-01-01", unit="S")
        late = self.person("2025-03-01")
        # the deadline (15/12/2024) has passed today: a unit head is refused,
        # the Office may still add a late nomination
        r = self.nominate(rid, c_person, role="unit_head")
        self.assertProblem(r, 409, "round-deadline-passed")
        # nor withdraw one after it (the Office's late nomination stays)
        late_nid = self.nominate(rid, c_person).json()["id"]
        r = self.call("DELETE", f"/v1/nominations/{late_nid}", token=self.token("A", "unit_head"))
        self.assertProblem(r, 409, "round-deadline-passed")
        self.assertEqual(self.call("DELETE", f"/v1/nominations/{late_nid}",
                                   token=self.token("A", "secretariat")).status, 200)
        rid2 = self.round(2024)
        self.assertEqual(self.nominate(rid2, c_person, role="unit_head").status, 201)
        r = self.nominate(rid2, s_person, role="unit_head")
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/staff_id")
        self.assertEqual(self.nominate(rid, c_person).status, 201)
        self.assertProblem(self.nominate(rid, c_person), 409, "conflict")
        r = self.nominate(rid, c_person, title="danh_hieu_la")
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/award_code")
        r = self.nominate(rid, c_person, title="tap_the_lao_dong_tien_tien")
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/subject_kind")
        r = self.nominate(rid, late)
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/staff_id")
        r = self.nominate(rid, self.world["B"].staff["Võ Thị Lan"])
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/staff_id")
        for role in ("staff", "viewer", "leader", "council"):
            self.assertProblem(self.nominate(rid, c_person, role=role), 403, "forbidden")
        self.assertEqual(self.count("nominations", f"round_id IN ({rid}, {rid2}) "
                                                   "AND withdrawn_at IS NULL"), 2)
        r = self.post(f"/v1/review-rounds/{rid}/nominations",
                      {"award_code": LDTT, "subject_kind": "staff", "staff_id": c_person}, org="B")
        self.assertProblem(r, 404)

    def test_registrations_feed_nominations(self):
        # 2021 is no other test's year: its plan's registrations are these
        rid = self.round(2021, dossier="2021-12-20")
        ttldtt = "tap_the_lao_dong_tien_tien"
        p1, p2, p3 = (self.person("2015-01-01", unit="C") for _ in range(3))
        p4 = self.person("2015-01-01", unit="R")
        p5 = self.person("2015-01-01", unit="S")
        gone = self.person("2010-01-01", unit="C", status="left", left_on="2020-06-30")
        self.register(p1, 2021, CSTDCS)
        for sid in (p2, p3, gone):
            self.register(sid, 2021, LDTT)
        r_reg = self.register(p4, 2021, LDTT, status="submitted")
        s_reg = self.register(p5, 2021, LDTT)
        self.sql(f"UPDATE registrations SET collective_titles = '{{{ttldtt}}}' WHERE id = {r_reg}")
        self.assertEqual(self.nominate(rid, p2).status, 201)
        withdrawn = self.nominate(rid, p3).json()["id"]
        self.assertEqual(self.call("DELETE", f"/v1/nominations/{withdrawn}",
                                   token=self.token("A", "secretariat")).status, 200)
        path = f"/v1/review-rounds/{rid}/nominations/from-registrations"
        for role in ("staff", "viewer", "leader", "council"):
            self.assertProblem(self.post(path, None, role=role), 403, "forbidden")
        self.assertProblem(self.post(path, None, org="B"), 404)
        # the unit head: their subtree (R > C), not S; CSTĐCS brings the LĐTT
        # it requires (Decree 91 Art. 9.3 in the set); p2 nominated and p3
        # withdrawn stay as they are; who left before the year is not proposed
        r = self.post(path, None, role="unit_head")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        got = sorted((n["award_code"], n["staff_id"] or n["unit_id"]) for n in doc["items"])
        self.assertEqual(got, sorted([(CSTDCS, p1), (LDTT, p1), (LDTT, p4),
                                      (ttldtt, self.world["A"].units["R"])]))
        self.assertEqual((doc["round_id"], doc["created"], doc["skipped"]), (rid, 4, 2))
        self.assertTrue(all(n["nominated_by"].startswith("user:") for n in doc["items"]))
        self.assertEqual(self.count("audit_log", "action = 'nomination.create' AND entity_id IN ("
                                    + ",".join(f"'{n['id']}'" for n in doc["items"]) + ")"), 4)
        # a registration the Office returned proposes nobody
        self.sql(f"UPDATE registrations SET status = 'returned', return_reason = 'Sai mẫu' "
                 f"WHERE id = {s_reg}")
        doc = self.post(path, None).json()
        self.assertEqual((doc["created"], doc["skipped"], doc["items"]), (0, 6, []))
        self.sql(f"UPDATE registrations SET status = 'accepted', return_reason = NULL "
                 f"WHERE id = {s_reg}")
        doc = self.post(path, None).json()
        self.assertEqual([(n["award_code"], n["staff_id"]) for n in doc["items"]], [(LDTT, p5)])
        self.assertEqual(self.count("nominations", f"round_id = {rid} AND withdrawn_at IS NULL"), 6)
        groups, _ = self.listed(rid)
        self.assertEqual(len(groups[LDTT]["candidates"]), 4)
        # refusals as for one nomination, and none from an ad hoc round
        past = self.round(2021, deadline="2021-12-15", dossier="2021-12-20")
        self.assertProblem(self.post(f"/v1/review-rounds/{past}/nominations/from-registrations",
                                     None, role="unit_head"), 409, "round-deadline-passed")
        self.assertEqual(self.post(f"/v1/review-rounds/{past}/submit", None).status, 200)
        self.assertProblem(self.post(f"/v1/review-rounds/{past}/nominations/from-registrations",
                                     None), 409, "round-submitted")
        adhoc = self.post("/v1/review-rounds", {"year": 2021, "kind": "adhoc",
                                                "name": "Khen thưởng đột xuất",
                                                "deadline": "2030-12-15"}).json()["id"]
        self.assertProblem(self.post(f"/v1/review-rounds/{adhoc}/nominations/from-registrations",
                                     None), 409, "round-adhoc")

    def test_an_ad_hoc_round_proposes_forms_for_a_stated_achievement(self):
        rid = self.post("/v1/review-rounds", {"year": 2024, "kind": "adhoc",
                                              "name": "Khen thưởng đột xuất phòng chống bão",
                                              "deadline": "2030-12-15"}).json()["id"]
        sid = self.person("2015-01-01")
        r = self.nominate(rid, sid, LDTT, achievement="Cứu hộ trong bão số 13")
        doc = self.assertProblem(r, 422)
        self.assertEqual(doc["errors"][0]["pointer"], "/award_code")
        for empty in ({}, {"achievement": "   "}):
            r = self.nominate(rid, sid, "giay_khen", **empty)
            self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/achievement")
        r = self.nominate(rid, sid, "giay_khen", achievement="Cứu hộ trong bão số 13")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.count("nominations", f"round_id = {rid}"), 1)

    def test_a_round_no_rule_set_governs(self):
        rid = self.round(2012, deadline="2030-12-15", dossier="2012-12-20")
        self.assertEqual(self.nominate(rid, self.person("2005-01-01")).status, 201)
        self.assertProblem(self.get(f"/v1/review-rounds/{rid}/list"), 409, "no-rule-set")
        self.assertProblem(self.post(f"/v1/review-rounds/{rid}/submit", None), 409,
                           "no-rule-set")

    def test_people_see_their_own_nomination_and_the_list_changes_with_facts(self):
        rid = self.round(2024)
        own = self.world["A"].staff["Đặng Văn Đức"]
        other = self.person("2015-01-01")
        for sid in (own, other):
            self.assertEqual(self.nominate(rid, sid).status, 201)
        mine, _ = self.listed(rid, role="staff")
        self.assertEqual([c["staff_id"] for c in mine[LDTT]["candidates"]], [own])
        self.assertEqual(mine[LDTT]["candidates"][0]["verdict"], "undetermined")
        groups, r = self.listed(rid)
        etag = r.header("ETag")
        r = self.get(f"/v1/review-rounds/{rid}/list", headers={"If-None-Match": etag})
        self.assertEqual(r.status, 304)
        self.rate(other, 2024, "good")
        groups, r = self.listed(rid)
        self.assertNotEqual(r.header("ETag"), etag)
        verdicts = {c["staff_id"]: c["verdict"] for c in groups[LDTT]["candidates"]}
        self.assertEqual(verdicts[other], "eligible")


class DemoReviewTest(YearEndBase):
    """The demo's year-end of 2022 (db/seed/, as deploy/local/run.sh loads it):
    its round shows a refusal for each main reason, under Decree 91."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = dict(os.environ, PGDATABASE=cls.db)
        for path in sorted(glob.glob(os.path.join(os.environ.get("THIDUA_SOURCE_DIR", "."),
                                                  "db", "seed", "*.sql"))):
            for _ in range(2):  # the run command loads them at every start
                subprocess.run(["psql", "-Xq", "-v", "ON_ERROR_STOP=1", "-1", "-f", path],
                               env=env, check=True, capture_output=True)
        r = cls.password_grant("vanphong.tdkt", "Demo@2022-thidua")
        assert r.status == 200, r
        cls.demo_token = r.json()["access_token"]

    def test_the_2022_round_refuses_for_each_main_reason(self):
        rounds = self.call("GET", "/v1/review-rounds", token=self.demo_token).json()["items"]
        rid = [x["id"] for x in rounds if (x["year"], x["kind"]) == (2022, "annual")][0]
        r = self.call("GET", f"/v1/review-rounds/{rid}/list", token=self.demo_token)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["rule_set"]["code"], "nd91_2017")
        groups = {g["title"]: g for g in doc["titles"]}
        codes = {x["code"] for g in groups.values() for c in g["candidates"]
                 for x in c["reasons"]}
        for code in ("service_short", "discipline_in_force", "absence_long", "rating_unknown",
                     "discipline_unknown", "initiative_missing", "not_registered"):
            self.assertIn(code, codes)
        quota = groups[CSTDCS]["quota"]
        self.assertEqual(quota["ceiling"], quota["base"] * 15 // 100)
        self.assertTrue(quota["within"])
        # the list cannot go to the council while refusals stand
        r = self.call("POST", f"/v1/review-rounds/{rid}/submit", token=self.demo_token)
        self.assertProblem(r, 409, "round-not-ready")

    def test_the_council_votes_on_the_2022_round(self):
        """The demo walks on (db/seed/0006): the Office keeps the refused
        nominations with a reason and submits the round; the council, its
        three members present, votes by secret ballot and the chair signs."""
        rounds = self.call("GET", "/v1/review-rounds", token=self.demo_token).json()["items"]
        rid = [x["id"] for x in rounds if (x["year"], x["kind"]) == (2022, "annual")][0]
        doc = self.call("GET", f"/v1/review-rounds/{rid}/list", token=self.demo_token).json()
        for g in doc["titles"]:
            for c in g["candidates"]:
                if c["verdict"] not in ("eligible", "overridden"):
                    r = self.call("POST", f"/v1/nominations/{c['nomination_id']}/override",
                                  token=self.demo_token,
                                  body={"reason": "Hội đồng xem xét theo hồ sơ bổ sung"})
                    self.assertEqual(r.status, 200, r)
        r = self.call("POST", f"/v1/review-rounds/{rid}/submit", token=self.demo_token)
        self.assertEqual(r.status, 200, r)
        r = self.call("POST", "/v1/council-sessions", token=self.demo_token, body={
            "name": "Phiên họp Hội đồng Thi đua – Khen thưởng năm 2022",
            "held_on": "2022-12-28", "place": "Ban Quản lý Khu kinh tế", "round_ids": [rid]})
        self.assertEqual(r.status, 201, r)
        session = r.json()
        sid = session["id"]
        self.assertEqual([m["council_role"] for m in session["members"]],
                         ["chair", "secretary", "member"])
        r = self.call("PUT", f"/v1/council-sessions/{sid}/attendance", token=self.demo_token,
                      body={"items": [{"member_id": m["member_id"], "status": "present"}
                                      for m in session["members"]]})
        self.assertEqual(r.status, 200, r)
        r = self.call("POST", f"/v1/council-sessions/{sid}/open", token=self.demo_token)
        self.assertEqual(r.status, 200, r)
        cands = r.json()["candidates"]
        ballot = [c["nomination_id"] for c in cands if c["method"] == "secret_ballot"]
        hands = [c["nomination_id"] for c in cands if c["method"] == "show_of_hands"]
        self.assertTrue(ballot and hands)
        self.assertEqual({c["award_code"] for c in cands if c["method"] == "secret_ballot"},
                         {CSTDCS})
        voters = []
        for username in ("truongban", "vanphong.tdkt", "hoidong"):
            tok = self.password_grant(username, "Demo@2022-thidua").json()["access_token"]
            m = Member(sid)
            r = self.call("POST", f"/v1/council-sessions/{sid}/tokens", token=tok,
                          body={"blinded": m.blinded.hex()})
            self.assertEqual(r.status, 200, r)
            m.unblind(r.json()["evaluation"])
            voters.append((username, tok, m))
        self.assertEqual(self.call("POST", f"/v1/council-sessions/{sid}/voting",
                                   token=self.demo_token).status, 200)
        for _, _, m in voters:
            r = self.call("POST", f"/v1/council-sessions/{sid}/ballots",
                          body=m.ballot({n: "yes" for n in ballot}))
            self.assertEqual(r.status, 201, r)
        r = self.call("PUT", f"/v1/council-sessions/{sid}/hands", token=self.demo_token,
                      body={"items": [{"nomination_id": n, "yes": 3, "no": 0} for n in hands]})
        self.assertEqual(r.status, 200, r)
        r = self.call("POST", f"/v1/council-sessions/{sid}/close", token=self.demo_token)
        self.assertEqual(r.status, 200, r)
        tally = r.json()["tally"]
        self.assertTrue(all(t["approved"] for t in tally))
        self.assertEqual({t["rule"]["rule_set"] for t in tally}, {"nd91_2017"})
        chair = voters[0][1]
        r = self.call("POST", f"/v1/council-sessions/{sid}/minutes/sign", token=chair)
        self.assertEqual((r.status, r.json()["signed_by"]), (200, "Dương Quang Tuấn"))
        # the Office drafts the decision, the head signs it: the first of 2022
        r = self.call("POST", "/v1/decisions", token=self.demo_token, body={
            "session_id": sid, "symbol": "QĐ-BQLKKT", "place": "Gia Lai",
            "title": "Về việc tặng danh hiệu thi đua năm 2022",
            "signer_name": "Dương Quang Tuấn", "signer_title": "Trưởng ban"})
        self.assertEqual(r.status, 201, r)
        draft = r.json()
        # the titles the demo's ledger already holds for 2022 are left out
        self.assertTrue(draft["items"])
        self.assertTrue(all(x["reason"] == "in_the_ledger" for x in draft["left_out"]))
        self.assertEqual(len(draft["items"]) + len(draft["left_out"]),
                         len(tally))
        r = self.call("POST", f"/v1/decisions/{draft['id']}/sign", token=chair,
                      body={"decided_on": "2022-12-30"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        signed = r.json()
        self.assertEqual(signed["number_text"], "01/QĐ-BQLKKT")
        # Decree 91, base salary 1,490,000 on 30/12/2022 (domain.md §4.3)
        amounts = {i["award_code"]: i["amount"] for i in signed["items"]}
        self.assertEqual(amounts.get("lao_dong_tien_tien", 450_000), 450_000)
        self.assertEqual(amounts.get(CSTDCS, 1_490_000), 1_490_000)
        # printed, with the certificate of its first award
        pdf = self.call("GET", f"/v1/decisions/{draft['id']}?format=pdf", token=self.demo_token)
        self.assertEqual((pdf.status, pdf.body[:5]), (200, b"%PDF-"))
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body, check=True,
                              capture_output=True).stdout.decode()
        self.assertIn("Số: 01/QĐ-BQLKKT", text)
        self.assertIn(signed["items"][0]["name"], text)
        cert = self.call("GET", f"/v1/decisions/{draft['id']}/certificates/1",
                         token=self.demo_token)
        self.assertEqual((cert.status, cert.body[:5]), (200, b"%PDF-"))
        # published: the website's news names the decision and the plan
        news = self.call("GET", "/public/v1/BQLKKT-GL/news").json()["items"]
        titles = [i["title"] for i in news]
        self.assertIn(f"decision-{draft['id']}", [i["id"] for i in news])
        self.assertTrue(any(t.startswith("Quyết định số 01/QĐ-BQLKKT ngày 30/12/2022")
                            for t in titles), titles)
        self.assertIn("Kế hoạch số 125/KH-BQLKKT ngày 05/10/2022 triển khai công tác thi đua, "
                      "khen thưởng năm 2022", titles)
        # and the two exemplars the Office published (db/seed/0007)
        self.assertEqual(len([i for i in news if i["kind"] == "exemplar"]), 2, news)
        check_atom(self.call("GET", "/public/v1/BQLKKT-GL/feed.atom").body)
        check_json_feed(self.call("GET", "/public/v1/BQLKKT-GL/feed.json").body.decode())

    def test_the_disclosed_list_its_feedback_and_its_complaint(self):
        """The demo's ad hoc round (db/seed/0008): its list was disclosed for
        5 working days with a citizen's feedback, and a complaint about one
        candidate blocks her award until it is decided."""
        news = self.call("GET", "/public/v1/BQLKKT-GL/news?kind=disclosure").json()["items"]
        self.assertEqual(len(news), 1, news)
        did = news[0]["path"].rsplit("/", 1)[1]
        pub = self.call("GET", news[0]["path"]).json()
        self.assertEqual((pub["opens_on"], pub["closes_on"], pub["state"]),
                         ("2022-12-01", "2022-12-07", "closed"))
        self.assertEqual([c["name"] for c in pub["candidates"]],
                         ["Dương Ngọc Nga", "Phan Thành Trung"])
        doc = self.call("GET", f"/v1/disclosures/{did}", token=self.demo_token).json()
        fb = doc["items"][1]["feedback"]
        self.assertEqual((len(fb), fb[0]["status"], fb[0]["author"]["name"]),
                         (1, "considered", "Ông Lê Văn Hùng (doanh nghiệp)"))
        cases = self.call("GET", "/v1/cases?status=open", token=self.demo_token).json()
        nga = [c for c in cases["items"] if c["name"] == "Dương Ngọc Nga"]
        self.assertEqual([(c["kind"], c["status"], c["blocks_awards"]) for c in nga],
                         [("complaint", "accepted", True)])
        # the council may now open the session; its minutes will say what
        # the public said
        sid = doc["session_id"]
        s = self.call("GET", f"/v1/council-sessions/{sid}", token=self.demo_token).json()
        self.assertEqual(s["status"], "convened")

    def test_the_province_of_gia_lai_reads_the_boards_list(self):
        """The demo's province (db/seed/0005) reads the Board's 2022 list in
        its batch, as the Board's Office reads it; its client too."""
        r = self.password_grant("sonoivu.tdkt", "Demo@2022-thidua")
        self.assertEqual(r.status, 200, r)
        province = r.json()["access_token"]
        rounds = self.call("GET", "/v1/review-rounds", token=self.demo_token).json()["items"]
        rid = [x["id"] for x in rounds if (x["year"], x["kind"]) == (2022, "annual")][0]
        own = self.call("GET", f"/v1/review-rounds/{rid}/list", token=self.demo_token)
        batch = self.call("GET", "/v1/province/review-lists?year=2022", token=province)
        self.assertEqual(batch.status, 200, batch)
        doc = batch.json()
        self.assertEqual(doc["province"]["code"], "TINH-GL")
        item = next(x for x in doc["lists"] if x["round_id"] == rid)
        self.assertEqual(item["organization"]["code"], "BQLKKT-GL")
        self.assertEqual((item["list"], item["etag"]), (own.json(), own.header("ETag")))
        c = self.client_grant("cong-tdkt-tinh-gia-lai", "demo-province-secret-only-for-local-use")
        self.assertEqual(c.status, 200, c)
        members = self.call("GET", "/v1/province/members", token=c.json()["access_token"])
        # the Board, and the seven departments of its 2018 bloc (db/seed/0010)
        self.assertEqual(sorted(m["code"] for m in members.json()["items"]),
                         ["BQLKKT-GL", "QBVPTR-GL", "SCT-GL", "SGTVT-GL", "SNNPTNT-GL",
                          "STNMT-GL", "STTTT-GL", "SXD-GL"])
        # the Board's own provincial viewer is not the province
        viewer = self.password_grant("ubnd.tinh", "Demo@2022-thidua").json()["access_token"]
        self.assertProblem(self.call("GET", "/v1/province/members", token=viewer), 403,
                           "forbidden")


class PlanFedThroughTheApiTest(YearEndBase):
    """Targets 2, 4, 4a and 4b of a plan (the 2022 plan's kinds) fed by facts
    entered through the API alone: ratings, a discipline decision, the titles
    of the awards ledger.  No record is never compliance (target 2)."""

    def test_targets_follow_the_facts_entered_through_the_api(self):
        targets = [
            {"code": "2", "title": "100% thực hiện nghiêm", "kind": "staff_share",
             "params": {"condition": "not_disciplined"}, "comparison": "at_least",
             "threshold": 100},
            {"code": "4", "title": "100% hoàn thành nhiệm vụ", "kind": "staff_share",
             "params": {"condition": "task_completed"}, "comparison": "at_least",
             "threshold": 100},
            {"code": "4a", "title": "80% đạt Lao động tiên tiến", "kind": "staff_share",
             "params": {"condition": "title", "title": LDTT}, "comparison": "at_least",
             "threshold": 80},
            {"code": "4b", "title": "Chiến sĩ thi đua cơ sở 15% số Lao động tiên tiến",
             "kind": "title_ratio", "params": {"numerator_title": CSTDCS,
                                               "denominator_title": LDTT},
             "comparison": "at_most", "threshold": "15.00"}]
        r = self.post("/v1/plans", {"year": 2023, "symbol": "KH-BQLKKT", "title": "Kế hoạch 2023",
                                    "targets": targets})
        self.assertEqual(r.status, 201, r)
        plan = r.json()
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=self.token("A", "leader"),
                      body={"number": "7"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)

        def progress(as_of="2024-01-15"):
            r = self.get(f"/v1/plans/{plan['id']}/progress?as_of={as_of}")
            self.assertEqual(r.status, 200, r)
            return {t["code"]: t for t in r.json()["targets"]}

        def counts(t):
            return (t["numerator"], t["denominator"], t["status"])

        people = sorted(self.world["A"].staff.values())  # six, in service since 2010
        # nothing recorded: target 2 is not met on no data, during the year or after
        t = progress("2023-11-30")
        self.assertEqual(counts(t["2"]), (0, 6, "on_track"))
        self.assertEqual(t["2"]["projected_numerator"], 6)
        t = progress()
        self.assertEqual(counts(t["2"]), (0, 6, "missed"))
        self.assertEqual(counts(t["4"]), (0, 6, "missed"))
        # the year's ratings: five say "not disciplined", one does not say
        for sid in people[:5]:
            self.rate(sid, 2023, "good")
        self.rate(people[5], 2023, "excellent", disciplined=None)
        t = progress()
        self.assertEqual(counts(t["2"]), (5, 6, "missed"))
        self.assertEqual(counts(t["4"]), (6, 6, "met"))
        # a reprimand decided in the year counts against the rating's word
        r = self.post(f"/v1/staff/{people[0]}/disciplines", {
            "form": "reprimand", "decision_number": f"{tag()}/QĐ-KL", "decided_on": "2023-05-10",
            "in_force_from": "2023-05-10", "in_force_until": "2024-05-09"})
        self.assertEqual(r.status, 201, r)
        t = progress()
        self.assertEqual(counts(t["2"]), (4, 6, "missed"))
        self.assertEqual(progress("2023-05-09")["2"]["projected_numerator"], 6)
        self.assertEqual(progress("2023-05-10")["2"]["projected_numerator"], 5)
        # the awards ledger feeds 4a and 4b: five LĐTT (83 %), one CSTĐCS of five
        for sid in people[1:6]:
            self.assertEqual(self.award(sid, LDTT, 2023).status, 201)
        t = progress()
        self.assertEqual(counts(t["4a"]), (5, 6, "met"))
        self.assertEqual((t["4b"]["numerator"], t["4b"]["denominator"]), (0, 5))
        self.assertEqual(self.award(people[1], CSTDCS, 2023).status, 201)
        t = progress()
        self.assertEqual((t["4b"]["numerator"], t["4b"]["denominator"]), (1, 5))
        # the unit head sees the same facts counted in their subtree only
        r = self.get(f"/v1/plans/{plan['id']}/progress?as_of=2024-01-15", role="unit_head")
        self.assertEqual(r.status, 200, r)
        mine = {t["code"]: t for t in r.json()["targets"]}
        self.assertLess(mine["2"]["denominator"], 6)


class RecordedHistoryTest(YearEndBase):
    """Progress as it stood on a past day (issue 11 §5): ?recorded_by=D counts
    only what had been recorded by the end of D in Vietnam, so facts entered
    later, backdated or corrected, do not move it.  The facts "recorded in
    2022" are inserted with their recording times; the later ones go through
    the API, as a late entry would."""

    TARGETS = [t for t in TARGETS_2022 if t["code"] in ("1", "2", "4", "4a", "7", "ND1")]

    def setUp(self):
        a = self.world["A"]
        self.org = a.id
        self.people = sorted(a.staff.values())  # six, in service since 2010
        doc = int(self.sql(f"INSERT INTO documents (organization_id, code, title) VALUES "
                           f"({self.org}, '{tag()}-CT/TW', 'Chỉ thị') RETURNING id"))
        targets = json.loads(json.dumps(self.TARGETS))
        targets[0]["params"]["document_ids"] = [doc]
        r = self.post("/v1/plans", {"year": 2022, "symbol": "KH-BQLKKT", "title": "Kế hoạch 2022",
                                    "targets": targets, "cited_document_ids": [doc]})
        self.assertEqual(r.status, 201, r)
        pid = r.json()["id"]
        # the plan (before it is issued and immutable) and the staff were
        # recorded early in the year
        self.sql(f"UPDATE plans SET created_at = '2022-10-01 09:00+07' WHERE id = {pid}")
        r = self.call("POST", f"/v1/plans/{pid}/issue", token=self.token("A", "leader"),
                      body={"number": "125"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.plan = r.json()
        self.sql("UPDATE staff SET created_at = '2022-01-05 08:00+07' "
                 f"WHERE id IN ({','.join(map(str, self.people))})")
        self.doc = doc

    def record_in_2022(self):
        """The facts entered by 30/11/2022, with their recording times."""
        org, p = self.org, self.people
        # p[3]'s rating is entered ten minutes after midnight on 1 December in
        # Vietnam; p[2]'s half an hour before it
        for sid, at in ((p[0], "2022-11-21 10:00+07"), (p[1], "2022-11-21 10:05+07"),
                        (p[2], "2022-11-30 23:30+07"), (p[3], "2022-12-01 00:10+07")):
            self.sql("INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, "
                     "disciplined, rated_on, created_at, updated_at) VALUES "
                     f"({org}, {sid}, 2022, 'good', false, '2022-11-20', '{at}', '{at}')")
        self.sql("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                 "decision_number, decision_date, created_at) VALUES "
                 f"({org}, {p[0]}, 2022, '{LDTT}', '45/QĐ', '2022-11-25', '2022-11-26 09:00+07')")
        self.sql("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                 f"evidence, created_at) VALUES ({org}, 2022, 'cultural_office', '2022-11-15', "
                 "'UBND tỉnh', 'QĐ công nhận', '2022-11-16 09:00+07')")
        self.sql("INSERT INTO target_reports (organization_id, series_id, target_code, unit_id, "
                 f"value, reported_on, created_at) VALUES ({org}, {self.plan['series_id']}, "
                 f"'ND1', {self.world['A'].units['C']}, 35, '2022-11-20', '2022-11-20 15:00+07')")
        sess = int(self.sql(
            "INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, document_ids, "
            f"created_at) VALUES ({org}, {self.plan['id']}, 'dissemination', '2022-03-10', "
            f"'Quán triệt', ARRAY[{self.doc}]::bigint[], '2022-03-10 16:00+07') RETURNING id"))
        for sid in p[:4]:
            self.sql("INSERT INTO session_attendance (organization_id, session_id, staff_id, "
                     f"status, updated_at) VALUES ({org}, {sess}, {sid}, 'attended', "
                     "'2022-03-11 08:00+07')")
        return sess

    def today(self):
        return self.sql("SELECT to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')")

    def progress(self, query, role="secretariat"):
        r = self.get(f"/v1/plans/{self.plan['id']}/progress?{query}", role=role)
        self.assertEqual(r.status, 200, r)
        return r.json()

    @staticmethod
    def counts(doc):
        return {t["code"]: (t["numerator"], t["denominator"], t["projected_numerator"],
                            t["value"], t["status"]) for t in doc["targets"]}

    def test_a_past_day_stands_through_late_entries_corrections_and_the_close(self):
        p, sec = self.people, "secretariat"
        sess = self.record_in_2022()
        then = self.progress("recorded_by=2022-11-30")
        self.assertEqual((then["as_of"], then["recorded_by"], then["reference_date"]),
                         ("2022-11-30", "2022-11-30", "2022-11-30"))
        c = self.counts(then)
        # four informed by the session of March; three ratings recorded by the
        # end of 30 November (p[3]'s came ten minutes later); one LĐTT
        self.assertEqual(c["1"][:2], (4, 6))
        self.assertEqual(c["2"][:3], (3, 6, 6))
        self.assertEqual(c["4"][:2], (3, 6))
        self.assertEqual(c["4a"][:2], (1, 6))
        self.assertEqual(c["7"][:2], (1, 2))
        self.assertEqual(c["ND1"][3], "35.00")
        # what is known now about 30 November includes p[3]'s rating
        self.assertEqual(self.counts(self.progress("as_of=2022-11-30"))["2"][:2], (4, 6))

        # written after the fact, through the API: a correction of p[0]'s
        # rating, a backdated rating, a discipline decision, a title, a
        # long leave, an attendance corrected, a lower report
        r = self.put(f"/v1/staff/{p[0]}/ratings/2022", {
            "rating": "not_completed", "disciplined": False, "rated_on": "2022-11-20",
            "source_document": f"Quyết định số {tag()}/QĐ-BQLKKT"})
        self.assertEqual(r.status, 200, r)
        r = self.put(f"/v1/staff/{p[4]}/ratings/2022", {
            "rating": "excellent", "disciplined": False, "rated_on": "2022-11-10",
            "source_document": f"Quyết định số {tag()}/QĐ-BQLKKT"})
        self.assertEqual(r.status, 200, r)
        r = self.post(f"/v1/staff/{p[1]}/disciplines", {
            "form": "reprimand", "decision_number": f"{tag()}/QĐ-KL", "decided_on": "2022-10-01",
            "in_force_from": "2022-10-01", "in_force_until": "2023-09-30"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.award(p[1], LDTT, 2022, decision_date="2022-11-20").status, 201)
        r = self.post(f"/v1/staff/{p[5]}/leaves", {"kind": "unpaid", "from": "2022-01-01",
                                                 "until": "2022-09-30"})
        self.assertEqual(r.status, 201, r)
        r = self.call("PUT", f"/v1/sessions/{sess}/attendance", token=self.token("A", sec),
                      body={"records": [{"staff_id": p[1], "status": "absent"}]})
        self.assertEqual(r.status, 200, r)
        r = self.post(f"/v1/plans/{self.plan['id']}/targets/ND1/reports",
                      {"unit_id": self.world["A"].units["C"], "value": 20,
                       "reported_on": "2022-11-25"})
        self.assertEqual(r.status, 201, r)
        self.sql("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                 f"evidence) VALUES ({self.org}, 2022, 'security_order', '2022-11-20', "
                 "'UBND tỉnh', 'QĐ công nhận')")

        # the day as it stood: unchanged, every count of every target
        again = self.progress("recorded_by=2022-11-30")
        self.assertEqual(again["targets"], then["targets"])
        # the day as known now has moved, on every target written above
        now = self.counts(self.progress("as_of=2022-11-30"))
        for code in ("1", "2", "4", "4a", "7", "ND1"):
            self.assertNotEqual(now[code], c[code], code)
        # recorded by today, the facts path agrees with the kept counts
        today = self.progress("as_of=2022-11-30&recorded_by=" + self.today())
        self.assertEqual(self.counts(today), now)
        self.assertEqual(self.counts(self.progress("recorded_by=2022-11-30", role="leader")), c)

        # the close is seen from its day on: before it, counted from the facts
        pid = self.plan["id"]
        r = self.call("POST", f"/v1/plans/{pid}/close", token=self.token("A", "leader"),
                      headers={"If-Match": f'"{self.plan["version"]}"'})
        self.assertEqual(r.status, 200, r)
        after_year = "as_of=2023-01-15&recorded_by="
        self.assertTrue(self.progress(after_year + self.today())["frozen_at"])
        before = self.progress(after_year + "2022-12-31")
        self.assertIsNone(before["frozen_at"])
        # by the end of 2022: all four ratings of 2022, none of the late entries
        self.assertEqual(self.counts(before)["2"][:2], (4, 6))
        tomorrow = self.sql("SELECT to_char((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1, "
                            "'YYYY-MM-DD')")
        for bad in (tomorrow, "2022-11-31", "30-11-2022", "1999-12-31", "2022-09-30"):
            with self.subTest(recorded_by=bad):
                r = self.get(f"/v1/plans/{pid}/progress?recorded_by={bad}", headers=EN)
                doc = self.assertProblem(r, 400)
                self.assertEqual(doc["errors"][0]["pointer"], "/query/recorded_by")
        self.assertProblem(self.get(f"/v1/plans/{pid}/progress?recorded_by=2022-11-30",
                                    role="staff"), 403, "forbidden")


class MaternityPopulationTest(YearEndBase):
    """A woman on six months' maternity leave stays in the rated population
    (Decree 152 Art. 4.5): the days worked that plan_population counts
    (worked_days of staff_away) take the leave as worked."""

    def worked(self, sid):
        return int(self.sql("SELECT worked_days(staff_away(s.organization_id, s.id, s.leave_from, "
                            "s.leave_until, s.leave_kind, 'infinity'), '2024-01-01', '2024-12-31') "
                            f"FROM staff s WHERE s.id = {sid}"))

    def test_maternity_leave_on_the_record_counts_as_worked(self):
        sid = self.person("2015-01-01", status="on_leave", leave_from="2024-03-01",
                          leave_until="2024-09-30")
        self.assertEqual(self.worked(sid), 366 - 214)
        r = self.call("PATCH", f"/v1/staff/{sid}", token=self.token("A", "admin"),
                      body={"leave_kind": "maternity"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["leave_kind"], "maternity")
        self.assertEqual(self.worked(sid), 366)
        r = self.call("PATCH", f"/v1/staff/{sid}", token=self.token("A", "admin"),
                      body={"leave_kind": "vacation"}, headers={"If-Match": '"2"'})
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/leave_kind")
        other = self.person("2015-01-01")
        r = self.call("PATCH", f"/v1/staff/{other}", token=self.token("A", "admin"),
                      body={"leave_kind": "maternity"}, headers={"If-Match": '"1"'})
        self.assertEqual(self.assertProblem(r, 422)["errors"][0]["pointer"], "/leave_kind")

    def test_spans_of_leave_entered_count_once_maternity_as_worked(self):
        sid = self.person("2015-01-01")

        def leave(kind, start, end):
            r = self.post(f"/v1/staff/{sid}/leaves", {"kind": kind, "from": start, "until": end})
            self.assertEqual(r.status, 201, r)

        leave("maternity", "2024-01-01", "2024-06-30")
        self.assertEqual(self.worked(sid), 366)
        # unpaid 1 Jul–31 Oct (123 days) and sickness 1 Oct–30 Nov: October once
        leave("unpaid", "2024-07-01", "2024-10-31")
        leave("sickness", "2024-10-01", "2024-11-30")
        self.assertEqual(self.worked(sid), 366 - (123 + 30))
        # a span beyond the year counts only inside it
        leave("study", "2024-12-20", "2025-03-31")
        self.assertEqual(self.worked(sid), 366 - (123 + 30 + 12))


class HeavyGateTest(YearEndBase):
    """The checked list is computed on the gate's threads (http/gate.h): one
    at a time here, the others wait their turn; one that waits longer than
    THIDUA_HEAVY_WAIT_MS is answered 503 with Retry-After at that deadline,
    and meanwhile the service answers other requests."""

    service_env = {"THIDUA_HEAVY_CONCURRENCY": "1", "THIDUA_HEAVY_WAIT_MS": "300"}

    def gauges(self):
        text = self.call("GET", "/metrics").body.decode()
        return {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines()
                if line.startswith("thidua_heavy_")}

    def a_round(self):
        r = self.post("/v1/review-rounds", {"year": 2024, "kind": "annual",
                                            "name": f"Bình xét {tag()}", "deadline": "2029-12-15"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        for _ in range(3):
            sid = self.person("2015-01-01")
            self.rate(sid, 2024, "good")
            body = {"award_code": LDTT, "subject_kind": "staff", "staff_id": sid}
            self.assertEqual(self.post(f"/v1/review-rounds/{rid}/nominations", body).status, 201)
        return rid

    def test_lists_wait_their_turn(self):
        rid = self.a_round()
        before = self.gauges()
        self.assertEqual(before["thidua_heavy_slots"], 1)
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: self.get(f"/v1/review-rounds/{rid}/list"),
                                    range(6)))
        self.assertEqual({a.status for a in answers}, {200}, answers)
        self.assertEqual(len({a.header("ETag") for a in answers}), 1)
        after = self.gauges()
        self.assertEqual(after["thidua_heavy_admitted_total"]
                         - before["thidua_heavy_admitted_total"], 6)
        self.assertEqual(after["thidua_heavy_refused_total"], before["thidua_heavy_refused_total"])
        self.assertEqual(after['thidua_heavy_requests{state="computing"}'], 0)

    def test_a_list_that_waits_too_long_is_told_to_retry(self):
        rid = self.a_round()
        refused = self.gauges()["thidua_heavy_refused_total"]
        # A transaction holds the nominations: the first list blocks on
        # them inside the gate's one slot.
        lock = Locker(self.db, "nominations")
        try:
            with ThreadPoolExecutor(1) as pool:
                first = pool.submit(self.get, f"/v1/review-rounds/{rid}/list")
                for _ in range(100):
                    if self.gauges()['thidua_heavy_requests{state="computing"}'] == 1:
                        break
                    time.sleep(0.02)
                else:
                    self.fail("the first list never got its turn")
                # other requests still get a connection meanwhile
                self.assertEqual(self.get("/v1/staff?limit=1").status, 200)
                r = self.get(f"/v1/review-rounds/{rid}/list", headers={"Accept-Language": "en"})
                # answered at its deadline, while the first still computes
                self.assertFalse(first.done())
                body = self.assertProblem(r, 503, "unavailable")
                self.assertIn("try again", body["detail"])
                self.assertEqual(r.header("Retry-After"), "2")
                lock.release()
                self.assertEqual(first.result(timeout=30).status, 200)
        finally:
            lock.release()
        self.assertEqual(self.gauges()["thidua_heavy_refused_total"], refused + 1)

    def test_sigterm_waits_for_a_list_computing(self):
        """A list still computing when SIGTERM arrives gets its answer (the
        drain counts it in flight while its connection is suspended) and
        the process exits 0."""
        rid = self.a_round()
        env = {"THIDUA_JWT_PRIVATE_KEY_FILE": self.key.private_path, "THIDUA_JWT_KID": KID,
               "THIDUA_SHUTDOWN_DEADLINE_S": "20", "THIDUA_STATEMENT_TIMEOUT_MS": "30000"}
        env.update(self.service_env)
        svc = Service(self.db, env=env).start()
        lock = Locker(self.db, "nominations")
        try:
            with ThreadPoolExecutor(1) as pool:
                auth = {"Authorization": f"Bearer {self.token('A', 'secretariat')}"}
                listed = pool.submit(svc.get, f"/v1/review-rounds/{rid}/list", headers=auth,
                                     timeout=30)
                lock.wait_blocked()
                svc.proc.send_signal(signal.SIGTERM)
                time.sleep(0.5)  # the drain has begun, the list still waits
                lock.release()
                r = listed.result(timeout=30)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(svc.stop(timeout=30), 0)
            self.assertIn("stopped", [line["msg"] for line in svc.log_lines()])
        finally:
            lock.release()
            svc.stop(timeout=30)

if __name__ == "__main__":
    main()
