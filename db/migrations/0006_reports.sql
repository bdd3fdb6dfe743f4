-- 0006_reports.sql — reporting: the Office opens reporting periods with a
-- template, units and machines submit, the Office follows up and
-- consolidates for the province and the emulation bloc.
--
-- Every row carries organization_id, as in 0002.

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

CREATE FUNCTION report_templates_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report templates are versioned, never changed'
    USING ERRCODE = '55000', CONSTRAINT = 'report_templates_immutable';
END $$;
CREATE TRIGGER report_templates_immutable BEFORE UPDATE OR DELETE ON report_templates
  FOR EACH ROW EXECUTE FUNCTION report_templates_refuse_change();

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

-- ---- Documents as the API answers them ------------------------------------

CREATE FUNCTION report_template_json(t report_templates) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', t.id, 'code', t.code, 'version', t.version, 'title', t.title,
  'fields', t.fields, 'created_at', t.created_at);

CREATE FUNCTION report_period_json(p report_periods) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'template_id', p.template_id,
  'template', (SELECT report_template_json(t) FROM report_templates t
                WHERE t.organization_id = p.organization_id AND t.id = p.template_id),
  'kind', p.kind, 'title', p.title, 'starts_on', p.starts_on, 'ends_on', p.ends_on,
  'due_on', p.due_on, 'status', p.status,
  'unit_ids', (SELECT coalesce(json_agg(u.unit_id ORDER BY u.unit_id), '[]')
                 FROM report_period_units u WHERE u.period_id = p.id),
  'version', p.version, 'created_at', p.created_at);

CREATE FUNCTION submission_json(s submissions) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', s.id, 'period_id', s.period_id, 'unit_id', s.unit_id,
  'status', s.status, 'answers', s.answers, 'late', s.late, 'return_reason', s.return_reason,
  'submitted_at', s.submitted_at, 'decided_at', s.decided_at, 'created_by', s.created_by,
  'attachments', (SELECT coalesce(json_agg(json_build_object('id', a.id,
                    'filename', a.filename, 'content_type', a.content_type,
                    'size_bytes', a.size_bytes, 'sha256', encode(a.sha256, 'hex'),
                    'created_at', a.created_at) ORDER BY a.id), '[]')
                    FROM submission_attachments a WHERE a.submission_id = s.id),
  'version', s.version, 'created_at', s.created_at, 'updated_at', s.updated_at);

-- ---- Writes (answer (outcome, detail, body, current) like 0003's steps) ----

CREATE FUNCTION report_template_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb, OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  t report_templates;
BEGIN
  -- versions of one code are numbered in order: serialise their creation
  PERFORM pg_advisory_xact_lock(hashtextextended('report_template/' || p_org || '/'
                                                 || (f->>'code'), 0));
  INSERT INTO report_templates (organization_id, code, version, title, fields)
  SELECT p_org, f->>'code', coalesce(max(x.version), 0) + 1,
         normalize(btrim(f->>'title'), NFC), normalize((f->'fields')::text, NFC)::jsonb
    FROM report_templates x WHERE x.organization_id = p_org AND x.code = f->>'code'
  RETURNING * INTO t;
  body := report_template_json(t)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'report_template.create', 'report_template',
                       t.id::text, NULL, body::jsonb, p_req);
  outcome := 'ok';
END $$;

CREATE FUNCTION report_period_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb, OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p report_periods;
BEGIN
  INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, ends_on,
                              due_on)
  VALUES (p_org, (f->>'template_id')::bigint, f->>'kind', normalize(btrim(f->>'title'), NFC),
          (f->>'starts_on')::date, (f->>'ends_on')::date, (f->>'due_on')::date)
  RETURNING * INTO p;
  INSERT INTO report_period_units (organization_id, period_id, unit_id)
  SELECT DISTINCT p_org, p.id, u::bigint FROM jsonb_array_elements_text(f->'unit_ids') u;
  body := report_period_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'report_period.create', 'report_period',
                       p.id::text, NULL, body::jsonb, p_req);
  outcome := 'ok';
END $$;

CREATE FUNCTION submission_version_add(s submissions, p_actor text, p_req text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO submission_versions (organization_id, submission_id, version, status, answers,
                                   late, return_reason, actor, request_id)
  VALUES (s.organization_id, s.id, s.version, s.status, s.answers, s.late, s.return_reason,
          p_actor, p_req)
$$;

-- A new submission, exactly once per Idempotency-Key: the key's row and
-- the submission commit together, and a second request with the key waits
-- for nothing (409 while the first is in flight) and then replays it.
-- outcome 'replay' answers the stored (current = status code, detail =
-- Location, body).  f: {unit_id, answers (checked), submit}.
CREATE FUNCTION submission_create(p_org bigint, p_atype text, p_aid text, p_req text,
  p_key text, p_hash bytea, p_period bigint, p_unit bigint, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_principal text := p_atype || ':' || p_aid;
  k idempotency_keys;
  p report_periods;
  s submissions;
  u bigint := (f->>'unit_id')::bigint;
  submit boolean := coalesce((f->>'submit')::boolean, false);
BEGIN
  IF p_key IS NOT NULL THEN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_org || '/' || v_principal || '/' || p_key,
                                                      0)) THEN
      outcome := 'idempotency-key-in-flight';
      detail := 'A request with this Idempotency-Key is still being processed; retry shortly.';
      RETURN;
    END IF;
    DELETE FROM idempotency_keys x WHERE x.organization_id = p_org AND x.principal = v_principal
       AND x.key = p_key AND x.created_at < now() - interval '24 hours';
    SELECT * INTO k FROM idempotency_keys x
     WHERE x.organization_id = p_org AND x.principal = v_principal AND x.key = p_key;
    IF k.key IS NOT NULL THEN
      IF k.request_hash <> p_hash THEN
        outcome := 'idempotency-key-reused';
        detail := 'This Idempotency-Key was used with another request body.';
      ELSE
        outcome := 'replay'; current := k.status_code; detail := k.location; body := k.body;
      END IF;
      RETURN;
    END IF;
  END IF;
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = p_period
     FOR SHARE;
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.status <> 'open' THEN
    outcome := 'period-closed'; detail := 'The reporting period is closed.'; RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM report_period_units x WHERE x.period_id = p.id AND x.unit_id = u)
     OR (p_unit <> 0 AND NOT unit_in_subtree(p_org, u, p_unit)) THEN
    outcome := 'invalid'; detail := E'/unit_id\tnot a unit of this period in your scope'; RETURN;
  END IF;
  INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, late,
                           submitted_at, created_by)
  VALUES (p_org, p.id, u, CASE WHEN submit THEN 'submitted' ELSE 'draft' END, f->'answers',
          submit AND p_today > p.due_on, CASE WHEN submit THEN now() END, v_principal)
  ON CONFLICT (organization_id, period_id, unit_id) DO NOTHING
  RETURNING * INTO s;
  IF s.id IS NULL THEN
    -- another request created it first (it has committed: the insert waited)
    SELECT * INTO s FROM submissions x WHERE x.organization_id = p_org AND x.period_id = p.id
       AND x.unit_id = u;
    outcome := 'submission-exists'; current := s.version; detail := s.id::text;
    RETURN;
  END IF;
  PERFORM submission_version_add(s, v_principal, p_req);
  body := submission_json(s)::text;
  PERFORM audit_append_striped(p_org, audit_stripe_of_unit(s.unit_id), p_atype, p_aid,
                               'submission.create', 'submission', s.id::text,
                       NULL, body::jsonb, p_req);
  IF p_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (organization_id, principal, key, request_hash, status_code,
                                  location, body)
    VALUES (p_org, v_principal, p_key, p_hash, 201, '/v1/submissions/' || s.id, body);
  END IF;
  outcome := 'ok';
END $$;

-- Locks a submission visible to the caller and checks its version.
CREATE FUNCTION submission_lock(p_org bigint, p_id bigint, p_version integer, p_unit bigint,
  OUT s submissions, OUT outcome text, OUT current integer)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT * INTO s FROM submissions x WHERE x.organization_id = p_org AND x.id = p_id FOR UPDATE;
  IF s.id IS NULL OR (p_unit <> 0 AND NOT unit_in_subtree(p_org, s.unit_id, p_unit)) THEN
    outcome := 'not_found';
  ELSIF s.version <> p_version THEN
    outcome := 'stale'; current := s.version;
  END IF;
END $$;

-- New answers (f: {answers, submit}) while draft or returned; or a step:
-- submit (draft|returned → submitted), accept, return (submitted → …).
-- A submission is late when it is first submitted after the due day.
CREATE FUNCTION submission_change(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, p_step text, f jsonb, p_reason text,
  p_today date, OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  l record;
  s submissions;
  p report_periods;
  before text;
  submit boolean := p_step = 'submit' OR (p_step = 'update' AND (f->>'submit')::boolean);
BEGIN
  SELECT * INTO l FROM submission_lock(p_org, p_id, p_version, p_unit);
  s := l.s; outcome := l.outcome; current := l.current;
  IF outcome IS NOT NULL THEN RETURN; END IF;
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = s.period_id;
  IF p_step IN ('update', 'submit') AND s.status NOT IN ('draft', 'returned') THEN
    outcome := 'submission-locked';
    detail := format('The submission is %s; it changes only while a draft or after the Office '
                     'returns it.', s.status);
    RETURN;
  END IF;
  IF p_step IN ('accept', 'return') AND s.status <> 'submitted' THEN
    outcome := 'submission-state';
    detail := format('The submission is %s; only a submitted one is accepted or returned.',
                     s.status);
    RETURN;
  END IF;
  IF p_step IN ('update', 'submit') AND p.status <> 'open' THEN
    outcome := 'period-closed'; detail := 'The reporting period is closed.'; RETURN;
  END IF;
  before := submission_json(s)::text;
  UPDATE submissions x SET
    answers = CASE WHEN p_step = 'update' THEN f->'answers' ELSE x.answers END,
    status = CASE WHEN submit THEN 'submitted' WHEN p_step = 'accept' THEN 'accepted'
                  WHEN p_step = 'return' THEN 'returned' ELSE x.status END,
    late = x.late OR (submit AND x.submitted_at IS NULL AND p_today > p.due_on),
    submitted_at = CASE WHEN submit THEN now() ELSE x.submitted_at END,
    return_reason = CASE WHEN p_step = 'return' THEN normalize(btrim(p_reason), NFC)
                         WHEN p_step = 'accept' THEN NULL ELSE x.return_reason END,
    decided_at = CASE WHEN p_step IN ('accept', 'return') THEN now() ELSE x.decided_at END,
    version = x.version + 1, updated_at = now()
  WHERE x.id = s.id RETURNING * INTO s;
  PERFORM submission_version_add(s, p_atype || ':' || p_aid, p_req);
  body := submission_json(s)::text;
  PERFORM audit_append_striped(p_org, audit_stripe_of_unit(s.unit_id), p_atype, p_aid,
                               'submission.' || p_step, 'submission', s.id::text,
                       before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- The Office closes a period: no more submissions or changes.
CREATE FUNCTION report_period_close(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p report_periods;
  before text;
BEGIN
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = p_id
     FOR UPDATE;
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.version <> p_version THEN outcome := 'stale'; current := p.version; RETURN; END IF;
  IF p.status = 'closed' THEN
    outcome := 'period-closed'; detail := 'The reporting period is already closed.'; RETURN;
  END IF;
  before := report_period_json(p)::text;
  UPDATE report_periods SET status = 'closed', version = version + 1 WHERE id = p.id
  RETURNING * INTO p;
  body := report_period_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'report_period.close', 'report_period',
                       p.id::text, before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;
