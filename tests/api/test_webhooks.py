"""Webhooks from the transactional outbox (issue 14 §3): subscriptions
administered by the organisation's admin, each event written in the
transaction of its change and delivered signed (Standard Webhooks), retried
with backoff, given up and redelivered under the same webhook-id, visible in
a delivery log, and delivered at least once across a restart of the service
while a subscriber that deduplicates processes each event once.

The subscriber (webhook_sink.py) checks each signature with Python's own
hmac, from the convention, not from the service's code."""

import datetime
import json
import signal
import socket
import threading
import time
import uuid

from harness import EN, Service, main
from identity import IdentityTest, ROLES
from smtp_sink import SmtpSink
from webhook_sink import WithSink, verify

FAST = {"THIDUA_WEBHOOK_ALLOW_PRIVATE": "on", "THIDUA_WEBHOOK_POLL_MS": "50",
        "THIDUA_WEBHOOK_RETRY_BASE_MS": "100", "THIDUA_WEBHOOK_MAX_ATTEMPTS": "3",
        "THIDUA_WEBHOOK_TIMEOUT_MS": "1000"}
EVENTS = ["consolidation.sent", "consolidation.superseded", "decision.signed",
          "decision.revoked", "disclosure.opened", "case.reminder"]


class WebhookBase(WithSink, IdentityTest):
    service_env = FAST
    validate_responses = True

    def subscribe(self, events=None, url=None, org="A"):
        r = self.call("POST", "/v1/webhooks", token=self.token(org, "admin"),
                      body={"url": url or self.sink.url, "description": "Cổng tỉnh",
                            "events": events or EVENTS})
        self.assertEqual(r.status, 201, r)
        doc = r.json()
        self.sink.secrets.append(doc["secret"])
        return doc

    def deliveries(self, sub, org="A", query=""):
        r = self.call("GET", f"/v1/webhooks/{sub['id']}/deliveries{query}",
                      token=self.token(org, "admin"))
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def wait_log(self, sub, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        items = []
        while time.monotonic() < deadline:
            items = self.deliveries(sub)
            if predicate(items):
                return items
            time.sleep(0.1)
        self.fail(f"the delivery log never got there: {items}")

    def ping(self, sub, org="A"):
        r = self.call("POST", f"/v1/webhooks/{sub['id']}/ping", token=self.token(org, "admin"))
        self.assertEqual(r.status, 200, r)
        return r.json()


class WebhookSubscriptionTest(WebhookBase):

    def test_the_secret_is_shown_once_and_never_kept_in_the_trail(self):
        doc = self.subscribe()
        self.assertRegex(doc["secret"], r"^whsec_[A-Za-z0-9+/]{43}=$")
        self.assertEqual(doc["events"], sorted(EVENTS))
        self.assertTrue(doc["active"])
        admin = self.token("A", "admin")
        got = self.call("GET", f"/v1/webhooks/{doc['id']}", token=admin)
        self.assertEqual(got.status, 200, got)
        self.assertNotIn("secret", got.json())
        self.assertEqual(got.header("ETag"), f'"{doc["version"]}"')
        listed = self.call("GET", "/v1/webhooks", token=admin).json()["items"]
        self.assertIn(doc["id"], [s["id"] for s in listed])
        self.assertNotIn("whsec_", json.dumps(listed))
        secret_hex = self.sql(f"SELECT encode(secret, 'hex') FROM webhook_subscriptions "
                              f"WHERE id = {doc['id']}")
        self.assertEqual(self.count("audit_log", "action LIKE 'webhook.%' AND "
                                    f"(after::text LIKE '%whsec%' OR after::text LIKE "
                                    f"'%{secret_hex}%')"), 0)
        self.assertEqual(self.count("audit_log", "action = 'webhook.create' AND "
                                    f"entity_id = '{doc['id']}'"), 1)
        # a new key: returned once, differs, and signs from now on
        r = self.call("POST", f"/v1/webhooks/{doc['id']}/rotate", token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertNotEqual(r.json()["secret"], doc["secret"])
        self.sink.secrets.remove(doc["secret"])
        self.sink.secrets.append(r.json()["secret"])
        ping = self.ping(doc)
        self.assertTrue(self.sink.wait_for(lambda s: ping["event_id"] in s.processed))

    def test_bad_input_names_the_field(self):
        admin = self.token("A", "admin")
        cases = [
            ({"url": "ftp://portal.gialai.gov.vn/hooks", "events": EVENTS}, 422, "/url"),
            ({"url": "https://user:pw@portal.gialai.gov.vn/h", "events": EVENTS}, 422, "/url"),
            ({"url": "https:///hooks-without-a-host", "events": EVENTS}, 422, "/url"),
            ({"url": "https://portal.gialai.gov.vn/a b", "events": EVENTS}, 422, "/url"),
            ({"url": "https://portal.gialai.gov.vn/h#x", "events": EVENTS}, 422, "/url"),
            ({"url": "https://portal.gialai.gov.vn/" + "a" * 2000, "events": EVENTS}, 422,
             "/url"),
            ({"url": "https://portal.gialai.gov.vn/h", "events": []}, 422, "/events"),
            ({"url": "https://portal.gialai.gov.vn/h", "events": ["staff.fired"]}, 422,
             "/events"),
            ({"url": "https://portal.gialai.gov.vn/h", "events": ["webhook.ping"]}, 422,
             "/events"),
            ({"url": "https://portal.gialai.gov.vn/h"}, 422, "/events"),
            ({"events": EVENTS}, 422, "/url"),
            ({"url": "https://portal.gialai.gov.vn/h", "events": EVENTS,
              "description": "x" * 501}, 422, "/description"),
            ({"url": "https://portal.gialai.gov.vn/h", "events": EVENTS, "secret": "mine"},
             400, "/secret"),
        ]
        before = self.count("webhook_subscriptions")
        for body, status, pointer in cases:
            with self.subTest(body=str(body)[:80]):
                r = self.call("POST", "/v1/webhooks", token=admin, body=body, headers=EN)
                self.assertProblem(r, status)
                self.assertTrue(any(e["pointer"].startswith(pointer)
                                    for e in r.json()["errors"]), r)
        self.assertEqual(self.count("webhook_subscriptions"), before)
        for path in ("/v1/webhooks/abc", "/v1/webhooks/0", "/v1/webhooks/999999999"):
            self.assertEqual(self.call("GET", path, token=admin).status, 404, path)
        sub = self.subscribe()
        for bad in ("x", "123", str(uuid.uuid4()) + "0"):
            r = self.call("POST", f"/v1/webhooks/{sub['id']}/deliveries/{bad}/redeliver",
                          token=admin)
            self.assertEqual(r.status, 404, bad)
        r = self.call("GET", f"/v1/webhooks/{sub['id']}/deliveries?status=lost", token=admin,
                      headers=EN)
        self.assertProblem(r, 400)

    def test_only_the_admin_of_its_organisation(self):
        sub = self.subscribe()
        paths = [("GET", "/v1/webhooks"), ("POST", "/v1/webhooks"),
                 ("GET", f"/v1/webhooks/{sub['id']}"),
                 ("POST", f"/v1/webhooks/{sub['id']}/rotate"),
                 ("POST", f"/v1/webhooks/{sub['id']}/disable"),
                 ("POST", f"/v1/webhooks/{sub['id']}/ping"),
                 ("GET", f"/v1/webhooks/{sub['id']}/deliveries")]
        for role in ROLES:
            if role == "admin":
                continue
            for method, path in paths:
                body = {"url": self.sink.url, "events": EVENTS} if method == "POST" else None
                r = self.call(method, path, token=self.token("A", role), body=body)
                self.assertEqual(r.status, 403, (role, method, path))
        for method, path in paths:
            self.assertEqual(self.call(method, path).status, 401, path)
            self.assertEqual(self.call(method, path, token=self.client_token("A")).status, 403,
                             path)
        # the admin of another organisation does not see it, nor touch it
        b = self.token("B", "admin")
        for method, path in paths[2:]:
            self.assertEqual(self.call(method, path, token=b).status, 404, path)
        self.assertNotIn(sub["id"], [s["id"] for s in
                                     self.call("GET", "/v1/webhooks", token=b).json()["items"]])
        self.assertTrue(self.sql(f"SELECT disabled_at IS NULL FROM webhook_subscriptions "
                                 f"WHERE id = {sub['id']}") == "t")

    def test_twenty_active_at_most(self):
        admin = self.token("B", "admin")
        made = []
        for i in range(20):
            r = self.call("POST", "/v1/webhooks", token=admin,
                          body={"url": f"https://portal.gialai.gov.vn/h{i}", "events": EVENTS})
            if r.status == 409:
                break
            self.assertEqual(r.status, 201, r)
            made.append(r.json()["id"])
        r = self.call("POST", "/v1/webhooks", token=admin, headers=EN,
                      body={"url": "https://portal.gialai.gov.vn/one-more", "events": EVENTS})
        self.assertIn("20", self.assertProblem(r, 409, "conflict")["detail"])
        self.call("POST", f"/v1/webhooks/{made[0]}/disable", token=admin)
        r = self.call("POST", "/v1/webhooks", token=admin,
                      body={"url": "https://portal.gialai.gov.vn/one-more", "events": EVENTS})
        self.assertEqual(r.status, 201, r)
        for i in made[1:] + [r.json()["id"]]:
            self.call("POST", f"/v1/webhooks/{i}/disable", token=admin)


class WebhookDeliveryTest(WebhookBase):

    def test_a_ping_is_signed_logged_and_processed_once(self):
        sub = self.subscribe()
        d = self.ping(sub)
        self.assertEqual(d["type"], "webhook.ping")
        self.assertTrue(self.sink.wait_for(lambda s: d["event_id"] in s.processed))
        got = [x for x in self.sink.deliveries if x[0] == d["event_id"]]
        self.assertEqual(len(got), 1)
        _, ok, body, headers = got[0]
        self.assertTrue(ok)
        self.assertEqual(body["type"], "webhook.ping")
        self.assertEqual(body["data"]["subscription_id"], sub["id"])
        self.assertEqual(body["data"]["organization"],
                         self.sql(f"SELECT code FROM organizations WHERE id = "
                                  f"{self.world['A'].id}"))
        self.assertRegex(body["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(headers["content-type"], "application/json")
        # the same bytes under another key, or another time, do not verify
        self.assertFalse(verify("whsec_" + "A" * 43 + "=", headers,
                                json.dumps(body).encode()))
        log = self.wait_log(sub, lambda items: items and items[0]["status"] == "delivered")
        self.assertEqual(log[0]["event_id"], d["event_id"])
        self.assertEqual(log[0]["attempts"], 1)
        self.assertEqual(log[0]["last_status"], 204)
        self.assertIsNone(log[0]["last_error"])

    def test_retried_with_backoff_then_delivered(self):
        sub = self.subscribe(url=self.sink.url_for("retried"))
        self.sink.fail_next["/retried"] = 2
        d = self.ping(sub)
        self.assertTrue(self.sink.wait_for(lambda s: d["event_id"] in s.processed))
        log = self.wait_log(sub, lambda items: items[0]["status"] == "delivered")
        self.assertEqual(log[0]["attempts"], 3)
        self.assertEqual(self.sink.ids().count(d["event_id"]), 3)

    def test_given_up_then_redelivered_under_the_same_id(self):
        sub = self.subscribe(url=self.sink.url_for("given-up"))
        self.sink.fail_next["/given-up"] = 3
        d = self.ping(sub)
        log = self.wait_log(sub, lambda items: items[0]["status"] == "failed")
        self.assertEqual(log[0]["attempts"], 3)
        self.assertEqual(log[0]["last_status"], 503)
        self.assertEqual(log[0]["last_error"], "HTTP 503")
        self.assertNotIn(d["event_id"], self.sink.processed)
        failed = self.deliveries(sub, query="?status=failed")
        self.assertEqual([x["event_id"] for x in failed], [d["event_id"]])
        admin = self.token("A", "admin")
        r = self.call("POST", f"/v1/webhooks/{sub['id']}/deliveries/{d['event_id']}/redeliver",
                      token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "pending")
        self.assertTrue(self.sink.wait_for(lambda s: d["event_id"] in s.processed))
        self.wait_log(sub, lambda items: items[0]["status"] == "delivered")
        # redelivered once more after success: the same id, processed once
        r = self.call("POST", f"/v1/webhooks/{sub['id']}/deliveries/{d['event_id']}/redeliver",
                      token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.sink.wait_for(
            lambda s: sum(1 for x in s.deliveries if x[0] == d["event_id"]) == 5))
        self.assertEqual(len([k for k in self.sink.processed if k == d["event_id"]]), 1)
        self.assertEqual(self.count("audit_log", "action = 'webhook.redeliver' AND "
                                    f"entity_id = '{sub['id']}'"), 2)

    def test_disabled_gets_nothing_more(self):
        sub = self.subscribe(events=["case.reminder"], url=self.sink.url_for("disabled"))
        self.sink.fail_next["/disabled"] = 100  # keeps the ping pending
        d = self.ping(sub)
        admin = self.token("A", "admin")
        r = self.call("POST", f"/v1/webhooks/{sub['id']}/disable", token=admin)
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["active"])
        self.sink.fail_next["/disabled"] = 0
        log = self.deliveries(sub)
        self.assertEqual(log[0]["status"], "failed")
        self.assertEqual(log[0]["last_error"], "subscription disabled")
        for path in (f"/v1/webhooks/{sub['id']}/ping",
                     f"/v1/webhooks/{sub['id']}/deliveries/{d['event_id']}/redeliver"):
            r = self.call("POST", path, token=admin, headers=EN)
            self.assertIn(str(sub["id"]), self.assertProblem(r, 409, "conflict")["detail"])
        self.assertEqual(self.call("POST", f"/v1/webhooks/{sub['id']}/rotate",
                                   token=admin).status, 404)
        # events go on being written, and queue nothing for it
        before = self.count("webhook_deliveries", f"subscription_id = {sub['id']}")
        self.sql(f"SELECT outbox_emit({self.world['A'].id}, 'case.reminder', '{{}}'::jsonb)")
        self.assertEqual(self.count("webhook_deliveries", f"subscription_id = {sub['id']}"),
                         before)

    def test_a_consolidation_sent_is_pushed_with_its_change(self):
        a = self.world["A"]
        sub = self.subscribe(events=["consolidation.sent"])
        tag = uuid.uuid4().hex[:8]
        pid = self.sql(
            "WITH t AS (INSERT INTO report_templates (organization_id, code, version, title, "
            f"fields) VALUES ({a.id}, 'wh-{tag}', 1, 'Mẫu', '[{{\"key\": \"n\", \"label\": "
            "\"Số\", \"type\": \"number\"}]'::jsonb) RETURNING id) "
            "INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, "
            f"ends_on, due_on) SELECT {a.id}, t.id, 'ad_hoc', 'Quý IV', '2026-10-01', "
            "'2026-12-31', '2027-01-10' FROM t RETURNING id")
        office = self.token("A", "secretariat")
        k = self.call("POST", f"/v1/report-periods/{pid}/consolidations", token=office).json()
        events = self.count("outbox_events", "type = 'consolidation.sent'")
        # a refused send (another version) writes no event
        r = self.call("POST", f"/v1/consolidations/{k['id']}/send", token=office,
                      headers={"If-Match": '"99"'})
        self.assertEqual(r.status, 412, r)
        self.assertEqual(self.count("outbox_events", "type = 'consolidation.sent'"), events)
        r = self.call("POST", f"/v1/consolidations/{k['id']}/send", token=office,
                      headers={"If-Match": f'"{k["version"]}"'})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.sink.wait_for(lambda s: any(
            b["type"] == "consolidation.sent" and b["data"]["consolidation_id"] == k["id"]
            for b in s.processed.values())))
        body = next(b for b in self.sink.processed.values()
                    if b["type"] == "consolidation.sent"
                    and b["data"]["consolidation_id"] == k["id"])
        self.assertEqual(body["data"]["period_id"], int(pid))
        self.assertEqual(body["data"]["feed_seq"], r.json()["feed_seq"])
        # only what it asked for: no ping-type or reminder deliveries
        self.assertEqual({x["type"] for x in self.deliveries(sub)}, {"consolidation.sent"})

    def test_a_reminder_due_is_pushed_with_ids_only(self):
        a = self.world["A"]
        sub = self.subscribe(events=["case.reminder"])
        office = self.token("A", "secretariat")
        today = datetime.date.fromisoformat(self.sql(
            "SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"))
        r = self.call("POST", "/v1/cases", token=office, body={
            "kind": "denunciation", "staff_id": a.staff["Trần Thị Bình"],
            "summary": "Tố cáo kê khai sai thành tích", "lodger_name": "Nguyễn Văn Tố",
            "received_on": str(today - datetime.timedelta(days=20))})
        self.assertEqual(r.status, 201, r)
        case = r.json()
        self.sql("SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
        self.assertTrue(self.sink.wait_for(lambda s: any(
            b["type"] == "case.reminder" and b["data"]["case_id"] == case["id"]
            for b in s.processed.values())))
        body = next(b for b in self.sink.processed.values()
                    if b["type"] == "case.reminder" and b["data"]["case_id"] == case["id"])
        self.assertEqual(body["data"]["kind"], "overdue")
        self.assertEqual(body["data"]["due"], case["accept_due"])
        # nothing of the case's people or text leaves the service
        text = json.dumps(body, ensure_ascii=False)
        for secret in ("Nguyễn Văn Tố", "Trần Thị Bình", "Tố cáo"):
            self.assertNotIn(secret, text)
        self.assertEqual(set(body["data"]), {"case_id", "kind", "due", "organization"})


class WebhookRestartTest(WebhookBase):
    """At least once across restarts, processed once by the subscriber."""

    def restart(self, sig=None):
        """Stops the service (SIGTERM, or sig) and starts another on a new port."""
        if sig is None:
            self.assertEqual(self.svc.stop(), 0, self.svc.stderr())
        else:
            self.svc.stop(sig=sig)
        env = {k: v for k, v in self.svc.env.items() if k != "THIDUA_PORT"}
        type(self).svc = Service(self.db, env=env).start()

    def test_delivered_after_the_subscriber_and_the_service_come_back(self):
        sub = self.subscribe()
        port = self.sink.port
        self.sink.stop()  # the subscriber is away: connections are refused
        pings = [self.ping(sub)["event_id"] for _ in range(5)]
        self.wait_log(sub, lambda items: all(x["attempts"] >= 1 for x in items)
                      and len(items) == 5)
        self.restart()
        self.sink.port = port
        self.sink.start()
        self.assertTrue(self.sink.wait_for(lambda s: all(p in s.processed for p in pings),
                                           timeout=30))
        log = self.wait_log(sub, lambda items: all(x["status"] == "delivered" for x in items))
        self.assertTrue(all(x["attempts"] >= 2 for x in log), log)

    def test_a_post_cut_by_a_killed_service_is_posted_again_once_processed(self):
        sub = self.subscribe()
        self.sink.hold_s = 0.8  # the service dies while the subscriber works
        d = self.ping(sub)
        # the post is under way once the claim is made
        self.assertTrue(self.wait_claimed(d["event_id"]))
        time.sleep(0.2)
        self.restart(signal.SIGKILL)
        self.sink.hold_s = 0
        # the lease (timeout 1 s + 5 s) ends and the event is posted again
        self.assertTrue(self.sink.wait_for(
            lambda s: sum(1 for x in s.deliveries if x[0] == d["event_id"]) >= 2, timeout=30))
        self.wait_log(sub, lambda items: items[0]["status"] == "delivered")
        self.assertEqual(len([k for k in self.sink.processed if k == d["event_id"]]), 1)

    def wait_claimed(self, event_id, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sql("SELECT count(*) FROM webhook_deliveries d JOIN outbox_events e "
                        "ON e.id = d.event_id WHERE d.attempts > 0 AND "
                        f"e.event_id = '{event_id}'") == "1":
                return True
            time.sleep(0.02)
        return False


class WebhookPrivateAddressTest(WebhookBase):
    """Without THIDUA_WEBHOOK_ALLOW_PRIVATE the service posts only to public
    addresses, checked on the address it connects to."""
    service_env = dict(FAST, THIDUA_WEBHOOK_ALLOW_PRIVATE="off")

    def test_no_post_into_the_service_s_own_network(self):
        admin = self.token("A", "admin")
        r = self.call("POST", "/v1/webhooks", token=admin, headers=EN,
                      body={"url": self.sink.url, "events": EVENTS})
        self.assertProblem(r, 422)
        self.assertEqual(r.json()["errors"][0]["pointer"], "/url")
        # a listener on loopback counts every connection made to it
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        accepted = []
        listener.settimeout(0.2)

        def accept():
            while listener.fileno() >= 0:
                try:
                    conn, _ = listener.accept()
                    accepted.append(1)
                    conn.close()
                except (socket.timeout, OSError):
                    if listener.fileno() < 0:
                        return
        threading.Thread(target=accept, daemon=True).start()
        port = listener.getsockname()[1]
        try:
            for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::ffff:127.0.0.1]:{port}"):
                sub = self.subscribe(url=f"https://{host}/hooks")
                self.ping(sub)
                log = self.wait_log(sub, lambda items: items[0]["status"] == "failed")
                self.assertEqual(log[0]["last_status"], None)
                self.assertIn("connect", log[0]["last_error"].lower())
        finally:
            listener.close()
        self.assertEqual(accepted, [])


class ReminderMailTest(WebhookBase):
    """Reminders by e-mail where an SMTP relay is configured (migration
    0038): to the case's handler when named, else to the Office; the case's
    number and day, never who lodged it nor what it says."""

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.service_env = dict(FAST, THIDUA_SMTP_URL=cls.smtp.url,
                               THIDUA_SMTP_FROM="thidua@bqlkkt.gialai.gov.vn")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.smtp.stop()

    def set_email(self, role, address):
        u = self.world["A"].users[role]
        version = self.sql(f"SELECT version FROM users WHERE id = {u['id']}")
        r = self.call("PATCH", f"/v1/users/{u['id']}", token=self.token("A", "admin"),
                      body={"email": address}, headers={"If-Match": f'"{version}"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["email"], address.lower())

    def lodge(self, days_ago, **extra):
        a = self.world["A"]
        today = datetime.date.fromisoformat(self.sql(
            "SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"))
        r = self.call("POST", "/v1/cases", token=self.token("A", "secretariat"), body=dict({
            "kind": "denunciation", "staff_id": a.staff["Trần Thị Bình"],
            "summary": "Tố cáo kê khai khống thành tích", "lodger_name": "Nguyễn Văn Tố",
            "received_on": str(today - datetime.timedelta(days=days_ago))}, **extra))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_the_office_is_mailed_then_the_handler(self):
        self.set_email("secretariat", "VanPhong.TDKT@bqlkkt.gialai.gov.vn")
        self.set_email("leader", "truongban@bqlkkt.gialai.gov.vn")
        self.set_email("viewer", "reject.viewer@bqlkkt.gialai.gov.vn")
        case = self.lodge(20)
        self.sql("SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
        got = self.smtp.wait_for(lambda m: f"số {case['id']} " in str(m[2]["Subject"]))
        self.assertEqual(len(got), 1, got)
        sender, rcpts, msg = got[0]
        self.assertEqual(sender, "thidua@bqlkkt.gialai.gov.vn")
        # the Office's only: the head and the viewer are not the Office
        self.assertEqual(rcpts, ["vanphong.tdkt@bqlkkt.gialai.gov.vn"])
        due = datetime.date.fromisoformat(case["accept_due"]).strftime("%d/%m/%Y")
        self.assertEqual(str(msg["Subject"]), f"[Thi đua – Khen thưởng] Vụ việc số "
                                              f"{case['id']} đã quá hạn giải quyết từ ngày {due}")
        self.assertEqual(msg.get_content_type(), "text/plain")
        body = msg.get_content()
        self.assertIn(f"Vụ việc số {case['id']} đã quá hạn giải quyết từ ngày {due}.", body)
        for secret in ("Nguyễn Văn Tố", "Trần Thị Bình", "kê khai"):
            self.assertNotIn(secret, body + str(msg["Subject"]))
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertTrue(self.wait_sql(
            "SELECT bool_and(status = 'delivered') FROM email_deliveries d JOIN outbox_events e "
            f"ON e.id = d.event_id WHERE (e.data->>'case_id')::bigint = {case['id']}"))
        # housekeeping's next round mails nothing twice
        before = len(self.smtp.messages)
        self.sql("SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
        time.sleep(0.5)
        self.assertEqual(len(self.smtp.messages), before)
        # a case with a handler: the handler alone
        handled = self.lodge(19)
        self.sql(f"UPDATE cases SET handler_user_id = {self.world['A'].users['leader']['id']} "
                 f"WHERE id = {handled['id']}")
        self.sql("SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
        got = self.smtp.wait_for(lambda m: f"số {handled['id']} " in str(m[2]["Subject"]))
        self.assertEqual([m[1] for m in got], [["truongban@bqlkkt.gialai.gov.vn"]])

    def test_a_refused_recipient_is_retried_then_given_up(self):
        self.set_email("secretariat", "reject.office@bqlkkt.gialai.gov.vn")
        case = self.lodge(21)
        self.sql("SELECT case_reminders_record((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)")
        where = ("FROM email_deliveries d JOIN outbox_events e ON e.id = d.event_id "
                 f"WHERE (e.data->>'case_id')::bigint = {case['id']}")
        self.assertTrue(self.wait_sql(f"SELECT bool_and(status = 'failed') {where}"))
        attempts, error = self.sql(f"SELECT attempts || '|' || last_error {where}").split("|")
        self.assertEqual(attempts, "3")
        self.assertIn("550", error)

    def test_bad_addresses_are_refused(self):
        u = self.world["A"].users["council"]
        for bad in ("no-at-sign", "two@@signs", "@nobody", "nobody@", "a b@c.vn",
                    "x" * 250 + "@c.vn", "<a@b.vn>", 5):
            with self.subTest(bad=bad):
                version = self.sql(f"SELECT version FROM users WHERE id = {u['id']}")
                r = self.call("PATCH", f"/v1/users/{u['id']}", token=self.token("A", "admin"),
                              body={"email": bad}, headers={"If-Match": f'"{version}"', **EN})
                doc = self.assertProblem(r, 422)
                self.assertEqual(doc["errors"][0]["pointer"], "/email")
        self.assertEqual(self.sql(f"SELECT coalesce(email, '-') FROM users WHERE id = {u['id']}"),
                         "-")

    def wait_sql(self, query, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sql(query) == "t":
                return True
            time.sleep(0.1)
        return False


if __name__ == "__main__":
    main()
