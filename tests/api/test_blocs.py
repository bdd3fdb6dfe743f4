"""Emulation blocs (issue 14 §1-2, domain.md §6): a province makes a bloc of
its agencies, names each year's head and deputy; the head records the pact
and the scoring table (criteria, bonuses and penalties, the tie-break, who
cross-scores whom); members score themselves and their assigned peers; the
head adjusts with reasons; the ranking follows the table's rules; the
leading unit is proposed for the province's flag, and for the Government's
within the share Decree 152 Art. 7.1 allows.

Two provinces and three agencies: the seeded A and B and a third, C, in
province P; the agency D of province Q sees nothing of P's bloc.  Every
ranking below is computed by hand from the points sent."""

from harness import EN, main
from identity import IdentityTest, add_client, password_hash, sql_text

YEAR = 2018


class BlocTest(IdentityTest):
    validate_responses = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = sql_text(password_hash())
        cls.org = {"A": cls.world["A"].id, "B": cls.world["B"].id}
        for key, code, name, kind in (
                ("P", "TINH-GL", "Tỉnh Gia Lai", "province"),
                ("Q", "TINH-KT", "Tỉnh Kon Tum", "province"),
                ("C", "SO-CT", "Sở Công Thương", "agency"),
                ("D", "SO-GT-KT", "Sở Giao thông vận tải Kon Tum", "agency")):
            cls.org[key] = int(cls.sql(
                "INSERT INTO organizations (code, name, kind) VALUES "
                f"({sql_text(code)}, {sql_text(name)}, '{kind}') RETURNING id"))
            for role in ("admin", "secretariat", "viewer"):
                cls.sql("INSERT INTO users (organization_id, username, display_name, "
                        f"password_hash, roles) VALUES ({cls.org[key]}, "
                        f"'{key.lower()}.{role}', 'Tài khoản {role}', {h}, "
                        f"ARRAY[{sql_text(role)}])")
        p, q = cls.org["P"], cls.org["Q"]
        cls.sql("INSERT INTO province_members (province_id, member_id, valid_from) VALUES "
                f"({p}, {cls.org['A']}, '2015-01-01'), ({p}, {cls.org['B']}, '2015-01-01'), "
                f"({p}, {cls.org['C']}, '2015-01-01'), ({q}, {cls.org['D']}, '2015-01-01')")

        class A:
            id = cls.org["A"]
        cls.reader = add_client(cls.db, A, "a-bloc-reader", "{bloc:read}")
        cls.scorer = add_client(cls.db, A, "a-bloc-scorer", "{bloc:score}")

    def tok(self, key, role="secretariat"):
        if key in ("A", "B"):
            return self.token(key, role)
        k = ("user", key, role)
        if k not in self._tokens:
            r = self.password_grant(f"{key.lower()}.{role}")
            self.assertEqual(r.status, 200, r)
            self._tokens[k] = r.json()["access_token"]
        return self._tokens[k]

    def make_bloc(self, code):
        r = self.call("POST", "/v1/blocs", token=self.tok("P", "admin"), body={
            "code": code, "name": "Khối thi đua các sở, ngành kinh tế tỉnh",
            "members": [{"organization_id": self.org[k], "valid_from": "2018-01-01"}
                        for k in ("A", "B", "C")]})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def put(self, key, path, body, role="secretariat"):
        return self.call("PUT", path, token=self.tok(key, role), body=body, headers=EN)

    def year_path(self, bloc, tail=""):
        return f"/v1/blocs/{bloc['id']}/years/{YEAR}{tail}"

    def setup_year(self, bloc):
        r = self.put("P", self.year_path(bloc), {"head_id": self.org["A"],
                                                 "deputy_id": self.org["B"]}, role="admin")
        self.assertEqual(r.status, 200, r)
        r = self.put("A", self.year_path(bloc, "/table"), {
            "criteria": [{"code": "C1", "title": "Thực hiện nhiệm vụ chính trị", "max_points": 60},
                         {"code": "C2", "title": "Công tác thi đua, khen thưởng",
                          "max_points": 40}],
            "adjustments": [{"code": "FLAG", "title": "Cờ thi đua của UBND tỉnh", "points": 10},
                            {"code": "LATE", "title": "Nộp báo cáo chậm", "points": -5}],
            "tie_break": ["C1"],
            "cross_scorers": [{"scorer_id": self.org["B"], "member_id": self.org["C"]},
                              {"scorer_id": self.org["C"], "member_id": self.org["A"]},
                              {"scorer_id": self.org["A"], "member_id": self.org["B"]}]})
        self.assertEqual(r.status, 200, r)

    def score(self, key, member, points, claimed=None, role="secretariat", token=None):
        body = {"points": points, "evidence": "Báo cáo tổng kết năm 2018"}
        if claimed is not None:
            body["claimed"] = claimed
        return self.call("PUT", f"{self.path}/scores/{self.org[member]}",
                         token=token or self.tok(key, role), body=body, headers=EN)

    def test_a_bloc_year_from_pact_to_ranking(self):
        bloc = self.make_bloc("KHOI-KT")
        self.assertEqual(len(bloc["members"]), 3)
        self.setup_year(bloc)
        self.path = self.year_path(bloc)
        # the pact of 16/03/2018 (gialaitv.vn, 17/03/2018)
        r = self.put("A", self.year_path(bloc, "/pact"), {
            "theme": "Kỷ cương, hành động, chung tay cùng tỉnh Gia Lai phát triển",
            "signed_on": "2018-03-16", "place": "Pleiku",
            "commitments": [{"member_id": self.org[k], "commitment": f"Cam kết của {k}"}
                            for k in ("A", "B", "C")]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["pact"]["signed_on"], "2018-03-16")
        self.assertEqual(len(r.json()["pact"]["commitments"]), 3)
        # self-scoring, with a bonus claimed by B
        for key, pts, claimed in (("A", {"C1": 55, "C2": 30}, []),
                                  ("B", {"C1": 50, "C2": 35}, ["FLAG"]),
                                  ("C", {"C1": 50, "C2": 30}, [])):
            r = self.score(key, key, pts, claimed)
            self.assertEqual(r.status, 200, (key, r))
        # cross-scoring by the assigned members (A's by its machine client)
        self.assertEqual(self.score("B", "C", {"C1": 53, "C2": 32}).status, 200)
        self.assertEqual(self.score("C", "A", {"C1": 52, "C2": 33}).status, 200)
        machine = self.client_grant("a-bloc-scorer", self.scorer).json()["access_token"]
        self.assertEqual(self.score(None, "B", {"C1": 48, "C2": 36}, token=machine).status, 200)
        # B: cross 84 + FLAG 10 = 94; A: cross 85; C: cross 85, ties with A,
        # and C1 (53 against 52) puts C before A
        rk = self.call("GET", f"{self.path}/ranking", token=self.tok("C", "viewer")).json()
        self.assertTrue(rk["complete"])
        self.assertEqual([(i["rank"], i["member"]["code"], i["base"], i["base_from"],
                           i["claimed"], i["head"], i["result"]) for i in rk["items"]],
                         [(1, self.code("B"), "84.00", "cross", "10", "0", "94.00"),
                          (2, "SO-CT", "85.00", "cross", "0", "0", "85.00"),
                          (3, self.code("A"), "85.00", "cross", "0", "0", "85.00")])
        # the head's adjustment, with its reason, moves A before C
        r = self.call("POST", f"{self.path}/adjustments", token=self.tok("A"), headers=EN,
                      body={"member_id": self.org["A"], "points": 1.5,
                            "reason": "Mô hình mới được tỉnh nhân rộng"})
        self.assertEqual(r.status, 200, r)
        rk = self.call("GET", f"{self.path}/ranking", token=self.tok("P", "viewer")).json()
        self.assertEqual([(i["rank"], i["member"]["code"], i["result"]) for i in rk["items"]],
                         [(1, self.code("B"), "94.00"), (2, self.code("A"), "86.50"),
                          (3, "SO-CT", "85.00")])
        # the flags: the first for the province's; one leader in the province
        # is 20 % of nothing whole: no Government flag (Decree 152 Art. 7.1)
        r = self.call("POST", f"{self.path}/flags", token=self.tok("A"), headers=EN,
                      body={"member_id": self.org["A"], "flag": "provincial"})
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/member_id"])
        r = self.call("POST", f"{self.path}/flags", token=self.tok("A"),
                      body={"member_id": self.org["B"], "flag": "provincial"})
        self.assertEqual(r.status, 200, r)
        r = self.call("POST", f"{self.path}/flags", token=self.tok("A"), headers=EN,
                      body={"member_id": self.org["B"], "flag": "government"})
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("Nghị định 152/2025/NĐ-CP, Điều 7 khoản 1", doc["detail"])
        # everything audited, in the acting organisation's trail
        self.assertEqual(self.count("audit_log", f"organization_id = {self.org['A']} AND "
                                    "action IN ('bloc.pact', 'bloc.table', 'bloc.adjust', "
                                    "'bloc.flag')"), 4)
        self.assertEqual(self.count("audit_log", "action = 'bloc.score'"), 6)

    def code(self, key):
        return self.sql(f"SELECT code FROM organizations WHERE id = {self.org[key]}")

    def test_the_head_reads_its_members_reports_and_targets(self):
        """B sends a consolidated report for a period of the year; the year's
        head A and the province read it with its number and targets, B (the
        deputy, a member) is refused, D of another province does not find it."""
        bloc = self.make_bloc("K-BAO-CAO")
        self.setup_year(bloc)
        b = self.token("B", "secretariat")
        t = self.call("POST", "/v1/report-templates", token=b, body={
            "code": "bc-nam-khoi", "title": "Báo cáo năm",
            "fields": [{"key": "cases", "label": "Số hồ sơ", "type": "number",
                        "required": True, "aggregate": "sum"}]})
        self.assertEqual(t.status, 201, t)
        p = self.call("POST", "/v1/report-periods", token=b, body={
            "template_id": t.json()["id"], "kind": "year", "title": "Báo cáo năm 2018",
            "starts_on": "2018-01-01", "ends_on": "2018-12-15", "due_on": "2018-12-20",
            "unit_ids": [self.world["B"].units["R"]]})
        self.assertEqual(p.status, 201, p)
        sub = self.call("POST", f"/v1/report-periods/{p.json()['id']}/submissions",
                        token=self.token("B", "unit_head"),
                        body={"unit_id": self.world["B"].units["R"], "answers": {"cases": 40},
                              "submit": True}, headers={"Idempotency-Key": "bloc-b-2018"})
        self.assertEqual(sub.status, 201, sub)
        k = self.call("POST", f"/v1/report-periods/{p.json()['id']}/consolidations", token=b)
        self.assertEqual(k.status, 201, k)
        sent = self.call("POST", f"/v1/consolidations/{k.json()['id']}/send", token=b,
                         headers={"If-Match": f'"{k.json()["version"]}"'})
        self.assertEqual(sent.status, 200, sent)
        path = self.year_path(bloc, "/reports")
        for key, role in (("A", "secretariat"), ("A", "viewer"), ("P", "viewer")):
            r = self.call("GET", path, token=self.tok(key, role))
            self.assertEqual(r.status, 200, (key, role, r))
            members = {m["id"]: m for m in r.json()["members"]}
            self.assertEqual(set(members), {self.org[x] for x in ("A", "B", "C")})
            self.assertEqual(members[self.org["A"]]["reports"], [])
            [rep] = members[self.org["B"]]["reports"]
            self.assertEqual(rep["consolidation_id"], k.json()["id"])
            self.assertTrue(sent.json()["number_text"].startswith(f"{rep['number']:02d}/"),
                            (rep, sent.json()["number_text"]))
            self.assertEqual(rep["period"]["title"], "Báo cáo năm 2018")
            self.assertIsInstance(rep["targets"], list)
        r = self.call("GET", path, token=self.tok("B", "secretariat"))
        self.assertEqual(r.status, 403, r)
        r = self.call("GET", path, token=self.tok("D", "viewer"))
        self.assertEqual(r.status, 404, r)
        r = self.call("GET", f"/v1/blocs/{bloc['id']}/years/2019/reports",
                      token=self.tok("A", "secretariat"))
        self.assertEqual(r.status, 403, r)          # A heads 2018, not 2019

    def test_who_may_do_what(self):
        bloc = self.make_bloc("KHOI-QUYEN")
        self.setup_year(bloc)
        self.path = self.year_path(bloc)
        # an agency makes no bloc and names no head
        r = self.call("POST", "/v1/blocs", token=self.tok("A", "admin"), headers=EN,
                      body={"code": "X", "name": "Khối", "members": []})
        self.assertProblem(r, 403)
        self.assertProblem(self.put("A", self.path, {"head_id": self.org["A"]}, role="admin"),
                           403)
        # only the head records the pact and the table
        r = self.put("B", self.year_path(bloc, "/pact"),
                     {"theme": "Chủ đề", "signed_on": "2018-03-16"})
        self.assertProblem(r, 403)
        # B may not cross-score A (not assigned); C is not B's own
        self.assertProblem(self.score("B", "A", {"C1": 1, "C2": 1}), 403)
        # another province's agency, and a bloc id it guesses: nothing there
        for path in (f"/v1/blocs/{bloc['id']}", self.path, f"{self.path}/ranking"):
            self.assertEqual(self.call("GET", path, token=self.tok("D", "admin")).status, 404,
                             path)
        self.assertEqual(self.score("D", "A", {"C1": 1, "C2": 1}).status, 404)
        self.assertNotIn(bloc["id"], [b["id"] for b in self.call(
            "GET", "/v1/blocs", token=self.tok("D", "viewer")).json()["items"]])
        self.assertNotIn(bloc["id"], [b["id"] for b in self.call(
            "GET", "/v1/blocs", token=self.tok("Q", "admin")).json()["items"]])
        # the roles: a unit head and a staff member read no bloc; a viewer
        # does not write one
        for role in ("unit_head", "staff"):
            self.assertEqual(self.call("GET", "/v1/blocs", token=self.token("A", role)).status,
                             403, role)
        self.assertEqual(self.score("A", "A", {"C1": 1, "C2": 1}, role="viewer").status, 403)
        # machine scopes: bloc:read reads, does not score
        reader = self.client_grant("a-bloc-reader", self.reader).json()["access_token"]
        self.assertEqual(self.call("GET", f"{self.path}/ranking", token=reader).status, 200)
        self.assertEqual(self.score(None, "A", {"C1": 1, "C2": 1}, token=reader).status, 403)
        self.assertEqual(self.call("GET", "/v1/blocs", token=self.client_token("A")).status,
                         403)

    def test_bad_input_names_the_field(self):
        bloc = self.make_bloc("KHOI-LOI")
        self.setup_year(bloc)
        self.path = self.year_path(bloc)
        for pts, claimed, pointer in (({"C1": 61, "C2": 1}, [], "/points/C1"),
                                      ({"C1": -1, "C2": 1}, [], "/points/C1"),
                                      ({"C1": 10}, [], "/points/C2"),
                                      ({"C1": 10, "C2": 1, "C9": 1}, [], "/points/C9"),
                                      ({"C1": "10", "C2": 1}, [], "/points/C1"),
                                      ({"C1": 10, "C2": 1}, ["BONUS"], "/claimed/0")):
            with self.subTest(pointer=pointer, pts=pts):
                doc = self.assertProblem(self.score("A", "A", pts, claimed), 422)
                self.assertEqual([e["pointer"] for e in doc["errors"]], [pointer])
        self.assertEqual(self.count("bloc_scores", f"bloc_id = {bloc['id']}"), 0)
        admin = self.tok("P", "admin")
        for body, pointer in (
                ({"code": "K", "name": "Khối", "members": [
                    {"organization_id": self.org["D"], "valid_from": "2018-01-01"}]},
                 "/members/0/organization_id"),
                ({"code": "K K", "name": "Khối", "members": []}, "/code"),
                ({"code": "K", "name": "", "members": []}, "/name"),
                ({"code": "K", "name": "Khối", "members": [{"valid_from": "2018-01-01"}]},
                 "/members/0/organization_id")):
            with self.subTest(pointer=pointer):
                r = self.call("POST", "/v1/blocs", token=admin, body=body, headers=EN)
                self.assertIn(pointer, [e["pointer"] for e in self.assertProblem(r, 422)
                                        ["errors"]])
        r = self.put("P", self.path, {"head_id": self.org["D"]}, role="admin")
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/head_id"])
        r = self.put("A", self.year_path(bloc, "/table"), {
            "criteria": [{"code": "C1", "title": "x", "max_points": 10},
                         {"code": "C1", "title": "y", "max_points": 10}],
            "tie_break": ["C1"]})
        self.assertIn("/criteria/1/code", [e["pointer"] for e in
                                           self.assertProblem(r, 422)["errors"]])
        r = self.put("A", self.year_path(bloc, "/table"), {
            "criteria": [{"code": "C1", "title": "x", "max_points": 10}], "tie_break": ["C7"]})
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/tie_break/0"])
        # once a member has scored, the table stays as it was scored against
        self.assertEqual(self.score("A", "A", {"C1": 10, "C2": 10}).status, 200)
        r = self.put("A", self.year_path(bloc, "/table"), {
            "criteria": [{"code": "C1", "title": "x", "max_points": 100}]})
        self.assertProblem(r, 409)


if __name__ == "__main__":
    main()
