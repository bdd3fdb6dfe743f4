-- 0030_cases.sql — complaints, denunciations and petitions (khiếu nại,
-- tố cáo, kiến nghị; issue 13 §2, domain.md §7) with their legal clocks.
--
-- A case concerns a person or a unit (and, when it names one, the award,
-- decision or nomination it is about).  While it is open, the person or
-- unit receives no award and no proposal (Decree 152 Art. 4.4): for a
-- person the case keeps a row of staff_cases open — the fact the
-- eligibility engine already reads — and a decision's signing refuses
-- anyone, person or unit, with an open case (db/procedures/cases.sql).

-- The clocks of the law as dated rows: how many days, calendar or
-- working, each step has, and how many extensions a step may take.
CREATE TABLE case_clocks (
  code            text NOT NULL CHECK (code IN ('complaint_lodge', 'complaint_accept',
                    'complaint_decide', 'complaint_decide_complex', 'complaint_decide_remote',
                    'complaint_decide_remote_complex', 'denunciation_accept',
                    'denunciation_decide', 'denunciation_extension')),
  valid_from      date NOT NULL,
  valid_until     date,
  days            integer NOT NULL CHECK (days BETWEEN 1 AND 365),
  day_kind        text NOT NULL CHECK (day_kind IN ('calendar', 'working')),
  max_count       integer NOT NULL DEFAULT 1 CHECK (max_count BETWEEN 0 AND 10),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  mark            text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi         text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en         text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  PRIMARY KEY (code, valid_from),
  CONSTRAINT case_clocks_span CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- domain.md §7.  The Law on Complaints 2011 (in force 01/07/2012) and the
-- Law on Denunciations 2018 (in force 01/01/2019) [secondary].  Whether the
-- complaint's 10 days of acceptance are working or calendar days was not
-- read in the text: calendar, marked unconfirmed; the Law on Denunciations
-- counts its 7 days of acceptance in working days [unconfirmed].
INSERT INTO case_clocks (code, valid_from, days, day_kind, max_count, source_document,
                         source_article, mark, note_vi, note_en) VALUES
  ('complaint_lodge', '2012-07-01', 90, 'calendar', 1, 'Luật Khiếu nại 2011', 'Điều 9',
   'secondary', 'Kể từ ngày biết được quyết định.', 'From the day the decision became known.'),
  ('complaint_accept', '2012-07-01', 10, 'calendar', 1, 'Luật Khiếu nại 2011', 'Điều 27',
   'unconfirmed', 'Ngày làm việc hay ngày lịch: chưa đối chiếu văn bản.',
   'Working or calendar days: not checked against the text.'),
  ('complaint_decide', '2012-07-01', 30, 'calendar', 1, 'Luật Khiếu nại 2011', 'Điều 28',
   'secondary', 'Kể từ ngày thụ lý.', 'From acceptance.'),
  ('complaint_decide_complex', '2012-07-01', 45, 'calendar', 1, 'Luật Khiếu nại 2011',
   'Điều 28', 'secondary', 'Vụ việc phức tạp.', 'A complex case.'),
  ('complaint_decide_remote', '2012-07-01', 45, 'calendar', 1, 'Luật Khiếu nại 2011',
   'Điều 28', 'secondary', 'Vùng sâu, vùng xa, đi lại khó khăn.', 'A remote area.'),
  ('complaint_decide_remote_complex', '2012-07-01', 60, 'calendar', 1, 'Luật Khiếu nại 2011',
   'Điều 28', 'secondary', 'Vùng sâu, vùng xa; vụ việc phức tạp.',
   'A remote area; a complex case.'),
  ('denunciation_accept', '2019-01-01', 7, 'working', 1, 'Luật Tố cáo 2018', 'Điều 29',
   'unconfirmed', '', ''),
  ('denunciation_decide', '2019-01-01', 30, 'calendar', 1, 'Luật Tố cáo 2018', 'Điều 30',
   'secondary', 'Kể từ ngày thụ lý.', 'From acceptance.'),
  ('denunciation_extension', '2019-01-01', 30, 'calendar', 2, 'Luật Tố cáo 2018', 'Điều 30',
   'secondary', 'Gia hạn một lần (phức tạp) hoặc hai lần (đặc biệt phức tạp), bằng văn bản.',
   'One extension (complex) or two (especially complex), decided in writing.');

CREATE TABLE cases (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'petition')),
  -- whom it concerns: a person or a unit
  staff_id      bigint,
  unit_id       bigint,
  -- what it is about, when it names it
  decision_id   bigint,
  nomination_id bigint,
  summary       text NOT NULL CHECK (length(summary) BETWEEN 1 AND 5000),
  -- recorded by the Office, or lodged by the public without a token
  -- (POST /public/v1/{org}/cases): then whom it concerns is the lodger's
  -- words until the Office names the person or unit
  channel       text NOT NULL DEFAULT 'office' CHECK (channel IN ('office', 'public')),
  about         text NOT NULL DEFAULT '' CHECK (length(about) <= 500),
  -- who lodged it: protected by law for a denunciation (Law on
  -- Denunciations 2018 Art. 47): only the handler and the head read it
  lodger_name   text NOT NULL DEFAULT '' CHECK (length(lodger_name) <= 200),
  lodger_contact text NOT NULL DEFAULT '' CHECK (length(lodger_contact) <= 300),
  lodged_by     text NOT NULL,
  received_on   date NOT NULL,
  -- the day the complainant learned of the decision (the 90 days run from it)
  learned_on    date,
  complex       boolean NOT NULL DEFAULT false,
  remote        boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'accepted', 'refused', 'verifying', 'decided',
                                  'withdrawn')),
  handler_user_id bigint,
  accept_due    date,
  accepted_on   date,
  decide_due    date,
  extensions    integer NOT NULL DEFAULT 0,
  closed_on     date,
  outcome       text NOT NULL DEFAULT '' CHECK (length(outcome) <= 5000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  FOREIGN KEY (organization_id, decision_id) REFERENCES decisions (organization_id, id),
  FOREIGN KEY (organization_id, nomination_id) REFERENCES nominations (organization_id, id),
  CONSTRAINT cases_subject CHECK (staff_id IS NULL OR unit_id IS NULL),
  CONSTRAINT cases_named CHECK (channel = 'public' OR staff_id IS NOT NULL
                                OR unit_id IS NOT NULL),
  CONSTRAINT cases_closed CHECK ((status IN ('refused', 'decided', 'withdrawn'))
                                 = (closed_on IS NOT NULL))
);
CREATE INDEX cases_open ON cases (organization_id, status) WHERE closed_on IS NULL;
CREATE INDEX cases_staff ON cases (organization_id, staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX cases_unit ON cases (organization_id, unit_id) WHERE unit_id IS NOT NULL;

-- the fact the eligibility engine reads for a person, kept by the case
ALTER TABLE staff_cases ADD COLUMN case_id bigint REFERENCES cases (id);

-- What the public may lodge without a token, per client address (an IPv6
-- address by its /64) and Vietnam's day: a stranger cannot fill the
-- Office's list (THIDUA_PUBLIC_CASES_PER_DAY).  Purged by housekeeping
-- once the day is past.
CREATE TABLE public_case_quota (
  address_key   text PRIMARY KEY CHECK (length(address_key) <= 80),
  day           date NOT NULL,
  used          integer NOT NULL CHECK (used >= 0)
);
