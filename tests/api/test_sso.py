"""API test: trust in an external issuer (the province's single sign-on).

The test plays the province: it makes an RSA key, starts thidua trusting
its public key, signs RS256 tokens with the openssl CLI, and checks that
mapped roles work, that nothing else does, and that writes are audited under
the external subject."""

import base64
import json
import os
import subprocess
import tempfile
import time
import unittest

from harness import ApiTest, Service, main, psql

ISSUER = "https://sso.gialai.gov.vn"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SsoTest(ApiTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = tempfile.mkdtemp(prefix="sso-")
        cls.key = os.path.join(cls.dir, "sso.pem")
        cls.pub = os.path.join(cls.dir, "sso.pub.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                        "rsa_keygen_bits:2048", "-out", cls.key], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", cls.key, "-pubout", "-out", cls.pub],
                       check=True, capture_output=True)
        psql("INSERT INTO organizations (code, name) VALUES ('SSO-ORG', 'Sở Kế hoạch và Đầu tư')",
             cls.db, check=False)  # the table appears once the service migrated
        cls.svc = Service(cls.db, env={
            "THIDUA_SSO_ISSUER": ISSUER,
            "THIDUA_SSO_AUDIENCE": "thidua-api",
            "THIDUA_SSO_PUBLIC_KEY_FILE": cls.pub,
            "THIDUA_SSO_ALG": "RS256",
            "THIDUA_SSO_ROLE_MAP": "tdkt-quantri=admin,ubnd-xem=viewer",
        }).start()
        psql("INSERT INTO organizations (code, name) VALUES ('SSO-ORG', 'Sở Kế hoạch và Đầu tư') "
             "ON CONFLICT DO NOTHING", cls.db)

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0

    def token(self, **over):
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": "thidua-api", "sub": "cccd-0123", "iat": now,
                  "exp": now + 300, "jti": os.urandom(8).hex(), "org_code": "SSO-ORG",
                  "roles": ["tdkt-quantri"]}
        claims.update(over)
        header = {"alg": "RS256", "typ": "JWT"}
        signing_input = (b64(json.dumps(header).encode()) + "." +
                         b64(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                             input=signing_input, capture_output=True, check=True).stdout
        return signing_input.decode() + "." + b64(sig)

    def call(self, token, method="GET", path="/v1/me", body=None, headers=None):
        h = {"Authorization": "Bearer " + token}
        h.update(headers or {})
        return self.svc.request(method, path, body=body, headers=h)

    def test_mapped_admin_role(self):
        r = self.call(self.token())
        self.assertEqual(r.status, 200, r)
        me = r.json()
        self.assertEqual(me["subject"], "sso:cccd-0123")
        self.assertEqual(me["roles"], ["admin"])
        self.assertEqual(self.call(self.token(), path="/v1/users").status, 200)

    def test_viewer_cannot_write(self):
        t = self.token(roles=["ubnd-xem"])
        self.assertEqual(self.call(t, path="/v1/staff").status, 200)
        r = self.call(t, "POST", "/v1/units", {"code": "X", "name": "X", "kind": "other"})
        self.assertEqual(r.status, 403, r)

    def test_refused(self):
        cases = {
            "no mapped role": self.token(roles=["khach"]),
            "unknown organisation": self.token(org_code="NOPE"),
            "no organisation": self.token(org_code=None),
            "wrong issuer": self.token(iss="https://evil.example"),
            "wrong audience": self.token(aud="other"),
            "expired": self.token(exp=int(time.time()) - 120),
        }
        for name, token in cases.items():
            with self.subTest(name):
                r = self.call(token)
                self.assertEqual(r.status, 401, r)
                self.assertIn("invalid_token", r.header("WWW-Authenticate"))
        # the external key signs nothing of ours: our own claims under its key fail
        forged = self.token(sub="user:1", org=1, roles=["admin"], iss="thidua")
        self.assertEqual(self.call(forged).status, 401)

    def test_jwks_does_not_publish_the_external_key(self):
        keys = self.svc.get("/.well-known/jwks.json").json()["keys"]
        self.assertTrue(keys)
        self.assertTrue(all(k["kty"] == "EC" for k in keys), keys)

    def test_write_is_audited_under_the_external_subject(self):
        rid = "sso-audit-1"
        r = self.call(self.token(), "POST", "/v1/units",
                      {"code": "SSO-U1", "name": "Phòng Tổng hợp", "kind": "department"},
                      {"X-Request-Id": rid})
        self.assertEqual(r.status, 201, r)
        entries = self.call(self.token(), path="/v1/audit?action=unit.create").json()["items"]
        mine = [e for e in entries if e["request_id"] == rid]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["actor_id"], "sso:cccd-0123")


if __name__ == "__main__":
    main()
