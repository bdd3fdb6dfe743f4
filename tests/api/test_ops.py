"""API tests: operational routes, problem+json, request ids, limits, CORS, logs."""

import json
import shutil
import socket
import subprocess
import unittest

from harness import ApiTest, Service, main, send_raw


class OpsTest(ApiTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.svc = Service(cls.db, env={
            "THIDUA_BODY_LIMIT": "1024",
            "THIDUA_CORS_ORIGINS": "https://portal.example, https://app.example",
        }).start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.svc.stop()
        assert rc == 0, f"exit {rc}: {cls.svc.stderr()}"

    def test_healthz(self):
        r = self.svc.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Cache-Control"), "no-store")

    def test_head_has_headers_no_body(self):
        r = self.svc.request("HEAD", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")

    def test_readyz(self):
        r = self.svc.get("/readyz")
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["status"], "ready")
        self.assertEqual(doc["migrations"]["applied"], doc["migrations"]["expected"])
        self.assertGreaterEqual(doc["migrations"]["expected"], 1)

    def test_request_id_echoed_when_sane(self):
        r = self.svc.get("/healthz", headers={"X-Request-Id": "portal-42:abc"})
        self.assertEqual(r.header("X-Request-Id"), "portal-42:abc")

    def test_request_id_replaced_when_not_sane(self):
        for bad in ("x" * 129, "has space", ""):
            r = self.svc.get("/healthz", headers={"X-Request-Id": bad})
            rid = r.header("X-Request-Id")
            self.assertNotEqual(rid, bad)
            self.assertRegex(rid, r"^[0-9a-f]{32}$")

    def raw_answer_headers(self, head):
        data = send_raw(self.svc.port, head, until=b"\r\n\r\n")
        lines = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        return {k.decode().lower(): v.decode() for k, _, v in
                (line.partition(b": ") for line in lines[1:])}

    def test_repeated_header_values_joined_whatever_the_case(self):
        # headers are read from the connection when asked for: a repeated
        # one is still one value, joined with ',' (names compared without case)
        h = self.raw_answer_headers(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                    b"x-request-id: part-1\r\nX-REQUEST-ID: part-2\r\n"
                                    b"Connection: close\r\n\r\n")
        self.assertEqual(h.get("x-request-id"), "part-1,part-2")

    def test_header_not_utf8_is_left_out(self):
        h = self.raw_answer_headers(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                    b"X-Request-Id: caf\xe9\r\nX-Request-Id: kept-1\r\n"
                                    b"Connection: close\r\n\r\n")
        self.assertEqual(h.get("x-request-id"), "kept-1")

    def test_request_id_generated_unique(self):
        ids = {self.svc.get("/healthz").header("X-Request-Id") for _ in range(20)}
        self.assertEqual(len(ids), 20)

    def test_unknown_route_is_problem_404(self):
        r = self.svc.get("/v1/nothing-here")
        doc = self.assertProblem(r, 404, "not-found")
        self.assertEqual(doc["instance"], "/v1/nothing-here")

    def test_trailing_slash_is_not_the_route(self):
        self.assertProblem(self.svc.get("/healthz/"), 404)

    def test_wrong_method_is_problem_405_with_allow(self):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = self.svc.request(method, "/readyz")
            self.assertProblem(r, 405, "method-not-allowed")
            self.assertEqual(r.header("Allow"), "GET, HEAD")

    def test_unknown_query_parameter_is_400_with_pointer(self):
        r = self.svc.get("/healthz?verbose=1")
        doc = self.assertProblem(r, 400, "bad-request")
        self.assertEqual(doc["errors"][0]["pointer"], "/query/verbose")

    def test_body_over_limit_is_413(self):
        r = self.svc.request("POST", "/healthz", body=b"x" * 5000,
                             headers={"Content-Type": "application/json"})
        self.assertProblem(r, 413, "payload-too-large")
        # the service is still fine afterwards
        self.assertEqual(self.svc.get("/healthz").status, 200)

    def test_chunked_body_over_limit_is_413(self):
        # no Content-Length: the limit must hold for chunked uploads too
        s = socket.create_connection(("127.0.0.1", self.svc.port), timeout=10)
        chunk = b"y" * 800
        req = (b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/json\r\nConnection: close\r\n\r\n")
        for _ in range(3):
            req += b"%x\r\n%s\r\n" % (len(chunk), chunk)
        req += b"0\r\n\r\n"
        s.sendall(req)
        data = b""
        while True:
            part = s.recv(65536)
            if not part:
                break
            data += part
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])

    def test_metrics_promtool_clean(self):
        self.svc.get("/healthz")
        self.svc.get("/v1/nothing-here")
        r = self.svc.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/plain; version=0.0.4"))
        text = r.body.decode()
        for family in ("thidua_http_requests_total", "thidua_http_request_duration_seconds_bucket",
                       "thidua_db_pool_connections", "thidua_db_errors_total",
                       "thidua_build_info", "thidua_http_in_flight_requests"):
            self.assertIn(family, text)
        self.assertIn('route="/healthz",method="GET",status="200"', text)
        # raw paths never become labels
        self.assertNotIn("nothing-here", text)
        promtool = shutil.which("promtool")
        self.assertIsNotNone(promtool, "promtool (Debian package prometheus) is required")
        out = subprocess.run([promtool, "check", "metrics"], input=r.body,
                             capture_output=True)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_openapi_served_as_yaml_and_json(self):
        y = self.svc.get("/openapi.yaml")
        self.assertEqual(y.status, 200)
        self.assertTrue(y.header("Content-Type").startswith("application/yaml"))
        self.assertIn(b"openapi: 3.1", y.body)
        # the first request converts the contract (api/ops.c): seconds under
        # valgrind, so more than the default 10 s of waiting
        j = self.svc.get("/openapi.json", timeout=180)
        self.assertEqual(j.status, 200)
        doc = j.json()
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("/healthz", doc["paths"])

    def test_docs_page_offline(self):
        r = self.svc.get("/docs")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        csp = r.header("Content-Security-Policy")
        self.assertIn("default-src 'self'", csp)
        html = r.body.decode()
        self.assertIn("/openapi.json", html)
        # no CDN: nothing is loaded from another origin
        for needle in ('src="http', "src='http", 'href="http', "@import url(http"):
            self.assertNotIn(needle, html)

    def test_cors_allowed_origin(self):
        r = self.svc.get("/healthz", headers={"Origin": "https://app.example"})
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example")
        self.assertEqual(r.header("Vary"), "Origin")

    def test_cors_other_origin_not_reflected(self):
        r = self.svc.get("/healthz", headers={"Origin": "https://evil.example"})
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))

    def test_cors_preflight(self):
        r = self.svc.request("OPTIONS", "/readyz", headers={
            "Origin": "https://portal.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(r.status, 204)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://portal.example")
        self.assertEqual(r.header("Access-Control-Allow-Methods"), "GET, HEAD")
        self.assertIn("Authorization", r.header("Access-Control-Allow-Headers"))

    def test_access_log_line_per_request(self):
        rid = "log-check-7781"
        self.svc.get("/v1/secret-path-123", headers={"X-Request-Id": rid})
        lines = [l for l in self.svc.log_lines() if l.get("request_id") == rid]
        self.assertEqual(len(lines), 1, lines)
        line = lines[0]
        for field in ("ts", "level", "msg", "method", "route", "status", "duration_us"):
            self.assertIn(field, line)
        self.assertEqual(line["status"], 404)
        self.assertEqual(line["route"], "unmatched")
        self.assertIsInstance(line["duration_us"], int)
        self.assertNotIn("secret-path-123", json.dumps(line))

    def test_malformed_http_does_not_crash(self):
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"):
            send_raw(self.svc.port, raw)
        self.assertEqual(self.svc.get("/healthz").status, 200)


if __name__ == "__main__":
    main()
