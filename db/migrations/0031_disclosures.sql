-- 0031_disclosures.sql — public disclosure before awards (công khai) and
-- the public's feedback on its candidates (issue 13 §1, domain.md §5.3,
-- rule 31).
--
-- The Office publishes the candidates of a council session (before the
-- council votes) or of a proposal to the province (before it is sent) for
-- a period of working days counted on the calendar (migration 0025).  A
-- disclosure keeps a copy of what it published — name, position, unit,
-- award, achievement: what a decision itself would publish, nothing more —
-- so that what the public saw stays what it saw.  Anyone may send
-- feedback on a candidate while the period runs; the Office handles it,
-- the council sees it with the candidate, and the minutes record it
-- (Decree 152 Art. 44.2).

-- The minimum periods of the law as dated rows, per the level that
-- decides the highest award disclosed.  The State's awards have a national
-- rule (10 working days); the province's and the agency's have none
-- (domain.md, open question 9): the service proposes default_days and the
-- Office may choose more.  An organisation's own row (its regulation)
-- overrides the general one.
CREATE TABLE disclosure_periods (
  organization_id bigint REFERENCES organizations (id),
  level           text NOT NULL CHECK (level IN ('national', 'province', 'agency')),
  valid_from      date NOT NULL,
  valid_until     date,
  min_days        integer NOT NULL CHECK (min_days BETWEEN 0 AND 60),
  default_days    integer NOT NULL CHECK (default_days BETWEEN 1 AND 60),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  mark            text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi         text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en         text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  CONSTRAINT disclosure_periods_span CHECK (valid_until IS NULL OR valid_until >= valid_from),
  CONSTRAINT disclosure_periods_default CHECK (default_days >= min_days)
);
CREATE UNIQUE INDEX disclosure_periods_once
  ON disclosure_periods (coalesce(organization_id, 0), level, valid_from);

INSERT INTO disclosure_periods (level, valid_from, valid_until, min_days, default_days,
                                source_document, source_article, mark, note_vi, note_en) VALUES
  ('national', '2017-10-01', '2023-12-31', 0, 10, '91/2017/NĐ-CP', 'Điều 45.10',
   'secondary', 'Lấy ý kiến nhân dân trên phương tiện thông tin; không quy định số ngày.',
   'The people are consulted in the media; no number of days is set.'),
  ('national', '2024-01-01', '2025-06-30', 10, 10, '98/2023/NĐ-CP', 'Điều 46.2',
   'secondary', 'Ít nhất 10 ngày làm việc trước khi họp Hội đồng.',
   'At least 10 working days before the council meets.'),
  ('national', '2025-07-01', NULL, 10, 10, '152/2025/NĐ-CP', 'Điều 44.2',
   'primary', 'Ít nhất 10 ngày làm việc trước khi họp Hội đồng.',
   'At least 10 working days before the council meets.'),
  ('province', '2017-10-01', NULL, 0, 5, 'Không có quy định chung', '', 'unconfirmed',
   'Không có thời hạn chung cho khen thưởng cấp tỉnh; 5 ngày làm việc là mặc định của dịch vụ.',
   'No general period for provincial awards; 5 working days is the service''s default.'),
  ('agency', '2017-10-01', NULL, 0, 5, 'Không có quy định chung', '', 'unconfirmed',
   'Không có thời hạn chung cho khen thưởng của cơ quan; 5 ngày làm việc là mặc định của dịch vụ.',
   'No general period for the agency''s awards; 5 working days is the service''s default.');

CREATE TABLE disclosures (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source        text NOT NULL CHECK (source IN ('session', 'proposal')),
  session_id    bigint,
  proposal_id   bigint,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  intro         text NOT NULL DEFAULT '' CHECK (length(intro) <= 5000),
  level         text NOT NULL CHECK (level IN ('national', 'province', 'agency')),
  opens_on      date NOT NULL,
  working_days  integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
  closes_on     date NOT NULL,
  -- false: a year the period runs through has no holidays entered, and
  -- only its weekends were skipped (calendar_years)
  calendar_complete boolean NOT NULL,
  -- the rule that set the minimum: its source and mark, as it was read
  period_rule   jsonb NOT NULL,
  -- whether feedback must give a name and a contact
  identity      text NOT NULL DEFAULT 'optional' CHECK (identity IN ('optional', 'required')),
  status        text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
  withdraw_reason text CHECK (length(withdraw_reason) BETWEEN 1 AND 2000),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  FOREIGN KEY (organization_id, proposal_id) REFERENCES proposals (organization_id, id),
  CONSTRAINT disclosures_source CHECK (
    (source = 'session' AND session_id IS NOT NULL AND proposal_id IS NULL)
    OR (source = 'proposal' AND proposal_id IS NOT NULL AND session_id IS NULL)),
  CONSTRAINT disclosures_period CHECK (closes_on >= opens_on),
  CONSTRAINT disclosures_withdrawn CHECK ((status = 'withdrawn') = (withdraw_reason IS NOT NULL))
);
CREATE INDEX disclosures_by_org ON disclosures (organization_id, id DESC);
CREATE INDEX disclosures_by_session ON disclosures (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX disclosures_by_proposal ON disclosures (proposal_id) WHERE proposal_id IS NOT NULL;

-- What was published of each candidate, copied when the list is
-- published.
CREATE TABLE disclosure_items (
  organization_id bigint NOT NULL,
  disclosure_id bigint NOT NULL,
  position      integer NOT NULL CHECK (position >= 1),
  nomination_id bigint NOT NULL,
  award_code    text NOT NULL REFERENCES award_kinds (code),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit', 'household')),
  name          text NOT NULL,
  position_title text NOT NULL DEFAULT '',
  unit          text NOT NULL DEFAULT '',
  achievement   text NOT NULL DEFAULT '',
  PRIMARY KEY (disclosure_id, position),
  UNIQUE (disclosure_id, nomination_id),
  FOREIGN KEY (organization_id, disclosure_id) REFERENCES disclosures (organization_id, id),
  FOREIGN KEY (organization_id, nomination_id) REFERENCES nominations (organization_id, id)
);
CREATE INDEX disclosure_items_nomination ON disclosure_items (nomination_id);

-- Feedback on a candidate.  The author's name and contact are read only
-- by the Office, the admin and the head of the agency; the council reads
-- what was said and what the Office made of it.
CREATE TABLE disclosure_feedback (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  disclosure_id bigint NOT NULL,
  position      integer NOT NULL,
  body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  author_name   text NOT NULL DEFAULT '' CHECK (length(author_name) <= 200),
  author_contact text NOT NULL DEFAULT '' CHECK (length(author_contact) <= 300),
  received_on   date NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'considered', 'case')),
  office_note   text CHECK (length(office_note) BETWEEN 1 AND 5000),
  case_id       bigint REFERENCES cases (id),
  handled_by    text,
  handled_at    timestamptz,
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (disclosure_id, position) REFERENCES disclosure_items (disclosure_id, position),
  CONSTRAINT disclosure_feedback_handled CHECK (
    (status = 'received' AND office_note IS NULL AND case_id IS NULL)
    OR (status = 'considered' AND office_note IS NOT NULL AND case_id IS NULL)
    OR (status = 'case' AND office_note IS NOT NULL AND case_id IS NOT NULL))
);
CREATE INDEX disclosure_feedback_by_disclosure ON disclosure_feedback (disclosure_id, position, id);

ALTER TABLE public_items DROP CONSTRAINT public_items_kind_check,
  ADD CONSTRAINT public_items_kind_check
  CHECK (kind IN ('decision', 'plan', 'exemplar', 'disclosure'));

-- A proof of work is spent once (service/auth/proof.c): its digest is
-- kept until the challenge expires, then purged by housekeeping.
CREATE TABLE public_proofs_spent (
  digest        bytea PRIMARY KEY CHECK (length(digest) = 32),
  expires_at    timestamptz NOT NULL
);

-- The public lodging of a case now spends a proof of work too: its
-- procedure takes two more arguments (db/procedures/cases.sql).
DROP FUNCTION IF EXISTS case_lodge_public(text, text, integer, jsonb, date, text);
