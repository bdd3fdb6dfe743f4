"""The money of an award as dated law (issue 12 §3): GET /v1/bonus-rates.

The rule set and the base salary are those in force on the decision's date
(domain.md §4.2); amounts are rounded up to the next 10,000 VND and checked
against the worked amounts of domain.md §4.3.
"""

from harness import EN, main
from identity import IdentityTest


class BonusRatesTest(IdentityTest):

    def rates(self, on, role="staff", headers=None):
        r = self.call("GET", f"/v1/bonus-rates?on={on}", token=self.token("A", role),
                      headers=headers)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        return doc, {(x["award_code"], x["subject"]): x for x in doc["rates"]}

    def test_decree_98_on_the_base_salary_of_2024(self):
        doc, rates = self.rates("2024-12-28")
        self.assertEqual(doc["rule_set"]["code"], "nd98_2023")
        base = doc["base_salary"]
        self.assertEqual((base["amount"], base["valid_from"], base["valid_until"]),
                         (2340000, "2024-07-01", "2026-06-30"))
        self.assertEqual(base["source"]["document"], "73/2024/NĐ-CP")
        expected = {("lao_dong_tien_tien", "individual"): ("0.3", 710000),
                    ("chien_si_thi_dua_co_so", "individual"): ("1", 2340000),
                    ("chien_si_thi_dua_cap_tinh", "individual"): ("3", 7020000),
                    ("tap_the_lao_dong_tien_tien", "collective"): ("0.8", 1880000),
                    ("tap_the_lao_dong_xuat_sac", "collective"): ("1.5", 3510000),
                    ("giay_khen", "collective"): ("0.6", 1410000),
                    ("bang_khen_tinh", "individual"): ("1", 2340000),
                    ("co_thi_dua_cap_tinh", "collective"): ("8", 18720000)}
        for key, (coef, amount) in expected.items():
            with self.subTest(award=key):
                self.assertEqual((rates[key]["coefficient"], rates[key]["amount"]),
                                 (coef, amount))
        ldtt = rates[("lao_dong_tien_tien", "individual")]
        self.assertEqual(ldtt["calculation"],
                         "0,3 × 2.340.000 đồng = 702.000 đồng, làm tròn lên bội số của "
                         "10.000 đồng: 710.000 đồng")
        self.assertEqual(ldtt["source"], {"document": "98/2023/NĐ-CP", "article": "Điều 54",
                                          "clause": "", "mark": "secondary"})
        # the provincial Bằng khen under Decree 98 was not read in the text
        self.assertTrue(rates[("bang_khen_tinh", "individual")]["configurable"])

    def test_decree_152_raises_the_provincial_bang_khen(self):
        _, rates = self.rates("2025-07-01")
        self.assertEqual(rates[("bang_khen_tinh", "individual")]["amount"], 3510000)
        self.assertEqual(rates[("bang_khen_tinh", "collective")]["amount"], 7020000)
        self.assertEqual(rates[("bang_khen_tinh", "individual")]["source"]["mark"], "primary")

    def test_a_household_one_and_a_half_times_an_individual_under_decree_152(self):
        # 0.45 × 2,340,000 = 1,053,000, rounded up once: 1,060,000 (not
        # 1.5 × the individual's rounded 710,000 = 1,065,000 → 1,070,000)
        _, rates = self.rates("2025-12-28")
        gk = rates[("giay_khen", "household")]
        self.assertEqual((gk["coefficient"], gk["amount"]), ("0.45", 1060000))
        self.assertEqual(gk["calculation"],
                         "0,45 × 2.340.000 đồng = 1.053.000 đồng, làm tròn lên bội số của "
                         "10.000 đồng: 1.060.000 đồng")
        self.assertEqual(gk["source"], {"document": "152/2025/NĐ-CP", "article": "Điều 54",
                                        "clause": "", "mark": "primary"})
        bk = rates[("bang_khen_tinh", "household")]
        self.assertEqual((bk["coefficient"], bk["amount"]), ("2.25", 5270000))
        # forms only: a household holds no emulation title
        self.assertEqual({k for k in rates if k[1] == "household"},
                         {("giay_khen", "household"), ("bang_khen_tinh", "household")})
        _, later = self.rates("2026-07-01")
        self.assertEqual(later[("giay_khen", "household")]["amount"], 1140000)
        # Decrees 91 and 98 give a household no rate
        for on in ("2019-12-28", "2024-12-28"):
            _, old = self.rates(on)
            self.assertEqual([k for k in old if k[1] == "household"], [], on)

    def test_the_base_salary_of_the_decisions_day_not_of_the_year(self):
        # the same Decree 152 on both sides of 01/07/2026
        before, r1 = self.rates("2026-06-30")
        after, r2 = self.rates("2026-07-01")
        self.assertEqual(before["rule_set"]["code"], after["rule_set"]["code"])
        key = ("lao_dong_tien_tien", "individual")
        self.assertEqual((r1[key]["amount"], r2[key]["amount"]), (710000, 760000))
        self.assertTrue(after["base_salary"]["configurable"])  # 161/2026 from secondary tables

    def test_a_copied_rule_set_pays_what_it_copies(self):
        doc, rates = self.rates("2026-10-01")
        self.assertEqual(doc["rule_set"]["code"], "luat06_2026")
        self.assertEqual(rates[("chien_si_thi_dua_co_so", "individual")]["defined_in"],
                         "nd152_2025")
        self.assertEqual(rates[("bang_khen_tinh", "individual")]["amount"], 3800000)

    def test_decree_91_and_the_central_committees_example(self):
        doc, rates = self.rates("2018-12-28")
        self.assertEqual((doc["rule_set"]["code"], doc["base_salary"]["amount"]),
                         ("nd91_2017", 1390000))
        # 0.8 × 1,390,000 = 1,112,000 → 1,120,000
        self.assertEqual(rates[("tap_the_lao_dong_tien_tien", "collective")]["amount"], 1120000)

    def test_no_base_salary_known_before_2018_07(self):
        doc, rates = self.rates("2018-06-30")
        self.assertIsNone(doc["base_salary"])
        self.assertTrue(rates)
        self.assertTrue(all(x["amount"] is None and x["calculation"] is None
                            for x in rates.values()))

    def test_no_rule_set_before_2017_10(self):
        r = self.call("GET", "/v1/bonus-rates?on=2017-09-30", token=self.token("A", "staff"))
        self.assertProblem(r, 409, "no-rule-set")

    def test_english_on_request(self):
        _, rates = self.rates("2024-12-28", headers=EN)
        self.assertEqual(rates[("lao_dong_tien_tien", "individual")]["calculation"],
                         "0.3 × 2,340,000 VND = 702,000 VND, rounded up to a multiple of "
                         "10,000 VND: 710,000 VND")

    def test_the_next_raise_is_a_row(self):
        self.sql("INSERT INTO base_salaries (valid_from, amount, source_document, mark) "
                 "VALUES ('2030-01-01', 3000000, 'Nghị định giả định', 'unconfirmed')")
        try:
            doc, rates = self.rates("2030-01-02")
            self.assertEqual(doc["base_salary"]["amount"], 3000000)
            self.assertEqual(rates[("lao_dong_tien_tien", "individual")]["amount"], 900000)
            _, earlier = self.rates("2029-12-31")
            self.assertEqual(earlier[("lao_dong_tien_tien", "individual")]["amount"], 760000)
        finally:
            self.sql("DELETE FROM base_salaries WHERE valid_from = '2030-01-01'")

    def test_bad_day_names_the_parameter(self):
        for bad in ("2024-02-30", "soon", "2024-1-1"):
            with self.subTest(on=bad):
                r = self.call("GET", f"/v1/bonus-rates?on={bad}",
                              token=self.token("A", "staff"))
                doc = self.assertProblem(r, 400)
                self.assertEqual(doc["errors"][0]["pointer"], "/query/on")

    def test_who_reads(self):
        for role in ("admin", "secretariat", "leader", "council", "unit_head", "staff",
                     "viewer"):
            with self.subTest(role=role):
                r = self.call("GET", "/v1/bonus-rates", token=self.token("A", role))
                self.assertEqual(r.status, 200, r)
        r = self.call("GET", "/v1/bonus-rates", token=self.client_token("A", "portal"))
        self.assertEqual(r.status, 200, r)
        r = self.call("GET", "/v1/bonus-rates", token=self.client_token("A", "reports"))
        self.assertProblem(r, 403, "forbidden")
        self.assertProblem(self.call("GET", "/v1/bonus-rates"), 401, "unauthorized")


if __name__ == "__main__":
    main()
