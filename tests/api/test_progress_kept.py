"""Kept progress counts (migration 0009, db/procedures/target_progress.sql):
after random sequences of writes to every table a count depends on —
backdated ones included, and from concurrent sessions — the spans and
steps kept by the triggers equal those recomputed from scratch, and the
counts read from them equal the counts computed from the facts
(plan_target_counts) on every reference day, for the organisation and for
each unit's subtree.  And history does not move (issue 11 §5): the counts
as recorded by an instant T, on every reference day and scope, are the
same after further random writes of the kinds the API makes (new facts,
ratings, attendance and staff records corrected, registrations sent and
decided).
"""

import json
import os
import random
import subprocess
import threading
from datetime import date, timedelta

from harness import main
from test_plans import TARGETS_2022, PlansBase

# Seeds of the random sequences; THIDUA_PROPERTY_SEEDS="1 2 3" runs others.
SEEDS = [int(s) for s in os.environ.get("THIDUA_PROPERTY_SEEDS", "11 47").split()]
TITLES = ["lao_dong_tien_tien", "chien_si_thi_dua_co_so", "chien_si_thi_dua_cap_tinh",
          "tap_the_lao_dong_tien_tien"]  # the last is a collective title: never counted
RATINGS = ["excellent", "good", "completed", "not_completed"]


def day(d):
    return f"'{d.isoformat()}'"


def some_day(rng, first=date(2021, 10, 1), last=date(2023, 2, 28)):
    return first + timedelta(days=rng.randrange((last - first).days + 1))


# The differences between what is kept and what is recomputed from scratch:
# spans (both ways), non-zero steps (both ways), steps that cancel out.
CHECK_KEPT = """
WITH p AS (SELECT array_agg(plan_id) AS ids FROM progress_plans WHERE organization_id = {org}),
fresh AS (SELECT c.* FROM p, progress_spans_compute({org}, p.ids, progress_staff_of({org})) c),
kept AS (SELECT target_id, staff_id, unit_id, n, d, pn, pd FROM progress_spans
          WHERE organization_id = {org}),
fresh_steps AS (
  SELECT f.target_id, e.unit_id, e.day, sum(e.n) AS n, sum(e.d) AS d, sum(e.pn) AS pn,
         sum(e.pd) AS pd
    FROM fresh f CROSS JOIN LATERAL progress_span_steps(f.unit_id, f.n, f.d, f.pn, f.pd) e
   GROUP BY 1, 2, 3 HAVING sum(e.n) <> 0 OR sum(e.d) <> 0 OR sum(e.pn) <> 0 OR sum(e.pd) <> 0),
kept_steps AS (SELECT target_id, unit_id, day, n::bigint, d::bigint, pn::bigint, pd::bigint
                 FROM progress_steps WHERE organization_id = {org})
SELECT (SELECT count(*) FROM (TABLE fresh EXCEPT TABLE kept) x)
     + (SELECT count(*) FROM (TABLE kept EXCEPT TABLE fresh) x),
       (SELECT count(*) FROM (TABLE fresh_steps EXCEPT TABLE kept_steps) x)
     + (SELECT count(*) FROM (TABLE kept_steps EXCEPT TABLE fresh_steps) x),
       (SELECT count(*) FROM progress_steps WHERE organization_id = {org}
           AND n = 0 AND d = 0 AND pn = 0 AND pd = 0),
       (SELECT count(*) FROM plans WHERE organization_id = {org})
     - (SELECT count(*) FROM progress_plans WHERE organization_id = {org})
"""

# Reference days (and scopes) on which the counts read from the steps differ
# The counts of every plan, reference day and scope, as recorded before
# {rec}: one text line each, to compare before and after later writes.
AS_RECORDED = """
SELECT string_agg(format('plan %s day %s unit %s: %s', c.plan_id, c.r, c.unit,
                         (SELECT array_agg(row(k.*)::text ORDER BY k.target_id)
                            FROM plan_progress_counts({org}, c.plan_id, c.r, c.unit,
                                                      '{rec}') k)),
                  E'\\n' ORDER BY c.plan_id, c.r, c.unit)
  FROM (SELECT p.id AS plan_id, r::date AS r, u.id AS unit
          FROM plans p
          CROSS JOIN LATERAL generate_series(p.period_start - 3, p.period_end + 20,
                                             '{step} days'::interval) r
          CROSS JOIN (SELECT 0::bigint AS id UNION ALL
                      SELECT id FROM units WHERE organization_id = {org}) u
         WHERE p.organization_id = {org}) c
"""

# from those counted from the facts; the first few, for the message.
CHECK_COUNTS = """
WITH cases AS (
  SELECT p.id AS plan_id, r::date AS r, u.id AS unit
    FROM plans p
    CROSS JOIN LATERAL generate_series(p.period_start - 3, p.period_end + 1,
                                       '{step} days'::interval) r
    CROSS JOIN (SELECT 0::bigint AS id UNION ALL
                SELECT id FROM units WHERE organization_id = {org}) u
   WHERE p.organization_id = {org}
  UNION
  SELECT p.id, x, 0 FROM plans p,
         unnest(ARRAY[p.period_start - 2, p.period_start - 1, p.period_start,
                      p.period_end - 1, p.period_end]) x
   WHERE p.organization_id = {org}),
diff AS (
  SELECT c.*,
         (SELECT array_agg(row(k.*)::text ORDER BY k.target_id)
            FROM plan_progress_counts({org}, c.plan_id, c.r, c.unit, 'infinity') k) AS kept,
         (SELECT array_agg(row(t.id, f.*)::text ORDER BY t.id)
            FROM plans p JOIN plan_targets t ON t.plan_id = p.id
            CROSS JOIN LATERAL plan_target_counts(t, p, c.r, c.unit, 'infinity') f
           WHERE p.id = c.plan_id) AS facts
    FROM cases c)
SELECT count(*), string_agg(format('plan %s day %s unit %s: kept %s, facts %s', plan_id, r,
                                   unit, kept, facts), E'\\n')
  FILTER (WHERE rn <= 3)
  FROM (SELECT *, row_number() OVER () AS rn FROM diff
         WHERE kept IS DISTINCT FROM facts) d
"""


class KeptCountsTest(PlansBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o = cls.world["A"]
        cls.org = o.id
        cls.units = [o.units[k] for k in ("R", "C", "S")]
        cls.docs = [int(cls.sql(f"INSERT INTO documents (organization_id, code, title) VALUES "
                                f"({cls.org}, 'VB-{i}', 'Văn bản {i}') RETURNING id"))
                    for i in range(3)]
        targets = [dict(t) for t in TARGETS_2022]
        targets[0] = dict(targets[0], params={"condition": "informed",
                                              "document_ids": cls.docs[:2]})
        targets.append({"code": "4c", "title": "Chiến sĩ thi đua cơ sở", "kind": "staff_share",
                        "params": {"condition": "title", "title": "chien_si_thi_dua_co_so"},
                        "comparison": "at_least", "threshold": 10})
        cls.targets = targets
        # the issued plan of the year, its amendment (a draft of the same
        # series) and a draft plan over part of the year
        cls.plan = cls.issue_plan(cls.create(targets=targets))
        r = cls.call("POST", f"/v1/plans/{cls.plan['id']}/amend",
                     token=cls.token("A", "secretariat"))
        assert r.status == 201, r
        cls.amendment = r.json()
        cls.draft = cls.create(targets=targets[:5], period_start="2022-03-15",
                               period_end="2022-09-30")
        cls.plans = [cls.plan["id"], cls.amendment["id"], cls.draft["id"]]

    @classmethod
    def create(cls, **over):
        body = {"year": 2022, "symbol": "KH-TEST", "title": "Kế hoạch 2022"}
        body.update(over)
        r = cls.call("POST", "/v1/plans", token=cls.token("A", "secretariat"), body=body)
        assert r.status == 201, r
        return r.json()

    @classmethod
    def issue_plan(cls, plan):
        r = cls.call("POST", f"/v1/plans/{plan['id']}/issue", token=cls.token("A", "leader"),
                     body={"number": "7", "issued_on": "2022-01-10"},
                     headers={"If-Match": f'"{plan["version"]}"'})
        assert r.status == 200, r
        return r.json()

    # -- checks ---------------------------------------------------------------

    def assertKept(self, step=9):
        spans, steps, zero, unkept = map(int, self.sql(CHECK_KEPT.format(org=self.org))
                                         .split("|"))
        self.assertEqual((spans, steps, zero, unkept), (0, 0, 0, 0),
                         "spans, steps, zero steps or plans differ from a recomputation")
        out = self.sql(CHECK_COUNTS.format(org=self.org, step=step))
        n, _, first = out.partition("|")
        self.assertEqual(int(n), 0, f"kept counts differ from the facts:\n{first}")

    # -- random writes ----------------------------------------------------------

    def staff_ids(self):
        return [int(x) for x in self.sql(
            f"SELECT id FROM staff WHERE organization_id = {self.org} ORDER BY id").split()]

    def sessions(self):
        return [int(x) for x in self.sql(
            f"SELECT id FROM sessions WHERE organization_id = {self.org} ORDER BY id").split()]

    def registrations(self):
        return [int(x) for x in self.sql(
            f"SELECT id FROM registrations WHERE organization_id = {self.org} ORDER BY id")
            .split()]

    def op(self, rng, staff, sessions, regs):
        """One random write, as SQL."""
        org, s = self.org, rng.choice(staff)
        kind = rng.choices(range(15), weights=(2, 4, 2, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 4))[0]
        if kind == 0:  # someone joins, maybe already gone or on leave
            start = some_day(rng, date(2020, 1, 1))
            left = start + timedelta(days=rng.randrange(1, 500)) if rng.random() < 0.3 else None
            leave = (start + timedelta(days=rng.randrange(0, 200))
                     if rng.random() < 0.3 else None)
            return ("INSERT INTO staff (organization_id, unit_id, full_name, gender, "
                    "employment_type, start_date, leave_from, leave_until, left_on) VALUES "
                    f"({org}, {rng.choice(self.units)}, 'Người {rng.randrange(10**6)}', "
                    f"'female', 'civil_servant', {day(start)}, "
                    f"{day(leave) if leave else 'NULL'}, "
                    f"{day(leave + timedelta(days=rng.randrange(300))) if leave else 'NULL'}, "
                    f"{day(left) if left else 'NULL'})")
        if kind == 1:  # a record corrected: start, leaving, leave, unit, name
            what = rng.randrange(6)
            if what == 0:
                return (f"UPDATE staff SET start_date = {day(some_day(rng, date(2020, 1, 1)))}"
                        f" WHERE id = {s} AND (left_on IS NULL OR left_on > '2023-03-01')")
            if what == 1:
                left = some_day(rng) if rng.random() < 0.7 else None
                return (f"UPDATE staff SET left_on = {day(left) if left else 'NULL'} "
                        f"WHERE id = {s} AND start_date <= {day(left or date(2100, 1, 1))}")
            if what == 5:  # someone's leave extended, cut short or left open
                until = rng.choice(["NULL", f"leave_from + {rng.randrange(300)}"])
                return (f"UPDATE staff SET leave_until = {until} WHERE id = "
                        f"(SELECT id FROM staff WHERE organization_id = {org} AND leave_from "
                        f"IS NOT NULL ORDER BY id * {rng.randrange(1, 1000)} % 101 LIMIT 1)")
            if what == 2:
                leave = some_day(rng)
                return (f"UPDATE staff SET leave_from = {day(leave)}, leave_until = "
                        f"{day(leave + timedelta(days=rng.randrange(300)))} WHERE id = {s}")
            if what == 3:
                return f"UPDATE staff SET unit_id = {rng.choice(self.units)} WHERE id = {s}"
            return f"UPDATE staff SET full_name = full_name || '.' WHERE id = {s}"
        if kind == 2:  # a session, attended by some, told later to others
            held = some_day(rng)
            docs = rng.sample(self.docs, rng.randrange(1, 3))
            rows = ", ".join(
                f"({org}, (SELECT id FROM x), {p}, '{st}', "
                + (day(held + timedelta(days=rng.randrange(40))) if st == "informed_later"
                   else "NULL") + ")"
                for p, st in ((p, rng.choice(["attended", "attended", "absent",
                                              "informed_later"]))
                              for p in rng.sample(staff, min(len(staff), rng.randrange(1, 6)))))
            return (f"WITH x AS (INSERT INTO sessions (organization_id, kind, held_on, topic, "
                    f"document_ids) VALUES ({org}, 'dissemination', {day(held)}, 'Quán triệt', "
                    f"ARRAY{docs}::bigint[]) RETURNING id) INSERT INTO session_attendance "
                    f"(organization_id, session_id, staff_id, status, informed_on) VALUES {rows}")
        if kind == 3 and sessions:  # attendance recorded again (the API's upsert)
            st = rng.choice(["attended", "absent", "informed_later"])
            on = day(some_day(rng)) if st == "informed_later" else "NULL"
            return ("INSERT INTO session_attendance (organization_id, session_id, staff_id, "
                    f"status, informed_on) VALUES ({org}, {rng.choice(sessions)}, {s}, '{st}', "
                    f"{on}) ON CONFLICT (session_id, staff_id) DO UPDATE SET "
                    "status = excluded.status, informed_on = excluded.informed_on")
        if kind == 4 and sessions:  # a record struck out
            return f"DELETE FROM session_attendance WHERE staff_id = {s}" + (
                f" AND session_id = {rng.choice(sessions)}" if rng.random() < 0.7 else "")
        if kind == 5 and sessions:  # a session's day or documents corrected
            return (f"UPDATE sessions SET held_on = {day(some_day(rng))}, document_ids = "
                    f"ARRAY{rng.sample(self.docs, rng.randrange(1, 4))}::bigint[] "
                    f"WHERE id = {rng.choice(sessions)}")
        if kind == 6:  # a rating, new or corrected, dated any day
            return ("INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, "
                    f"disciplined, rated_on) VALUES ({org}, {s}, {rng.choice([2021, 2022])}, "
                    f"'{rng.choice(RATINGS)}', {rng.choice(['true', 'false', 'false', 'NULL'])}, "
                    f"{day(some_day(rng))}) "
                    "ON CONFLICT (organization_id, staff_id, year) DO UPDATE SET "
                    "rating = excluded.rating, disciplined = excluded.disciplined, "
                    "rated_on = excluded.rated_on")
        if kind == 7:
            return f"DELETE FROM staff_evaluations WHERE staff_id = {s}"
        if kind == 8:  # a title, or a decision's day corrected
            return ("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                    f"decision_date) VALUES ({org}, {s}, {rng.choice([2021, 2022, 2022])}, "
                    f"'{rng.choice(TITLES)}', {day(some_day(rng))}) ON CONFLICT "
                    "(organization_id, staff_id, year, title_code) DO UPDATE SET "
                    "decision_date = excluded.decision_date")
        if kind == 9:
            return f"DELETE FROM staff_titles WHERE staff_id = {s}"
        if kind == 10 and regs:  # a registration moves
            st = rng.choice(["draft", "submitted", "accepted", "returned"])
            return (f"UPDATE registrations SET status = '{st}', return_reason = "
                    + ("'Bổ sung'" if st == "returned" else "NULL")
                    + f" WHERE id = {rng.choice(regs)}")
        if kind == 11 and regs:  # an entry added, changed or removed
            if rng.random() < 0.3:
                return f"DELETE FROM registration_entries WHERE staff_id = {s}"
            return ("INSERT INTO registration_entries (organization_id, registration_id, "
                    f"staff_id, title_code) VALUES ({org}, {rng.choice(regs)}, {s}, "
                    f"'{rng.choice(TITLES)}') ON CONFLICT (registration_id, staff_id) "
                    "DO UPDATE SET title_code = excluded.title_code")
        if kind == 12:  # the draft's period changes, or its targets are replaced
            if rng.random() < 0.5:
                start = date(2022, 1, 1) + timedelta(days=rng.randrange(200))
                return (f"UPDATE plans SET period_start = {day(start)}, period_end = "
                        f"{day(start + timedelta(days=rng.randrange(30, 300)))} "
                        f"WHERE id = {self.draft['id']}")
            keep = rng.sample(range(len(self.targets)), rng.randrange(1, len(self.targets)))
            return (f"SELECT plan_targets_replace({org}, {self.draft['id']}, "
                    f"'{self.targets_json(sorted(keep))}'::jsonb)")
        if kind == 13:  # a discipline decision, dated any day, or its date corrected
            if rng.random() < 0.3:
                return (f"UPDATE staff_disciplines SET decided_on = {day(some_day(rng))} "
                        f"WHERE staff_id = {s}")
            on = some_day(rng)
            return ("INSERT INTO staff_disciplines (organization_id, staff_id, form, "
                    f"decision_number, decided_on, in_force_from) VALUES ({org}, {s}, "
                    f"'{rng.choice(['reprimand', 'warning'])}', '{rng.randrange(999)}/QĐ-KL', "
                    f"{day(on)}, {day(on)})")
        if kind == 14:
            if rng.random() < 0.7:  # a span of leave entered, any kind, mostly over
                # half of 2022 (out of the rated population unless maternity)
                on = some_day(rng, date(2021, 12, 1), date(2022, 6, 30))
                return ("INSERT INTO staff_leaves (organization_id, staff_id, kind, starts_on, "
                        f"ends_on) VALUES ({org}, {s}, "
                        f"'{rng.choice(['maternity', 'sickness', 'study', 'unpaid', 'unpaid'])}', "
                        f"{day(on)}, {day(on + timedelta(days=rng.randrange(120, 400)))})")
            return f"DELETE FROM staff_{rng.choice(['disciplines', 'leaves'])} WHERE staff_id = {s}"
        return "SELECT 1"

    def api_op(self, rng, staff, sessions, regs):
        """One random write as the API makes it: facts added, a rating or an
        attendance upserted with updated_at = now(), a registration sent
        and then decided (registration_step's timestamps)."""
        org, s = self.org, rng.choice(staff)
        kind = rng.randrange(9)
        if kind == 8:  # a record's dates corrected (PATCH /v1/staff/{id})
            what = rng.randrange(4)
            if what == 0:
                left = some_day(rng)
                return (f"UPDATE staff SET left_on = {day(left)}, updated_at = now() "
                        f"WHERE id = {s} AND start_date <= {day(left)}")
            if what == 1:
                return (f"UPDATE staff SET unit_id = {rng.choice(self.units)}, "
                        f"updated_at = now() WHERE id = {s}")
            if what == 2:
                leave = some_day(rng)
                return (f"UPDATE staff SET leave_from = {day(leave)}, leave_until = "
                        f"{day(leave + timedelta(days=rng.randrange(300)))}, leave_kind = "
                        f"'{rng.choice(['maternity', 'unpaid'])}', updated_at = now() "
                        f"WHERE id = {s}")
            return (f"UPDATE staff SET start_date = {day(some_day(rng, date(2020, 1, 1)))}, "
                    f"updated_at = now() WHERE id = {s} AND left_on IS NULL")
        if kind == 0:
            return ("INSERT INTO staff (organization_id, unit_id, full_name, gender, "
                    "employment_type, start_date) VALUES "
                    f"({org}, {rng.choice(self.units)}, 'Người {rng.randrange(10**6)}', "
                    f"'male', 'civil_servant', {day(some_day(rng, date(2020, 1, 1)))})")
        if kind == 1 and sessions:
            st = rng.choice(["attended", "absent", "informed_later"])
            on = day(some_day(rng)) if st == "informed_later" else "NULL"
            return ("INSERT INTO session_attendance (organization_id, session_id, staff_id, "
                    f"status, informed_on) VALUES ({org}, {rng.choice(sessions)}, {s}, '{st}', "
                    f"{on}) ON CONFLICT (session_id, staff_id) DO UPDATE SET "
                    "status = excluded.status, informed_on = excluded.informed_on, "
                    "updated_at = now()")
        if kind == 2:
            return ("INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, "
                    f"disciplined, rated_on) VALUES ({org}, {s}, 2022, "
                    f"'{rng.choice(RATINGS)}', {rng.choice(['true', 'false', 'NULL'])}, "
                    f"{day(some_day(rng))}) "
                    "ON CONFLICT (organization_id, staff_id, year) DO UPDATE SET "
                    "rating = excluded.rating, disciplined = excluded.disciplined, "
                    "rated_on = excluded.rated_on, updated_at = now(), "
                    "version = staff_evaluations.version + 1")
        if kind == 3:
            return ("INSERT INTO staff_titles (organization_id, staff_id, year, title_code, "
                    f"decision_date) VALUES ({org}, {s}, 2022, '{rng.choice(TITLES)}', "
                    f"{day(some_day(rng))}) ON CONFLICT DO NOTHING")
        if kind == 4:
            on = some_day(rng)
            return ("INSERT INTO staff_disciplines (organization_id, staff_id, form, "
                    f"decision_number, decided_on, in_force_from) VALUES ({org}, {s}, "
                    f"'warning', '{rng.randrange(999)}/QĐ-KL', {day(on)}, {day(on)})")
        if kind == 5:
            on = some_day(rng, date(2021, 12, 1), date(2022, 6, 30))
            return ("INSERT INTO staff_leaves (organization_id, staff_id, kind, starts_on, "
                    f"ends_on) VALUES ({org}, {s}, '{rng.choice(['maternity', 'unpaid'])}', "
                    f"{day(on)}, {day(on + timedelta(days=rng.randrange(120, 400)))})")
        if kind == 6 and regs:  # sent (from a draft), or decided (once sent)
            g = rng.choice(regs)
            if rng.random() < 0.5:
                return ("UPDATE registrations SET status = 'submitted', submitted_at = now(), "
                        f"decided_at = NULL WHERE id = {g} AND status = 'draft'")
            st = rng.choice(["accepted", "returned"])
            return (f"UPDATE registrations SET status = '{st}', decided_at = now(), "
                    "return_reason = " + ("'Bổ sung'" if st == "returned" else "NULL")
                    + f" WHERE id = {g} AND status = 'submitted'")
        if kind == 7 and rng.random() < 0.8:  # a unit reports its number, any day
            return ("INSERT INTO target_reports (organization_id, series_id, target_code, "
                    f"unit_id, value, reported_on) VALUES ({org}, {self.plan['series_id']}, "
                    f"'ND1', {rng.choice(self.units)}, {rng.randrange(5000) / 100}, "
                    f"{day(some_day(rng))})")
        if kind == 7:  # one of each kind a year: the first batch takes both
            return ("INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, "
                    f"evidence) VALUES ({org}, 2022, "
                    f"'{rng.choice(['cultural_office', 'security_order'])}', "
                    f"{day(some_day(rng))}, 'UBND tỉnh', 'QĐ')")
        return "SELECT 1"

    def run_api_ops(self, rng, n):
        staff, sessions, regs = self.staff_ids(), self.sessions(), self.registrations()
        script = [self.api_op(rng, staff, sessions, regs) + ";" for _ in range(n)]
        subprocess.run(["psql", "-Xq", "-v", "ON_ERROR_STOP=0"], input="\n".join(script),
                       env=dict(os.environ, PGDATABASE=self.db), capture_output=True,
                       text=True, check=True)

    def targets_json(self, keep):
        return json.dumps([self.targets[i] for i in keep]).replace("'", "''")

    def run_ops(self, rng, n):
        script = []
        staff, sessions, regs = self.staff_ids(), self.sessions(), self.registrations()
        for _ in range(n):
            script.append(self.op(rng, staff, sessions, regs) + ";")
        # each statement its own transaction; one that breaks a constraint
        # (a duplicate, a leave before a start) is skipped like a refused write
        subprocess.run(["psql", "-Xq", "-v", "ON_ERROR_STOP=0"], input="\n".join(script),
                       env=dict(os.environ, PGDATABASE=self.db), capture_output=True,
                       text=True, check=True)

    def registrations_for(self, plan):
        for u in self.units:
            self.sql("INSERT INTO registrations (organization_id, plan_id, unit_id, status) "
                     f"VALUES ({self.org}, {plan}, {u}, 'submitted') ON CONFLICT DO NOTHING")

    # -- the properties ---------------------------------------------------------

    def test_1_kept_from_the_first_write(self):
        self.assertKept(step=5)

    def test_2_random_writes(self):
        self.registrations_for(self.plan["id"])
        self.registrations_for(self.amendment["id"])
        for seed in SEEDS:
            rng = random.Random(seed)
            for batch in range(5):
                with self.subTest(seed=seed, batch=batch):
                    self.run_ops(rng, 30)
                    self.assertKept(step=17 + batch)

    def test_3_concurrent_writers(self):
        errors = []

        def writer(seed):
            try:
                self.run_ops(random.Random(seed), 40)
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=writer, args=(100 + i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertKept(step=3)

    def test_5_history_does_not_move(self):
        # drafts of registrations to be sent and decided along the way
        for plan in (self.plan["id"], self.amendment["id"]):
            for u in self.units:
                self.sql("INSERT INTO registrations (organization_id, plan_id, unit_id) "
                         f"VALUES ({self.org}, {plan}, {u}) ON CONFLICT DO NOTHING")
        rng = random.Random(SEEDS[0])
        self.run_api_ops(rng, 60)
        marks = []
        for batch in range(3):
            rec = self.sql("SELECT clock_timestamp()")
            marks.append((rec, self.sql(AS_RECORDED.format(org=self.org, rec=rec, step=23))))
            self.run_api_ops(rng, 60)
            for i, (rec, then) in enumerate(marks):
                with self.subTest(batch=batch, mark=i):
                    now = self.sql(AS_RECORDED.format(org=self.org, rec=rec, step=23))
                    moved = [f"{a}\n  now {b}" for a, b in zip(then.split("\n"), now.split("\n"))
                             if a != b]
                    self.assertEqual(moved, [], f"history as recorded by {rec} moved")
        # the property is not vacuous: what is known now differs from the first mark
        live = self.sql(AS_RECORDED.format(org=self.org, rec="infinity", step=23))
        self.assertNotEqual(live, marks[0][1])
        self.assertKept(step=11)

    def test_4_api_writes_and_reload(self):
        # attendance through the API; then the procedures loaded again (a new
        # binary) rebuild nothing and the counts still hold
        sid = self.sessions()[0] if self.sessions() else None
        if sid:
            r = self.call("PUT", f"/v1/sessions/{sid}/attendance",
                          token=self.token("A", "secretariat"),
                          body={"records": [{"staff_id": p, "status": "attended"}
                                            for p in self.staff_ids()[:3]]})
            self.assertIn(r.status, (200, 201), r)
        before = self.sql("SELECT count(*), sum(n), sum(d) FROM progress_steps")
        self.sql("UPDATE schema_procedures SET checksum = 'x'")
        self.svc.stop()
        self.svc.start()
        self.assertEqual(self.sql("SELECT count(*), sum(n), sum(d) FROM progress_steps"),
                         before)
        self.assertKept(step=7)


if __name__ == "__main__":
    main()
