"""API test: the procedures of db/procedures/ (functions and triggers) are
re-created at start under the migration lock, only when the set changed;
reloading them is harmless; a schema newer than the binary is refused; and
the squashed migrations plus the procedures make the schema the old
migrations made, on a fresh database and on one the old binary migrated.
"""

import glob
import hashlib
import json
import os
import re
import subprocess

from harness import ApiTest, Service, SOURCE_DIR, fresh_database, main, pg_url, psql, run_cli
from identity import PASSWORD, seed

PROCEDURES = os.path.join(SOURCE_DIR, "db", "procedures")
MIGRATIONS = sorted(glob.glob(os.path.join(SOURCE_DIR, "db", "migrations", "*.sql")))
LEGACY = sorted(glob.glob(os.path.join(SOURCE_DIR, "tests", "fixtures", "legacy-migrations",
                                       "*.sql")))
NEWEST = int(os.path.basename(MIGRATIONS[-1])[:4])
REFUSAL = ("the database schema is at migration 9999, newer than this binary "
           f"({NEWEST:04d}): its procedures would replace newer ones; run a newer build")

# schema_migrations as the old binary created it (unchanged since).
SCHEMA_MIGRATIONS = ("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version integer PRIMARY KEY, name text NOT NULL,"
                     " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")

# Every function of schema public and every trigger, with its definition.
DEFINITIONS = """
SELECT 'function ' || p.oid || ' ' || p.oid::regprocedure || ' '
       || md5(pg_get_functiondef(p.oid))
  FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
UNION ALL
SELECT 'trigger ' || t.oid || ' ' || t.tgrelid::regclass || '.' || t.tgname || ' '
       || md5(pg_get_triggerdef(t.oid))
  FROM pg_trigger t WHERE NOT t.tgisinternal
ORDER BY 1"""

# Our functions (not an extension's) that something other than a function
# or a trigger depends on: a generated column, a default, an index, a CHECK.
SCHEMA_DEPENDS_ON = """
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                   AND e.objid = p.oid AND e.deptype = 'e')
   AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_proc'::regclass
               AND d.refobjid = p.oid
               AND d.classid NOT IN ('pg_proc'::regclass, 'pg_trigger'::regclass))
 ORDER BY 1"""

OUR_FUNCTIONS = """
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                   AND e.objid = p.oid AND e.deptype = 'e')
 ORDER BY 1"""

# The data the tests write, as one value: equal values, equal data.
DATA = "SELECT " + ", ".join(
    f"(SELECT md5(coalesce(string_agg(row_to_json(t)::text, ',' ORDER BY t::text), '')) "
    f"FROM {t} t)" for t in ("organizations", "units", "staff", "users", "clients",
                             "refresh_tokens", "audit_log", "audit_heads", "data_revisions"))


def manifest():
    """The file names of procedures.list, in order, as the build reads them."""
    with open(os.path.join(PROCEDURES, "procedures.list"), encoding="utf-8") as f:
        lines = (line.strip() for line in f)
        return [line for line in lines if line and not line.startswith("#")]


def procedures_sha256():
    """What the binary records: each file's name and text, NUL-terminated."""
    h = hashlib.sha256()
    for name in manifest():
        with open(os.path.join(PROCEDURES, name), "rb") as f:
            h.update(name.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def psql_files(db, paths):
    """Runs the files with psql in one transaction; raises on the first error."""
    args = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-1", "-d", db]
    for p in paths:
        args += ["-f", p]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"psql {paths[0]}…: {out.stderr}")


def migrate_by_hand(db, paths):
    """Applies migrations with psql and records them as the binary does
    (schema_migrations, version, name and the SHA-256 of the text)."""
    psql(SCHEMA_MIGRATIONS, db)
    for path in paths:
        name = os.path.basename(path)
        psql_files(db, [path])
        psql("INSERT INTO schema_migrations (version, name, checksum) VALUES "
             f"({int(name[:4])}, '{name}', '{sha256_of(path)}')", db)


def schema_dump(db):
    """pg_dump --schema-only --no-owner, without the lines that differ by run.

    Only the \\restrict and \\unrestrict lines are removed: pg_dump (15.14
    and later) puts a random key on them in every dump.  The header names
    the server and pg_dump versions, the same for both databases, and
    without --create the database name appears nowhere.
    """
    out = subprocess.run(["pg_dump", "--schema-only", "--no-owner", "-d", db],
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines()
            if not re.match(r"\\(un)?restrict ", line)]


def log_of(svc, msg):
    return [line for line in svc.log_lines() if line.get("msg") == msg]


def procedures_state(svc):
    """ "loaded" or "current", from the start-up line of a service."""
    lines = log_of(svc, "migrations current")
    assert len(lines) == 1, svc.stdout()
    return lines[0]["procedures"]


class ProceduresTest(ApiTest):

    def login(self, svc, username):
        r = svc.request("POST", "/v1/auth/token", body={
            "grant_type": "password", "username": username, "password": PASSWORD})
        self.assertEqual(r.status, 200, r)
        return r.json()["access_token"]

    def use(self, svc, world):
        """Log in, write (a unit: audit chain, triggers) and read it back."""
        token = self.login(svc, world["A"].username("admin"))
        auth = {"Authorization": f"Bearer {token}"}
        code = f"P{os.urandom(3).hex()}"
        r = svc.request("POST", "/v1/units", headers=auth,
                        body={"code": code, "name": f"Tổ {code}", "kind": "other"})
        self.assertEqual(r.status, 201, r)
        unit = r.json()
        self.assertEqual(unit["path"], [unit["id"]], "units_path trigger")
        self.assertEqual(svc.get(f"/v1/units/{unit['id']}", headers=auth).status, 200)
        r = svc.get("/v1/audit/verify", headers=auth)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["ok"], r)

    def recorded(self, db):
        return psql("SELECT checksum, migration, loaded_at, binary_version <> '' "
                    "AND binary_commit <> '' FROM schema_procedures", db).split("|")

    # -- the manifest and the split ---------------------------------------------

    def test_manifest_lists_every_file_once(self):
        names = manifest()
        self.assertEqual(len(names), len(set(names)), "a file is listed twice")
        present = sorted(os.path.basename(p)
                         for p in glob.glob(os.path.join(PROCEDURES, "*.sql")))
        self.assertEqual(sorted(names), present, "procedures.list and the folder differ")

    def test_procedures_replace_never_create(self):
        # a plain CREATE would fail on the second load
        plain = re.compile(r"CREATE\s+(FUNCTION|TRIGGER|PROCEDURE)\b", re.I)
        for name in manifest():
            with open(os.path.join(PROCEDURES, name), encoding="utf-8") as f:
                text = f.read()
            with self.subTest(file=name):
                self.assertTrue(text.startswith(f"-- {name} — "), "header comment")
                self.assertIsNone(plain.search(text))

    def test_migrations_hold_only_what_the_schema_depends_on(self):
        db = fresh_database("procmig")
        migrate_by_hand(db, MIGRATIONS)
        kept = psql(OUR_FUNCTIONS, db).split()
        self.assertEqual(kept, psql(SCHEMA_DEPENDS_ON, db).split(),
                         "a migration creates a function no schema object depends on")
        self.assertEqual(psql("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal", db),
                         "0", "a migration creates a trigger")
        # with the procedures loaded, the schema still depends on those alone
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
                         .returncode, 0)
        self.assertEqual(psql(SCHEMA_DEPENDS_ON, db).split(), kept)

    # -- starting ---------------------------------------------------------------

    def test_second_start_finds_procedures_current(self):
        db = fresh_database("proctwice")
        with Service(db) as svc:
            self.assertEqual(procedures_state(svc), "loaded")
        checksum, migration, loaded_at, by = self.recorded(db)
        self.assertEqual((checksum, migration, by), (procedures_sha256(), str(NEWEST), "t"))
        world = seed(db)
        catalog = psql("SELECT string_agg(xmin::text, ',' ORDER BY oid) FROM pg_proc "
                       "WHERE pronamespace = 'public'::regnamespace", db)
        with Service(db) as svc:
            self.assertEqual(procedures_state(svc), "current")
            self.use(svc, world)
        self.assertEqual(self.recorded(db)[2], loaded_at)
        self.assertEqual(psql("SELECT string_agg(xmin::text, ',' ORDER BY oid) FROM pg_proc "
                              "WHERE pronamespace = 'public'::regnamespace", db), catalog,
                         "a current set was re-created")

    def test_forced_reload_is_harmless(self):
        db = fresh_database("procreload")
        with Service(db) as svc:
            world = seed(db)
            self.use(svc, world)
        definitions, data = psql(DEFINITIONS, db), psql(DATA, db)
        self.assertIn("trigger", definitions)
        psql("UPDATE schema_procedures SET checksum = 'cleared'", db)
        with Service(db) as svc:
            self.assertEqual(procedures_state(svc), "loaded")
            self.assertEqual(psql(DEFINITIONS, db), definitions)
            self.assertEqual(psql(DATA, db), data)
            self.use(svc, world)
        self.assertEqual(self.recorded(db)[0], procedures_sha256())
        # the whole set twice in a row, by hand: still nothing changes
        files = [os.path.join(PROCEDURES, n) for n in manifest()]
        data = psql(DATA, db)
        psql_files(db, files + files)
        self.assertEqual(psql(DEFINITIONS, db), definitions)
        self.assertEqual(psql(DATA, db), data)

    def test_two_instances_at_once_on_a_fresh_database(self):
        db = fresh_database("procrace")
        a = Service(db).start(wait=False)
        b = Service(db).start(wait=False)
        try:
            a.wait_healthy()
            b.wait_healthy()
            self.assertEqual(a.get("/readyz").status, 200)
            self.assertEqual(b.get("/readyz").status, 200)
            n = len(MIGRATIONS)
            self.assertEqual(psql("SELECT count(*), count(DISTINCT version) "
                                  "FROM schema_migrations", db), f"{n}|{n}")
            # the first to take the lock after the migrations loads; the other
            # finds the set current
            self.assertEqual(sorted([procedures_state(a), procedures_state(b)]),
                             ["current", "loaded"])
            self.assertEqual(psql("SELECT count(*) FROM schema_procedures", db), "1")
        finally:
            self.assertEqual(a.stop(), 0)
            self.assertEqual(b.stop(), 0)

    def test_newer_schema_refused(self):
        db = fresh_database("procnewer")
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
                         .returncode, 0)
        recorded = self.recorded(db)
        psql("INSERT INTO schema_migrations (version, name, checksum) "
             "VALUES (9999, '9999_future.sql', 'x')", db)
        out = run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(REFUSAL, out.stdout + out.stderr)
        svc = Service(db).start(wait=False)
        rc = svc.proc.wait(timeout=60)
        svc.check_sanitizers()
        self.assertNotEqual(rc, 0)
        self.assertIn(REFUSAL, svc.stdout() + svc.stderr())
        # refused once, not retried as an outage
        self.assertEqual(len(log_of(svc, "migrations failed")), 1)
        self.assertEqual(self.recorded(db), recorded, "the procedures were touched")

    # -- the squash -------------------------------------------------------------

    def test_squashed_migrations_keep_the_schema(self):
        # a database as the binary before the squash left it ...
        old = fresh_database("procold")
        migrate_by_hand(old, LEGACY)
        world = seed(old)
        # ... which the new binary starts on, re-recording the checksums once
        with Service(old) as svc:
            self.assertEqual(log_of(svc, "squashed migrations re-recorded")[0]["count"],
                             len(LEGACY))
            self.assertEqual(procedures_state(svc), "loaded")
            self.use(svc, world)
        self.assertEqual(psql("SELECT string_agg(checksum, ' ' ORDER BY version) "
                              "FROM schema_migrations", old).split(),
                         [sha256_of(p) for p in MIGRATIONS])
        with Service(old) as svc:
            self.assertEqual(log_of(svc, "squashed migrations re-recorded"), [])
            self.assertEqual(procedures_state(svc), "current")
        # and a database the new binary made from nothing has the same schema
        new = fresh_database("procnew")
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(new)})
                         .returncode, 0)
        self.assertEqual(schema_dump(old), schema_dump(new))

    def test_demo_seeds_load_after_migrate(self):
        # what deploy/local/run.sh does: migrate, then each seed file, every start
        db = fresh_database("procseed")
        self.assertEqual(run_cli(["migrate"], env={"THIDUA_DATABASE_URL": pg_url(db)})
                         .returncode, 0)
        seeds = sorted(glob.glob(os.path.join(SOURCE_DIR, "db", "seed", "*.sql")))
        for _ in range(2):
            for path in seeds:
                psql_files(db, [path])
        self.assertGreater(int(psql("SELECT count(*) FROM staff", db)), 0)
        # the Board's 2022 statistics forms (0011), the same after the second load
        forms = json.loads(psql("SELECT stat_forms_json(id, 2022) FROM organizations "
                                "WHERE code = 'BQLKKT-GL'", db))
        totals = {f["form"]: f["rows"][0]["values"][0] for f in forms["forms"]}
        self.assertEqual(totals, {"0601": 2, "0602": 1, "0603": 4, "0604": 0, "0605": 2})
        self.assertEqual(forms["receiver"]["name"],
                         "Tỉnh Gia Lai – Hội đồng Thi đua, Khen thưởng tỉnh")
        province = json.loads(psql("SELECT stat_forms_json(id, 2022) FROM organizations "
                                   "WHERE code = 'TINH-GL'", db))
        self.assertEqual(len(province["members"]), 8)
        self.assertEqual(province["forms"][3]["rows"][0]["values"], [1])


if __name__ == "__main__":
    main()
