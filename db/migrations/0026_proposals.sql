-- 0026_proposals.sql — proposals to the province (tờ trình đề nghị khen
-- thưởng; issue 12 §2, domain.md §5.2).
--
-- The candidates a council approved for awards the agency does not decide
-- (provincial and State titles and forms) go to the province in a
-- dossier: the cover letter, each candidate's achievement, and the
-- minutes with the ballot's result.  The Office drafts it from a session
-- whose minutes are signed; the head signs the cover letter, which takes
-- the next number of the issuer's year (document_numbers, 0024); the
-- Office records the province's answer for each candidate, and an
-- accepted one enters the ledger with the province's decision.

CREATE TABLE proposals (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    bigint NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'answered')),
  symbol        text NOT NULL CHECK (length(symbol) BETWEEN 1 AND 40 AND symbol !~ '[/[:space:]]'),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  recipient     text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 300),
  place         text NOT NULL CHECK (length(place) BETWEEN 1 AND 100),
  signer_name   text NOT NULL CHECK (length(signer_name) BETWEEN 1 AND 200),
  signer_title  text NOT NULL CHECK (length(signer_title) BETWEEN 1 AND 200),
  grounds       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(grounds) = 'array'),
  year          integer,
  number        integer CHECK (number >= 1),
  sent_on       date,
  created_by    text NOT NULL,
  sent_by       text,
  sent_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  CONSTRAINT proposals_sent CHECK ((status = 'draft') = (number IS NULL)
                                   AND (number IS NULL) = (sent_on IS NULL)
                                   AND (number IS NULL) = (year IS NULL)),
  CONSTRAINT proposals_number_year CHECK (year IS NULL OR year = extract(year FROM sent_on))
);
CREATE INDEX proposals_by_org ON proposals (organization_id, id DESC);

-- The candidates of a proposal, with the council's result for each (the
-- minutes' tally entry), and the province's answer once it comes.
CREATE TABLE proposal_items (
  organization_id bigint NOT NULL,
  proposal_id   bigint NOT NULL,
  position      integer NOT NULL CHECK (position >= 1),
  nomination_id bigint NOT NULL UNIQUE,
  award_code    text NOT NULL REFERENCES award_kinds (code),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit')),
  staff_id      bigint,
  unit_id       bigint,
  year          integer NOT NULL,
  achievement   text NOT NULL DEFAULT '',
  council_result jsonb NOT NULL,
  outcome       text CHECK (outcome IN ('accepted', 'refused')),
  answer_reason text CHECK (length(answer_reason) BETWEEN 1 AND 2000),
  decision_number text CHECK (length(decision_number) BETWEEN 1 AND 60),
  decision_date date,
  decided_by    text CHECK (length(decided_by) BETWEEN 1 AND 300),
  ledger        text CHECK (ledger IN ('title', 'award')),
  ledger_id     bigint,
  answered_at   timestamptz,
  PRIMARY KEY (proposal_id, position),
  FOREIGN KEY (organization_id, proposal_id) REFERENCES proposals (organization_id, id),
  FOREIGN KEY (organization_id, nomination_id) REFERENCES nominations (organization_id, id),
  CONSTRAINT proposal_items_answer CHECK (
    (outcome IS NULL AND answer_reason IS NULL AND decision_number IS NULL)
    OR (outcome = 'accepted' AND decision_number IS NOT NULL AND decision_date IS NOT NULL)
    OR (outcome = 'refused' AND answer_reason IS NOT NULL))
);

ALTER TABLE staff_titles ADD COLUMN proposal_id bigint REFERENCES proposals (id);
ALTER TABLE awards ADD COLUMN proposal_id bigint REFERENCES proposals (id);
