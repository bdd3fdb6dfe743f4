"""Exactly once under a PostgreSQL restart: machine clients post a burst of
submissions, each with its own Idempotency-Key, while PostgreSQL stops and
starts.  Every request either succeeds (and its submission is stored once)
or fails with a retryable answer; retried with the same keys afterwards,
all complete; in the end each unit has exactly one submission, created by
exactly one request, and every success names it."""

import concurrent.futures
import time
import uuid

import pgcluster
from harness import main
from identity import IdentityTest

UNITS = 160
RETRYABLE = {409, 503}  # 409: the same key still in flight


class ReportRestartTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o = cls.world["A"]
        cls.units = [int(cls.sql(
            "INSERT INTO units (organization_id, parent_id, code, name, kind) VALUES "
            f"({o.id}, {o.units['S']}, 'T{i:02d}', 'Tổ {i:02d}', 'other') RETURNING id"))
            for i in range(UNITS)]
        template = int(cls.sql(
            "INSERT INTO report_templates (organization_id, code, version, title, fields) "
            f"VALUES ({o.id}, 'bc-nhanh', 1, 'Báo cáo nhanh', '[{{\"key\": \"cases\", "
            "\"label\": \"Số hồ sơ\", \"type\": \"number\", \"required\": true, "
            "\"aggregate\": \"sum\"}]') RETURNING id"))
        cls.period = int(cls.sql(
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) VALUES ({o.id}, {template}, 'ad_hoc', 'Đột xuất', '2026-01-01', "
            "'2026-01-31', '2099-02-05') RETURNING id"))
        cls.sql("INSERT INTO report_period_units (organization_id, period_id, unit_id) "
                f"SELECT {o.id}, {cls.period}, unnest(ARRAY{cls.units}::bigint[])")

    def post(self, token, unit, key, pace=0.0):
        time.sleep(pace)  # spreads the burst over the restart
        try:
            return self.call("POST", f"/v1/report-periods/{self.period}/submissions",
                             token=token, body={"unit_id": unit, "answers": {"cases": unit},
                                                "submit": True},
                             headers={"Idempotency-Key": key}, timeout=20)
        except OSError as e:  # the connection itself failed: also retryable
            return e

    @staticmethod
    def restart_postgresql():
        pgcluster.ctl("stop")  # fast: open transactions are cut off
        time.sleep(0.5)
        pgcluster.ctl("start")

    def wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.svc.get("/readyz").status == 200:
                return
            time.sleep(0.2)
        self.fail("the service did not recover")

    def test_burst_across_a_restart_stores_each_once(self):
        token = self.client_token("A", "reports")
        keys = {unit: f"restart-{unit}-{uuid.uuid4()}" for unit in self.units}
        first = {}
        restarter = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            futures = {pool.submit(self.post, token, unit, keys[unit], 0.08): unit
                       for unit in self.units}
            restart = None
            for f in concurrent.futures.as_completed(futures):
                first[futures[f]] = f.result()
                if restart is None and len(first) == 20:
                    restart = restarter.submit(self.restart_postgresql)
        restart.result()
        restarter.shutdown()
        self.wait_ready()
        created = {}
        seen = set()
        for unit, r in first.items():
            if isinstance(r, Exception):
                seen.add("connection error")
                continue
            seen.add(r.status)
            self.assertTrue(r.status == 201 or r.status in RETRYABLE, r)
            if r.status == 201:
                created[unit] = r.json()["id"]
        # the restart did interrupt something, or the test proved nothing
        self.assertLess(len(created), UNITS, f"nothing failed during the restart: {seen}")
        # retry everything with the same keys: the successes replay, the rest complete
        for unit in self.units:
            for _ in range(20):
                r = self.post(token, unit, keys[unit])
                if not isinstance(r, Exception) and r.status == 201:
                    break
                time.sleep(0.25)
            self.assertEqual(r.status, 201, r)
            if unit in created:
                self.assertEqual(r.json()["id"], created[unit])
                self.assertEqual(r.header("Idempotent-Replayed"), "true")
            created[unit] = r.json()["id"]
        rows = self.sql(f"SELECT unit_id || ':' || id FROM submissions WHERE period_id = "
                        f"{self.period} ORDER BY unit_id").split()
        self.assertEqual(rows, [f"{u}:{created[u]}" for u in sorted(self.units)])
        self.assertEqual(int(self.sql("SELECT count(*) FROM idempotency_keys WHERE key LIKE "
                                      "'restart-%'")), UNITS)
        self.assertEqual(int(self.sql(
            "SELECT count(*) FROM audit_log WHERE action = 'submission.create'")), UNITS)


if __name__ == "__main__":
    main()
