"""Identity, authentication: forged tokens, JWKS, refresh rotation, logout,
log-in throttling, client credentials.

Every forgery goes over HTTP to the real binary and must answer 401 with an
RFC 6750 challenge naming invalid_token; a token made the same way but signed
properly with the service's key answers 200, so each forgery fails for the
reason it was built for.
"""

import json
import re
import statistics
import threading
import time
import unittest
import urllib.parse
import uuid

from harness import EN, main
from identity import (AUDIENCE, ISSUER, KID, PASSWORD, IdentityTest, P256Key, add_client,
                      b64u, b64u_decode, der_ecdsa_to_raw, json_b64u, jwt_hs256, jwt_parts,
                      jwt_unsigned, pem_from_jwk, raw_ecdsa_to_der, sql_text)

ME = "/v1/me"


class JoseHelpersTest(unittest.TestCase):
    """Our own signing code first: a wrong converter would make every forgery
    test pass for the wrong reason."""

    @classmethod
    def setUpClass(cls):
        cls.key = P256Key()

    @classmethod
    def tearDownClass(cls):
        cls.key.cleanup()

    def test_der_to_raw_round_trip(self):
        for i in range(20):
            data = f"header.payload-{i}".encode()
            raw = self.key.sign(data)
            self.assertEqual(len(raw), 64)
            self.assertTrue(self.key.verify(data, raw))
            self.assertFalse(self.key.verify(data + b"x", raw))

    def test_der_to_raw_pads_short_integers(self):
        # r with a leading 0x00 (high bit set) and a short s of 31 bytes
        r = b"\x00" + b"\x80" + b"\x11" * 31
        s = b"\x22" * 31
        der = b"\x30" + bytes([4 + len(r) + len(s)]) + b"\x02" + bytes([len(r)]) + r + \
            b"\x02" + bytes([len(s)]) + s
        raw = der_ecdsa_to_raw(der)
        self.assertEqual(raw, b"\x80" + b"\x11" * 31 + b"\x00" + b"\x22" * 31)


class TokenForgeryTest(IdentityTest):

    def assertInvalidToken(self, r, what):
        self.assertEqual(r.status, 401, f"{what}: {r}")
        self.assertProblem(r, 401, "unauthorized")
        challenge = r.header("WWW-Authenticate") or ""
        self.assertTrue(challenge.startswith('Bearer realm="thidua"'), (what, challenge))
        self.assertIn('error="invalid_token"', challenge, what)

    def base_claims(self):
        return self.user_claims("A", "staff")

    def test_properly_signed_token_of_our_own_is_accepted(self):
        claims = self.base_claims()
        r = self.call("GET", ME, token=self.signed(claims))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["subject"], claims["sub"])
        self.assertEqual(r.json()["roles"], ["staff"])
        # and the same with an audience list, and near the edges of the leeway
        now = int(time.time())
        for name, extra in (("aud list", {"aud": ["other", AUDIENCE]}),
                            ("expired 10 s ago", {"exp": now - 10, "iat": now - 300,
                                                  "nbf": now - 300}),
                            ("nbf in 10 s", {"nbf": now + 10}),
                            ("no nbf, no iat", {"nbf": None, "iat": None})):
            with self.subTest(name):
                c = dict(claims, **extra)
                c = {k: v for k, v in c.items() if v is not None}
                self.assertEqual(self.call("GET", ME, token=self.signed(c)).status, 200)

    def test_service_issued_token_shape(self):
        tok = self.token("A", "unit_head")
        header, claims, sig = jwt_parts(tok)
        self.assertEqual(header, {"alg": "ES256", "kid": KID, "typ": "at+jwt"})
        self.assertEqual(len(b64u_decode(sig)), 64)
        self.assertEqual(claims["iss"], ISSUER)
        self.assertEqual(claims["aud"], AUDIENCE)
        self.assertEqual(claims["sub"], f"user:{self.world['A'].users['unit_head']['id']}")
        self.assertEqual(claims["unit"], self.world["A"].units["R"])
        self.assertLessEqual(claims["exp"] - claims["iat"], 900)
        self.assertRegex(claims["jti"], r"^[0-9a-f]{32}$")
        self.assertNotIn("password", json.dumps(claims))
        # our own openssl agrees that the service signed it with our key
        self.assertTrue(self.key.verify(tok.rsplit(".", 1)[0].encode(), b64u_decode(sig)))

    def forgeries(self):
        """(what, the reason the challenge must give, token) for every forgery."""
        claims = self.base_claims()
        now = int(time.time())
        good = self.signed(claims)
        h64, p64, s64 = good.split(".")
        jwks = self.call("GET", "/.well-known/jwks.json").json()
        pem = pem_from_jwk(jwks["keys"][0])
        self.assertEqual(pem, self.key.public_pem)  # the PEM an attacker rebuilds
        other = P256Key()
        self.addCleanup(other.cleanup)
        admin = dict(claims, roles=["admin"])
        ih, ip, isig = self.token("A", "staff").split(".")
        tampered = dict(json.loads(b64u_decode(ip)), roles=["admin"])

        def header(**h):
            return {k: v for k, v in dict({"alg": "ES256", "typ": "at+jwt", "kid": KID},
                                          **h).items() if v is not None}

        def without(name):
            return {k: v for k, v in claims.items() if k != name}

        none_input = json_b64u(header(alg="none")) + "." + json_b64u(admin)
        alg, exp, nyv, missing = "algorithm", "expired", "not yet valid", "claim missing"
        bad, sig, kid, typ = "malformed", "signature", "signing key", "type"
        claims_nu = "claims not understood"
        return [
            ("alg none, no signature", alg, jwt_unsigned(admin)),
            ("alg none, signature kept", alg, jwt_unsigned(admin, signature=s64)),
            ("alg None, no kid", alg, jwt_unsigned(admin, header(alg="None", kid=None))),
            ("alg none, signed anyway", alg, none_input + "." + b64u(self.key.sign(none_input))),
            ("HS256, public key PEM as secret", alg, jwt_hs256(pem, admin)),
            ("HS256, PEM without last newline", alg, jwt_hs256(pem.rstrip("\n"), admin)),
            ("HS256, DER public key as secret", alg, jwt_hs256(self.key.public_der, admin)),
            ("HS256, no kid", alg, jwt_hs256(pem, admin, header(alg="HS256", kid=None))),
            ("RS256 header, ES256 signature", alg, self.signed(claims, header(alg="RS256"))),
            ("es256 in lower case", alg, self.signed(claims, header(alg="es256"))),
            ("expired beyond the leeway", exp, self.signed(
                dict(claims, iat=now - 1000, nbf=now - 1000, exp=now - 36))),
            ("no exp", missing, self.signed(without("exp"))),
            ("not yet valid (nbf)", nyv, self.signed(dict(claims, nbf=now + 120))),
            ("issued in the future (iat)", nyv, self.signed(dict(claims, iat=now + 120))),
            ("exp as a string", bad, self.signed(dict(claims, exp=str(now + 300)))),
            ("wrong iss", "issuer", self.signed(dict(claims, iss="https://sso.gialai.gov.vn"))),
            ("no iss", missing, self.signed(without("iss"))),
            ("wrong aud", "audience", self.signed(dict(claims, aud="thidua-admin"))),
            ("aud list without ours", "audience", self.signed(dict(claims, aud=["a", "b"]))),
            ("no sub", missing, self.signed(without("sub"))),
            ("no jti", missing, self.signed(without("jti"))),
            ("issued token, roles now admin", sig, f"{ih}.{json_b64u(tampered)}.{isig}"),
            ("our token, roles now admin", sig, f"{h64}.{json_b64u(admin)}.{s64}"),
            ("unknown kid", kid, self.signed(claims, header(kid="k2"))),
            ("missing kid", kid, self.signed(claims, header(kid=None))),
            ("empty kid", bad, self.signed(claims, header(kid=""))),
            ("wrong typ", typ, self.signed(claims, header(typ="JWT"))),
            ("missing typ", typ, self.signed(claims, header(typ=None))),
            ("crit header", bad, self.signed(claims, header(crit=["exp"], exp=1))),
            ("another P-256 key, right kid", sig, self.signed(admin, key=other)),
            ("another key, its JWK in header", sig, self.signed(admin, header(jwk={
                "kty": "EC", "crv": "P-256", "x": b64u(other.x), "y": b64u(other.y)}),
                key=other)),
            ("signature truncated", "", good[:-4]),
            ("signature of 65 bytes", sig, f"{h64}.{p64}.{b64u(b64u_decode(s64) + b'0')}"),
            ("signature as DER", sig,
             f"{h64}.{p64}.{b64u(raw_ecdsa_to_der(b64u_decode(s64)))}"),
            ("padding in the signature", bad, good + "=="),
            ("four parts", bad, good + ".x"),
            ("two parts", bad, f"{h64}.{p64}"),
            ("not a JWT", bad, "garbage"),
            ("role unknown to us", claims_nu, self.signed(dict(claims, roles=["superuser"]))),
            ("user and client at once", claims_nu,
             self.signed(dict(claims, scope="integration:read"))),
            ("org as a string", claims_nu, self.signed(dict(claims, org=str(claims["org"])))),
            ("sub of nobody we know", claims_nu, self.signed(dict(claims, sub="root"))),
            ("huge token", bad, self.signed(dict(claims, pad="x" * 9000))),
        ]

    def test_forged_tokens_are_401_invalid_token(self):
        n = 0
        for what, reason, tok in self.forgeries():
            n += 1
            with self.subTest(what):
                r = self.call("GET", ME, token=tok)
                self.assertInvalidToken(r, what)
                # the challenge names why, so each forgery fails for its own reason
                m = re.search(r'error_description="([^"]*)"', r.header("WWW-Authenticate"))
                self.assertIsNotNone(m, r.header("WWW-Authenticate"))
                self.assertIn(reason, m.group(1), what)
                # the error says nothing internal
                self.assertNotIn(b"libjwt", r.body.lower())
                self.assertNotIn(b"openssl", r.body.lower())
        self.assertGreater(n, 30)

    def test_forged_admin_token_gets_no_admin_route(self):
        # the same forgeries against an admin-only route: never 200
        for what, _, tok in self.forgeries():
            with self.subTest(what):
                r = self.call("GET", "/v1/audit", token=tok)
                self.assertInvalidToken(r, what)

    def test_jwks_shape(self):
        r = self.call("GET", "/.well-known/jwks.json")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/jwk-set+json")
        doc = r.json()
        self.assertEqual(list(doc), ["keys"])
        self.assertEqual(len(doc["keys"]), 1)
        jwk = doc["keys"][0]
        self.assertEqual(set(jwk), {"kty", "crv", "x", "y", "kid", "alg", "use"})
        self.assertEqual((jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"], jwk["kid"]),
                         ("EC", "P-256", "ES256", "sig", KID))
        for coord, want in (("x", self.key.x), ("y", self.key.y)):
            self.assertRegex(jwk[coord], r"^[A-Za-z0-9_-]{43}$")
            self.assertEqual(b64u_decode(jwk[coord]), want)
        self.assertNotIn("d", jwk)
        self.assertIn("max-age", r.header("Cache-Control"))


class OAuthFormTest(IdentityTest):
    """The token endpoint takes the form OAuth 2.0 clients send (RFC 6749
    §4.3.2, §4.4.2, §6: application/x-www-form-urlencoded), as well as JSON,
    with the same answers."""

    def form(self, fields, raw=None, content_type="application/x-www-form-urlencoded"):
        body = raw if raw is not None else urllib.parse.urlencode(fields).encode()
        return self.call("POST", "/v1/auth/token", body=body,
                         headers={"Content-Type": content_type, **EN})

    def test_every_grant_as_a_form(self):
        o = self.world["A"]
        cid, secret = o.clients["portal"]
        r = self.form({"grant_type": "client_credentials", "client_id": cid,
                       "client_secret": secret, "scope": "integration:read"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["scope"], "integration:read")
        self.assertEqual(self.call("GET", "/v1/organization",
                                   token=r.json()["access_token"]).status, 200)
        r = self.form({"grant_type": "password", "username": o.users["viewer"]["username"],
                       "password": PASSWORD})
        self.assertEqual(r.status, 200, r)
        refresh = r.json()["refresh_token"]
        r = self.form({"grant_type": "refresh_token", "refresh_token": refresh})
        self.assertEqual(r.status, 200, r)
        # a wrong secret is the same answer as in JSON
        bad = self.form({"grant_type": "client_credentials", "client_id": cid,
                         "client_secret": secret + "x"})
        bad_json = self.client_grant(cid, secret + "x")
        self.assertEqual((bad.status, bad.json()["type"]), (bad_json.status,
                                                            bad_json.json()["type"]))

    def test_malformed_forms(self):
        for raw in (b"grant_type=password&grant_type=client_credentials",
                    b"grant_type=%zz", b"grant_type=pass%00word", b"=x",
                    b"grant_type=%C3", b""):
            with self.subTest(raw=raw):
                self.assertProblem(self.form(None, raw=raw), 400)
        r = self.form({"grant_type": "magic"})
        self.assertEqual([e["pointer"] for e in self.assertProblem(r, 422)["errors"]],
                         ["/grant_type"])
        r = self.form(None, raw=b"grant_type=password", content_type="text/plain")
        self.assertProblem(r, 415)
        # only the token endpoint takes a form
        r = self.call("POST", "/v1/plans", token=self.token("A", "secretariat"),
                      body=b"year=2026", headers={"Content-Type":
                                                  "application/x-www-form-urlencoded"})
        self.assertProblem(r, 415)


class RefreshTest(IdentityTest):

    def refresh(self, token):
        return self.call("POST", "/v1/auth/token",
                         body={"grant_type": "refresh_token", "refresh_token": token})

    def test_rotation_and_reuse_revokes_the_family(self):
        first = self.login("A", "secretariat")
        self.assertIn("refresh_token", first)
        self.assertEqual(first["token_type"], "Bearer")
        r1 = first["refresh_token"]
        r = self.refresh(r1)
        self.assertEqual(r.status, 200, r)
        second = r.json()
        r2 = second["refresh_token"]
        self.assertNotEqual(r2, r1)
        self.assertNotEqual(second["access_token"], first["access_token"])
        self.assertEqual(self.call("GET", ME, token=second["access_token"]).status, 200)
        # a sibling session (another log-in) is another family
        other = self.login("A", "secretariat")["refresh_token"]
        # reuse of the consumed token: refused, and the family is revoked
        self.assertProblem(self.refresh(r1), 401, "invalid-grant")
        self.assertProblem(self.refresh(r2), 401, "invalid-grant")
        # the other family is untouched
        r = self.refresh(other)
        self.assertEqual(r.status, 200, r)
        # the reuse is audited
        admin = self.token("A", "admin")
        audit = self.call("GET", "/v1/audit?action=auth.refresh_reuse", token=admin).json()
        self.assertEqual(len(audit["items"]), 1)
        self.assertEqual(audit["items"][0]["actor_id"],
                         str(self.world["A"].users["secretariat"]["id"]))

    def test_refresh_tokens_are_stored_hashed(self):
        tok = self.login("A", "leader")["refresh_token"]
        self.assertEqual(self.count("refresh_tokens", f"token_hash = convert_to("
                                    f"{sql_text(tok)}, 'UTF8')"), 0)
        self.assertEqual(self.count("refresh_tokens", f"token_hash = sha256(convert_to("
                                    f"{sql_text(tok)}, 'UTF8'))"), 1)

    def test_unknown_and_malformed_refresh_tokens(self):
        for tok in ("nope", "x" * 100, uuid.uuid4().hex):
            with self.subTest(tok=tok[:10]):
                self.assertProblem(self.refresh(tok), 401, "invalid-grant")
        self.assertProblem(self.refresh("x" * 101), 422)

    def test_logout_revokes(self):
        tokens = self.login("A", "council")
        r = self.call("POST", "/v1/auth/logout", body={"refresh_token": tokens["refresh_token"]})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        self.assertProblem(self.refresh(tokens["refresh_token"]), 401, "invalid-grant")
        # and a second logout is just as quiet
        r = self.call("POST", "/v1/auth/logout", body={"refresh_token": tokens["refresh_token"]})
        self.assertEqual(r.status, 204, r)

    def test_logout_revokes_rotated_family(self):
        tokens = self.login("A", "council")
        r2 = self.refresh(tokens["refresh_token"]).json()["refresh_token"]
        # logging out with the consumed first token ends the whole session
        r = self.call("POST", "/v1/auth/logout", body={"refresh_token": tokens["refresh_token"]})
        self.assertEqual(r.status, 204)
        self.assertProblem(self.refresh(r2), 401, "invalid-grant")

    def test_logout_of_unknown_token_is_204(self):
        before = self.count("audit_log")
        for tok in ("never-issued", uuid.uuid4().hex * 2):
            r = self.call("POST", "/v1/auth/logout", body={"refresh_token": tok})
            self.assertEqual(r.status, 204, r)
            self.assertEqual(r.body, b"")
        self.assertEqual(self.count("audit_log"), before)

    def test_role_change_revokes_refresh_tokens(self):
        o = self.world["B"]
        tokens = self.login("B", "viewer")
        uid = o.users["viewer"]["id"]
        admin = self.token("B", "admin")
        v = self.call("GET", f"/v1/users/{uid}", token=admin).header("ETag")
        r = self.call("PATCH", f"/v1/users/{uid}", token=admin, body={"roles": ["viewer"]},
                      headers={"If-Match": v})
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.refresh(tokens["refresh_token"]), 401, "invalid-grant")

    def test_password_reset_revokes_refresh_tokens(self):
        o = self.world["B"]
        uid = o.users["staff"]["id"]
        tokens = self.login("B", "staff")
        admin = self.token("B", "admin")
        etag = self.call("GET", f"/v1/users/{uid}", token=admin).header("ETag")
        new_password = "Mat-khau-moi-" + uuid.uuid4().hex[:6]
        r = self.call("PATCH", f"/v1/users/{uid}", token=admin, body={"password": new_password},
                      headers={"If-Match": etag})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(new_password.encode(), r.body)
        self.assertNotIn(b"argon2", r.body)
        self.assertProblem(self.refresh(tokens["refresh_token"]), 401, "invalid-grant")
        self.assertProblem(self.password_grant(o.username("staff")), 401, "invalid-credentials")
        self.assertEqual(self.password_grant(o.username("staff"), new_password).status, 200)
        self.sql("DELETE FROM login_throttle")

    def test_expired_refresh_token(self):
        tokens = self.login("A", "viewer")
        self.sql("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE "
                 f"token_hash = sha256(convert_to({sql_text(tokens['refresh_token'])}, 'UTF8'))")
        self.assertProblem(self.refresh(tokens["refresh_token"]), 401, "invalid-grant")

    def test_disabled_account_cannot_refresh_or_log_in(self):
        o = self.world["B"]
        tokens = self.login("B", "council")
        self.sql(f"UPDATE users SET disabled = true WHERE id = {o.users['council']['id']}")
        try:
            self.assertProblem(self.refresh(tokens["refresh_token"]), 401, "invalid-grant")
            self.assertProblem(self.password_grant(o.username("council")), 401,
                               "invalid-credentials")
        finally:
            self.sql(f"UPDATE users SET disabled = false WHERE id = {o.users['council']['id']}")
            self.sql("DELETE FROM login_throttle")


class ThrottleTest(IdentityTest):
    service_env = {"THIDUA_WORKER_THREADS": "8", "THIDUA_DB_POOL_SIZE": "8"}  # the defaults

    def setUp(self):
        self.sql("DELETE FROM login_throttle")

    def test_wrong_passwords_lead_to_429_and_block_the_right_one(self):
        user = self.world["B"].username("viewer")
        statuses = []
        # three free failures; the fourth is still answered, and starts the delay
        for i in range(4):
            r = self.password_grant(user, "wrong-password-" + str(i))
            statuses.append(r.status)
            self.assertProblem(r, 401, "invalid-credentials")
        t_block = time.monotonic()
        r = self.password_grant(user, "wrong-password-again")
        doc = self.assertProblem(r, 429, "too-many-attempts")
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry, r)
        self.assertRegex(retry, r"^[0-9]+$")
        self.assertTrue(1 <= int(retry) <= 2, retry)
        self.assertNotIn("errors", doc)
        # the right password is refused too while the account is blocked
        r = self.password_grant(user, PASSWORD)
        self.assertProblem(r, 429, "too-many-attempts")
        self.assertNotIn(b"access_token", r.body)
        # another account from the same address is not blocked
        self.assertEqual(self.password_grant(self.world["B"].username("leader")).status, 200)
        # after the delay, the right password works and clears the counter
        time.sleep(max(0.0, int(retry) + 0.3 - (time.monotonic() - t_block)))
        r = self.password_grant(user, PASSWORD)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.count("login_throttle", f"key LIKE 'pair:{user}@%'"), 0)

    def test_success_clears_the_account_counter(self):
        user = self.world["B"].username("leader")
        for i in range(3):
            self.assertEqual(self.password_grant(user, f"sai-{i}-mat-khau").status, 401)
        self.assertEqual(self.password_grant(user).status, 200)
        self.assertEqual(self.count("login_throttle", f"key LIKE 'pair:{user}@%'"), 0)
        # three more failures are free again, so the fourth attempt is answered
        for i in range(3):
            self.assertEqual(self.password_grant(user, f"sai-lai-{i}").status, 401)
        self.assertEqual(self.password_grant(user).status, 200)

    def test_username_case_does_not_escape_the_counter(self):
        user = self.world["B"].username("secretariat")
        for i, name in enumerate((user, user.upper(), user.title(), user)):
            self.assertEqual(self.password_grant(name, f"sai-{i}-mat-khau").status, 401)
        r = self.password_grant(user.upper(), "sai-nua")
        self.assertProblem(r, 429, "too-many-attempts")

    def test_unknown_user_and_wrong_password_answer_the_same(self):
        known = self.world["A"].username("viewer")
        rid = "same-request-id-for-both"
        a = self.password_grant(known, "not-the-password", headers={"X-Request-Id": rid})
        self.sql("DELETE FROM login_throttle")
        b = self.password_grant("khong.ton.tai", "not-the-password",
                                headers={"X-Request-Id": rid})
        self.sql("DELETE FROM login_throttle")
        c = self.password_grant("a.viewer.x", PASSWORD, headers={"X-Request-Id": rid})
        self.assertEqual(a.status, 401)
        for other in (b, c):
            self.assertEqual(other.status, a.status)
            self.assertEqual(other.body, a.body)  # byte for byte
            self.assertEqual(other.header("Content-Type"), a.header("Content-Type"))
            self.assertEqual(other.header("WWW-Authenticate"), a.header("WWW-Authenticate"))
        doc = a.json()
        self.assertEqual(doc["type"], "urn:thidua:problem:invalid-credentials")
        self.assertNotIn(known, a.body.decode())

    def test_unknown_user_and_wrong_password_take_similar_time(self):
        known = self.world["A"].username("viewer")
        times = {"known": [], "unknown": []}
        for i in range(7):
            for kind, user in (("known", known), ("unknown", f"khong.co.{i}")):
                self.sql("DELETE FROM login_throttle")
                t = time.perf_counter()
                r = self.password_grant(user, "mat-khau-sai-hoan-toan")
                times[kind].append(time.perf_counter() - t)
                self.assertEqual(r.status, 401, r)
        k, u = statistics.median(times["known"]), statistics.median(times["unknown"])
        self.assertLess(k / u, 3, times)
        self.assertLess(u / k, 3, times)

    def test_parallel_guesses_do_not_escape_the_limit(self):
        # the block must hold for guesses sent at once, not only one after the
        # other: an attacker gets the free failures plus the one that starts
        # the delay, and every other guess is refused unchecked
        user = self.world["A"].username("council")
        n = 16
        barrier = threading.Barrier(n)
        statuses = []
        lock = threading.Lock()

        def guess(i):
            barrier.wait()
            r = self.password_grant(user, f"doan-mat-khau-{i}")
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(set(statuses)) <= [401, 429], True, statuses)
        checked = statuses.count(401)
        self.assertLessEqual(checked, 4, f"{checked} of {n} parallel guesses were checked "
                             f"against the password: {sorted(statuses)}")

    def test_address_counter_blocks_a_spray_over_many_accounts(self):
        # one address trying one password on many (even unknown) accounts
        statuses = []
        for i in range(23):
            statuses.append(self.password_grant(f"ban.doc.{i}", "Mua-he-2024").status)
        self.assertEqual(statuses[:20], [401] * 20, statuses)
        self.assertIn(429, statuses[20:], statuses)


class ClientCredentialsTest(IdentityTest):

    def test_client_gets_its_scopes(self):
        cid, secret = self.world["A"].clients["portal"]
        r = self.client_grant(cid, secret)
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(sorted(doc["scope"].split()), ["integration:read", "reports:write"])
        self.assertNotIn("refresh_token", doc)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(self.call("GET", "/v1/organization", token=doc["access_token"]).status,
                         200)
        _, claims, _ = jwt_parts(doc["access_token"])
        self.assertEqual(claims["sub"], f"client:{cid}")
        self.assertNotIn("roles", claims)
        self.assertEqual(claims["org"], self.world["A"].id)

    def test_scope_subset_is_honoured(self):
        cid, secret = self.world["A"].clients["portal"]
        r = self.client_grant(cid, secret, scope="reports:write")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["scope"], "reports:write")
        tok = r.json()["access_token"]
        # integration:read was not asked for, so the units are not readable
        self.assertProblem(self.call("GET", "/v1/units", token=tok), 403, "forbidden")
        r = self.client_grant(cid, secret, scope="integration:read")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.call("GET", "/v1/units", token=r.json()["access_token"]).status,
                         200)

    def test_scope_outside_the_clients_is_400(self):
        cid, secret = self.world["A"].clients["reports"]
        for scope in ("integration:read", "reports:write integration:read", "admin",
                      "reports:write admin", "reports:writes", "REPORTS:WRITE"):
            with self.subTest(scope=scope):
                r = self.client_grant(cid, secret, scope=scope)
                doc = self.assertProblem(r, 400, "invalid-scope")
                self.assertEqual(doc["errors"][0]["pointer"], "/scope")
        for scope in (" ", ""):
            with self.subTest(scope=scope):
                r = self.client_grant(cid, secret, scope=scope)
                self.assertIn(r.status, (400, 422), r)
                doc = self.assertProblem(r, r.status)
                self.assertEqual(doc["errors"][0]["pointer"], "/scope")

    def test_wrong_secret_unknown_client_revoked_client_are_401(self):
        o = self.world["A"]
        cid, secret = o.clients["portal"]
        revoked_secret = add_client(self.db, o, "a-revoked", "{integration:read}", revoked=True)
        later = add_client(self.db, o, "a-revoked-later", "{integration:read}")
        self.assertEqual(self.client_grant("a-revoked-later", later).status, 200)
        self.sql("UPDATE clients SET revoked_at = now() WHERE client_id = 'a-revoked-later'")
        cases = [
            ("wrong secret", cid, secret + "x"),
            ("secret of another client", cid, o.clients["reports"][1]),
            ("unknown client", "khong-co-client", secret),
            ("client id in upper case", cid.upper(), secret),
            ("revoked client", "a-revoked", revoked_secret),
            ("revoked by SQL after use", "a-revoked-later", later),
            ("other org's client with this org's secret", "b-portal", secret),
        ]
        bodies = set()
        for what, client_id, sec in cases:
            with self.subTest(what):
                r = self.client_grant(client_id, sec)
                self.assertProblem(r, 401, "invalid-credentials")
                bodies.add(json.dumps({k: v for k, v in r.json().items()
                                       if k not in ("request_id",)}, sort_keys=True))
        self.assertEqual(len(bodies), 1, "the answers tell the cases apart")

    def test_revoke_through_the_api(self):
        o = self.world["B"]
        admin = self.token("B", "admin")
        r = self.call("POST", "/v1/clients", token=admin, body={
            "client_id": "b-dong-bo", "name": "Hệ thống đồng bộ", "scopes": ["integration:read"]})
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        secret = doc["client_secret"]
        self.assertEqual(self.count("clients", f"secret_hash = sha256(convert_to("
                                    f"{sql_text(secret)}, 'UTF8'))"), 1)
        self.assertEqual(self.client_grant("b-dong-bo", secret).status, 200)
        # rotation: the old secret stops working, the new one works
        r = self.call("POST", f"/v1/clients/{doc['id']}/rotate", token=admin)
        self.assertEqual(r.status, 200, r)
        new_secret = r.json()["client_secret"]
        self.assertNotEqual(new_secret, secret)
        self.assertProblem(self.client_grant("b-dong-bo", secret), 401, "invalid-credentials")
        self.assertEqual(self.client_grant("b-dong-bo", new_secret).status, 200)
        r = self.call("POST", f"/v1/clients/{doc['id']}/revoke", token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertIsNotNone(r.json()["revoked_at"])
        self.assertNotIn("client_secret", r.json())
        self.assertProblem(self.client_grant("b-dong-bo", new_secret), 401,
                           "invalid-credentials")
        # a revoked client cannot be given a new secret
        r = self.call("POST", f"/v1/clients/{doc['id']}/rotate", token=admin)
        self.assertProblem(r, 404, "not-found")
        # and no secret ever reached the audit trail
        trail = self.sql(f"SELECT string_agg(coalesce(after::text, '') || coalesce(before::text,"
                         f" ''), ' ') FROM audit_log WHERE organization_id = {o.id}")
        self.assertNotIn(secret, trail)
        self.assertNotIn(new_secret, trail)

    def test_client_token_on_user_only_routes_is_403(self):
        tok = self.client_token("A", "portal")
        for method, path in (("GET", "/v1/staff"), ("GET", f"/v1/staff/"
                                                   f"{next(iter(self.world['A'].staff.values()))}"),
                             ("GET", "/v1/audit"), ("GET", "/v1/users"),
                             ("GET", "/v1/clients")):
            with self.subTest(path=path):
                self.assertProblem(self.call(method, path, token=tok), 403, "forbidden")
        me = self.call("GET", ME, token=tok)
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["kind"], "client")
        self.assertEqual(me.json()["roles"], [])
        self.assertEqual(sorted(me.json()["scopes"]), ["integration:read", "reports:write"])

    def test_client_token_made_by_us_cannot_hold_roles(self):
        o = self.world["A"]
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "client:a-portal", "org": o.id,
                  "scope": "integration:read", "iat": now, "nbf": now, "exp": now + 300,
                  "jti": uuid.uuid4().hex}
        self.assertEqual(self.call("GET", "/v1/units", token=self.signed(claims)).status, 200)
        r = self.call("GET", "/v1/staff", token=self.signed(dict(claims, roles=["admin"])))
        self.assertEqual(r.status, 401, r)
        self.assertIn('error="invalid_token"', r.header("WWW-Authenticate"))

    def test_no_secret_or_password_in_logs(self):
        cid, secret = self.world["A"].clients["portal"]
        self.client_grant(cid, secret)
        self.client_grant(cid, "sai-" + secret)
        tokens = self.login("A", "viewer")
        self.password_grant(self.world["A"].username("viewer"), "Sai-Mat-Khau-123")
        self.call("GET", ME, token=tokens["access_token"])
        logs = self.svc.stdout() + self.svc.stderr()
        for needle in (secret, PASSWORD, "Sai-Mat-Khau-123", tokens["refresh_token"],
                       tokens["access_token"], tokens["access_token"].split(".")[2]):
            self.assertNotIn(needle, logs)


if __name__ == "__main__":
    main()
