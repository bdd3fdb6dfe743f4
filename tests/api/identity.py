"""Fixtures for the identity tests: two organisations, accounts, clients, keys.

Standard library only, like harness.py.  What it gives a test class:

- `IdentityTest`, an ApiTest whose setUpClass generates an EC P-256 key with
  the openssl CLI, starts thidua with THIDUA_JWT_PRIVATE_KEY_FILE pointing at
  it (so tests can sign tokens the service accepts), and seeds two
  organisations through psql (the service migrates the database first).
- `World`: the ids of what was seeded.  Each organisation ("A", "B") has a
  unit tree: root R, its child C, and S, a second root (a sibling of R, so
  the head of R sees R and C but not S); two staff members per unit with
  Vietnamese names; one account per role (all with PASSWORD, hashed once per
  process with `thidua hash-password`); and two machine clients: "portal"
  (integration:read reports:write) and "reports" (reports:write only).
- Log-in helpers (password and client_credentials grants) with a cache.
- JOSE by hand: base64url, ES256 through `openssl dgst -sha256 -sign` with the
  DER signature turned into the raw R||S of RFC 7518 §3.4, HS256 with hmac.
"""

import atexit
import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid

from harness import BIN, ApiTest, Service, psql
import contract_check

PASSWORD = "Thi-dua@2024-mat-khau"
ROLES = ("admin", "secretariat", "leader", "council", "unit_head", "staff", "viewer")
ISSUER = "thidua"
AUDIENCE = "thidua-api"
KID = "k1"

# unit key -> (code, name, kind, parent key)
UNITS = {
    "R": ("R", "Văn phòng", "office", None),
    "C": ("C", "Phòng Tổ chức – Hành chính", "department", "R"),
    "S": ("S", "Phòng Thanh tra", "department", None),
}
# Organisation B also has a unit whose code A does not have.
EXTRA_UNITS_B = {"X": ("ONLYB", "Trung tâm Xúc tiến Đầu tư", "center", None)}

STAFF = {
    "A": [
        ("R", "Nguyễn Văn An", "male"),
        ("R", "Trần Thị Bình", "female"),
        ("C", "Nguyễn Văn Cường", "male"),
        ("C", "Đặng Văn Đức", "male"),
        ("S", "Lê Thị Hoa", "female"),
        ("S", "Phạm Minh Khoa", "male"),
    ],
    "B": [
        ("R", "Võ Thị Lan", "female"),
        ("R", "Hoàng Văn Minh", "male"),
        ("C", "Bùi Thị Ngọc", "female"),
        ("C", "Đỗ Văn Phúc", "male"),
        ("S", "Huỳnh Thị Quỳnh", "female"),
        ("S", "Ngô Văn Sơn", "male"),
        ("X", "Lý Thị Thu", "female"),
    ],
}
# the staff member linked to the "staff" account, per organisation
STAFF_ACCOUNT_RECORD = {"A": "Đặng Văn Đức", "B": "Đỗ Văn Phúc"}
ORG_NAMES = {
    "A": ("SNV-GL", "Sở Nội vụ tỉnh Gia Lai", "Sở Nội vụ"),
    "B": ("BQLKKT-KT", "Ban Quản lý Khu kinh tế tỉnh Kon Tum", "BQLKKT Kon Tum"),
}
CLIENTS = {"portal": "{integration:read,reports:write}", "reports": "{reports:write}"}


# ---- small helpers ---------------------------------------------------------

def sql_text(s):
    """A SQL string literal (standard_conforming_strings is on)."""
    return "'" + str(s).replace("'", "''") + "'"


def b64u(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def json_b64u(obj):
    return b64u(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


_PASSWORD_HASH = {}


def password_hash(password=PASSWORD):
    """Argon2id of password by `thidua hash-password`, once per process."""
    if password not in _PASSWORD_HASH:
        out = subprocess.run([BIN, "hash-password"], input=password + "\n",
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0 or not out.stdout.startswith("$argon2id$"):
            raise RuntimeError(f"thidua hash-password failed: {out.stderr}")
        _PASSWORD_HASH[password] = out.stdout.strip()
    return _PASSWORD_HASH[password]


# ---- keys and JOSE ---------------------------------------------------------

# SubjectPublicKeyInfo DER prefix of an uncompressed P-256 public key
# (id-ecPublicKey, prime256v1, BIT STRING of 66 bytes).
P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def der_ecdsa_to_raw(der, size=32):
    """A DER ECDSA-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) to r||s."""
    if len(der) < 8 or der[0] != 0x30:
        raise ValueError("not a DER SEQUENCE")
    i = 2
    if der[1] & 0x80:  # long form length (not used for P-256, but be exact)
        i = 2 + (der[1] & 0x7F)

    def integer(i):
        if der[i] != 0x02:
            raise ValueError("not a DER INTEGER")
        n = der[i + 1]
        value = der[i + 2:i + 2 + n]
        return value, i + 2 + n

    r, i = integer(i)
    s, i = integer(i)
    if i != len(der):
        raise ValueError("trailing bytes after the signature")
    r = r.lstrip(b"\0")
    s = s.lstrip(b"\0")
    if len(r) > size or len(s) > size:
        raise ValueError("integer too large for the curve")
    return r.rjust(size, b"\0") + s.rjust(size, b"\0")


def raw_ecdsa_to_der(raw):
    """r||s back to a DER ECDSA-Sig-Value."""
    half = len(raw) // 2

    def der_int(v):
        v = v.lstrip(b"\0") or b"\0"
        if v[0] & 0x80:
            v = b"\0" + v
        return b"\x02" + bytes([len(v)]) + v

    body = der_int(raw[:half]) + der_int(raw[half:])
    return b"\x30" + bytes([len(body)]) + body


def pem_from_spki(der):
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


def pem_from_jwk(jwk):
    """The PEM public key a P-256 JWK describes."""
    x = b64u_decode(jwk["x"])
    y = b64u_decode(jwk["y"])
    return pem_from_spki(P256_SPKI_PREFIX + b"\x04" + x + y)


class P256Key:
    """An EC P-256 key made by the openssl CLI, in a directory of its own."""

    def __init__(self, directory=None):
        self.own_dir = directory is None
        self.dir = directory or tempfile.mkdtemp(prefix="thidua-keys-")
        if self.own_dir:
            atexit.register(shutil.rmtree, self.dir, True)
        self.private_path = os.path.join(self.dir, f"key-{uuid.uuid4().hex[:8]}.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-out", self.private_path],
                       check=True, capture_output=True)
        os.chmod(self.private_path, 0o600)
        out = subprocess.run(["openssl", "pkey", "-in", self.private_path, "-pubout"],
                             check=True, capture_output=True, text=True)
        self.public_pem = out.stdout
        der = subprocess.run(["openssl", "pkey", "-in", self.private_path, "-pubout",
                              "-outform", "DER"], check=True, capture_output=True).stdout
        if not der.startswith(P256_SPKI_PREFIX + b"\x04") or len(der) != 91:
            raise RuntimeError("unexpected SubjectPublicKeyInfo from openssl")
        self.public_der = der
        self.x = der[-64:-32]
        self.y = der[-32:]

    def sign(self, data):
        """ES256: the raw 64-byte R||S signature of data."""
        if isinstance(data, str):
            data = data.encode()
        out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.private_path],
                             input=data, check=True, capture_output=True)
        return der_ecdsa_to_raw(out.stdout)

    def verify(self, data, raw):
        """Checks a raw R||S signature with openssl (to test our converter)."""
        der = raw_ecdsa_to_der(raw)
        pub = os.path.join(self.dir, "pub-verify.pem")
        sig = os.path.join(self.dir, "sig-verify.der")
        with open(pub, "w") as f:
            f.write(self.public_pem)
        with open(sig, "wb") as f:
            f.write(der)
        out = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sig],
                             input=data if isinstance(data, bytes) else data.encode(),
                             capture_output=True)
        return out.returncode == 0

    def cleanup(self):
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def jwt_es256(key, claims, header=None):
    """A compact JWS signed with ES256 by key (header defaults: ES256, k1, at+jwt)."""
    h = {"alg": "ES256", "typ": "at+jwt", "kid": KID}
    if header is not None:
        h = header
    signing_input = json_b64u(h) + "." + json_b64u(claims)
    return signing_input + "." + b64u(key.sign(signing_input))


def jwt_hs256(secret, claims, header=None):
    h = header if header is not None else {"alg": "HS256", "typ": "at+jwt", "kid": KID}
    if isinstance(secret, str):
        secret = secret.encode()
    signing_input = json_b64u(h) + "." + json_b64u(claims)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64u(mac)


def jwt_unsigned(claims, header=None, signature=""):
    h = header if header is not None else {"alg": "none", "typ": "at+jwt", "kid": KID}
    return json_b64u(h) + "." + json_b64u(claims) + "." + signature


def jwt_parts(token):
    h, p, s = token.split(".")
    return json.loads(b64u_decode(h)), json.loads(b64u_decode(p)), s


# ---- the seeded world ------------------------------------------------------

class Org:
    def __init__(self, key, doc):
        self.key = key
        self.id = doc["id"]
        self.units = {k: v for k, v in doc["units"].items()}          # key -> id
        self.staff = {s["name"]: s["id"] for s in doc["staff"]}       # name -> id
        self.staff_unit = {s["name"]: s["unit"] for s in doc["staff"]}  # name -> unit key
        self.users = {u["role"]: u for u in doc["users"]}             # role -> row
        self.clients = {}                                             # kind -> (id, secret)

    def staff_in(self, *unit_keys):
        return {sid for name, sid in self.staff.items() if self.staff_unit[name] in unit_keys}

    def username(self, role):
        return self.users[role]["username"]


class World:
    def __init__(self, orgs):
        self.orgs = orgs

    def __getitem__(self, key):
        return self.orgs[key]


def seed_sql(key):
    code, name, short = ORG_NAMES[key]
    p = key.lower()
    units = dict(UNITS)
    if key == "B":
        units.update(EXTRA_UNITS_B)
    parts = [f"INSERT INTO organizations (code, name, short_name) VALUES "
             f"({sql_text(code)}, {sql_text(name)}, {sql_text(short)});"]
    org = f"(SELECT id FROM organizations WHERE code = {sql_text(code)})"

    def unit(k):
        return (f"(SELECT id FROM units WHERE organization_id = {org} "
                f"AND code = {sql_text(units[k][0])})")

    for k, (ucode, uname, kind, parent) in units.items():
        parent_sql = unit(parent) if parent else "NULL"
        parts.append(f"INSERT INTO units (organization_id, parent_id, code, name, kind) VALUES "
                     f"({org}, {parent_sql}, {sql_text(ucode)}, {sql_text(uname)}, "
                     f"{sql_text(kind)});")
    for i, (ukey, full_name, gender) in enumerate(STAFF[key]):
        parts.append(
            "INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth, "
            "position, employment_type, start_date) VALUES "
            f"({org}, {unit(ukey)}, {sql_text(full_name)}, {sql_text(gender)}, "
            f"'{1970 + i}-0{1 + i % 9}-1{i % 9}', 'Chuyên viên', 'civil_servant', "
            f"'{2005 + i}-01-01');")
    h = sql_text(password_hash())
    staff_rec = (f"(SELECT id FROM staff WHERE organization_id = {org} AND full_name = "
                 f"{sql_text(STAFF_ACCOUNT_RECORD[key])})")
    for role in ROLES:
        unit_id = unit("R") if role == "unit_head" else (unit("C") if role == "staff" else "NULL")
        staff_id = staff_rec if role == "staff" else "NULL"
        display = {"admin": "Quản trị hệ thống", "secretariat": "Thường trực Hội đồng TĐKT",
                   "leader": "Giám đốc", "council": "Thành viên Hội đồng",
                   "unit_head": "Chánh Văn phòng", "staff": STAFF_ACCOUNT_RECORD[key],
                   "viewer": "Ban Thi đua – Khen thưởng tỉnh"}[role]
        parts.append(
            "INSERT INTO users (organization_id, username, display_name, password_hash, "
            f"staff_id, unit_id, roles) VALUES ({org}, {sql_text(f'{p}.{role}')}, "
            f"{sql_text(display)}, {h}, {staff_id}, {unit_id}, ARRAY[{sql_text(role)}]);")
    parts.append(
        "SELECT json_build_object("
        f" 'id', {org},"
        " 'units', (SELECT json_object_agg(k, id) FROM (VALUES "
        + ", ".join(f"({sql_text(k)}, {sql_text(v[0])})" for k, v in units.items())
        + f") AS m(k, c) JOIN units u ON u.organization_id = {org} AND u.code = m.c),"
        " 'staff', (SELECT json_agg(json_build_object('id', s.id, 'name', s.full_name, "
        f"  'unit', m.k) ORDER BY s.id) FROM staff s JOIN units u ON u.id = s.unit_id "
        " JOIN (VALUES "
        + ", ".join(f"({sql_text(k)}, {sql_text(v[0])})" for k, v in units.items())
        + f") AS m(k, c) ON m.c = u.code WHERE s.organization_id = {org}),"
        " 'users', (SELECT json_agg(json_build_object('role', roles[1], 'id', id, "
        "  'username', username, 'unit_id', unit_id, 'staff_id', staff_id, 'roles', roles)) "
        f"  FROM users WHERE organization_id = {org}));")
    return "\n".join(parts)


def add_client(db, org, client_id, scopes_pg, secret=None, revoked=False):
    """Creates a machine client; returns its secret text."""
    secret = secret or f"{client_id}-secret-{uuid.uuid4().hex}"
    psql("INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes, "
         f"revoked_at) VALUES ({org.id}, {sql_text(client_id)}, "
         f"{sql_text('Cổng dữ liệu ' + client_id)}, "
         f"sha256(convert_to({sql_text(secret)}, 'UTF8')), {sql_text(scopes_pg)}, "
         f"{'now()' if revoked else 'NULL'})", db)
    return secret


def seed(db):
    orgs = {}
    for key in ("A", "B"):
        doc = json.loads(psql(seed_sql(key), db))
        org = Org(key, doc)
        for kind, scopes in CLIENTS.items():
            cid = f"{key.lower()}-{kind}"
            org.clients[kind] = (cid, add_client(db, org, cid, scopes))
        orgs[key] = org
    return World(orgs)


# ---- the test base class ---------------------------------------------------

class IdentityTest(ApiTest):
    """A service with its own signing key and the two seeded organisations."""

    service_env = {}
    # check every answer against api-spec/openapi.yaml (contract_check.py);
    # THIDUA_VALIDATE_RESPONSES=1 turns it on for every class
    validate_responses = os.environ.get("THIDUA_VALIDATE_RESPONSES") == "1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = P256Key()
        env = {"THIDUA_JWT_PRIVATE_KEY_FILE": cls.key.private_path, "THIDUA_JWT_KID": KID}
        env.update(cls.service_env)
        cls.svc = Service(cls.db, env=env).start()
        try:
            cls.world = seed(cls.db)
        except Exception:
            cls.svc.stop()
            raise
        cls._tokens = {}

    @classmethod
    def tearDownClass(cls):
        rc = cls.svc.stop()
        cls.key.cleanup()
        assert rc == 0, f"thidua exited with {rc}: {cls.svc.stderr()}"

    # -- HTTP ---------------------------------------------------------------

    @classmethod
    def call(cls, method, path, token=None, body=None, headers=None, timeout=30):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        r = cls.svc.request(method, path, body=body, headers=h, timeout=timeout)
        if cls.validate_responses:
            # the answer as the contract says it must be (contract_check.py)
            contract_check.check(method, path, r.status,
                                 {k.lower(): v for k, v in r.headers}, r.body)
        return r

    @classmethod
    def sql(cls, text, check=True):
        return psql(text, cls.db, check=check)

    @classmethod
    def count(cls, table, where="true"):
        return int(cls.sql(f"SELECT count(*) FROM {table} WHERE {where}"))

    # -- log-in -------------------------------------------------------------

    @classmethod
    def password_grant(cls, username, password=PASSWORD, headers=None):
        return cls.call("POST", "/v1/auth/token", body={
            "grant_type": "password", "username": username, "password": password},
            headers=headers)

    @classmethod
    def client_grant(cls, client_id, secret, scope=None):
        body = {"grant_type": "client_credentials", "client_id": client_id,
                "client_secret": secret}
        if scope is not None:
            body["scope"] = scope
        return cls.call("POST", "/v1/auth/token", body=body)

    @classmethod
    def login(cls, org_key, role):
        """Full token response of a password log-in (fresh each time)."""
        r = cls.password_grant(cls.world[org_key].username(role))
        if r.status != 200:
            raise AssertionError(f"login {org_key}/{role} failed: {r}")
        return r.json()

    @classmethod
    def token(cls, org_key, role):
        """A cached access token of org_key's account for role."""
        k = ("user", org_key, role)
        if k not in cls._tokens:
            cls._tokens[k] = cls.login(org_key, role)["access_token"]
        return cls._tokens[k]

    @classmethod
    def client_token(cls, org_key, kind="portal", scope=None):
        k = ("client", org_key, kind, scope)
        if k not in cls._tokens:
            cid, secret = cls.world[org_key].clients[kind]
            r = cls.client_grant(cid, secret, scope)
            if r.status != 200:
                raise AssertionError(f"client {cid} failed: {r}")
            cls._tokens[k] = r.json()["access_token"]
        return cls._tokens[k]

    # -- tokens we sign ourselves -------------------------------------------

    @classmethod
    def user_claims(cls, org_key, role, now=None, ttl=300, **extra):
        org = cls.world[org_key]
        u = org.users[role]
        now = int(time.time()) if now is None else now
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": f"user:{u['id']}", "org": org.id,
                  "roles": list(u["roles"]), "iat": now, "nbf": now, "exp": now + ttl,
                  "jti": uuid.uuid4().hex}
        if u["unit_id"]:
            claims["unit"] = u["unit_id"]
        if u["staff_id"]:
            claims["staff"] = u["staff_id"]
        claims.update(extra)
        return claims

    @classmethod
    def signed(cls, claims, header=None, key=None):
        return jwt_es256(key or cls.key, claims, header)

    # -- assertions -----------------------------------------------------------

    def assertStatusIn(self, r, statuses, msg=None):
        self.assertIn(r.status, statuses, msg or r)

    def assertNoServerError(self, r, what=""):
        self.assertLess(r.status, 500, f"{what}: {r}")
