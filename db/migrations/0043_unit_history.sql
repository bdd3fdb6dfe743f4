-- 0043_unit_history.sql — units renamed, moved and closed, with their
-- history (issue 14 §1).
--
-- An agency's divisions change: a department is renamed, moved under
-- another, merged into one and closed.  The unit keeps its id (its staff,
-- registrations, reports and awards stay attached to it); each change is
-- a dated row of unit_changes with the unit as it was and as it became,
-- and the decision that made it, so a reader sees what the unit was called
-- on any day.  A closed unit keeps its records and takes no new staff.

ALTER TABLE units ADD COLUMN closed_on date;

CREATE TABLE unit_changes (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id       bigint NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('change', 'close')),
  effective_on  date NOT NULL,
  decision      text NOT NULL DEFAULT '' CHECK (length(decision) <= 200),
  before        jsonb NOT NULL,
  after         jsonb NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);
CREATE INDEX unit_changes_unit ON unit_changes (organization_id, unit_id, effective_on, id);
