-- 0003_plans.sql — the annual emulation plan (kế hoạch thi đua) and what its
-- targets (chỉ tiêu) are measured from: legal documents, dissemination
-- sessions and attendance, movements, registrations, and the year's results
-- (staff evaluations, awarded titles, collective ratings, recognitions,
-- numbers reported by units).
--
-- Every row carries organization_id and every foreign key inside an
-- organisation includes it, as in 0002.  The workflows that produce
-- evaluations and titles come later; their tables are created here so that
-- GET /v1/plans/{id}/progress already computes from them.
--
-- The functions are in db/procedures/: the counting behind progress
-- (target_progress.sql, which states who is counted), the JSON shapes
-- (plan_json, registration_json, records_json), the workflows
-- (plan_workflow, registration_workflow, registration_roster) and the
-- triggers (plan_series, plan_immutable).

-- Catalogue of titles (danh hiệu thi đua); rank orders "X or higher".
CREATE TABLE title_kinds (
  code     text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,60}$'),
  level    text NOT NULL CHECK (level IN ('individual', 'collective')),
  rank     integer NOT NULL,
  name_vi  text NOT NULL,
  name_en  text NOT NULL,
  UNIQUE (level, rank)
);
INSERT INTO title_kinds VALUES
  ('lao_dong_tien_tien', 'individual', 1, 'Lao động tiên tiến', 'Advanced worker'),
  ('chien_si_thi_dua_co_so', 'individual', 2, 'Chiến sĩ thi đua cơ sở',
   'Grassroots emulation fighter'),
  ('chien_si_thi_dua_cap_tinh', 'individual', 3, 'Chiến sĩ thi đua cấp tỉnh',
   'Provincial emulation fighter'),
  ('chien_si_thi_dua_toan_quoc', 'individual', 4, 'Chiến sĩ thi đua toàn quốc',
   'National emulation fighter'),
  ('tap_the_lao_dong_tien_tien', 'collective', 1, 'Tập thể lao động tiên tiến',
   'Advanced-worker collective'),
  ('tap_the_lao_dong_xuat_sac', 'collective', 2, 'Tập thể lao động xuất sắc',
   'Excellent-worker collective'),
  ('co_thi_dua_cap_tinh', 'collective', 3, 'Cờ thi đua của Ủy ban nhân dân tỉnh',
   'Provincial emulation flag'),
  ('co_thi_dua_chinh_phu', 'collective', 4, 'Cờ thi đua của Chính phủ',
   'Government emulation flag');

-- Legal and Party documents that plans cite and sessions disseminate.
CREATE TABLE documents (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 100),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  issuer      text NOT NULL DEFAULT '' CHECK (length(issuer) <= 300),
  issued_on   date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, code)
);

-- Plans.  An issued plan is never edited: an amendment is a new row of the
-- same series (series_id = the first version's id) with revision + 1 that
-- supersedes the issued one when it is issued in turn.
CREATE TABLE plans (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_id       bigint NOT NULL,
  revision        integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  supersedes_id   bigint,
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  number          text NOT NULL DEFAULT '' CHECK (length(number) <= 20),
  symbol          text NOT NULL CHECK (length(symbol) BETWEEN 1 AND 60),
  issued_on       date,
  place           text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  purposes        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(purposes) = 'array'),
  general_tasks   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(general_tasks) = 'array'),
  contents        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contents) = 'array'),
  duties          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(duties) = 'array'),
  recipients      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(recipients) = 'array'),
  signer_name     text NOT NULL DEFAULT '' CHECK (length(signer_name) <= 200),
  signer_position text NOT NULL DEFAULT '' CHECK (length(signer_position) <= 200),
  cited_document_ids bigint[] NOT NULL DEFAULT '{}',
  period_start    date NOT NULL,
  period_end      date NOT NULL,
  registration_deadline date,
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'issued', 'superseded', 'closed')),
  issued_at       timestamptz,
  closed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, supersedes_id) REFERENCES plans (organization_id, id),
  CONSTRAINT plans_period CHECK (period_end >= period_start),
  CONSTRAINT plans_issued_fields CHECK (status = 'draft'
                                        OR (issued_on IS NOT NULL AND number <> ''))
);
CREATE INDEX plans_by_year ON plans (organization_id, year DESC, id DESC);
CREATE INDEX plans_series ON plans (series_id, revision);
-- one draft amendment at a time, and one issued version per series
CREATE UNIQUE INDEX plans_one_draft ON plans (series_id) WHERE status = 'draft';
CREATE UNIQUE INDEX plans_one_issued ON plans (series_id) WHERE status = 'issued';
-- series_id is set on insert and an issued plan is immutable: triggers in
-- db/procedures/plan_series.sql and db/procedures/plan_immutable.sql.

-- Targets (chỉ tiêu).  code is stable across the versions of a series
-- ("1", "4a"), so numbers reported against a target survive an amendment.
-- threshold: a percentage for the counted kinds, a value for
-- reported_number; rounding turns a percentage into a head count for
-- at_most / exactly (floor by default, domain.md §2).
CREATE TABLE plan_targets (
  organization_id bigint NOT NULL,
  plan_id     bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  position    integer NOT NULL CHECK (position BETWEEN 1 AND 100),
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,20}$'),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  kind        text NOT NULL CHECK (kind IN ('staff_share', 'title_ratio', 'collective_rating',
                                            'recognition', 'reported_number')),
  params      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
  comparison  text NOT NULL CHECK (comparison IN ('at_least', 'at_most', 'exactly')),
  threshold   numeric(14, 2) NOT NULL CHECK (threshold >= 0),
  rounding    text NOT NULL DEFAULT 'floor' CHECK (rounding IN ('floor', 'nearest', 'ceil')),
  UNIQUE (organization_id, id),
  UNIQUE (plan_id, position),
  UNIQUE (plan_id, code),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id)
    ON DELETE CASCADE
);
-- the targets of an issued plan are immutable too (plan_immutable.sql)

-- Movements (phong trào thi đua).
CREATE TABLE movements (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       bigint,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  kind          text NOT NULL CHECK (kind IN ('regular', 'thematic')),
  starts_on     date NOT NULL,
  ends_on       date NOT NULL,
  owner_unit_id bigint,
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, owner_unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT movements_period CHECK (ends_on >= starts_on)
);
CREATE INDEX movements_by_start ON movements (organization_id, starts_on DESC, id DESC);

-- Registrations (đăng ký thi đua): one per unit and plan, with the unit's
-- collective titles and commitments and its staff's individual titles.
CREATE TABLE registrations (
  organization_id   bigint NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id           bigint NOT NULL,
  unit_id           bigint NOT NULL,
  collective_titles text[] NOT NULL DEFAULT '{}',
  commitments       text NOT NULL DEFAULT '' CHECK (length(commitments) <= 20000),
  status            text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
  return_reason     text,
  submitted_at      timestamptz,
  decided_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, plan_id, unit_id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT registrations_returned CHECK (status <> 'returned' OR return_reason IS NOT NULL)
);

CREATE TABLE registration_entries (
  organization_id bigint NOT NULL,
  registration_id bigint NOT NULL,
  staff_id        bigint NOT NULL,
  title_code      text NOT NULL REFERENCES title_kinds (code),
  commitment      text NOT NULL DEFAULT '' CHECK (length(commitment) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (registration_id, staff_id),
  FOREIGN KEY (organization_id, registration_id) REFERENCES registrations (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX registration_entries_staff ON registration_entries (organization_id, staff_id);

-- The Office reopens the window after the deadline, for one unit or all.
CREATE TABLE registration_reopenings (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id     bigint NOT NULL,
  unit_id     bigint,
  until       date NOT NULL,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);
CREATE INDEX registration_reopenings_plan ON registration_reopenings (plan_id, until);

-- Dissemination and training (tuyên truyền, quán triệt, tập huấn).
CREATE TABLE sessions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id     bigint,
  kind        text NOT NULL CHECK (kind IN ('dissemination', 'training', 'makeup')),
  held_on     date NOT NULL,
  topic       text NOT NULL CHECK (length(topic) BETWEEN 1 AND 1000),
  location    text NOT NULL DEFAULT '' CHECK (length(location) <= 300),
  unit_id     bigint,
  makeup_of   bigint,
  document_ids bigint[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  FOREIGN KEY (organization_id, makeup_of) REFERENCES sessions (organization_id, id)
);
CREATE INDEX sessions_by_date ON sessions (organization_id, held_on DESC, id DESC);
CREATE INDEX sessions_documents ON sessions USING gin (document_ids);

-- Attendance: attended, absent, or informed later (told individually or at
-- a make-up session) on informed_on.
CREATE TABLE session_attendance (
  organization_id bigint NOT NULL,
  session_id  bigint NOT NULL,
  staff_id    bigint NOT NULL,
  status      text NOT NULL CHECK (status IN ('attended', 'absent', 'informed_later')),
  informed_on date,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, staff_id),
  FOREIGN KEY (organization_id, session_id) REFERENCES sessions (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  CONSTRAINT attendance_informed_on CHECK ((status = 'informed_later') = (informed_on IS NOT NULL))
);
CREATE INDEX session_attendance_staff ON session_attendance (organization_id, staff_id);

-- The year's results.  Their workflows (evaluation, council, decisions)
-- come with later issues; the shapes are fixed here.
CREATE TABLE staff_evaluations (
  organization_id bigint NOT NULL,
  staff_id    bigint NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  rating      text NOT NULL CHECK (rating IN ('excellent', 'good', 'completed', 'not_completed')),
  disciplined boolean NOT NULL DEFAULT false,
  rated_on    date NOT NULL,
  source_document text NOT NULL DEFAULT '' CHECK (length(source_document) <= 300),
  PRIMARY KEY (organization_id, staff_id, year),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);

CREATE TABLE staff_titles (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title_code  text NOT NULL REFERENCES title_kinds (code),
  decision_number text NOT NULL DEFAULT '' CHECK (length(decision_number) <= 60),
  decision_date   date NOT NULL,
  UNIQUE (organization_id, staff_id, year, title_code),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_titles_year ON staff_titles (organization_id, year);

-- A collective's rating for the year: the agency, a unit, the Party cell
-- (chi bộ) or a mass organisation (công đoàn, đoàn thanh niên, ...).
CREATE TABLE collective_ratings (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('agency', 'unit', 'party_cell',
                                                      'mass_organization')),
  subject_name  text NOT NULL CHECK (length(subject_name) BETWEEN 1 AND 300),
  unit_id       bigint,
  rating        text NOT NULL CHECK (rating IN ('excellent', 'good', 'completed',
                                                'not_completed')),
  rated_on      date NOT NULL,
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 300),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, year, subject_kind, subject_name),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);

-- Recognitions with evidence: công sở văn hóa, an toàn về an ninh, trật tự.
CREATE TABLE recognitions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  kind        text NOT NULL CHECK (kind IN ('cultural_office', 'security_order')),
  granted_on  date NOT NULL,
  issuer      text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 300),
  evidence    text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, year, kind)
);

-- Numbers reported by units against a target (by series and code, so a
-- report survives an amendment of the plan).  The latest per unit counts.
CREATE TABLE target_reports (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_id   bigint NOT NULL,
  target_code text NOT NULL,
  unit_id     bigint NOT NULL,
  value       numeric(14, 2) NOT NULL,
  reported_on date NOT NULL,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);
CREATE INDEX target_reports_latest ON target_reports (organization_id, series_id, target_code,
                                                      unit_id, reported_on DESC, id DESC);
