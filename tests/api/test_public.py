"""The agency's public face (issue 13 §4): /public/v1 without a token — the
news of what it published (a signed decision, an issued plan, never a
draft), as JSON, Atom and JSON Feed, built for caches (ETag,
Last-Modified, 304, Cache-Control, Vary, CORS), and hostile input answered
with problem+json.
"""

import json
import time
import xml.etree.ElementTree as ET

from feed_check import check_atom, check_json_feed
from harness import main
from identity import IdentityTest
import test_decisions

ATOM = "{http://www.w3.org/2005/Atom}"
ORIGIN = "https://thidua.gialai.gov.vn"


class PublicTest(IdentityTest):
    # no answer from memory: every request below reads the database, so a
    # publication shows at once (test_the_first_page_kept_for_seconds turns
    # it on in a service of its own)
    service_env = {"THIDUA_PUBLIC_CACHE_S": "0", "THIDUA_CORS_ORIGINS": ORIGIN,
                   "THIDUA_PUBLIC_BASE_URL": ORIGIN}

    as_role = test_decisions.DecisionsTest.as_role
    signed_session = test_decisions.DecisionsTest.signed_session
    draft = test_decisions.DecisionsTest.draft
    sign = test_decisions.DecisionsTest.sign

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.code = cls.sql(f"SELECT code FROM organizations WHERE id = {a.id}")
        cls.plan = cls.sql(
            "INSERT INTO plans (organization_id, year, number, symbol, issued_on, title, "
            f"period_start, period_end, status) VALUES ({a.id}, 2024, '125', 'KH-BQLKKT', "
            "'2024-02-10', 'Kế hoạch tổ chức phong trào thi đua năm 2024', '2024-01-01', "
            "'2024-12-31', 'issued') RETURNING id")
        cls.draft_plan = cls.sql(
            "INSERT INTO plans (organization_id, year, symbol, title, period_start, period_end) "
            f"VALUES ({a.id}, 2025, 'KH-BQLKKT', 'Dự thảo kế hoạch bí mật', '2025-01-01', "
            "'2025-12-31') RETURNING id")

    def news(self, query="", headers=None, path="news"):
        return self.call("GET", f"/public/v1/{self.code}/{path}{query}", headers=headers)

    def signed_decision(self, year=2024):
        sid, _ = self.signed_session(year, [("lao_dong_tien_tien", "Trần Thị Bình", True),
                                            ("giay_khen", ("unit", "C"), True)])
        d = self.draft(sid).json()
        r = self.sign(d["id"], f"{year}-12-28")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_what_was_published_and_nothing_else(self):
        before = self.news().json()
        ids = [i["id"] for i in before["items"]]
        self.assertIn(f"plan-{self.plan}", ids)
        self.assertNotIn(f"plan-{self.draft_plan}", ids)
        plan = [i for i in before["items"] if i["id"] == f"plan-{self.plan}"][0]
        self.assertEqual(plan["title"], "Kế hoạch số 125/KH-BQLKKT ngày 10/02/2024 tổ chức "
                                        "phong trào thi đua năm 2024")
        self.assertEqual((plan["kind"], plan["published"], plan["path"]),
                         ("plan", "2024-02-10", f"/public/v1/{self.code}/plans/{self.plan}"))
        # a draft decision is not news; signing it is
        sid, _ = self.signed_session(2024, [("lao_dong_tien_tien", "Nguyễn Văn An", True)])
        d = self.draft(sid).json()
        self.assertNotIn(f"decision-{d['id']}", [i["id"] for i in self.news().json()["items"]])
        self.assertEqual(self.call("GET", f"/public/v1/{self.code}/decisions/{d['id']}").status,
                         404)
        s = self.sign(d["id"], "2024-12-27").json()
        items = self.news().json()["items"]
        item = [i for i in items if i["id"] == f"decision-{d['id']}"][0]
        self.assertEqual(item["summary"], "Khen thưởng 1 cá nhân.")
        self.assertTrue(item["title"].startswith(f"Quyết định số {s['number_text']} ngày "
                                                 "27/12/2024 về việc"))
        # the decision as published: what a decision says, no ids, no money
        r = self.call("GET", item["path"])
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc["number"], s["number_text"])
        award = doc["awards"][0]
        self.assertEqual((award["name"], award["award"]), ("Nguyễn Văn An", "Lao động tiên tiến"))
        text = r.body.decode()
        for private in ("staff_id", "amount", "date_of_birth", "nomination_id", "base_salary"):
            self.assertNotIn(private, text)
        # English on request
        en = self.news(headers={"Accept-Language": "en"}).json()["items"]
        item_en = [i for i in en if i["id"] == f"decision-{d['id']}"][0]
        self.assertEqual(item_en["summary"], "Commends 1 individual.")
        # the plan as published; a draft is no document of the public
        r = self.call("GET", f"/public/v1/{self.code}/plans/{self.plan}")
        self.assertEqual((r.status, r.json()["number"]), (200, "125/KH-BQLKKT"))
        self.assertEqual(self.call("GET", f"/public/v1/{self.code}/plans/{self.draft_plan}")
                         .status, 404)
        # another organisation's documents are not under this one's name
        other = self.sql("SELECT code FROM organizations WHERE id = "
                         f"{self.world['B'].id}")
        self.assertEqual(self.call("GET", f"/public/v1/{other}/plans/{self.plan}").status, 404)

    def test_pages_by_cursor_year_and_kind(self):
        for _ in range(3):
            self.signed_decision(2023)
        first = self.news("?limit=2&year=2023").json()
        self.assertEqual(len(first["items"]), 2)
        self.assertTrue(first["next_cursor"])
        seen = [i["id"] for i in first["items"]]
        cursor = first["next_cursor"]
        while cursor:
            page = self.news(f"?limit=2&year=2023&cursor={cursor}").json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertGreaterEqual(len(seen), 3)
        self.assertTrue(all(i.startswith("decision-") for i in seen))
        every = self.news("?limit=50&year=2023").json()["items"]
        self.assertEqual([i["id"] for i in every], seen)
        plans = self.news("?kind=plan").json()["items"]
        self.assertTrue(plans and all(i["kind"] == "plan" for i in plans))

    def test_conditional_requests_and_cache_headers(self):
        r = self.news()
        self.assertEqual(r.status, 200)
        etag, modified = r.header("ETag"), r.header("Last-Modified")
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')
        self.assertRegex(modified, r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")
        self.assertIn("max-age=", r.header("Cache-Control"))
        self.assertIn("stale-while-revalidate=", r.header("Cache-Control"))
        self.assertIn("Accept-Language", r.header("Vary"))
        for h in ({"If-None-Match": etag}, {"If-None-Match": f'"x", W/{etag}'},
                  {"If-Modified-Since": modified}):
            with self.subTest(headers=h):
                r304 = self.news(headers=h)
                self.assertEqual((r304.status, r304.body), (304, b""))
                self.assertEqual(r304.header("ETag"), etag)
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
        r = self.news(headers={"If-None-Match": '"other"', "If-Modified-Since": modified})
        self.assertEqual(r.status, 200)
        r = self.news(headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        self.assertEqual(r.status, 200)
        # another language is another answer
        en = self.news(headers={"Accept-Language": "en"})
        self.assertNotEqual(en.header("ETag"), etag)
        # a new publication changes both
        time.sleep(1.1)
        self.signed_decision(2022)
        r = self.news(headers={"If-None-Match": etag})
        self.assertEqual(r.status, 200)
        self.assertNotEqual(r.header("Last-Modified"), modified)

    def test_cors_for_browsers_of_the_allowed_origin(self):
        r = self.news(headers={"Origin": ORIGIN})
        self.assertEqual(r.header("Access-Control-Allow-Origin"), ORIGIN)
        self.assertIn("Origin", r.header("Vary"))
        r = self.news(headers={"Origin": "https://evil.example"})
        self.assertIsNone(r.header("Access-Control-Allow-Origin"))
        pre = self.call("OPTIONS", f"/public/v1/{self.code}/news",
                        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
        self.assertEqual(pre.status, 204)
        self.assertEqual(pre.header("Access-Control-Allow-Methods"), "GET, HEAD")
        self.assertEqual(self.call("POST", f"/public/v1/{self.code}/news", body={}).status, 405)
        head = self.call("HEAD", f"/public/v1/{self.code}/news")
        self.assertEqual((head.status, head.body), (200, b""))

    def test_atom_and_json_feed_validate_and_parse_back(self):
        self.signed_decision(2022)
        news = self.news().json()
        r = self.news(path="feed.atom")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("application/atom+xml"))
        check_atom(r.body)
        root = ET.fromstring(r.body)
        entries = root.findall(f"{ATOM}entry")
        self.assertEqual([e.find(f"{ATOM}id").text for e in entries],
                         [ORIGIN + i["path"] for i in news["items"]])
        self.assertEqual([e.find(f"{ATOM}title").text for e in entries],
                         [i["title"] for i in news["items"]])
        self.assertEqual(self.news(path="feed.atom",
                                   headers={"If-None-Match": r.header("ETag")}).status, 304)
        r = self.news(path="feed.json")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "application/feed+json"))
        feed = json.loads(r.body)
        check_json_feed(r.body.decode())
        self.assertEqual(feed["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual([i["url"] for i in feed["items"]],
                         [ORIGIN + i["path"] for i in news["items"]])
        page = self.news("?limit=1", path="feed.json")
        self.assertIn("cursor=", json.loads(page.body)["next_url"])

    def test_hostile_and_bad_input(self):
        cases = [
            ("?cursor=" + "9" * 5000, "/query/cursor"),
            ("?cursor=2024-01-01.user-1", "/query/cursor"),
            ("?cursor=2024-01-01.plan-", "/query/cursor"),
            ("?cursor=2024-13-45.plan-1", "/query/cursor"),
            ("?cursor=%27%3B%20DROP%20TABLE%20plans%3B--", "/query/cursor"),
            ("?limit=0", "/query/limit"), ("?limit=51", "/query/limit"),
            ("?limit=1e3", "/query/limit"), ("?year=1999", "/query/year"),
            ("?kind=draft", "/query/kind"), ("?foo=1", "/query/foo"),
            ("?kind=%C3%28", "/query/kind"),
        ]
        for query, pointer in cases:
            with self.subTest(query=query[:40]):
                r = self.news(query)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.header("Content-Type"), "application/problem+json")
                self.assertIn(pointer, [e["pointer"] for e in r.json().get("errors", [])])
        for path in ("/public/v1/nobody/news", "/public/v1/%27--/news",
                     "/public/v1/" + "x" * 41 + "/news", f"/public/v1/{self.code}/plans/abc",
                     f"/public/v1/{self.code}/decisions/99999999"):
            with self.subTest(path=path[:60]):
                r = self.call("GET", path)
                self.assertIn(r.status, (400, 404), r)
                self.assertEqual(r.header("Content-Type"), "application/problem+json")
        # no token is needed, and a broken one changes nothing
        r = self.news(headers={"Authorization": "Bearer junk"})
        self.assertEqual(r.status, 200, r)


class PublicCacheTest(IdentityTest):
    """The first page is kept in memory for THIDUA_PUBLIC_CACHE_S seconds:
    a publication shows on the next read after them, never later."""
    service_env = {"THIDUA_PUBLIC_CACHE_S": "2"}

    def test_the_first_page_kept_for_seconds(self):
        a = self.world["A"]
        code = self.sql(f"SELECT code FROM organizations WHERE id = {a.id}")
        first = self.call("GET", f"/public/v1/{code}/news")
        self.assertEqual(first.status, 200)
        pid = self.sql(
            "INSERT INTO plans (organization_id, year, number, symbol, issued_on, title, "
            f"period_start, period_end, status) VALUES ({a.id}, 2024, '7', 'KH-BQLKKT', "
            "'2024-03-01', 'Kế hoạch thi đua chuyên đề', '2024-03-01', '2024-12-31', 'issued') "
            "RETURNING id")
        deadline = time.monotonic() + 4.5
        while time.monotonic() < deadline:
            items = self.call("GET", f"/public/v1/{code}/news").json()["items"]
            if f"plan-{pid}" in [i["id"] for i in items]:
                break
            time.sleep(0.2)
        else:
            self.fail("the new plan did not show within the cache's lifetime")
        # a cursor is never answered from memory
        r = self.call("GET", f"/public/v1/{code}/news?cursor=9999-12-31.plan-1")
        self.assertIn(f"plan-{pid}", [i["id"] for i in r.json()["items"]])


class PublicRevalidateTest(IdentityTest):
    """Kept for 30 seconds; a reader that asks to revalidate (Cache-Control:
    no-cache) has the revision read from the database, and a page from
    memory only if nothing was published since."""
    service_env = {"THIDUA_PUBLIC_CACHE_S": "30"}

    def test_no_cache_reads_the_revision(self):
        a = self.world["A"]
        code = self.sql(f"SELECT code FROM organizations WHERE id = {a.id}")
        path = f"/public/v1/{code}/news"
        before = self.call("GET", path)
        same = self.call("GET", path, headers={"Cache-Control": "no-cache"})
        self.assertEqual(same.header("ETag"), before.header("ETag"))
        pid = self.sql(
            "INSERT INTO plans (organization_id, year, number, symbol, issued_on, title, "
            f"period_start, period_end, status) VALUES ({a.id}, 2024, '8', 'KH-BQLKKT', "
            "'2024-04-01', 'Kế hoạch thi đua đặc biệt', '2024-04-01', '2024-12-31', 'issued') "
            "RETURNING id")
        fresh = self.call("GET", path, headers={"Cache-Control": "no-cache"})
        self.assertIn(f"plan-{pid}", [i["id"] for i in fresh.json()["items"]])
        self.assertNotEqual(fresh.header("ETag"), before.header("ETag"))
        # the revision read is kept: the next reader sees it too
        self.assertEqual(self.call("GET", path).header("ETag"), fresh.header("ETag"))
        # an unknown organisation is 404 from memory as from the database
        for h in ({}, {"Cache-Control": "max-age=0"}, {}):
            self.assertEqual(self.call("GET", "/public/v1/NOBODY/news", headers=h).status, 404)


if __name__ == "__main__":
    main()
