"""A province reads across the agencies it groups (issue 14 §1, for issue 11's
province-wide batch): its members on a day, and every checked list of a year,
streamed.

The seeded agencies A and B of identity.py belong to the province P from
2020; B leaves it on 30/06/2025 for the province Q (a merger, dated), so a
read as on 30/06/2025 sees both and one as on 01/07/2025 sees A alone.  P has
accounts of the organisation-wide roles and two machine clients (province:read, and
integration:read alone); agencies' callers are refused with 403.
"""

import json
import signal
import socket
import time
import uuid

from harness import EN, main, send_raw
from identity import add_client, password_hash, sql_text
from test_year_end import CSTDCS, LDTT, YearEndBase

PROVINCE_READERS = ("admin", "secretariat", "leader", "viewer")
# a province's accounts (a unit head or a staff member needs a unit of its own)
PROVINCE_ROLES = PROVINCE_READERS + ("council",)


class ProvinceBase(YearEndBase):
    """The two provinces, their accounts and clients, and the memberships."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        h = sql_text(password_hash())
        cls.prov = {}
        for code, name in (("TINH-P", "Tỉnh Phú Thịnh"), ("TINH-Q", "Tỉnh Quảng An")):
            pid = int(cls.sql(
                "INSERT INTO organizations (code, name, kind) VALUES "
                f"({sql_text(code)}, {sql_text(name)}, 'province') RETURNING id"))
            cls.prov[code] = pid
        p = cls.prov["TINH-P"]
        for role in PROVINCE_ROLES:
            cls.sql("INSERT INTO users (organization_id, username, display_name, password_hash, "
                    f"roles) VALUES ({p}, 'p.{role}', 'Sở Nội vụ – {role}', {h}, "
                    f"ARRAY[{sql_text(role)}])")
        a, b = cls.world["A"].id, cls.world["B"].id
        cls.sql("INSERT INTO province_members (province_id, member_id, valid_from, valid_until) "
                f"VALUES ({p}, {a}, '2020-01-01', NULL), ({p}, {b}, '2020-01-01', '2025-06-30'),"
                f" ({cls.prov['TINH-Q']}, {b}, '2025-07-01', NULL)")

        class P:
            id = p
        cls.secrets = {
            "p-portal": add_client(cls.db, P, "p-portal", "{province:read}"),
            "p-feeds": add_client(cls.db, P, "p-feeds", "{integration:read}"),
        }

    def ptoken(self, role):
        k = ("user", "P", role)
        if k not in self._tokens:
            r = self.password_grant(f"p.{role}")
            self.assertEqual(r.status, 200, r)
            self._tokens[k] = r.json()["access_token"]
        return self._tokens[k]

    def pclient(self, cid):
        k = ("client", "P", cid)
        if k not in self._tokens:
            r = self.client_grant(cid, self.secrets[cid])
            self.assertEqual(r.status, 200, r)
            self._tokens[k] = r.json()["access_token"]
        return self._tokens[k]

    def pget(self, path, token=None, headers=None):
        return self.call("GET", path, token=token or self.ptoken("viewer"), headers=headers,
                         timeout=60)

    def round_with(self, org, year, n):
        """A round of org for year with n people nominated for LĐTT (two also
        for CSTĐCS); its id."""
        r = self.post("/v1/review-rounds", {
            "year": year, "kind": "annual", "name": f"Bình xét năm {year} {uuid.uuid4().hex[:6]}",
            "deadline": f"{year + 5}-12-15", "dossier_date": f"{year}-12-20"}, org=org)
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        for i in range(n):
            sid = self.person("2015-01-01", org=org)
            self.rate(sid, year, "excellent" if i % 2 else "good", org=org)
            for title in (LDTT, CSTDCS) if i < 2 else (LDTT,):
                r = self.post(f"/v1/review-rounds/{rid}/nominations",
                              {"award_code": title, "subject_kind": "staff", "staff_id": sid},
                              org=org)
                self.assertEqual(r.status, 201, r)
        return rid


class ProvinceTest(ProvinceBase):

    # -- members ------------------------------------------------------------

    def test_members_by_day_follow_the_merger(self):
        before = self.pget("/v1/province/members?on=2025-06-30")
        self.assertEqual(before.status, 200, before)
        doc = before.json()
        self.assertEqual(doc["on"], "2025-06-30")
        names = [m["code"] for m in doc["items"]]
        self.assertEqual(sorted(names), sorted([self.code("A"), self.code("B")]))
        b = next(m for m in doc["items"] if m["id"] == self.world["B"].id)
        self.assertEqual((b["member_from"], b["member_until"]), ("2020-01-01", "2025-06-30"))
        after = self.pget("/v1/province/members?on=2025-07-01").json()
        self.assertEqual([m["id"] for m in after["items"]], [self.world["A"].id])
        # today (no ?on=): A only; before 2020: nobody
        self.assertEqual([m["id"] for m in self.pget("/v1/province/members").json()["items"]],
                         [self.world["A"].id])
        self.assertEqual(self.pget("/v1/province/members?on=2019-12-31").json()["items"], [])

    def code(self, org):
        return self.sql(f"SELECT code FROM organizations WHERE id = {self.world[org].id}")

    def test_members_sorted_the_vietnamese_way(self):
        # Đ sorts after D and before E; a byte order puts it after every ASCII letter
        ids = []
        for code, name in (("X-E", "Ban Quản lý E"), ("X-DD", "Ban Quản lý Đ"),
                           ("X-D", "Ban Quản lý D")):
            oid = self.sql(f"INSERT INTO organizations (code, name) VALUES ('{code}', "
                           f"{sql_text(name)}) RETURNING id")
            ids.append(int(oid))
            self.sql("INSERT INTO province_members (province_id, member_id, valid_from, "
                     f"valid_until) VALUES ({self.prov['TINH-P']}, {oid}, '2010-01-01', "
                     "'2010-12-31')")
        items = self.pget("/v1/province/members?on=2010-06-01").json()["items"]
        self.assertEqual([m["name"] for m in items],
                         ["Ban Quản lý D", "Ban Quản lý Đ", "Ban Quản lý E"])

    def test_membership_is_checked_by_the_database(self):
        p, a = self.prov["TINH-P"], self.world["A"].id
        q = self.prov["TINH-Q"]
        bad = [
            # an agency in two provinces on the same days
            f"({q}, {a}, '2024-01-01', NULL)",
            # an agency as a province, a province as a member
            f"({a}, {self.world['B'].id}, '2030-01-01', NULL)",
            f"({p}, {q}, '2030-01-01', NULL)",
            # a span that ends before it begins
            f"({q}, {a}, '2031-01-01', '2030-01-01')",
        ]
        before = self.count("province_members")
        for values in bad:
            with self.subTest(values=values):
                self.sql("INSERT INTO province_members (province_id, member_id, "
                         f"valid_from, valid_until) VALUES {values}", check=False)
                self.assertEqual(self.count("province_members"), before)

    # -- the batch ------------------------------------------------------------

    def test_review_lists_are_the_agencies_lists(self):
        ra = self.round_with("A", 2024, 5)
        rb = self.round_with("B", 2024, 3)
        self.round_with("A", 2023, 1)  # another year: not in the batch
        r = self.pget("/v1/province/review-lists?year=2024&on=2025-01-15")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        self.assertIsNone(r.header("Content-Length"))
        doc = r.json()
        self.assertTrue(doc["complete"])
        self.assertEqual((doc["year"], doc["on"]), (2024, "2025-01-15"))
        self.assertEqual(doc["province"]["id"], self.prov["TINH-P"])
        mine = [x for x in doc["lists"] if x["round_id"] in (ra, rb)]
        self.assertEqual(len(mine), 2)
        self.assertEqual(doc["count"], len(doc["lists"]))
        self.assertTrue(all(x["list"]["round"]["year"] == 2024 for x in doc["lists"]))
        for item, org, rid in ((mine[0], "A", ra), (mine[1], "B", rb)) if \
                mine[0]["round_id"] == ra else ((mine[1], "A", ra), (mine[0], "B", rb)):
            with self.subTest(org=org):
                own = self.get(f"/v1/review-rounds/{rid}/list", org=org)
                self.assertEqual(own.status, 200, own)
                self.assertEqual(item["organization"]["id"], self.world[org].id)
                self.assertEqual(item["list"], own.json())
                self.assertEqual(item["etag"], own.header("ETag"))
        # after the merger B's lists belong to Q, not to P
        later = self.pget("/v1/province/review-lists?year=2024&on=2025-07-01").json()
        self.assertNotIn(rb, [x["round_id"] for x in later["lists"]])
        self.assertIn(ra, [x["round_id"] for x in later["lists"]])

    def test_review_lists_in_english_on_request(self):
        self.round_with("A", 2022, 1)
        vi = self.pget("/v1/province/review-lists?year=2022").json()
        en = self.pget("/v1/province/review-lists?year=2022", headers=EN)
        self.assertEqual(en.header("Content-Language"), "en")
        name_vi = vi["lists"][0]["list"]["titles"][0]["title_name"]
        name_en = en.json()["lists"][0]["list"]["titles"][0]["title_name"]
        self.assertNotEqual(name_vi, name_en)

    def test_round_without_a_rule_set_is_an_item_with_its_problem(self):
        r = self.post("/v1/review-rounds", {
            "year": 2012, "kind": "annual", "name": "Bình xét năm 2012",
            "deadline": "2030-12-15", "dossier_date": "2012-12-20"})
        self.assertEqual(r.status, 201, r)
        rid = r.json()["id"]
        own = self.get(f"/v1/review-rounds/{rid}/list")
        doc = self.pget("/v1/province/review-lists?year=2012&on=2024-01-01").json()
        item = next(x for x in doc["lists"] if x["round_id"] == rid)
        self.assertIsNone(item["list"])
        self.assertIsNone(item["etag"])
        self.assertEqual(item["problem"]["type"], own.json()["type"])
        self.assertEqual(item["problem"]["status"], own.status)
        self.assertTrue(doc["complete"])

    def test_a_year_without_rounds_is_an_empty_batch(self):
        doc = self.pget("/v1/province/review-lists?year=2099").json()
        self.assertEqual((doc["lists"], doc["count"], doc["complete"]), ([], 0, True))

    def test_bad_queries_name_the_parameter(self):
        for query, pointer in (("", "/query/year"), ("?year=abc", "/query/year"),
                               ("?year=1999", "/query/year"),
                               ("?year=2024&on=2025-13-01", "/query/on"),
                               ("?year=2024&bogus=1", "/query/bogus")):
            with self.subTest(query=query):
                r = self.pget("/v1/province/review-lists" + query)
                doc = self.assertProblem(r, 400)
                self.assertIn(pointer, json.dumps(doc))
        r = self.pget("/v1/province/members?on=yesterday")
        self.assertIn("/query/on", json.dumps(self.assertProblem(r, 400)))

    # -- who may read ---------------------------------------------------------

    def test_province_readers_and_client_are_granted(self):
        for role in PROVINCE_READERS:
            with self.subTest(role=role):
                r = self.pget("/v1/province/members", token=self.ptoken(role))
                self.assertEqual(r.status, 200, r)
        r = self.pget("/v1/province/review-lists?year=2024", token=self.pclient("p-portal"))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["complete"])

    def test_other_roles_and_scopes_of_the_province_are_refused(self):
        tokens = {"p.council": self.ptoken("council")}
        tokens["p-feeds"] = self.pclient("p-feeds")
        for who, token in tokens.items():
            for path in ("/v1/province/members", "/v1/province/review-lists?year=2024"):
                with self.subTest(who=who, path=path):
                    r = self.pget(path, token=token)
                    self.assertProblem(r, 403, "forbidden")
                    self.assertIn("insufficient_scope", r.header("WWW-Authenticate") or "")

    def test_agencies_are_refused_whatever_their_role(self):
        callers = {f"{o}.{r}": self.token(o, r) for o in ("A", "B") for r in PROVINCE_READERS}
        callers["a-portal"] = self.client_token("A", "portal")
        for who, token in callers.items():
            for path in ("/v1/province/members", "/v1/province/review-lists?year=2024"):
                with self.subTest(who=who, path=path):
                    r = self.call("GET", path, token=token)
                    self.assertProblem(r, 403, "forbidden")

    def test_province_reads_nothing_of_an_agency_through_agency_routes(self):
        rid = self.round_with("A", 2021, 1)
        sid = self.world["A"].staff["Trần Thị Bình"]
        for role in PROVINCE_READERS:
            token = self.ptoken(role)
            with self.subTest(role=role):
                self.assertProblem(self.pget(f"/v1/review-rounds/{rid}/list", token=token), 404)
                self.assertProblem(self.pget(f"/v1/staff/{sid}", token=token), 404)
                staff = self.pget("/v1/staff", token=token)
                self.assertEqual(staff.json()["items"], [])
                rounds = self.pget("/v1/review-rounds", token=token).json()["items"]
                self.assertEqual(rounds, [])

    def test_only_a_province_client_may_hold_province_read(self):
        r = self.call("POST", "/v1/clients", token=self.token("A", "admin"), body={
            "client_id": f"a-sly-{uuid.uuid4().hex[:6]}", "name": "Cổng lạ",
            "scopes": ["province:read"]})
        doc = self.assertProblem(r, 422, "validation")
        self.assertIn("/scopes", json.dumps(doc))
        self.assertEqual(self.count("clients", "client_id LIKE 'a-sly-%'"), 0)
        r = self.call("POST", "/v1/clients", token=self.ptoken("admin"), body={
            "client_id": f"p-portal-{uuid.uuid4().hex[:6]}", "name": "Cổng tỉnh",
            "scopes": ["province:read"]})
        self.assertEqual(r.status, 201, r)

    # -- the stream -----------------------------------------------------------

    def raw_get(self, path):
        s = socket.create_connection(("127.0.0.1", self.svc.port), timeout=30)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  f"{self.ptoken('viewer')}\r\n\r\n".encode())
        return s

    def test_http_1_0_client_reads_the_batch_to_the_close(self):
        self.round_with("B", 2020, 2)
        data = send_raw(self.svc.port, (
            "GET /v1/province/review-lists?year=2020&on=2024-01-01 HTTP/1.0\r\n"
            f"Authorization: Bearer {self.ptoken('viewer')}\r\n\r\n").encode(),
            timeout=30, until=b"never: read to the close")
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertIn(b" 200 ", head.split(b"\r\n")[0])
        self.assertNotIn(b"chunked", head.lower())
        self.assertTrue(json.loads(body)["complete"])

    def test_a_client_that_leaves_mid_stream_harms_nobody(self):
        self.round_with("A", 2019, 3)
        for _ in range(5):
            s = self.raw_get("/v1/province/review-lists?year=2019")
            s.recv(100)
            s.close()
        deadline = time.time() + 20
        while time.time() < deadline:
            m = self.call("GET", "/metrics").body.decode()
            if 'thidua_heavy_requests{state="computing"} 0' in m:
                break
            time.sleep(0.2)
        self.assertIn('thidua_heavy_requests{state="computing"} 0', m)
        self.assertRegex(m, r"thidua_http_streams_total [1-9]")
        r = self.pget("/v1/province/review-lists?year=2019")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["complete"])


class ProvinceStreamTest(ProvinceBase):
    """The stream under a client that stops reading and under SIGTERM, with
    lists large enough (four rounds of 3,000 nominations, about 8 MB) to
    fill the stream's window and the sockets' buffers many times."""

    BIG = 3000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.sql("INSERT INTO staff (organization_id, unit_id, full_name, gender, "
                "employment_type, start_date) SELECT "
                f"{a.id}, {a.units['C']}, 'Người thử ' || i, 'female', 'civil_servant', "
                f"'2010-01-01' FROM generate_series(1, {cls.BIG}) i")
        for k in range(4):
            rid = cls.sql(
                "INSERT INTO review_rounds (organization_id, year, kind, name, deadline, "
                f"dossier_date) VALUES ({a.id}, 2018, 'annual', 'Bình xét lớn {k}', "
                "'2030-12-15', '2018-12-20') RETURNING id")
            cls.sql("INSERT INTO nominations (organization_id, round_id, award_code, "
                    f"subject_kind, staff_id, nominated_by) SELECT {a.id}, {rid}, "
                    f"'{LDTT}', 'staff', id, 'test' FROM staff WHERE organization_id = {a.id} "
                    "AND full_name LIKE 'Người thử %'")

    def service(self, **env):
        from harness import Service
        from identity import KID
        e = {"THIDUA_JWT_PRIVATE_KEY_FILE": self.key.private_path, "THIDUA_JWT_KID": KID}
        e.update(env)
        return Service(self.db, env=e).start()

    def gauges(self, svc):
        text = svc.get("/metrics").body.decode()
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out

    def request_on(self, svc, rcvbuf=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(30)
        s.connect(("127.0.0.1", svc.port))
        s.sendall(b"GET /v1/province/review-lists?year=2018 HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + self.ptoken("viewer").encode() + b"\r\n\r\n")
        return s

    def test_the_whole_batch_is_large_and_whole(self):
        doc = self.pget("/v1/province/review-lists?year=2018").json()
        self.assertTrue(doc["complete"])
        self.assertEqual(sum(len(t["candidates"]) for x in doc["lists"]
                             for t in x["list"]["titles"]), 4 * self.BIG)

    def test_a_client_that_stops_reading_frees_the_thread_and_connection(self):
        svc = self.service(THIDUA_IDLE_TIMEOUT_S="3")
        try:
            s = self.request_on(svc, rcvbuf=4096)
            s.recv(1)  # the head has come: the batch is being written
            deadline = time.time() + 30
            while time.time() < deadline:
                g = self.gauges(svc)
                if g["thidua_http_streams_cut_total"] >= 1:
                    break
                time.sleep(0.3)
            self.assertEqual(g["thidua_http_streams_cut_total"], 1)
            self.assertEqual(g['thidua_heavy_requests{state="computing"}'], 0)
            self.assertEqual(g['thidua_db_pool_connections{state="in_use"}'], 0)
            s.close()
            r = svc.get("/v1/province/members",
                        headers={"Authorization": f"Bearer {self.ptoken('viewer')}"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(svc.stop(timeout=30), 0)
        finally:
            svc.stop(timeout=30)

    def test_sigterm_lets_a_batch_being_streamed_finish(self):
        svc = self.service(THIDUA_SHUTDOWN_DEADLINE_S="30")
        try:
            s = self.request_on(svc)
            data = s.recv(65536)
            while len(data) < 2 * 1024 * 1024:  # read slowly: the batch is still being written
                data += s.recv(65536)
                time.sleep(0.01)
            svc.proc.send_signal(signal.SIGTERM)
            while True:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
                if data.endswith(b"0\r\n\r\n"):
                    break
            s.close()
            head, _, body = data.partition(b"\r\n\r\n")
            self.assertIn(b"chunked", head.lower())
            self.assertTrue(body.endswith(b"0\r\n\r\n"))
            self.assertIn(b'"complete":true}', body[-64:])
            self.assertEqual(svc.stop(timeout=30), 0)
        finally:
            svc.stop(timeout=30)


if __name__ == "__main__":
    main()
