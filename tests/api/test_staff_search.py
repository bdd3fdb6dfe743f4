"""Staff search at scale: plans that hold with many staff.

The staff search is declared DB_STATEMENT_REPLAN (planned with its values
at every call) because its best plan depends on the text searched.  The
pool's connections force generic plans on every other statement; that
setting must not reach the search.  At 100,000 staff a generic plan reads
the whole organisation in name order before it meets a rare name sorted
last (about half a second here), where a plan made for the text finds it at
once: with a statement timeout of 100 ms the first answers 503, the second
200.  100,000 is about the smallest organisation where the difference is
wide enough (4-5x) to be read through a timeout on a busy machine.
"""

import urllib.parse

from harness import main
from identity import IdentityTest

BULK = 100_000


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
    service_env = {"THIDUA_STATEMENT_TIMEOUT_MS": "100"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.sql(bulk_staff_sql(a.id, a.units["S"], BULK))
        cls.rare = int(cls.sql(
            f"INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type,"
            f" start_date) VALUES ({a.id}, {a.units['S']}, 'Đinh Thị Yến', 'female',"
            f" 'civil_servant', DATE '2015-01-01') RETURNING id"))
        cls.sql("ANALYZE staff")

    def search(self, text, **extra):
        query = urllib.parse.urlencode(dict(extra, q=text))
        return self.call("GET", f"/v1/staff?{query}", token=self.token("A", "admin"))

    def test_rare_name_among_many(self):
        for text in ("dinh thi yen", "Đinh Thị Yến"):
            with self.subTest(q=text):
                r = self.search(text)
                self.assertEqual(r.status, 200, r)
                self.assertEqual([s["id"] for s in r.json()["items"]], [self.rare])


if __name__ == "__main__":
    main()
