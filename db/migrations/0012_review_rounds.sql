-- 0012_review_rounds.sql — review rounds (đợt bình xét) and nominations.
--
-- The Office opens a round for a year (the year-end review, or an ad hoc
-- award) with a deadline for nominations and the dossier's date, which
-- chooses the rule set (rule_sets, 0011).  Unit heads nominate the staff
-- and units of their subtree, the Office anyone.  A nomination's verdict
-- is not stored: it is computed from the facts whenever the list is read,
-- so a fact recorded later changes it.  The Office may override a verdict
-- only with a written reason, kept on the nomination and in the audit
-- trail.  A round goes to the council (status submitted) only within its
-- quotas and with every verdict eligible or overridden
-- (service/api/rounds.c).

CREATE TABLE review_rounds (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  kind          text NOT NULL CHECK (kind IN ('annual', 'adhoc')),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  deadline      date NOT NULL,
  dossier_date  date NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
  submitted_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id)
);
CREATE INDEX review_rounds_by_year ON review_rounds (organization_id, year DESC, id DESC);

CREATE TABLE nominations (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id      bigint NOT NULL,
  award_code    text NOT NULL REFERENCES award_kinds (code),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit')),
  staff_id      bigint,
  unit_id       bigint,
  achievement   text NOT NULL DEFAULT '' CHECK (length(achievement) <= 2000),
  nominated_by  text NOT NULL,
  override_reason text CHECK (length(override_reason) BETWEEN 1 AND 2000),
  override_by   text,
  override_at   timestamptz,
  withdrawn_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, round_id) REFERENCES review_rounds (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT nominations_subject CHECK (
    (subject_kind = 'staff' AND staff_id IS NOT NULL AND unit_id IS NULL)
    OR (subject_kind = 'unit' AND unit_id IS NOT NULL AND staff_id IS NULL)),
  CONSTRAINT nominations_override CHECK ((override_reason IS NULL) = (override_at IS NULL))
);
-- one live nomination per subject and title in a round
CREATE UNIQUE INDEX nominations_once ON nominations
  (round_id, award_code, subject_kind, coalesce(staff_id, unit_id)) WHERE withdrawn_at IS NULL;
CREATE INDEX nominations_round ON nominations (round_id) WHERE withdrawn_at IS NULL;
