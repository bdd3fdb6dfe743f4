"""API test: PostgreSQL stops and starts again under a running service.
While it is down, requests that need it get 503 problem+json with
Retry-After, quickly, and the process stays up; when it is back, the same
process answers 200 again without a restart."""

import time
import unittest

import pgcluster
from harness import ApiTest, Service, main


class DbRestartTest(ApiTest):
    def test_503_while_down_then_recovers(self):
        with Service(self.db) as svc:
            for _ in range(5):
                self.assertEqual(svc.get("/readyz").status, 200)
            pid = svc.proc.pid
            pgcluster.ctl("stop")
            try:
                for _ in range(10):
                    started = time.monotonic()
                    r = svc.get("/readyz", timeout=15)
                    self.assertLess(time.monotonic() - started, 5, "a 503 must come quickly")
                    doc = self.assertProblem(r, 503, "unavailable")
                    self.assertRegex(r.header("Retry-After"), r"^\d+$")
                    self.assertNotIn("connection", doc["detail"].lower().replace(
                        "cannot be reached", ""))  # no libpq text leaks out
                self.assertEqual(svc.get("/healthz").status, 200)
                metrics = svc.get("/metrics").body.decode()
                errors = [l for l in metrics.splitlines() if l.startswith("thidua_db_errors_total ")]
                self.assertGreater(int(errors[0].split()[1]), 0)
            finally:
                pgcluster.ctl("start")
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline:
                status = svc.get("/readyz").status
                if status == 200:
                    break
                time.sleep(0.2)
            self.assertEqual(status, 200, "service did not recover after PostgreSQL restarted")
            self.assertIsNone(svc.proc.poll())
            self.assertEqual(svc.proc.pid, pid)
            # every pooled connection was renewed, not only one
            for _ in range(20):
                self.assertEqual(svc.get("/readyz").status, 200)


if __name__ == "__main__":
    main()
