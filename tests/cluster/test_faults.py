"""The cluster test (ctest label "cluster"): deploy/cluster/cluster.sh brings
up three Patroni nodes with etcd, PgBouncer, HAProxy and two service replicas;
report submissions with Idempotency-Key retries and authenticated reads go
through HAProxy while the test, in turn,

  * pauses Patroni and kills the primary's postmaster (no primary at all for
    a while), then resumes it: a standby takes over;
  * kills the primary's postmaster with Patroni running (plain failover);
  * restarts PgBouncer;
  * stops a replica with SIGTERM (readiness first, nothing fails), then the
    other with SIGKILL;
  * cuts a replica off from PgBouncer with nftables for a while.

It counts what the clients saw in each phase and checks at the end: every
acknowledged submission is in the database exactly once and none that was not
acknowledged; no retry of a key was refused as a duplicate; no 500, no answer
slower than the hang bound, every 503 with Retry-After; the audit chain
verifies.  Then, across the replicas: a disabled account, a revoked client and
a removed role stop working on the other replica within seconds.

The figures (failover time, errors per phase) are printed as JSON and written
to $THIDUA_CLUSTER_REPORT when it is set.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

ROOT = os.environ.get("THIDUA_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
CLUSTER = os.path.join(ROOT, "deploy", "cluster", "cluster.sh")
DIR = os.environ.setdefault("THIDUA_CLUSTER_DIR", "/tmp/thidua-cluster-test")
HANG_S = 15.0  # an answer slower than this is a hang
UNITS = 20000
WRITERS = 4
READERS = 2


def sh(*args, check=True, timeout=300):
    r = subprocess.run([CLUSTER, *args], capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"cluster.sh {' '.join(args)}: {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def cluster_env():
    env = {}
    for line in sh("env").splitlines():
        k, _, v = line.partition("=")
        env[k] = v
    return env


def psql(url, sql, *extra):
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", *extra, url,
                        "-c", sql], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"psql: {r.stderr}")
    return r.stdout.strip()


def request(port, method, path, body=None, headers=None, timeout=HANG_S):
    """(status, headers dict lower-cased, body bytes) or raises OSError."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        h = {"Content-Type": "application/json"} if data is not None else {}
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def token(port, grant):
    st, _, body = request(port, "POST", "/v1/auth/token", grant)
    if st != 200:
        raise AssertionError(f"token: {st} {body[:300]!r}")
    return json.loads(body)["access_token"]


def patroni(port, path="/cluster"):
    st, _, body = request(port, "GET", path, timeout=3)
    return st, (json.loads(body) if body[:1] == b"{" else None)


def submission(unit_id, i):
    """A submission satisfying the template of bench/seed_reports.sql."""
    received = 20 + i % 180
    on_time = received - i % 7
    return {"unit_id": unit_id, "submit": True,
            "answers": {"so_nguoi_quan_triet": 5 + i % 40, "tthc_tiep_nhan": received,
                        "tthc_dung_han": on_time, "so_sang_kien": i % 4,
                        "ket_qua": f"Báo cáo số {i} gửi qua cụm máy chủ."}}


class Load:
    """Writers submit (period, unit) pairs in order, each until acknowledged,
    retrying with the same Idempotency-Key; readers read the period."""

    def __init__(self, port, period, unit0, client_token, reader_token, nonce):
        self.port, self.period, self.unit0 = port, period, unit0
        self.client_token, self.reader_token, self.nonce = client_token, reader_token, nonce
        self.lock = threading.Lock()
        self.next_i = 0
        self.stop = threading.Event()
        self.phase = "warmup"
        self.events = []      # (phase, kind, outcome, started, elapsed)
        self.acks = {}        # unit index -> submission id
        self.ack_times = []   # (phase, end time)
        self.violations = []
        self.replays = 0
        self.last_ack_started = 0.0
        self.threads = []

    def take(self):
        with self.lock:
            i = self.next_i
            self.next_i += 1
            return i

    def note(self, kind, outcome, started, headers=None, status=None):
        elapsed = time.monotonic() - started
        with self.lock:
            self.events.append((self.phase, kind, outcome, started, elapsed))
            if elapsed >= HANG_S:
                self.violations.append(f"{self.phase}: {kind} took {elapsed:.1f} s ({outcome})")
            if status == 503 and not (headers or {}).get("retry-after"):
                self.violations.append(f"{self.phase}: {kind} 503 without Retry-After "
                                       f"({(headers or {}).get('content-type')})")
            if status == 503 and "problem+json" not in (headers or {}).get("content-type", ""):
                self.violations.append(f"{self.phase}: {kind} 503 not a problem")
            if status is not None and status == 500:
                self.violations.append(f"{self.phase}: {kind} answered 500")

    def writer(self):
        path = f"/v1/report-periods/{self.period}/submissions"
        while not self.stop.is_set():
            i = self.take()
            if i >= UNITS:
                return
            key = f"{self.nonce}-{i}"
            tries = 0
            while True:
                tries += 1
                t0 = time.monotonic()
                try:
                    st, h, b = request(self.port, "POST", path, submission(self.unit0 + i, i),
                                       {"Authorization": "Bearer " + self.client_token,
                                        "Idempotency-Key": key})
                except OSError as e:
                    self.note("write", type(e).__name__, t0)
                    time.sleep(0.2)
                    continue
                self.note("write", st, t0, h, st)
                if st in (200, 201):
                    time.sleep(0.01)  # a steady load, not a benchmark
                    with self.lock:
                        self.acks[i] = json.loads(b)["id"]
                        self.ack_times.append((self.phase, time.monotonic()))
                        self.last_ack_started = max(self.last_ack_started, t0)
                        if h.get("idempotent-replayed") == "true":
                            self.replays += 1
                    break
                if st == 503:
                    time.sleep(min(float(h.get("retry-after", "1")), 1.0))
                elif st in (502, 504):
                    time.sleep(0.2)
                else:
                    with self.lock:
                        self.violations.append(
                            f"{self.phase}: unit {i} (try {tries}) answered {st}: {b[:300]!r}")
                    break

    def reader(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            with self.lock:
                sid = self.acks.get(max(0, self.next_i - 50 - n % 50))
            path = f"/v1/submissions/{sid}" if sid and n % 2 else f"/v1/report-periods/{self.period}"
            t0 = time.monotonic()
            try:
                st, h, _ = request(self.port, "GET", path,
                                   headers={"Authorization": "Bearer " + self.reader_token})
            except OSError as e:
                self.note("read", type(e).__name__, t0)
                time.sleep(0.2)
                continue
            self.note("read", st, t0, h, st)
            if st not in (200, 502, 503, 504):
                with self.lock:
                    self.violations.append(f"{self.phase}: read answered {st}")
            if st != 200:
                time.sleep(0.2)

    def start(self):
        for fn, n in ((self.writer, WRITERS), (self.reader, READERS)):
            for _ in range(n):
                t = threading.Thread(target=fn, daemon=True)
                t.start()
                self.threads.append(t)

    def finish(self, timeout=120):
        self.stop.set()
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.threads)

    def summary(self, phase):
        with self.lock:
            ev = [e for e in self.events if e[0] == phase]
        out = {"requests": len(ev)}
        errors = {}
        for _, kind, outcome, _, _ in ev:
            if outcome in (200, 201):
                continue
            k = f"{kind} {outcome}"
            errors[k] = errors.get(k, 0) + 1
        out["errors"] = errors
        with self.lock:
            ends = sorted(t for p, t in self.ack_times if p == phase)
        out["acks"] = len(ends)
        out["longest_gap_between_acks_s"] = round(
            max((b - a for a, b in zip(ends, ends[1:])), default=0.0), 2)
        return out


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            # killing PostgreSQL's postmaster and nftables need root
            print("cluster_faults: skipped, needs root", file=sys.stderr)
            sys.exit(77)
        sh("down")
        try:
            sh("up", "--no-demo", timeout=900)
        except AssertionError:
            logs = os.path.join(DIR, "log")
            for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
                with open(os.path.join(logs, name), errors="replace") as f:
                    print(f"--- {name} (end)\n" + "".join(f.readlines()[-15:]), file=sys.stderr)
            sh("down", check=False)
            raise
        cls.env = cluster_env()
        cls.http_port = int(cls.env["CLUSTER_HTTP"].rsplit(":", 1)[1])
        cls.db = cls.env["CLUSTER_DB_URL"]
        cls.password = "cluster-pass-" + os.urandom(6).hex()
        cls.secret = "cluster-secret-" + os.urandom(12).hex()
        binary = os.environ.get("THIDUA_BIN")
        hashed = subprocess.run([binary, "hash-password"], input=cls.password + "\n",
                                capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"hash={hashed}",
                        "-v", f"secret={cls.secret}", "-v", f"units={UNITS}", "-v", "periods=2", cls.db,
                        "-f", os.path.join(ROOT, "bench", "seed_reports.sql")],
                       check=True, capture_output=True, timeout=300)
        cls.org = psql(cls.db, "SELECT id FROM organizations WHERE code = 'BENCH-REPORTS'")
        psql(cls.db, f"""INSERT INTO users (organization_id, username, display_name, password_hash, roles)
            VALUES ({cls.org}, 'cluster.admin', 'Quản trị (thử cụm)', '{hashed}', '{{admin}}'),
                   ({cls.org}, 'cluster.viewer', 'Theo dõi (thử cụm)', '{hashed}', '{{secretariat}}'),
                   ({cls.org}, 'cluster.office', 'Quản trị thứ hai (thử cụm)', '{hashed}', '{{admin}}')""")
        cls.period = psql(cls.db, f"""SELECT id FROM report_periods WHERE organization_id = {cls.org}
            AND title = 'Đo hiệu năng: gửi báo cáo số 1'""")
        cls.period2 = psql(cls.db, f"""SELECT id FROM report_periods WHERE organization_id = {cls.org}
            AND title = 'Đo hiệu năng: gửi báo cáo số 2'""")
        cls.unit0 = int(psql(cls.db, f"""SELECT min(id) FROM units WHERE organization_id = {cls.org}
            AND parent_id IS NOT NULL"""))
        cls.report = {}

    @classmethod
    def tearDownClass(cls):
        path = os.environ.get("THIDUA_CLUSTER_REPORT")
        brief = {k: v for k, v in cls.report.items() if k != "audit_verify"}
        if "restore_drill" in brief:
            brief["restore_drill"] = {k: v for k, v in brief["restore_drill"].items()
                                      if k != "audit_verify"}
        print(json.dumps(brief, indent=2, ensure_ascii=False))
        if path:
            with open(path, "w") as f:
                json.dump(cls.report, f, indent=2, ensure_ascii=False)
        if os.environ.get("THIDUA_CLUSTER_KEEP") != "1":
            sh("down", check=False)

    # -- helpers ---------------------------------------------------------------------
    def app_port(self, n):
        return int(self.env["CLUSTER_APP_PORT0"]) + n

    def rest_port(self, n):
        return int(self.env["CLUSTER_REST_PORT0"]) + n

    def login(self, user, port=None):
        return token(port or self.http_port, {"grant_type": "password", "username": user,
                                              "password": self.password})

    def members(self):
        for n in (1, 2, 3):
            try:
                st, doc = patroni(self.rest_port(n))
                if st == 200 and doc:
                    return doc["members"]
            except OSError:
                pass
        return []

    def leader(self):
        return next((m["name"] for m in self.members()
                     if m["role"] == "leader" and m["state"] == "running"), None)

    def healthy(self):
        m = self.members()
        return (len(m) == 3 and all(x["state"] in ("running", "streaming") for x in m)
                and any(x["role"] == "sync_standby" for x in m) and self.leader() is not None)

    def wait(self, what, cond, timeout):
        t0 = time.monotonic()
        while not cond():
            if time.monotonic() - t0 > timeout:
                self.fail(f"{what}: not within {timeout} s")
            time.sleep(0.1)
        return time.monotonic() - t0

    def kill_postmaster(self, name):
        with open(os.path.join(DIR, name, "data", "postmaster.pid")) as f:
            pid = int(f.readline())
        os.kill(pid, signal.SIGKILL)

    def ready(self, n):
        try:
            return request(self.app_port(n), "GET", "/readyz", timeout=3)[0] == 200
        except OSError:
            return False

    def patronictl(self, *args):
        subprocess.run(["patronictl", "-c", os.path.join(DIR, "pg1", "patroni.yml"), *args],
                       check=True, capture_output=True, timeout=60)

    def writes_after(self, load, t, timeout=60):
        """Waits for a write that began after t to be acknowledged."""
        self.wait("writes resume", lambda: load.last_ack_started > t, timeout)

    # -- the faults ------------------------------------------------------------------
    def test_faults_then_revocation(self):
        client_token = token(self.http_port, {"grant_type": "client_credentials",
                                              "client_id": "bench-reports",
                                              "client_secret": self.secret})
        load = Load(self.http_port, self.period, self.unit0, client_token,
                    self.login("bench.reports"), os.urandom(4).hex())
        load.start()
        time.sleep(3)
        phases = {}

        # 1. no primary at all: Patroni paused, the primary's postmaster killed
        load.phase = "no_primary"
        old = self.leader()
        self.patronictl("pause", "--wait")
        self.kill_postmaster(old)
        t0 = time.monotonic()
        time.sleep(10)
        self.patronictl("resume", "--wait")
        t1 = time.monotonic()
        self.writes_after(load, t1)
        phases["no_primary"] = {"paused_s": round(t1 - t0, 1), "old_leader": old,
                                "writes_back_after_resume_s": round(time.monotonic() - t1, 2)}
        phases["no_primary"]["rejoined_s"] = round(self.wait("all three back", self.healthy, 120), 1)
        phases["no_primary"]["new_leader"] = self.leader()
        phases["no_primary"].update(load.summary("no_primary"))
        self.assertTrue(any(o == 503 for p, k, o, _, _ in load.events if p == "no_primary"),
                        "no 503 seen while no primary was reachable")

        # 2. failover: the primary's postmaster killed, Patroni running
        load.phase = "failover"
        time.sleep(2)
        old = self.leader()
        self.kill_postmaster(old)
        t0 = time.monotonic()
        self.wait("a new primary", lambda: self.leader() not in (None, old), 60)
        phases["failover"] = {"old_leader": old, "new_leader": self.leader(),
                              "patroni_failover_s": round(time.monotonic() - t0, 2)}
        self.writes_after(load, t0)
        phases["failover"]["writes_back_after_kill_s"] = round(time.monotonic() - t0, 2)
        phases["failover"]["rejoined_s"] = round(self.wait("all three back", self.healthy, 120), 1)
        time.sleep(2)
        phases["failover"].update(load.summary("failover"))

        # 3. PgBouncer restarted
        load.phase = "pgbouncer"
        time.sleep(2)
        sh("pgbouncer-restart")
        time.sleep(3)
        phases["pgbouncer"] = load.summary("pgbouncer")

        # 4. SIGTERM: not ready first while still serving, then drained
        load.phase = "sigterm"
        time.sleep(2)
        with open(os.path.join(DIR, "run", "app1.pid")) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGTERM)
        t0 = time.monotonic()
        unready_seen = served_while_unready = False
        while time.monotonic() - t0 < 2.0:
            try:
                st, _, _ = request(self.app_port(1), "GET", "/readyz", timeout=2)
                if st == 503:
                    unready_seen = True
                    st2, _, _ = request(self.app_port(1), "GET", "/healthz", timeout=2)
                    served_while_unready |= st2 == 200
            except OSError:
                break
            time.sleep(0.1)
        self.wait("replica 1 exits", lambda: not os.path.exists(f"/proc/{pid}"), 40)
        phases["sigterm"] = {"readyz_503_while_serving": unready_seen and served_while_unready}
        sh("app-start", "1")
        time.sleep(2)
        phases["sigterm"].update(load.summary("sigterm"))
        self.assertTrue(unready_seen and served_while_unready,
                        "readiness did not go false while the replica still served")
        self.assertEqual(phases["sigterm"]["errors"], {},
                         "a replica stopped with SIGTERM failed requests")

        # 5. SIGKILL of the other replica
        load.phase = "sigkill"
        time.sleep(2)
        sh("app-stop", "2", "KILL")
        time.sleep(3)
        sh("app-start", "2")
        time.sleep(2)
        phases["sigkill"] = load.summary("sigkill")

        # 6. replica 1 cut off from PgBouncer (packets dropped) for 12 s
        load.phase = "partition"
        time.sleep(2)
        sh("partition", "1", "on")
        try:
            unready = self.wait("replica 1 unready while cut off", lambda: not self.ready(1), 20)
            time.sleep(max(0.0, 12 - unready))
        finally:
            sh("partition", "1", "off")
        back = self.wait("replica 1 ready again", lambda: self.ready(1), 30)
        time.sleep(2)
        phases["partition"] = {"unready_after_s": round(unready, 1), "ready_after_heal_s": round(back, 1)}
        phases["partition"].update(load.summary("partition"))

        load.phase = "after"
        time.sleep(3)
        self.assertTrue(load.finish(), "a client thread hung")
        phases["after"] = load.summary("after")
        self.report["phases"] = phases
        self.report["acknowledged"] = len(load.acks)
        self.report["replayed_answers"] = load.replays
        self.report["violations"] = load.violations

        # -- the counts ----------------------------------------------------------------
        rows = psql(self.db, f"""SELECT unit_id - {self.unit0}, count(*), min(id) FROM submissions
            WHERE period_id = {self.period} GROUP BY unit_id""")
        stored = {}
        for line in rows.splitlines():
            i, n, sid = line.split("|")
            stored[int(i)] = (int(n), int(sid))
        lost = sorted(set(load.acks) - set(stored))
        unacked = sorted(set(stored) - set(load.acks))
        dup = sorted(i for i, (n, _) in stored.items() if n > 1)
        wrong = sorted(i for i, sid in load.acks.items() if i in stored and stored[i][1] != sid)
        self.report["stored"] = len(stored)
        self.report["lost"], self.report["duplicated"] = len(lost), len(dup)
        self.assertEqual(load.violations, [])
        self.assertEqual(lost, [], "acknowledged submissions missing")
        self.assertEqual(dup, [], "submissions stored twice")
        self.assertEqual(unacked, [], "submissions stored that no client saw acknowledged")
        self.assertEqual(wrong, [], "an acknowledgement named another submission")
        self.assertGreater(len(load.acks), 100)

        # the audit chain
        admin = self.login("cluster.admin")
        st, _, body = request(self.http_port, "GET", "/v1/audit/verify",
                              headers={"Authorization": "Bearer " + admin}, timeout=60)
        self.assertEqual(st, 200, body[:300])
        verdict = json.loads(body)
        self.report["audit_verify"] = verdict
        self.assertIs(verdict.get("ok"), True, verdict)

        # no sanitizer report in any replica's log
        for n in (1, 2):
            with open(os.path.join(DIR, "log", f"app{n}.log"), errors="replace") as f:
                text = f.read()
            self.assertNotIn("Sanitizer", text)
            self.assertNotIn("runtime error:", text)

        self.revocation_across_replicas(admin)

    # -- revocation across replicas ----------------------------------------------------
    def stops_on(self, port, path, bearer, timeout=10):
        """Seconds until bearer is refused (401/403) on port."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            st = request(port, "GET", path, headers={"Authorization": "Bearer " + bearer})[0]
            if st in (401, 403):
                return time.monotonic() - t0
            time.sleep(0.05)
        self.fail(f"{path} still answered on :{port} {timeout} s after the change")

    def etag(self, port, path, headers):
        st, h, body = request(port, "GET", path, headers=headers)
        self.assertEqual(st, 200, body[:300])
        return h["etag"]

    def revocation_across_replicas(self, admin):
        a, b = self.app_port(1), self.app_port(2)
        auth = {"Authorization": "Bearer " + admin}
        path = f"/v1/report-periods/{self.period}"
        out = {}

        # a disabled account
        viewer = self.login("cluster.viewer", a)
        self.assertEqual(request(b, "GET", path, headers={"Authorization": "Bearer " + viewer})[0], 200)
        uid = psql(self.db, "SELECT id FROM users WHERE username = 'cluster.viewer'")
        st, _, body = request(a, "PATCH", f"/v1/users/{uid}", {"disabled": True},
                              dict(auth, **{"If-Match": self.etag(a, f"/v1/users/{uid}", auth)}))
        self.assertEqual(st, 200, body[:300])
        out["disabled_account_s"] = round(self.stops_on(b, path, viewer), 3)

        # a removed role: the admin's list of accounts is refused once the
        # account keeps only the secretariat's role
        office = self.login("cluster.office", b)
        self.assertEqual(request(a, "GET", "/v1/users",
                                 headers={"Authorization": "Bearer " + office})[0], 200)
        uid = psql(self.db, "SELECT id FROM users WHERE username = 'cluster.office'")
        st, _, body = request(b, "PATCH", f"/v1/users/{uid}", {"roles": ["secretariat"]},
                              dict(auth, **{"If-Match": self.etag(b, f"/v1/users/{uid}", auth)}))
        self.assertEqual(st, 200, body[:300])
        out["removed_role_s"] = round(self.stops_on(a, "/v1/users", office), 3)

        # a revoked client
        st, _, body = request(a, "POST", "/v1/clients",
                              {"client_id": "cluster-revoke-" + os.urandom(3).hex(),
                               "name": "Cổng tỉnh (thử thu hồi)", "scopes": ["reports:write"]}, auth)
        self.assertEqual(st, 201, body[:300])
        made = json.loads(body)
        ctoken = token(b, {"grant_type": "client_credentials", "client_id": made["client_id"],
                           "client_secret": made["client_secret"]})
        sid = psql(self.db, f"SELECT min(id) FROM submissions WHERE period_id = {self.period}")
        spath = f"/v1/submissions/{sid}"
        self.assertEqual(request(b, "GET", spath, headers={"Authorization": "Bearer " + ctoken})[0], 200)
        st, _, body = request(a, "POST", f"/v1/clients/{made['id']}/revoke", None, auth)
        self.assertIn(st, (200, 204), body[:300])
        out["revoked_client_s"] = round(self.stops_on(b, spath, ctoken), 3)
        self.report["revocation_across_replicas"] = out

    # -- metrics of every part ------------------------------------------------------------
    def test_metrics_every_part(self):
        """Prometheus scrapes every part (replicas, HAProxy, Patroni, the
        PostgreSQL exporters, PgBouncer's) and holds the alert rules."""
        port = int(self.env["CLUSTER_PROMETHEUS"].rsplit(":", 1)[1])

        def targets():
            st, _, body = request(port, "GET", "/api/v1/targets?state=active", timeout=5)
            self.assertEqual(st, 200)
            return json.loads(body)["data"]["activeTargets"]

        def all_up():
            t = targets()
            return len(t) == int(self.env["CLUSTER_REPLICAS"]) + 1 + 3 + 3 + 1 and all(
                x["health"] == "up" for x in t)
        try:
            self.wait("every target up", all_up, 60)
        except AssertionError:
            self.fail([(x["labels"]["job"], x["scrapeUrl"], x["health"], x.get("lastError"))
                       for x in targets()])
        jobs = {x["labels"]["job"] for x in targets()}
        self.assertEqual(jobs, {"thidua", "haproxy", "patroni", "postgres", "pgbouncer"})
        st, _, body = request(port, "GET", "/api/v1/rules", timeout=5)
        rules = [r["name"] for g in json.loads(body)["data"]["groups"] for r in g["rules"]]
        self.assertIn("ThiduaOutboxBacklog", rules)
        self.assertIn("ThiduaAuditChainBroken", rules)
        # each part's own series (not only Prometheus's up and scrape_*)
        import urllib.parse
        counts = {}
        for job in sorted(jobs):
            q = urllib.parse.quote(f'count({{job="{job}",__name__!~"up|scrape_.*"}})')
            st, _, body = request(port, "GET", "/api/v1/query?query=" + q, timeout=5)
            self.assertEqual(st, 200, body[:200])
            result = json.loads(body)["data"]["result"]
            counts[job] = int(result[0]["value"][1]) if result else 0
        self.assertTrue(all(n > 0 for n in counts.values()), counts)
        self.report["series_per_part"] = counts
        self.report["prometheus_targets"] = len(targets())

    # -- backups and a restore drill -------------------------------------------------------
    def submit(self, period, i, bearer):
        body = submission(self.unit0 + i, i)
        for _ in range(50):
            st, _, b = request(self.http_port, "POST", f"/v1/report-periods/{period}/submissions",
                               body, {"Authorization": "Bearer " + bearer,
                                      "Idempotency-Key": f"drill-{period}-{i}"})
            if st in (200, 201):
                return
            self.assertIn(st, (502, 503), b[:300])
            time.sleep(0.5)
        self.fail(f"submission {i} never acknowledged")

    def test_restore_drill(self):
        """Full and incremental pgBackRest backups with WAL archiving, then a
        point-in-time restore into a fresh PostgreSQL that the service runs
        on: the audit trail verifies and the submissions are those made
        before the target time, no more, no fewer."""
        conf = self.env["CLUSTER_PGBACKREST_CONF"]
        stanza = self.env["CLUSTER_STANZA"]
        bearer = token(self.http_port, {"grant_type": "client_credentials",
                                        "client_id": "bench-reports", "client_secret": self.secret})
        drill = {}
        t = time.monotonic()
        sh("backup", "full")
        drill["full_backup_s"] = round(time.monotonic() - t, 1)
        for i in range(0, 40):
            self.submit(self.period2, i, bearer)
        t = time.monotonic()
        sh("backup", "incr")
        drill["incr_backup_s"] = round(time.monotonic() - t, 1)
        for i in range(40, 80):
            self.submit(self.period2, i, bearer)
        time.sleep(1)
        target = psql(self.db, "SELECT clock_timestamp()")
        time.sleep(1)
        for i in range(80, 120):
            self.submit(self.period2, i, bearer)
        # the WAL past the target reaches the repository (what RPO depends on)
        t = time.monotonic()
        subprocess.run(as_db(["pgbackrest", f"--config={conf}", f"--stanza={stanza}", "check"]),
                       check=True, capture_output=True, timeout=120)
        drill["wal_archived_s"] = round(time.monotonic() - t, 1)
        info = subprocess.run(as_db(["pgbackrest", f"--config={conf}", f"--stanza={stanza}",
                                     "info", "--output=json"]),
                              check=True, capture_output=True, text=True, timeout=60).stdout
        drill["backups"] = [b["type"] for b in json.loads(info)[0]["backup"]]
        self.assertIn("full", drill["backups"])
        self.assertIn("incr", drill["backups"])

        # the drill: a fresh data directory, restored to the target time
        t0 = time.monotonic()
        restore = os.path.join(DIR, "restore")
        data = os.path.join(restore, "data")
        os.makedirs(data, mode=0o700)
        chown_db(restore)
        chown_db(data)
        subprocess.run(as_db(["pgbackrest", f"--config={conf}", f"--stanza={stanza}",
                              f"--pg1-path={data}", "--type=time", f"--target={target}",
                              "--target-action=promote", "restore"]),
                       check=True, capture_output=True, timeout=300)
        port = 7499
        opts = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={restore}"
                " -c archive_mode=off -c synchronous_standby_names= -c hot_standby=on")
        subprocess.run(as_db(["/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-l",
                              os.path.join(restore, "postgres.log"), "-o", opts, "-w", "-t", "120",
                              "start"]), check=True, capture_output=True, timeout=180)
        try:
            url = self.db.replace(f":{self.env['CLUSTER_PRIMARY_PORT']}/", f":{port}/")
            self.wait("the restored node promoted",
                      lambda: psql(url, "SELECT pg_is_in_recovery()") == "f", 120)
            svc_port = 7498
            proc = subprocess.Popen([os.environ["THIDUA_BIN"]], env=dict(
                os.environ, THIDUA_DATABASE_URL=url, THIDUA_PORT=str(svc_port),
                THIDUA_LISTEN_ADDRESS="127.0.0.1",
                THIDUA_JWT_PRIVATE_KEY_FILE=os.path.join(DIR, "jwt-signing-key.pem")),
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(restore, "service.log"), "w"))
            try:
                def up():
                    if proc.poll() is not None:
                        self.fail("the service on the restored node exited")
                    try:
                        return request(svc_port, "GET", "/readyz", timeout=2)[0] == 200
                    except OSError:
                        return False
                self.wait("the service on the restored node", up, 60)
                drill["rto_s"] = round(time.monotonic() - t0, 1)
                admin = token(svc_port, {"grant_type": "password", "username": "cluster.admin",
                                         "password": self.password})
                st, _, body = request(svc_port, "GET", "/v1/audit/verify",
                                      headers={"Authorization": "Bearer " + admin}, timeout=60)
                self.assertEqual(st, 200, body[:300])
                drill["audit_verify"] = json.loads(body)
                self.assertIs(drill["audit_verify"].get("ok"), True, body[:300])
                units = psql(url, f"""SELECT coalesce(string_agg((unit_id - {self.unit0})::text, ','
                    ORDER BY unit_id), '') FROM submissions WHERE period_id = {self.period2}""")
                drill["restored_submissions"] = len(units.split(",")) if units else 0
                self.assertEqual(units, ",".join(str(i) for i in range(80)),
                                 "the restore holds other submissions than those before the target")
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        finally:
            subprocess.run(as_db(["/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-m",
                                  "immediate", "stop"]), capture_output=True, timeout=60)
            self.report["restore_drill"] = drill


def as_db(args):
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                "env", "HOME=/var/lib/postgresql", *args]
    return args


def chown_db(path):
    if os.geteuid() == 0:
        import pwd
        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


if __name__ == "__main__":
    unittest.main(verbosity=2, argv=sys.argv[:1])
