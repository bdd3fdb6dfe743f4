-- registration_workflow.sql — registration for emulation (đăng ký thi
-- đua): whether the window is open for a unit, who sees a registration, and
-- its steps (create, update, set or remove an entry, submit, accept,
-- return, reopen the window).  The steps answer a write_result, like
-- plan_workflow.sql.
--
-- Scope arguments: p_unit > 0 confines to that unit's subtree (a unit
-- head); p_staff > 0 to one person (a staff member sees the registration of
-- the unit they belong to, with only their own entry).

-- May a unit register (or change its registration) on day d?  Before the
-- deadline, or inside a reopening for the unit or for all units.
CREATE OR REPLACE FUNCTION registration_open(p plans, p_unit bigint, d date) RETURNS boolean
LANGUAGE sql STABLE
RETURN p.status = 'issued' AND (p.registration_deadline IS NULL OR d <= p.registration_deadline
  OR EXISTS (SELECT 1 FROM registration_reopenings o WHERE o.organization_id = p.organization_id
             AND o.plan_id = p.id AND (o.unit_id IS NULL OR o.unit_id = p_unit)
             AND d <= o.until));

CREATE OR REPLACE FUNCTION registration_visible(g registrations, p_unit bigint, p_staff bigint)
RETURNS boolean LANGUAGE sql STABLE
RETURN (p_unit = 0 OR unit_in_subtree(g.organization_id, g.unit_id, p_unit))
   AND (p_staff = 0 OR EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = g.organization_id
                               AND s.id = p_staff
                               AND unit_in_subtree(g.organization_id, s.unit_id, g.unit_id)));

-- Refused: the window closed on the deadline (a calendar day in Vietnam).
CREATE OR REPLACE FUNCTION registration_closed(p plans) RETURNS write_result
LANGUAGE sql STABLE
RETURN write_refused('registration-closed',
                     jsonb_build_object('deadline', p.registration_deadline));

CREATE OR REPLACE FUNCTION registration_create(p_org bigint, p_atype text, p_aid text, p_req text,
  p_plan bigint, p_unit bigint, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  g registrations;
  u bigint := (f->>'unit_id')::bigint;
  body text;
BEGIN
  SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = p_plan FOR SHARE;
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.status <> 'issued' THEN
    RETURN write_refused('plan-register-not-issued', jsonb_build_object('status', p.status));
  END IF;
  IF NOT unit_in_subtree(p_org, u, CASE WHEN p_unit = 0 THEN u ELSE p_unit END) THEN
    RETURN write_invalid('/unit_id', 'registration-unit-scope');
  END IF;
  IF NOT registration_open(p, u, p_today) THEN
    RETURN registration_closed(p);
  END IF;
  INSERT INTO registrations (organization_id, plan_id, unit_id, collective_titles, commitments)
  VALUES (p_org, p.id, u,
          ARRAY(SELECT jsonb_array_elements_text(coalesce(f->'collective_titles', '[]'))),
          normalize(coalesce(f->>'commitments', ''), NFC))
  RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.create', 'registration',
                       g.id::text, NULL, body::jsonb, p_req);
  RETURN write_ok(body, g.version, g.id);
END $$;

-- Locks a visible registration and its plan; checks version and state.
-- refusal is NULL when the step may go on.  p_conflict: registration-locked
-- for changes of content, registration-state for a workflow step the status
-- does not allow.
CREATE OR REPLACE FUNCTION registration_begin(p_org bigint, p_id bigint, p_version integer,
  p_unit bigint, p_staff bigint, p_states text[], p_conflict text, p_today date,
  p_window boolean, OUT g registrations, OUT refusal write_result)
LANGUAGE plpgsql AS $$
DECLARE
  p plans;
BEGIN
  SELECT * INTO g FROM registrations r WHERE r.organization_id = p_org AND r.id = p_id
     FOR UPDATE;
  IF g.id IS NULL OR NOT registration_visible(g, p_unit, p_staff) THEN
    refusal := write_not_found(); RETURN;
  END IF;
  IF p_version > 0 AND g.version <> p_version THEN
    refusal := write_stale(g.version); RETURN;
  END IF;
  IF NOT g.status = ANY (p_states) THEN
    refusal := write_refused(p_conflict, jsonb_build_object('status', g.status,
                                                            'expected', to_jsonb(p_states)));
    RETURN;
  END IF;
  IF p_window THEN
    SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = g.plan_id;
    IF NOT registration_open(p, g.unit_id, p_today) THEN
      refusal := registration_closed(p); RETURN;
    END IF;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION registration_update(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  before text;
  body text;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, p_version, p_unit, 0, '{draft,returned}',
                                          'registration-locked', p_today, true);
  IF (b.refusal).outcome IS NOT NULL THEN RETURN b.refusal; END IF;
  g := b.g;
  before := registration_json(g, 0)::text;
  UPDATE registrations SET
    collective_titles = CASE WHEN f ? 'collective_titles'
      THEN ARRAY(SELECT jsonb_array_elements_text(f->'collective_titles'))
      ELSE collective_titles END,
    commitments = CASE WHEN f ? 'commitments' THEN normalize(coalesce(f->>'commitments', ''), NFC)
                  ELSE commitments END,
    version = version + 1, updated_at = now()
  WHERE id = g.id RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.update', 'registration',
                       g.id::text, before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, g.version, g.id);
END $$;

-- Sets (f not NULL) or removes (f NULL) one person's entry.
CREATE OR REPLACE FUNCTION registration_entry(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_staff_id bigint, p_unit bigint, p_staff bigint, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  s staff;
  before jsonb;
  after jsonb;
  body text;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, 0, p_unit, p_staff, '{draft,returned}',
                                          'registration-locked', p_today, true);
  IF (b.refusal).outcome IS NOT NULL THEN RETURN b.refusal; END IF;
  g := b.g;
  SELECT * INTO s FROM staff x WHERE x.organization_id = p_org AND x.id = p_staff_id;
  IF s.id IS NULL OR (p_staff > 0 AND s.id <> p_staff)
     OR (p_unit > 0 AND NOT unit_in_subtree(p_org, s.unit_id, p_unit)) THEN
    RETURN write_not_found();
  END IF;
  IF NOT unit_in_subtree(p_org, s.unit_id, g.unit_id) THEN
    RETURN write_invalid('/path/staff_id', 'registration-staff-unit');
  END IF;
  SELECT to_jsonb(e) - 'organization_id' INTO before FROM registration_entries e
   WHERE e.registration_id = g.id AND e.staff_id = s.id;
  IF f IS NULL THEN
    IF before IS NULL THEN RETURN write_not_found(); END IF;
    DELETE FROM registration_entries WHERE registration_id = g.id AND staff_id = s.id;
  ELSE
    INSERT INTO registration_entries (organization_id, registration_id, staff_id, title_code,
                                      commitment)
    VALUES (p_org, g.id, s.id, f->>'title_code', normalize(coalesce(f->>'commitment', ''), NFC))
    ON CONFLICT (registration_id, staff_id) DO UPDATE
      SET title_code = EXCLUDED.title_code, commitment = EXCLUDED.commitment
    RETURNING to_jsonb(registration_entries) - 'organization_id' INTO after;
  END IF;
  UPDATE registrations SET version = version + 1, updated_at = now() WHERE id = g.id
  RETURNING * INTO g;
  body := registration_json(g, p_staff)::text;
  PERFORM audit_append(p_org, p_atype, p_aid,
                       CASE WHEN f IS NULL THEN 'registration.entry_delete'
                            ELSE 'registration.entry_set' END,
                       'registration', g.id::text, before, after, p_req);
  RETURN write_ok(body, g.version, g.id);
END $$;

-- submit (draft|returned → submitted, window open), accept and return
-- (submitted → accepted|returned, the Office's decision: no window).
CREATE OR REPLACE FUNCTION registration_step(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, p_step text, p_reason text, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  before text;
  body text;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, p_version, p_unit, 0,
           CASE p_step WHEN 'submit' THEN '{draft,returned}'::text[] ELSE '{submitted}' END,
           'registration-state', p_today, p_step = 'submit');
  IF (b.refusal).outcome IS NOT NULL THEN RETURN b.refusal; END IF;
  g := b.g;
  before := registration_json(g, 0)::text;
  UPDATE registrations SET
    status = CASE p_step WHEN 'submit' THEN 'submitted' WHEN 'accept' THEN 'accepted'
             ELSE 'returned' END,
    return_reason = CASE p_step WHEN 'return' THEN normalize(btrim(p_reason), NFC)
                    WHEN 'accept' THEN NULL ELSE return_reason END,
    submitted_at = CASE p_step WHEN 'submit' THEN now() ELSE submitted_at END,
    decided_at = CASE p_step WHEN 'submit' THEN NULL ELSE now() END,
    version = version + 1, updated_at = now()
  WHERE id = g.id RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.' || p_step, 'registration',
                       g.id::text, before::jsonb, body::jsonb, p_req);
  RETURN write_ok(body, g.version, g.id);
END $$;

CREATE OR REPLACE FUNCTION registration_reopen(p_org bigint, p_atype text, p_aid text, p_req text,
  p_plan bigint, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  o registration_reopenings;
  body text;
BEGIN
  SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = p_plan FOR SHARE;
  IF p.id IS NULL THEN RETURN write_not_found(); END IF;
  IF p.status <> 'issued' THEN
    RETURN write_refused('plan-reopen-not-issued', jsonb_build_object('status', p.status));
  END IF;
  IF (f->>'until')::date < p_today THEN
    RETURN write_invalid('/until', 'reopen-until-past');
  END IF;
  INSERT INTO registration_reopenings (organization_id, plan_id, unit_id, until, reason)
  VALUES (p_org, p.id, (f->>'unit_id')::bigint, (f->>'until')::date,
          normalize(btrim(f->>'reason'), NFC))
  RETURNING * INTO o;
  body := json_build_object('id', o.id, 'plan_id', o.plan_id, 'unit_id', o.unit_id,
                            'until', o.until, 'reason', o.reason,
                            'created_at', o.created_at)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.reopen', 'plan', p.id::text,
                       NULL, body::jsonb, p_req);
  RETURN write_ok(body, NULL, o.id);
END $$;
