"""The emulation fund of a year and the bonuses paid out of it (issue 12 §3).

The amount of a payment is computed from the award's decision date, never
taken from the body; the fund's balance refuses to go negative without the
Office's written reason, also under concurrent payments.
"""

import io
import json
import re
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor

from harness import EN, main
from identity import IdentityTest


def tag():
    return uuid.uuid4().hex[:8]


class FundsTest(IdentityTest):

    def call_as(self, method, path, role="secretariat", org="A", body=None):
        return self.call(method, path, token=self.token(org, role), body=body)

    def put_fund(self, year, size, org="A"):
        r = self.call_as("PUT", f"/v1/funds/{year}", org=org,
                         body={"size": size, "source_document": f"Dự toán năm {year}"})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def person(self, org="A"):
        o = self.world[org]
        r = self.call_as("POST", "/v1/staff", role="admin", org=org, body={
            "unit_id": o.units["C"], "full_name": f"Trần Văn {tag()}", "gender": "male",
            "employment_type": "civil_servant", "start_date": "2015-01-01"})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def award(self, code, date, org="A", **subject):
        body = {"award_code": code, "year": int(date[:4]) - (0 if date[5:7] == "12" else 1),
                "decision_number": f"{tag()}/QĐ-BQLKKT", "decision_date": date}
        body.update(subject or {"subject_kind": "staff", "staff_id": self.person(org)})
        r = self.call_as("POST", "/v1/awards", org=org, body=body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def pay(self, year, award_id, paid_on, reason=None, org="A"):
        body = {"award_id": award_id, "paid_on": paid_on}
        if reason:
            body["override_reason"] = reason
        return self.call_as("POST", f"/v1/funds/{year}/payments", org=org, body=body)

    def fund(self, year, org="A", role="secretariat"):
        r = self.call_as("GET", f"/v1/funds/{year}", role=role, org=org)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_a_title_paid_at_the_rate_of_its_decision_date(self):
        doc = self.put_fund(2024, 10_000_000)
        self.assertEqual((doc["set_aside_percent"], doc["set_aside"], doc["for_awards"],
                          doc["balance"], doc["rule_set"]),
                         (20, 2_000_000, 8_000_000, 8_000_000, "nd98_2023"))
        self.assertEqual(doc["set_aside_source"]["mark"], "unconfirmed")
        aid = self.award("lao_dong_tien_tien", "2024-12-28")
        self.assertTrue(aid.startswith("title-"))
        r = self.pay(2024, aid, "2024-12-30")
        self.assertEqual(r.status, 201, r)
        p = r.json()
        self.assertEqual((p["award_id"], p["amount"], p["coefficient"], p["base_salary"]),
                         (aid, 710_000, "0.3", 2_340_000))
        self.assertIn("710.000 đồng", p["calculation"])
        fund = self.fund(2024)
        self.assertEqual((fund["paid"], fund["balance"]), (710_000, 7_290_000))
        self.assertEqual([x["award_id"] for x in fund["payments"]], [aid])
        self.assertEqual(self.count("audit_log", f"action = 'fund.pay' AND entity_id = "
                                                 f"'{p['id']}'"), 1)
        # the base salary of the decision's day, not of the year: a title of
        # the same year decided before 01/07/2024 pays 540,000
        early = self.award("lao_dong_tien_tien", "2024-06-28")
        self.assertEqual(self.pay(2024, early, "2024-07-02").json()["amount"], 540_000)

    def test_an_award_is_paid_once(self):
        self.put_fund(2025, 50_000_000)
        aid = self.award("chien_si_thi_dua_co_so", "2025-12-20")
        self.assertEqual(self.pay(2025, aid, "2025-12-22").status, 201)
        before = self.fund(2025)["paid"]
        r = self.call("POST", "/v1/funds/2025/payments", token=self.token("A", "secretariat"),
                      body={"award_id": aid, "paid_on": "2025-12-23"}, headers=EN)
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("already been paid", doc["detail"])
        self.assertEqual(self.fund(2025)["paid"], before)

    def test_titles_of_one_period_pay_only_the_highest(self):
        """Decree 152 Art. 49.5: LĐTT and CSTĐCS of 2027 for one person pay
        2,530,000 in all, whichever is paid first; a form is paid besides."""
        self.put_fund(2027, 100_000_000)
        sid = self.person()
        ldtt = self.award("lao_dong_tien_tien", "2027-12-28", subject_kind="staff", staff_id=sid)
        cstd = self.award("chien_si_thi_dua_co_so", "2027-12-28", subject_kind="staff",
                          staff_id=sid)
        form = self.award("giay_khen", "2027-12-28", subject_kind="staff", staff_id=sid)
        p1 = self.pay(2027, ldtt, "2027-12-29").json()
        self.assertEqual((p1["full_amount"], p1["amount"]), (760_000, 760_000))
        p2 = self.pay(2027, cstd, "2027-12-29").json()
        self.assertEqual((p2["full_amount"], p2["amount"]), (2_530_000, 1_770_000))
        self.assertIn("1.770.000 đồng", p2["calculation"])
        self.assertIn("760.000", p2["calculation"])
        self.assertEqual(self.pay(2027, form, "2027-12-29").json()["amount"], 760_000)
        # the other way round: the highest first covers the lower title
        sid2 = self.person()
        cstd2 = self.award("chien_si_thi_dua_co_so", "2027-12-28", subject_kind="staff",
                           staff_id=sid2)
        ldtt2 = self.award("lao_dong_tien_tien", "2027-12-28", subject_kind="staff",
                           staff_id=sid2)
        self.assertEqual(self.pay(2027, cstd2, "2027-12-29").json()["amount"], 2_530_000)
        r = self.call("POST", "/v1/funds/2027/payments", token=self.token("A", "secretariat"),
                      body={"award_id": ldtt2, "paid_on": "2027-12-29"}, headers=EN)
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("only the highest", doc["detail"])
        self.assertEqual(self.fund(2027)["paid"], 760_000 + 1_770_000 + 760_000 + 2_530_000)
        # another year's title of the same person is another period
        other = self.award("lao_dong_tien_tien", "2027-06-28", subject_kind="staff",
                           staff_id=sid2)
        self.assertEqual(self.pay(2027, other, "2027-07-01").json()["amount"], 760_000)

    def test_a_collective_award(self):
        self.put_fund(2022, 20_000_000)
        unit = self.world["A"].units["C"]
        aid = self.award("tap_the_lao_dong_xuat_sac", "2022-12-28", subject_kind="unit",
                         unit_id=unit)
        self.assertTrue(aid.startswith("award-"))
        p = self.pay(2022, aid, "2022-12-29").json()
        # 1.5 × 1,490,000 = 2,235,000 → 2,240,000
        self.assertEqual((p["subject"], p["amount"]), ("collective", 2_240_000))

    def test_the_balance_refuses_without_a_written_reason(self):
        self.put_fund(2023, 1_000_000)  # 800,000 for awards
        aid = self.award("chien_si_thi_dua_co_so", "2023-12-20")  # 1,800,000
        doc = self.assertProblem(self.pay(2023, aid, "2023-12-21"), 409, "conflict")
        self.assertIn("1800000", doc["detail"])
        self.assertIn("800000", doc["detail"])
        self.assertEqual(self.fund(2023)["paid"], 0)
        r = self.pay(2023, aid, "2023-12-21", reason="Bổ sung dự toán theo Quyết định 12/QĐ")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["override_reason"], "Bổ sung dự toán theo Quyết định 12/QĐ")
        fund = self.fund(2023)
        self.assertEqual(fund["balance"], -1_000_000)
        # and the fund cannot then shrink below what it paid
        r = self.call_as("PUT", "/v1/funds/2023", body={"size": 500_000})
        self.assertProblem(r, 409, "conflict")

    def test_concurrent_payments_never_overdraw(self):
        self.put_fund(2021, 2_500_000)  # 2,000,000 for awards: four LĐTT of 450,000
        awards = [self.award("lao_dong_tien_tien", "2021-12-28") for _ in range(8)]
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda a: self.pay(2021, a, "2021-12-30"), awards))
        self.assertEqual(sorted(r.status for r in results), [201] * 4 + [409] * 4)
        fund = self.fund(2021)
        self.assertEqual((fund["paid"], len(fund["payments"])), (1_800_000, 4))
        # one award paid by many at once: once
        aid = self.award("lao_dong_tien_tien", "2021-12-28")
        with ThreadPoolExecutor(5) as pool:
            results = list(pool.map(lambda _: self.pay(2021, aid, "2021-12-30", reason="x"),
                                    range(5)))
        self.assertEqual(sorted(r.status for r in results), [201] + [409] * 4)
        self.assertEqual(self.fund(2021)["paid"], 2_250_000)

    def test_titles_of_one_period_from_two_funds_at_once(self):
        """A 2025 title paid from the 2025 fund and another of the same
        period from the 2026 fund, at the same moment: the two funds are
        two rows, yet the highest-only rule holds (one pays in full, or the
        second tops the first up to it).  Organisation B's funds: A's years
        are the other tests'."""
        self.put_fund(2025, 100_000_000, org="B")
        self.put_fund(2026, 100_000_000, org="B")
        pairs = []
        for _ in range(6):
            sid = self.person(org="B")
            pairs.append((self.award("lao_dong_tien_tien", "2025-12-28", org="B",
                                     subject_kind="staff", staff_id=sid),
                          self.award("chien_si_thi_dua_co_so", "2025-12-28", org="B",
                                     subject_kind="staff", staff_id=sid)))
        jobs = [(2025, ldtt, "2025-12-30") for ldtt, _ in pairs] + \
               [(2026, cstd, "2026-01-05") for _, cstd in pairs]
        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(lambda j: self.pay(*j, org="B"), jobs))
        self.assertTrue(all(r.status in (201, 409) for r in results), results)
        paid = {}
        for (_, aid, _), r in zip(jobs, results):
            if r.status == 201:
                paid[aid] = r.json()["amount"]
        for ldtt, cstd in pairs:
            self.assertIn(cstd, paid)  # the higher title is never refused
            self.assertEqual(paid.get(ldtt, 0) + paid[cstd], 2_340_000, (ldtt, cstd))

    def test_bad_input_names_the_field_and_writes_nothing(self):
        self.put_fund(2020, 5_000_000)
        aid = self.award("lao_dong_tien_tien", "2020-12-28")
        other = self.award("lao_dong_tien_tien", "2020-12-28", org="B")
        cases = [
            ({"award_id": aid, "paid_on": "2020-12-01"}, "/paid_on"),   # before the decision
            ({"award_id": aid, "paid_on": "2021-01-05"}, "/paid_on"),   # another year's fund
            ({"award_id": "bonus-1", "paid_on": "2020-12-30"}, "/award_id"),
            ({"award_id": "title-0", "paid_on": "2020-12-30"}, "/award_id"),
            ({"award_id": other, "paid_on": "2020-12-30"}, "/award_id"),  # B's award
            ({"award_id": aid, "paid_on": "2020-02-30"}, "/paid_on"),
            ({"award_id": aid}, "/paid_on"),
            ({"award_id": aid, "paid_on": "2020-12-30", "amount": 1}, "/amount"),
        ]
        for body, pointer in cases:
            with self.subTest(body=body):
                r = self.call_as("POST", "/v1/funds/2020/payments", body=body)
                doc = self.assertProblem(r, 400 if pointer == "/amount" else 422)
                self.assertIn(pointer, json.dumps(doc))
        self.assertEqual(self.fund(2020)["paid"], 0)
        for body, pointer in (({"size": -1}, "/size"), ({"size": "lots"}, "/size"),
                              ({}, "/size"), ({"size": 1, "source_document": "x" * 301},
                                              "/source_document")):
            with self.subTest(body=body):
                doc = self.assertProblem(self.call_as("PUT", "/v1/funds/2020", body=body), 422)
                self.assertIn(pointer, json.dumps(doc))
        self.assertEqual(self.fund(2020)["size"], 5_000_000)
        # no fund for the year; a year that names nothing
        doc = self.assertProblem(self.pay(2019, aid, "2019-12-30"), 422)
        self.assertProblem(self.call_as("GET", "/v1/funds/2019"), 404)
        self.assertProblem(self.call_as("GET", "/v1/funds/19"), 404)
        award_2019 = self.award("lao_dong_tien_tien", "2019-12-28")
        doc = self.assertProblem(self.pay(2019, award_2019, "2019-12-30"), 409, "conflict")
        self.assertIn("2019", doc["detail"])

    def test_the_report_as_a_workbook(self):
        self.put_fund(2028, 3_000_000)
        sid = self.person()
        aid = self.award("giay_khen", "2028-12-28", subject_kind="staff", staff_id=sid)
        paid = self.pay(2028, aid, "2028-12-29", reason="Chi vượt số dư").json()
        r = self.call_as("GET", "/v1/funds/2028?format=xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertIn("quy-thi-dua-khen-thuong-2028.xlsx", r.header("Content-Disposition"))
        book = zipfile.ZipFile(io.BytesIO(r.body))
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
        self.assertIn("Dự toán năm 2028", strings)
        self.assertIn(paid["recipient"], strings)
        self.assertIn("Giấy khen", strings)
        self.assertIn("Chi vượt số dư", strings)
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        # amounts are numbers: the fund, and the bonus paid (0.3 × 1,300,000? no
        # base salary is known before 01/07/2018, so 2028 pays nothing: see below)
        self.assertIn(">3000000<", sheet)
        self.assertIn(f">{paid['amount']}<", sheet)
        bad = self.call_as("GET", "/v1/funds/2028?format=pdf")
        self.assertIn("/query/format", json.dumps(self.assertProblem(bad, 400)))

    def test_english_on_request(self):
        self.put_fund(2026, 9_000_000)
        aid = self.award("lao_dong_tien_tien", "2026-12-28")
        r = self.call("POST", "/v1/funds/2026/payments",
                      token=self.token("A", "secretariat"),
                      body={"award_id": aid, "paid_on": "2026-12-29"}, headers=EN)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["calculation"],
                         "0.3 × 2,530,000 VND = 759,000 VND, rounded up to a multiple of "
                         "10,000 VND: 760,000 VND")

    def test_who_may(self):
        self.put_fund(2018, 1_000_000)
        for role in ("admin", "secretariat", "leader", "council", "viewer"):
            with self.subTest(role=role):
                self.assertEqual(self.call_as("GET", "/v1/funds/2018", role=role).status, 200)
        for role in ("unit_head", "staff"):
            with self.subTest(role=role):
                self.assertProblem(self.call_as("GET", "/v1/funds/2018", role=role), 403)
        for role in ("leader", "council", "viewer", "unit_head", "staff"):
            with self.subTest(role=role):
                r = self.call_as("PUT", "/v1/funds/2018", role=role, body={"size": 1})
                self.assertProblem(r, 403)
        self.assertEqual(self.fund(2018)["size"], 1_000_000)
        # another organisation's fund is its own
        self.assertProblem(self.call_as("GET", "/v1/funds/2018", org="B"), 404)


if __name__ == "__main__":
    main()
