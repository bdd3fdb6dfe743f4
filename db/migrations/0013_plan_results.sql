-- 0013_plan_results.sql — a closed plan's results, frozen.
--
-- "Progress as it stood at the end of 2022" must read the same next year,
-- whatever is recorded afterwards (a rating entered late, a title decided
-- in March).  When the Office closes a plan, the counts of every target at
-- the period's end are copied here, for the organisation (unit_id 0) and
-- for every unit's subtree (what a unit head reads); progress of a closed
-- plan at or after its period's end is read from these rows
-- (target_progress.sql, plan_progress_counts).  Reopening a plan needs a
-- written reason (kept on the plan and in the audit trail) and drops the
-- frozen rows: the next close freezes again.

CREATE TABLE plan_results (
  organization_id       bigint NOT NULL,
  plan_id               bigint NOT NULL,
  unit_id               bigint NOT NULL,
  target_id             bigint NOT NULL REFERENCES plan_targets (id),
  numerator             bigint,
  denominator           bigint,
  projected_numerator   bigint,
  projected_denominator bigint,
  value_centi           bigint,
  frozen_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, unit_id, target_id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id)
);

ALTER TABLE plans
  ADD COLUMN reopened_at   timestamptz,
  ADD COLUMN reopen_reason text CHECK (length(reopen_reason) BETWEEN 1 AND 2000);
