"""A PostgreSQL connection for the tests' SQL, in the standard library only.

The tests read and arrange the database with many small statements.  Run
through `psql -c`, each one paid for a process, a connection and a SCRAM
exchange: 50 to 280 ms here, most of the access matrix's 210 s.  This speaks
the frontend/backend protocol (version 3) itself over one connection per
database and thread, and answers what `psql -XAtq -v ON_ERROR_STOP=1 -c SQL`
would print:

- the string is sent as one simple Query, so several statements run in one
  implicit transaction and stop at the first error, as with `psql -c`;
- every result's rows, one per line, fields joined by "|", NULL empty;
- an error raises RuntimeError("psql failed: ERROR:  message ...").

After each string the session is put back as a new one would be: a
transaction left open (or failed) is rolled back and DISCARD ALL drops
settings, temporary tables and prepared statements.  A connection the
server dropped between two strings (a restarted cluster) is opened again
and the string sent once more, which is safe only because nothing of it
was answered.  Authentication: trust, password, MD5 or SCRAM-SHA-256.
"""

import base64
import hashlib
import hmac
import os
import socket
import struct
import threading


class ConnectionLost(Exception):
    """The server closed the connection; answered: whether anything of the
    current string had been answered when it did."""

    def __init__(self, answered):
        super().__init__("the server closed the connection")
        self.answered = answered


class ServerError(Exception):
    pass


def _error_text(fields):
    text = f"{fields.get('S', 'ERROR')}:  {fields.get('M', '')}"
    for key, label in (("D", "DETAIL"), ("H", "HINT"), ("W", "CONTEXT")):
        if key in fields:
            text += f"\n{label}:  {fields[key]}"
    return text


class Connection:
    def __init__(self, dbname):
        self.sock = None
        self.buf = b""
        self.dbname = dbname
        self._connect()

    # -- the wire ---------------------------------------------------------

    def _open_socket(self):
        host = os.environ.get("PGHOST", "localhost")
        port = int(os.environ.get("PGPORT", "5432"))
        if host.startswith("/"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.path.join(host, f".s.PGSQL.{port}"))
        else:
            s = socket.create_connection((host, port), timeout=120)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(120)
        return s

    def _send(self, kind, payload):
        self.sock.sendall(kind + struct.pack("!i", len(payload) + 4) + payload)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _message(self):
        kind = self._read(1)
        (length,) = struct.unpack("!i", self._read(4))
        return kind, self._read(length - 4)

    @staticmethod
    def _fields(payload):
        out = {}
        for part in payload.split(b"\0"):
            if part:
                out[chr(part[0])] = part[1:].decode("utf-8", "replace")
        return out

    # -- start-up and authentication --------------------------------------

    def _connect(self):
        self.sock = self._open_socket()
        self.buf = b""
        user = os.environ.get("PGUSER", "postgres")
        params = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in (
            ("user", user), ("database", self.dbname), ("client_encoding", "UTF8"),
            ("application_name", "thidua-tests")))
        body = struct.pack("!i", 196608) + params + b"\0"
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        self._authenticate(user, os.environ.get("PGPASSWORD", ""))
        while True:
            kind, payload = self._message()
            if kind == b"Z":
                return
            if kind == b"E":
                raise ServerError(_error_text(self._fields(payload)))

    def _authenticate(self, user, password):
        scram = None
        while True:
            kind, payload = self._message()
            if kind == b"E":
                raise ServerError(_error_text(self._fields(payload)))
            if kind != b"R":
                raise ServerError(f"unexpected message {kind!r} while authenticating")
            (code,) = struct.unpack("!i", payload[:4])
            if code == 0:
                return
            if code == 3:
                self._send(b"p", password.encode() + b"\0")
            elif code == 5:
                inner = hashlib.md5(password.encode() + user.encode()).hexdigest()
                outer = hashlib.md5(inner.encode() + payload[4:8]).hexdigest()
                self._send(b"p", b"md5" + outer.encode() + b"\0")
            elif code == 10:
                scram = _Scram(password)
                first = scram.first()
                self._send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
            elif code == 11:
                self._send(b"p", scram.final(payload[4:]))
            elif code == 12:
                scram.verify(payload[4:])
            else:
                raise ServerError(f"authentication method {code} is not supported")

    # -- queries ------------------------------------------------------------

    def query(self, sql):
        """The rows of every result of sql (lists of str or None), and the
        server's error as psql prints it (None when there was none)."""
        try:
            self._send(b"Q", sql.encode() + b"\0")
        except OSError:
            raise ConnectionLost(False)
        results, rows, error, answered = [], None, None, False
        while True:
            try:
                kind, payload = self._message()
            except (EOFError, OSError):
                raise ConnectionLost(answered)
            if kind == b"E":
                fields = self._fields(payload)
                # a session ended by the server before this string (57P01:
                # shut down) tells so first: nothing of it ran
                if fields.get("S") == "FATAL" and not answered:
                    raise ConnectionLost(False)
                error = _error_text(fields)
                answered = True
            elif kind == b"N" or kind == b"S" or kind == b"A":
                continue  # notices, parameter changes, notifications
            else:
                answered = True
            if kind == b"T":
                rows = []
                results.append(rows)
            elif kind == b"D":
                rows.append(self._row(payload))
            elif kind in (b"G", b"H", b"W"):
                raise ServerError("COPY is not supported here; use psql")
            elif kind == b"Z":
                if payload != b"I":
                    self._reset_state(b"ROLLBACK")
                self._reset_state(b"DISCARD ALL")
                return results, error

    @staticmethod
    def _row(payload):
        (n,) = struct.unpack("!h", payload[:2])
        at, row = 2, []
        for _ in range(n):
            (length,) = struct.unpack("!i", payload[at:at + 4])
            at += 4
            if length < 0:
                row.append(None)
            else:
                row.append(payload[at:at + length].decode("utf-8"))
                at += length
        return row

    def _reset_state(self, statement):
        self._send(b"Q", statement + b"\0")
        while True:
            kind, _ = self._message()
            if kind == b"Z":
                return

    def close(self):
        if self.sock:
            try:
                self._send(b"X", b"")
            except OSError:
                pass
            self.sock.close()
            self.sock = None

    def __del__(self):
        self.close()


class _Scram:
    """SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: no channel
    binding, the user name taken from the start-up message."""

    def __init__(self, password):
        self.password = password.encode()
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.bare = f"n=,r={self.nonce}"

    def first(self):
        return ("n,," + self.bare).encode()

    def final(self, server_first):
        server_first = server_first.decode()
        attrs = dict(part.split("=", 1) for part in server_first.split(","))
        if not attrs["r"].startswith(self.nonce):
            raise ServerError("SCRAM: the server's nonce does not extend ours")
        salted = hashlib.pbkdf2_hmac("sha256", self.password, base64.b64decode(attrs["s"]),
                                     int(attrs["i"]))
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        without_proof = f"c=biws,r={attrs['r']}"
        self.auth = f"{self.bare},{server_first},{without_proof}".encode()
        signature = hmac.digest(hashlib.sha256(client_key).digest(), self.auth, "sha256")
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        self.server_key = hmac.digest(salted, b"Server Key", "sha256")
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()

    def verify(self, server_final):
        expected = hmac.digest(self.server_key, self.auth, "sha256")
        got = dict(part.split("=", 1) for part in server_final.decode().split(","))
        if base64.b64decode(got.get("v", "")) != expected:
            raise ServerError("SCRAM: the server's signature does not verify")


# One connection per thread and database, the two used last kept open: a
# test class reads its own database and, now and then, "postgres".
_local = threading.local()
_KEEP = 2


def _connection(dbname):
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    conn = conns.pop(dbname, None)
    if conn is None:
        conn = Connection(dbname)
    conns[dbname] = conn  # most recently used last
    while len(conns) > _KEEP:
        oldest = next(iter(conns))
        conns.pop(oldest).close()
    return conn


def _forget(dbname):
    conn = getattr(_local, "conns", {}).pop(dbname, None)
    if conn:
        conn.close()


def run(sql, dbname):
    """(stdout, error) as psql -XAtq -c sql would give them: the rows of
    every result, error None when the string ran."""
    for attempt in (1, 2):
        try:
            results, error = _connection(dbname).query(sql)
            break
        except ConnectionLost as lost:
            _forget(dbname)
            if lost.answered or attempt == 2:
                return "", "connection to server lost"
        except (OSError, EOFError, ServerError) as e:
            _forget(dbname)
            return "", str(e)
    lines = ["|".join("" if v is None else v for v in row) for rows in results for row in rows]
    return "\n".join(lines), error
