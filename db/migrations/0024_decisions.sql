-- 0024_decisions.sql — commendation decisions (quyết định khen thưởng) and
-- the numbers of the documents the service issues (issue 12 §2).
--
-- A decision is drafted from a council session whose minutes are signed:
-- the candidates the council approved, for titles and forms the agency
-- decides.  Signing gives it the next number of the issuer's year, writes
-- every award into the ledger (staff_titles, awards) with its bonus
-- computed on the base salary of the decision's date, and may pay the
-- bonuses from the year's fund: all in one transaction
-- (db/procedures/decisions.sql).

-- The issuer's number series of a calendar year (Decree 30/2020 Art. 15:
-- from 01 on 1 January to 31 December).  The row is taken with its lock
-- by the transaction that signs, so two signings never share a number,
-- and a signing that fails gives its number back: no gap.  series: the
-- issuer's one series ('common'), unless its clerical rules keep one per
-- kind of document.
CREATE TABLE document_numbers (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  series        text NOT NULL DEFAULT 'common' CHECK (series ~ '^[a-z_]{1,30}$'),
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  last_number   integer NOT NULL CHECK (last_number >= 1),
  PRIMARY KEY (organization_id, series, year)
);

CREATE TABLE decisions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id    bigint NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
  symbol        text NOT NULL CHECK (length(symbol) BETWEEN 1 AND 40 AND symbol !~ '[/[:space:]]'),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  place         text NOT NULL CHECK (length(place) BETWEEN 1 AND 100),
  signer_name   text NOT NULL CHECK (length(signer_name) BETWEEN 1 AND 200),
  signer_title  text NOT NULL CHECK (length(signer_title) BETWEEN 1 AND 200),
  -- the legal grounds (căn cứ): the rule set's documents, the plan, the
  -- council's minutes, and what the Office adds, in order
  grounds       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(grounds) = 'array'),
  year          integer,
  number        integer CHECK (number >= 1),
  decided_on    date,
  paid_on       date,
  created_by    text NOT NULL,
  signed_by     text,
  signed_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  CONSTRAINT decisions_signed CHECK ((status = 'signed') = (number IS NOT NULL)
                                     AND (number IS NULL) = (decided_on IS NULL)
                                     AND (number IS NULL) = (year IS NULL)),
  CONSTRAINT decisions_number_year CHECK (year IS NULL OR year = extract(year FROM decided_on))
);
-- a number is the issuer's once a year, whatever the symbol
CREATE UNIQUE INDEX decisions_number ON decisions (organization_id, year, number)
  WHERE number IS NOT NULL;
CREATE INDEX decisions_by_org ON decisions (organization_id, id DESC);

-- The awards of a decision, in the order of its annexed list: position is
-- the recipient's number in the decision ("Số sổ vàng" on the
-- certificate).  An approved nomination is decided once.
CREATE TABLE decision_items (
  organization_id bigint NOT NULL,
  decision_id   bigint NOT NULL,
  position      integer NOT NULL CHECK (position >= 1),
  nomination_id bigint NOT NULL UNIQUE,
  award_code    text NOT NULL REFERENCES award_kinds (code),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit')),
  staff_id      bigint,
  unit_id       bigint,
  year          integer NOT NULL,
  achievement   text NOT NULL DEFAULT '',
  -- written when the decision is signed
  ledger        text CHECK (ledger IN ('title', 'award')),
  ledger_id     bigint,
  tenths        integer,
  base_salary   bigint,
  amount        bigint,
  PRIMARY KEY (decision_id, position),
  FOREIGN KEY (organization_id, decision_id) REFERENCES decisions (organization_id, id),
  FOREIGN KEY (organization_id, nomination_id) REFERENCES nominations (organization_id, id)
);

-- The ledger knows the decision of an award the service decided.
ALTER TABLE staff_titles ADD COLUMN decision_id bigint REFERENCES decisions (id);
ALTER TABLE awards ADD COLUMN decision_id bigint REFERENCES decisions (id);
