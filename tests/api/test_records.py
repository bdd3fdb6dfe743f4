"""Records of issue 4 over HTTP: the catalogue of titles, documents,
movements, dissemination sessions and attendance, collective ratings,
recognitions and numbers reported against a plan's targets.

Each class gets its own database, service and the two seeded organisations
of identity.py (units R > C and S; the unit head leads R, the staff account
is Đặng Văn Đức of C).  Plans and targets are inserted with SQL: their API
is not part of these routes.
"""

import json
import unicodedata
import urllib.parse
import uuid

from harness import EN, main
from identity import IdentityTest, sql_text

HOSTILE = ["'; DROP TABLE sessions; --", "Robert'); DELETE FROM documents; --",
           "%_\\%", "$1::text", "<script>alert('x')</script>", "Nguyễn Văn An 😀"]


def tag():
    return uuid.uuid4().hex[:8]


class RecordsBase(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for org in ("A", "B"):  # log-ins write audit rows: before any count
            for role in ("admin", "secretariat", "unit_head", "staff", "viewer"):
                cls.token(org, role)

    def post(self, path, body, role="admin", org="A", headers=None):
        return self.call("POST", path, token=self.token(org, role), body=body, headers=headers)

    def get(self, path, role="admin", org="A"):
        return self.call("GET", path, token=self.token(org, role))

    def assertPointers(self, r, status, pointers, slug=None):
        doc = self.assertProblem(r, status, slug)
        got = [e["pointer"] for e in doc.get("errors", [])]
        for p in pointers:
            self.assertIn(p, got, doc)
        return doc

    def assertSpoken(self, vi, en, status, pointer, slug, vi_words, en_detail):
        """The same answer in Vietnamese (the default) and English (EN): status,
        slug and pointer equal, the detail of the error at pointer in each."""
        details = {}
        for lang, r in (("vi", vi), ("en", en)):
            doc = self.assertPointers(r, status, [pointer], slug)
            self.assertEqual(r.header("Content-Language"), lang, r)
            details[lang] = [e["detail"] for e in doc["errors"] if e["pointer"] == pointer][0]
        for word in vi_words:
            self.assertIn(word, details["vi"])
        self.assertEqual(details["en"], en_detail)

    def audit_count(self, action, entity_id=None, org="A"):
        where = f"organization_id = {self.world[org].id} AND action = {sql_text(action)}"
        if entity_id is not None:
            where += f" AND entity_id = {sql_text(entity_id)}"
        return self.count("audit_log", where)

    def audit_after(self, action, entity_id):
        return json.loads(self.sql(
            f"SELECT after::text FROM audit_log WHERE action = {sql_text(action)} "
            f"AND entity_id = {sql_text(entity_id)} ORDER BY seq DESC LIMIT 1"))

    def plan(self, org="A", year=2024, targets=(("R1", "reported_number"),), status="issued"):
        """A plan of org with targets (code, kind), inserted with SQL; its id."""
        o = self.world[org]
        pid = self.sql(
            "INSERT INTO plans (organization_id, year, symbol, title, period_start, period_end) "
            f"VALUES ({o.id}, {year}, 'KH-{tag()}', 'Kế hoạch thi đua năm {year}', "
            f"'{year}-01-01', '{year}-12-31') RETURNING id")
        params = {"reported_number": {"aggregate": "sum"},
                  "staff_share": {"condition": "not_disciplined"}}
        for pos, (code, kind) in enumerate(targets, 1):
            self.sql("INSERT INTO plan_targets (organization_id, plan_id, position, code, title, "
                     f"kind, params, comparison, threshold) VALUES ({o.id}, {pid}, {pos}, "
                     f"{sql_text(code)}, 'Chỉ tiêu {code}', '{kind}', "
                     f"{sql_text(json.dumps(params[kind]))}, 'at_least', 30)")
        if status in ("issued", "closed"):
            self.sql(f"UPDATE plans SET status = 'issued', number = '12', "
                     f"issued_on = '{year}-01-15' WHERE id = {pid}")
        if status == "closed":
            self.sql(f"UPDATE plans SET status = 'closed', closed_at = now() WHERE id = {pid}")
        return int(pid)


# ---- catalogue and documents -------------------------------------------------

class CatalogueDocumentsTest(RecordsBase):

    def test_titles_for_everyone_in_rank_order(self):
        for who in ("viewer", "staff", "unit_head"):
            r = self.get("/v1/catalogue/titles", role=who)
            self.assertEqual(r.status, 200, r)
            items = r.json()["items"]
            self.assertEqual(len(items), 8)
            self.assertEqual([(t["level"], t["rank"]) for t in items],
                             sorted((t["level"], t["rank"]) for t in items))
            self.assertEqual(set(items[0]), {"code", "level", "rank", "name_vi", "name_en"})
            self.assertIn({"code": "lao_dong_tien_tien", "level": "individual", "rank": 1,
                           "name_vi": "Lao động tiên tiến", "name_en": "Advanced worker"}, items)
        r = self.call("GET", "/v1/catalogue/titles", token=self.client_token("A", "reports"))
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.get("/v1/catalogue/titles?level=individual"), 400)

    def test_create_list_and_audit(self):
        code = f"98/2023/NĐ-CP-{tag()}"
        title = unicodedata.normalize("NFD", "Nghị định quy định chi tiết Luật Thi đua")
        r = self.post("/v1/documents", {"code": code, "title": title,
                                        "issuer": "Chính phủ", "issued_on": "2023-12-31"},
                      role="secretariat")
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.assertEqual(set(doc), {"id", "code", "title", "issuer", "issued_on", "created_at"})
        self.assertEqual(doc["title"], unicodedata.normalize("NFC", title))
        self.assertEqual(doc["issued_on"], "2023-12-31")
        self.assertEqual(r.header("Location"), f"/v1/documents/{doc['id']}")
        self.assertEqual(self.audit_count("document.create", str(doc["id"])), 1)
        self.assertEqual(self.audit_after("document.create", str(doc["id"]))["code"], code)
        # optional members: issuer "" and issued_on null
        r = self.post("/v1/documents", {"code": f"CV-{tag()}", "title": "Công văn",
                                        "issued_on": None})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["issuer"], r.json()["issued_on"]), ("", None))
        # the list: newest issue first, undated last; B sees none of them
        r = self.get("/v1/documents", role="viewer")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        dated = [d["issued_on"] for d in items if d["issued_on"]]
        self.assertEqual(dated, sorted(dated, reverse=True))
        self.assertIsNone(items[-1]["issued_on"])
        self.assertIn(doc["id"], [d["id"] for d in items])
        r = self.get("/v1/documents", org="B")
        self.assertNotIn(doc["id"], [d["id"] for d in r.json()["items"]])
        # the Location leads to the document; another organisation's is 404
        r = self.get(f"/v1/documents/{doc['id']}", role="staff")
        self.assertEqual((r.status, r.json()), (200, doc))
        self.assertProblem(self.get(f"/v1/documents/{doc['id']}", org="B"), 404, "not-found")
        self.assertProblem(self.get("/v1/documents/x"), 404, "not-found")

    def test_duplicate_code_is_409(self):
        code = f"DUP-{tag()}"
        self.assertEqual(self.post("/v1/documents", {"code": code, "title": "Một"}).status, 201)
        before = self.count("documents")
        r = self.post("/v1/documents", {"code": code, "title": "Hai"})
        self.assertPointers(r, 409, ["/code"], "conflict")
        self.assertEqual(self.count("documents"), before)
        # the same code in another organisation is that organisation's own
        self.assertEqual(self.post("/v1/documents", {"code": code, "title": "Ba"},
                                   org="B").status, 201)

    def test_duplicate_code_in_vietnamese_and_english(self):
        code = f"NGON-NGU-{tag()}"
        self.assertEqual(self.post("/v1/documents", {"code": code, "title": "Một"}).status, 201)
        body = {"code": code, "title": "Hai"}
        self.assertSpoken(self.post("/v1/documents", body),
                          self.post("/v1/documents", body, headers=EN), 409, "/code",
                          "conflict", ["văn bản", "số, ký hiệu"],
                          "another document already has this code")

    def test_bad_input(self):
        before = self.count("documents")
        cases = [
            ({"code": "X", "title": "T", "id": 5}, 400, "/id"),
            ({"code": "X", "title": "T", "organization_id": self.world["B"].id}, 400,
             "/organization_id"),
            ({"title": "T"}, 422, "/code"),
            ({"code": "", "title": "T"}, 422, "/code"),
            ({"code": "x" * 101, "title": "T"}, 422, "/code"),
            ({"code": "X", "title": "t" * 1001}, 422, "/title"),
            ({"code": "X", "title": "T", "issuer": "i" * 301}, 422, "/issuer"),
            ({"code": "X", "title": 7}, 422, "/title"),
            ({"code": "X", "title": "T", "issued_on": "2023-02-29"}, 422, "/issued_on"),
            ({"code": "X", "title": "T", "issued_on": "31/12/2023"}, 422, "/issued_on"),
        ]
        for body, status, pointer in cases:
            with self.subTest(body=str(body)[:60]):
                self.assertPointers(self.post("/v1/documents", body), status, [pointer])
        self.assertEqual(self.count("documents"), before)

    def test_hostile_text_stored_verbatim(self):
        for value in HOSTILE:
            with self.subTest(value=value):
                r = self.post("/v1/documents", {"code": f"H-{tag()}", "title": value,
                                                "issuer": value})
                self.assertEqual(r.status, 201, r)
                stored = [d for d in self.get("/v1/documents").json()["items"]
                          if d["id"] == r.json()["id"]][0]
                self.assertEqual((stored["title"], stored["issuer"]), (value, value))
        self.assertEqual(self.sql("SELECT to_regclass('sessions') IS NOT NULL"), "t")

    def test_who_may_write(self):
        for role in ("leader", "council", "unit_head", "staff", "viewer"):
            r = self.post("/v1/documents", {"code": f"N-{tag()}", "title": "T"}, role=role)
            self.assertProblem(r, 403, "forbidden")


# ---- movements -------------------------------------------------------------------

class MovementsTest(RecordsBase):

    def movement(self, **over):
        body = {"name": "Phong trào thi đua “Dân vận khéo”", "kind": "thematic",
                "starts_on": "2024-03-01", "ends_on": "2024-11-30"}
        body.update(over)
        return body

    def test_create_get_and_audit(self):
        a = self.world["A"]
        pid = self.plan()
        r = self.post("/v1/movements", self.movement(plan_id=pid, owner_unit_id=a.units["C"],
                                                     description="Dòng 1\nDòng 2"),
                      role="secretariat")
        self.assertEqual(r.status, 201, r)
        m = r.json()
        self.assertEqual(set(m), {"id", "plan_id", "name", "kind", "starts_on", "ends_on",
                                  "owner_unit_id", "description", "launch_level", "scope",
                                  "version", "created_at"})
        # the agency's own by default (form 0601 of Circular 02/2023)
        self.assertEqual((m["launch_level"], m["scope"]), ("agency", "agency"))
        self.assertEqual((m["plan_id"], m["owner_unit_id"], m["version"]),
                         (pid, a.units["C"], 1))
        self.assertEqual(m["description"], "Dòng 1\nDòng 2")
        self.assertEqual(r.header("Location"), f"/v1/movements/{m['id']}")
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual(self.audit_count("movement.create", str(m["id"])), 1)
        for who in ("viewer", "staff", "unit_head"):
            g = self.get(f"/v1/movements/{m['id']}", role=who)
            self.assertEqual(g.status, 200, g)
            self.assertEqual(g.json(), m)
            self.assertEqual(g.header("ETag"), '"1"')
        r = self.call("GET", f"/v1/movements/{m['id']}", token=self.client_token("A"))
        self.assertEqual(r.status, 200, r)
        # another organisation's movement does not exist for B
        for who in ("admin", "viewer"):
            self.assertProblem(self.get(f"/v1/movements/{m['id']}", role=who, org="B"), 404,
                               "not-found")
        self.assertProblem(self.get("/v1/movements/abc"), 404)

    def test_pages_newest_first_and_plan_filter(self):
        pid = self.plan(org="B")
        ids = []
        for i, day in enumerate(("2023-05-01", "2023-07-01", "2023-07-01", "2023-01-10")):
            r = self.post("/v1/movements", self.movement(
                name=f"PT {i}", starts_on=day, ends_on="2023-12-31",
                plan_id=pid if i % 2 == 0 else None), org="B")
            self.assertEqual(r.status, 201, r)
            ids.append((day, r.json()["id"]))
        want = [i for _, i in sorted(ids, key=lambda t: (t[0], t[1]), reverse=True)]
        got, url = [], "/v1/movements?limit=1"
        for _ in range(10):
            r = self.get(url, org="B")
            self.assertEqual(r.status, 200, r)
            got += [m["id"] for m in r.json()["items"]]
            cursor = r.json()["next_cursor"]
            if not cursor:
                self.assertIsNone(r.header("Link"))
                break
            self.assertEqual(r.header("Link"), f'</v1/movements?cursor={cursor}&limit=1>; '
                                               'rel="next"')
            url = f"/v1/movements?limit=1&cursor={cursor}"
        self.assertEqual(got, want)
        r = self.get(f"/v1/movements?plan_id={pid}&limit=100", org="B")
        self.assertEqual([m["id"] for m in r.json()["items"]],
                         [i for i in want if i in (ids[0][1], ids[2][1])])
        # A sees none of B's
        r = self.get("/v1/movements?limit=100")
        self.assertFalse({m["id"] for m in r.json()["items"]} & {i for _, i in ids})
        for query in ("limit=0", "limit=101", "plan_id=x", "cursor=abc", "cursor=2023-02-30.5",
                      "cursor=2023-01-01.-1", "sort=name"):
            with self.subTest(query=query):
                self.assertProblem(self.get(f"/v1/movements?{query}", org="B"), 400)

    def test_unknown_plan_in_vietnamese_and_english(self):
        body = self.movement(plan_id=self.plan(org="B"))
        self.assertSpoken(self.post("/v1/movements", body),
                          self.post("/v1/movements", body, headers=EN), 422, "/plan_id",
                          "validation", ["không có kế hoạch này"],
                          "no such plan in your organisation")

    def test_bad_input_and_references(self):
        a, b = self.world["A"], self.world["B"]
        b_plan = self.plan(org="B")
        before = (self.count("movements"), self.audit_count("movement.create"))
        cases = [
            (self.movement(version=2), 400, "/version"),
            (self.movement(kind="annual"), 422, "/kind"),
            (self.movement(name=""), 422, "/name"),
            (self.movement(name="n" * 501), 422, "/name"),
            (self.movement(starts_on="2024-13-01"), 422, "/starts_on"),
            (self.movement(ends_on="2024-02-29", starts_on="2024-03-01"), 422, "/ends_on"),
            (self.movement(description="d" * 20001), 422, "/description"),
            (self.movement(plan_id="1"), 422, "/plan_id"),
            (self.movement(plan_id=b_plan), 422, "/plan_id"),
            (self.movement(owner_unit_id=b.units["R"]), 422, "/owner_unit_id"),
            (self.movement(owner_unit_id=0), 422, "/owner_unit_id"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer, body=str(body)[-60:]):
                self.assertPointers(self.post("/v1/movements", body), status, [pointer])
        self.assertEqual((self.count("movements"), self.audit_count("movement.create")), before)
        # a one-day movement is fine
        r = self.post("/v1/movements", self.movement(starts_on="2024-06-01",
                                                     ends_on="2024-06-01",
                                                     owner_unit_id=a.units["S"]))
        self.assertEqual(r.status, 201, r)
        for role in ("leader", "unit_head", "staff", "viewer"):
            self.assertProblem(self.post("/v1/movements", self.movement(), role=role), 403)


# ---- sessions and attendance ---------------------------------------------------

class SessionsTest(RecordsBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.docs = []
        for i in range(2):
            cls.docs.append(int(cls.sql(
                "INSERT INTO documents (organization_id, code, title) VALUES "
                f"({a.id}, 'NQ-{i}', 'Nghị quyết {i}') RETURNING id")))
        cls.b_doc = int(cls.sql("INSERT INTO documents (organization_id, code, title) VALUES "
                                f"({cls.world['B'].id}, 'NQ-B', 'Nghị quyết B') RETURNING id"))

    def session(self, role="admin", org="A", **over):
        body = {"kind": "dissemination", "held_on": "2024-03-15",
                "topic": "Quán triệt Nghị quyết Đại hội", "location": "Hội trường tầng 3",
                "document_ids": self.docs if org == "A" else []}
        body.update(over)
        r = self.post("/v1/sessions", body, role=role, org=org)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def attendance(self, sid):
        return {int(k): v for k, v in json.loads(self.sql(
            "SELECT coalesce(json_object_agg(staff_id, json_build_object('status', status, "
            "'informed_on', informed_on, 'note', note)), '{}') FROM session_attendance "
            f"WHERE session_id = {sid}")).items()}

    def put(self, sid, records, role="admin", org="A"):
        return self.call("PUT", f"/v1/sessions/{sid}/attendance", token=self.token(org, role),
                         body={"records": records})

    def test_create_and_get(self):
        pid = self.plan()
        s = self.session(plan_id=pid, topic=unicodedata.normalize("NFD", "Tập huấn nghiệp vụ"))
        self.assertEqual(set(s), {"id", "plan_id", "kind", "held_on", "topic", "location",
                                  "unit_id", "makeup_of", "document_ids", "attendance",
                                  "created_at"})
        self.assertEqual((s["plan_id"], s["document_ids"], s["attendance"], s["unit_id"]),
                         (pid, self.docs, [], None))
        self.assertEqual(s["topic"], "Tập huấn nghiệp vụ")
        self.assertEqual(self.audit_count("session.create", str(s["id"])), 1)
        for who in ("viewer", "unit_head", "staff", "secretariat"):
            g = self.get(f"/v1/sessions/{s['id']}", role=who)
            self.assertEqual(g.status, 200, g)
            self.assertEqual(g.json()["topic"], s["topic"])
        for who in ("admin", "viewer", "staff"):
            self.assertProblem(self.get(f"/v1/sessions/{s['id']}", role=who, org="B"), 404)
        # a make-up session names the session it makes up for
        m = self.session(kind="makeup", makeup_of=s["id"], held_on="2024-04-02")
        self.assertEqual(m["makeup_of"], s["id"])

    def test_null_members_mean_absent(self):
        # "document_ids": null answered 500: the statement read JSON null as an array
        body = {"kind": "dissemination", "held_on": "2024-03-15", "topic": "Không có tài liệu"}
        absent = self.post("/v1/sessions", body)
        nulls = self.post("/v1/sessions", dict(body, document_ids=None, location=None,
                                               plan_id=None, unit_id=None))
        self.assertEqual((absent.status, nulls.status), (201, 201), nulls)
        same = ("document_ids", "location", "plan_id", "unit_id", "makeup_of", "attendance")
        self.assertEqual({k: nulls.json()[k] for k in same}, {k: absent.json()[k] for k in same})
        self.assertEqual(nulls.json()["document_ids"], [])

    def test_bad_sessions_store_nothing(self):
        a, b = self.world["A"], self.world["B"]
        other = self.session(org="B")
        b_plan = self.plan(org="B")
        good = {"kind": "training", "held_on": "2024-05-05", "topic": "Tập huấn"}
        cases = [
            (dict(good, created_at="2024-01-01"), 400, "/created_at"),
            (dict(good, kind="meeting"), 422, "/kind"),
            (dict(good, held_on="2024-02-30"), 422, "/held_on"),
            (dict(good, topic=""), 422, "/topic"),
            (dict(good, topic="t" * 1001), 422, "/topic"),
            (dict(good, location="l" * 301), 422, "/location"),
            (dict(good, kind="makeup"), 422, "/makeup_of"),
            (dict(good, makeup_of=other["id"] + 1000000), 422, "/makeup_of"),
            (dict(good, kind="makeup", makeup_of=other["id"]), 422, "/makeup_of"),
            (dict(good, plan_id=b_plan), 422, "/plan_id"),
            (dict(good, unit_id=b.units["R"]), 422, "/unit_id"),
            (dict(good, document_ids=[self.docs[0], self.b_doc]), 422, "/document_ids/1"),
            (dict(good, document_ids=[self.docs[0], self.docs[0]]), 422, "/document_ids/1"),
            (dict(good, document_ids=["1"]), 422, "/document_ids/0"),
            (dict(good, document_ids=self.docs[0]), 422, "/document_ids"),
        ]
        before = (self.count("sessions"), self.audit_count("session.create"))
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer, body=str(body)[-70:]):
                self.assertPointers(self.post("/v1/sessions", body), status, [pointer])
        self.assertEqual((self.count("sessions"), self.audit_count("session.create")), before)
        self.assertTrue(a.units)

    def test_refusals_in_vietnamese_and_english(self):
        body = {"kind": "training", "held_on": "2024-05-05", "topic": "Tập huấn",
                "document_ids": [self.docs[0], self.b_doc]}
        self.assertSpoken(self.post("/v1/sessions", body),
                          self.post("/v1/sessions", body, headers=EN), 422, "/document_ids/1",
                          "validation", ["không có văn bản này"],
                          "no such document in your organisation")
        s = self.session(held_on="2024-03-15")
        records = [{"staff_id": self.world["A"].staff["Trần Thị Bình"],
                    "status": "informed_later", "informed_on": "2024-03-14"}]
        self.assertSpoken(self.put(s["id"], records),
                          self.call("PUT", f"/v1/sessions/{s['id']}/attendance",
                                    token=self.token("A", "admin"), body={"records": records},
                                    headers=EN),
                          422, "/records/0/informed_on", "validation",
                          ["không được trước ngày tổ chức"],
                          "must not be before the day the session was held")
        self.assertEqual(self.attendance(s["id"]), {})

    def test_unit_head_creates_sessions_of_their_units_only(self):
        a = self.world["A"]
        before = self.count("sessions")
        body = {"kind": "dissemination", "held_on": "2024-06-01", "topic": "Sinh hoạt chuyên đề"}
        self.assertPointers(self.post("/v1/sessions", body, role="unit_head"), 422, ["/unit_id"])
        self.assertPointers(self.post("/v1/sessions", dict(body, unit_id=a.units["S"]),
                                      role="unit_head"), 422, ["/unit_id"])
        self.assertPointers(self.post("/v1/sessions", dict(body, unit_id=self.world["B"].units[
            "R"]), role="unit_head"), 422, ["/unit_id"])
        self.assertEqual(self.count("sessions"), before)
        for unit in ("R", "C"):
            r = self.post("/v1/sessions", dict(body, unit_id=a.units[unit]), role="unit_head")
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json()["unit_id"], a.units[unit])
        for role in ("leader", "council", "staff", "viewer"):
            self.assertProblem(self.post("/v1/sessions", dict(body, unit_id=a.units["C"]),
                                         role=role), 403)

    def test_attendance_upsert_and_audit(self):
        a = self.world["A"]
        s = self.session(held_on="2024-03-15")
        an, binh, hoa = a.staff["Nguyễn Văn An"], a.staff["Trần Thị Bình"], a.staff["Lê Thị Hoa"]
        r = self.put(s["id"], [
            {"staff_id": an, "status": "attended"},
            {"staff_id": binh, "status": "absent", "note": "Đi công tác"},
            {"staff_id": hoa, "status": "informed_later", "informed_on": "2024-03-15",
             "note": None},
        ])
        self.assertEqual(r.status, 200, r)
        rows = {x["staff_id"]: x for x in r.json()["attendance"]}
        self.assertEqual(set(rows), {an, binh, hoa})
        self.assertEqual(rows[hoa], {"staff_id": hoa, "full_name": "Lê Thị Hoa",
                                     "status": "informed_later", "informed_on": "2024-03-15",
                                     "note": ""})
        # sorted by given name the Vietnamese way: An, Bình, Hoa
        self.assertEqual([x["staff_id"] for x in r.json()["attendance"]], [an, binh, hoa])
        self.assertEqual(self.audit_count("session.attendance", str(s["id"])), 1)
        # again: Bình was told later; one row per person, the audit keeps both versions
        r = self.put(s["id"], [{"staff_id": binh, "status": "informed_later",
                                "informed_on": "2024-04-01"}])
        self.assertEqual(r.status, 200, r)
        stored = self.attendance(s["id"])
        self.assertEqual(len(stored), 3)
        self.assertEqual(stored[binh], {"status": "informed_later", "informed_on": "2024-04-01",
                                        "note": ""})
        self.assertEqual(self.audit_count("session.attendance", str(s["id"])), 2)
        entry = json.loads(self.sql(
            "SELECT json_build_object('before', before, 'after', after) FROM audit_log "
            f"WHERE action = 'session.attendance' AND entity_id = '{s['id']}' "
            "ORDER BY seq DESC LIMIT 1"))
        self.assertEqual(entry["before"]["records"][0]["status"], "absent")
        self.assertEqual(entry["after"]["records"][0]["status"], "informed_later")

    def test_one_bad_record_stores_nothing(self):
        a, b = self.world["A"], self.world["B"]
        s = self.session(held_on="2024-03-15")
        an, binh = a.staff["Nguyễn Văn An"], a.staff["Trần Thị Bình"]
        self.assertEqual(self.put(s["id"], [{"staff_id": an, "status": "absent"}]).status, 200)
        before = (self.attendance(s["id"]), self.audit_count("session.attendance"))
        good = {"staff_id": an, "status": "attended"}
        cases = [
            ([good, {"staff_id": b.staff["Võ Thị Lan"], "status": "attended"}], 422,
             "/records/1/staff_id"),
            ([good, {"staff_id": 999999999, "status": "attended"}], 422, "/records/1/staff_id"),
            ([good, {"staff_id": binh, "status": "informed_later", "informed_on": "2024-03-14"}],
             422, "/records/1/informed_on"),
            ([{"staff_id": binh, "status": "informed_later"}, good], 422,
             "/records/0/informed_on"),
            ([{"staff_id": binh, "status": "attended", "informed_on": "2024-03-20"}], 422,
             "/records/0/informed_on"),
            ([good, {"staff_id": binh, "status": "late"}], 422, "/records/1/status"),
            ([good, {"staff_id": binh, "status": "attended", "note": "n" * 1001}], 422,
             "/records/1/note"),
            ([good, {"staff_id": binh, "status": "attended"}, dict(good, status="absent")], 422,
             "/records/2/staff_id"),
            ([good, "x"], 422, "/records/1"),
            ([good, {"staff_id": "1", "status": "attended"}], 422, "/records/1/staff_id"),
            ([good, {"staff_id": binh, "status": "attended", "session_id": 1}], 400,
             "/records/1/session_id"),
            ([], 422, "/records"),
            ([good] * 5001, 422, "/records"),
        ]
        for records, status, pointer in cases:
            with self.subTest(pointer=pointer, records=str(records)[:80]):
                self.assertPointers(self.put(s["id"], records), status, [pointer])
        for body in ({}, {"records": {"staff_id": an}}, {"records": [good], "session": 1}):
            with self.subTest(body=body):
                r = self.call("PUT", f"/v1/sessions/{s['id']}/attendance",
                              token=self.token("A", "admin"), body=body)
                self.assertIn(r.status, (400, 422), r)
        self.assertEqual((self.attendance(s["id"]), self.audit_count("session.attendance")),
                         before)

    def test_unit_head_records_their_staff_only(self):
        a = self.world["A"]
        s = self.session()
        inside = sorted(a.staff_in("R", "C"))
        outside = a.staff["Phạm Minh Khoa"]  # unit S
        before = self.attendance(s["id"])
        r = self.put(s["id"], [{"staff_id": inside[0], "status": "attended"},
                               {"staff_id": outside, "status": "attended"}], role="unit_head")
        self.assertPointers(r, 422, ["/records/1/staff_id"], "validation")
        self.assertEqual(self.attendance(s["id"]), before)
        r = self.put(s["id"], [{"staff_id": i, "status": "attended"} for i in inside],
                     role="unit_head")
        self.assertEqual(r.status, 200, r)
        self.assertEqual({x["staff_id"] for x in r.json()["attendance"]}, set(inside))
        for role in ("leader", "council", "staff", "viewer"):
            self.assertProblem(self.put(s["id"], [{"staff_id": inside[0], "status": "absent"}],
                                        role=role), 403)

    def test_readers_see_attendance_of_their_scope(self):
        a = self.world["A"]
        pid = self.plan()
        s = self.session(plan_id=pid)
        r = self.put(s["id"], [{"staff_id": i, "status": "attended"}
                               for i in sorted(a.staff.values())])
        self.assertEqual(r.status, 200, r)
        own = a.users["staff"]["staff_id"]
        want = {"admin": set(a.staff.values()), "viewer": set(a.staff.values()),
                "unit_head": a.staff_in("R", "C"), "staff": {own}}
        for role, ids in want.items():
            with self.subTest(role=role):
                g = self.get(f"/v1/sessions/{s['id']}", role=role)
                self.assertEqual({x["staff_id"] for x in g.json()["attendance"]}, ids)
                page = self.get(f"/v1/sessions?plan_id={pid}", role=role).json()
                self.assertEqual([x["id"] for x in page["items"]], [s["id"]])
                self.assertEqual({x["staff_id"] for x in page["items"][0]["attendance"]}, ids)
        # a token of the staff role that names no staff record sees nobody
        # (0 must not read as "no filter")
        claims = self.user_claims("A", "staff")
        del claims["staff"]
        g = self.call("GET", f"/v1/sessions/{s['id']}", token=self.signed(claims))
        self.assertEqual(g.status, 200, g)
        self.assertEqual(g.json()["attendance"], [])
        g = self.call("GET", f"/v1/sessions?plan_id={pid}", token=self.signed(claims))
        self.assertEqual(g.json()["items"][0]["attendance"], [])

    def test_lists_page_newest_first(self):
        made = [self.session(org="B", held_on=d)["id"]
                for d in ("2022-01-05", "2022-03-01", "2022-03-01", "2021-12-31")]
        r = self.get("/v1/sessions?limit=100", org="B")
        items = [x for x in r.json()["items"] if x["id"] in made]
        keys = [(x["held_on"], x["id"]) for x in items]
        self.assertEqual(keys, sorted(keys, reverse=True))
        got, cursor = [], None
        for _ in range(20):
            q = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            r = self.get("/v1/sessions?" + urllib.parse.urlencode(q), org="B")
            self.assertEqual(r.status, 200, r)
            got += [x["id"] for x in r.json()["items"]]
            cursor = r.json()["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(got), len(set(got)))
        self.assertEqual([i for i in got if i in made], [x["id"] for x in items])
        self.assertFalse(set(made) & {x["id"] for x in self.get(
            "/v1/sessions?limit=100").json()["items"]})

    def test_other_organisation_session_is_404(self):
        s = self.session(org="B")
        b = self.world["B"]
        before = self.attendance(s["id"])
        r = self.put(s["id"], [{"staff_id": self.world["A"].staff["Nguyễn Văn An"],
                                "status": "attended"}])
        self.assertProblem(r, 404, "not-found")
        r = self.put(s["id"], [{"staff_id": b.staff["Võ Thị Lan"], "status": "attended"}])
        self.assertProblem(r, 404, "not-found")
        self.assertEqual(self.attendance(s["id"]), before)
        self.assertProblem(self.put(999999999, [{"staff_id": 1, "status": "attended"}]), 404)

    def test_hostile_notes_stored_verbatim(self):
        a = self.world["A"]
        s = self.session(location=HOSTILE[0], topic=HOSTILE[1])
        self.assertEqual((s["location"], s["topic"]), (HOSTILE[0], HOSTILE[1]))
        staff = sorted(a.staff.values())
        r = self.put(s["id"], [{"staff_id": i, "status": "absent", "note": HOSTILE[k]}
                               for k, i in enumerate(staff)])
        self.assertEqual(r.status, 200, r)
        notes = {x["staff_id"]: x["note"] for x in r.json()["attendance"]}
        self.assertEqual(notes, {i: HOSTILE[k] for k, i in enumerate(staff)})


# ---- results ------------------------------------------------------------------------

class ResultsTest(RecordsBase):

    def rating(self, **over):
        body = {"year": 2024, "subject_kind": "party_cell", "subject_name": "Chi bộ Văn phòng",
                "rating": "excellent", "rated_on": "2024-12-20",
                "source_document": "Quyết định số 15-QĐ/ĐU"}
        body.update(over)
        return body

    def test_collective_ratings(self):
        a, b = self.world["A"], self.world["B"]
        r = self.post("/v1/collective-ratings", self.rating(unit_id=a.units["R"]),
                      role="secretariat")
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.assertEqual(set(doc), {"id", "year", "subject_kind", "subject_name", "unit_id",
                                    "rating", "rated_on", "source_document", "created_at"})
        self.assertEqual((doc["unit_id"], doc["rating"]), (a.units["R"], "excellent"))
        self.assertEqual(self.audit_count("collective_rating.create", str(doc["id"])), 1)
        r = self.post("/v1/collective-ratings", self.rating(year=2023, subject_kind="agency",
                                                            subject_name="Sở Nội vụ"))
        self.assertEqual(r.status, 201, r)
        # duplicate (year, kind, name) is 409; the same name another year is fine
        before = self.count("collective_ratings")
        self.assertPointers(self.post("/v1/collective-ratings", self.rating(rating="good")),
                            409, ["/subject_name"], "conflict")
        self.assertEqual(self.count("collective_ratings"), before)
        for who in ("viewer", "staff"):
            items = self.get("/v1/collective-ratings?year=2024", role=who).json()["items"]
            self.assertEqual([x["id"] for x in items], [doc["id"]])
        self.assertEqual(len(self.get("/v1/collective-ratings").json()["items"]), 2)
        r = self.call("GET", "/v1/collective-ratings", token=self.client_token("A"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get("/v1/collective-ratings", org="B").json()["items"], [])
        cases = [
            (self.rating(year=1999), 422, "/year"),
            (self.rating(year="2024"), 422, "/year"),
            (self.rating(subject_kind="club"), 422, "/subject_kind"),
            (self.rating(subject_name="s" * 301), 422, "/subject_name"),
            (self.rating(rating="outstanding"), 422, "/rating"),
            (self.rating(rated_on="2024-11-31"), 422, "/rated_on"),
            (self.rating(source_document=""), 422, "/source_document"),
            (self.rating(subject_name="Mới", unit_id=b.units["R"]), 422, "/unit_id"),
            (self.rating(organization_id=b.id), 400, "/organization_id"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer):
                self.assertPointers(self.post("/v1/collective-ratings", body), status, [pointer])
        self.assertEqual(self.count("collective_ratings"), before)
        for query in ("year=1999", "year=abc", "kind=x"):
            self.assertProblem(self.get(f"/v1/collective-ratings?{query}"), 400)
        self.assertProblem(self.post("/v1/collective-ratings", self.rating(subject_name="X"),
                                     role="unit_head"), 403)

    def test_recognitions(self):
        body = {"year": 2024, "kind": "cultural_office", "granted_on": "2024-12-01",
                "issuer": "UBND tỉnh Gia Lai", "evidence": "Quyết định số 123/QĐ-UBND\nkèm hồ sơ"}
        r = self.post("/v1/recognitions", body)
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.assertEqual(set(doc), {"id", "year", "kind", "granted_on", "issuer", "evidence",
                                    "created_at"})
        self.assertEqual(doc["evidence"], body["evidence"])
        self.assertEqual(self.audit_count("recognition.create", str(doc["id"])), 1)
        before = self.count("recognitions")
        self.assertPointers(self.post("/v1/recognitions", dict(body, issuer="Khác")), 409,
                            ["/kind"], "conflict")
        self.assertEqual(self.post("/v1/recognitions", dict(body, kind="security_order"))
                         .status, 201)
        self.assertEqual(self.post("/v1/recognitions", dict(body, year=2023)).status, 201)
        self.assertEqual(len(self.get("/v1/recognitions?year=2024", role="viewer")
                             .json()["items"]), 2)
        self.assertEqual(len(self.get("/v1/recognitions").json()["items"]), 3)
        before = self.count("recognitions")
        for over, pointer in ((dict(kind="green_office"), "/kind"),
                              (dict(evidence="  "), "/evidence"),
                              (dict(evidence="e" * 1001), "/evidence"),
                              (dict(granted_on=None), "/granted_on"),
                              (dict(issuer=None), "/issuer"),
                              (dict(year=2101), "/year")):
            with self.subTest(pointer=pointer):
                self.assertPointers(self.post("/v1/recognitions", {**body, "year": 2022, **over}),
                                    422, [pointer])
        self.assertEqual(self.count("recognitions"), before)

    # -- target reports --

    def report_path(self, pid, code="R1"):
        return f"/v1/plans/{pid}/targets/{code}/reports"

    def test_reports_by_office_unit_head_and_machine(self):
        a = self.world["A"]
        pid = self.plan(targets=(("R1", "reported_number"), ("S.1", "staff_share")))
        r = self.post(self.report_path(pid), {"unit_id": a.units["C"], "value": 31.5,
                                              "reported_on": "2024-06-30",
                                              "note": "Giảm 31,5 % thủ tục"})
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.assertEqual(set(doc), {"id", "plan_id", "target_code", "unit_id", "value",
                                    "reported_on", "note", "created_at"})
        self.assertEqual((doc["plan_id"], doc["target_code"], doc["value"], doc["reported_on"]),
                         (pid, "R1", "31.50", "2024-06-30"))
        self.assertIsNone(r.header("Location"))
        self.assertEqual(self.sql(f"SELECT value FROM target_reports WHERE id = {doc['id']}"),
                         "31.50")
        self.assertEqual(self.audit_count("target_report.create", str(doc["id"])), 1)
        # today in Vietnam by default, but never after the plan's period (a
        # 2024 plan reported on today counts on its last day); integers and
        # negative numbers
        r = self.post(self.report_path(pid), {"unit_id": a.units["R"], "value": -12},
                      role="unit_head")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["value"], "-12.00")
        self.assertEqual(r.json()["reported_on"], self.sql(
            "SELECT least((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, DATE '2024-12-31')"))
        r = self.call("POST", self.report_path(pid), token=self.client_token("A", "reports"),
                      body={"unit_id": a.units["S"], "value": 999999999999.99})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["value"], "999999999999.99")
        # the report belongs to the series: it counts for the plan's progress
        self.assertEqual(self.sql(f"SELECT numerator FROM plan_targets t, plans p, "
                                  f"plan_target_counts(t, p, '2999-12-31', 0, 'infinity') "
                                  f"WHERE "
                                  f"p.id = {pid} AND t.plan_id = p.id AND t.code = 'R1'"), "3")
        # read back (issue 14 §3): newest first, a unit head's subtree only
        path = self.report_path(pid)
        doc = self.call("GET", path, token=self.token("A", "secretariat")).json()
        self.assertEqual([(x["unit_id"], x["value"]) for x in doc["items"]],
                         [(a.units["S"], "999999999999.99"), (a.units["R"], "-12.00"),
                          (a.units["C"], "31.50")])
        self.assertEqual(doc["items"][2]["note"], "Giảm 31,5 % thủ tục")
        head = self.call("GET", path, token=self.token("A", "unit_head")).json()
        self.assertEqual([x["unit_id"] for x in head["items"]], [a.units["R"], a.units["C"]])
        machine = self.call("GET", path, token=self.client_token("A", "portal")).json()
        self.assertEqual(len(machine["items"]), 3)
        page = self.call("GET", path + "?limit=2", token=self.token("A", "leader"))
        self.assertEqual((len(page.json()["items"]), page.json()["next_cursor"] is not None),
                         (2, True))
        rest = self.call("GET", path + f"?limit=2&cursor={page.json()['next_cursor']}",
                         token=self.token("A", "leader")).json()
        self.assertEqual([x["unit_id"] for x in rest["items"]], [a.units["C"]])
        self.assertEqual(self.call("GET", path, token=self.token("A", "staff")).status, 403)
        self.assertEqual(self.call("GET", path, token=self.token("B", "leader")).status, 404)
        self.assertEqual(self.call("GET", self.report_path(pid, "R9"),
                                   token=self.token("A", "leader")).status, 404)

    def test_report_of_wrong_kind_in_vietnamese_and_english(self):
        pid = self.plan(targets=(("S.1", "staff_share"),))
        body = {"unit_id": self.world["A"].units["C"], "value": 10}
        path = self.report_path(pid, "S.1")
        self.assertSpoken(self.post(path, body), self.post(path, body, headers=EN), 422, "",
                          "validation", ["tỷ lệ cán bộ", "số liệu báo cáo"],
                          "this target (share of staff) is counted from the records; only a "
                          "target of kind reported number takes reported numbers")

    def test_duplicate_recognition_in_vietnamese_and_english(self):
        body = {"year": 2021, "kind": "security_order", "granted_on": "2021-12-01",
                "issuer": "Công an tỉnh", "evidence": "Quyết định số 9/QĐ-CAT"}
        # organisation B: test_recognitions counts A's
        self.assertEqual(self.post("/v1/recognitions", body, org="B").status, 201)
        self.assertSpoken(self.post("/v1/recognitions", body, org="B"),
                          self.post("/v1/recognitions", body, org="B", headers=EN), 409, "/kind",
                          "conflict", ["công nhận", "năm"],
                          "this recognition is already recorded for the year")

    def test_report_refusals_store_nothing(self):
        a, b = self.world["A"], self.world["B"]
        pid = self.plan(targets=(("R1", "reported_number"), ("S.1", "staff_share")))
        b_pid = self.plan(org="B")
        good = {"unit_id": a.units["C"], "value": 10}
        before = (self.count("target_reports"), self.audit_count("target_report.create"))
        doc = self.assertProblem(self.post(self.report_path(pid, "S.1"), good), 422,
                                 "validation")
        self.assertEqual([e["pointer"] for e in doc["errors"]], [""])
        for path in (self.report_path(pid, "R9"), self.report_path(pid, "r1"),
                     self.report_path(pid, "a%20b"), self.report_path(pid, "x" * 21),
                     self.report_path(b_pid), self.report_path(999999999),
                     self.report_path("abc")):
            with self.subTest(path=path):
                self.assertProblem(self.post(path, good), 404, "not-found")
        cases = [
            (dict(good, value=31.555), 422, "/value"),
            (dict(good, value=0.1 + 0.2), 422, "/value"),
            (dict(good, value="31.5"), 422, "/value"),
            (dict(good, value=True), 422, "/value"),
            (dict(good, value=None), 422, "/value"),
            (dict(good, value=1e12), 422, "/value"),
            (dict(good, value=-1000000000000), 422, "/value"),
            ({"value": 1}, 422, "/unit_id"),
            (dict(good, unit_id=b.units["R"]), 422, "/unit_id"),
            (dict(good, reported_on="2024-06-31"), 422, "/reported_on"),
            # history that does not move: a day outside the plan's period
            (dict(good, reported_on="2025-01-05"), 422, "/reported_on"),
            (dict(good, reported_on="2023-12-31"), 422, "/reported_on"),
            (dict(good, note="n" * 2001), 422, "/note"),
            (dict(good, series_id=1), 400, "/series_id"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer, body=str(body)):
                self.assertPointers(self.post(self.report_path(pid), body), status, [pointer])
        # the unit head reports for the units they lead only
        self.assertPointers(self.post(self.report_path(pid), dict(good, unit_id=a.units["S"]),
                                      role="unit_head"), 422, ["/unit_id"])
        self.assertEqual((self.count("target_reports"),
                          self.audit_count("target_report.create")), before)
        for role in ("leader", "council", "staff", "viewer"):
            self.assertProblem(self.post(self.report_path(pid), good, role=role), 403)
        r = self.call("POST", self.report_path(pid), token=self.client_token("A", "portal",
                                                                             "integration:read"),
                      body=good)
        self.assertProblem(r, 403)
        # a closed plan's results are frozen
        closed = self.plan(status="closed")
        self.assertProblem(self.post(self.report_path(closed), good), 409, "plan-closed")
        self.assertEqual(self.count("target_reports", f"series_id = {closed}"), 0)
        # hostile text in the note is stored as given
        r = self.post(self.report_path(pid), dict(good, note=HOSTILE[0]))
        self.assertEqual((r.status, r.json()["note"]), (201, HOSTILE[0]))


if __name__ == "__main__":
    main()
