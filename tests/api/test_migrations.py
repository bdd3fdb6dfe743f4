"""API test: migrations apply once, even with two replicas starting together,
and an edited applied migration stops the start.  (The procedures loaded
after them, and the squash of 0001-0006: test_procedures.py.)"""

import glob
import hashlib
import os
import unittest

from harness import ApiTest, Service, SOURCE_DIR, fresh_database, main, psql, pg_url, run_cli

EXPECTED = len(glob.glob(os.path.join(SOURCE_DIR, "db", "migrations", "*.sql")))


class MigrationTest(ApiTest):
    def test_migrate_command(self):
        db = fresh_database("migcmd")
        out = run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertEqual(psql("SELECT count(*) FROM schema_migrations", db), str(EXPECTED))
        # a second run is a no-op
        out = run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
        self.assertEqual(out.returncode, 0)
        self.assertIn('"applied_now":0', out.stdout)

    def test_two_instances_at_once_apply_each_migration_once(self):
        db = fresh_database("migrace")
        a = Service(db).start(wait=False)
        b = Service(db).start(wait=False)
        try:
            a.wait_healthy()
            b.wait_healthy()
            self.assertEqual(a.get("/readyz").status, 200)
            self.assertEqual(b.get("/readyz").status, 200)
            rows = psql("SELECT count(*), count(DISTINCT version) FROM schema_migrations", db)
            self.assertEqual(rows, f"{EXPECTED}|{EXPECTED}")
            applied = [l["applied_now"] for s in (a, b) for l in s.log_lines()
                       if l.get("msg") == "migrations current"]
            # each migration is applied under its own lock, so the two may share
            # the work; together they apply each one exactly once
            self.assertEqual(len(applied), 2)
            self.assertEqual(sum(applied), EXPECTED)
        finally:
            self.assertEqual(a.stop(), 0)
            self.assertEqual(b.stop(), 0)

    def test_edited_applied_migration_refused(self):
        db = fresh_database("migedit")
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)}).returncode, 0)
        # what an edited file looks like from the database: another checksum
        psql("UPDATE schema_migrations SET checksum = md5('edited') WHERE version = 1", db)
        out = run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("was edited after it was applied", out.stdout)
        svc = Service(db).start(wait=False)
        rc = svc.proc.wait(timeout=30)
        svc.check_sanitizers()
        self.assertNotEqual(rc, 0)
        self.assertIn("was edited after it was applied", svc.stdout())

    def test_old_checksum_accepted_for_its_own_migration_only(self):
        db = fresh_database("migsquash")
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)}).returncode, 0)
        # 0001's checksum from before the squash, recorded against 0002
        legacy = os.path.join(SOURCE_DIR, "tests", "fixtures", "legacy-migrations",
                              "0001_init.sql")
        with open(legacy, "rb") as f:
            old = hashlib.sha256(f.read()).hexdigest()
        psql(f"UPDATE schema_migrations SET checksum = '{old}' WHERE version = 2", db)
        out = run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("migration 0002_identity.sql was edited after it was applied", out.stdout)

    def test_readyz_503_when_migrations_missing(self):
        db = fresh_database("mignone")
        with Service(db, env={"THIDUA_MIGRATE_ON_START": "off"}) as svc:
            r = svc.get("/readyz")
            self.assertProblem(r, 503, "unavailable")
            self.assertIsNotNone(r.header("Retry-After"))
            self.assertEqual(svc.get("/healthz").status, 200)


if __name__ == "__main__":
    main()
