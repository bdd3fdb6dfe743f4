"""Commendation decisions (issue 12 §2): drafted from the council's signed
minutes, numbered by the service in sequence within the issuer's year, and
signed into the ledger with their bonuses, all or nothing.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

from harness import EN, main
from test_documents import pdf_text
from identity import IdentityTest

LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"
CSTDT = "chien_si_thi_dua_cap_tinh"
TTLDTT = "tap_the_lao_dong_tien_tien"


class DecisionsTest(IdentityTest):

    @classmethod
    def call(cls, method, path, token=None, body=None, headers=None, timeout=60):
        h = dict(EN)
        h.update(headers or {})
        return super().call(method, path, token=token, body=body, headers=h, timeout=timeout)

    def as_role(self, role, method, path, body=None, headers=None, org="A"):
        return self.call(method, path, token=self.token(org, role), body=body, headers=headers)

    def signed_session(self, year, noms, held_on=None):
        """A council session of organisation A whose minutes are signed (the
        ballot itself is test_council's): noms [(award_code, subject,
        approved)], subject a staff name, ("unit", key) or ("household", id); the dossier dated
        in December of year.  Returns (session id, {subject: nomination id})."""
        a = self.world["A"]
        held_on = held_on or f"{year}-12-22"
        rid = self.sql(
            "INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date, "
            f"status) VALUES ({a.id}, {year}, 'annual', 'Đợt {uuid.uuid4().hex[:6]}', "
            f"'{year}-12-15', '{year}-12-20', 'submitted') RETURNING id")
        sid = self.sql(
            "INSERT INTO council_sessions (organization_id, name, held_on, status, ballot_secret, "
            f"ballot_key, created_by) VALUES ({a.id}, 'Phiên họp Hội đồng', '{held_on}', "
            "'voting', decode(repeat('01', 32), 'hex'), decode(repeat('02', 32), 'hex'), 'test') "
            "RETURNING id")
        ids, tally = {}, []
        for code, subject, approved in noms:
            if isinstance(subject, tuple) and subject[0] == "household":
                cols, vals = "household_id", f"'household', {subject[1]}"
            elif isinstance(subject, tuple):
                cols, vals = "unit_id", f"'unit', {a.units[subject[1]]}"
            else:
                cols, vals = "staff_id", f"'staff', {a.staff[subject]}"
            nid = self.sql(
                f"INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, "
                f"{cols}, achievement, nominated_by) VALUES ({a.id}, {rid}, '{code}', {vals}, "
                f"'Hoàn thành xuất sắc nhiệm vụ năm {year}', 'test') RETURNING id")
            self.sql("INSERT INTO council_candidates (organization_id, session_id, nomination_id, "
                     f"rule_id, rule_set) SELECT {a.id}, {sid}, {nid}, "
                     f"(council_rule_for(rule_set_for({a.id}, '{year}-12-20'), '{code}')).id, "
                     f"rule_set_for({a.id}, '{year}-12-20')")
            ids[(code, subject)] = int(nid)
            # as a closed session's minutes count them: nine members voted
            # by secret ballot, eight needed
            yes = 9 if approved else 3
            tally.append(f'{{"nomination_id": {nid}, "approved": {str(approved).lower()}, '
                         f'"method": "secret_ballot", "yes": {yes}, "no": {9 - yes}, '
                         '"blank": 0, "base": 9, "needed": 8}')
        self.sql(f"INSERT INTO council_agenda VALUES ({a.id}, {sid}, {rid}); "
                 "UPDATE council_sessions SET status = 'signed', minutes_hash = "
                 "sha256('m'::bytea), minutes = '{\"tally\": [" + ", ".join(tally) + "]}' "
                 f"WHERE id = {sid}")
        return int(sid), ids

    def draft(self, sid, **extra):
        body = {"session_id": sid, "symbol": "QĐ-BQLKKT",
                "title": "Về việc tặng danh hiệu thi đua và hình thức khen thưởng",
                "place": "Gia Lai", "signer_name": "Dương Quang Tuấn",
                "signer_title": "Trưởng ban", "grounds": ["Kế hoạch số 125/KH-BQLKKT"]}
        body.update(extra)
        return self.as_role("secretariat", "POST", "/v1/decisions", body)

    def sign(self, did, decided_on, version=1, role="leader", **extra):
        return self.as_role(role, "POST", f"/v1/decisions/{did}/sign",
                            dict({"decided_on": decided_on}, **extra),
                            headers={"If-Match": f'"{version}"'})

    # -- from the council to the ledger -------------------------------------

    def test_a_decision_from_the_council_to_the_ledger(self):
        a = self.world["A"]
        sid, ids = self.signed_session(2024, [
            (LDTT, "Trần Thị Bình", True), (CSTDCS, "Trần Thị Bình", True),
            (CSTDCS, "Nguyễn Văn An", False), (CSTDT, "Lê Thị Hoa", True),
            (TTLDTT, ("unit", "C"), True)])
        r = self.draft(sid)
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.header("Location").endswith(f"/v1/decisions/{r.json()['id']}"))
        d = r.json()
        self.assertEqual((d["status"], d["number"], d["count"]), ("draft", None, 3))
        # approved, decided by the agency: the provincial title goes to the
        # province, the candidate the council refused nowhere
        # individual titles, then collective ones, each by the title's name
        self.assertEqual([(i["position"], i["nomination_id"]) for i in d["items"]],
                         [(1, ids[(CSTDCS, "Trần Thị Bình")]), (2, ids[(LDTT, "Trần Thị Bình")]),
                          (3, ids[(TTLDTT, ("unit", "C"))])])
        self.assertEqual(d["items"][0]["achievement"], "Hoàn thành xuất sắc nhiệm vụ năm 2024")
        self.assertEqual({(x["nomination_id"], x["reason"]) for x in d["left_out"]},
                         {(ids[(CSTDCS, "Nguyễn Văn An")], "not_approved"),
                          (ids[(CSTDT, "Lê Thị Hoa")], "higher_level")})
        grounds = [g["text"] for g in d["grounds"]]
        self.assertIn("98/2023/NĐ-CP", grounds)
        self.assertEqual(d["grounds"][-2]["kind"], "minutes")
        self.assertEqual(d["grounds"][-2]["text"], "Biên bản phiên họp Hội đồng ngày 22/12/2024")
        self.assertEqual(grounds[-1], "Kế hoạch số 125/KH-BQLKKT")
        # the same approvals are decided once; a title the ledger holds already
        # (decided outside the service) is left out
        self.assertEqual(self.draft(sid).status, 409)
        sid2, ids2 = self.signed_session(2024, [(LDTT, "Nguyễn Văn Cường", True),
                                                (LDTT, "Đặng Văn Đức", True)])
        self.sql("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                 f"decision_number, decision_date) VALUES ({a.id}, "
                 f"{a.staff['Nguyễn Văn Cường']}, 2024, '{LDTT}', '9/QĐ-UBND', '2024-12-20')")
        d2 = self.draft(sid2).json()
        self.assertEqual([i["nomination_id"] for i in d2["items"]],
                         [ids2[(LDTT, "Đặng Văn Đức")]])
        self.assertEqual([(x["nomination_id"], x["reason"]) for x in d2["left_out"]],
                         [(ids2[(LDTT, "Nguyễn Văn Cường")], "in_the_ledger")])
        # a refused draft leaves nothing behind
        drafts = self.count("decisions")
        self.assertProblem(self.draft(sid2), 409, "conflict")
        self.assertEqual(self.count("decisions"), drafts)
        # a title entered by hand after the draft stops the signing, by name
        self.sql("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                 f"decision_number, decision_date) VALUES ({a.id}, "
                 f"{a.staff['Đặng Văn Đức']}, 2024, '{LDTT}', '10/QĐ-UBND', '2024-12-21')")
        r = self.sign(d2["id"], "2024-12-28")
        self.assertProblem(r, 409, "conflict")
        self.assertIn("Đặng Văn Đức", r.json()["detail"])
        self.assertEqual(self.sql(f"SELECT status FROM decisions WHERE id = {d2['id']}"), "draft")
        # a refused signing tells no subscriber anything (the outbox, issue 14 §3)
        self.assertEqual(self.count("outbox_events", "type = 'decision.signed' AND "
                                    f"data->>'decision_id' = '{d2['id']}'"), 0)

        self.as_role("secretariat", "PUT", "/v1/funds/2024", {"size": 100_000_000})
        r = self.sign(d["id"], "2024-12-28", paid_on="2024-12-30")
        self.assertEqual(r.status, 200, r)
        s = r.json()
        self.assertEqual((s["status"], s["decided_on"], s["year"]),
                         ("signed", "2024-12-28", 2024))
        self.assertRegex(s["number_text"], r"^\d{2,}/QĐ-BQLKKT$")
        # its event is in the outbox, written with the signing, ids and numbers only
        event = json.loads(self.sql("SELECT data FROM outbox_events WHERE type = "
                                    f"'decision.signed' AND data->>'decision_id' = '{d['id']}'"))
        self.assertEqual(event, {"decision_id": d["id"], "number": s["number_text"],
                                 "decided_on": "2024-12-28", "count": len(s["items"])})
        amounts = {i["award_code"]: i["amount"] for i in s["items"]}
        # Decree 98 on 28/12/2024, base 2,340,000 (domain.md §4.3)
        self.assertEqual(amounts, {LDTT: 710_000, CSTDCS: 2_340_000, TTLDTT: 1_880_000})
        self.assertEqual(s["total_amount"], 710_000 + 2_340_000 + 1_880_000)
        # the ledger holds every award with the decision's number and date
        awards = self.as_role("secretariat", "GET",
                              f"/v1/awards?year=2024&staff_id={a.staff['Trần Thị Bình']}").json()
        mine = {x["title"]: x for x in awards["items"]}
        self.assertEqual({mine[LDTT]["decision_number"], mine[CSTDCS]["decision_number"]},
                         {s["number_text"]})
        self.assertEqual(self.count("awards", f"decision_id = {d['id']} AND unit_id = "
                                              f"{a.units['C']}"), 1)
        # the fund paid the highest title of the period and the collective one
        fund = self.as_role("secretariat", "GET", "/v1/funds/2024").json()
        self.assertEqual(fund["paid"], 2_340_000 + 1_880_000)
        self.assertEqual(sorted(p["award_code"] for p in fund["payments"]),
                         sorted([CSTDCS, TTLDTT]))
        # signed once
        r = self.sign(d["id"], "2024-12-29", version=2)
        self.assertProblem(r, 409, "conflict")
        self.assertIn(s["number_text"], r.json()["detail"])
        self.assertEqual(self.count("audit_log", f"action = 'decision.sign' AND "
                                                 f"entity_id = '{d['id']}'"), 1)

    # -- households ------------------------------------------------------------

    def household(self, name, org="A"):
        r = self.as_role("secretariat", "POST", "/v1/households",
                         {"name": name, "address": "Làng Ia Băng, xã Ia Băng, tỉnh Gia Lai"},
                         org=org)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def assertInvalidAt(self, r, pointer):
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], [pointer])

    def test_a_household_from_its_nomination_to_its_bonus(self):
        """Decree 152 Art. 54: a household's Giấy khen pays 1.5 times an
        individual's; the council judges what it gave, the Office keeps the
        nomination with its reason."""
        a = self.world["A"]
        hid = self.household("Hộ ông Rơ Châm Yuh")
        r = self.as_role("secretariat", "GET", f"/v1/households/{hid}")
        self.assertEqual((r.status, r.json()["name"]), (200, "Hộ ông Rơ Châm Yuh"))
        listed = self.as_role("leader", "GET", "/v1/households").json()["items"]
        self.assertIn(hid, [h["id"] for h in listed])
        self.assertEqual(self.as_role("unit_head", "GET", "/v1/households").status, 403)
        self.assertEqual(self.as_role("secretariat", "GET", f"/v1/households/{hid}",
                                      org="B").status, 404)
        # nominated by the Office in an ad hoc round, for a form open to it
        r = self.as_role("secretariat", "POST", "/v1/review-rounds", {
            "year": 2026, "kind": "adhoc", "name": "Khen thưởng giải phóng mặt bằng",
            "deadline": "2026-12-31", "dossier_date": "2026-12-20"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        path = f"/v1/review-rounds/{rid}/nominations"
        why = "Tự nguyện bàn giao 2 ha đất cho Khu kinh tế cửa khẩu"
        body = {"award_code": "giay_khen", "subject_kind": "household", "household_id": hid,
                "achievement": why}
        self.assertInvalidAt(self.as_role("unit_head", "POST", path, body), "/subject_kind")
        self.assertInvalidAt(self.as_role("secretariat", "POST", path,
                                          dict(body, award_code="bang_khen_tinh")),
                             "/award_code")
        self.assertInvalidAt(self.as_role("secretariat", "POST", path,
                                          dict(body, staff_id=a.staff["Trần Thị Bình"])),
                             "/staff_id")
        other = self.household("Hộ bà Nay H'Lan", org="B")
        self.assertInvalidAt(self.as_role("secretariat", "POST", path,
                                          dict(body, household_id=other)), "/household_id")
        self.assertEqual(self.sql(f"SELECT count(*) FROM nominations WHERE round_id = {rid}"),
                         "0")
        r = self.as_role("secretariat", "POST", path, body)
        self.assertEqual(r.status, 201, r)
        nid = r.json()["id"]
        self.assertEqual((r.json()["name"], r.json()["household_id"]),
                         ("Hộ ông Rơ Châm Yuh", hid))
        # no fact says what a household gave: undetermined until the Office
        # keeps it with its reason
        listing = self.as_role("secretariat", "GET", f"/v1/review-rounds/{rid}/list").json()
        cand = [c for t in listing["titles"] for c in t["candidates"]
                if c["nomination_id"] == nid][0]
        self.assertEqual((cand["subject_kind"], cand["household_id"], cand["verdict"]),
                         ("household", hid, "undetermined"))
        self.assertEqual([x["code"] for x in cand["reasons"]], ["household_judged"])
        self.assertIn("judged by the council", cand["reasons"][0]["message"])
        # a unit head's list does not show it
        mine = self.as_role("unit_head", "GET", f"/v1/review-rounds/{rid}/list").json()
        self.assertNotIn(nid, [c["nomination_id"] for t in mine["titles"]
                               for c in t["candidates"]])

        # the council approves it; the decision pays 0.45 × 2,530,000
        # = 1,138,500, rounded up to 1,140,000
        sid, ids = self.signed_session(2026, [("giay_khen", ("household", hid), True),
                                              ("giay_khen", "Trần Thị Bình", True)])
        d = self.draft(sid).json()
        item = [i for i in d["items"] if i["subject_kind"] == "household"][0]
        self.assertEqual((item["position"], item["name"], item["household_id"], item["unit"]),
                         (2, "Hộ ông Rơ Châm Yuh", hid, "Làng Ia Băng, xã Ia Băng, tỉnh Gia Lai"))
        self.as_role("secretariat", "PUT", "/v1/funds/2026", {"size": 50_000_000})
        r = self.sign(d["id"], "2026-12-28", paid_on="2026-12-30")
        self.assertEqual(r.status, 200, r)
        items = {i["subject_kind"]: i for i in r.json()["items"]}
        self.assertEqual((items["household"]["coefficient"], items["household"]["amount"],
                          items["household"]["paid"]), ("0.45", 1_140_000, 1_140_000))
        self.assertEqual((items["staff"]["coefficient"], items["staff"]["amount"]),
                         ("0.3", 760_000))
        ledger_id = items["household"]["award_id"].split("-")[1]
        self.assertEqual(self.sql(f"SELECT subject_kind || ' ' || household_id FROM awards "
                                  f"WHERE id = {ledger_id}"), f"household {hid}")
        self.assertEqual(self.sql("SELECT subject || ' ' || recipient_key FROM fund_payments "
                                  f"WHERE ledger = 'award' AND ledger_id = {ledger_id}"),
                         f"household household:{hid}")
        pay = [p for p in self.as_role("secretariat", "GET", "/v1/funds/2026").json()["payments"]
               if p["award_id"] == items["household"]["award_id"]][0]
        self.assertEqual((pay["recipient"], pay["coefficient"]), ("Hộ ông Rơ Châm Yuh", "0.45"))
        self.assertIn("0.45 × 2,530,000 VND = 1,138,500 VND", pay["calculation"])
        awards = self.as_role("secretariat", "GET", "/v1/awards?year=2026").json()["items"]
        self.assertIn(hid, [x["household_id"] for x in awards])
        cert = self.as_role("secretariat", "GET",
                            f"/v1/decisions/{d['id']}/certificates/{item['position']}")
        self.assertEqual(cert.status, 200, cert)
        self.assertIn("Hộ ông Rơ Châm Yuh", pdf_text(cert.body)[0])

    def test_a_household_under_decree_98_has_no_rate(self):
        hid = self.household("Hộ bà Ksor H'Nhi")
        sid, _ = self.signed_session(2024, [("giay_khen", ("household", hid), True)])
        d = self.draft(sid).json()
        self.as_role("secretariat", "PUT", "/v1/funds/2024", {"size": 50_000_000})
        before = self.count("awards")
        r = self.sign(d["id"], "2024-12-28", paid_on="2024-12-30")
        doc = self.assertProblem(r, 409, "conflict")
        self.assertIn("giay_khen", doc["detail"])
        self.assertEqual(self.count("awards"), before)
        self.assertEqual(self.sql(f"SELECT status FROM decisions WHERE id = {d['id']}"), "draft")
        # signed without paying: the ledger has it, its amount unknown
        r = self.sign(d["id"], "2024-12-28")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["items"][0]["amount"], r.json()["items"][0]["coefficient"]),
                         (None, None))

    def test_numbers_in_sequence_under_concurrency_and_from_01_each_year(self):
        # two in 2022, then fifty at once in 2023: 01..50, no gap, no repeat;
        # a signing refused half-way gives its number back
        firsts = []
        for person in ("Phạm Minh Khoa", "Nguyễn Văn An"):
            sid, _ = self.signed_session(2022, [(LDTT, person, True)])
            did = self.draft(sid).json()["id"]
            r = self.sign(did, "2022-12-30")
            self.assertEqual(r.status, 200, r)
            firsts.append(r.json()["number"])
        self.assertEqual(firsts, [firsts[0], firsts[0] + 1])
        people = ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn Cường", "Đặng Văn Đức",
                  "Lê Thị Hoa", "Phạm Minh Khoa"]
        drafts = []
        for k in range(56):
            sid, _ = self.signed_session(2023, [("giay_khen", people[k % 6], True)])
            drafts.append(self.draft(sid).json()["id"])
        before = self.count("decisions", "year = 2023")

        def go(k):
            # six of them want a fund of 2023 that does not exist: refused
            # after their number was drawn
            extra = {"paid_on": "2023-12-30"} if k >= 50 else {}
            return self.sign(drafts[k], f"2023-12-{22 + k % 10}", **extra)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(go, range(56)))
        self.assertEqual(sorted(r.status for r in answers), [200] * 50 + [409] * 6)
        numbers = sorted(r.json()["number"] for r in answers if r.status == 200)
        self.assertEqual(before, 0)
        self.assertEqual(numbers, list(range(1, 51)))
        refused = ",".join(str(d) for d in drafts[50:])
        self.assertEqual(self.count("decisions", f"id IN ({refused}) AND status = 'draft'"), 6)
        self.assertEqual(self.sql(f"SELECT min(number) FROM decisions WHERE year = 2022"),
                         str(firsts[0]))
        # the refused ones wrote nothing to the ledger
        for k in range(50, 56):
            self.assertEqual(self.count("staff_titles", f"decision_id = {drafts[k]}")
                             + self.count("awards", f"decision_id = {drafts[k]}"), 0)

    # -- revocation and its clock -------------------------------------------

    def test_revocation_keeps_the_history_and_counts_working_days(self):
        a = self.world["A"]
        sid, ids = self.signed_session(2024, [(CSTDCS, "Phạm Minh Khoa", True),
                                              ("giay_khen", "Phạm Minh Khoa", True)])
        did = self.draft(sid).json()["id"]
        self.as_role("secretariat", "PUT", "/v1/funds/2024", {"size": 100_000_000})
        signed = self.sign(did, "2024-12-27", paid_on="2024-12-31").json()
        pos = {i["award_code"]: i for i in signed["items"]}
        cstdcs, form = pos[CSTDCS], pos["giay_khen"]
        self.assertEqual(cstdcs["paid"], 2_340_000)
        # revoked on Monday 20/01/2025: 15 working days later, Tết's five
        # days off (27-31/01) and the weekends skipped, is Monday 17/02
        body = {"position": cstdcs["position"], "revoked_on": "2025-01-20",
                "reason": "Khai man thành tích", "document": "05/QĐ-BQLKKT"}
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations", body)
        self.assertEqual(r.status, 200, r)
        item = {i["position"]: i for i in r.json()["items"]}[cstdcs["position"]]
        self.assertEqual((item["revoked_on"], item["return_due"], item["return_clock_complete"],
                          item["revocation_reason"], item["paid"]),
                         ("2025-01-20", "2025-02-17", True, "Khai man thành tích", 2_340_000))
        # the ledger keeps it, marked; the facts the rules read no longer hold it
        ledger = self.as_role("secretariat", "GET",
                              f"/v1/awards?year=2024&staff_id={a.staff['Phạm Minh Khoa']}").json()
        marks = {x["title"]: x["revoked_on"] for x in ledger["items"]}
        self.assertEqual(marks, {CSTDCS: "2025-01-20", "giay_khen": None})
        facts = self.as_role("secretariat", "GET",
                             f"/v1/staff/{a.staff['Phạm Minh Khoa']}/facts?year=2024").json()
        self.assertEqual([x["title"] for x in facts["awards"] if x["year"] == 2024],
                         ["giay_khen"])
        # once only, on a known position, not before the decision, by the head
        self.assertProblem(self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                                        body), 409, "conflict")
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                         dict(body, position=99))
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/position"])
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                         dict(body, position=form["position"], revoked_on="2024-12-01"))
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/revoked_on"])
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                         dict(body, position=form["position"], reason="  "))
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/reason"])
        self.assertProblem(self.as_role("secretariat", "POST",
                                        f"/v1/decisions/{did}/revocations", body), 403,
                           "forbidden")
        self.assertProblem(self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                                        body, org="B"), 404, "not-found")
        self.assertEqual(self.count("audit_log", f"action = 'decision.revoke' AND "
                                                 f"entity_id = '{did}'"), 1)
        # a revoked award is not paid
        sid2, _ = self.signed_session(2024, [("giay_khen", "Nguyễn Văn Cường", True)])
        did2 = self.draft(sid2).json()["id"]
        unpaid = self.sign(did2, "2024-12-27").json()["items"][0]
        r = self.as_role("leader", "POST", f"/v1/decisions/{did2}/revocations",
                         {"position": 1, "revoked_on": "2024-12-30", "reason": "Trùng lặp"})
        self.assertEqual(r.status, 200, r)
        r = self.as_role("secretariat", "POST", "/v1/funds/2024/payments",
                         {"award_id": unpaid["award_id"], "paid_on": "2024-12-31"})
        self.assertProblem(r, 409, "conflict")
        self.assertIn("revoked", r.json()["detail"])
        # a draft has nothing to revoke
        sid3, _ = self.signed_session(2024, [("giay_khen", "Nguyễn Văn Cường", True)])
        did3 = self.draft(sid3).json()["id"]
        self.assertProblem(self.as_role("leader", "POST", f"/v1/decisions/{did3}/revocations",
                                        dict(body, position=1)), 409, "conflict")

    def test_the_working_day_calendar(self):
        doc = self.as_role("staff", "GET", "/v1/calendar/2025").json()
        # 365 days, 104 weekend days, 12 weekdays off, one Saturday worked
        self.assertEqual((doc["complete"], doc["working_days"]), (True, 250))
        days = {x["day"]: x for x in doc["exceptions"]}
        self.assertEqual(days["2025-04-26"]["kind"], "working")
        self.assertEqual(days["2025-01-29"]["name_vi"], "Tết Nguyên đán")
        self.assertEqual(days["2025-09-02"]["source"]["mark"], "primary")
        later = self.as_role("staff", "GET", "/v1/calendar/2030").json()
        self.assertEqual((later["complete"], later["exceptions"]), (False, []))
        self.assertProblem(self.as_role("staff", "GET", "/v1/calendar/1999"), 404)

    # -- proposals to the province -----------------------------------------

    def test_a_proposal_to_the_province_and_its_answers(self):
        a = self.world["A"]
        sid, ids = self.signed_session(2024, [
            (CSTDT, "Lê Thị Hoa", True), ("chien_si_thi_dua_toan_quoc", "Nguyễn Văn An", True),
            ("bang_khen_tinh", ("unit", "S"), True), (CSTDT, "Trần Thị Bình", False),
            ("giay_khen", "Đặng Văn Đức", True)])
        body = {"session_id": sid, "symbol": "TTr-BQLKKT",
                "title": "Đề nghị tặng danh hiệu, hình thức khen thưởng năm 2024",
                "recipient": "Ủy ban nhân dân tỉnh Gia Lai (qua Sở Nội vụ)", "place": "Gia Lai",
                "signer_name": "Dương Quang Tuấn", "signer_title": "Trưởng ban"}
        r = self.as_role("secretariat", "POST", "/v1/proposals", body)
        self.assertEqual(r.status, 201, r)
        p = r.json()
        # the State's award first, then the province's; the agency's own and
        # the refused stay out
        self.assertEqual([i["nomination_id"] for i in p["items"]],
                         [ids[("chien_si_thi_dua_toan_quoc", "Nguyễn Văn An")],
                          ids[(CSTDT, "Lê Thị Hoa")], ids[("bang_khen_tinh", ("unit", "S"))]])
        self.assertEqual(p["items"][1]["council_result"]["approved"], True)
        self.assertEqual([(x["nomination_id"], x["reason"]) for x in p["left_out"]],
                         [(ids[(CSTDT, "Trần Thị Bình")], "not_approved")])
        self.assertProblem(self.as_role("secretariat", "POST", "/v1/proposals", body), 409,
                           "conflict")
        # the province cannot answer what was not sent; the head signs the letter
        path = f"/v1/proposals/{p['id']}"
        answer = {"items": [{"position": 2, "outcome": "accepted",
                             "decision_number": "123/QĐ-UBND", "decision_date": "2025-03-10",
                             "decided_by": "Chủ tịch Ủy ban nhân dân tỉnh Gia Lai"}]}
        self.assertProblem(self.as_role("secretariat", "POST", path + "/answers", answer), 409,
                           "conflict")
        self.assertProblem(self.as_role("secretariat", "POST", path + "/send",
                                        {"sent_on": "2025-01-06"}, headers={"If-Match": '"1"'}),
                           403, "forbidden")
        self.assertProblem(self.as_role("leader", "POST", path + "/send",
                                        {"sent_on": "2025-01-06"}), 428)
        text, _ = pdf_text(self.as_role("leader", "GET", path + "?format=pdf").body)
        self.assertRegex(text, r"Số: +/TTr-BQLKKT")  # a draft, for the head to read
        r = self.as_role("leader", "POST", path + "/send", {"sent_on": "2025-01-06"},
                         headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        text, pages = pdf_text(self.as_role("viewer", "GET", path + "?format=pdf").body)
        for expected in ("TỜ TRÌNH", "Kính gửi: Ủy ban nhân dân tỉnh Gia Lai (qua Sở Nội vụ).",
                         "Số: " + r.json()["number_text"], "ngày 06 tháng 01 năm 2025",
                         "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "Lê Thị Hoa", "Nguyễn Văn An"):
            self.assertIn(expected, text)
        self.assertEqual(pages, 2)
        self.assertRegex(r.json()["number_text"], r"^\d{2,}/TTr-BQLKKT$")
        self.assertEqual(r.json()["status"], "sent")
        # answers: each once, accepted with the province's decision, refused with why
        bad = {"items": [{"position": 2, "outcome": "accepted"},
                         {"position": 3, "outcome": "refused"}]}
        r = self.as_role("secretariat", "POST", path + "/answers", bad)
        self.assertProblem(r, 422, "validation")
        self.assertEqual({e["pointer"] for e in r.json()["errors"]},
                         {"/items/0/decision_number", "/items/0/decision_date",
                          "/items/0/decided_by", "/items/1/reason"})
        # a refusal anywhere in the list writes nothing of it
        r = self.as_role("secretariat", "POST", path + "/answers",
                         {"items": answer["items"] + [{"position": 9, "outcome": "refused",
                                                       "reason": "Không có"}]})
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/items/1/position"])
        self.assertEqual(self.count("staff_titles", f"proposal_id = {p['id']}"), 0)
        r = self.as_role("secretariat", "POST", path + "/answers", {"items": []})
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/items"])
        r = self.as_role("secretariat", "POST", path + "/answers", answer)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["answered"]), ("sent", 1))
        r = self.as_role("secretariat", "POST", path + "/answers", answer)
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/items/0/position"])
        r = self.as_role("secretariat", "POST", path + "/answers", {"items": [
            {"position": 1, "outcome": "refused", "reason": "Chưa đủ tiêu chuẩn"},
            {"position": 3, "outcome": "accepted", "decision_number": "130/QĐ-UBND",
             "decision_date": "2025-03-12", "decided_by": "Chủ tịch Ủy ban nhân dân tỉnh"}]})
        self.assertEqual(r.status, 200, r)
        done = r.json()
        self.assertEqual(done["status"], "answered")
        self.assertEqual([i["outcome"] for i in done["items"]], ["refused", "accepted",
                                                                 "accepted"])
        # the accepted ones are in the ledger with the province's decisions
        ledger = self.as_role("secretariat", "GET",
                              f"/v1/awards?year=2024&staff_id={a.staff['Lê Thị Hoa']}").json()
        self.assertIn(("chien_si_thi_dua_cap_tinh", "123/QĐ-UBND"),
                      {(x["title"], x["decision_number"]) for x in ledger["items"]})
        self.assertEqual(self.count("awards", f"proposal_id = {p['id']} AND unit_id = "
                                              f"{a.units['S']}"), 1)
        self.assertEqual(self.count("audit_log", f"entity_type = 'proposal' AND "
                                                 f"entity_id = '{p['id']}'"), 4)
        self.assertProblem(self.as_role("secretariat", "GET", path, org="B"), 404, "not-found")

    # -- who may, and bad input ---------------------------------------------

    def test_denials_and_bad_input(self):
        sid, _ = self.signed_session(2024, [("giay_khen", "Lê Thị Hoa", True)],
                                     held_on="2024-12-23")
        for role in ("leader", "viewer", "council", "admin", "unit_head"):
            self.assertProblem(self.as_role(role, "POST", "/v1/decisions", {"session_id": sid}),
                               403, "forbidden")
        self.assertProblem(self.as_role("staff", "GET", "/v1/decisions"), 403, "forbidden")
        self.assertEqual(self.as_role("viewer", "GET", "/v1/decisions").status, 200)
        r = self.draft(sid, symbol="QĐ/BQL")
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/symbol"])
        r = self.draft(999999999)
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/session_id"])
        unsigned = self.sql("INSERT INTO council_sessions (organization_id, name, held_on, "
                            "ballot_secret, ballot_key, created_by) VALUES "
                            f"({self.world['A'].id}, 'Chưa ký', '2024-12-22', "
                            "decode(repeat('01', 32), 'hex'), decode(repeat('02', 32), 'hex'), "
                            "'test') RETURNING id")
        r = self.draft(int(unsigned))
        self.assertProblem(r, 422, "validation")
        self.assertIn("not signed", r.json()["errors"][0]["detail"])
        self.assertProblem(self.draft(sid, **{"number": 7}), 400)
        did = self.draft(sid).json()["id"]
        # another organisation neither reads nor signs it
        self.assertProblem(self.as_role("secretariat", "GET", f"/v1/decisions/{did}", org="B"),
                           404, "not-found")
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/sign",
                         {"decided_on": "2024-12-28"}, headers={"If-Match": '"1"'}, org="B")
        self.assertProblem(r, 404, "not-found")
        self.assertProblem(self.sign(did, "2024-12-28", role="secretariat"), 403, "forbidden")
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/sign", {"decided_on":
                                                                         "2024-12-28"})
        self.assertProblem(r, 428, "precondition-required")
        self.assertProblem(self.sign(did, "2024-12-28", version=5), 412, "precondition-failed")
        r = self.sign(did, "2024-12-22")
        self.assertProblem(r, 422, "validation")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/decided_on"])
        r = self.sign(did, "2024-12-28", paid_on="2024-12-27")
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/paid_on"])
        r = self.sign(did, "2024-13-28")
        self.assertProblem(r, 422, "validation")
        self.assertEqual(self.sql(f"SELECT status FROM decisions WHERE id = {did}"), "draft")


if __name__ == "__main__":
    main()
