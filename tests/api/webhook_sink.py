"""A webhook subscriber for the tests: it verifies each delivery's
signature the way the Standard Webhooks convention says (written here from
the convention, not from the service's code), records every delivery, and
processes each event once, by its webhook-id, as a subscriber must when
deliveries are at least once.

It can be told to fail the next n deliveries (503), or to hold each request
for a while (a slow subscriber), and it can be stopped and started again on
the same port (a subscriber that goes away)."""

import base64
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time

TOLERANCE_S = 300  # the convention's suggested window against replays


def verify(secret, headers, body, now=None):
    """True when the webhook-signature header carries a v1 signature of
    (webhook-id, webhook-timestamp, body) under secret ("whsec_…") and the
    timestamp is within the tolerance."""
    msg_id = headers.get("webhook-id")
    ts = headers.get("webhook-timestamp")
    sigs = headers.get("webhook-signature")
    if not (secret and msg_id and ts and sigs and ts.isdigit()):
        return False
    if abs((now or time.time()) - int(ts)) > TOLERANCE_S:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    return any(s.startswith("v1,") and hmac.compare_digest(s[3:], expected)
               for s in sigs.split())


class Sink:
    def __init__(self, port=0):
        self.secrets = []  # every key accepted (more than one while rotating)
        self.lock = threading.Lock()
        self.deliveries = []  # (webhook-id, verified, parsed body, headers)
        self.processed = {}  # webhook-id -> body: the work done once per event
        self.fail_next = {}  # path -> how many of its next deliveries fail
        self.conns = set()
        self.hold_s = 0.0
        self.port = port
        self.server = None

    def start(self):
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with sink.lock:
                    sink.conns.add(self.connection)

            def finish(self):
                with sink.lock:
                    sink.conns.discard(self.connection)
                super().finish()

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                if sink.hold_s:
                    time.sleep(sink.hold_s)
                with sink.lock:
                    fail = sink.fail_next.get(self.path, 0) > 0
                    if fail:
                        sink.fail_next[self.path] -= 1
                headers = {k.lower(): v for k, v in self.headers.items()}
                ok = any(verify(s, headers, body) for s in sink.secrets)
                with sink.lock:
                    sink.deliveries.append((headers.get("webhook-id"), ok,
                                            json.loads(body or b"null"), headers))
                    if ok and not fail:
                        sink.processed.setdefault(headers["webhook-id"], json.loads(body))
                status = 503 if fail else (204 if ok else 401)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Goes away: the listener and every kept-alive connection close."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        with self.lock:
            for c in list(self.conns):
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @property
    def url(self):
        return self.url_for("hooks")

    def url_for(self, path):
        """The URL of one subscription's path (failures are told per path)."""
        return f"http://127.0.0.1:{self.port}/{path}"

    def wait_for(self, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self):
                    return True
            time.sleep(0.05)
        return False

    def ids(self):
        with self.lock:
            return [d[0] for d in self.deliveries]


class WithSink:
    """A mixin for a test class (before its TestCase base): a started Sink
    as cls.sink for the class's tests, stopped after them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sink = Sink().start()

    @classmethod
    def tearDownClass(cls):
        cls.sink.stop()
        super().tearDownClass()
