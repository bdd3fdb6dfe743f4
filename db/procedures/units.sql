-- units.sql — a unit renamed, moved or closed (migration 0043).  Every
-- change is one transaction: the unit, the paths of its subtree when it
-- moves, its dated history row and the audit record.

-- A unit's change (f: name, code, kind, parent_id — null: a root —,
-- tdkt_body, and effective_on, decision).  A unit does not move under
-- itself nor under a closed unit; a closed unit does not change.
CREATE OR REPLACE FUNCTION unit_change(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  u units;
  n units;
  v_parent bigint;
BEGIN
  SELECT * INTO u FROM units WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN write_not_found();
  ELSIF u.version <> p_version THEN
    RETURN write_stale(u.version);
  ELSIF u.closed_on IS NOT NULL THEN
    RETURN write_refused('unit-closed', jsonb_build_object('closed_on', u.closed_on));
  ELSIF NOT f ?| ARRAY['name', 'code', 'kind', 'parent_id', 'tdkt_body'] THEN
    RETURN write_invalid('', 'unit-change-empty');
  END IF;
  v_parent := CASE WHEN f ? 'parent_id' THEN (f->>'parent_id')::bigint ELSE u.parent_id END;
  IF f ? 'parent_id' AND v_parent IS NOT NULL THEN
    IF EXISTS (SELECT 1 FROM units x WHERE x.organization_id = p_org AND x.id = v_parent
                  AND p_id = ANY (x.path)) THEN
      RETURN write_invalid('/parent_id', 'unit-move-cycle');
    ELSIF NOT EXISTS (SELECT 1 FROM units x WHERE x.organization_id = p_org
                         AND x.id = v_parent AND x.closed_on IS NULL) THEN
      RETURN write_invalid('/parent_id', 'unit-unknown');
    END IF;
  END IF;
  UPDATE units x SET
    name = CASE WHEN f ? 'name' THEN normalize(btrim(f->>'name'), NFC) ELSE x.name END,
    code = CASE WHEN f ? 'code' THEN f->>'code' ELSE x.code END,
    kind = CASE WHEN f ? 'kind' THEN f->>'kind' ELSE x.kind END,
    tdkt_body = CASE WHEN f ? 'tdkt_body' THEN f->>'tdkt_body' ELSE x.tdkt_body END,
    parent_id = v_parent, version = x.version + 1, updated_at = now()
   WHERE x.id = p_id RETURNING * INTO n;
  IF n.parent_id IS DISTINCT FROM u.parent_id THEN
    -- every path of the subtree: the new parent's, then its own from p_id on
    UPDATE units x
       SET path = coalesce((SELECT p.path FROM units p WHERE p.id = n.parent_id), '{}')
                  || x.path[array_position(x.path, p_id):]
     WHERE x.organization_id = p_org AND p_id = ANY (x.path);
    SELECT * INTO n FROM units WHERE id = p_id;
  END IF;
  INSERT INTO unit_changes (organization_id, unit_id, kind, effective_on, decision, before,
                            after, recorded_by)
  VALUES (p_org, p_id, 'change', coalesce((f->>'effective_on')::date, p_today),
          coalesce(btrim(f->>'decision'), ''), unit_json(u)::jsonb, unit_json(n)::jsonb,
          p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'unit.update', 'unit', p_id::text,
                       unit_json(u)::jsonb, unit_json(n)::jsonb, p_req);
  RETURN write_ok(unit_json(n)::text, n.version, n.id);
END $$;

-- A unit closed on f->>'closed_on' (by f->>'decision'): only once nobody
-- of its subtree still works there on that day and every unit under it is
-- closed.
CREATE OR REPLACE FUNCTION unit_close(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  u units;
  n units;
  v_on date := (f->>'closed_on')::date;
  v_open integer;
BEGIN
  SELECT * INTO u FROM units WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN write_not_found();
  ELSIF u.version <> p_version THEN
    RETURN write_stale(u.version);
  ELSIF u.closed_on IS NOT NULL THEN
    RETURN write_refused('unit-closed', jsonb_build_object('closed_on', u.closed_on));
  ELSIF EXISTS (SELECT 1 FROM units x WHERE x.organization_id = p_org AND x.parent_id = p_id
                   AND x.closed_on IS NULL) THEN
    RETURN write_refused('unit-has-open-units');
  END IF;
  SELECT count(*) INTO v_open FROM staff s
   WHERE s.organization_id = p_org AND s.unit_id = p_id
     AND (s.left_on IS NULL OR s.left_on > v_on);
  IF v_open > 0 THEN
    RETURN write_refused('unit-has-staff', jsonb_build_object('count', v_open::text));
  END IF;
  UPDATE units x SET closed_on = v_on, version = x.version + 1, updated_at = now()
   WHERE x.id = p_id RETURNING * INTO n;
  INSERT INTO unit_changes (organization_id, unit_id, kind, effective_on, decision, before,
                            after, recorded_by)
  VALUES (p_org, p_id, 'close', v_on, coalesce(btrim(f->>'decision'), ''),
          unit_json(u)::jsonb, unit_json(n)::jsonb, p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'unit.close', 'unit', p_id::text,
                       unit_json(u)::jsonb, unit_json(n)::jsonb, p_req);
  RETURN write_ok(unit_json(n)::text, n.version, n.id);
END $$;

-- The unit with its history, oldest change first; NULL when it is not the
-- organisation's.
CREATE OR REPLACE FUNCTION unit_history(p_org bigint, p_id bigint) RETURNS json
LANGUAGE sql STABLE
RETURN (SELECT json_build_object('unit', unit_json(u), 'changes', (
          SELECT coalesce(json_agg(json_build_object(
                   'kind', c.kind, 'effective_on', c.effective_on, 'decision', c.decision,
                   'before', c.before, 'after', c.after, 'recorded_at', c.recorded_at)
                   ORDER BY c.effective_on, c.id), '[]')
            FROM unit_changes c WHERE c.organization_id = p_org AND c.unit_id = p_id))
          FROM units u WHERE u.organization_id = p_org AND u.id = p_id);

-- Nobody joins a closed unit, nor is moved into one.
CREATE OR REPLACE FUNCTION staff_unit_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'left' AND EXISTS (SELECT 1 FROM units u WHERE u.id = NEW.unit_id
                                         AND u.closed_on IS NOT NULL) THEN
    RAISE EXCEPTION 'unit % is closed', NEW.unit_id
      USING ERRCODE = '23514', CONSTRAINT = 'staff_unit_open';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER staff_unit_open BEFORE INSERT OR UPDATE OF unit_id ON staff
  FOR EACH ROW EXECUTE FUNCTION staff_unit_open();

-- A machine client is not limited to a closed unit (migration 0042): it
-- could report for nobody.
CREATE OR REPLACE FUNCTION clients_unit_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id IS NOT NULL AND EXISTS (SELECT 1 FROM units u WHERE u.id = NEW.unit_id
                                            AND u.closed_on IS NOT NULL) THEN
    RAISE EXCEPTION 'unit % is closed', NEW.unit_id
      USING ERRCODE = '23514', CONSTRAINT = 'clients_unit_open';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER clients_unit_open BEFORE INSERT OR UPDATE OF unit_id ON clients
  FOR EACH ROW EXECUTE FUNCTION clients_unit_open();
