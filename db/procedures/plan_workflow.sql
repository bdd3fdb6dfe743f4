-- plan_workflow.sql — the workflow of a plan: create, update a draft,
-- issue, close, amend; and the checks of the body they store.
--
-- Each workflow step is one function call (so one statement, one
-- transaction) that checks the state, changes it and appends the audit
-- record.  They answer a write_result (write_result.sql): the new document,
-- not found, stale, or a refusal named by its message code
-- (service/answers/answers.def).  Constraint violations are raised as
-- errors, which the service answers by the constraint's name.

-- Fails with 23503 unless every id names a document of the organisation.
CREATE OR REPLACE FUNCTION documents_check(p_org bigint, ids bigint[], what text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(ids) i WHERE NOT EXISTS (
               SELECT 1 FROM documents d WHERE d.organization_id = p_org AND d.id = i)) THEN
    RAISE EXCEPTION 'unknown document' USING ERRCODE = '23503', CONSTRAINT = what;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION jsonb_ids(j jsonb) RETURNS bigint[] LANGUAGE sql IMMUTABLE
RETURN ARRAY(SELECT jsonb_array_elements_text(coalesce(j, '[]'))::bigint);

-- Replaces the targets of a draft plan with the validated list f.
CREATE OR REPLACE FUNCTION plan_targets_replace(p_org bigint, p_plan bigint, f jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t jsonb;
BEGIN
  DELETE FROM plan_targets WHERE organization_id = p_org AND plan_id = p_plan;
  FOR t IN SELECT jsonb_array_elements(f) LOOP
    PERFORM documents_check(p_org, jsonb_ids(t->'params'->'document_ids'),
                            'plan_targets_documents');
  END LOOP;
  INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                            comparison, threshold, rounding)
  SELECT p_org, p_plan, e.n, e.t->>'code', normalize(btrim(e.t->>'title'), NFC), e.t->>'kind',
         coalesce(e.t->'params', '{}'), e.t->>'comparison', (e.t->>'threshold')::numeric,
         coalesce(e.t->>'rounding', 'floor')
    FROM jsonb_array_elements(f) WITH ORDINALITY AS e (t, n);
END $$;

-- Text arrays of a plan document, NFC-normalised.
CREATE OR REPLACE FUNCTION jsonb_nfc(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN CASE WHEN j IS NULL THEN NULL ELSE normalize(j::text, NFC)::jsonb END;

CREATE OR REPLACE FUNCTION plan_create(p_org bigint, p_atype text, p_aid text, p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  y integer := (f->>'year')::integer;
  body text;
BEGIN
  PERFORM documents_check(p_org, jsonb_ids(f->'cited_document_ids'), 'plans_cited_documents');
  INSERT INTO plans (organization_id, year, number, symbol, issued_on, place, title, purposes,
                     general_tasks, contents, duties, recipients, signer_name, signer_position,
                     cited_document_ids, period_start, period_end, registration_deadline)
  VALUES (p_org, y, coalesce(f->>'number', ''), normalize(btrim(f->>'symbol'), NFC),
          (f->>'issued_on')::date, normalize(coalesce(f->>'place', ''), NFC),
          normalize(btrim(f->>'title'), NFC), jsonb_nfc(coalesce(f->'purposes', '[]')),
          jsonb_nfc(coalesce(f->'general_tasks', '[]')), jsonb_nfc(coalesce(f->'contents', '[]')),
          jsonb_nfc(coalesce(f->'duties', '[]')), jsonb_nfc(coalesce(f->'recipients', '[]')),
          normalize(coalesce(f->>'signer_name', ''), NFC),
          normalize(coalesce(f->>'signer_position', ''), NFC),
          jsonb_ids(f->'cited_document_ids'),
          coalesce((f->>'period_start')::date, make_date(y, 1, 1)),
          coalesce((f->>'period_end')::date, make_date(y, 12, 31)),
          (f->>'registration_deadline')::date)
  RETURNING * INTO p;
  PERFORM plan_targets_replace(p_org, p.id, coalesce(f->'targets', '[]'));
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.create', 'plan', p.id::text, NULL,
                       body::jsonb, p_req);
  RETURN write_ok(body, p.version, p.id);
END $$;

-- Locks a plan of the organisation; NULL when there is none.
CREATE OR REPLACE FUNCTION plan_lock(p_org bigint, p_id bigint) RETURNS plans
LANGUAGE sql AS $$
  SELECT * FROM plans WHERE organization_id = p_org AND id = p_id FOR UPDATE
$$;

CREATE OR REPLACE FUNCTION plan_update(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  before text;
  body text;
BEGIN
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.version <> p_version THEN RETURN write_stale(p.version); END IF;
  IF p.status <> 'draft' THEN
    RETURN write_refused('plan-not-draft',
                         jsonb_build_object('status', p.status, 'plan_id', p.id));
  END IF;
  before := plan_json(p)::text;
  IF f ? 'cited_document_ids' THEN
    PERFORM documents_check(p_org, jsonb_ids(f->'cited_document_ids'), 'plans_cited_documents');
  END IF;
  UPDATE plans SET
    year = CASE WHEN f ? 'year' THEN (f->>'year')::integer ELSE year END,
    number = CASE WHEN f ? 'number' THEN coalesce(f->>'number', '') ELSE number END,
    symbol = CASE WHEN f ? 'symbol' THEN normalize(btrim(f->>'symbol'), NFC) ELSE symbol END,
    issued_on = CASE WHEN f ? 'issued_on' THEN (f->>'issued_on')::date ELSE issued_on END,
    place = CASE WHEN f ? 'place' THEN normalize(coalesce(f->>'place', ''), NFC) ELSE place END,
    title = CASE WHEN f ? 'title' THEN normalize(btrim(f->>'title'), NFC) ELSE title END,
    purposes = CASE WHEN f ? 'purposes' THEN jsonb_nfc(f->'purposes') ELSE purposes END,
    general_tasks = CASE WHEN f ? 'general_tasks' THEN jsonb_nfc(f->'general_tasks')
                    ELSE general_tasks END,
    contents = CASE WHEN f ? 'contents' THEN jsonb_nfc(f->'contents') ELSE contents END,
    duties = CASE WHEN f ? 'duties' THEN jsonb_nfc(f->'duties') ELSE duties END,
    recipients = CASE WHEN f ? 'recipients' THEN jsonb_nfc(f->'recipients') ELSE recipients END,
    signer_name = CASE WHEN f ? 'signer_name' THEN normalize(coalesce(f->>'signer_name', ''), NFC)
                  ELSE signer_name END,
    signer_position = CASE WHEN f ? 'signer_position'
                      THEN normalize(coalesce(f->>'signer_position', ''), NFC)
                      ELSE signer_position END,
    cited_document_ids = CASE WHEN f ? 'cited_document_ids'
                         THEN jsonb_ids(f->'cited_document_ids') ELSE cited_document_ids END,
    period_start = CASE WHEN f ? 'period_start' THEN (f->>'period_start')::date
                   ELSE period_start END,
    period_end = CASE WHEN f ? 'period_end' THEN (f->>'period_end')::date ELSE period_end END,
    registration_deadline = CASE WHEN f ? 'registration_deadline'
                            THEN (f->>'registration_deadline')::date
                            ELSE registration_deadline END,
    version = version + 1, updated_at = now()
  WHERE id = p.id RETURNING * INTO p;
  IF f ? 'targets' THEN
    PERFORM plan_targets_replace(p_org, p.id, f->'targets');
  END IF;
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.update', 'plan', p.id::text,
                       before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, p.version, p.id);
END $$;

-- The counts of every target of plan p at its period's end, for the
-- organisation (unit 0) and every unit's subtree, kept in plan_results
-- (migration 0013): what progress reads of a closed plan from then on.
-- Called by the close, before which no frozen row exists, so the counts
-- are the live ones.
CREATE OR REPLACE FUNCTION plan_results_freeze(p plans) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO plan_results (organization_id, plan_id, unit_id, target_id, numerator,
                            denominator, projected_numerator, projected_denominator,
                            value_centi)
  SELECT p.organization_id, p.id, u.id, c.target_id, c.numerator, c.denominator,
         c.projected_numerator, c.projected_denominator, c.value_centi
    FROM (SELECT 0::bigint AS id
          UNION ALL SELECT x.id FROM units x WHERE x.organization_id = p.organization_id) u
   CROSS JOIN LATERAL plan_progress_counts(p.organization_id, p.id, p.period_end, u.id,
                                           'infinity') c;
END $$;

-- draft → issued (and the version it amends → superseded); issued → closed
-- (its results frozen); closed → issued again, with a reason (f.reason).
CREATE OR REPLACE FUNCTION plan_step(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_step text, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  before text;
  body text;
BEGIN
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.version <> p_version THEN RETURN write_stale(p.version); END IF;
  before := plan_json(p)::text;
  IF p_step = 'issue' THEN
    IF p.status <> 'draft' THEN
      RETURN write_refused('plan-issued-already', jsonb_build_object('status', p.status));
    END IF;
    IF coalesce(f->>'number', p.number) = '' THEN
      RETURN write_invalid('/number', 'plan-number-required');
    END IF;
    -- the version this one amends steps aside first: one issued per series
    UPDATE plans SET status = 'superseded', updated_at = now(), version = version + 1
     WHERE organization_id = p_org AND id = p.supersedes_id AND status = 'issued';
    UPDATE plans SET status = 'issued', number = coalesce(f->>'number', number),
           issued_on = coalesce((f->>'issued_on')::date, issued_on, p_today),
           issued_at = now(), updated_at = now(), version = version + 1
     WHERE id = p.id RETURNING * INTO p;
  ELSIF p_step = 'reopen' THEN
    IF p.status <> 'closed' THEN
      RETURN write_refused('plan-reopen-not-closed', jsonb_build_object('status', p.status));
    END IF;
    IF EXISTS (SELECT 1 FROM plans x WHERE x.series_id = p.series_id AND x.id <> p.id
                  AND x.status = 'issued') THEN
      RETURN write_refused('plan-reopen-superseded');
    END IF;
    -- the frozen results go (the audit entry keeps the plan as it was);
    -- the next close freezes them again
    DELETE FROM plan_results WHERE plan_id = p.id;
    UPDATE plans SET status = 'issued', closed_at = NULL, reopened_at = now(),
           reopen_reason = normalize(btrim(f->>'reason'), NFC), updated_at = now(),
           version = version + 1
     WHERE id = p.id RETURNING * INTO p;
  ELSE
    IF p.status <> 'issued' THEN
      RETURN write_refused('plan-close-not-issued', jsonb_build_object('status', p.status));
    END IF;
    UPDATE plans SET status = 'closed', closed_at = now(), updated_at = now(),
           version = version + 1
     WHERE id = p.id RETURNING * INTO p;
    PERFORM plan_results_freeze(p);
  END IF;
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.' || p_step, 'plan', p.id::text,
                       before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, p.version, p.id);
END $$;

-- An amendment: a new draft of the same series, content and targets copied.
CREATE OR REPLACE FUNCTION plan_amend(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  n plans;
  body text;
BEGIN
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.status <> 'issued' THEN
    RETURN write_refused('plan-amend-not-issued', jsonb_build_object('status', p.status));
  END IF;
  INSERT INTO plans (organization_id, series_id, revision, supersedes_id, year, symbol, place,
                     title, purposes, general_tasks, contents, duties, recipients, signer_name,
                     signer_position, cited_document_ids, period_start, period_end,
                     registration_deadline)
  SELECT organization_id, series_id, (SELECT max(revision) + 1 FROM plans
                                       WHERE series_id = p.series_id),
         id, year, symbol, place, title, purposes, general_tasks, contents, duties,
         recipients, signer_name, signer_position, cited_document_ids, period_start,
         period_end, registration_deadline
    FROM plans WHERE id = p.id
  RETURNING * INTO n;
  INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                            comparison, threshold, rounding)
  SELECT organization_id, n.id, position, code, title, kind, params, comparison, threshold,
         rounding
    FROM plan_targets WHERE plan_id = p.id;
  body := plan_json(n)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.amend', 'plan', n.id::text, NULL,
                       body::jsonb, p_req);
  RETURN write_ok(body, n.version, n.id);
END $$;
