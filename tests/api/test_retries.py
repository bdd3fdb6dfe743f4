"""Retry where the database asks for it: a write that PostgreSQL aborts with
a serialization failure (40001) or a deadlock (40P01) runs again inside the
service, a bounded number of times, instead of being answered 409.

The failures are real PostgreSQL errors, raised by a trigger that the test
installs on the table the write touches.  The trigger counts its calls with
a sequence, which a rollback does not undo, so the test sees how many times
the service ran the write.
"""

from harness import main
from identity import IdentityTest

TRIGGER = """
CREATE SEQUENCE IF NOT EXISTS test_{name}_calls;
CREATE OR REPLACE FUNCTION test_{name}_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('test_{name}_calls') <= {failures} THEN
    RAISE EXCEPTION 'injected by the test' USING ERRCODE = '{sqlstate}';
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER test_{name}_fail BEFORE INSERT ON {table}
  FOR EACH ROW EXECUTE FUNCTION test_{name}_fail();
"""


class RetryTest(IdentityTest):

    def inject(self, name, table, sqlstate, failures):
        self.sql(TRIGGER.format(name=name, table=table, sqlstate=sqlstate, failures=failures))
        self.addCleanup(self.sql, f"DROP TRIGGER test_{name}_fail ON {table}; "
                                  f"DROP SEQUENCE test_{name}_calls")

    def calls(self, name):
        return int(self.sql(f"SELECT last_value FROM test_{name}_calls"))

    def retries_counted(self):
        r = self.call("GET", "/metrics")
        for line in r.body.decode().splitlines():
            if line.startswith("thidua_db_retries_total "):
                return int(line.split()[1])
        raise AssertionError("no thidua_db_retries_total in /metrics")

    def create_document(self, code):
        return self.call("POST", "/v1/documents", token=self.token("A", "secretariat"),
                         body={"code": code, "title": "Văn bản thử"})

    def test_a_serialization_failure_is_retried(self):
        before = self.retries_counted()
        self.inject("ser", "documents", "40001", failures=2)
        r = self.create_document("RETRY-1")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.calls("ser"), 3)  # two aborted runs, then the one that stood
        self.assertEqual(self.count("documents", "code = 'RETRY-1'"), 1)
        self.assertEqual(self.count("audit_log", "action = 'document.create' "
                                                 "AND after->>'code' = 'RETRY-1'"), 1)
        self.assertEqual(self.retries_counted() - before, 2)

    def test_a_deadlock_is_retried(self):
        self.inject("dead", "documents", "40P01", failures=1)
        r = self.create_document("RETRY-2")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.calls("dead"), 2)

    def test_retries_are_bounded_and_end_in_503(self):
        self.inject("always", "documents", "40001", failures=1000)
        r = self.create_document("RETRY-3")
        doc = self.assertProblem(r, 503, "unavailable")
        self.assertTrue(r.header("Retry-After"))
        self.assertNotIn("40001", doc["detail"])
        self.assertEqual(self.calls("always"), 5)  # the attempts of store/db.c
        self.assertEqual(self.count("documents", "code = 'RETRY-3'"), 0)

    def test_a_transaction_runs_again_whole(self):
        # a login writes its refresh token and audit entry in one transaction
        def tokens():
            return int(self.sql(
                "SELECT count(*) FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
                f" WHERE u.username = '{self.world['A'].username('viewer')}'"))
        before = tokens()
        self.inject("tx", "refresh_tokens", "40001", failures=1)
        r = self.login("A", "viewer")
        self.assertIn("access_token", r)
        self.assertEqual(self.calls("tx"), 2)
        # the aborted run left nothing behind: one more token, not two
        self.assertEqual(tokens(), before + 1)

    def test_other_errors_are_not_retried(self):
        self.inject("check", "documents", "23514", failures=1)
        r = self.create_document("RETRY-4")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(self.calls("check"), 1)


if __name__ == "__main__":
    main()
