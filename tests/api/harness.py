"""Harness for the API tests: a real thidua binary, a real PostgreSQL, HTTP.

The tests run inside `pg_virtualenv` (see tests/run.sh), which exports
PGHOST, PGPORT, PGUSER and PGPASSWORD for a throwaway cluster.  Each test
creates its own database, starts the binary on a free loopback port and
speaks HTTP to it with the standard library only.  When a service stops, its
stderr is searched for AddressSanitizer / UndefinedBehaviorSanitizer reports,
which fail the test.
"""

import atexit
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

import pgwire

BIN = os.environ.get("THIDUA_BIN", "build-test/thidua")
# e.g. "valgrind --error-exitcode=99 ...": the service runs under it, and its
# exit status (checked by the tests) reports what it found.
WRAP = os.environ.get("THIDUA_WRAP", "").split()
SOURCE_DIR = os.environ.get("THIDUA_SOURCE_DIR", os.getcwd())
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
# The service answers in Vietnamese unless asked otherwise; a test that
# reads English sentences asks for them (headers=dict(EN, ...)).
EN = {"Accept-Language": "en"}


def pg_url(dbname, host=None, port=None):
    host = host or os.environ.get("PGHOST", "localhost")
    port = port or os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    return f"postgresql://{user}:{password}@{host}:{port}/{dbname}"


def psql(sql, dbname="postgres", check=True):
    """Runs SQL as `psql -XAtq -v ON_ERROR_STOP=1 -c` would; returns its
    stdout (unaligned, tuples only).  Over a kept connection (pgwire.py);
    THIDUA_TEST_PSQL=spawn runs psql itself, as before."""
    if os.environ.get("THIDUA_TEST_PSQL") == "spawn":
        env = dict(os.environ, PGDATABASE=dbname)
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             env=env, capture_output=True, text=True)
        stdout, error = out.stdout, out.stderr if out.returncode != 0 else None
    else:
        stdout, error = pgwire.run(sql, dbname)
    if check and error is not None:
        raise RuntimeError(f"psql failed: {error}")
    return stdout.strip()


def metric(svc, name):
    """The first sample of a metric from svc's /metrics; None if absent."""
    for line in svc.get("/metrics").body.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def fresh_database(prefix="t"):
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    psql(f'CREATE DATABASE "{name}"')
    return name


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.body[:300]!r}>"


class Service:
    """One thidua process. Use as a context manager, or start()/stop()."""

    def __init__(self, dbname=None, env=None, args=(), database_url=None):
        self.port = free_port()
        self.dbname = dbname
        url = database_url or pg_url(dbname)
        self.env = dict(os.environ)
        self.env.update({
            "THIDUA_DATABASE_URL": url,
            "THIDUA_PORT": str(self.port),
            "THIDUA_LISTEN_ADDRESS": "127.0.0.1",
            "THIDUA_WORKER_THREADS": "4",
            "THIDUA_DB_POOL_SIZE": "4",
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
            "LSAN_OPTIONS": "suppressions=" + os.path.join(
                os.path.dirname(os.path.abspath(__file__)), "..", "lsan.supp"),
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        })
        self.env.update(env or {})
        self.args = list(args)
        self.proc = None
        self.out = tempfile.NamedTemporaryFile(prefix="thidua-out-", delete=False)
        self.err = tempfile.NamedTemporaryFile(prefix="thidua-err-", delete=False)
        # a service stopped by hand (setUpClass/tearDownClass) is read after
        # its stop: its logs go when the test process ends, not before
        for f in (self.out, self.err):
            atexit.register(remove_quietly, f.name)

    def start(self, wait=True):
        self.proc = subprocess.Popen(WRAP + [BIN] + self.args, env=self.env,
                                     stdout=self.out, stderr=self.err)
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, timeout=60, ready=True):
        """Waits for /healthz and, when ready and the service migrates at
        start, for the migrations (it serves before they are applied)."""
        migrates = ready and self.env.get("THIDUA_MIGRATE_ON_START", "on") != "off"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"thidua exited with {self.proc.returncode}:\n"
                                     f"{self.stderr()}\n{self.stdout()}")
            try:
                if self.request("GET", "/healthz", timeout=1).status == 200 and (
                        not migrates or '"msg":"ready"' in self.stdout()):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("thidua did not become healthy")

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = dict(headers or {})
                headers.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def stdout(self):
        with open(self.out.name, "r", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.err.name, "r", errors="replace") as f:
            return f.read()

    def log_lines(self):
        lines = []
        for line in self.stdout().splitlines():
            line = line.strip()
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Signals the process and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("thidua did not stop in time")
        self.check_sanitizers()
        return rc

    def check_sanitizers(self):
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            if mark in err:
                raise AssertionError(f"sanitizer report:\n{err}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            rc = self.stop()
            if exc[0] is None and rc != 0:
                raise AssertionError(f"thidua exited with {rc}:\n{self.stderr()}")
        else:
            self.check_sanitizers()
        for f in (self.out, self.err):
            f.close()
            with contextlib.suppress(OSError):
                os.unlink(f.name)
        return False


class Locker:
    """Holds an ACCESS EXCLUSIVE lock on a table, in a psql session of its
    own, until released: requests that read the table block on it, for as
    long as a test needs them in flight."""

    def __init__(self, db, table):
        self.db = db
        env = dict(os.environ, PGDATABASE=db)
        self.proc = subprocess.Popen(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1"], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdin.write(f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;\n"
                              "SELECT 'locked';\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "locked"

    def wait_blocked(self, timeout=10):
        """Returns once a session of the database waits on a lock."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    f"AND datname = '{self.db}'") != "0":
                return
            time.sleep(0.05)
        raise AssertionError("no request reached the lock")

    def release(self):
        if self.proc.poll() is not None:
            return
        self.proc.stdin.write("COMMIT;\n\\q\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


def send_raw(port, raw, timeout=5, until=None):
    """Sends raw bytes on a new connection and returns what came back: one
    read, or reads until `until` is seen or the server closes; a reset or a
    timeout ends the reading quietly (malformed requests may get either)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    data = b""
    try:
        s.sendall(raw)
    except BaseException:
        s.close()
        raise
    try:
        while True:
            chunk = s.recv(4096)
            data += chunk
            if not chunk or until is None or until in data:
                break
    except OSError:
        pass
    finally:
        s.close()
    return data


def remove_quietly(path):
    with contextlib.suppress(OSError):
        os.unlink(path)


def run_cli(args, env=None, timeout=60):
    """Runs the binary to completion; returns CompletedProcess."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BIN] + list(args), env=full_env, capture_output=True,
                          text=True, timeout=timeout)


class ApiTest(unittest.TestCase):
    """Base class: a fresh database per test class."""

    @classmethod
    def setUpClass(cls):
        cls.db = fresh_database(cls.__name__.lower())

    def assertProblem(self, r, status, type_slug=None):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/problem+json", r)
        doc = r.json()
        self.assertEqual(doc["status"], status)
        for field in ("type", "title", "detail", "request_id"):
            self.assertIn(field, doc)
        self.assertEqual(doc["request_id"], r.header("X-Request-Id"))
        if type_slug:
            self.assertEqual(doc["type"], f"urn:thidua:problem:{type_slug}")
        return doc


def main():
    unittest.main(verbosity=2)
