-- submission_workflow.sql — what units and machines report: a new
-- submission (exactly once per Idempotency-Key), new answers, and the
-- steps submit, accept, return; every version is kept.  The steps answer a
-- write_result (write_result.sql), like plan_workflow.sql.

-- PL/pgSQL, not SQL: an SQL function with an INSERT is never inlined, and
-- called from PL/pgSQL it was parsed and planned again in every
-- transaction (84 µs a call, measured with track_functions under
-- report_submit); PL/pgSQL keeps the plan for the session.
CREATE OR REPLACE FUNCTION submission_version_add(s submissions, p_actor text, p_req text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO submission_versions (organization_id, submission_id, version, status, answers,
                                   late, return_reason, actor, request_id)
  VALUES (s.organization_id, s.id, s.version, s.status, s.answers, s.late, s.return_reason,
          p_actor, p_req);
END $$;

-- A new submission, exactly once per Idempotency-Key: the key's row and
-- the submission commit together, and a second request with the key waits
-- for nothing (refused while the first is in flight) and then replays it:
-- the stored status, Location and body, with the body's version as its
-- ETag.  f: {unit_id, answers (checked), submit}.
CREATE OR REPLACE FUNCTION submission_create(p_org bigint, p_atype text, p_aid text, p_req text,
  p_key text, p_hash bytea, p_period bigint, p_unit bigint, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  v_principal text := p_atype || ':' || p_aid;
  k idempotency_keys;
  p report_periods;
  s submissions;
  u bigint := (f->>'unit_id')::bigint;
  submit boolean := coalesce((f->>'submit')::boolean, false);
  body text;
BEGIN
  IF p_key IS NOT NULL THEN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_org || '/' || v_principal || '/' || p_key,
                                                      0)) THEN
      RETURN write_refused('idempotency-key-in-flight');
    END IF;
    DELETE FROM idempotency_keys x WHERE x.organization_id = p_org AND x.principal = v_principal
       AND x.key = p_key AND x.created_at < now() - interval '24 hours';
    SELECT * INTO k FROM idempotency_keys x
     WHERE x.organization_id = p_org AND x.principal = v_principal AND x.key = p_key;
    IF k.key IS NOT NULL THEN
      IF k.request_hash <> p_hash THEN
        RETURN write_invalid('/header/Idempotency-Key', 'idempotency-key-reused');
      END IF;
      RETURN write_replayed(k.status_code, k.location, k.body,
                            (k.body::jsonb->>'version')::integer);
    END IF;
  END IF;
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = p_period
     FOR SHARE;
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.status <> 'open' THEN RETURN write_refused('period-closed'); END IF;
  IF NOT EXISTS (SELECT 1 FROM report_period_units x WHERE x.period_id = p.id AND x.unit_id = u)
     OR (p_unit <> 0 AND NOT unit_in_subtree(p_org, u, p_unit)) THEN
    RETURN write_invalid('/unit_id', 'submission-unit-scope');
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
    RETURN write_refused('submission-exists',
                         jsonb_build_object('submission_id', s.id, 'version', s.version),
                         s.id, s.version);
  END IF;
  PERFORM submission_version_add(s, v_principal, p_req);
  body := submission_json(s)::text;
  PERFORM audit_append_striped(p_org, audit_free_stripe(p_org, s.unit_id), p_atype, p_aid,
                               'submission.create', 'submission', s.id::text,
                       NULL, body::jsonb, p_req);
  IF p_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (organization_id, principal, key, request_hash, status_code,
                                  location, body)
    VALUES (p_org, v_principal, p_key, p_hash, 201, '/v1/submissions/' || s.id, body);
  END IF;
  RETURN write_ok(body, s.version, s.id);
END $$;

-- Locks a submission visible to the caller and checks its version:
-- outcome 'not_found', or 'stale' with the current version, or NULL.
CREATE OR REPLACE FUNCTION submission_lock(p_org bigint, p_id bigint, p_version integer,
  p_unit bigint, OUT s submissions, OUT outcome text, OUT current integer)
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
-- submit (draft|returned → submitted), accept, return (submitted → …),
-- the last two by someone who made none of the round's versions.
-- A submission is late when it is first submitted after the due day.
CREATE OR REPLACE FUNCTION submission_change(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, p_step text, f jsonb, p_reason text,
  p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  l record;
  s submissions;
  p report_periods;
  before text;
  body text;
  submit boolean := p_step = 'submit' OR (p_step = 'update' AND (f->>'submit')::boolean);
BEGIN
  SELECT * INTO l FROM submission_lock(p_org, p_id, p_version, p_unit);
  IF l.outcome = 'not_found' THEN RETURN write_not_found(); END IF;
  IF l.outcome = 'stale' THEN RETURN write_stale(l.current); END IF;
  s := l.s;
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = s.period_id;
  IF p_step IN ('update', 'submit') AND s.status NOT IN ('draft', 'returned') THEN
    RETURN write_refused('submission-locked', jsonb_build_object('status', s.status));
  END IF;
  IF p_step IN ('accept', 'return') AND s.status <> 'submitted' THEN
    RETURN write_refused('submission-state', jsonb_build_object('status', s.status));
  END IF;
  -- Maker-checker: whoever wrote a version of this round (since the Office
  -- last returned it, or since it was made) prepared or submitted what is
  -- decided, so another person (or client) must accept or return it.
  IF p_step IN ('accept', 'return') AND EXISTS (
       SELECT 1 FROM submission_versions v
        WHERE v.organization_id = p_org AND v.submission_id = s.id
          AND v.actor = p_atype || ':' || p_aid
          AND v.version > coalesce((SELECT max(w.version) FROM submission_versions w
                                     WHERE w.organization_id = p_org
                                       AND w.submission_id = s.id
                                       AND w.status = 'returned'), 0)) THEN
    RETURN write_refused('submission-maker-checker');
  END IF;
  IF p_step IN ('update', 'submit') AND p.status <> 'open' THEN
    RETURN write_refused('period-closed');
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
  PERFORM audit_append_striped(p_org, audit_free_stripe(p_org, s.unit_id), p_atype, p_aid,
                               'submission.' || p_step, 'submission', s.id::text,
                       before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, s.version, s.id);
END $$;
