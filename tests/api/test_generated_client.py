"""A client generated from the contract walks the portal's and the bloc's
flows against the real service (issue 14 §4): openapi-typescript makes the
types from api-spec/openapi.yaml, openapi-fetch makes the calls, and
tests/client/flows.ts is compiled with `tsc --strict` against those types
(a member the code reads that the contract does not declare, or a request
it does not allow, fails the build), then run.  The tools are the pinned
ones of tests/tools (installed by tests/tools/ensure.sh)."""

import json
import os
import shutil
import subprocess
import tempfile

from harness import SOURCE_DIR, main
from identity import IdentityTest, add_client

TOOLS = os.path.join(SOURCE_DIR, "tests", "tools")
BIN = os.path.join(TOOLS, "node_modules", ".bin")


def run(args, **kw):
    out = subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)
    if out.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({out.returncode}):\n"
                             f"{out.stdout}\n{out.stderr}")
    return out.stdout


class GeneratedClientTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run(["bash", os.path.join(TOOLS, "ensure.sh")])
        cls.work = tempfile.mkdtemp(prefix="thidua-client-")
        for f in ("flows.ts", "tsconfig.json"):
            shutil.copy(os.path.join(SOURCE_DIR, "tests", "client", f), cls.work)
        os.symlink(os.path.join(TOOLS, "node_modules"), os.path.join(cls.work, "node_modules"))
        run([os.path.join(BIN, "openapi-typescript"),
             os.path.join(SOURCE_DIR, "api-spec", "openapi.yaml"),
             "-o", os.path.join(cls.work, "schema.d.ts")])
        run([os.path.join(BIN, "tsc"), "-p", cls.work, "--outDir", os.path.join(cls.work, "out")])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def test_the_portal_and_the_bloc_through_the_generated_client(self):
        a = self.world["A"]
        code = self.sql(f"SELECT code FROM organizations WHERE id = {a.id}")
        # a consolidation sent, for the portal's feed
        pid = self.sql(
            "WITH t AS (INSERT INTO report_templates (organization_id, code, version, title, "
            f"fields) VALUES ({a.id}, 'bc-client', 1, 'Mẫu', '[{{\"key\": \"n\", \"label\": "
            "\"Số\", \"type\": \"number\"}]'::jsonb) RETURNING id) "
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) SELECT {a.id}, t.id, 'ad_hoc', 'Đột xuất', '2026-01-01', "
            "'2026-06-30', '2026-07-10' FROM t RETURNING id")
        office = self.token("A", "secretariat")
        k = self.call("POST", f"/v1/report-periods/{pid}/consolidations", token=office).json()
        sent = self.call("POST", f"/v1/consolidations/{k['id']}/send", token=office,
                         headers={"If-Match": f'"{k["version"]}"'}).json()
        # a bloc of a province, A its member and the head of 2018, a table set
        prov = self.sql("INSERT INTO organizations (code, name, kind) VALUES ('TINH-CLIENT', "
                        "'Tỉnh thử', 'province') RETURNING id")
        self.sql(f"INSERT INTO province_members (province_id, member_id, valid_from) VALUES "
                 f"({prov}, {a.id}, '2015-01-01')")
        bid = self.sql(f"INSERT INTO blocs (province_id, code, name) VALUES ({prov}, "
                       "'KHOI-CLIENT', 'Khối thử') RETURNING id")
        self.sql(f"INSERT INTO bloc_members (bloc_id, member_id, valid_from) VALUES "
                 f"({bid}, {a.id}, '2018-01-01')")
        self.sql("INSERT INTO bloc_years (bloc_id, year, head_id, criteria) VALUES "
                 f"({bid}, 2018, {a.id}, '[{{\"code\": \"C1\", \"title\": \"Nhiệm vụ\", "
                 "\"max_points\": 60}]')")
        bloc_secret = add_client(self.db, a, "a-bloc-client", "{bloc:read,bloc:score}")
        portal_id, portal_secret = a.clients["portal"]
        env = dict(os.environ, THIDUA_URL=f"http://127.0.0.1:{self.svc.port}",
                   PORTAL_ID=portal_id, PORTAL_SECRET=portal_secret,
                   BLOC_ID="a-bloc-client", BLOC_SECRET=bloc_secret, BLOC=bid, YEAR="2018",
                   MEMBER=str(a.id))
        out = json.loads(run(["node", os.path.join(self.work, "out", "flows.js")], env=env))
        self.assertEqual(out["portal"]["organization"], code)
        self.assertIn({"id": k["id"], "number": sent["number_text"], "organization": code,
                       "supersedes": None}, out["portal"]["consolidations"])
        self.assertEqual(out["bloc"]["blocs"], ["KHOI-CLIENT"])
        self.assertEqual(out["bloc"]["ranking"], [{"rank": 1, "member": code,
                                                   "result": "42.00"}])
        # the scoring went in, in A's trail, as its machine client's
        self.assertEqual(self.count("audit_log", f"organization_id = {a.id} AND action = "
                                    "'bloc.score' AND actor_id = 'a-bloc-client'"), 1)


if __name__ == "__main__":
    main()
