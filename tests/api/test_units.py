"""Units renamed, moved and closed, with their dated history (issue 14 §1).

A unit keeps its id through every change, so its staff and what is attached to
it stay; a move rewrites the paths of its whole subtree (a unit head of the
moved unit's old parent no longer sees its staff, the new parent's head does);
a closed unit takes nobody new and changes no more.
"""

import uuid

from harness import EN, main
from identity import IdentityTest


def tag():
    return uuid.uuid4().hex[:6]


class UnitsHistoryTest(IdentityTest):

    def admin(self, method, path, body=None, version=None, org="A"):
        headers = {"If-Match": f'"{version}"'} if version is not None else None
        return self.call(method, path, token=self.token(org, "admin"), body=body,
                         headers=headers)

    def unit(self, parent=None, code=None):
        body = {"code": code or f"U-{tag()}", "name": f"Phòng thử {tag()}", "kind": "department"}
        if parent:
            body["parent_id"] = parent
        r = self.admin("POST", "/v1/units", body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_rename_and_move_keep_the_id_and_date_the_change(self):
        a = self.unit()
        b = self.unit(parent=a["id"])
        c = self.unit(parent=b["id"])
        target = self.unit()
        r = self.admin("PATCH", f"/v1/units/{b['id']}",
                       {"name": "Phòng Quản lý Doanh nghiệp", "parent_id": target["id"],
                        "effective_on": "2025-07-01", "decision": "12/QĐ-BQL"}, b["version"])
        self.assertEqual(r.status, 200, r)
        moved = r.json()
        self.assertEqual((moved["id"], moved["parent_id"], moved["name"]),
                         (b["id"], target["id"], "Phòng Quản lý Doanh nghiệp"))
        self.assertEqual(moved["path"], [target["id"], b["id"]])
        self.assertEqual(moved["version"], b["version"] + 1)
        # the child's path follows its parent
        child = self.call("GET", f"/v1/units/{c['id']}", token=self.token("A", "viewer")).json()
        self.assertEqual(child["path"], [target["id"], b["id"], c["id"]])
        h = self.call("GET", f"/v1/units/{b['id']}/history",
                      token=self.token("A", "staff"))
        self.assertEqual(h.status, 200, h)
        changes = h.json()["changes"]
        self.assertEqual(len(changes), 1)
        self.assertEqual((changes[0]["kind"], changes[0]["effective_on"], changes[0]["decision"]),
                         ("change", "2025-07-01", "12/QĐ-BQL"))
        self.assertEqual(changes[0]["before"]["name"], b["name"])
        self.assertEqual(changes[0]["before"]["parent_id"], a["id"])
        self.assertEqual(changes[0]["after"]["parent_id"], target["id"])
        # a move to the root; then a stale version
        r = self.admin("PATCH", f"/v1/units/{b['id']}", {"parent_id": None}, moved["version"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["path"], [b["id"]])
        r = self.admin("PATCH", f"/v1/units/{b['id']}", {"name": "X"}, moved["version"])
        self.assertEqual(r.status, 412, r)
        self.assertEqual(self.count("audit_log", f"entity_type = 'unit' AND entity_id = "
                                                 f"'{b['id']}' AND action = 'unit.update'"), 2)

    def test_a_move_changes_what_unit_heads_see(self):
        o = self.world["A"]
        # A's unit head heads R, whose subtree holds C; S stands apart
        staff_s = sorted(o.staff_in("S"))
        uh = self.token("A", "unit_head")
        seen = {s["id"] for s in self.call("GET", "/v1/staff?limit=100", token=uh).json()["items"]}
        self.assertFalse(seen & set(staff_s))
        s = self.call("GET", f"/v1/units/{o.units['S']}", token=uh).json()
        r = self.admin("PATCH", f"/v1/units/{o.units['S']}", {"parent_id": o.units["R"]},
                       s["version"])
        self.assertEqual(r.status, 200, r)
        try:
            seen = {s["id"] for s in
                    self.call("GET", "/v1/staff?limit=100", token=uh).json()["items"]}
            self.assertTrue(set(staff_s) <= seen)
        finally:
            r = self.admin("PATCH", f"/v1/units/{o.units['S']}", {"parent_id": None},
                           r.json()["version"])
            self.assertEqual(r.status, 200, r)

    def test_close_only_an_empty_unit_and_nothing_after(self):
        a = self.unit()
        b = self.unit(parent=a["id"])
        r = self.admin("POST", f"/v1/units/{a['id']}/close",
                       {"closed_on": "2025-06-30", "decision": "9/QĐ"}, a["version"])
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["type"], "urn:thidua:problem:conflict")
        p = self.call("POST", "/v1/staff", token=self.token("A", "admin"), body={
            "unit_id": b["id"], "full_name": "Nguyễn Văn Ở", "gender": "male",
            "employment_type": "civil_servant", "start_date": "2015-01-01"})
        self.assertEqual(p.status, 201, p)
        r = self.admin("POST", f"/v1/units/{b['id']}/close",
                       {"closed_on": "2025-06-30", "decision": "9/QĐ"}, b["version"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("1", r.json()["detail"])
        en = self.call("POST", f"/v1/units/{b['id']}/close", token=self.token("A", "admin"),
                       body={"closed_on": "2025-06-30", "decision": "9/QĐ"},
                       headers=dict(EN, **{"If-Match": f'"{b["version"]}"'}))
        self.assertIn("still work in the unit", en.json()["detail"])
        # once the person left before the day, it closes
        pv = p.json()["version"]
        r = self.call("PATCH", f"/v1/staff/{p.json()['id']}", token=self.token("A", "admin"),
                      body={"status": "left", "left_on": "2025-06-15"},
                      headers={"If-Match": f'"{pv}"'})
        self.assertEqual(r.status, 200, r)
        r = self.admin("POST", f"/v1/units/{b['id']}/close",
                       {"closed_on": "2025-06-30", "decision": "9/QĐ"}, b["version"])
        self.assertEqual(r.status, 200, r)
        closed = r.json()
        self.assertEqual(closed["closed_on"], "2025-06-30")
        # nobody joins it, it does not change, it is not closed twice
        r = self.call("POST", "/v1/staff", token=self.token("A", "admin"), body={
            "unit_id": b["id"], "full_name": "Trần Văn Mới", "gender": "male",
            "employment_type": "civil_servant", "start_date": "2026-01-01"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/unit_id"])
        r = self.admin("PATCH", f"/v1/units/{b['id']}", {"name": "Y"}, closed["version"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("2025", r.json()["detail"])
        r = self.admin("PATCH", f"/v1/units/{a['id']}", {"parent_id": b["id"]}, a["version"])
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/parent_id"])
        r = self.admin("POST", "/v1/units", {"code": f"N-{tag()}", "name": "Tổ mới",
                                             "kind": "other", "parent_id": b["id"]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/parent_id"])
        # no machine client is limited to it
        r = self.call("POST", "/v1/clients", token=self.token("A", "admin"), body={
            "client_id": f"c-closed-{tag()}", "name": "Máy báo cáo", "scopes": ["reports:write"],
            "unit_id": b["id"]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/unit_id"])
        # the parent closes now its only unit is closed
        r = self.admin("POST", f"/v1/units/{a['id']}/close",
                       {"closed_on": "2025-07-01", "decision": "10/QĐ"}, a["version"])
        self.assertEqual(r.status, 200, r)
        h = self.call("GET", f"/v1/units/{b['id']}/history",
                      token=self.token("A", "viewer")).json()
        self.assertEqual([c["kind"] for c in h["changes"]], ["close"])
        self.assertEqual(h["unit"]["closed_on"], "2025-06-30")

    def test_bad_input_and_other_organisations(self):
        a = self.unit()
        b = self.unit(parent=a["id"])
        cases = [({"parent_id": b["id"]}, 422, "/parent_id"),      # under its own child
                 ({"parent_id": a["id"]}, 422, "/parent_id"),      # under itself
                 ({"parent_id": self.world["B"].units["R"]}, 422, "/parent_id"),
                 ({"code": "a b"}, 422, "/code"),
                 ({"code": "R"}, 409, None),                      # R's code
                 ({"kind": "ministry"}, 422, "/kind"),
                 ({"tdkt_body": "x"}, 422, "/tdkt_body"),
                 ({"effective_on": "2025-02-30", "name": "X"}, 422, "/effective_on"),
                 ({"decision": "x" * 201, "name": "X"}, 422, "/decision"),
                 ({"colour": "red"}, 400, "/colour"),
                 ({}, 422, "")]
        for body, status, pointer in cases:
            with self.subTest(body=body):
                r = self.admin("PATCH", f"/v1/units/{a['id']}", body, a["version"])
                self.assertEqual(r.status, status, r)
                if pointer is not None:
                    self.assertEqual([e["pointer"] for e in r.json()["errors"]], [pointer])
        r = self.call("PATCH", f"/v1/units/{a['id']}", token=self.token("A", "admin"),
                      body={"name": "X"})
        self.assertEqual(r.status, 428, r)
        for method, path, body in (("PATCH", f"/v1/units/{a['id']}", {"name": "X"}),
                                   ("POST", f"/v1/units/{a['id']}/close",
                                    {"closed_on": "2025-01-01", "decision": "1"}),
                                   ("GET", f"/v1/units/{a['id']}/history", None)):
            r = self.admin(method, path, body, 1, org="B")
            self.assertEqual(r.status, 404, (method, path, r))
        r = self.admin("POST", f"/v1/units/{a['id']}/close", {"decision": "1"}, a["version"])
        self.assertEqual([e["pointer"] for e in r.json()["errors"]], ["/closed_on"])
        self.assertEqual(self.count("unit_changes", f"unit_id = {a['id']}"), 0)


if __name__ == "__main__":
    main()
