"""Vietnamese first: every sentence in Vietnamese by default and in English
on request, the language negotiated from Accept-Language (RFC 9110 §12.5.4),
said in Content-Language and Vary; machine fields never translated; instants
in UTC and dates as plain days whatever the database's own settings.
"""

import re

from harness import EN, Service, main
from identity import KID, IdentityTest

PLAN = {"year": 2022, "symbol": "KH-VP", "title": "Kế hoạch thi đua năm 2022"}


class LanguageTest(IdentityTest):

    def problem(self, r, status, slug):
        doc = self.assertProblem(r, status, slug)
        self.assertIn("Accept-Language", r.header("Vary") or "")
        return doc

    def test_vietnamese_by_default(self):
        r = self.call("GET", "/v1/nothing-here")
        doc = self.problem(r, 404, "not-found")
        self.assertEqual(r.header("Content-Language"), "vi")
        self.assertEqual(doc["title"], "Không tìm thấy")
        self.assertIn("tài nguyên", doc["detail"])

    def test_english_on_request(self):
        r = self.call("GET", "/v1/nothing-here", headers=EN)
        doc = self.problem(r, 404, "not-found")
        self.assertEqual(r.header("Content-Language"), "en")
        self.assertEqual(doc["title"], "Not Found")

    def test_negotiation(self):
        cases = [
            ("en-US,en;q=0.9", "en"),
            ("en-GB", "en"),
            ("EN", "en"),
            ("vi-VN, en;q=0.8", "vi"),
            ("fr, en;q=0.5", "en"),
            ("en;q=0.1, vi;q=0.9", "vi"),
            ("en;q=0.9, vi", "vi"),
            ("en;q=0", "vi"),           # not acceptable: the default
            ("*", "vi"),
            ("fr, de", "vi"),           # nothing we speak: the default
            ("", "vi"),
            ("en;q=abc", "vi"),         # a malformed weight disqualifies the range
            ("english", "vi"),          # not the tag "en"
            (";;;,,,q=1", "vi"),
            ("en" + ",x" * 3000, "en"),  # long: bounded, still read from the start
        ]
        for header, want in cases:
            with self.subTest(header=header[:40]):
                r = self.call("GET", "/v1/nothing-here", headers={"Accept-Language": header})
                self.assertEqual(r.status, 404)
                self.assertEqual(r.header("Content-Language"), want)

    def test_errors_of_a_body_are_translated_and_pointers_are_not(self):
        token = self.token("A", "secretariat")
        body = {"year": 1999, "symbol": "", "title": "x", "colour": "red"}
        vi = self.call("POST", "/v1/plans", token=token, body=body)
        en = self.call("POST", "/v1/plans", token=token, body=body, headers=EN)
        dvi, den = self.problem(vi, 400, "bad-request"), self.problem(en, 400, "bad-request")
        self.assertEqual([e["pointer"] for e in dvi["errors"]],
                         [e["pointer"] for e in den["errors"]])
        colour_vi = next(e for e in dvi["errors"] if e["pointer"] == "/colour")
        colour_en = next(e for e in den["errors"] if e["pointer"] == "/colour")
        self.assertIn("không xác định", colour_vi["detail"])
        self.assertIn("unknown field", colour_en["detail"])
        self.assertEqual(dvi["title"], "Yêu cầu không hợp lệ")

    def test_a_refusal_speaks_of_statuses_by_their_labels(self):
        office, head = self.token("A", "secretariat"), self.token("A", "leader")
        r = self.call("POST", "/v1/plans", token=office, body=PLAN)
        self.assertEqual(r.status, 201, r)
        plan = r.json()
        r = self.call("POST", f"/v1/plans/{plan['id']}/issue", token=head,
                      body={"number": "7"}, headers={"If-Match": f'"{plan["version"]}"'})
        self.assertEqual(r.status, 200, r)
        issued = r.json()
        patch = {"title": "Sửa"}
        match = {"If-Match": f'"{issued["version"]}"'}
        vi = self.call("PATCH", f"/v1/plans/{plan['id']}", token=office, body=patch,
                       headers=match)
        en = self.call("PATCH", f"/v1/plans/{plan['id']}", token=office, body=patch,
                       headers=dict(EN, **match))
        dvi = self.problem(vi, 409, "plan-not-draft")
        den = self.problem(en, 409, "plan-not-draft")
        self.assertIn("đã ban hành", dvi["detail"])
        self.assertIn(f"/v1/plans/{plan['id']}/amend", dvi["detail"])
        self.assertIn("The plan is issued", den["detail"])
        self.assertEqual(dvi["title"], "Kế hoạch không còn ở dạng dự thảo")
        # a stale version: 412 in both languages, with the current version as a member
        stale = self.call("PATCH", f"/v1/plans/{plan['id']}", token=office, body=patch,
                          headers={"If-Match": '"1"'})
        doc = self.problem(stale, 412, "precondition-failed")
        self.assertEqual(doc["current_version"], issued["version"])
        self.assertIn(str(issued["version"]), doc["detail"])

    def test_progress_explains_itself_in_the_callers_language(self):
        office, head = self.token("A", "secretariat"), self.token("A", "leader")
        body = dict(PLAN, targets=[{
            "code": "2", "title": "100% thực hiện nghiêm", "kind": "staff_share",
            "params": {"condition": "not_disciplined"}, "comparison": "at_least",
            "threshold": 100}])
        r = self.call("POST", "/v1/plans", token=office, body=body)
        self.assertEqual(r.status, 201, r)
        path = f"/v1/plans/{r.json()['id']}/progress?as_of=2022-06-30"
        vi = self.call("GET", path, token=head)
        en = self.call("GET", path, token=head, headers=EN)
        self.assertEqual((vi.status, en.status), (200, 200), (vi, en))
        self.assertEqual(vi.header("Content-Language"), "vi")
        self.assertEqual(en.header("Content-Language"), "en")
        self.assertIn("Accept-Language", vi.header("Vary") or "")
        tvi, ten = vi.json()["targets"][0], en.json()["targets"][0]
        self.assertEqual((tvi["status"], tvi["value"]), (ten["status"], ten["value"]))
        self.assertNotEqual(tvi["basis"], ten["basis"])
        self.assertIn("Tỷ lệ phần trăm", vi.json()["rounding_note"])
        self.assertIn("Percentages", en.json()["rounding_note"])
        # the cached answer of one language is never served in the other
        again = self.call("GET", path, token=head)
        self.assertEqual(again.json()["targets"][0]["basis"], tvi["basis"])


class FormatsTest(IdentityTest):
    """A database set to Vietnam's time zone and a day-first DateStyle, as a
    local administrator might set it: the API still writes instants in UTC
    (RFC 3339) and days as YYYY-MM-DD."""

    def test_instants_in_utc_and_days_as_dates(self):
        self.sql(f'ALTER DATABASE "{self.db}" SET timezone = \'Asia/Ho_Chi_Minh\'')
        self.sql(f'ALTER DATABASE "{self.db}" SET datestyle = \'SQL, DMY\'')
        # a second service: its connections start after the settings changed
        env = {"THIDUA_JWT_PRIVATE_KEY_FILE": self.key.private_path, "THIDUA_JWT_KID": KID,
               "THIDUA_MIGRATE_ON_START": "off"}
        with Service(self.db, env=env) as svc:
            token = self.token("A", "secretariat")
            r = svc.request("POST", "/v1/plans", body=dict(PLAN, period_start="2022-01-01"),
                            headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(r.status, 201, r)
            doc = r.json()
            for field in ("created_at", "updated_at"):
                self.assertRegex(doc[field],
                                 r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$", field)
            self.assertEqual((doc["period_start"], doc["period_end"]),
                             ("2022-01-01", "2022-12-31"))
            r = svc.request("GET", f"/v1/plans/{doc['id']}/progress?as_of=2022-03-01",
                            headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["reference_date"], "2022-03-01")
            self.assertEqual(r.json()["period_days"], 365)
        self.assertTrue(re.match(r"^\d", doc["created_at"]))


if __name__ == "__main__":
    main()
