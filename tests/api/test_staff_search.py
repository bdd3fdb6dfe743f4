"""The staff search: what it finds, in which order, and that it holds at scale.

q finds the staff whose name has, for every word of q, a syllable
beginning with it, accents and case aside; with unit_id it matches any part
of the name instead (one unit, read whole).  The answer is in list order
(given name, then full name, vi-VN-x-icu) and keyset-paged like the list.
The search reads staff_name_parts (migration 0008), which statement-level
triggers keep equal to the syllables of every name: checked here after
each kind of write.

RareNameTest: the statements whose plan depends on the values searched are
declared DB_STATEMENT_REPLAN (planned with their values at every call); the
pool's connections force generic plans on every other statement, and that
setting must not reach them.  One is the substring search inside a unit
(?unit_id=&q=): its generic plan cannot use the unit's index through
"unit_id = 0 OR unit_id = $10" and reads the whole organisation, from 5,000
staff up (EXPLAIN here: 5,000, 20,000, 100,000 all read every row through
staff_by_name; 3 s at 1,000,000), where a plan made for the values reads
the unit alone through staff_by_unit.  The test reads which index the
service's search used from pg_stat_user_indexes, at 20,000 staff.  Before
migration 0008 the organisation-wide search was such a statement too (a
rare name sorted last: 4.5 s at 1,000,000 staff, the statement timeout);
it is checked to stay fast under a statement timeout of 100 ms.
"""

import time
import unicodedata
import urllib.parse

from harness import main
from identity import IdentityTest, sql_text

BULK = 20_000


def bulk_staff_sql(org_id, unit_id, count, start=1):
    """One INSERT ... SELECT of count staff with common names (given names
    from An to Vân: they all sort before Yến), numbered from start."""
    return f"""
        INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type,
                           start_date)
        SELECT {org_id}, {unit_id},
               (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Phan','Vũ','Bùi'])[1 + g % 8]
               || ' ' || (ARRAY['Văn','Thị','Hữu','Minh','Ngọc','Đức'])[1 + (g / 8) % 6]
               || ' ' || (ARRAY['An','Bình','Cường','Dũng','Giang','Hà','Hải','Lan','Linh',
                                'Mai','Nam','Sơn','Thảo','Trang','Tuấn','Vân'])[1 + (g / 48) % 16],
               CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, 'civil_servant',
               DATE '2015-01-01'
        FROM generate_series({start}, {start + count - 1}) g"""


class RareNameTest(IdentityTest):
    # one connection, so that the request after the search runs on the
    # backend that searched (see index_reads)
    service_env = {"THIDUA_STATEMENT_TIMEOUT_MS": "100", "THIDUA_DB_POOL_SIZE": "1"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.sql(bulk_staff_sql(a.id, a.units["S"], BULK))
        cls.small = int(cls.sql(
            f"INSERT INTO units (organization_id, code, name, kind) VALUES ({a.id}, 'NHO',"
            f" 'Tổ nhỏ', 'department') RETURNING id"))
        cls.rare = int(cls.sql(
            f"INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type,"
            f" start_date) VALUES ({a.id}, {cls.small}, 'Đinh Thị Yến', 'female',"
            f" 'civil_servant', DATE '2015-01-01') RETURNING id"))
        cls.sql("ANALYZE staff")

    def search(self, text, **extra):
        query = urllib.parse.urlencode(dict(extra, q=text))
        return self.call("GET", f"/v1/staff?{query}", token=self.token("A", "admin"))

    def test_rare_name_among_many(self):
        for text in ("dinh thi yen", "Đinh Thị Yến", "yen", "d t y"):
            with self.subTest(q=text):
                r = self.search(text)
                self.assertEqual(r.status, 200, r)
                self.assertEqual([s["id"] for s in r.json()["items"]], [self.rare])

    def index_reads(self):
        """(scans of staff_by_unit, entries read from staff_by_name)."""
        row = self.sql("SELECT sum(idx_scan) FILTER (WHERE indexrelname = 'staff_by_unit'),"
                       " sum(idx_tup_read) FILTER (WHERE indexrelname = 'staff_by_name')"
                       " FROM pg_stat_user_indexes")
        return tuple(int(v) for v in row.split("|"))

    def test_substring_inside_a_small_unit_reads_the_unit(self):
        unit_scans, name_reads = self.index_reads()
        r = self.search("inh thi ye", unit_id=self.small)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([s["id"] for s in r.json()["items"]], [self.rare])
        # a backend publishes its counters at the end of a transaction at
        # least 1 s after its last report, else within 10 s of going idle
        time.sleep(1.1)
        self.call("GET", "/readyz")
        deadline = time.monotonic() + 15
        while self.index_reads()[0] == unit_scans and time.monotonic() < deadline:
            time.sleep(0.2)
        now_scans, now_reads = self.index_reads()
        self.assertGreater(now_scans, unit_scans, "the search did not read the unit's index")
        self.assertLess(now_reads - name_reads, 1000, "the search read the whole organisation")


def fold(text):
    """vn_fold as the tests need it: no tones or marks, đ is d, lower case."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def matches(name, text):
    syllables = fold(name).split()
    return all(any(s.startswith(w) for s in syllables) for w in fold(text).split())


# The names a test unit gets, besides the seeded world's.
NAMES = ["Nguyễn Văn An", "Nguyễn Văn Ánh", "Ngô Thị An", "Nguyễn Ngọc Ngân", "Lý Minh Đạt",
         "Đặng Văn Đạt", "Trần Thị Đào", "Hoàng Thị Yến", "Nguyễn Thị Yến", "Nguyễn Văn Anh",
         "Lê Văn Nguyên", "Phạm Thị Uyên", "Nguyễn Thị Ngọc Anh", "Vũ Văn An"]

# staff_name_parts as the triggers must have left it: recomputed from staff.
PARTS_DRIFT = """
    SELECT count(*) FROM (
      (SELECT organization_id, part, given_name, full_name, staff_id, words FROM staff_name_parts
       EXCEPT ALL
       SELECT DISTINCT s.organization_id, w, s.given_name, s.full_name, s.id,
              btrim(regexp_replace(s.search_name, '\\s+', ' ', 'g'))
       FROM staff s, regexp_split_to_table(s.search_name, '\\s+') w WHERE w <> '')
      UNION ALL
      (SELECT DISTINCT s.organization_id, w, s.given_name, s.full_name, s.id,
              btrim(regexp_replace(s.search_name, '\\s+', ' ', 'g'))
       FROM staff s, regexp_split_to_table(s.search_name, '\\s+') w WHERE w <> ''
       EXCEPT ALL
       SELECT organization_id, part, given_name, full_name, staff_id, words FROM staff_name_parts)
    ) d"""


class SyllableSearchTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        b = cls.world["B"]
        cls.unit = int(cls.sql(
            f"INSERT INTO units (organization_id, code, name, kind) VALUES ({b.id}, 'TIM',"
            f" 'Phòng Tìm kiếm', 'department') RETURNING id"))
        admin = cls.token("B", "admin")
        cls.ids = {}
        for n in NAMES:
            r = cls.call("POST", "/v1/staff", token=admin, body={
                "unit_id": cls.unit, "full_name": n, "gender": "female",
                "employment_type": "civil_servant", "start_date": "2021-09-01"})
            assert r.status == 201, r
            cls.ids[r.json()["id"]] = n

    def get(self, params, role="admin"):
        r = self.call("GET", "/v1/staff?" + urllib.parse.urlencode(params),
                      token=self.token("B", role))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def everyone(self):
        """All of B's staff in list order (the list itself, one page)."""
        return [(s["id"], s["full_name"]) for s in self.get({"limit": 100})["items"]]

    def test_syllable_prefixes_accents_optional(self):
        cases = [
            ("ng v an", {"Nguyễn Văn An", "Nguyễn Văn Ánh", "Nguyễn Văn Anh"}),
            ("nguyen van a", {"Nguyễn Văn An", "Nguyễn Văn Ánh", "Nguyễn Văn Anh"}),
            ("an nguyen", {"Nguyễn Văn An", "Nguyễn Văn Ánh", "Nguyễn Văn Anh",
                           "Nguyễn Thị Ngọc Anh"}),
            ("Đạt", {"Lý Minh Đạt", "Đặng Văn Đạt"}),
            ("dat", {"Lý Minh Đạt", "Đặng Văn Đạt"}),
            ("DA", {"Lý Minh Đạt", "Đặng Văn Đạt", "Đặng Văn Đạt", "Trần Thị Đào"}),
            ("yen", {"Hoàng Thị Yến", "Nguyễn Thị Yến"}),   # not Nguyễn
            ("uyen", {"Phạm Thị Uyên"}),                     # a syllable, not a substring
            ("nguyen", {n for n in NAMES if fold(n).split()[0] == "nguyen"} | {"Lê Văn Nguyên"}),
            ("ng ng", {n for n in NAMES if matches(n, "ng")}),
            ("  An  ", {n for n in NAMES if matches(n, "an")}),
            ("xyz", set()),
            ("%", set()), ("_", set()), ("\\", set()),
        ]
        for text, want in cases:
            with self.subTest(q=text):
                got = {s["full_name"] for s in self.get({"q": text, "limit": 100})["items"]}
                self.assertEqual(got & set(NAMES), want)
                # and the seeded world's names follow the same rule
                self.assertTrue(all(matches(n, text) for n in got), got)

    def test_pages_in_list_order(self):
        order = self.everyone()
        for text in ("ng", "a", "nguyen thi", "v", "ng v an"):
            with self.subTest(q=text):
                want = [i for i, n in order if matches(n, text)]
                self.assertGreaterEqual(len(want), 2)
                got, params = [], {"q": text, "limit": 2}
                for _ in range(20):
                    page = self.get(params)
                    got += [s["id"] for s in page["items"]]
                    if not page["next_cursor"]:
                        break
                    params["cursor"] = page["next_cursor"]
                self.assertEqual(got, want)

    def test_substring_inside_one_unit(self):
        for text, want in (("uyen", {"Nguyễn Văn An", "Nguyễn Văn Ánh", "Nguyễn Ngọc Ngân",
                                     "Nguyễn Thị Yến", "Nguyễn Văn Anh", "Lê Văn Nguyên",
                                     "Phạm Thị Uyên", "Nguyễn Thị Ngọc Anh"}),
                           ("van an", {"Nguyễn Văn An", "Vũ Văn An", "Nguyễn Văn Ánh",
                                       "Nguyễn Văn Anh"})):
            with self.subTest(q=text):
                got = {s["full_name"] for s in self.get(
                    {"q": text, "unit_id": self.unit, "limit": 100})["items"]}
                self.assertEqual(got, want)

    def test_scope_and_status_apply(self):
        b = self.world["B"]
        # the unit head of R sees R and C, not this unit nor S
        got = {s["id"] for s in self.get({"q": "thi", "limit": 100}, role="unit_head")["items"]}
        self.assertEqual(got, {i for i in b.staff_in("R", "C")
                               if matches(self.name_of(i), "thi")})
        staff = b.users["staff"]["staff_id"]
        own = self.name_of(staff)
        self.assertEqual([s["id"] for s in self.get({"q": own}, role="staff")["items"]], [staff])
        self.assertEqual(self.get({"q": "nguyen"}, role="staff")["items"], [])
        left = next(i for i, n in self.ids.items() if n == "Trần Thị Đào")
        self.sql(f"UPDATE staff SET status = 'left', left_on = start_date WHERE id = {left}")
        self.assertEqual([s["id"] for s in self.get({"q": "dao", "status": "left"})["items"]],
                         [left])
        self.assertEqual(self.get({"q": "dao", "status": "active"})["items"], [])

    def name_of(self, staff_id):
        return self.sql(f"SELECT full_name FROM staff WHERE id = {staff_id}")

    def test_parts_follow_every_write(self):
        admin = self.token("B", "admin")
        self.assertEqual(self.sql(PARTS_DRIFT), "0")
        r = self.call("POST", "/v1/staff", token=admin, body={
            "unit_id": self.unit, "full_name": "Tôn  Nữ Thị   Hồng", "gender": "female",
            "employment_type": "civil_servant", "start_date": "2021-09-01"})
        self.assertEqual(r.status, 201, r)
        sid = r.json()["id"]
        self.assertEqual([s["id"] for s in self.get({"q": "ton nu h"})["items"]], [sid])
        # a rename through the API: the old name is no longer found (the page
        # cache is keyed by the staff revision), the new one is
        self.assertEqual(self.call("PATCH", f"/v1/staff/{sid}", token=admin,
                                   body={"full_name": "Tôn Nữ Thị Hạnh"},
                                   headers={"If-Match": '"1"'}).status, 200)
        self.assertEqual(self.get({"q": "ton nu h"})["items"][0]["full_name"], "Tôn Nữ Thị Hạnh")
        self.assertEqual(self.get({"q": "hong"})["items"], [])
        # another field: the rows stay as they are
        self.assertEqual(self.call("PATCH", f"/v1/staff/{sid}", token=admin,
                                   body={"position": "Chuyên viên"},
                                   headers={"If-Match": '"2"'}).status, 200)
        # an import, a rename and a move in SQL, a deletion
        csv = ("full_name,gender,employment_type,start_date,unit_code\r\n"
               "Quách Thị Nhập,female,civil_servant,2021-09-01,TIM\r\n"
               "Quách Văn Nhập,male,civil_servant,2021-09-01,TIM\r\n").encode()
        r = self.call("POST", "/v1/staff/import", token=admin, body=csv,
                      headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(len(self.get({"q": "quach nhap"})["items"]), 2)
        self.sql(f"UPDATE staff SET full_name = 'Quách Thị Đổi' "
                 f"WHERE full_name = {sql_text('Quách Thị Nhập')}")
        self.sql(f"DELETE FROM staff WHERE id = {sid}")
        self.assertEqual(self.sql(PARTS_DRIFT), "0")
        self.assertEqual([s["full_name"] for s in self.get({"q": "quach"})["items"]],
                         ["Quách Thị Đổi", "Quách Văn Nhập"])


if __name__ == "__main__":
    main()
