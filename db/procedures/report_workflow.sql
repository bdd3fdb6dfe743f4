-- report_workflow.sql — the Office's side of reporting: a new template
-- version, a new reporting period, closing a period.  The steps answer a
-- write_result (write_result.sql), like plan_workflow.sql: the new
-- document, not found, stale, or a refusal named by its message code
-- (service/answers/answers.def).  A period naming a template or a unit of
-- another organisation breaks a foreign key, which the service answers by
-- the constraint's name.

CREATE OR REPLACE FUNCTION report_template_create(p_org bigint, p_atype text, p_aid text,
  p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  t report_templates;
  body text;
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
  -- the template's version (of its code) is its ETag, as a read answers it
  RETURN write_ok(body, t.version, t.id);
END $$;

CREATE OR REPLACE FUNCTION report_period_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p report_periods;
  body text;
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
  RETURN write_ok(body, p.version, p.id);
END $$;

-- The Office closes a period: no more submissions or changes.
CREATE OR REPLACE FUNCTION report_period_close(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p report_periods;
  before text;
  body text;
BEGIN
  SELECT * INTO p FROM report_periods x WHERE x.organization_id = p_org AND x.id = p_id
     FOR UPDATE;
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.version <> p_version THEN RETURN write_stale(p.version); END IF;
  IF p.status = 'closed' THEN RETURN write_refused('period-closed-already'); END IF;
  before := report_period_json(p)::text;
  UPDATE report_periods SET status = 'closed', version = version + 1 WHERE id = p.id
  RETURNING * INTO p;
  body := report_period_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'report_period.close', 'report_period',
                       p.id::text, before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, p.version, p.id);
END $$;
