-- 0006_reports.sql — reporting: the Office opens reporting periods with a
-- template, units and machines submit, the Office follows up and
-- consolidates for the province and the emulation bloc.
--
-- Every row carries organization_id, as in 0002.  The functions are in
-- db/procedures/: report_json, report_workflow, submission_workflow, and
-- the trigger that keeps templates immutable (report_templates_immutable).

-- Templates are versioned: a (code, version) row never changes; a new
-- version is a new row, and a period keeps the template row it was opened
-- with.  fields: the validated field definitions (domain/report_template.h).
CREATE TABLE report_templates (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL CHECK (code ~ '^[a-z0-9._-]{1,40}$'),
  version     integer NOT NULL CHECK (version >= 1),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  fields      jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, code, version)
);

-- A reporting period (kỳ báo cáo): periodic or ad hoc (đột xuất), due on a
-- calendar day in Vietnam, answered by the listed units.
CREATE TABLE report_periods (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  template_id bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('half_year', 'year', 'custom', 'ad_hoc')),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  due_on      date NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, template_id) REFERENCES report_templates (organization_id, id),
  CONSTRAINT report_periods_span CHECK (ends_on >= starts_on)
);
CREATE INDEX report_periods_by_due ON report_periods (organization_id, due_on DESC, id DESC);

CREATE TABLE report_period_units (
  organization_id bigint NOT NULL,
  period_id   bigint NOT NULL,
  unit_id     bigint NOT NULL,
  PRIMARY KEY (period_id, unit_id),
  UNIQUE (organization_id, period_id, unit_id),
  FOREIGN KEY (organization_id, period_id) REFERENCES report_periods (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);

-- One submission per unit and period; each change of its content or status
-- adds a row to submission_versions, so every version is kept.  late: the
-- first submission came after the due day (marked, never refused).
CREATE TABLE submissions (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_id     bigint NOT NULL,
  unit_id       bigint NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
  answers       jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
  late          boolean NOT NULL DEFAULT false,
  return_reason text,
  submitted_at  timestamptz,
  decided_at    timestamptz,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, period_id, unit_id),
  FOREIGN KEY (organization_id, period_id, unit_id)
    REFERENCES report_period_units (organization_id, period_id, unit_id),
  CONSTRAINT submissions_returned CHECK (status <> 'returned' OR return_reason IS NOT NULL)
);

CREATE TABLE submission_versions (
  organization_id bigint NOT NULL,
  submission_id bigint NOT NULL,
  version     integer NOT NULL,
  status      text NOT NULL,
  answers     jsonb NOT NULL,
  late        boolean NOT NULL,
  return_reason text,
  actor       text NOT NULL,
  request_id  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (submission_id, version),
  FOREIGN KEY (organization_id, submission_id) REFERENCES submissions (organization_id, id)
);

-- Attachments live in PostgreSQL, with their SHA-256.
CREATE TABLE submission_attachments (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  submission_id bigint NOT NULL,
  filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256        bytea NOT NULL CHECK (length(sha256) = 32),
  data          bytea NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, submission_id) REFERENCES submissions (organization_id, id)
);
CREATE INDEX submission_attachments_of ON submission_attachments (submission_id);

-- Idempotency keys of POSTs: the first request's answer, kept at least
-- 24 hours, written in the same transaction as the change it answers, so a
-- change and its remembered answer commit or vanish together.
CREATE TABLE idempotency_keys (
  organization_id bigint NOT NULL,
  principal     text NOT NULL,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash  bytea NOT NULL,
  status_code   integer NOT NULL,
  location      text,
  body          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, principal, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

CREATE TABLE report_reminders (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_id   bigint NOT NULL,
  unit_id     bigint,
  message     text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, period_id) REFERENCES report_periods (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);

-- The agency's consolidated report of a period.  Once sent, provincial and
-- bloc clients read it; feed_seq orders the feed of sent reports.
CREATE SEQUENCE consolidation_feed;
CREATE TABLE consolidations (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_id   bigint NOT NULL,
  document    jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
  generated_at timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  feed_seq    bigint UNIQUE,
  version     integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, period_id) REFERENCES report_periods (organization_id, id),
  CONSTRAINT consolidations_sent CHECK ((status = 'sent') = (feed_seq IS NOT NULL))
);
CREATE INDEX consolidations_feed ON consolidations (organization_id, feed_seq)
  WHERE feed_seq IS NOT NULL;
