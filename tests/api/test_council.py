"""The council's sessions and their secret ballot (issue 12 §1).

A session is convened on submitted rounds, opened once its quorum is
present, and voted by members who obtain a blindly evaluated token while
logged in and cast their ballot without logging in (docs/ballot.md).  The
tests play the members' apps with libsodium (ballot_client.py): they check
their own receipts in the published ballots, recount them, and check every
ballot against the key published at the close.
"""

import hashlib
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

from ballot_client import Member, ballot_line, check_published
from test_documents import pdf_flow
from harness import EN, main
from identity import IdentityTest, password_hash, sql_text

CSTDCS = "chien_si_thi_dua_co_so"
CSTDT = "chien_si_thi_dua_cap_tinh"
LDTT = "lao_dong_tien_tien"

FRAGMENTS = {
    "council-quorum-not-met": "The quorum is not met",
    "council-session-state": "this step cannot be taken now",
    "council-not-member-caller": "not a member of the council",
    "council-member-absent": "recorded as absent",
    "council-token-issued": "already received your ballot token",
    "council-not-voting": "not taking ballots",
    "council-token-used": "already been used",
    "council-signer-not-allowed": "Only the chair or the secretary",
    "council-round-taken": "already on the agenda",
    "council-member-overlap": "already on the council",
}


class CouncilTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.members = {}   # key -> {"user_id", "member_id", "token"}
        h = sql_text(password_hash())
        roles = {"c1": ("leader", "chair", "Dương Quang Tuấn"),
                 "c2": ("council", "vice_chair", "Nguyễn Công Long"),
                 "c3": ("council", "member", "Trần Thị Ánh Tuyết"),
                 "c4": ("council", "member", "Lê Văn Dũng"),
                 "c5": ("council", "member", "Phạm Thị Ưng")}
        sec = cls.token("A", "secretariat")
        for key, (role, council_role, name) in roles.items():
            username = f"hd.{key}.{uuid.uuid4().hex[:6]}"
            uid = int(cls.sql(
                "INSERT INTO users (organization_id, username, display_name, password_hash, "
                f"roles) VALUES ({a.id}, {sql_text(username)}, {sql_text(name)}, {h}, "
                f"ARRAY[{sql_text(role)}]) RETURNING id"))
            r = cls.call("POST", "/v1/council-members", token=sec, body={
                "user_id": uid, "council_role": council_role, "valid_from": "2020-01-01",
                "source_document": "Quyết định 12/QĐ-BQLKKT thành lập Hội đồng"})
            assert r.status == 201, r
            login = cls.password_grant(username)
            assert login.status == 200, login
            cls.members[key] = {"user_id": uid, "member_id": r.json()["id"],
                                "token": login.json()["access_token"]}

    # -- helpers ------------------------------------------------------------

    @classmethod
    def call(cls, method, path, token=None, body=None, headers=None, timeout=30):
        # English answers, so that a refusal can be told by its sentence
        return super().call(method, path, token=token, body=body,
                            headers=headers if headers is not None else EN, timeout=timeout)

    def refused(self, r, status, what, pointer=None):
        """A problem of that status; what: a message code of FRAGMENTS, told
        by its sentence, or a problem type."""
        slug = {403: "forbidden", 404: "not-found", 409: "conflict",
                422: "validation"}.get(status)
        doc = self.assertProblem(r, status, slug)
        if what in FRAGMENTS:
            self.assertIn(FRAGMENTS[what], doc["detail"], doc)
        if pointer:
            self.assertIn(pointer, {e["pointer"] for e in doc.get("errors", [])}, doc)
        return doc

    def as_sec(self, method, path, body=None, org="A", role="secretariat"):
        return self.call(method, path, token=self.token(org, role), body=body)

    def as_member(self, key, method, path, body=None):
        return self.call(method, path, token=self.members[key]["token"], body=body)

    def submitted_round(self, dossier, noms, status="submitted"):
        """A round already through the review (its own tests are
        test_year_end's): noms [(award_code, staff name)] → nomination ids."""
        a = self.world["A"]
        rid = int(self.sql(
            "INSERT INTO review_rounds (organization_id, year, kind, name, deadline, "
            f"dossier_date, status, submitted_at) VALUES ({a.id}, {int(dossier[:4])}, "
            f"'annual', 'Bình xét {uuid.uuid4().hex[:6]}', '{dossier}', '{dossier}', "
            f"'{status}', now()) RETURNING id"))
        ids = {}
        for code, name in noms:
            ids[name] = int(self.sql(
                "INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, "
                f"staff_id, nominated_by) VALUES ({a.id}, {rid}, '{code}', 'staff', "
                f"{a.staff[name]}, 'user:1') RETURNING id"))
        return rid, ids

    def session(self, round_ids, held_on="2024-12-22"):
        r = self.as_sec("POST", "/v1/council-sessions", {
            "name": "Phiên họp Hội đồng Thi đua – Khen thưởng", "held_on": held_on,
            "place": "Phòng họp Ban", "round_ids": round_ids})
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def attend(self, sid, statuses):
        items = [{"member_id": self.members[k]["member_id"], "status": s}
                 for k, s in statuses.items()]
        return self.as_sec("PUT", f"/v1/council-sessions/{sid}/attendance", {"items": items})

    def obtain(self, key, sid):
        m = Member(sid)
        r = self.as_member(key, "POST", f"/v1/council-sessions/{sid}/tokens",
                           {"blinded": m.blinded.hex()})
        self.assertEqual(r.status, 200, r)
        m.unblind(r.json()["evaluation"])
        return m

    def cast(self, sid, member, votes):
        return self.call("POST", f"/v1/council-sessions/{sid}/ballots",
                         body=member.ballot(votes))

    def opened(self, noms, dossier="2024-12-20", attendance=None):
        rid, ids = self.submitted_round(dossier, noms)
        sid = self.session([rid])
        attendance = attendance or {"c1": "present", "c2": "present", "c3": "present",
                                    "c4": "present", "c5": "written"}
        self.assertEqual(self.attend(sid, attendance).status, 200)
        r = self.as_sec("POST", f"/v1/council-sessions/{sid}/open")
        self.assertEqual(r.status, 200, r)
        return sid, ids

    # -- the session, end to end --------------------------------------------

    def test_a_session_from_quorum_to_signed_minutes(self):
        rid, ids = self.submitted_round("2024-12-20", [
            (CSTDCS, "Nguyễn Văn An"), (CSTDCS, "Trần Thị Bình"), (CSTDCS, "Nguyễn Văn Cường"),
            (LDTT, "Lê Thị Hoa")])
        an, binh, cuong, hoa = (ids[n] for n in ("Nguyễn Văn An", "Trần Thị Bình",
                                                  "Nguyễn Văn Cường", "Lê Thị Hoa"))
        sid = self.session([rid])
        doc = self.as_sec("GET", f"/v1/council-sessions/{sid}").json()
        self.assertEqual((doc["status"], doc["round_ids"], len(doc["members"])),
                         ("convened", [rid], 5))
        self.assertIsNone(doc["ballot_secret"])
        self.assertEqual(len(doc["ballot_key"]), 64)

        # quorum: two thirds of 5 is 4 present; a written vote does not count
        self.assertEqual(self.attend(sid, {"c1": "present", "c2": "present", "c3": "present",
                                           "c4": "absent", "c5": "written"}).status, 200)
        r = self.as_sec("POST", f"/v1/council-sessions/{sid}/open")
        self.refused(r, 409, "council-quorum-not-met")
        self.assertIn("3", r.json()["detail"])
        self.assertEqual(self.as_sec("GET", f"/v1/council-sessions/{sid}").json()["status"],
                         "convened")
        self.assertEqual(self.attend(sid, {"c4": "present"}).status, 200)
        r = self.as_sec("POST", f"/v1/council-sessions/{sid}/open")
        self.assertEqual(r.status, 200, r)
        cands = {c["nomination_id"]: c for c in r.json()["candidates"]}
        self.assertEqual((cands[an]["method"], cands[hoa]["method"], cands[an]["rule_set"]),
                         ("secret_ballot", "show_of_hands", "nd98_2023"))
        self.refused(self.attend(sid, {"c4": "absent"}), 409, "council-session-state")

        # tokens: members only, once each; a bad element does not spend it
        self.refused(self.as_sec("POST", f"/v1/council-sessions/{sid}/tokens",
                                       {"blinded": Member(sid).blinded.hex()}),
                           403, "council-not-member-caller")
        r = self.as_member("c1", "POST", f"/v1/council-sessions/{sid}/tokens",
                           {"blinded": "ff" * 32})
        self.refused(r, 422, "validation", pointer="/blinded")
        voters = {k: self.obtain(k, sid) for k in ("c1", "c2", "c3", "c4", "c5")}
        r = self.as_member("c1", "POST", f"/v1/council-sessions/{sid}/tokens",
                           {"blinded": Member(sid).blinded.hex()})
        self.refused(r, 409, "council-token-issued")
        # no ballot before the vote starts, no token after
        self.refused(self.cast(sid, voters["c1"], {an: "yes"}), 409,
                           "council-not-voting")
        self.assertEqual(self.as_sec("POST", f"/v1/council-sessions/{sid}/voting").status, 200)
        r = self.as_member("c2", "POST", f"/v1/council-sessions/{sid}/tokens",
                           {"blinded": Member(sid).blinded.hex()})
        self.refused(r, 409, "council-session-state")

        # the ballots: An 5 yes; Bình and Cường 3 each, one short of 80 % of 5
        votes = {"c1": {an: "yes", binh: "yes", cuong: "yes"},
                 "c2": {an: "yes", binh: "yes", cuong: "yes"},
                 "c3": {an: "yes", binh: "yes", cuong: "no"},
                 "c4": {an: "yes", binh: "no", cuong: "yes"},
                 "c5": {an: "yes", binh: "no"}}   # written; Cường left blank
        r = self.cast(sid, voters["c3"], {an: "yes", hoa: "yes"})
        self.refused(r, 422, "validation", pointer=f"/votes/{hoa}")
        forged = Member(sid)
        forged.evaluation = os.urandom(32)
        self.refused(self.cast(sid, forged, {an: "no"}), 422, "validation",
                           pointer="/evaluation")
        receipts = {}
        for k, m in voters.items():
            r = self.cast(sid, m, votes[k])
            self.assertEqual(r.status, 201, r)
            receipts[k] = r.json()["line"]
        # a ballot is cast once and never changed
        self.refused(self.cast(sid, voters["c1"], {an: "no"}), 409, "council-token-used")
        # a show of hands for the title the rules leave to it
        r = self.as_sec("PUT", f"/v1/council-sessions/{sid}/hands",
                        {"items": [{"nomination_id": hoa, "yes": 5, "no": 1}]})
        self.refused(r, 422, "validation", pointer="/items/0")
        r = self.as_sec("PUT", f"/v1/council-sessions/{sid}/hands",
                        {"items": [{"nomination_id": an, "yes": 4, "no": 0}]})
        self.refused(r, 422, "validation", pointer="/items/0/nomination_id")
        r = self.as_sec("PUT", f"/v1/council-sessions/{sid}/hands",
                        {"items": [{"nomination_id": hoa, "yes": 4, "no": 0}]})
        self.assertEqual(r.status, 200, r)
        # nothing is counted or published before the close
        self.assertIsNone(r.json()["tally"])
        self.refused(self.as_sec("GET", f"/v1/council-sessions/{sid}/ballots"), 409,
                           "council-session-state")

        r = self.as_sec("POST", f"/v1/council-sessions/{sid}/close")
        self.assertEqual(r.status, 200, r)
        self.refused(self.cast(sid, Member(sid), {}), 409, "council-not-voting")
        tally = {t["nomination_id"]: t for t in r.json()["tally"]}
        self.assertEqual((tally[an]["yes"], tally[an]["needed"], tally[an]["base"],
                          tally[an]["approved"]), (5, 4, 5, True))
        self.assertEqual((tally[binh]["yes"], tally[binh]["no"], tally[binh]["approved"],
                          tally[binh]["short_by"]), (3, 2, False, 1))
        self.assertEqual((tally[cuong]["yes"], tally[cuong]["no"], tally[cuong]["blank"]),
                         (3, 1, 1))
        self.assertEqual((tally[binh]["tied_with"], tally[cuong]["tied_with"]), ([cuong], [binh]))
        self.assertEqual((tally[binh]["women_preferred"], tally[cuong]["women_preferred"]),
                         (True, False))
        self.assertEqual(tally[binh]["rule"]["source"]["document"], "98/2023/NĐ-CP")
        self.assertEqual((tally[hoa]["method"], tally[hoa]["base"], tally[hoa]["needed"],
                          tally[hoa]["approved"]), ("show_of_hands", 4, 3, True))

        # every member finds their receipt; anyone recounts and checks
        pub = self.as_sec("GET", f"/v1/council-sessions/{sid}/ballots", role="leader").json()
        self.assertEqual((len(pub["items"]), pub["tokens_issued"]), (5, 5))
        lines = {b["line"] for b in pub["items"]}
        for k, m in voters.items():
            self.assertIn(receipts[k], lines)
            self.assertEqual(receipts[k], ballot_line(m.token.hex(), m.evaluation.hex(),
                                                      {str(i): v for i, v in votes[k].items()}))
        self.assertEqual([b["token"] for b in pub["items"]],
                         sorted(b["token"] for b in pub["items"]))
        self.assertEqual(hashlib.sha256("".join(b["line"] for b in pub["items"])
                                        .encode()).hexdigest(), pub["commitment"])
        for b in pub["items"]:
            self.assertTrue(check_published(sid, pub["ballot_secret"], pub["ballot_key"],
                                            b["token"], b["evaluation"]))
        recount = {i: sum(1 for b in pub["items"] if b["votes"].get(str(i)) == "yes")
                   for i in (an, binh, cuong)}
        self.assertEqual(recount, {i: tally[i]["yes"] for i in (an, binh, cuong)})

        # the minutes, signed by the chair only, then final
        minutes = self.as_sec("GET", f"/v1/council-sessions/{sid}/minutes").json()
        self.assertEqual((minutes["members_total"], minutes["present"], minutes["written"],
                          minutes["ballots_cast"], minutes["signed"]), (5, 4, 1, 5, False))
        # members do not sign; the Office signs only as the council's secretary
        self.refused(self.as_member("c2", "POST", f"/v1/council-sessions/{sid}/minutes/sign"),
                     403, "forbidden")
        self.refused(self.as_sec("POST", f"/v1/council-sessions/{sid}/minutes/sign"),
                     403, "council-signer-not-allowed")
        r = self.as_member("c1", "POST", f"/v1/council-sessions/{sid}/minutes/sign")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["signed_by"]),
                         ("signed", "Dương Quang Tuấn"))
        signed = self.as_sec("GET", f"/v1/council-sessions/{sid}/minutes").json()
        self.assertEqual((signed["signed"], signed["tally"]), (True, minutes["tally"]))
        # the minutes printed, read back
        r = self.as_sec("GET", f"/v1/council-sessions/{sid}/minutes?format=pdf")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "application/pdf"))
        text = pdf_flow(r.body)
        for expected in ("BIÊN BẢN", "Trần Thị Ánh Tuyết", "Phạm Thị Ưng",
                         "Vắng, có ý kiến bằng văn bản", "Bỏ phiếu kín", "Không đạt",
                         "Chiến sĩ thi đua cơ sở", "ưu tiên theo Nghị định 152/2025/NĐ-CP",
                         "CHỦ TỊCH HỘI ĐỒNG", "Dương Quang Tuấn", pub["commitment"]):
            self.assertIn(expected, text)
        self.refused(self.as_member("c1", "POST",
                                          f"/v1/council-sessions/{sid}/minutes/sign"),
                           409, "council-session-state")
        self.refused(self.as_sec("PUT", f"/v1/council-sessions/{sid}/hands",
                                       {"items": [{"nomination_id": hoa, "yes": 1, "no": 0}]}),
                           409, "council-session-state")
        # the database itself refuses a change to a signed session or its ballots
        out = self.sql(f"UPDATE council_sessions SET name = 'x' WHERE id = {sid}", check=False)
        self.assertEqual(self.sql(f"SELECT name FROM council_sessions WHERE id = {sid}"),
                         "Phiên họp Hội đồng Thi đua – Khen thưởng", out)
        self.sql(f"DELETE FROM council_ballots WHERE session_id = {sid}", check=False)
        self.assertEqual(self.count("council_ballots", f"session_id = {sid}"), 5)

        # nothing joins a ballot to a member: not the table, not the audit
        cols = self.sql("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM "
                        "information_schema.columns WHERE table_name = 'council_ballots'")
        self.assertEqual(cols, "evaluation,session_id,token,votes")
        self.assertEqual(self.count("audit_log", f"action = 'council_session.ballot' AND "
                                                 f"entity_id = '{sid}' AND actor_type = 'system' "
                                                 f"AND actor_id = 'ballot' AND after IS NULL"), 5)

    def test_ninety_percent_of_all_members(self):
        # provincial CSTĐ under Decree 98: 90 % of all 5 members is 5 yes;
        # the absent member's missing vote counts against
        sid, ids = self.opened([(CSTDT, "Nguyễn Văn An"), (CSTDT, "Trần Thị Bình")],
                               attendance={"c1": "present", "c2": "present", "c3": "present",
                                           "c4": "present", "c5": "absent"})
        an, binh = ids["Nguyễn Văn An"], ids["Trần Thị Bình"]
        self.refused(self.as_member("c5", "POST", f"/v1/council-sessions/{sid}/tokens",
                                          {"blinded": Member(sid).blinded.hex()}),
                           403, "council-member-absent")
        voters = [self.obtain(k, sid) for k in ("c1", "c2", "c3", "c4")]
        self.assertEqual(self.as_sec("POST", f"/v1/council-sessions/{sid}/voting").status, 200)
        for m in voters:
            self.assertEqual(self.cast(sid, m, {an: "yes", binh: "yes"}).status, 201)
        # more ballots than tokens: a token the service never issued
        self.refused(self.cast(sid, Member(sid), {}), 422, "validation",
                           pointer="/evaluation")
        tally = {t["nomination_id"]: t for t in
                 self.as_sec("POST", f"/v1/council-sessions/{sid}/close").json()["tally"]}
        for i in (an, binh):
            self.assertEqual((tally[i]["yes"], tally[i]["base"], tally[i]["needed"],
                              tally[i]["approved"], tally[i]["short_by"]),
                             (4, 5, 5, False, 1))
            self.assertEqual(tally[i]["rule"]["approve"],
                             {"num": 9, "den": 10, "strict": False, "of": "all_members"})

    def test_one_token_and_one_ballot_under_concurrency(self):
        sid, ids = self.opened([(CSTDCS, "Lê Thị Hoa")])
        hoa = ids["Lê Thị Hoa"]
        tries = [Member(sid) for _ in range(8)]

        def ask(m):
            return self.as_member("c3", "POST", f"/v1/council-sessions/{sid}/tokens",
                                  {"blinded": m.blinded.hex()})

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, tries))
        self.assertEqual(sorted(r.status for r in answers), [200] + [409] * 7)
        m = tries[[r.status for r in answers].index(200)]
        m.unblind(answers[[r.status for r in answers].index(200)].json()["evaluation"])
        self.assertEqual(self.as_sec("POST", f"/v1/council-sessions/{sid}/voting").status, 200)
        with ThreadPoolExecutor(8) as pool:
            casts = list(pool.map(lambda v: self.cast(sid, m, {hoa: v}), ["yes", "no"] * 4))
        self.assertEqual(sorted(r.status for r in casts), [201] + [409] * 7)
        self.assertEqual(self.count("council_ballots", f"session_id = {sid}"), 1)

    # -- the law as data ----------------------------------------------------

    def test_rules_by_date(self):
        r = self.as_sec("GET", "/v1/council-rules?on=2024-12-20", role="viewer")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        rules = {x["award_code"]: x for x in doc["items"]}
        self.assertEqual(doc["rule_set"], "nd98_2023")
        self.assertEqual((rules[CSTDCS]["approve"]["num"], rules[CSTDCS]["approve"]["den"],
                          rules[CSTDCS]["approve"]["of"], rules[CSTDCS]["source"]["mark"]),
                         (4, 5, "all_members", "secondary"))
        doc = self.as_sec("GET", "/v1/council-rules?on=2025-08-01").json()
        rules = {x["award_code"]: x for x in doc["items"]}
        self.assertEqual(doc["rule_set"], "nd152_2025")
        self.assertEqual(rules[CSTDCS]["source"]["mark"], "unconfirmed")
        self.assertEqual((rules["co_thi_dua_chinh_phu"]["source"]["mark"],
                          rules["co_thi_dua_chinh_phu"]["source"]["article"]),
                         ("primary", "Điều 33.5"))
        # the 2026 law copies Decree 152 until its text is entered
        doc = self.as_sec("GET", "/v1/council-rules?on=2026-11-01").json()
        self.assertEqual(doc["rule_set"], "luat06_2026")
        self.assertEqual({x["rule_set"] for x in doc["items"]}, {"nd152_2025"})
        self.refused(self.as_sec("GET", "/v1/council-rules?on=2024-02-30"), 400,
                           "bad-request")
        members = self.as_sec("GET", "/v1/council-members?on=2024-12-22").json()["items"]
        self.assertEqual([m["council_role"] for m in members][:2], ["chair", "vice_chair"])
        self.assertEqual(len(members), 5)

    # -- who may, and bad input ---------------------------------------------

    def test_denials(self):
        rid, _ = self.submitted_round("2024-12-20", [(LDTT, "Phạm Minh Khoa")])
        for role in ("unit_head", "staff"):
            self.refused(self.as_sec("GET", "/v1/council-sessions", role=role), 403,
                               "forbidden")
        self.assertEqual(self.as_sec("GET", "/v1/council-sessions", role="viewer").status, 200)
        for role in ("viewer", "leader", "council", "admin"):
            r = self.as_sec("POST", "/v1/council-sessions", role=role, body={
                "name": "x", "held_on": "2024-12-22", "round_ids": [rid]})
            self.refused(r, 403, "forbidden")
        self.refused(self.as_sec("POST", "/v1/council-members", role="admin", body={
            "user_id": self.members["c1"]["user_id"], "council_role": "member",
            "valid_from": "2030-01-01"}), 403, "forbidden")
        sid = self.session([rid])
        # another organisation sees nothing of it, and cannot borrow the round
        self.refused(self.as_sec("GET", f"/v1/council-sessions/{sid}", org="B"), 404,
                           "not-found")
        self.refused(self.as_sec("POST", f"/v1/council-sessions/{sid}/open", org="B"),
                           404, "not-found")
        r = self.as_sec("POST", "/v1/council-sessions", org="B", body={
            "name": "x", "held_on": "2024-12-22", "round_ids": [rid]})
        self.refused(r, 422, "validation", pointer="/round_ids/0")
        # a council member of A is not one of B
        r = self.call("GET", "/v1/council-sessions", token=self.members["c2"]["token"])
        self.assertEqual(r.status, 200)
        self.assertNotIn(sid, [x["id"] for x in
                               self.as_sec("GET", "/v1/council-sessions", org="B").json()["items"]])
        # the ballot route answers strangers the same for every session
        for target in (sid, 999999999):
            r = self.call("POST", f"/v1/council-sessions/{target}/ballots",
                          body=Member(target).ballot({}) | {"evaluation": "00" * 32})
            self.refused(r, 409, "council-not-voting")

    def test_bad_input(self):
        rid, _ = self.submitted_round("2024-12-20", [(LDTT, "Đặng Văn Đức")])
        open_rid, _ = self.submitted_round("2024-12-20", [(LDTT, "Đặng Văn Đức")], status="open")
        r = self.as_sec("POST", "/v1/council-sessions", {"name": "x", "held_on": "2024-12-22",
                                                          "round_ids": [open_rid]})
        self.refused(r, 422, "validation", pointer="/round_ids/0")
        r = self.as_sec("POST", "/v1/council-sessions", {"name": "", "held_on": "2024-13-01",
                                                          "round_ids": [0]})
        self.refused(r, 422, "validation")
        pointers = {e["pointer"] for e in r.json()["errors"]}
        self.assertTrue({"/name", "/held_on"} <= pointers, pointers)
        r = self.as_sec("POST", "/v1/council-sessions", {"name": "x", "held_on": "2024-12-22",
                                                          "round_ids": [rid], "status": "signed"})
        self.refused(r, 400, "validation")
        self.session([rid])
        r = self.as_sec("POST", "/v1/council-sessions", {"name": "x", "held_on": "2024-12-22",
                                                          "round_ids": [rid]})
        self.refused(r, 409, "council-round-taken")
        self.assertEqual(self.count("council_sessions", "name = 'x'"), 0)
        # members: one term at a time, of one's own organisation, in order
        c1 = self.members["c1"]["user_id"]
        r = self.as_sec("POST", "/v1/council-members", {
            "user_id": c1, "council_role": "member", "valid_from": "2023-01-01"})
        self.refused(r, 409, "council-member-overlap")
        b_user = self.world["B"].users["staff"]["id"]
        r = self.as_sec("POST", "/v1/council-members", {
            "user_id": b_user, "council_role": "member", "valid_from": "2023-01-01",
            "valid_until": "2022-01-01"})
        self.refused(r, 422, "validation")
        self.assertEqual({e["pointer"] for e in r.json()["errors"]}, {"/valid_until"})
        r = self.as_sec("POST", "/v1/council-members", {
            "user_id": b_user, "council_role": "member", "valid_from": "2023-01-01"})
        self.refused(r, 422, "validation", pointer="/user_id")
        # attendance of someone not on the council, ballots that do not parse
        sid2, ids = self.opened([(CSTDCS, "Trần Thị Bình")])
        rid3, _ = self.submitted_round("2024-12-20", [(LDTT, "Lê Thị Hoa")])
        sid3 = self.session([rid3])
        r = self.as_sec("PUT", f"/v1/council-sessions/{sid3}/attendance",
                        {"items": [{"member_id": 999999, "status": "present"}]})
        self.refused(r, 422, "validation", pointer="/items/0/member_id")
        r = self.as_sec("PUT", f"/v1/council-sessions/{sid3}/attendance",
                        {"items": [{"member_id": 1, "status": "late"}]})
        self.refused(r, 422, "validation", pointer="/items/0/status")
        self.assertEqual(self.as_sec("POST", f"/v1/council-sessions/{sid2}/voting").status, 200)
        path = f"/v1/council-sessions/{sid2}/ballots"
        for body, pointer in (({"token": "zz", "evaluation": "00" * 32, "votes": {}}, "/token"),
                              ({"token": "00" * 32, "evaluation": "00" * 33, "votes": {}},
                               "/evaluation"),
                              ({"token": "00" * 32, "evaluation": "00" * 32,
                                "votes": {"abc": "yes"}}, "/votes"),
                              ({"token": "00" * 32, "evaluation": "00" * 32,
                                "votes": {"12": "maybe"}}, "/votes/12"),
                              ({"token": "00" * 32, "evaluation": "00" * 32,
                                "votes": []}, "/votes")):
            r = self.call("POST", path, body=body)
            self.refused(r, 422, "validation", pointer=pointer)
        r = self.call("POST", path, body={"token": "00" * 32, "evaluation": "00" * 32,
                                          "votes": {}, "member_id": 3})
        self.refused(r, 400, "validation")
        self.assertEqual(self.count("council_ballots", f"session_id = {sid2}"), 0)


if __name__ == "__main__":
    main()
