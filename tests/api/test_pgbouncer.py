"""API test: the service behind Debian's PgBouncer (1.18) in transaction mode,
with THIDUA_DB_PREPARED=off: migrations (advisory xact lock), requests and the
periodic audit verification (its own advisory xact lock) work while four
client connections share two server connections."""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import ApiTest, Service, free_port, main, pg_url


class PgBouncer:
    def __init__(self, db):
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


if __name__ == "__main__":
    main()
