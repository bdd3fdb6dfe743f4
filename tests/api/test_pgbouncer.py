"""API test: the service behind Debian's PgBouncer (1.18) in transaction mode.

With THIDUA_DB_PREPARED=off: migrations (advisory xact lock), requests and the
periodic audit verification (its own advisory xact lock) work while four
client connections share two server connections.

With THIDUA_DB_PREPARED=pooled: the same answers as a replica direct to
PostgreSQL, the statements prepared on the server connections under their
shared names, and answers still right when a server connection has lost them
(26000) or a changed column makes a prepared plan stale (0A000).
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from harness import ApiTest, Service, free_port, main, metric, pg_url
from identity import KID, IdentityTest


class PgBouncer:
    def __init__(self, db):
        self.db = db
        self.dir = tempfile.mkdtemp(prefix="pgbouncer-")
        os.chmod(self.dir, 0o777)  # PgBouncer runs as postgres and writes its log here
        self.port = free_port()
        user = os.environ.get("PGUSER", "postgres")
        conn = (f"host={os.environ.get('PGHOST', 'localhost')} port={os.environ.get('PGPORT', '5432')} "
                f"dbname={db} user={user} password={os.environ.get('PGPASSWORD', '')}")
        with open(os.path.join(self.dir, "users.txt"), "w") as f:
            f.write(f'"{user}" ""\n')
        self.ini = os.path.join(self.dir, "pgbouncer.ini")
        with open(self.ini, "w") as f:
            f.write(f"""[databases]
{db} = {conn}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir}/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
""")
        for name in os.listdir(self.dir):
            os.chmod(os.path.join(self.dir, name), 0o666)
        args = [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"]
        if os.geteuid() == 0:
            args += ["-u", "postgres"]  # PgBouncer refuses to run as root
        self.proc = subprocess.Popen(args + [self.ini], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("pgbouncer did not start: " + self.log())

    def log(self):
        try:
            with open(os.path.join(self.dir, "pgbouncer.log")) as f:
                return f.read()
        except OSError:
            return ""

    def psql(self, sql):
        """sql through the pooler, on whichever server connection it picks."""
        return subprocess.run(
            ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-d", self.db, "-c", sql],
            capture_output=True, text=True, check=True, timeout=30).stdout.strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class PgBouncerTest(ApiTest):
    def test_transaction_mode_with_unnamed_statements(self):
        bouncer = PgBouncer(self.db)
        try:
            url = pg_url(self.db, host="127.0.0.1", port=str(bouncer.port))
            svc = Service(database_url=url, env={"THIDUA_DB_PREPARED": "off",
                                                 "THIDUA_DB_POOL_SIZE": "4",
                                                 "THIDUA_AUDIT_VERIFY_INTERVAL_S": "2"})
            with svc:
                self.assertEqual(svc.get("/readyz").status, 200)
                failures = []

                def hammer():
                    for _ in range(25):
                        r = svc.get("/readyz")
                        if r.status != 200:
                            failures.append(r)

                threads = [threading.Thread(target=hammer) for _ in range(4)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                self.assertEqual(failures, [], bouncer.log()[-2000:])
                # the periodic audit verification: its advisory lock is
                # transaction-scoped, so it holds through the pooler
                deadline = time.monotonic() + 20
                while not any(l.get("msg") == "audit chains verified"
                              for l in svc.log_lines()):
                    self.assertLess(time.monotonic(), deadline, svc.stdout()[-2000:])
                    time.sleep(0.1)
                self.assertNotIn("audit verification not finished", svc.stdout())
            # the migrations went through the pooler too
            self.assertIn(f"{self.db}", bouncer.log())
        finally:
            bouncer.stop()


class SharedStatementsTest(IdentityTest):
    def answers(self, svc, paths, token, rounds=3, threads=4):
        """Every path's (status, body) from svc, asked by several threads at
        once so that the pooler mixes its server connections; each path's
        answers must agree."""
        seen, lock = {}, threading.Lock()

        def ask():
            for _ in range(rounds):
                for p in paths:
                    r = svc.get(p, headers={"Authorization": f"Bearer {token}"})
                    doc = r.json()
                    doc.pop("request_id", None)  # a problem's, one per request
                    with lock:
                        seen.setdefault(p, set()).add(
                            (r.status, json.dumps(doc, sort_keys=True)))

        workers = [threading.Thread(target=ask) for _ in range(threads)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        for p, got in seen.items():
            self.assertEqual(len(got), 1, f"{p}: answers differ: {got}")
        return {p: next(iter(got)) for p, got in seen.items()}

    def prepared_names(self, bouncer):
        return int(bouncer.psql("SELECT count(*) FROM pg_prepared_statements "
                                "WHERE name LIKE 'thidua\\_%'"))

    def clear_servers(self, bouncer):
        """DEALLOCATE ALL on both server connections: two transactions held
        at once take the pool's two."""
        sql = "BEGIN; DEALLOCATE ALL; SELECT pg_sleep(1); COMMIT;"
        workers = [threading.Thread(target=bouncer.psql, args=(sql,)) for _ in range(2)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()

    def change_column_type(self, table, column, new_type):
        """ALTER COLUMN ... TYPE, the functions whose SQL-standard bodies
        read the column set aside meanwhile (PostgreSQL refuses otherwise)."""
        readers = (f"FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid"
                   f" WHERE d.classid = 'pg_proc'::regclass AND d.refobjid = '{table}'::regclass"
                   f" AND d.refobjsubid = (SELECT attnum FROM pg_attribute"
                   f" WHERE attrelid = '{table}'::regclass AND attname = '{column}')")
        names = self.sql(f"SELECT string_agg(p.oid::regprocedure::text, ', ') {readers}")
        defs = self.sql(f"SELECT string_agg(pg_get_functiondef(p.oid), '; ') {readers}")
        self.assertTrue(names)
        self.sql(f"BEGIN; DROP FUNCTION {names};"
                 f" ALTER TABLE {table} ALTER COLUMN {column} TYPE {new_type}; {defs}; COMMIT;")

    def test_pooled_statements_behind_pgbouncer(self):
        org = self.world["A"]
        token = self.token("A", "admin")
        staff = sorted(org.staff.values())
        paths = ([f"/v1/staff/{i}" for i in staff] + [f"/v1/units/{i}" for i in org.units.values()]
                 + ["/v1/staff?limit=3", "/v1/units", "/v1/organization", "/v1/me",
                    "/v1/staff/999999999"])
        direct = self.answers(self.svc, paths, token, rounds=1, threads=1)
        self.assertEqual(direct[f"/v1/staff/{staff[0]}"][0], 200)
        self.assertEqual(direct["/v1/staff/999999999"][0], 404)
        bouncer = PgBouncer(self.db)
        try:
            url = pg_url(self.db, host="127.0.0.1", port=str(bouncer.port))
            pooled = Service(self.db, database_url=url, env={
                "THIDUA_DB_PREPARED": "pooled", "THIDUA_DB_POOL_SIZE": "4",
                "THIDUA_JWT_PRIVATE_KEY_FILE": self.key.private_path, "THIDUA_JWT_KID": KID})
            with pooled:
                # the answers of the replica direct to PostgreSQL, with four
                # client connections on two server connections
                self.assertEqual(self.answers(pooled, paths, token), direct)
                # planned once per server connection, under the shared names
                self.assertGreater(self.prepared_names(bouncer), 0)
                errors = metric(pooled, "thidua_db_errors_total")
                self.assertIsNotNone(errors)

                # the server connections lose them: prepared again (26000)
                self.clear_servers(bouncer)
                self.assertEqual(self.answers(pooled, paths, token), direct)
                self.assertGreater(self.prepared_names(bouncer), 0)

                # a column's type changes under the prepared plans (0A000)
                self.change_column_type("staff", "position", "varchar(400)")
                self.assertEqual(self.answers(pooled, paths, token), direct)
                # the misses were handled, not counted as failures
                self.assertEqual(metric(pooled, "thidua_db_errors_total"), errors)
        finally:
            bouncer.stop()


if __name__ == "__main__":
    main()
