"""Issue 5, follow-up and attachments over HTTP: the status of a reporting
period, reminders, and the files attached to submissions.

Each class gets its own database, service and the two seeded organisations
of identity.py (units R > C and S; the unit head leads R).  Templates,
periods, their units and submissions are inserted with SQL: their routes are
not part of these tests.
"""

import hashlib
import json
import os
import unicodedata
import urllib.parse
import uuid

from harness import EN, main
from identity import IdentityTest, sql_text

MiB = 1024 * 1024
PDF = "application/pdf"


def tag():
    return uuid.uuid4().hex[:8]


def disposition(name):
    """Content-Disposition as RFC 6266 / RFC 8187 want it (attr-char kept)."""
    return "attachment; filename*=UTF-8''" + urllib.parse.quote(name, safe="!#$&+^`|")


class ReportsBase(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for org in ("A", "B"):  # log-ins write audit rows: before any count
            for role in ("admin", "secretariat", "unit_head", "viewer"):
                cls.token(org, role)

    # -- fixtures made with SQL -------------------------------------------------

    def unit(self, parent_key, name, org="A"):
        """A new unit under the seeded unit parent_key; its id."""
        o = self.world[org]
        return int(self.sql(
            "INSERT INTO units (organization_id, parent_id, code, name, kind) VALUES "
            f"({o.id}, {o.units[parent_key]}, 'U-{tag()}', {sql_text(name)}, 'department') "
            "RETURNING id"))

    def period(self, unit_ids, due_on="2024-06-30", org="A"):
        """A period of a new template, asking unit_ids; its id."""
        o = self.world[org]
        tid = self.sql(
            "INSERT INTO report_templates (organization_id, code, version, title, fields) "
            f"VALUES ({o.id}, 'bc-{tag()}', 1, 'Báo cáo sơ kết', "
            "'[{\"key\": \"so_dv\", \"label\": \"Số đơn vị\", \"type\": \"number\"}]') "
            "RETURNING id")
        pid = int(self.sql(
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) VALUES ({o.id}, {tid}, 'half_year', 'Sơ kết 6 tháng {tag()}', "
            f"'2024-01-01', '2024-06-30', '{due_on}') RETURNING id"))
        for u in unit_ids:
            self.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                     f"VALUES ({o.id}, {pid}, {u})")
        return pid

    def submission(self, period, unit, status="draft", late=False, org="A"):
        o = self.world[org]
        submitted = "NULL" if status == "draft" else "now()"
        reason = "'Thiếu số liệu'" if status == "returned" else "NULL"
        return int(self.sql(
            "INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, "
            "late, return_reason, submitted_at, created_by) VALUES "
            f"({o.id}, {period}, {unit}, '{status}', '{{\"so_dv\": 3}}', {late}, {reason}, "
            f"{submitted}, 'user:1') RETURNING id"))

    def draft(self, unit_key="C", org="A", status="draft"):
        """A submission of the seeded unit unit_key in a period of its own."""
        u = self.world[org].units[unit_key]
        return self.submission(self.period([u], org=org), u, status, org=org)

    # -- HTTP -------------------------------------------------------------------

    def get(self, path, role="admin", org="A"):
        return self.call("GET", path, token=self.token(org, role))

    def post(self, path, body, role="admin", org="A", headers=None):
        return self.call("POST", path, token=self.token(org, role), body=body, headers=headers)

    def upload(self, sid, data, name="Báo cáo.pdf", ctype=PDF, role="admin", org="A",
               token=None, headers=None):
        q = "" if name is None else "?filename=" + urllib.parse.quote(name, safe="")
        headers = dict(headers or {}, **({} if ctype is None else {"Content-Type": ctype}))
        tok = token or self.token(org, role)
        return self.call("POST", f"/v1/submissions/{sid}/attachments{q}", token=tok,
                         body=data, headers=headers, timeout=120)

    def audit_rows(self, action, entity_id, org="A"):
        out = self.sql(
            "SELECT coalesce(json_agg(json_build_object('after', after, 'actor_id', actor_id,"
            " 'request_id', request_id) ORDER BY seq), '[]') FROM audit_log"
            f" WHERE organization_id = {self.world[org].id} AND action = {sql_text(action)}"
            f" AND entity_id = {sql_text(entity_id)}")
        return json.loads(out)


# ---- status and reminders ------------------------------------------------------

class StatusTest(ReportsBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        self = cls("run")
        # under R (the unit head's subtree): on time, late, returned
        cls.on_time = self.unit("R", "Phòng Một")
        cls.late = self.unit("R", "Phòng Hai")
        cls.returned = self.unit("C", "Tổ Ba")
        # under S (outside it): missing, draft, accepted
        cls.missing = self.unit("S", "Phòng Bốn")
        cls.draft_u = self.unit("S", "Phòng Năm")
        cls.accepted = self.unit("S", "Phòng Sáu")
        units = [cls.on_time, cls.late, cls.returned, cls.missing, cls.draft_u, cls.accepted]
        cls.past = self.period(units, due_on="2024-06-30")
        cls.subs = {
            cls.on_time: self.submission(cls.past, cls.on_time, "submitted"),
            cls.late: self.submission(cls.past, cls.late, "submitted", late=True),
            cls.returned: self.submission(cls.past, cls.returned, "returned"),
            cls.draft_u: self.submission(cls.past, cls.draft_u, "draft"),
            cls.accepted: self.submission(cls.past, cls.accepted, "accepted"),
        }
        cls.future = self.period([cls.on_time, cls.missing], due_on="2099-12-31")
        self.submission(cls.future, cls.on_time, "draft")

    def status(self, period, role="admin", org="A", token=None):
        tok = token or self.token(org, role)
        r = self.call("GET", f"/v1/report-periods/{period}/status", token=tok)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        return r.json()

    def test_states_and_counts_after_the_due_day(self):
        doc = self.status(self.past)
        self.assertEqual(doc["period_id"], self.past)
        self.assertEqual(doc["due_on"], "2024-06-30")
        self.assertRegex(doc["today"], r"^\d{4}-\d{2}-\d{2}$")
        by_unit = {u["unit_id"]: u for u in doc["units"]}
        self.assertEqual(len(by_unit), 6)
        expect = {  # unit: (state, late, has a submission)
            self.on_time: ("submitted", False, True),
            self.late: ("late", True, True),
            self.returned: ("returned", True, True),
            self.missing: ("late", True, False),
            self.draft_u: ("draft", True, True),
            self.accepted: ("accepted", False, True),
        }
        for unit, (state, late, has) in expect.items():
            with self.subTest(unit=by_unit[unit]["unit_name"]):
                u = by_unit[unit]
                self.assertEqual(u["state"], state)
                self.assertEqual(u["late"], late)
                self.assertEqual(u["submission_id"], self.subs.get(unit))
                self.assertEqual(u["submission_id"] is not None, has)
        self.assertIsNone(by_unit[self.draft_u]["submitted_at"])
        self.assertIsNotNone(by_unit[self.on_time]["submitted_at"])
        self.assertEqual(by_unit[self.on_time]["unit_name"], "Phòng Một")
        self.assertEqual(doc["counts"], {"expected": 6, "submitted": 3, "accepted": 1,
                                         "late": 4, "missing": 3})

    def test_missing_before_the_due_day_is_not_late(self):
        doc = self.status(self.future)
        by_unit = {u["unit_id"]: u for u in doc["units"]}
        self.assertEqual(by_unit[self.missing]["state"], "missing")
        self.assertFalse(by_unit[self.missing]["late"])
        self.assertIsNone(by_unit[self.missing]["submission_id"])
        self.assertEqual(by_unit[self.on_time]["state"], "draft")
        self.assertFalse(by_unit[self.on_time]["late"])
        self.assertEqual(doc["counts"], {"expected": 2, "submitted": 0, "accepted": 0,
                                         "late": 0, "missing": 2})

    def test_unit_head_sees_only_the_subtree(self):
        doc = self.status(self.past, role="unit_head")
        self.assertEqual(sorted(u["unit_id"] for u in doc["units"]),
                         sorted([self.on_time, self.late, self.returned]))
        self.assertEqual(doc["counts"], {"expected": 3, "submitted": 2, "accepted": 0,
                                         "late": 2, "missing": 1})
        # the Office, the viewer and machines see every unit
        for tok in (self.token("A", "secretariat"), self.token("A", "viewer"),
                    self.client_token("A", "reports"), self.client_token("A", "portal")):
            self.assertEqual(self.status(self.past, token=tok)["counts"]["expected"], 6)

    def test_staff_may_not_read_the_status(self):
        r = self.get(f"/v1/report-periods/{self.past}/status", role="staff")
        self.assertProblem(r, 403, "forbidden")

    def test_other_organisation_and_unknown_periods_are_404(self):
        for path in (f"/v1/report-periods/{self.past}/status",
                     "/v1/report-periods/999999999/status", "/v1/report-periods/x/status"):
            with self.subTest(path=path):
                self.assertProblem(self.get(path, org="B"), 404, "not-found")
        self.assertProblem(self.get(f"/v1/report-periods/{self.past}/status?x=1"), 400)

    def test_reminders_default_to_the_missing_units(self):
        o = self.world["A"]
        audits = self.count("audit_log", f"organization_id = {o.id}")
        r = self.post(f"/v1/report-periods/{self.past}/reminders",
                      {"message": "Đề nghị gửi báo cáo sơ kết trước ngày 05/7."},
                      role="secretariat")
        self.assertEqual(r.status, 201, r)
        items = r.json()["items"]
        # missing: no submission, a draft, a returned one
        self.assertEqual(sorted(i["unit_id"] for i in items),
                         sorted([self.missing, self.draft_u, self.returned]))
        for i in items:
            self.assertEqual(i["period_id"], self.past)
            self.assertEqual(i["message"], "Đề nghị gửi báo cáo sơ kết trước ngày 05/7.")
            self.assertIn("T", i["created_at"])
        rows = self.sql(f"SELECT string_agg(unit_id::text || ':' || created_by, ',' ORDER BY "
                        f"unit_id) FROM report_reminders WHERE period_id = {self.past}")
        uid = o.users["secretariat"]["id"]
        self.assertEqual(rows, ",".join(f"{u}:user:{uid}" for u in
                                        sorted([self.missing, self.draft_u, self.returned])))
        self.assertEqual(self.count("audit_log", f"organization_id = {o.id}"), audits + 1)
        (audit,) = self.audit_rows("report.remind", str(self.past))
        self.assertEqual(audit["actor_id"], str(uid))
        self.assertEqual(audit["request_id"], r.header("X-Request-Id"))
        self.assertEqual(sorted(x["id"] for x in audit["after"]["reminders"]),
                         sorted(i["id"] for i in items))
        # the status counts them
        by_unit = {u["unit_id"]: u for u in self.status(self.past)["units"]}
        self.assertEqual(by_unit[self.missing]["reminders"], 1)
        self.assertEqual(by_unit[self.on_time]["reminders"], 0)

    def test_reminders_to_named_units(self):
        pid = self.period([self.on_time, self.missing])
        r = self.post(f"/v1/report-periods/{pid}/reminders",
                      {"unit_ids": [self.on_time], "message": "Nhắc lần 2"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual([i["unit_id"] for i in r.json()["items"]], [self.on_time])
        # a unit the period does not ask: 422, nothing written
        before = self.count("report_reminders", f"period_id = {pid}")
        r = self.post(f"/v1/report-periods/{pid}/reminders",
                      {"unit_ids": [self.on_time, self.late], "message": "Nhắc"})
        doc = self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in doc["errors"]], ["/unit_ids"])
        self.assertEqual(self.count("report_reminders", f"period_id = {pid}"), before)
        self.assertEqual(len(self.audit_rows("report.remind", str(pid))), 1)

    def test_reminders_with_nothing_missing_record_nothing(self):
        pid = self.period([self.on_time])
        self.submission(pid, self.on_time, "accepted")
        r = self.post(f"/v1/report-periods/{pid}/reminders", {"message": "Nhắc"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json(), {"items": []})
        self.assertEqual(self.audit_rows("report.remind", str(pid)), [])

    def test_reminder_bodies_are_validated(self):
        path = f"/v1/report-periods/{self.future}/reminders"
        cases = [({}, 422, "/message"), ({"message": "  "}, 422, "/message"),
                 ({"message": "x" * 2001}, 422, "/message"),
                 ({"message": "a", "unit_ids": []}, 422, "/unit_ids"),
                 ({"message": "a", "unit_ids": [0]}, 422, "/unit_ids/0"),
                 ({"message": "a", "unit_ids": [self.missing, self.missing]}, 422,
                  "/unit_ids/1"),
                 ({"message": "a", "period_id": 1}, 400, "/period_id")]
        for body, status, pointer in cases:
            with self.subTest(body=str(body)[:60]):
                doc = self.assertProblem(self.post(path, body), status)
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        self.assertEqual(self.count("report_reminders", f"period_id = {self.future}"), 0)

    def test_reminders_are_for_the_office(self):
        for role in ("leader", "council", "unit_head", "viewer", "staff"):
            with self.subTest(role=role):
                r = self.post(f"/v1/report-periods/{self.future}/reminders", {"message": "a"},
                              role=role)
                self.assertProblem(r, 403, "forbidden")
        r = self.call("POST", f"/v1/report-periods/{self.future}/reminders",
                      token=self.client_token("A", "portal"), body={"message": "a"})
        self.assertProblem(r, 403, "forbidden")
        r = self.post(f"/v1/report-periods/{self.future}/reminders", {"message": "a"}, org="B")
        self.assertProblem(r, 404, "not-found")
        self.assertEqual(self.count("report_reminders", f"period_id = {self.future}"), 0)


# ---- attachments -----------------------------------------------------------------

class AttachmentTest(ReportsBase):

    def test_round_trip_of_binary_bytes(self):
        sid = self.draft()
        data = b"%PDF-1.7\n\x00\x01\x02\xff\xfe\xc3\x28 not UTF-8 \x00\x00" + os.urandom(70000)
        name = unicodedata.normalize("NFD", "Báo cáo sơ kết 6 tháng (bản ký) #1.pdf")
        r = self.upload(sid, data, name=name, role="secretariat")
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        digest = hashlib.sha256(data).hexdigest()
        self.assertEqual(doc["submission_id"], sid)
        self.assertEqual(doc["filename"], unicodedata.normalize("NFC", name))
        self.assertEqual(doc["content_type"], PDF)
        self.assertEqual(doc["size_bytes"], len(data))
        self.assertEqual(doc["sha256"], digest)
        self.assertEqual(set(doc), {"id", "submission_id", "filename", "content_type",
                                    "size_bytes", "sha256", "created_at"})
        location = f"/v1/submissions/{sid}/attachments/{doc['id']}"
        self.assertEqual(r.header("Location"), location)
        stored = self.sql(f"SELECT encode(sha256, 'hex') || ' ' || encode(sha256(data), 'hex') "
                          f"|| ' ' || length(data) FROM submission_attachments "
                          f"WHERE id = {doc['id']}")
        self.assertEqual(stored, f"{digest} {digest} {len(data)}")

        for role in ("admin", "viewer", "unit_head", "leader"):
            with self.subTest(role=role):
                g = self.get(location, role=role)
                self.assertEqual(g.status, 200, g)
                self.assertEqual(g.body, data)
                self.assertEqual(g.header("Content-Type"), PDF)
                self.assertEqual(g.header("ETag"), f'"{digest}"')
                self.assertEqual(g.header("Content-Disposition"), disposition(doc["filename"]))
                self.assertEqual(g.header("X-Content-Type-Options"), "nosniff")
        g = self.call("GET", location, token=self.client_token("A", "reports"))
        self.assertEqual(g.body, data)

        (audit,) = self.audit_rows("submission.attach", str(sid))
        self.assertEqual(audit["after"]["id"], doc["id"])
        self.assertEqual(audit["after"]["sha256"], digest)
        self.assertEqual(audit["actor_id"], str(self.world["A"].users["secretariat"]["id"]))

    def test_every_allowed_type_and_its_parameters(self):
        sid = self.draft(status="returned")
        types = ["application/pdf", "image/png", "image/jpeg", "text/plain; charset=utf-8",
                 "TEXT/CSV", "application/vnd.openxmlformats-officedocument."
                 "wordprocessingml.document",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        for t in types:
            with self.subTest(type=t):
                r = self.upload(sid, b"a,b\r\n1,2\r\n", name="bang.csv", ctype=t)
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json()["content_type"], t.split(";")[0].lower())
        g = self.get(r.header("Location"))
        self.assertEqual(g.header("Content-Type"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def test_machines_and_unit_heads_attach_in_their_scope(self):
        sid = self.draft("C")
        r = self.upload(sid, b"\x89PNG\r\n\x1a\n\x00", name="anh.png", ctype="image/png",
                        token=self.client_token("A", "reports"))
        self.assertEqual(r.status, 201, r)
        r = self.upload(sid, b"x", name="ghi-chu.txt", ctype="text/plain", role="unit_head")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 2)

    def test_unit_head_outside_the_subtree_is_404(self):
        sid = self.draft("S")
        r = self.upload(sid, b"x", ctype="text/plain", name="a.txt", role="unit_head")
        self.assertProblem(r, 404, "not-found")
        r = self.upload(sid, b"x", ctype="text/plain", name="a.txt")
        self.assertEqual(r.status, 201, r)
        self.assertProblem(self.get(r.header("Location"), role="unit_head"), 404, "not-found")
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 1)

    def test_other_organisation_is_404(self):
        sid = self.draft("C", org="B")
        r = self.upload(sid, b"x", ctype="text/plain", name="a.txt")
        self.assertProblem(r, 404, "not-found")
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 0)
        r = self.upload(sid, b"bytes of B", ctype="text/plain", name="b.txt", org="B")
        self.assertEqual(r.status, 201, r)
        location = r.header("Location")
        self.assertProblem(self.get(location), 404, "not-found")
        self.assertProblem(self.call("GET", location, token=self.client_token("A", "reports")),
                           404, "not-found")
        # an attachment read through another submission's id
        other = self.draft("C", org="B")
        aid = r.json()["id"]
        self.assertProblem(self.get(f"/v1/submissions/{other}/attachments/{aid}", org="B"),
                           404, "not-found")
        self.assertProblem(self.get(f"/v1/submissions/{sid}/attachments/999999999", org="B"),
                           404, "not-found")

    def test_wrong_type_is_415(self):
        sid = self.draft()
        for ctype in ("application/zip", "text/html", "application/json", "application/pdfx",
                      None):
            with self.subTest(ctype=ctype):
                r = self.upload(sid, b"PK\x03\x04", ctype=ctype, name="a.zip")
                self.assertProblem(r, 415, "unsupported-media-type")
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 0)

    def test_size_limit_is_10_mib(self):
        sid = self.draft()
        big = b"\x00\xff" * (5 * MiB)  # exactly 10 MiB
        r = self.upload(sid, big, ctype="text/plain", name="lon.txt")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["sha256"], hashlib.sha256(big).hexdigest())
        self.assertEqual(self.get(r.header("Location")).body, big)
        r = self.upload(sid, big + b"!", ctype="text/plain", name="qua-lon.txt")
        self.assertProblem(r, 413, "payload-too-large")
        r = self.upload(sid, b"", ctype="text/plain", name="rong.txt")
        self.assertProblem(r, 400)
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 1)

    def test_submitted_or_accepted_submission_is_409(self):
        for status in ("submitted", "accepted"):
            with self.subTest(status=status):
                sid = self.draft(status=status)
                doc = self.assertProblem(self.upload(sid, b"x", ctype="text/plain",
                                                     name="a.txt", headers=EN),
                                         409, "submission-locked")
                self.assertIn(status, doc["detail"])
                # Vietnamese by default: the status through its label
                r = self.upload(sid, b"x", ctype="text/plain", name="a.txt")
                doc = self.assertProblem(r, 409, "submission-locked")
                self.assertEqual(r.header("Content-Language"), "vi")
                self.assertIn({"submitted": "đã nộp", "accepted": "đã được chấp nhận"}[status],
                              doc["detail"])
                self.assertEqual(self.count("submission_attachments",
                                            f"submission_id = {sid}"), 0)
                self.assertEqual(self.audit_rows("submission.attach", str(sid)), [])

    def test_a_draft_of_a_closed_period_takes_no_attachment(self):
        # the answers of such a draft cannot change (period-closed): nor its files
        for status in ("draft", "returned"):
            with self.subTest(status=status):
                sid = self.draft(status=status)
                self.sql("UPDATE report_periods SET status = 'closed' WHERE id = "
                         f"(SELECT period_id FROM submissions WHERE id = {sid})")
                r = self.upload(sid, b"x", ctype="text/plain", name="a.txt", headers=EN)
                doc = self.assertProblem(r, 409, "period-closed")
                self.assertEqual(doc["detail"], "The reporting period is closed.")
                self.assertEqual(self.count("submission_attachments",
                                            f"submission_id = {sid}"), 0)
                self.assertEqual(self.audit_rows("submission.attach", str(sid)), [])

    def test_bad_filename_is_422(self):
        sid = self.draft()
        for name in ("", "a/b.pdf", "../x.pdf", "tab\there.pdf", "nul\x00.pdf", "del\x7f.pdf",
                     "c1\u0085.pdf", "x" * 256, None):
            with self.subTest(name=name):
                doc = self.assertProblem(self.upload(sid, b"x", name=name), 422, "validation")
                self.assertEqual([e["pointer"] for e in doc["errors"]], ["/query/filename"])
        # a name that is not UTF-8 is refused with every such query value (400)
        r = self.call("POST", f"/v1/submissions/{sid}/attachments?filename=%C3%28.pdf",
                      token=self.token("A", "admin"), body=b"x", headers={"Content-Type": PDF})
        doc = self.assertProblem(r, 400, "bad-request")
        self.assertEqual([e["pointer"] for e in doc["errors"]], ["/query/filename"])
        r = self.upload(sid, b"x", name="x" * 255)
        self.assertEqual(r.status, 201, r)
        r = self.call("POST", f"/v1/submissions/{sid}/attachments?filename=a.pdf&size=1",
                      token=self.token("A", "admin"), body=b"x", headers={"Content-Type": PDF})
        self.assertProblem(r, 400)
        self.assertEqual(self.count("submission_attachments", f"submission_id = {sid}"), 1)

    def test_disposition_escapes_what_is_not_an_attr_char(self):
        sid = self.draft()
        name = 'Tờ trình "số 5"; bản ký, 100%.pdf'
        r = self.upload(sid, b"x", name=name)
        self.assertEqual(r.status, 201, r)
        g = self.get(r.header("Location"))
        header = g.header("Content-Disposition")
        self.assertEqual(header, disposition(name))
        self.assertNotIn('"', header)
        self.assertNotIn(";", header.split("filename*=", 1)[1])

    def test_viewer_and_staff_cannot_attach(self):
        sid = self.draft()
        for role in ("viewer", "leader", "council", "staff"):
            with self.subTest(role=role):
                self.assertProblem(self.upload(sid, b"x", role=role), 403, "forbidden")
        r = self.upload(sid, b"x", token=self.client_token("A", "portal"))
        self.assertEqual(r.status, 201, r)  # portal holds reports:write too


if __name__ == "__main__":
    main()
