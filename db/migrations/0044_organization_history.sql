-- 0044_organization_history.sql — a province's agencies made, renamed,
-- closed, merged and split, with their history (issue 14 §1).
--
-- The 2025 restructuring merged provinces (Gia Lai and Bình Định on
-- 01/07/2025) and agencies.  A merger here is a dated event: the
-- predecessors close the day before, their people carry on in the
-- successor as new records linked to their old ones (staff_links), and
-- whatever the old bodies recorded stays where it was, readable through
-- the links: a person's ratings, titles and awards under the old body are
-- theirs under the new one, so "consecutive years" rules see across the
-- merger (person_facts, staff_facts_pack).  A split is the same event with
-- one predecessor and several successors.

ALTER TABLE organizations
  ADD COLUMN closed_on date,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Every change of an organisation, dated, with the decision that made it
-- and the organisation before and after; by whom (the province).
CREATE TABLE organization_changes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL REFERENCES organizations (id),
  kind          text NOT NULL CHECK (kind IN ('create', 'change', 'close', 'merge', 'split')),
  effective_on  date NOT NULL,
  decision      text NOT NULL DEFAULT '' CHECK (length(decision) <= 200),
  before        jsonb,
  after         jsonb NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organization_changes_org ON organization_changes (organization_id, effective_on, id);

-- Who carried on whom: a predecessor's work passed to its successor on
-- effective_on (the predecessor closed the day before).
CREATE TABLE organization_successions (
  predecessor_id bigint NOT NULL REFERENCES organizations (id),
  successor_id  bigint NOT NULL REFERENCES organizations (id),
  kind          text NOT NULL CHECK (kind IN ('merge', 'split')),
  effective_on  date NOT NULL,
  decision      text NOT NULL CHECK (length(decision) BETWEEN 1 AND 200),
  PRIMARY KEY (predecessor_id, successor_id),
  CHECK (predecessor_id <> successor_id)
);
CREATE INDEX organization_successions_successor ON organization_successions (successor_id);

-- A person's record in a successor and their record in the predecessor.
CREATE TABLE staff_links (
  organization_id bigint NOT NULL,
  staff_id      bigint NOT NULL,
  predecessor_org_id bigint NOT NULL,
  predecessor_staff_id bigint NOT NULL,
  effective_on  date NOT NULL,
  PRIMARY KEY (staff_id, predecessor_staff_id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (predecessor_org_id, predecessor_staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_links_predecessor ON staff_links (predecessor_staff_id);
