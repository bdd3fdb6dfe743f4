"""GET /v1/catalogue/labels over HTTP: what every enumeration code of the API
reads as, in Vietnamese and English at once, and the titles (danh hiệu) from
the title_kinds table.

The label sets are code (service/answers/labels.c); the codes a column may
hold are the database's CHECK constraints.  This test reads those
constraints from pg_constraint on the migrated test database and compares
each set with its columns, so a code added on one side only fails here.
"""

import json
import re

from harness import EN, main
from identity import IdentityTest

# label set -> the (table, column) pairs whose CHECK constraint lists its codes
COLUMNS = {
    "role": [("users", "roles")],
    "machine_scope": [("clients", "scopes")],
    "unit_kind": [("units", "kind")],
    "gender": [("staff", "gender")],
    "employment_type": [("staff", "employment_type")],
    "staff_status": [("staff", "status")],
    "plan_status": [("plans", "status")],
    "target_kind": [("plan_targets", "kind")],
    "comparison": [("plan_targets", "comparison")],
    "rounding": [("plan_targets", "rounding")],
    "registration_status": [("registrations", "status")],
    "movement_kind": [("movements", "kind")],
    "session_kind": [("sessions", "kind")],
    "attendance_status": [("session_attendance", "status")],
    "rating": [("staff_evaluations", "rating"), ("collective_ratings", "rating")],
    "subject_kind": [("collective_ratings", "subject_kind")],
    "recognition_kind": [("recognitions", "kind")],
    "period_kind": [("report_periods", "kind")],
    "period_status": [("report_periods", "status")],
    "submission_status": [("submissions", "status")],
    "consolidation_status": [("consolidations", "status")],
    "discipline_form": [("staff_disciplines", "form")],
    "leave_kind": [("staff_leaves", "kind"), ("staff", "leave_kind")],
    "case_kind": [("staff_cases", "kind")],
    "lodged_case_kind": [("cases", "kind")],
    "lodged_case_status": [("cases", "status")],
    "initiative_kind": [("initiatives", "kind")],
    "initiative_level": [("initiatives", "level")],
    "award_subject": [("awards", "subject_kind")],
    "source_mark": [("rules", "mark")],
}
# the sets no column holds: a target's status is computed by progress, a
# unit's reporting state by the follow-up, and the titles are rows of
# title_kinds; a verdict and the outcome of its checks are computed too
NO_COLUMN = {"target_status", "title", "report_unit_state", "verdict", "check_outcome"}

# (set, code) -> (vi, en), as a person reads them
KNOWN = {
    ("plan_status", "issued"): ("đã ban hành", "issued"),
    ("registration_status", "returned"): ("bị trả lại", "returned"),
    ("role", "secretariat"): ("bộ phận thi đua – khen thưởng",
                              "emulation and commendation office"),
    ("session_kind", "dissemination"): ("tuyên truyền, quán triệt", "dissemination"),
    ("attendance_status", "informed_later"): ("được thông tin sau", "informed later"),
    ("rating", "excellent"): ("hoàn thành xuất sắc nhiệm vụ", "excellently completed duties"),
    ("subject_kind", "party_cell"): ("chi bộ", "party cell"),
    ("title", "lao_dong_tien_tien"): ("Lao động tiên tiến", "Advanced worker"),
    ("title", "co_thi_dua_chinh_phu"): ("Cờ thi đua của Chính phủ", "Government emulation flag"),
}

ARRAY = re.compile(r"ARRAY\[(.*?)\]")
CODE = re.compile(r"'((?:[^']|'')*)'::text")


class LabelsTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.call("GET", "/v1/catalogue/labels", token=cls.token("A", "admin"))
        assert r.status == 200, r
        cls.doc = r.json()

    def allowed(self, table, column):
        """The codes the one-column CHECK constraint of table.column lists."""
        defs = json.loads(self.sql(
            "SELECT coalesce(json_agg(pg_get_constraintdef(c.oid)), '[]') FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            f" WHERE c.conrelid = '{table}'::regclass AND c.contype = 'c'"
            f" AND cardinality(c.conkey) = 1 AND a.attname = '{column}'"))
        lists = [ARRAY.search(d).group(1) for d in defs if ARRAY.search(d)]
        self.assertEqual(len(lists), 1, f"{table}.{column}: {defs}")
        return {c.replace("''", "'") for c in CODE.findall(lists[0])}

    def test_shape_both_languages_for_every_code(self):
        self.assertEqual(set(self.doc), set(COLUMNS) | NO_COLUMN)
        for name, labels in self.doc.items():
            with self.subTest(set=name):
                self.assertIsInstance(labels, dict)
                self.assertTrue(labels)
                for code, both in labels.items():
                    self.assertRegex(code, r"^[a-z_:]+$")
                    self.assertEqual(set(both), {"vi", "en"}, (name, code))
                    for lang in ("vi", "en"):
                        self.assertIsInstance(both[lang], str)
                        self.assertTrue(both[lang].strip(), (name, code, lang))

    def test_known_labels(self):
        for (name, code), (vi, en) in KNOWN.items():
            with self.subTest(set=name, code=code):
                self.assertEqual(self.doc[name][code], {"vi": vi, "en": en})
        # Vietnamese is a translation, not the English again
        differ = [(n, c) for n, labels in self.doc.items() for c, b in labels.items()
                  if b["vi"] != b["en"]]
        self.assertGreater(len(differ), 0.9 * sum(len(x) for x in self.doc.values()))

    def test_sets_have_the_codes_their_columns_allow(self):
        for name, columns in COLUMNS.items():
            for table, column in columns:
                with self.subTest(set=name, column=f"{table}.{column}"):
                    self.assertEqual(set(self.doc[name]), self.allowed(table, column))

    def test_titles_are_title_kinds(self):
        want = json.loads(self.sql(
            "SELECT json_object_agg(code, json_build_object('vi', name_vi, 'en', name_en))"
            " FROM title_kinds"))
        self.assertEqual(self.doc["title"], want)
        # the same titles as the catalogue of titles
        r = self.call("GET", "/v1/catalogue/titles", token=self.token("A", "viewer"))
        self.assertEqual({t["code"]: {"vi": t["name_vi"], "en": t["name_en"]}
                          for t in r.json()["items"]}, want)

    def test_every_reader_gets_the_same_answer_in_any_language(self):
        callers = [self.token(org, role) for org in ("A", "B")
                   for role in ("viewer", "staff", "unit_head")]
        callers += [self.client_token("A", "reports"), self.client_token("B")]
        for token in callers:
            for headers in (None, EN, {"Accept-Language": "vi-VN, en;q=0.5"}):
                r = self.call("GET", "/v1/catalogue/labels", token=token, headers=headers)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json(), self.doc)
                self.assertEqual(r.header("Content-Type"), "application/json")
                self.assertIn("no-store", r.header("Cache-Control"))

    def test_denied_without_a_token_and_takes_no_query(self):
        for headers in (None, {"Authorization": "Bearer x.y.z"}):
            r = self.call("GET", "/v1/catalogue/labels", headers=headers)
            self.assertProblem(r, 401, "unauthorized")
            self.assertNotIn("plan_status", r.body.decode("utf-8", "replace"))
        r = self.call("GET", "/v1/catalogue/labels?lang=en", token=self.token("A", "viewer"))
        self.assertProblem(r, 400, "bad-request")
        r = self.call("POST", "/v1/catalogue/labels", token=self.token("A", "admin"), body={})
        self.assertEqual(r.status, 405, r)


if __name__ == "__main__":
    main()
