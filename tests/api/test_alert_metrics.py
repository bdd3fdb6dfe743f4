"""The metrics the alerts read (deploy/monitoring/thidua-alerts.yml, issue 15
§5): the outbox's backlog and the audit chains' verification.

- thidua_outbox_pending and thidua_outbox_oldest_pending_seconds show a
  delivery that waits for a failing subscriber, then nothing once it is
  delivered; counted by the delivery thread, never by the scrape.
- The periodic verification (THIDUA_AUDIT_VERIFY_INTERVAL_S) runs once per
  interval for all replicas together, under its advisory lock; an entry
  edited by hand (trigger disabled, as a superuser could) is found by it and
  by GET /v1/audit/verify, each time counted in
  thidua_audit_verify_failures_total and logged as a warning that names the
  organisation and the entry, never what the entry holds.
"""

import datetime
import os
import re
import subprocess
import time

from harness import Service, main
from identity import IdentityTest
from webhook_sink import WithSink

FAST_WEBHOOKS = {"THIDUA_WEBHOOK_ALLOW_PRIVATE": "on", "THIDUA_WEBHOOK_POLL_MS": "50",
                 "THIDUA_WEBHOOK_RETRY_BASE_MS": "200", "THIDUA_WEBHOOK_MAX_ATTEMPTS": "50",
                 "THIDUA_WEBHOOK_TIMEOUT_MS": "1000"}
INTERVAL_S = 2
LOCK_SQL = ("SELECT 'locked' FROM (SELECT pg_advisory_xact_lock("
            "hashtextextended('audit_verify_runs', 0))) l")
SAMPLE = re.compile(r"^([a-z_]+)(\{[^}]*\})? (\S+)$")


def metrics(svc):
    """{(name, frozenset of label pairs): value} of one scrape."""
    r = svc.get("/metrics")
    assert r.status == 200, r
    out = {}
    for line in r.body.decode().splitlines():
        m = SAMPLE.match(line)
        if m:
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def metric(svc, name, **labels):
    """One sample's value, or None when absent."""
    return metrics(svc).get((name, frozenset(labels.items())))


def wait_metric(svc, name, predicate, timeout=20, **labels):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = metric(svc, name, **labels)
        if value is not None and predicate(value):
            return value
        time.sleep(0.1)
    raise AssertionError(f"{name}{labels} never got there: {value}")


def log_lines(svc, msg):
    return [line for line in svc.log_lines() if line.get("msg") == msg]


class OutboxBacklogTest(WithSink, IdentityTest):
    service_env = FAST_WEBHOOKS

    def test_a_delivery_waits_for_its_subscriber_then_the_backlog_is_empty(self):
        svc = self.svc
        self.assertEqual(wait_metric(svc, "thidua_outbox_pending", lambda v: True,
                                     channel="webhook"), 0)
        self.assertEqual(metric(svc, "thidua_outbox_oldest_pending_seconds", channel="webhook"), 0)
        self.assertEqual(metric(svc, "thidua_outbox_pending", channel="email"), 0)
        admin = self.token("A", "admin")
        r = self.call("POST", "/v1/webhooks", token=admin,
                      body={"url": self.sink.url_for("away"), "events": ["decision.signed"]})
        self.assertEqual(r.status, 201, r)
        sub = r.json()
        self.sink.secrets.append(sub["secret"])
        self.sink.fail_next["/away"] = 1000  # the subscriber answers 503
        r = self.call("POST", f"/v1/webhooks/{sub['id']}/ping", token=admin)
        self.assertEqual(r.status, 200, r)
        event = r.json()["event_id"]
        self.assertEqual(wait_metric(svc, "thidua_outbox_pending", lambda v: v > 0,
                                     channel="webhook"), 1)
        # the oldest one's age: the ping's, and growing between two counts
        first = wait_metric(svc, "thidua_outbox_oldest_pending_seconds", lambda v: v > 0.5,
                            channel="webhook")
        time.sleep(0.3)
        later = metric(svc, "thidua_outbox_oldest_pending_seconds", channel="webhook")
        self.assertGreater(later, first)
        self.assertLess(later, 60)
        self.assertEqual(metric(svc, "thidua_outbox_pending", channel="email"), 0)
        # retried, and still pending
        self.assertTrue(self.sink.wait_for(
            lambda s: sum(1 for d in s.deliveries if d[0] == event) >= 2))
        self.assertEqual(metric(svc, "thidua_outbox_pending", channel="webhook"), 1)
        # the subscriber is back: delivered at its next attempt, then 0 again
        with self.sink.lock:
            self.sink.fail_next["/away"] = 0
        self.assertTrue(self.sink.wait_for(lambda s: event in s.processed, timeout=30))
        wait_metric(svc, "thidua_outbox_pending", lambda v: v == 0, channel="webhook")
        self.assertEqual(metric(svc, "thidua_outbox_oldest_pending_seconds", channel="webhook"), 0)

    def test_b_a_scrape_runs_no_query(self):
        # a scrape reads the last counts from memory: with the outbox's
        # tables locked, /metrics still answers at once
        session = subprocess.Popen(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1"],
                                   env=dict(os.environ, PGDATABASE=self.db),
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            session.stdin.write("BEGIN; LOCK TABLE webhook_deliveries, email_deliveries "
                                "IN ACCESS EXCLUSIVE MODE; SELECT 'locked';\n")
            session.stdin.flush()
            self.assertEqual(session.stdout.readline().strip(), "locked")
            for _ in range(5):
                t0 = time.monotonic()
                r = self.svc.get("/metrics", timeout=5)
                self.assertEqual(r.status, 200)
                self.assertLess(time.monotonic() - t0, 1.0)
                self.assertIn(b'thidua_outbox_pending{channel="webhook"}', r.body)
        finally:
            session.stdin.write("COMMIT;\n\\q\n")
            session.stdin.close()
            session.wait(timeout=10)
            session.stdout.close()


class AuditWatchTest(IdentityTest):
    service_env = {"THIDUA_AUDIT_VERIFY_INTERVAL_S": str(INTERVAL_S)}

    def runs(self, *services):
        """The ends of the runs the services logged, in seconds, sorted."""
        ends = []
        for svc in services:
            for line in log_lines(svc, "audit chains verified"):
                ends.append(datetime.datetime.fromisoformat(
                    line["ts"].replace("Z", "+00:00")).timestamp())
        return sorted(ends)

    def test_a_once_per_interval_for_all_replicas_under_the_lock(self):
        a = self.svc
        self.assertEqual(metric(a, "thidua_audit_verify_interval_seconds"), INTERVAL_S)
        wait_metric(a, "thidua_audit_verify_last_success_timestamp_seconds", lambda v: v > 0)
        env = {k: v for k, v in a.env.items() if k != "THIDUA_PORT"}
        with Service(self.db, env=env) as b:
            time.sleep(4 * INTERVAL_S)
            ends = self.runs(a, b)
            # both replicas look every half second; the runs of the two
            # together are still an interval apart at least
            gaps = [y - x for x, y in zip(ends, ends[1:])]
            self.assertTrue(gaps, ends)
            self.assertGreaterEqual(min(gaps), INTERVAL_S - 0.1, ends)
            # each shows the end of the last run, whoever made it
            wait_metric(b, "thidua_audit_verify_last_success_timestamp_seconds",
                        lambda v: v > 0)
            self.assertEqual(metric(b, "thidua_audit_verify_failures_total",
                                    source="periodic"), 0)
            # while another transaction holds the lock, nobody runs, however
            # old the last run
            session = subprocess.Popen(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1"],
                                       env=dict(os.environ, PGDATABASE=self.db),
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True)
            try:
                session.stdin.write(f"BEGIN; {LOCK_SQL};\n")
                session.stdin.flush()
                self.assertEqual(session.stdout.readline().strip(), "locked")
                held = len(self.runs(a, b))
                self.sql("UPDATE audit_verify_runs SET finished_at = NULL")
                time.sleep(2 * INTERVAL_S)
                self.assertEqual(len(self.runs(a, b)), held)
            finally:
                session.stdin.write("COMMIT;\n\\q\n")
                session.stdin.close()
                session.wait(timeout=10)
                session.stdout.close()
            deadline = time.monotonic() + 10
            while len(self.runs(a, b)) == held and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertGreater(len(self.runs(a, b)), held)
            self.assertEqual(self.sql("SELECT organizations, broken FROM audit_verify_runs"),
                             f"{self.count('organizations')}|0")

    def test_b_an_entry_edited_by_hand_is_counted_and_logged(self):
        a_org, b_org = self.world["A"].id, self.world["B"].id
        r = self.call("POST", "/v1/units", token=self.token("A", "admin"),
                      body={"code": "KT", "name": "Tổ Kiểm tra Nội bộ", "kind": "other",
                            "parent_id": self.world["A"].units["R"]})
        self.assertEqual(r.status, 201, r)
        self.call("POST", "/v1/units", token=self.token("B", "admin"),
                  body={"code": "KT", "name": "Tổ Kiểm tra B", "kind": "other"})
        seq, stripe = self.sql(f"SELECT seq, stripe FROM audit_log WHERE organization_id = "
                               f"{a_org} AND action = 'unit.create' AND entity_id = "
                               f"'{r.json()['id']}'").split("|")
        before = metric(self.svc, "thidua_audit_verify_failures_total", source="periodic")
        self.assertEqual(before, 0)
        self.sql("BEGIN; ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
                 "UPDATE audit_log SET after = jsonb_set(after, '{name}', '\"Tổ Giả mạo\"') "
                 f"WHERE organization_id = {a_org} AND seq = {seq} AND stripe = {stripe}; "
                 "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only; COMMIT;")
        # found by the next run, and again by the one after: counted each time
        wait_metric(self.svc, "thidua_audit_verify_failures_total", lambda v: v >= 2,
                    timeout=8 * INTERVAL_S, source="periodic")
        self.assertEqual(metric(self.svc, "thidua_audit_verify_failures_total",
                                source="request"), 0)
        warned = log_lines(self.svc, "audit chain broken")
        self.assertGreaterEqual(len(warned), 2)
        for line in warned:
            self.assertEqual(line["level"], "warn")
            self.assertEqual(line["organization_id"], a_org, line)
            self.assertEqual((line["stripe"], line["seq"]), (int(stripe), int(seq)))
            self.assertEqual(line["reason"], "content does not match its hash")
            self.assertEqual(line["source"], "periodic")
            self.assertNotIn("request_id", line)
        self.assertNotIn(str(b_org), [str(l["organization_id"]) for l in warned])
        text = self.svc.stdout()
        self.assertNotIn("Giả mạo", text)
        self.assertNotIn("Kiểm tra Nội bộ", text)
        runs = log_lines(self.svc, "audit chains verified")
        self.assertEqual(runs[-1]["level"], "warn")
        self.assertEqual(runs[-1]["broken"], 1)
        # a request that verifies finds it too, and is named
        r = self.call("GET", "/v1/audit/verify", token=self.token("A", "admin"))
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["ok"])
        self.assertEqual(metric(self.svc, "thidua_audit_verify_failures_total",
                                source="request"), 1)
        mine = [l for l in log_lines(self.svc, "audit chain broken")
                if l.get("source") == "request"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["request_id"], r.header("X-Request-Id"))
        self.assertEqual(mine[0]["organization_id"], a_org)
        # B's intact chain counts nothing
        r = self.call("GET", "/v1/audit/verify", token=self.token("B", "admin"))
        self.assertTrue(r.json()["ok"], r)
        self.assertEqual(metric(self.svc, "thidua_audit_verify_failures_total",
                                source="request"), 1)


class AuditWatchOffTest(IdentityTest):
    service_env = {"THIDUA_AUDIT_VERIFY_INTERVAL_S": "0", "THIDUA_WEBHOOKS": "off"}

    def test_no_runs_no_gauges_but_requests_still_count(self):
        m = metrics(self.svc)
        names = {name for name, _ in m}
        self.assertNotIn("thidua_audit_verify_interval_seconds", names)
        self.assertNotIn("thidua_audit_verify_last_success_timestamp_seconds", names)
        # no delivery thread: no backlog gauges (absent, not 0)
        self.assertNotIn("thidua_outbox_pending", names)
        self.assertEqual(m[("thidua_audit_verify_failures_total",
                            frozenset({("source", "periodic")}))], 0)
        self.assertEqual(m[("thidua_audit_verify_failures_total",
                            frozenset({("source", "request")}))], 0)
        self.assertEqual(log_lines(self.svc, "audit chains verified"), [])


if __name__ == "__main__":
    main()
