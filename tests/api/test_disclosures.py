"""Public disclosure before awards and the public's feedback (issue 13 §1):
the period in working days on the calendar, across each Tết of 2022-2026,
at least the law's minimum by level and date; the public list with only
what a decision publishes; feedback from anyone, bounded (sizes, a daily
quota per address, a proof of work when asked), its sender seen only by the
Office and the head; the council reading it and the minutes recording it;
the session not opened and the proposal not sent before the period ends,
nor anyone proposed while a case about them is open.
"""

import datetime
import hashlib
import itertools
import json
import uuid

import test_decisions
from harness import EN, main
from identity import IdentityTest

LDTT = "lao_dong_tien_tien"
CSTDTQ = "chien_si_thi_dua_toan_quoc"


def convened_session(t, noms, year=2024):
    """A council session of organisation A, convened (not yet opened), whose
    agenda holds one submitted round with noms [(award_code, staff name or
    ("unit", key))].  Returns the session's id."""
    a = t.world["A"]
    tag = uuid.uuid4().hex[:6]
    rid = t.sql(
        "INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date, "
        f"status) VALUES ({a.id}, {year}, 'annual', 'Đợt {tag}', '{year}-12-15', "
        f"'{year}-12-20', 'submitted') RETURNING id")
    for code, subject in noms:
        if isinstance(subject, tuple):
            cols, vals = "unit_id", f"'unit', {a.units[subject[1]]}"
        else:
            cols, vals = "staff_id", f"'staff', {a.staff[subject]}"
        t.sql(f"INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, "
              f"{cols}, achievement, nominated_by) VALUES ({a.id}, {rid}, '{code}', {vals}, "
              f"'Hoàn thành xuất sắc nhiệm vụ năm {year}', 'test')")
    sid = t.sql(
        "INSERT INTO council_sessions (organization_id, name, held_on, ballot_secret, "
        f"ballot_key, created_by) VALUES ({a.id}, 'Phiên {tag}', '{year}-12-22', "
        "decode(repeat('01', 32), 'hex'), decode(repeat('02', 32), 'hex'), 'test') "
        "RETURNING id")
    t.sql(f"INSERT INTO council_agenda VALUES ({a.id}, {sid}, {rid})")
    return int(sid)


def solve(challenge, bits):
    """A counter whose SHA-256 with the challenge starts with `bits` zero
    bits: what a browser computes."""
    for n in itertools.count():
        h = hashlib.sha256(f"{challenge}:{n}".encode()).digest()
        if int.from_bytes(h, "big") >> (256 - bits) == 0:
            return f"{challenge}:{n}"


class DisclosureTest(IdentityTest):

    as_role = test_decisions.DecisionsTest.as_role
    signed_session = test_decisions.DecisionsTest.signed_session

    def today(self):
        return self.sql("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date")

    def code(self):
        return self.sql(f"SELECT code FROM organizations WHERE id = {self.world['A'].id}")

    def disclose(self, sid, role="secretariat", **extra):
        body = {"source": "session", "session_id": sid,
                "title": "Công khai danh sách đề nghị khen thưởng năm 2024"}
        body.update(extra)
        return self.as_role(role, "POST", "/v1/disclosures", body, headers=EN)

    def disclosed(self, sid, **extra):
        r = self.disclose(sid, **extra)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def disclose_on(self, sid, today, **extra):
        """disclosure_create, the procedure POST /v1/disclosures calls, with
        the day of publication set: periods of past years.  The write's
        result as a dict, its body parsed."""
        body = {"source": "session", "session_id": sid, "title": "Công khai danh sách"}
        body.update(extra)
        r = json.loads(self.sql(
            "SELECT row_to_json(r)::text FROM disclosure_create("
            f"{self.world['A'].id}, 'user', '1', 'test', "
            f"'{json.dumps(body, ensure_ascii=False)}'::jsonb, '{today}') r"))
        if r["body"]:
            r["body"] = json.loads(r["body"])
        return r

    def feedback(self, did, body, headers=None):
        return self.call("POST", f"/public/v1/{self.code()}/disclosures/{did}/feedback",
                         body=body, headers=dict(EN, **(headers or {})))


class DisclosurePeriodsTest(DisclosureTest):

    def test_periods_in_working_days_across_each_tet(self):
        # ten working days opened on the last working day before Tết: the
        # holidays of each year's calendar are skipped (Tết 2022 31/01-04/02,
        # 2023 20-26/01, 2024 08-14/02, 2025 27-31/01, 2026 16-20/02)
        cases = [("2022-01-28", "2022-02-17"), ("2023-01-19", "2023-02-08"),
                 ("2024-02-07", "2024-02-27"), ("2025-01-24", "2025-02-13"),
                 ("2026-02-13", "2026-03-05")]
        for opens, closes in cases:
            with self.subTest(opens=opens):
                sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
                d = self.disclose_on(sid, opens, working_days=10)["body"]
                self.assertEqual((d["opens_on"], d["closes_on"], d["calendar_complete"]),
                                 (opens, closes, True))
        # a Saturday opening counts from the Monday; a period into a year
        # whose holidays are not entered says so
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        d = self.disclose_on(sid, "2024-03-02", working_days=1)["body"]
        self.assertEqual(d["closes_on"], "2024-03-04")
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        d = self.disclosed(sid, opens_on="2099-12-21", working_days=10)
        self.assertFalse(d["calendar_complete"])
        # through the API a list opens today or later: a period that began
        # before the public could read it would be shorter than it says
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        r = self.disclose(sid, opens_on="2024-02-07")
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/opens_on"])
        d = self.disclosed(sid)
        self.assertEqual((d["opens_on"], d["state"]), (self.today(), "open"))

    def test_the_laws_minimum_by_level_and_date(self):
        # the agency's own title: no national minimum, the service's default
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        d = self.disclosed(sid)
        self.assertEqual((d["level"], d["working_days"], d["period_rule"]["min_days"]),
                         ("agency", 5, 0))
        self.assertEqual(d["period_rule"]["source"]["mark"], "unconfirmed")
        # a State award: 10 working days, Decree 98 in 2024, Decree 152 from
        # 01/07/2025 (and today), none fixed under Decree 91
        for opens, doc in (("2024-05-06", "98/2023/NĐ-CP"), ("2025-09-08", "152/2025/NĐ-CP")):
            with self.subTest(opens=opens):
                sid = convened_session(self, [(LDTT, "Trần Thị Bình"),
                                              (CSTDTQ, "Nguyễn Văn An")])
                r = self.disclose_on(sid, opens, working_days=9)
                self.assertEqual((r["outcome"], r["code"], r["pointer"]),
                                 ("invalid", "disclosure-period-short", "/working_days"))
                self.assertIn(doc, r["args"]["source"])
                d = self.disclose_on(sid, opens)["body"]
                self.assertEqual((d["level"], d["working_days"]), ("national", 10))
                self.assertEqual(d["period_rule"]["source"]["document"], doc)
        sid = convened_session(self, [(LDTT, "Trần Thị Bình"), (CSTDTQ, "Nguyễn Văn An")])
        r = self.disclose(sid, working_days=9)
        doc_ = self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in doc_["errors"]], ["/working_days"])
        self.assertIn("152/2025/NĐ-CP Điều 44.2", doc_["errors"][0]["detail"])
        sid = convened_session(self, [(CSTDTQ, "Nguyễn Văn An")], year=2022)
        d = self.disclose_on(sid, "2022-06-01", working_days=3)["body"]
        self.assertEqual(d["period_rule"]["source"]["document"], "91/2017/NĐ-CP")

    def test_a_candidate_added_after_disclosure_stops_the_council(self):
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        d = self.disclosed(sid)
        self.sql(f"UPDATE disclosures SET opens_on = current_date - 30, "
                 f"closes_on = current_date - 1 WHERE id = {d['id']}")
        other = convened_session(self, [(LDTT, "Phạm Minh Khoa")])
        self.sql(f"UPDATE council_agenda SET session_id = {sid} WHERE session_id = {other}")
        r = self.as_role("secretariat", "POST", f"/v1/council-sessions/{sid}/open", {},
                         headers=EN)
        self.assertIn("Phạm Minh Khoa", self.assertProblem(r, 409, "conflict")["detail"])
        # withdrawn and disclosed again, whole: the period runs anew
        w = self.as_role("secretariat", "POST", f"/v1/disclosures/{d['id']}/withdraw",
                         {"reason": "Bổ sung một trường hợp"}, headers={"If-Match": '"1"'})
        self.assertEqual(w.status, 200, w)
        d2 = self.disclosed(sid)
        self.assertEqual(len(d2["items"]), 2)
        self.assertEqual(self.count("disclosures", f"session_id = {sid}"), 2)

    def test_what_a_list_is_made_of_and_bad_input(self):
        a, b = self.world["A"], self.world["B"]
        sid = convened_session(self, [(LDTT, "Trần Thị Bình")])
        bad = [
            ({"source": "council"}, "/source"),
            ({"source": "session"}, "/session_id"),
            ({"source": "session", "session_id": sid, "proposal_id": 1}, "/proposal_id"),
            ({"source": "session", "session_id": sid, "title": "x", "working_days": 0},
             "/working_days"),
            ({"source": "session", "session_id": sid, "title": "x", "working_days": 61},
             "/working_days"),
            ({"source": "session", "session_id": sid, "title": "x", "opens_on": "2024-02-30"},
             "/opens_on"),
            ({"source": "session", "session_id": sid, "title": "x", "identity": "anon"},
             "/identity"),
            ({"source": "session", "session_id": sid, "title": ""}, "/title"),
        ]
        for body, pointer in bad:
            with self.subTest(pointer=pointer):
                r = self.as_role("secretariat", "POST", "/v1/disclosures", body, headers=EN)
                doc = self.assertProblem(r, 422, "validation")
                self.assertIn(pointer, [e["pointer"] for e in doc["errors"]])
        # another organisation's session is no session of ours
        r = self.disclose(sid, role="secretariat")
        self.assertEqual(r.status, 201, r)
        other = self.as_role("secretariat", "POST", "/v1/disclosures",
                             {"source": "session", "session_id": sid, "title": "x"},
                             headers=EN, org="B")
        self.assertEqual([e["pointer"] for e in self.assertProblem(other, 422)["errors"]],
                         ["/session_id"])
        # once per list, until withdrawn
        self.assertProblem(self.disclose(sid), 409, "conflict")
        did = r.json()["id"]
        # the outbox holds its event (issue 14 §3): ids and days, no names
        event = json.loads(self.sql("SELECT data FROM outbox_events WHERE type = "
                                    f"'disclosure.opened' AND data->>'disclosure_id' = '{did}'"))
        self.assertEqual((event["source"], event["session_id"], event["candidates"],
                          event["opens_on"], event["closes_on"]),
                         ("session", sid, 1, r.json()["opens_on"], r.json()["closes_on"]))
        self.assertEqual(self.as_role("secretariat", "POST", f"/v1/disclosures/{did}/withdraw",
                                      {"reason": " "}, headers={"If-Match": '"1"'}).status, 422)
        w = self.as_role("secretariat", "POST", f"/v1/disclosures/{did}/withdraw",
                         {"reason": "Sai tên đơn vị"}, headers={"If-Match": '"1"'})
        self.assertEqual((w.status, w.json()["state"]), (200, "withdrawn"), w)
        self.assertEqual(self.call("GET", f"/public/v1/{self.code()}/disclosures/{did}").status,
                         404)
        self.assertEqual(self.disclose(sid).status, 201)
        # an opened session is past disclosure; an empty agenda has nothing
        self.sql(f"UPDATE council_sessions SET status = 'open' WHERE id = {sid}")
        sid2 = convened_session(self, [(LDTT, "Đặng Văn Đức")])
        self.sql(f"UPDATE council_sessions SET status = 'voting' WHERE id = {sid2}")
        self.assertProblem(self.disclose(sid2), 409, "conflict")
        empty = convened_session(self, [])
        self.assertProblem(self.disclose(empty), 409, "conflict")
        self.assertEqual(self.count("disclosures", f"organization_id = {b.id}"), 0)
        self.assertEqual(self.count("disclosures", f"session_id IN ({sid}, {sid2}, {empty})"),
                         2)


class DisclosureFeedbackTest(DisclosureTest):
    service_env = {"THIDUA_PUBLIC_FEEDBACK_PER_DAY": "4"}

    def setUp(self):
        # each test's address starts the day afresh
        self.sql("DELETE FROM public_case_quota")

    def test_the_public_list_feedback_the_council_and_the_minutes(self):
        a = self.world["A"]
        sid = convened_session(self, [(LDTT, "Trần Thị Bình"), (LDTT, "Lê Thị Hoa"),
                                      ("giay_khen", ("unit", "C"))])
        d = self.disclosed(sid, intro="Ý kiến gửi Văn phòng Ban.")
        self.assertEqual((d["state"], d["opens_on"] <= d["closes_on"]), ("open", True))
        names = [i["name"] for i in d["items"]]
        # titles first, then forms; by name in Vietnamese order
        self.assertEqual(names, ["Lê Thị Hoa", "Trần Thị Bình", "Phòng Tổ chức – Hành chính"])
        # the public reads the list without a token: what a decision publishes
        pub = self.call("GET", f"/public/v1/{self.code()}/disclosures/{d['id']}")
        self.assertEqual(pub.status, 200, pub)
        doc = pub.json()
        self.assertEqual(doc["state"], "open")
        self.assertEqual(set(doc["candidates"][0]), {"position", "award", "category",
                                                     "subject_kind", "name",
                                                     "position_title", "unit",
                                                     "achievement"})
        self.assertIsNotNone(pub.header("ETag"))
        # and in the news
        news = self.call("GET", f"/public/v1/{self.code()}/news?kind=disclosure").json()
        self.assertIn(f"disclosure-{d['id']}", [i["id"] for i in news["items"]])
        # feedback from anyone, bounded
        bad = [({"position": 9, "body": "Góp ý"}, 422, "/position"),
               ({"position": 1, "body": "  "}, 422, "/body"),
               ({"position": 1, "body": "x" * 5001}, 422, "/body"),
               ({"position": 1, "body": "x", "author_name": "y" * 201}, 422, "/author_name"),
               ({"position": 1, "body": "x", "staff_id": 3}, 400, "/staff_id")]
        for body, status, pointer in bad:
            with self.subTest(pointer=pointer):
                r = self.feedback(d["id"], body)
                self.assertEqual(r.status, status, r)
                self.assertIn(pointer, [e["pointer"] for e in r.json()["errors"]])
        self.assertEqual(self.call("POST",
                                   f"/public/v1/{self.code()}/disclosures/{d['id']}/feedback",
                                   body=b'{"position": 1, "body": "\xff\xfe"}',
                                   headers={"Content-Type": "application/json"}).status, 400)
        self.assertEqual(self.call("POST",
                                   f"/public/v1/{self.code()}/disclosures/{d['id']}/feedback",
                                   body=b"{" + b" " * 70000 + b"}",
                                   headers={"Content-Type": "application/json"}).status, 413)
        self.assertEqual(self.feedback(99999999, {"position": 1, "body": "x"}).status, 404)
        self.assertEqual(self.count("disclosure_feedback", f"disclosure_id = {d['id']}"), 0)
        r = self.feedback(d["id"], {"position": 1, "body": "Chị Hoa luôn hoàn thành tốt.",
                                    "author_name": "Người dân Z",
                                    "author_contact": "z@example.vn"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(set(r.json()), {"reference", "disclosure", "position", "received_on",
                                         "closes_on"})
        r = self.feedback(d["id"], {"position": 2, "body": "Thành tích kê khai chưa đúng.",
                                    "author_name": "Người tố cáo Y"})
        self.assertEqual(r.status, 201, r)
        # the sender: the Office and the head only; never the audit trail
        for role, sees in (("secretariat", True), ("leader", True), ("council", False),
                           ("viewer", False)):
            with self.subTest(role=role):
                doc = self.as_role(role, "GET", f"/v1/disclosures/{d['id']}").json()
                fb = doc["items"][0]["feedback"][0]
                self.assertEqual(fb["body"], "Chị Hoa luôn hoàn thành tốt.")
                self.assertEqual(fb["author"] is not None, sees)
                if sees:
                    self.assertEqual(fb["author"]["name"], "Người dân Z")
        self.assertEqual(self.as_role("unit_head", "GET", f"/v1/disclosures/{d['id']}").status,
                         403)
        self.assertNotIn("Người dân Z", self.sql("SELECT string_agg(after::text, '') FROM "
                                                 "audit_log"))
        # the council does not open before the period ends
        r = self.as_role("secretariat", "POST", f"/v1/council-sessions/{sid}/open", {},
                         headers=EN)
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn(d["closes_on"], doc["detail"])
        # the Office handles each piece: considered, or lodged as a case
        fbs = self.as_role("secretariat", "GET", f"/v1/disclosures/{d['id']}").json()["items"]
        f1, f2 = fbs[0]["feedback"][0], fbs[1]["feedback"][0]
        path = f"/v1/disclosures/{d['id']}/feedback"
        self.assertEqual(self.as_role("council", "POST", f"{path}/{f1['id']}",
                                      {"action": "consider", "note": "x"},
                                      headers={"If-Match": '"1"'}).status, 403)
        self.assertEqual(self.as_role("secretariat", "POST", f"{path}/{f1['id']}",
                                      {"action": "consider", "note": "x", "kind": "complaint"},
                                      headers={"If-Match": '"1"'}).status, 422)
        r = self.as_role("secretariat", "POST", f"{path}/{f1['id']}",
                         {"action": "consider", "note": "Ý kiến ủng hộ; báo cáo Hội đồng."},
                         headers={"If-Match": '"1"'})
        self.assertEqual((r.status, r.json()["status"]), (200, "considered"), r)
        self.assertProblem(self.as_role("secretariat", "POST", f"{path}/{f1['id']}",
                                        {"action": "consider", "note": "Lần nữa"},
                                        headers={"If-Match": '"2"'}), 409, "conflict")
        r = self.as_role("secretariat", "POST", f"{path}/{f2['id']}",
                         {"action": "case", "kind": "denunciation",
                          "note": "Chuyển xác minh theo Luật Tố cáo."},
                         headers={"If-Match": '"1"'})
        self.assertEqual((r.status, r.json()["status"]), (200, "case"), r)
        case = self.as_role("secretariat", "GET", f"/v1/cases/{r.json()['case_id']}").json()
        self.assertEqual((case["kind"], case["staff_id"]),
                         ("denunciation", a.staff["Trần Thị Bình"]))
        self.assertTrue(case["blocks_awards"])
        # a denouncer: now the case's secret, kept no more with the feedback
        self.assertIsNone(case["lodger"])
        head = self.as_role("leader", "GET", f"/v1/cases/{case['id']}").json()
        self.assertEqual(head["lodger"]["name"], "Người tố cáo Y")
        doc = self.as_role("secretariat", "GET", f"/v1/disclosures/{d['id']}")
        self.assertNotIn("Người tố cáo Y", doc.body.decode())
        # the period ends: the council may open (here the quorum stops it),
        # and its minutes record what the public said, not who said it
        self.sql(f"UPDATE disclosures SET opens_on = current_date - 20, "
                 f"closes_on = current_date - 1 WHERE id = {d['id']}")
        r = self.as_role("secretariat", "POST", f"/v1/council-sessions/{sid}/open", {},
                         headers=EN)
        self.assertNotIn("disclos", self.assertProblem(r, 409)["detail"])
        self.assertProblem(self.feedback(d["id"], {"position": 1, "body": "Muộn"}), 409,
                           "conflict")
        # closed as the ballot closes it: with the commitment to its ballots
        self.sql("UPDATE council_sessions SET status = 'closed', "
                 f"commitment = sha256('ballots'::bytea) WHERE id = {sid}")
        # past the council's opening, the list and its feedback are the record
        self.assertProblem(self.as_role("secretariat", "POST",
                                        f"/v1/disclosures/{d['id']}/withdraw",
                                        {"reason": "Rút"}, headers={"If-Match": '"1"'}),
                           409, "conflict")
        minutes = self.as_role("council", "GET", f"/v1/council-sessions/{sid}/minutes").json()
        said = {(x["name"], x["body"], x["status"]) for x in minutes["public_feedback"]}
        self.assertEqual(said, {("Lê Thị Hoa", "Chị Hoa luôn hoàn thành tốt.", "considered"),
                                ("Trần Thị Bình", "Thành tích kê khai chưa đúng.", "case")})
        self.assertNotIn("Người dân Z", str(minutes))

    def test_named_senders_and_the_daily_quota(self):
        sid = convened_session(self, [(LDTT, "Nguyễn Văn Cường")])
        d = self.disclosed(sid, identity="required")
        r = self.feedback(d["id"], {"position": 1, "body": "Ẩn danh"})
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/author_name"])
        r = self.feedback(d["id"], {"position": 1, "body": "x", "author_name": "Ông K"})
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/author_contact"])
        named = {"position": 1, "body": "Đồng ý.", "author_name": "Ông K",
                 "author_contact": "0912 000 000"}
        for _ in range(4):
            self.assertEqual(self.feedback(d["id"], named).status, 201)
        r = self.feedback(d["id"], named)
        doc = self.assertProblem(r, 429, "too-many-attempts")
        self.assertTrue(0 < int(r.header("Retry-After")) <= 86400)
        self.assertIn("4", doc["detail"])
        self.assertEqual(self.count("disclosure_feedback", f"disclosure_id = {d['id']}"), 4)
        # the cases' quota is another: a complaint is still taken
        r = self.call("POST", f"/public/v1/{self.code()}/cases",
                      body={"kind": "petition", "summary": "Kiến nghị"})
        self.assertEqual(r.status, 201, r)


class ProofOfWorkTest(DisclosureTest):
    """With THIDUA_PUBLIC_PROOF_BITS, the public writes only with a proof of
    work on a challenge of the service, each challenge spent once."""
    service_env = {"THIDUA_PUBLIC_PROOF_BITS": "8",
                   "THIDUA_PUBLIC_PROOF_SECRET": "s" * 40}

    def challenge(self):
        r = self.call("GET", f"/public/v1/{self.code()}/challenge")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        doc = r.json()
        self.assertEqual((doc["bits"], doc["required"], doc["header"]),
                         (8, True, "Thidua-Proof"))
        return doc["challenge"]

    def test_a_proof_is_asked_checked_and_spent_once(self):
        sid = convened_session(self, [(LDTT, "Phạm Minh Khoa")])
        d = self.disclosed(sid)
        body = {"position": 1, "body": "Góp ý có bằng chứng công việc."}
        r = self.feedback(d["id"], body)
        doc = self.assertProblem(r, 403, "proof-of-work-required")
        self.assertIn("8", doc["detail"])
        c = self.challenge()
        good = solve(c, 8)
        # a counter that falls short, a forged mac, junk, an expired one
        weak = next(f"{c}:{n}" for n in itertools.count()
                    if hashlib.sha256(f"{c}:{n}".encode()).digest()[0] != 0)
        forged = c[:-1] + ("0" if c[-1] != "0" else "1") + good[len(c):]
        parts = c.split(".")
        for proof in (weak, forged, "v1.8.x", c, "v1.8.99999999999.zz", good + "0" * 30):
            with self.subTest(proof=proof[:20]):
                r = self.feedback(d["id"], body, {"Thidua-Proof": proof})
                self.assertProblem(r, 403, "proof-of-work-required")
        # a challenge for fewer bits than asked is weak
        self.assertEqual(parts[0:2], ["v1", "8"])
        self.assertEqual(self.count("disclosure_feedback", f"disclosure_id = {d['id']}"), 0)
        r = self.feedback(d["id"], body, {"Thidua-Proof": good})
        self.assertEqual(r.status, 201, r)
        r = self.feedback(d["id"], body, {"Thidua-Proof": good})
        self.assertProblem(r, 403, "proof-of-work-required")
        self.assertEqual(self.count("disclosure_feedback", f"disclosure_id = {d['id']}"), 1)
        # the cases' public route asks the same
        path = f"/public/v1/{self.code()}/cases"
        case = {"kind": "petition", "summary": "Kiến nghị"}
        self.assertProblem(self.call("POST", path, body=case), 403, "proof-of-work-required")
        r = self.call("POST", path, body=case,
                      headers={"Thidua-Proof": solve(self.challenge(), 8)})
        self.assertEqual(r.status, 201, r)
        # expired challenges are purged with the quotas, ten minutes late:
        # the service's clock may run behind the database's
        self.sql("UPDATE public_proofs_spent SET expires_at = now() - interval '1 second'")
        self.sql("SELECT public_case_quota_purge()")
        self.assertEqual(self.count("public_proofs_spent"), 2)
        self.sql("UPDATE public_proofs_spent SET expires_at = now() - interval '11 minutes'")
        self.sql("SELECT public_case_quota_purge()")
        self.assertEqual(self.count("public_proofs_spent"), 0)


class ProposalDisclosureTest(DisclosureTest):

    def send(self, pid, on):
        return self.as_role("leader", "POST", f"/v1/proposals/{pid}/send", {"sent_on": on},
                            headers=dict(EN, **{"If-Match": '"1"'}))

    def test_a_proposal_waits_for_its_period_and_for_open_cases(self):
        a = self.world["A"]
        sid, _ = self.signed_session(2025, [(CSTDTQ, "Nguyễn Văn An", True),
                                            ("bang_khen_tinh", "Lê Thị Hoa", True)])
        body = {"session_id": sid, "symbol": "TTr-BQLKKT", "title": "Đề nghị khen thưởng",
                "recipient": "Ủy ban nhân dân tỉnh", "place": "Gia Lai",
                "signer_name": "Dương Quang Tuấn", "signer_title": "Trưởng ban"}
        p = self.as_role("secretariat", "POST", "/v1/proposals", body)
        self.assertEqual(p.status, 201, p)
        pid = p.json()["id"]
        d = self.disclosed(None, source="proposal", session_id=None, proposal_id=pid)
        self.assertEqual((d["level"], d["working_days"], d["opens_on"]),
                         ("national", 10, self.today()))
        closes = d["closes_on"]
        doc = self.assertProblem(self.send(pid, self.today()), 409, "conflict")
        self.assertIn(closes, doc["detail"])
        self.assertIn("152/2025/NĐ-CP", doc["detail"])
        # dated after the period, it would still leave now: refused
        after = str(datetime.date.fromisoformat(closes) + datetime.timedelta(days=3))
        self.assertProblem(self.send(pid, after), 409, "conflict")
        # the period ends
        self.sql(f"UPDATE disclosures SET opens_on = current_date - 30, "
                 f"closes_on = current_date - 1 WHERE id = {d['id']}")
        # a complaint about a candidate blocks the proposal, with the law
        c = self.as_role("secretariat", "POST", "/v1/cases", {
            "kind": "complaint", "staff_id": a.staff["Lê Thị Hoa"],
            "summary": "Khiếu nại", "received_on": self.today()})
        self.assertEqual(c.status, 201, c)
        doc = self.assertProblem(self.send(pid, self.today()), 409, "conflict")
        self.assertIn("Lê Thị Hoa", doc["detail"])
        # even when the sending is dated before the complaint came
        self.assertProblem(self.send(pid, "2025-12-30"), 409, "conflict")
        r = self.as_role("secretariat", "POST", f"/v1/cases/{c.json()['id']}/steps",
                         {"step": "withdraw"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        r = self.send(pid, self.today())
        self.assertEqual((r.status, r.json()["status"]), (200, "sent"), r)
        # a sent proposal is past disclosure
        self.sql(f"UPDATE disclosures SET status = 'withdrawn', withdraw_reason = 'x' "
                 f"WHERE proposal_id = {pid}")
        self.assertProblem(self.disclose(None, source="proposal", session_id=None,
                                         proposal_id=pid), 409, "conflict")


if __name__ == "__main__":
    main()
