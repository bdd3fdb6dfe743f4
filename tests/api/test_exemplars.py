"""Advanced exemplars (issue 13 §3): recorded by the Office with their story
and the decision that honoured them, published into the public news only
with the consent of those they name, withdrawn out of it with the record
kept.
"""

import hashlib
import urllib.parse

from harness import main
from identity import IdentityTest


class ExemplarsTest(IdentityTest):
    service_env = {"THIDUA_PUBLIC_CACHE_S": "0"}

    def office(self, method, path, body=None, headers=None, org="A"):
        return self.call(method, path, token=self.token(org, "secretariat"), body=body,
                         headers=headers)

    def code(self, org="A"):
        return self.sql(f"SELECT code FROM organizations WHERE id = {self.world[org].id}")

    def record(self, **extra):
        a = self.world["A"]
        body = {"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"],
                "title": "Tấm gương cải cách thủ tục hành chính",
                "story": "Chị Bình rút ngắn thời gian giải quyết hồ sơ đầu tư từ 15 xuống 7 "
                         "ngày làm việc."}
        body.update(extra)
        r = self.office("POST", "/v1/exemplars", body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def news_ids(self):
        r = self.call("GET", f"/public/v1/{self.code()}/news?kind=exemplar")
        self.assertEqual(r.status, 200, r)
        return [i["id"] for i in r.json()["items"]]

    def test_published_with_consent_withdrawn_with_the_record_kept(self):
        e = self.record(decision_reference="15/QĐ-UBND ngày 20/12/2023")
        self.assertEqual((e["status"], e["name"], e["decision"]),
                         ("draft", "Trần Thị Bình", "15/QĐ-UBND ngày 20/12/2023"))
        path = f"/v1/exemplars/{e['id']}"
        self.assertNotIn(f"exemplar-{e['id']}", self.news_ids())
        # no consent, no publication
        r = self.office("POST", path + "/publish", {}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 422, r)
        self.assertEqual([x["pointer"] for x in r.json()["errors"]], ["/consent_on"])
        self.assertEqual(self.sql(f"SELECT status FROM exemplars WHERE id = {e['id']}"), "draft")
        r = self.office("POST", path + "/publish",
                        {"consent_on": "2024-05-02", "published_on": "2024-05-03"},
                        headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["published_on"]),
                         ("published", "2024-05-03"))
        self.assertIn(f"exemplar-{e['id']}", self.news_ids())
        pub = self.call("GET", f"/public/v1/{self.code()}/exemplars/{e['id']}")
        self.assertEqual(pub.status, 200, pub)
        self.assertEqual((pub.json()["name"], pub.json()["title"]),
                         ("Trần Thị Bình", "Tấm gương cải cách thủ tục hành chính"))
        for private in ("staff_id", "consent_on", "created_by"):
            self.assertNotIn(private, pub.body.decode())
        # published once; a stale version is refused
        r = self.office("POST", path + "/publish", {}, headers={"If-Match": '"2"'})
        self.assertEqual(r.status, 409, r)
        r = self.office("POST", path + "/withdraw", {}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 412, r)
        r = self.office("POST", path + "/withdraw", {}, headers={"If-Match": '"2"'})
        self.assertEqual((r.status, r.json()["status"]), (200, "withdrawn"))
        self.assertNotIn(f"exemplar-{e['id']}", self.news_ids())
        self.assertEqual(self.call("GET", f"/public/v1/{self.code()}/exemplars/{e['id']}")
                         .status, 404)
        self.assertTrue(self.office("GET", path).json()["story"].startswith("Chị Bình"))
        # every step is in the audit trail
        actions = self.sql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                           f"WHERE entity_type = 'exemplar' AND entity_id = '{e['id']}'")
        self.assertEqual(actions, "exemplar.create,exemplar.publish,exemplar.withdraw")

    def test_photos_and_documents_attached(self):
        e = self.record()
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
        path = f"/v1/exemplars/{e['id']}/attachments"
        name = urllib.parse.quote("ảnh-trao-giấy-khen.png")
        r = self.office("POST", path + f"?filename={name}", png,
                        headers={"Content-Type": "image/png"})
        self.assertEqual(r.status, 201, r)
        f = r.json()
        self.assertEqual((f["filename"], f["size_bytes"], f["sha256"]),
                         ("ảnh-trao-giấy-khen.png", len(png), hashlib.sha256(png).hexdigest()))
        self.assertTrue(r.header("Location").endswith(f"/attachments/{f['id']}"))
        # the type is allow-listed, the name checked, the record the Office's
        self.assertEqual(self.office("POST", path + "?filename=x.exe", b"MZ",
                                     headers={"Content-Type": "application/x-msdownload"})
                         .status, 415)
        self.assertEqual(self.office("POST", path + "?filename=a/b.png", png,
                                     headers={"Content-Type": "image/png"}).status, 422)
        self.assertEqual(self.office("POST", "/v1/exemplars/99999999/attachments?filename=a.png",
                                     png, headers={"Content-Type": "image/png"}).status, 404)
        self.assertEqual(self.office("POST", path + "?filename=a.png", png, org="B",
                                     headers={"Content-Type": "image/png"}).status, 404)
        self.assertEqual(self.call("POST", path + "?filename=a.png", body=png,
                                   token=self.token("A", "staff"),
                                   headers={"Content-Type": "image/png"}).status, 403)
        # every member reads it back, exactly
        got = self.call("GET", f"{path}/{f['id']}", token=self.token("A", "staff"))
        self.assertEqual((got.status, got.body, got.header("Content-Type")),
                         (200, png, "image/png"))
        self.assertEqual(got.header("ETag"), f'"{f["sha256"]}"')
        self.assertEqual([x["id"] for x in self.office("GET", f"/v1/exemplars/{e['id']}")
                          .json()["attachments"]], [f["id"]])
        # the public sees it once the exemplar is published, not before
        public = f"/public/v1/{self.code()}/exemplars/{e['id']}/attachments/{f['id']}"
        self.assertEqual(self.call("GET", public).status, 404)
        r = self.office("POST", f"/v1/exemplars/{e['id']}/publish",
                        {"consent_on": "2024-05-02"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        got = self.call("GET", public)
        self.assertEqual((got.status, got.body), (200, png))
        doc = self.call("GET", f"/public/v1/{self.code()}/exemplars/{e['id']}").json()
        self.assertEqual([x["path"] for x in doc["attachments"]], [public])
        self.assertEqual(self.call("GET", f"/public/v1/{self.code('B')}/exemplars/{e['id']}"
                                          f"/attachments/{f['id']}").status, 404)

    def test_a_unit_and_a_household_and_the_summary_of_a_long_story(self):
        a = self.world["A"]
        u = self.record(subject_kind="unit", staff_id=None, unit_id=a.units["C"],
                        story="Tập thể đoàn kết. " * 40, consent_on="2024-01-10")
        self.assertEqual(u["name"], self.sql(f"SELECT name FROM units WHERE id = "
                                             f"{a.units['C']}"))
        hid = self.sql(f"INSERT INTO households (organization_id, name, address, created_by) "
                       f"VALUES ({a.id}, 'Hộ ông Siu Hyưm', 'Làng Mook Trang', 'test') "
                       "RETURNING id")
        h = self.record(subject_kind="household", staff_id=None, household_id=int(hid),
                        consent_on="2024-01-10")
        self.assertEqual(h["name"], "Hộ ông Siu Hyưm")
        r = self.office("POST", f"/v1/exemplars/{u['id']}/publish", {},
                        headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        news = self.call("GET", f"/public/v1/{self.code()}/news?kind=exemplar").json()
        item = [i for i in news["items"] if i["id"] == f"exemplar-{u['id']}"][0]
        self.assertLessEqual(len(item["summary"]), 281)
        self.assertTrue(item["summary"].endswith("…"))

    def test_bad_input_and_other_organisations(self):
        a, b = self.world["A"], self.world["B"]
        cases = [
            ({"subject_kind": "staff", "title": "x", "story": "y"}, "/staff_id"),
            ({"subject_kind": "person", "staff_id": 1, "title": "x", "story": "y"},
             "/subject_kind"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"],
              "unit_id": a.units["C"], "title": "x", "story": "y"}, "/unit_id"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"], "title": "",
              "story": "y"}, "/title"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"], "title": "x",
              "story": " \n "}, "/story"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"], "title": "x",
              "story": "y", "decision_id": 1, "decision_reference": "1/QĐ"},
             "/decision_reference"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"], "title": "x",
              "story": "y", "consent_on": "2024-02-30"}, "/consent_on"),
            # another organisation's rows are no rows
            ({"subject_kind": "staff", "staff_id": b.staff[next(iter(b.staff))], "title": "x",
              "story": "y"}, "/staff_id"),
            ({"subject_kind": "staff", "staff_id": a.staff["Trần Thị Bình"], "title": "x",
              "story": "y", "plan_id": 999999}, "/plan_id"),
        ]
        before = self.count("exemplars")
        for body, pointer in cases:
            with self.subTest(pointer=pointer, body=str(body)[:60]):
                r = self.office("POST", "/v1/exemplars", body)
                self.assertEqual(r.status, 422, r)
                self.assertEqual(r.header("Content-Type"), "application/problem+json")
                self.assertIn(pointer, [e["pointer"] for e in r.json()["errors"]])
        self.assertEqual(self.count("exemplars"), before)
        e = self.record()
        self.assertEqual(self.office("GET", f"/v1/exemplars/{e['id']}", org="B").status, 404)
        r = self.office("POST", f"/v1/exemplars/{e['id']}/publish",
                        {"consent_on": "2024-01-01"}, headers={"If-Match": '"1"'}, org="B")
        self.assertEqual(r.status, 404, r)
        # a draft is never withdrawn
        r = self.office("POST", f"/v1/exemplars/{e['id']}/withdraw", {},
                        headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 409, r)
        # staff read them; only the Office writes
        self.assertEqual(self.call("GET", "/v1/exemplars", token=self.token("A", "staff"))
                         .status, 200)
        self.assertEqual(self.call("POST", "/v1/exemplars", token=self.token("A", "staff"),
                                   body={"subject_kind": "staff"}).status, 403)


if __name__ == "__main__":
    main()
