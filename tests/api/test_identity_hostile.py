"""Identity against hostile clients: usernames that only look alike, an
attacker elsewhere trying to lock an account's owner out, concurrent correct
logins, a throttle table that must not grow without bound.

Requests "from elsewhere" leave from other loopback addresses (127.0.0.2,
127.0.0.3): the service throttles the socket's address, never a header.
"""

import http.client
import json
import threading
import time
import uuid

from harness import main
from identity import PASSWORD, IdentityTest, password_hash, sql_text

KELVIN = "\u212a"  # KELVIN SIGN, which lower() folds to "k"
I_DOT = "\u0130"  # LATIN CAPITAL LETTER I WITH DOT ABOVE, folded to "i"


class HostileLoginBase(IdentityTest):
    service_env = {"THIDUA_WORKER_THREADS": "8", "THIDUA_DB_POOL_SIZE": "8"}

    def setUp(self):
        self.sql("DELETE FROM login_throttle")

    @classmethod
    def grant_from(cls, address, username, password=PASSWORD):
        """A password grant sent from a local address of our choice."""
        conn = http.client.HTTPConnection("127.0.0.1", cls.svc.port, timeout=30,
                                          source_address=(address, 0))
        try:
            body = json.dumps({"grant_type": "password", "username": username,
                               "password": password}).encode()
            conn.request("POST", "/v1/auth/token", body=body,
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            return r.status, r.getheader("Retry-After"), r.read()
        finally:
            conn.close()

    @classmethod
    def add_user(cls, org_key, username, role="viewer"):
        o = cls.world[org_key]
        cls.sql("INSERT INTO users (organization_id, username, display_name, password_hash, "
                f"roles) VALUES ({o.id}, {sql_text(username)}, 'Kiểm tra', "
                f"{sql_text(password_hash())}, ARRAY[{sql_text(role)}])")


class LookalikeTest(HostileLoginBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("A", "a.kiem.tra")

    def test_lookalike_usernames_do_not_reach_the_account(self):
        self.assertEqual(self.password_grant("a.kiem.tra").status, 200)
        self.assertEqual(self.password_grant("A.KIEM.TRA").status, 200)  # ASCII case folds
        for name in (f"a.{KELVIN}iem.tra", f"a.k{I_DOT}em.tra", f"A.{KELVIN}{I_DOT}EM.TRA",
                     "a.kiem.tra\u00a0", "a.kiem\uff0etra", "ａ.kiem.tra"):
            with self.subTest(name=name):
                r = self.password_grant(name)
                self.assertProblem(r, 401, "invalid-credentials")
        self.assertEqual(self.count("login_throttle", "key LIKE '%\u212a%' OR key LIKE "
                                    "'%\u0130%'"), 0)

    def test_a_locked_account_does_not_log_in_through_a_lookalike(self):
        for i in range(4):
            self.assertEqual(self.password_grant("a.kiem.tra", f"sai-{i}").status, 401)
        self.assertProblem(self.password_grant("a.kiem.tra"), 429, "too-many-attempts")
        for name in (f"a.{KELVIN}iem.tra", f"a.k{I_DOT}em.tra"):
            with self.subTest(name=name):
                r = self.password_grant(name)
                self.assertIn(r.status, (401, 429), r)
                self.assertNotIn(b"access_token", r.body)

    def test_lookalikes_spend_the_address_budget(self):
        statuses = [self.password_grant(f"a.{KELVIN}iem.tra", f"sai-{i}").status
                    for i in range(22)]
        self.assertEqual(statuses[:20], [401] * 20, statuses)
        self.assertIn(429, statuses[20:], statuses)


class OwnerNotLockedOutTest(HostileLoginBase):

    def test_an_attacker_elsewhere_cannot_lock_the_owner_out(self):
        user = self.world["B"].username("viewer")
        seen = [self.grant_from("127.0.0.2", user, f"doan-{i}")[0] for i in range(8)]
        self.assertEqual(seen[:4], [401] * 4, seen)
        self.assertIn(429, seen[4:], seen)
        # the owner, from their own address, is not blocked
        status, _, body = self.grant_from("127.0.0.3", user)
        self.assertEqual(status, 200, body)
        # and the attacker's address stays blocked for this account
        self.assertEqual(self.grant_from("127.0.0.2", user)[0], 429)

    def test_delays_still_grow_for_the_pair(self):
        user = self.world["B"].username("council")
        for i in range(4):
            self.assertEqual(self.grant_from("127.0.0.2", user, f"sai-{i}")[0], 401)
        status, retry, _ = self.grant_from("127.0.0.2", user, "sai-nua")
        self.assertEqual(status, 429)
        self.assertTrue(1 <= int(retry) <= 2, retry)
        time.sleep(int(retry) + 0.3)
        self.assertEqual(self.grant_from("127.0.0.2", user, "sai-lan-5")[0], 401)
        status, retry, _ = self.grant_from("127.0.0.2", user, "sai-nua")
        self.assertEqual(status, 429)
        self.assertTrue(3 <= int(retry) <= 4, retry)  # 2 s, then 4 s
        # a success clears the pair's count
        time.sleep(int(retry) + 0.3)
        self.assertEqual(self.grant_from("127.0.0.2", user)[0], 200)
        for i in range(3):
            self.assertEqual(self.grant_from("127.0.0.2", user, f"lai-{i}")[0], 401)
        self.assertEqual(self.grant_from("127.0.0.2", user)[0], 200)

    def test_one_address_spraying_many_accounts_is_still_blocked(self):
        seen = [self.grant_from("127.0.0.2", self.world["A"].username(role), "Mua-he-2024")[0]
                for role in ("admin", "secretariat", "leader", "council", "viewer", "staff",
                             "unit_head") * 3 + ("admin",)]
        self.assertEqual(seen[:21], [401] * 21, seen)  # the 21st is answered, and blocks
        self.assertEqual(seen[21:], [429], seen)
        # another address is not concerned
        self.assertEqual(self.grant_from("127.0.0.3", self.world["A"].username("admin"))[0],
                         200)


class ConcurrentLoginTest(HostileLoginBase):

    def test_concurrent_correct_logins_of_one_account_all_succeed(self):
        user = self.world["A"].username("leader")
        n = 32
        barrier = threading.Barrier(n)
        answers = []
        lock = threading.Lock()

        def login():
            barrier.wait()
            r = self.password_grant(user)
            with lock:
                answers.append(r)

        threads = [threading.Thread(target=login) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in answers], [200] * n, answers)
        self.assertEqual(len({r.json()["refresh_token"] for r in answers}), n)


class ThrottlePurgeTest(HostileLoginBase):
    service_env = {"THIDUA_HOUSEKEEPING_INTERVAL_S": "1"}

    def test_old_throttle_rows_are_purged(self):
        # what a spray of unknown names leaves behind, a day later
        self.sql("INSERT INTO login_throttle (key, failures, last_failure) SELECT "
                 "'pair:nobody.' || i || '@127.0.0.9', 1, now() - interval '25 hours' "
                 "FROM generate_series(1, 50) i")
        self.sql("INSERT INTO login_throttle (key, failures, last_failure, blocked_until) "
                 "VALUES ('ip:10.0.0.1', 40, now() - interval '25 hours', "
                 "now() + interval '1 minute')")
        user = self.world["A"].username("viewer")
        self.assertEqual(self.password_grant(user, "sai-" + uuid.uuid4().hex).status, 401)
        fresh = self.count("login_throttle")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.count("login_throttle") > fresh - 50:
            time.sleep(0.2)
        left = self.sql("SELECT string_agg(key, ',' ORDER BY key) FROM login_throttle")
        self.assertNotIn("nobody", left)
        self.assertIn("ip:10.0.0.1", left)  # still blocked: kept until it is not
        self.assertIn(user, left)  # today's failure is kept
        self.assertTrue(any("throttle" in l.get("msg", "") for l in self.svc.log_lines()))


if __name__ == "__main__":
    main()
