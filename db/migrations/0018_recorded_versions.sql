-- 0018_recorded_versions.sql — progress as it stood on a past day.
--
-- Issue 11 §5: "progress as it stood on 30/11/2022 must give the same
-- answer tomorrow".  GET /v1/plans/{id}/progress?recorded_by=D counts only
-- what had been recorded by the end of day D (Asia/Ho_Chi_Minh).  Most
-- facts are only ever inserted, and their created_at says when they were
-- recorded.  Three are changed in place: a person's rating of a year and
-- their attendance of a session (upserts), and the dates of a staff
-- record (start, leaving, the leave on the record, the unit).  Their
-- earlier versions are kept here, each with the interval of recording time
-- it was the current one ([recorded_from, recorded_to)), written by a row
-- trigger (db/procedures/recorded_versions.sql) on every update (of a
-- staff record: of those dates).  A staff record's current dates stand
-- since its last version's recorded_to, or since created_at.
--
-- Rows changed before this migration have no earlier versions: their
-- history starts at their last change.

CREATE TABLE staff_evaluation_versions (
  organization_id bigint NOT NULL,
  staff_id        bigint NOT NULL,
  year            integer NOT NULL,
  rating          text NOT NULL,
  disciplined     boolean,
  rated_on        date NOT NULL,
  source_document text NOT NULL,
  version         integer NOT NULL,
  recorded_from   timestamptz NOT NULL,
  recorded_to     timestamptz NOT NULL,
  -- no key on version: a row written twice in one transaction leaves an
  -- empty interval [now(), now()), which no bound selects
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_evaluation_versions_year
  ON staff_evaluation_versions (organization_id, year, recorded_to);

CREATE TABLE session_attendance_versions (
  organization_id bigint NOT NULL,
  session_id      bigint NOT NULL,
  staff_id        bigint NOT NULL,
  status          text NOT NULL,
  informed_on     date,
  recorded_from   timestamptz NOT NULL,
  recorded_to     timestamptz NOT NULL,
  FOREIGN KEY (organization_id, session_id) REFERENCES sessions (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX session_attendance_versions_org
  ON session_attendance_versions (organization_id, recorded_to);

CREATE TABLE staff_versions (
  organization_id bigint NOT NULL,
  staff_id        bigint NOT NULL,
  unit_id         bigint NOT NULL,
  start_date      date NOT NULL,
  left_on         date,
  leave_from      date,
  leave_until     date,
  leave_kind      text,
  recorded_from   timestamptz NOT NULL,
  recorded_to     timestamptz NOT NULL,
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_versions_staff ON staff_versions (organization_id, staff_id, recorded_to);

-- The counting functions take the recording bound rec (target_progress.sql):
-- the old signatures leave the set.  staff_worked_days has an SQL-standard
-- body that depends on staff_away, so it goes first.
DROP FUNCTION IF EXISTS plan_progress_counts(bigint, bigint, date, bigint);
DROP FUNCTION IF EXISTS plan_target_counts(plan_targets, plans, date, bigint);
DROP FUNCTION IF EXISTS plan_title_ranks(bigint, plans, date);
DROP FUNCTION IF EXISTS plan_population(bigint, plans, date, bigint, boolean);
DROP FUNCTION IF EXISTS staff_worked_days(staff, date, date);
DROP FUNCTION IF EXISTS staff_away(staff);
