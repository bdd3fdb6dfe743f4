"""Identity, the audit trail: every write through the API is recorded with
who, what, before/after and the request id; the hash chain verifies, and
tampering by a superuser (trigger disabled) is found where it happened.
"""

import json
import urllib.parse
import uuid

from harness import EN, main
from identity import PASSWORD, IdentityTest, sql_text


class AuditTrailTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.writes = []  # (request id, action, entity_type, entity id or None, actor user id)

        def write(role, method, path, body=None, headers=None, action=None, entity=None):
            rid = f"audit-{uuid.uuid4().hex[:12]}"
            h = dict(headers or {}, **{"X-Request-Id": rid})
            r = cls.call(method, path, token=cls.token("A", role), body=body, headers=h)
            assert 200 <= r.status < 300, (method, path, r)
            doc = r.json() if r.body else {}
            cls.writes.append({"rid": rid, "action": action, "entity_type": entity,
                               "entity_id": str(doc["id"]) if "id" in doc else None,
                               "actor": str(a.users[role]["id"]), "doc": doc})
            return doc

        cls.unit = write("admin", "POST", "/v1/units", {"code": "TDKT", "name": "Tổ Thi đua",
                                                        "kind": "other",
                                                        "parent_id": a.units["R"]},
                         action="unit.create", entity="unit")
        cls.staff = write("secretariat", "POST", "/v1/staff", {
            "unit_id": cls.unit["id"], "full_name": "Đoàn Thị Kiểm Toán", "gender": "female",
            "employment_type": "civil_servant", "start_date": "2018-08-01"},
            action="staff.create", entity="staff")
        cls.patched = write("secretariat", "PATCH", f"/v1/staff/{cls.staff['id']}",
                            {"position": "Kiểm toán viên"}, {"If-Match": '"1"'},
                            action="staff.update", entity="staff")
        csv = ("full_name,gender,employment_type,start_date,unit_code\n"
               "Lâm Văn Nhập,Nam,Công chức,2019-01-01,TDKT\n"
               "Lâm Thị Nhập,Nữ,Viên chức,2019-02-01,TDKT\n").encode()
        write("admin", "POST", "/v1/staff/import", csv, {"Content-Type": "text/csv"},
              action="staff.import", entity="staff")
        cls.user = write("admin", "POST", "/v1/users", {
            "username": "kiem.toan", "display_name": "Kiểm toán nội bộ", "password": PASSWORD,
            "roles": ["viewer"]}, action="user.create", entity="user")
        write("admin", "PATCH", f"/v1/users/{cls.user['id']}", {"password": PASSWORD + "-moi"},
              {"If-Match": '"1"'}, action="user.update_password", entity="user")
        cls.client = write("admin", "POST", "/v1/clients", {
            "client_id": "a-kiem-toan", "name": "Kiểm toán", "scopes": ["reports:write"]},
            action="client.create", entity="client")
        write("admin", "POST", f"/v1/clients/{cls.client['id']}/rotate", action="client.rotate",
              entity="client")
        write("admin", "POST", f"/v1/clients/{cls.client['id']}/revoke", action="client.revoke",
              entity="client")
        # and some activity in B, whose chain must stay its own
        cls.call("POST", "/v1/units", token=cls.token("B", "admin"),
                 body={"code": "TDKT", "name": "Tổ Thi đua B", "kind": "other"})

    def entries(self, org="A", **filters):
        tok = self.token(org, "admin")
        items, cursor = [], None
        for _ in range(100):
            params = dict(filters, limit=100)
            if cursor:
                params["cursor"] = cursor
            r = self.call("GET", "/v1/audit?" + urllib.parse.urlencode(params), token=tok)
            self.assertEqual(r.status, 200, r)
            doc = r.json()
            items += doc["items"]
            cursor = doc["next_cursor"]
            if not cursor:
                return items
        self.fail("audit pages do not end")

    def verify(self, org="A", headers=None):
        r = self.call("GET", "/v1/audit/verify", token=self.token(org, "admin"),
                      headers=headers)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def org_id(self, org):
        return self.world[org].id

    def test_every_write_is_recorded(self):
        by_rid = {}
        for e in self.entries():
            by_rid.setdefault(e["request_id"], []).append(e)
        for w in self.writes:
            with self.subTest(action=w["action"]):
                self.assertIn(w["rid"], by_rid, "no audit entry carries our request id")
                self.assertEqual(len(by_rid[w["rid"]]), 1)
                e = by_rid[w["rid"]][0]
                self.assertEqual(e["action"], w["action"])
                self.assertEqual(e["entity_type"], w["entity_type"])
                if w["action"] not in ("staff.import",):
                    self.assertEqual(e["entity_id"], w["entity_id"])
                self.assertEqual(e["actor_type"], "user")
                self.assertEqual(e["actor_id"], w["actor"])
                self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")
                self.assertIsNotNone(e["occurred_at"])

    def test_before_and_after(self):
        by_action = {e["action"]: e for e in self.entries()}
        create = by_action["staff.create"]
        self.assertIsNone(create["before"])
        self.assertEqual(create["after"]["full_name"], "Đoàn Thị Kiểm Toán")
        self.assertEqual(create["after"]["version"], 1)
        upd = by_action["staff.update"]
        self.assertEqual(upd["before"]["position"], "")
        self.assertEqual(upd["before"]["version"], 1)
        self.assertEqual(upd["after"]["position"], "Kiểm toán viên")
        self.assertEqual(upd["after"]["version"], 2)
        self.assertEqual(upd["after"], self.patched)
        imp = by_action["staff.import"]
        self.assertEqual(imp["after"]["count"], 2)
        ids = ",".join(str(i) for i in imp["after"]["ids"])
        names = json.loads(self.sql(
            f"SELECT json_agg(full_name ORDER BY id) FROM staff WHERE id IN ({ids})"))
        self.assertEqual(names, ["Lâm Văn Nhập", "Lâm Thị Nhập"])
        self.assertEqual(by_action["unit.create"]["after"]["code"], "TDKT")
        self.assertEqual(by_action["user.create"]["after"]["username"], "kiem.toan")
        self.assertIsNotNone(by_action["client.revoke"]["after"]["revoked_at"])

    def test_no_secrets_in_the_trail(self):
        text = self.sql("SELECT string_agg(coalesce(before::text, '') || coalesce(after::text, '')"
                        ", ' ') FROM audit_log")
        self.assertNotIn(PASSWORD, text)
        self.assertNotIn("argon2", text)
        self.assertNotIn("password_hash", text)
        self.assertNotIn("secret", text)

    def test_log_ins_are_recorded(self):
        logins = self.entries(action="auth.login")
        self.assertTrue(logins)
        self.assertTrue({e["actor_id"] for e in logins} <=
                        {str(u["id"]) for u in self.world["A"].users.values()})

    def test_filters_and_pages(self):
        sid = str(self.staff["id"])
        items = self.entries(entity_type="staff", entity_id=sid)
        self.assertEqual([e["action"] for e in items], ["staff.update", "staff.create"])
        all_items = self.entries()
        seqs = [e["seq"] for e in all_items]
        self.assertEqual(seqs, sorted(seqs, reverse=True))
        self.assertEqual(seqs, list(range(len(seqs), 0, -1)), "gaps or repeats in seq")
        # small pages give the same entries
        tok = self.token("A", "admin")
        got, cursor = [], None
        while True:
            url = "/v1/audit?limit=3" + (f"&cursor={cursor}" if cursor else "")
            doc = self.call("GET", url, token=tok).json()
            got += [e["seq"] for e in doc["items"]]
            cursor = doc["next_cursor"]
            if not cursor:
                break
        self.assertEqual(got[:len(seqs)], seqs[:len(got)])
        self.assertEqual(self.entries(action="no.such.action"), [])

    def test_failed_writes_are_not_recorded(self):
        tok, viewer = self.token("A", "admin"), self.token("A", "viewer")  # log-ins are audited
        before = self.count("audit_log")
        self.call("POST", "/v1/staff", token=tok, body={"full_name": "Thiếu"})
        self.call("PATCH", f"/v1/staff/{self.staff['id']}", token=tok,
                  body={"position": "x"}, headers={"If-Match": '"1"'})  # stale
        self.call("POST", "/v1/units", token=viewer,
                  body={"code": "NO", "name": "Không", "kind": "other"})
        self.assertEqual(self.count("audit_log"), before)

    def test_z_tampering_is_detected(self):
        # named to run last in this class: it breaks organisation A's chain
        a, b = self.org_id("A"), self.org_id("B")
        ok_a, ok_b = self.verify("A"), self.verify("B")
        self.assertTrue(ok_a["ok"], ok_a)
        self.assertTrue(ok_b["ok"], ok_b)
        self.assertIsNone(ok_a["first_broken_seq"])
        self.assertEqual(ok_a["checked"], self.count("audit_log", f"organization_id = {a}"))
        self.assertGreaterEqual(ok_a["checked"], 6)

        # without disabling the trigger, the table is append-only, even for a superuser
        for stmt in (f"UPDATE audit_log SET after = '{{\"x\":1}}' WHERE organization_id = {a} "
                     "AND seq = 2",
                     f"DELETE FROM audit_log WHERE organization_id = {a} AND seq = 3",
                     "TRUNCATE audit_log"):
            with self.subTest(stmt=stmt.split()[0]):
                with self.assertRaises(RuntimeError) as cm:
                    self.sql(stmt)
                self.assertIn("append-only", str(cm.exception))
        self.assertTrue(self.verify("A")["ok"])

        def as_superuser(stmt):
            self.sql("BEGIN; ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
                     f"{stmt}; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only; "
                     "COMMIT;")

        original = self.sql(f"SELECT after::text FROM audit_log WHERE organization_id = {a} "
                            "AND seq = 2")
        as_superuser(f"UPDATE audit_log SET after = '{{\"x\":1}}' WHERE organization_id = {a} "
                     "AND seq = 2")
        v = self.verify("A")
        self.assertFalse(v["ok"], v)
        self.assertEqual(v["first_broken_seq"], 2, v)
        # why: a value of the contract's enum, the same in every language
        self.assertEqual(v["reason"], "content does not match its hash")
        en = self.verify("A", EN)
        self.assertEqual(en["reason"], v["reason"])
        # the reason stays a value to switch on; its sentence follows the language
        self.assertEqual(en["explanation"], "content does not match its hash")
        self.assertNotEqual(v["explanation"], en["explanation"])
        self.assertIn("băm", v["explanation"])
        self.assertTrue(self.verify("B")["ok"], "B's chain was touched")
        self.assertIsNone(self.verify("B")["reason"])

        # putting the content back restores the chain: the hash covers content only
        self.assertNotEqual(original, "")
        as_superuser(f"UPDATE audit_log SET after = {sql_text(original)}::jsonb "
                     f"WHERE organization_id = {a} AND seq = 2")
        self.assertTrue(self.verify("A")["ok"])

        # deleting a middle entry is found at the next one
        as_superuser(f"DELETE FROM audit_log WHERE organization_id = {a} AND seq = 4")
        v = self.verify("A")
        self.assertFalse(v["ok"], v)
        self.assertEqual(v["first_broken_seq"], 5, v)
        self.assertTrue(self.verify("B")["ok"], "B's chain was touched")

        # in B: editing the actor or the request id, or moving an entry, is found
        as_superuser(f"UPDATE audit_log SET actor_id = '1' WHERE organization_id = {b} "
                     "AND seq = 1")
        v = self.verify("B")
        self.assertFalse(v["ok"], v)
        self.assertEqual(v["first_broken_seq"], 1, v)

    def test_z_deleted_tail_is_detected(self):
        # in a third chain of its own: an organisation made here
        self.sql("INSERT INTO organizations (code, name) VALUES ('TAIL', 'Tổ chức đuôi')")
        org = int(self.sql("SELECT id FROM organizations WHERE code = 'TAIL'"))
        for i in range(3):
            self.sql(f"SELECT audit_append({org}, 'system', 'test', 'test.write', 'thing', "
                     f"'{i}', NULL, '{{\"i\": {i}}}', 'rid-{i}')")
        self.sql(f"INSERT INTO users (organization_id, username, display_name, password_hash, "
                 f"roles) SELECT {org}, 'tail.admin', 'Tail', password_hash, '{{admin}}' "
                 f"FROM users WHERE username = 'a.admin'")
        tok = self.password_grant("tail.admin").json()["access_token"]  # audits seq 4
        r = self.call("GET", "/v1/audit/verify", token=tok)
        self.assertTrue(r.json()["ok"], r)
        self.assertEqual(r.json()["checked"], 4)
        self.sql("BEGIN; ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
                 f"DELETE FROM audit_log WHERE organization_id = {org} AND seq = 4; "
                 "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only; COMMIT;")
        v = self.call("GET", "/v1/audit/verify", token=tok).json()
        self.assertFalse(v["ok"], v)
        self.assertEqual(v["first_broken_seq"], 4, v)
        self.assertEqual(v["head_seq"], 4, v)
        self.assertEqual(v["reason"], "entries after this point are missing")


if __name__ == "__main__":
    main()
