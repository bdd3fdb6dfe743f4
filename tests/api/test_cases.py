"""Complaints, denunciations and petitions (issue 13 §2, domain.md §7): the
legal clocks in calendar or working days, the steps, the block an open case
puts on awards (Decree 152 Art. 4.4) until it is closed, and the
denouncer's identity kept from everyone but the handler and the head.
"""

import datetime
import time

import test_decisions
from harness import EN, main
from identity import IdentityTest

LDTT = "lao_dong_tien_tien"


class CasesTest(IdentityTest):

    as_role = test_decisions.DecisionsTest.as_role
    signed_session = test_decisions.DecisionsTest.signed_session
    draft = test_decisions.DecisionsTest.draft
    sign = test_decisions.DecisionsTest.sign

    def lodge(self, role="secretariat", **body):
        r = self.call("POST", "/v1/cases", token=self.token("A", role), body=body, headers=EN)
        return r

    def lodged(self, **body):
        r = self.lodge(**body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def step(self, cid, version, step, role="secretariat", **body):
        return self.call("POST", f"/v1/cases/{cid}/steps", token=self.token("A", role),
                         body=dict(body, step=step), headers=dict(EN, **{"If-Match": f'"{version}"'}))

    def decide(self, cid, version, role="leader", **body):
        return self.call("POST", f"/v1/cases/{cid}/decision", token=self.token("A", role),
                         body=body, headers=dict(EN, **{"If-Match": f'"{version}"'}))

    def test_a_complaints_clocks_and_steps(self):
        a = self.world["A"]
        c = self.lodged(kind="complaint", staff_id=a.staff["Lê Thị Hoa"],
                        summary="Khiếu nại việc không được xét Lao động tiên tiến năm 2023.",
                        lodger_name="Lê Thị Hoa", received_on="2024-03-01",
                        learned_on="2024-02-01")
        # accepted within 10 days (Law on Complaints 2011 Art. 27)
        self.assertEqual((c["status"], c["accept_due"], c["due"], c["lodged_late"]),
                         ("received", "2024-03-11", "2024-03-11", False))
        self.assertEqual(c["clocks"]["accept"]["source"]["document"], "Luật Khiếu nại 2011")
        self.assertTrue(c["blocks_awards"])
        self.assertEqual(c["lodger"]["name"], "Lê Thị Hoa")  # a complaint's lodger is no secret
        # decided within 30 days of acceptance, 45 when complex
        r = self.step(c["id"], 1, "accept", on="2024-03-05")
        self.assertEqual((r.status, r.json()["decide_due"]), (200, "2024-04-04"))
        r = self.step(c["id"], 2, "accept")
        self.assertEqual(r.status, 409, r)  # accepted once
        r = self.step(c["id"], 1, "verify")
        self.assertEqual(r.status, 412, r)
        self.assertEqual(self.step(c["id"], 2, "verify").status, 200)
        complex_ = self.lodged(kind="complaint", staff_id=a.staff["Lê Thị Hoa"], complex=True,
                               summary="Vụ việc phức tạp.", received_on="2024-03-01")
        r = self.step(complex_["id"], 1, "accept", on="2024-03-01")
        self.assertEqual(r.json()["decide_due"], "2024-04-15")
        # only a denunciation is extended
        r = self.step(c["id"], 3, "extend", reason="Cần xác minh thêm")
        self.assertEqual(r.status, 409, r)
        # the head decides; the Office may not
        self.assertEqual(self.decide(c["id"], 3, role="secretariat", outcome="x").status, 403)
        r = self.decide(c["id"], 3, on="2024-03-30", outcome="Giữ nguyên quyết định.")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["closed_on"], r.json()["blocks_awards"]),
                         ("decided", "2024-03-30", False))
        # 90 days to lodge from learning of the decision: the 90th is in time,
        # the 91st is late (Law on Complaints 2011 Art. 9); both weekdays
        for received, late in (("2024-04-02", False), ("2024-04-03", True)):
            with self.subTest(received=received):
                k = self.lodged(kind="complaint", staff_id=a.staff["Lê Thị Hoa"],
                                summary="Ranh giới 90 ngày.", received_on=received,
                                learned_on="2024-01-03")
                self.assertEqual(k["lodged_late"], late)
        # lodged more than 90 days after learning of the decision: said so
        late = self.lodged(kind="complaint", staff_id=a.staff["Lê Thị Hoa"],
                           summary="Muộn.", received_on="2024-01-10", learned_on="2023-10-01")
        self.assertTrue(late["lodged_late"])

    def test_a_denunciation_in_working_days_its_extensions_and_its_secret(self):
        a = self.world["A"]
        d = self.lodged(kind="denunciation", staff_id=a.staff["Nguyễn Văn An"],
                        summary="Tố cáo kê khai thành tích không đúng sự thật.",
                        lodger_name="Người tố cáo X", lodger_contact="0900 000 000",
                        received_on="2024-02-05")
        # 7 working days (Law on Denunciations 2018 Art. 29) across Tết
        # Giáp Thìn (08–14/02/2024 off): the 21st
        self.assertEqual(d["accept_due"], "2024-02-21")
        self.assertEqual(d["clocks"]["accept"]["day_kind"], "working")
        # the Office that recorded it does not read the denouncer back
        self.assertIsNone(d["lodger"])
        office = self.call("GET", f"/v1/cases/{d['id']}", token=self.token("A", "secretariat"))
        self.assertIsNone(office.json()["lodger"])
        self.assertNotIn("Người tố cáo X", office.body.decode())
        head = self.call("GET", f"/v1/cases/{d['id']}", token=self.token("A", "leader")).json()
        self.assertEqual(head["lodger"]["name"], "Người tố cáo X")
        listed = self.call("GET", "/v1/cases?status=all", token=self.token("A", "admin"))
        self.assertNotIn("Người tố cáo X", listed.body.decode())
        # nor does the audit trail, nor the log
        self.assertEqual(self.sql("SELECT count(*) FROM audit_log WHERE entity_type = 'case' "
                                  "AND (after::text LIKE '%Người tố cáo X%' "
                                  "OR before::text LIKE '%Người tố cáo X%')"), "0")
        self.assertNotIn("Người tố cáo X", self.svc.stderr())
        # the letter attached: a denouncer's hand, read as the denouncer's name is
        letter = b"%PDF-1.7\nDon to cao\n"
        r = self.call("POST", f"/v1/cases/{d['id']}/attachments?filename=don-to-cao.pdf",
                      token=self.token("A", "secretariat"), body=letter,
                      headers={"Content-Type": "application/pdf"})
        self.assertEqual(r.status, 201, r)
        fpath = f"/v1/cases/{d['id']}/attachments/{r.json()['id']}"
        for role, status in (("secretariat", 404), ("admin", 404), ("leader", 200)):
            with self.subTest(role=role):
                self.assertEqual(self.call("GET", fpath, token=self.token("A", role)).status,
                                 status)
        self.assertIsNone(self.call("GET", f"/v1/cases/{d['id']}",
                                    token=self.token("A", "admin")).json()["attachments"])
        self.assertEqual(self.call("GET", fpath, token=self.token("A", "unit_head")).status, 403)
        # its handler reads it
        handler = a.users["secretariat"]["id"]
        r = self.step(d["id"], 1, "accept", on="2024-02-20", handler_user_id=int(handler))
        self.assertEqual((r.status, r.json()["decide_due"]), (200, "2024-03-21"), r)
        self.assertEqual(r.json()["lodger"]["name"], "Người tố cáo X")
        self.assertEqual(len(r.json()["attachments"]), 1)
        got = self.call("GET", fpath, token=self.token("A", "secretariat"))
        self.assertEqual((got.status, got.body), (200, letter))
        # two extensions of 30 days, decided in writing; not a third
        r = self.step(d["id"], 2, "extend", reason="Vụ việc phức tạp: QĐ gia hạn số 1")
        self.assertEqual((r.status, r.json()["decide_due"]), (200, "2024-04-20"), r)
        r = self.step(d["id"], 3, "extend", reason="Đặc biệt phức tạp: QĐ gia hạn số 2")
        self.assertEqual(r.json()["decide_due"], "2024-05-20")
        r = self.step(d["id"], 4, "extend", reason="Lần ba")
        self.assertEqual(r.status, 409, r)
        self.assertIn("2", r.json()["detail"])
        self.assertProblem(self.step(d["id"], 4, "extend"), 422)  # a reason is required

    def test_an_open_case_blocks_the_award_until_it_is_closed(self):
        a = self.world["A"]
        sid, _ = self.signed_session(2024, [(LDTT, "Phạm Minh Khoa", True)])
        d = self.draft(sid).json()
        c = self.lodged(kind="complaint", staff_id=a.staff["Phạm Minh Khoa"],
                        summary="Khiếu nại về kết quả bình xét.", received_on="2024-12-01")
        # the engine reads the open fact
        r = self.call("GET", f"/v1/staff/{a.staff['Phạm Minh Khoa']}/eligibility?year=2024"
                      f"&title={LDTT}", token=self.token("A", "secretariat"), headers=EN)
        checks = [k["code"] for v in r.json()["verdicts"] for k in v["checks"]]
        self.assertIn("case_pending", checks)
        # the head's signing refuses, naming the person and the law in
        # force on the day: Decree 98 in 2024, Decree 152 from 01/07/2025
        r = self.sign(d["id"], "2024-12-28")
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("Phạm Minh Khoa", doc["detail"])
        self.assertIn("98/2023/NĐ-CP Điều 4", doc["detail"])
        self.assertNotIn("152/2025", doc["detail"])
        doc = self.assertProblem(self.sign(d["id"], "2025-07-15"), 409, "conflict")
        self.assertIn("152/2025/NĐ-CP Điều 4 khoản 4", doc["detail"])
        self.assertEqual(self.sql(f"SELECT status FROM decisions WHERE id = {d['id']}"), "draft")
        # the fact is the case's: it is not closed on its own
        fact = self.sql(f"SELECT id FROM staff_cases WHERE case_id = {c['id']}")
        r = self.call("POST", f"/v1/cases/{fact}/close", token=self.token("A", "secretariat"),
                      body={"closed_on": "2024-12-02"})
        self.assertEqual(r.status, 409, r)
        # refused for lodging out of time: closed, the block lifts
        self.assertProblem(self.step(c["id"], 1, "refuse"), 422)
        r = self.step(c["id"], 1, "refuse", on="2024-12-05", reason="Hết thời hiệu khiếu nại")
        self.assertEqual((r.status, r.json()["status"]), (200, "refused"))
        self.assertEqual(self.sign(d["id"], "2024-12-28").status, 200)
        # a unit's open case blocks a collective's award the same way
        sid2, _ = self.signed_session(2024, [("giay_khen", ("unit", "C"), True)])
        d2 = self.draft(sid2).json()
        self.lodged(kind="denunciation", unit_id=a.units["C"], summary="Tố cáo tập thể.",
                    received_on="2024-12-02")
        self.assertEqual(self.sign(d2["id"], "2024-12-28").status, 409)
        # a petition does not block
        p = self.lodged(kind="petition", staff_id=a.staff["Trần Thị Bình"],
                        summary="Kiến nghị công khai danh sách.", received_on="2024-12-03")
        self.assertFalse(p["blocks_awards"])
        self.assertEqual(self.count("staff_cases", f"case_id = {p['id']}"), 0)

    def test_an_award_revoked_after_its_case_is_decided(self):
        a = self.world["A"]
        sid, _ = self.signed_session(2024, [(LDTT, "Đặng Văn Đức", True),
                                            (LDTT, "Nguyễn Văn Cường", True)])
        d = self.draft(sid).json()
        self.assertEqual(self.sign(d["id"], "2024-12-28").status, 200)
        c = self.lodged(kind="denunciation", staff_id=a.staff["Đặng Văn Đức"],
                        summary="Tố cáo kê khai thành tích không đúng.", received_on="2025-01-06")
        pos = next(i["position"] for i in self.as_role("leader", "GET",
                                                       f"/v1/decisions/{d['id']}").json()["items"]
                   if i["name"] == "Đặng Văn Đức")
        revoke = {"position": pos, "revoked_on": "2025-02-03", "case_id": c["id"],
                  "reason": "Kết luận tố cáo: thành tích kê khai không đúng"}
        path = f"/v1/decisions/{d['id']}/revocations"
        # not before the case is decided
        self.assertProblem(self.as_role("leader", "POST", path, revoke), 409, "conflict")
        self.assertEqual(self.step(c["id"], 1, "accept", on="2025-01-08").status, 200)
        r = self.decide(c["id"], 2, on="2025-01-27", outcome="Tố cáo đúng; thu hồi danh hiệu.")
        self.assertEqual(r.status, 200, r)
        # the case is about this recipient, and is decided before the revocation
        other = next(i["position"] for i in self.as_role("leader", "GET",
                                                         f"/v1/decisions/{d['id']}")
                     .json()["items"] if i["name"] == "Nguyễn Văn Cường")
        r = self.as_role("leader", "POST", path, dict(revoke, position=other))
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/case_id"])
        r = self.as_role("leader", "POST", path, dict(revoke, revoked_on="2025-01-20"))
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/revoked_on"])
        r = self.as_role("leader", "POST", path, dict(revoke, case_id=99999999))
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/case_id"])
        r = self.as_role("leader", "POST", path, revoke)
        self.assertEqual(r.status, 200, r)
        item = next(i for i in r.json()["items"] if i["position"] == pos)
        # 15 working days to return what was given (Decree 152 Art. 58)
        self.assertEqual((item["revocation_case_id"], item["return_due"]),
                         (c["id"], "2025-02-24"))
        case = self.as_role("leader", "GET", f"/v1/cases/{c['id']}").json()
        self.assertEqual([(x["decision_id"], x["position"]) for x in case["revocations"]],
                         [(d["id"], pos)])

    def test_the_offices_lists_and_bad_input(self):
        a = self.world["A"]
        old = self.lodged(kind="complaint", staff_id=a.staff["Trần Thị Bình"],
                          summary="Chưa được thụ lý.", received_on="2024-01-02")
        token = self.token("A", "secretariat")
        overdue = self.call("GET", "/v1/cases?status=overdue", token=token).json()["items"]
        self.assertIn(old["id"], [x["id"] for x in overdue])
        self.assertTrue(all(x["overdue"] for x in overdue))
        soon = self.call("GET", "/v1/cases?status=due_soon", token=token).json()["items"]
        self.assertNotIn(old["id"], [x["id"] for x in soon])
        self.assertEqual(self.call("GET", "/v1/cases?status=late", token=token).status, 400)
        cases = [
            (dict(kind="complaint", staff_id=a.staff["Trần Thị Bình"], unit_id=a.units["C"],
                  summary="x", received_on="2024-01-01"), "/unit_id"),
            (dict(kind="complaint", summary="x", received_on="2024-01-01"), "/staff_id"),
            (dict(kind="rumour", staff_id=a.staff["Trần Thị Bình"], summary="x",
                  received_on="2024-01-01"), "/kind"),
            (dict(kind="complaint", staff_id=a.staff["Trần Thị Bình"], summary="x",
                  received_on="2099-01-01"), "/received_on"),
            (dict(kind="complaint", staff_id=a.staff["Trần Thị Bình"], summary="x",
                  received_on="2024-01-01", learned_on="2024-02-01"), "/learned_on"),
            (dict(kind="complaint", staff_id=self.world["B"].staff[next(iter(
                self.world["B"].staff))], summary="x", received_on="2024-01-01"), "/staff_id"),
        ]
        before = self.count("cases")
        for body, pointer in cases:
            with self.subTest(pointer=pointer):
                r = self.lodge(**body)
                self.assertEqual(r.status, 422, r)
                self.assertIn(pointer, [e["pointer"] for e in r.json()["errors"]])
        self.assertEqual(self.count("cases"), before)
        r = self.lodge(kind="complaint", staff_id=a.staff["Trần Thị Bình"], summary=" \n ",
                       received_on="2024-01-01")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/summary"])
        r = self.step(old["id"], 1, "accept", handler_user_id=999999)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/handler_user_id"])
        r = self.step(old["id"], 1, "refuse", reason="   ")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/reason"])
        r = self.step(old["id"], 1, "reopen")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/step"])
        r = self.step(old["id"], 1, "accept", on="2023-12-31")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/on"])
        # only the Office, the head and the administrator read cases
        for role, status in (("staff", 403), ("unit_head", 403), ("council", 403),
                             ("leader", 200), ("admin", 200)):
            self.assertEqual(self.call("GET", "/v1/cases", token=self.token("A", role)).status,
                             status, role)
        self.assertEqual(self.call("GET", f"/v1/cases/{old['id']}",
                                   token=self.token("B", "secretariat")).status, 404)


class CaseRemindersTest(IdentityTest):
    """Housekeeping records a reminder when a case's clock nears its end or
    has passed it, once per clock."""
    service_env = {"THIDUA_HOUSEKEEPING_INTERVAL_S": "1"}

    def test_reminders_of_the_clocks(self):
        a = self.world["A"]
        office = self.token("A", "secretariat")
        today = datetime.date.fromisoformat(self.sql(
            "SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"))
        made = {}
        for name, days_ago in (("soon", 8), ("late", 20), ("calm", 0)):
            r = self.call("POST", "/v1/cases", token=office, body={
                "kind": "complaint", "staff_id": a.staff["Trần Thị Bình"],
                "summary": f"Khiếu nại {name}",
                "received_on": str(today - datetime.timedelta(days=days_ago))})
            self.assertEqual(r.status, 201, r)
            made[name] = r.json()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.count("case_reminders") < 2:
            time.sleep(0.2)
        time.sleep(2.5)  # two more rounds of housekeeping: nothing twice
        got = {n: [(m["kind"], m["due"]) for m in
                   self.call("GET", f"/v1/cases/{c['id']}", token=office).json()["reminders"]]
               for n, c in made.items()}
        self.assertEqual(got, {"soon": [("due_soon", made["soon"]["accept_due"])],
                               "late": [("overdue", made["late"]["accept_due"])],
                               "calm": []})
        listed = self.call("GET", "/v1/cases?status=overdue", token=office).json()["items"]
        self.assertEqual([c["id"] for c in listed], [made["late"]["id"]])


class TrustedProxyTest(IdentityTest):
    """Behind a reverse proxy (issue 15 §5): the public's daily quota keys on
    the client the trusted proxy names in X-Forwarded-For, not on the proxy;
    the login throttle reads the same address."""
    service_env = {"THIDUA_PUBLIC_CASES_PER_DAY": "1", "THIDUA_TRUSTED_PROXIES": "127.0.0.1"}

    def lodge(self, xff=None, forwarded=None):
        code = self.sql(f"SELECT code FROM organizations WHERE id = {self.world['A'].id}")
        headers = {}
        if xff:
            headers["X-Forwarded-For"] = xff
        if forwarded:
            headers["Forwarded"] = forwarded
        return self.call("POST", f"/public/v1/{code}/cases", headers=headers,
                         body={"kind": "petition", "summary": "Đề nghị công khai danh sách."})

    def test_the_quota_keys_on_the_client_behind_the_proxy(self):
        self.assertEqual(self.lodge("198.51.100.1").status, 201)
        self.assertEqual(self.lodge("198.51.100.1").status, 429)
        self.assertEqual(self.lodge("198.51.100.2").status, 201)
        # a client writing its own header is named by the proxy after it
        self.assertEqual(self.lodge("198.51.100.1, 198.51.100.3").status, 201)
        self.assertEqual(self.lodge("203.0.113.50, 198.51.100.3").status, 429)
        # RFC 7239 Forwarded; an IPv6 client is keyed by its /64
        self.assertEqual(self.lodge(forwarded='for="[2001:db8:1:2::7]:4711"').status, 201)
        self.assertEqual(self.lodge(forwarded="for=\"[2001:db8:1:2::99]\"").status, 429)
        # no header: the proxy itself, once
        self.assertEqual(self.lodge().status, 201)
        self.assertEqual(self.lodge().status, 429)


    def test_the_login_throttle_keys_on_the_client(self):
        self.sql("DELETE FROM login_throttle")
        r = self.call("POST", "/v1/auth/token", headers={"X-Forwarded-For": "198.51.100.7"},
                      body={"grant_type": "password", "username": self.world["A"].username("admin"),
                            "password": "not-the-password-1"})
        self.assertIn(r.status, (400, 401), r)
        keys = self.sql("SELECT string_agg(key, ' ' ORDER BY key) FROM login_throttle")
        self.assertIn("198.51.100.7", keys)
        self.assertNotIn("127.0.0.1", keys)


class UntrustedProxyTest(IdentityTest):
    """Without THIDUA_TRUSTED_PROXIES, anyone's X-Forwarded-For is ignored: a
    stranger cannot escape the quota by naming another address."""
    service_env = {"THIDUA_PUBLIC_CASES_PER_DAY": "1"}

    def test_forwarding_headers_are_ignored(self):
        code = self.sql(f"SELECT code FROM organizations WHERE id = {self.world['A'].id}")
        body = {"kind": "petition", "summary": "Đề nghị công khai danh sách."}
        path = f"/public/v1/{code}/cases"
        self.assertEqual(self.call("POST", path, body=body,
                                   headers={"X-Forwarded-For": "198.51.100.1"}).status, 201)
        for h in ({"X-Forwarded-For": "198.51.100.2"}, {"Forwarded": "for=198.51.100.3"}):
            self.assertEqual(self.call("POST", path, body=body, headers=h).status, 429, h)


class PublicCasesTest(IdentityTest):
    """Anyone may lodge a case without a token, within a daily quota per
    address; the Office names whom it concerns when it accepts it."""
    service_env = {"THIDUA_PUBLIC_CASES_PER_DAY": "3"}

    def test_lodged_by_the_public_within_a_quota(self):
        a, b = self.world["A"], self.world["B"]
        code = self.sql(f"SELECT code FROM organizations WHERE id = {a.id}")
        path = f"/public/v1/{code}/cases"
        bad = [
            ({"kind": "complaint", "summary": "  "}, "/summary"),
            ({"kind": "gossip", "summary": "x"}, "/kind"),
            ({"kind": "complaint", "summary": "x", "decision": "decision-x"}, "/decision"),
            ({"kind": "complaint", "summary": "x", "decision": "decision-999999"}, "/decision"),
            ({"kind": "complaint", "summary": "x" * 5001}, "/summary"),
        ]
        for body, pointer in bad:
            with self.subTest(pointer=pointer):
                r = self.call("POST", path, body=body, headers=EN)
                self.assertEqual(r.status, 422, r)
                self.assertIn(pointer, [e["pointer"] for e in r.json()["errors"]])
        # a stranger names no ids of the agency's staff
        r = self.call("POST", path, body={"kind": "complaint", "summary": "x", "staff_id": 1})
        self.assertEqual((r.status, [e["pointer"] for e in r.json()["errors"]]),
                         (400, ["/staff_id"]))
        self.assertEqual(self.call("POST", path, body=b"{" + b" " * 70000 + b"}",
                                   headers={"Content-Type": "application/json"}).status, 413)
        self.assertEqual(self.call("POST", "/public/v1/NOBODY/cases",
                                   body={"kind": "petition", "summary": "x"}).status, 404)
        self.assertEqual(self.count("cases"), 0)
        r = self.call("POST", path, body={
            "kind": "denunciation", "summary": "Thành tích được kê khai không đúng.",
            "about": "Một chuyên viên Phòng Quản lý Đầu tư", "lodger_name": "Người dân Y"})
        self.assertEqual(r.status, 201, r)
        receipt = r.json()
        self.assertRegex(receipt["reference"], r"^case-\d+$")
        self.assertEqual(set(receipt), {"reference", "kind", "received_on", "accept_due",
                                        "clock"})
        self.assertEqual(receipt["clock"]["day_kind"], "working")
        cid = int(receipt["reference"].split("-")[1])
        # the Office sees it, without the denouncer, and names the person
        office = self.token("A", "secretariat")
        case = self.call("GET", f"/v1/cases/{cid}", token=office).json()
        self.assertEqual((case["channel"], case["name"], case["lodger"]), ("public", None, None))
        self.assertNotIn("Người dân Y", self.sql("SELECT string_agg(after::text, '') FROM "
                                                 "audit_log WHERE entity_type = 'case'"))
        r = self.call("POST", f"/v1/cases/{cid}/steps", token=office,
                      body={"step": "accept", "staff_id": a.staff["Nguyễn Văn Cường"]},
                      headers={"If-Match": '"1"'})
        self.assertEqual((r.status, r.json()["name"]), (200, "Nguyễn Văn Cường"), r)
        self.assertEqual(self.count("staff_cases", f"case_id = {cid} AND closed_on IS NULL"), 1)
        # three a day from one address; the fourth waits for tomorrow
        for i in range(2):
            self.assertEqual(self.call("POST", path, body={"kind": "petition",
                                                           "summary": f"Kiến nghị {i}"}).status,
                             201)
        r = self.call("POST", path, body={"kind": "petition", "summary": "Lần thứ tư"},
                      headers=EN)
        doc = self.assertProblem(r, 429, "too-many-attempts")
        self.assertTrue(0 < int(r.header("Retry-After")) <= 86400)
        self.assertIn("3", doc["detail"])
        self.assertEqual(self.count("cases"), 3)
        # another organisation's quota is the same address's: still refused
        other = self.sql(f"SELECT code FROM organizations WHERE id = {b.id}")
        self.assertEqual(self.call("POST", f"/public/v1/{other}/cases",
                                   body={"kind": "petition", "summary": "x"}).status, 429)


if __name__ == "__main__":
    main()
