-- 0029_exemplars.sql — advanced exemplars (điển hình tiên tiến; issue 13
-- §3): a person, a collective or a household whose achievement the
-- Office records and, with their consent, publishes.

CREATE TABLE exemplars (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit', 'household')),
  staff_id      bigint,
  unit_id       bigint,
  household_id  bigint,
  -- the movement or plan whose work it shows
  movement_id   bigint,
  plan_id       bigint,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  story         text NOT NULL CHECK (length(story) BETWEEN 1 AND 20000),
  -- the decision that honoured it: one of the service's, or one made
  -- elsewhere, by its number
  decision_id   bigint,
  decision_reference text NOT NULL DEFAULT '' CHECK (length(decision_reference) <= 200),
  -- the day the person (or the collective's head) agreed to publication;
  -- nothing is published without it
  consent_on    date,
  status        text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'published', 'withdrawn')),
  published_on  date,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  FOREIGN KEY (organization_id, household_id) REFERENCES households (organization_id, id),
  FOREIGN KEY (organization_id, movement_id) REFERENCES movements (organization_id, id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, decision_id) REFERENCES decisions (organization_id, id),
  CONSTRAINT exemplars_subject CHECK (
    (subject_kind = 'staff' AND staff_id IS NOT NULL AND unit_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'unit' AND unit_id IS NOT NULL AND staff_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'household' AND household_id IS NOT NULL AND staff_id IS NULL
       AND unit_id IS NULL)),
  CONSTRAINT exemplars_consent CHECK (status = 'draft' OR consent_on IS NOT NULL),
  CONSTRAINT exemplars_published CHECK ((status = 'draft') = (published_on IS NULL))
);
CREATE INDEX exemplars_by_org ON exemplars (organization_id, id DESC);

ALTER TABLE public_items DROP CONSTRAINT public_items_kind_check,
  ADD CONSTRAINT public_items_kind_check CHECK (kind IN ('decision', 'plan', 'exemplar'));
