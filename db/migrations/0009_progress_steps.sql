-- 0009_progress_steps.sql — the counts behind a plan's progress, kept in
-- the same transaction as each fact they count.
--
-- Counting a target from the facts (db/procedures/target_progress.sql,
-- plan_target_counts) reads every person, session attendance, rating,
-- title and registration entry of the organisation on every request: about
-- 15 ms for the ten targets of a 2,000-staff organisation.  For the targets
-- that count staff (staff_share, title_ratio) the counts are kept instead:
--
--   progress_spans  one row per target and person: for each count
--                   (numerator n, denominator d and their projections pn,
--                   pd) the days r on which the person is counted, a
--                   daterange clipped to [period start - 1, period end]
--                   (the days a reference day can take; upper bound
--                   unbounded when it ends after the period);
--   progress_steps  per target, unit (0: the whole organisation) and day,
--                   how each count changes on that day: +1 where a span
--                   begins, -1 where it ends.  A count on day r is the sum
--                   of its steps up to r: a few hundred rows, however many
--                   people there are.
--   progress_plans  the plans whose spans and steps are kept (all plans;
--                   those that existed before this migration from the
--                   first load of the procedures that maintain them).
--
-- Triggers on every table a count depends on (staff, plans, plan_targets,
-- sessions, session_attendance, staff_evaluations, staff_titles,
-- registrations, registration_entries) recompute the spans of the people
-- and plans a change touches and apply the difference to the steps, holding
-- the organisation's progress revision row (data_revisions), which every
-- such change locks anyway.  A deleted target's spans and steps go with it
-- by trigger too, not by foreign key: a cascade would lock them before that
-- row.  The rules of who is counted stay stated once, in
-- target_progress.sql.

CREATE TABLE progress_plans (
  organization_id bigint NOT NULL,
  plan_id         bigint PRIMARY KEY,
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id)
    ON DELETE CASCADE
);
CREATE INDEX progress_plans_org ON progress_plans (organization_id);

CREATE TABLE progress_spans (
  organization_id bigint NOT NULL,
  target_id bigint NOT NULL,
  staff_id  bigint NOT NULL,
  unit_id   bigint NOT NULL,
  n  daterange NOT NULL,
  d  daterange NOT NULL,
  pn daterange NOT NULL,
  pd daterange NOT NULL,
  PRIMARY KEY (target_id, staff_id)
);

CREATE TABLE progress_steps (
  organization_id bigint NOT NULL,
  target_id bigint NOT NULL,
  unit_id   bigint NOT NULL,
  day       date NOT NULL,
  n  integer NOT NULL,
  d  integer NOT NULL,
  pn integer NOT NULL,
  pd integer NOT NULL,
  PRIMARY KEY (target_id, unit_id, day)
);
