"""The harness's SQL (pgwire.py) answers what psql -XAtq -c answers.

Every API test arranges and reads the database through psql(); since it
speaks the protocol itself instead of starting psql, this checks it against
psql on the cases the tests lean on: several results, NULL and "|" in
values, errors with their message, a string that fails half-way (nothing
of it kept, as in one implicit transaction), explicit transactions, and a
session left as a new one would be.
"""

import os
import subprocess
import unittest

import pgwire
from harness import fresh_database, main, psql

CASES = [
    "SELECT 1",
    "SELECT 1; SELECT 2, NULL, 'a|b'; SELECT 3 WHERE false",
    "SELECT 'Nguyễn Thị Thu Hà', E'two\\nlines', true, 1.50::numeric, '2024-12-31'::date",
    "CREATE TEMP TABLE t (a int); INSERT INTO t VALUES (1), (2) RETURNING a",
    "SELECT json_build_object('k', 'v')::text",
    "",
    "SELECT * FROM no_such_table",
    "SELECT 1; SELECT 1/0",
    "BEGIN; SELECT 1; COMMIT;",
]


def spawned(sql, db):
    env = dict(os.environ, PGDATABASE=db)
    out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], env=env,
                         capture_output=True, text=True)
    return out.stdout.strip(), out.returncode != 0


class HarnessSqlTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.db = fresh_database("harnesssql")
        psql("CREATE TABLE kept (a int)", cls.db)

    def wire(self, sql):
        out, error = pgwire.run(sql, self.db)
        return out.strip(), error is not None

    def test_same_output_as_psql(self):
        for sql in CASES:
            with self.subTest(sql=sql):
                self.assertEqual(self.wire(sql), spawned(sql, self.db))

    def test_error_names_the_cause(self):
        with self.assertRaisesRegex(RuntimeError, 'relation "no_such_table" does not exist'):
            psql("SELECT * FROM no_such_table", self.db)
        self.assertEqual(psql("SELECT 7", self.db), "7")  # the connection goes on

    def test_a_failing_string_keeps_nothing(self):
        psql("INSERT INTO kept VALUES (1); SELECT 1/0", self.db, check=False)
        self.assertEqual(psql("SELECT count(*) FROM kept", self.db), "0")
        psql("BEGIN; INSERT INTO kept VALUES (2); SELECT 1/0; COMMIT;", self.db, check=False)
        self.assertEqual(psql("SELECT count(*) FROM kept", self.db), "0")
        psql("BEGIN; INSERT INTO kept VALUES (3);", self.db)  # left open: rolled back
        self.assertEqual(psql("SELECT count(*) FROM kept", self.db), "0")
        self.assertEqual(psql("SELECT transaction_timestamp() = statement_timestamp()", self.db),
                         "t")

    def test_each_string_starts_a_clean_session(self):
        psql("SET statement_timeout = '1234ms'; CREATE TEMP TABLE scratch (a int)", self.db)
        self.assertEqual(psql("SHOW statement_timeout", self.db), "0")
        self.assertEqual(psql("SELECT to_regclass('pg_temp.scratch') IS NULL", self.db), "t")

    def test_a_connection_dropped_between_strings_is_opened_again(self):
        pid = psql("SELECT pg_backend_pid()", self.db)
        psql(f"SELECT pg_terminate_backend({pid})")
        self.assertEqual(psql("SELECT 8", self.db), "8")
        self.assertNotEqual(psql("SELECT pg_backend_pid()", self.db), pid)


if __name__ == "__main__":
    main()
