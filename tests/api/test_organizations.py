"""A province's agencies made, renamed, closed, merged and split, with their
history (issue 14 §1): the 2025 restructuring as dated events.

The fixtures (ProvinceBase): agencies A and B belong to province P from 2020;
B leaves P on 30/06/2025 for province Q.  P's administrator makes agencies of
its own here.  A merger carries the people working in the predecessors on to
the successor as new records linked to their old ones: their ratings and
titles stay theirs, so the "consecutive years" rule sees across the merger, and
what the predecessors recorded in the period counts in the successor's
statistics forms.
"""

import uuid

from harness import EN, main
from identity import password_hash, sql_text
from test_province import ProvinceBase
from test_year_end import CSTD_TINH, CSTDCS

H = None


def tag():
    return uuid.uuid4().hex[:6]


class OrganizationsTest(ProvinceBase):

    def padmin(self, method, path, body=None, version=None, token=None, headers=None):
        h = dict(headers or {})
        if version is not None:
            h["If-Match"] = f'"{version}"'
        return self.call(method, path, token=token or self.ptoken("admin"), body=body,
                         headers=h)

    def agency(self, valid_from="2020-01-01", units=("U1", "U2")):
        """A new agency of P with units and an Office account; (doc, unit ids)."""
        code = f"SO-{tag()}"
        r = self.padmin("POST", "/v1/province/organizations",
                        {"code": code, "name": f"Sở thử {code}", "valid_from": valid_from,
                         "decision": "1/QĐ-UBND"})
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        ids = {}
        for u in units:
            ids[u] = int(self.sql(
                "INSERT INTO units (organization_id, code, name, kind) VALUES "
                f"({doc['id']}, '{u}', 'Phòng {u}', 'department') RETURNING id"))
        global H
        H = H or sql_text(password_hash())
        self.sql("INSERT INTO users (organization_id, username, display_name, password_hash, "
                 f"roles) VALUES ({doc['id']}, '{code.lower()}.vp', 'Văn phòng', {H}, "
                 "'{secretariat}')")
        return doc, ids

    def otoken(self, doc):
        r = self.password_grant(f"{doc['code'].lower()}.vp")
        self.assertEqual(r.status, 200, r)
        return r.json()["access_token"]

    def person(self, org, unit, **extra):
        body = {"unit_id": unit, "full_name": f"Nguyễn Thị {tag()}", "gender": "female",
                "employment_type": "civil_servant", "start_date": "2015-01-01"}
        body.update(extra)
        r = self.call("POST", "/v1/staff", token=self.otoken(org), body=body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def rate(self, org, sid, year):
        r = self.call("PUT", f"/v1/staff/{sid}/ratings/{year}", token=self.otoken(org), body={
            "rating": "excellent", "rated_on": f"{year}-12-16", "disciplined": False,
            "source_document": f"Quyết định số {tag()}/QĐ"})
        self.assertEqual(r.status, 200, r)

    def title(self, org, sid, year, code=CSTDCS):
        r = self.call("POST", "/v1/awards", token=self.otoken(org), body={
            "award_code": code, "subject_kind": "staff", "staff_id": sid, "year": year,
            "decision_number": f"{tag()}/QĐ", "decision_date": f"{year}-12-28"})
        self.assertEqual(r.status, 201, r)

    # -- made, renamed, closed -------------------------------------------------

    def test_made_renamed_closed_with_history(self):
        doc, units = self.agency(units=())
        self.assertEqual(doc["kind"], "agency")
        self.assertEqual([m["id"] for m in doc["memberships"]], [self.prov["TINH-P"]])
        r = self.padmin("PATCH", f"/v1/province/organizations/{doc['id']}",
                        {"name": "Sở Tài chính", "effective_on": "2025-03-01",
                         "decision": "57/QĐ-UBND"}, doc["version"])
        self.assertEqual(r.status, 200, r)
        renamed = r.json()
        self.assertEqual(renamed["name"], "Sở Tài chính")
        r = self.padmin("PATCH", f"/v1/province/organizations/{doc['id']}", {"name": "X"},
                        doc["version"])
        self.assertEqual(r.status, 412, r)
        # the agency's own accounts read the new name
        me = self.call("GET", "/v1/organization", token=self.otoken(doc)).json()
        self.assertEqual(me["name"], "Sở Tài chính")
        # closing: not while somebody works there
        uid = int(self.sql("INSERT INTO units (organization_id, code, name, kind) VALUES "
                           f"({doc['id']}, 'VP', 'Văn phòng', 'office') RETURNING id"))
        sid = self.person(doc, uid)
        r = self.padmin("POST", f"/v1/province/organizations/{doc['id']}/close",
                        {"closed_on": "2025-12-31", "decision": "99/QĐ-UBND"},
                        renamed["version"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("1", r.json()["detail"])
        self.sql(f"UPDATE staff SET status = 'left', left_on = '2025-11-30' WHERE id = {sid}")
        tok = self.otoken(doc)
        r = self.padmin("POST", f"/v1/province/organizations/{doc['id']}/close",
                        {"closed_on": "2025-12-31", "decision": "99/QĐ-UBND"},
                        renamed["version"])
        self.assertEqual(r.status, 200, r)
        closed = r.json()
        self.assertEqual(closed["closed_on"], "2025-12-31")
        self.assertEqual(closed["memberships"][0]["valid_until"], "2025-12-31")
        # its accounts are disabled: logging in fails, a live token stops
        self.assertNotEqual(self.password_grant(f"{doc['code'].lower()}.vp").status, 200)
        self.assertEqual(self.call("GET", "/v1/organization", token=tok).status, 401)
        r = self.padmin("PATCH", f"/v1/province/organizations/{doc['id']}", {"name": "Y"},
                        closed["version"])
        self.assertEqual(r.status, 409, r)
        h = self.call("GET", f"/v1/province/organizations/{doc['id']}",
                      token=self.ptoken("viewer"))
        self.assertEqual(h.status, 200, h)
        self.assertEqual([(c["kind"], c["effective_on"]) for c in h.json()["changes"]],
                         [("create", "2020-01-01"), ("change", "2025-03-01"),
                          ("close", "2025-12-31")])
        self.assertEqual(h.json()["changes"][1]["before"]["name"], doc["name"])

    def test_who_may(self):
        doc, _ = self.agency(units=())
        # an agency's administrator: the route admits, the procedure refuses
        r = self.call("POST", "/v1/province/organizations", token=self.token("A", "admin"),
                      body={"code": f"X-{tag()}", "name": "X", "valid_from": "2024-01-01"})
        self.assertEqual(r.status, 403, r)
        for role in ("secretariat", "leader", "viewer"):
            r = self.padmin("POST", "/v1/province/organizations",
                            {"code": f"X-{tag()}", "name": "X", "valid_from": "2024-01-01"},
                            token=self.ptoken(role))
            self.assertEqual(r.status, 403, (role, r))
        # an agency reads no province's organisation; Q's readers not P's agencies
        r = self.call("GET", f"/v1/province/organizations/{doc['id']}",
                      token=self.token("A", "admin"))
        self.assertEqual(r.status, 404, r)
        r = self.call("GET", f"/v1/province/organizations/{self.world['A'].id}",
                      token=self.pclient("p-portal"))
        self.assertEqual(r.status, 200, r)
        qid = self.prov["TINH-Q"]
        self.sql("INSERT INTO users (organization_id, username, display_name, password_hash, "
                 f"roles) VALUES ({qid}, 'q.admin', 'Quản trị Q', {sql_text(password_hash())}, "
                 "'{admin}') ON CONFLICT DO NOTHING")
        qtok = self.password_grant("q.admin").json()["access_token"]
        r = self.call("GET", f"/v1/province/organizations/{doc['id']}", token=qtok)
        self.assertEqual(r.status, 404, r)
        r = self.padmin("PATCH", f"/v1/province/organizations/{doc['id']}", {"name": "Z"},
                        doc["version"], token=qtok)
        self.assertEqual(r.status, 404, r)

    # -- a merger ----------------------------------------------------------------

    def test_a_merger_keeps_the_people_and_their_runs_of_years(self):
        old, old_units = self.agency()
        new, _ = self.agency()
        sid = self.person(old, old_units["U1"], code="CB001", tdkt_since="2015-01-01",
                          training_level="university")
        gone = self.person(old, old_units["U2"])
        self.sql(f"UPDATE staff SET status = 'left', left_on = '2024-06-30' WHERE id = {gone}")
        for year in (2023, 2024):
            self.rate(old, sid, year)
            self.title(old, sid, year)
        # a movement of the old body within the 2025 report period
        r = self.call("POST", "/v1/movements", token=self.otoken(old), body={
            "name": "Đợt thi đua cuối năm", "kind": "thematic", "starts_on": "2024-12-10",
            "ends_on": "2024-12-31"})
        self.assertEqual(r.status, 201, r)
        before = self.count("organizations")
        r = self.padmin("POST", "/v1/province/mergers", {
            "kind": "merge", "effective_on": "2025-01-01", "decision": "3005/QĐ-UBND",
            "predecessor_ids": [old["id"]], "successor_ids": [new["id"]]})
        self.assertEqual(r.status, 200, r)
        event = r.json()
        self.assertEqual(self.count("organizations"), before)
        [pred] = event["predecessors"]
        self.assertEqual(pred["closed_on"], "2024-12-31")
        self.assertEqual(pred["successors"][0]["id"], new["id"])
        self.assertEqual(event["successors"][0]["predecessors"][0]["id"], old["id"])
        # the person carries on in the successor, under the old body's unit
        rec = self.sql(f"SELECT staff_id FROM staff_links WHERE predecessor_staff_id = {sid}")
        self.assertTrue(rec)
        self.assertEqual(self.sql(f"SELECT count(*) FROM staff_links WHERE "
                                  f"predecessor_staff_id = {gone}"), "0")
        ntok = self.otoken(new)
        person = self.call("GET", f"/v1/staff/{rec}", token=ntok).json()
        self.assertEqual((person["code"], person["start_date"], person["tdkt_since"]),
                         ("CB001", "2015-01-01", "2015-01-01"))
        unit = self.call("GET", f"/v1/units/{person['unit_id']}", token=ntok).json()
        self.assertEqual(unit["code"], f"{old['code']}.U1")
        self.assertEqual(self.sql(f"SELECT status || ' ' || left_on FROM staff WHERE id = {sid}"),
                         "left 2024-12-31")
        # the old body's accounts are disabled
        self.assertNotEqual(self.password_grant(f"{old['code'].lower()}.vp").status, 200)
        # its ratings are the person's under the new body
        facts = self.call("GET", f"/v1/staff/{rec}/facts?year=2025", token=ntok)
        self.assertEqual(facts.status, 200, facts)
        self.assertEqual([y["year"] for y in facts.json()["years"]], [2023, 2024])
        self.rate(new, int(rec), 2025)
        self.title(new, int(rec), 2025)
        r = self.call("GET", f"/v1/staff/{rec}/eligibility?year=2025&title={CSTD_TINH}"
                             "&on=2025-12-31", token=ntok)
        self.assertEqual(r.status, 200, r)
        codes = self.codes(r.json()["verdicts"][0])
        self.assertNotIn("run_broken", codes)
        # a newcomer with 2025 alone has no run
        other = self.person(new, int(self.sql(f"SELECT id FROM units WHERE organization_id = "
                                              f"{new['id']} AND code = 'U1'")))
        self.rate(new, other, 2025)
        self.title(new, other, 2025)
        r = self.call("GET", f"/v1/staff/{other}/eligibility?year=2025&title={CSTD_TINH}"
                             "&on=2025-12-31", token=ntok)
        self.assertIn("run_broken", self.codes(r.json()["verdicts"][0]))
        # the packed facts a review round reads agree (kept = packed from scratch)
        self.assertEqual(self.sql(
            f"SELECT facts = staff_facts_pack({new['id']}, {rec}) FROM staff_facts "
            f"WHERE staff_id = {rec}"), "t")
        # the old body's movement counts in the successor's 2025 forms
        r = self.call("GET", "/v1/statistics/2025", token=ntok)
        self.assertEqual(r.status, 200, r)
        f0601 = next(f for f in r.json()["forms"] if f["form"] == "0601")
        self.assertEqual(f0601["rows"][0]["values"][0], 1)
        self.assertEqual([m["id"] for m in r.json()["members"]], [old["id"]])
        # the history of both
        h = self.call("GET", f"/v1/province/organizations/{old['id']}",
                      token=self.ptoken("viewer")).json()
        self.assertEqual(h["changes"][-1]["kind"], "merge")
        self.assertEqual(h["changes"][-1]["decision"], "3005/QĐ-UBND")

    @staticmethod
    def codes(verdict):
        return {c["code"] for c in verdict["checks"]}

    def test_a_merger_into_a_new_agency_and_a_split(self):
        a, au = self.agency()
        b, bu = self.agency()
        pa = self.person(a, au["U1"])
        pb = self.person(b, bu["U2"])
        code = f"SO-MOI-{tag()}"
        r = self.padmin("POST", "/v1/province/mergers", {
            "kind": "merge", "effective_on": "2025-07-01", "decision": "1/NQ-HĐND",
            "predecessor_ids": [a["id"], b["id"]],
            "successor": {"code": code, "name": "Sở Nông nghiệp và Môi trường"}})
        self.assertEqual(r.status, 200, r)
        [succ] = r.json()["successors"]
        self.assertEqual((succ["code"], succ["memberships"][0]["valid_from"]),
                         (code, "2025-07-01"))
        people = self.sql(f"SELECT string_agg(predecessor_staff_id::text, ',' ORDER BY "
                          f"predecessor_staff_id) FROM staff_links WHERE organization_id = "
                          f"{succ['id']}")
        self.assertEqual(people, ",".join(str(x) for x in sorted([pa, pb])))
        # a split: one body's units to two others
        f, fu = self.agency()
        g, _ = self.agency()
        k, _ = self.agency()
        p1 = self.person(f, fu["U1"])
        p2 = self.person(f, fu["U2"])
        r = self.padmin("POST", "/v1/province/mergers", {
            "kind": "split", "effective_on": "2025-08-01", "decision": "7/QĐ-UBND",
            "predecessor_ids": [f["id"]], "successor_ids": [g["id"], k["id"]],
            "units": [{"unit_id": fu["U2"], "successor_id": k["id"]}]})
        self.assertEqual(r.status, 200, r)
        where = dict(self.sql_rows(f"SELECT predecessor_staff_id, organization_id FROM "
                                   f"staff_links WHERE predecessor_staff_id IN ({p1}, {p2})"))
        self.assertEqual(where, {p1: g["id"], p2: k["id"]})

    def sql_rows(self, q):
        out = self.sql(q)
        return [tuple(int(x) for x in line.split("|")) for line in out.splitlines() if line]

    def test_bad_input_writes_nothing(self):
        a, _ = self.agency()
        b, _ = self.agency()
        before = (self.count("organizations"), self.count("staff"), self.count("units"))
        base = {"kind": "merge", "effective_on": "2025-01-01", "decision": "1/QĐ",
                "predecessor_ids": [a["id"]], "successor_ids": [b["id"]]}
        cases = [
            (dict(base, successor={"code": "X", "name": "X"}), 422, "/successor_ids"),
            (dict(base, kind="absorb"), 422, "/kind"),
            (dict(base, effective_on="2025-02-30"), 422, "/effective_on"),
            (dict(base, predecessor_ids=[self.world["B"].id], effective_on="2025-08-01"), 422,
             "/predecessor_ids/0"),
            (dict(base, predecessor_ids=[b["id"]]), 422, "/predecessor_ids/0"),
            (dict(base, successor_ids=[a["id"], b["id"]]), 422, "/successor_ids"),
            (dict(base, kind="split"), 422, "/successor_ids"),
            (dict(base, successor_ids=[self.prov["TINH-Q"]]), 422, "/successor_ids/0"),
            (dict(base, units=[{"unit_id": 1}]), 422, "/units/0/successor_id"),
            (dict(base, colour="red"), 400, "/colour"),
            (dict(base, predecessor_ids=[]), 422, "/predecessor_ids"),
        ]
        for body, status, pointer in cases:
            with self.subTest(pointer=pointer, body=body):
                r = self.padmin("POST", "/v1/province/mergers", body)
                self.assertEqual(r.status, status, r)
                self.assertIn(pointer, [e["pointer"] for e in r.json()["errors"]])
        # a new successor whose code is taken: refused whole, nothing written
        made = {k: v for k, v in base.items() if k != "successor_ids"}
        made["successor"] = {"code": b["code"], "name": "Trùng mã"}
        r = self.padmin("POST", "/v1/province/mergers", made, headers=EN)
        self.assertEqual(r.status, 409, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/code"])
        r = self.padmin("POST", "/v1/province/organizations",
                        {"code": a["code"], "name": "Trùng", "valid_from": "2024-01-01"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/code"])
        self.assertEqual((self.count("organizations"), self.count("staff"), self.count("units")),
                         before)


if __name__ == "__main__":
    main()
