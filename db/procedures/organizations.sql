-- organizations.sql — a province's agencies made, renamed, closed, merged
-- and split (migration 0044), and the lineage of a person's records
-- across mergers.  Every write names the province that acts (p_org, from
-- the caller's token) and is refused unless the agencies it touches are
-- its members; each is one transaction with its history rows and audit
-- records, in the province's trail and in each agency's.

-- A person's records: their own (depth 0) and, through staff_links, their
-- records in the bodies their organisation carried on, however many
-- mergers back.
CREATE OR REPLACE FUNCTION staff_lineage(p_org bigint, p_staff bigint)
RETURNS TABLE (organization_id bigint, staff_id bigint, depth integer)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE l (org, id, depth) AS (
    SELECT p_org, p_staff, 0
    UNION
    SELECT k.predecessor_org_id, k.predecessor_staff_id, l.depth + 1
      FROM l JOIN staff_links k ON k.organization_id = l.org AND k.staff_id = l.id
     WHERE l.depth < 20)
  SELECT l.org, l.id, min(l.depth) FROM l GROUP BY l.org, l.id
$$;

-- The records that carry a person's record on (the reverse of the
-- lineage): whose packed facts change when this one's do.
CREATE OR REPLACE FUNCTION staff_successor_records(p_staff bigint[])
RETURNS TABLE (organization_id bigint, staff_id bigint)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE l (org, id, depth) AS (
    SELECT k.organization_id, k.staff_id, 1 FROM staff_links k
     WHERE k.predecessor_staff_id = ANY (p_staff)
    UNION
    SELECT k.organization_id, k.staff_id, l.depth + 1
      FROM l JOIN staff_links k ON k.predecessor_staff_id = l.id
     WHERE l.depth < 20)
  SELECT DISTINCT l.org, l.id FROM l
$$;

CREATE OR REPLACE FUNCTION org_brief(p_id bigint) RETURNS jsonb LANGUAGE sql STABLE
RETURN (SELECT jsonb_build_object('id', o.id, 'code', o.code, 'name', o.name)
          FROM organizations o WHERE o.id = p_id);

-- An organisation as a province manages it: with its province membership,
-- what it carried on and what carried it on.
CREATE OR REPLACE FUNCTION org_json(o organizations) RETURNS jsonb LANGUAGE sql STABLE
RETURN jsonb_build_object(
  'id', o.id, 'code', o.code, 'name', o.name, 'short_name', o.short_name, 'kind', o.kind,
  'closed_on', o.closed_on, 'version', o.version, 'created_at', o.created_at,
  'updated_at', o.updated_at,
  'memberships', (SELECT coalesce(jsonb_agg(org_brief(m.province_id)
                                            || jsonb_build_object('valid_from', m.valid_from,
                                                                  'valid_until', m.valid_until)
                                            ORDER BY m.valid_from), '[]')
                    FROM province_members m WHERE m.member_id = o.id),
  'predecessors', (SELECT coalesce(jsonb_agg(org_brief(s.predecessor_id)
                                             || jsonb_build_object('kind', s.kind,
                                                                   'effective_on', s.effective_on,
                                                                   'decision', s.decision)
                                             ORDER BY s.effective_on, s.predecessor_id), '[]')
                     FROM organization_successions s WHERE s.successor_id = o.id),
  'successors', (SELECT coalesce(jsonb_agg(org_brief(s.successor_id)
                                           || jsonb_build_object('kind', s.kind,
                                                                 'effective_on', s.effective_on,
                                                                 'decision', s.decision)
                                           ORDER BY s.effective_on, s.successor_id), '[]')
                   FROM organization_successions s WHERE s.predecessor_id = o.id));

-- Whether agency p_id is (or was, any day) a member of province p_org.
CREATE OR REPLACE FUNCTION org_of_province(p_org bigint, p_id bigint) RETURNS boolean
LANGUAGE sql STABLE
RETURN EXISTS (SELECT 1 FROM province_members m WHERE m.province_id = p_org
                  AND m.member_id = p_id);

-- Whether agency p_id is a member of province p_org on p_on.
CREATE OR REPLACE FUNCTION org_member_on(p_org bigint, p_id bigint, p_on date) RETURNS boolean
LANGUAGE sql STABLE
RETURN EXISTS (SELECT 1 FROM province_members m WHERE m.province_id = p_org
                  AND m.member_id = p_id AND m.valid_from <= p_on
                  AND (m.valid_until IS NULL OR m.valid_until >= p_on));

CREATE OR REPLACE FUNCTION org_change_record(p_id bigint, p_kind text, p_on date, p_decision text,
  p_before jsonb, p_after jsonb, p_by text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO organization_changes (organization_id, kind, effective_on, decision, before, after,
                                    recorded_by)
  VALUES (p_id, p_kind, p_on, coalesce(btrim(p_decision), ''), p_before, p_after, p_by);
$$;

-- The organisation with its dated changes, oldest first, for its
-- province (or itself); NULL otherwise.
CREATE OR REPLACE FUNCTION org_history(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
RETURN (SELECT org_json(o) || jsonb_build_object('changes', (
          SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'kind', c.kind, 'effective_on', c.effective_on, 'decision', c.decision,
                   'before', c.before, 'after', c.after, 'recorded_at', c.recorded_at)
                   ORDER BY c.effective_on, c.id), '[]')
            FROM organization_changes c WHERE c.organization_id = o.id))
          FROM organizations o
         WHERE o.id = p_id AND (o.id = p_org OR org_of_province(p_org, o.id)));

-- A province makes an agency, a member from f->>'valid_from' (f: code,
-- name, short_name, valid_from, decision).
CREATE OR REPLACE FUNCTION org_create(p_org bigint, p_atype text, p_aid text, p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  o organizations;
  v_on date := (f->>'valid_from')::date;
BEGIN
  IF (SELECT kind FROM organizations WHERE id = p_org) <> 'province' THEN
    RETURN write_refused('organization-province-only');
  END IF;
  INSERT INTO organizations (code, name, short_name, kind)
  VALUES (btrim(f->>'code'), normalize(btrim(f->>'name'), NFC),
          normalize(nullif(btrim(f->>'short_name'), ''), NFC), 'agency')
  RETURNING * INTO o;
  INSERT INTO province_members (province_id, member_id, valid_from) VALUES (p_org, o.id, v_on);
  PERFORM org_change_record(o.id, 'create', v_on, f->>'decision', NULL, org_json(o),
                            p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'organization.create', 'organization',
                       o.id::text, NULL, org_json(o), p_req);
  RETURN write_ok(org_json(o)::text, o.version, o.id);
END $$;

-- The agency p_id of the province renamed (f: name, short_name, code,
-- effective_on, decision).
CREATE OR REPLACE FUNCTION org_change(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  o organizations;
  n organizations;
BEGIN
  SELECT * INTO o FROM organizations x WHERE x.id = p_id AND x.kind = 'agency'
     AND org_of_province(p_org, x.id) FOR UPDATE;
  IF NOT FOUND THEN
    RETURN write_not_found();
  ELSIF o.version <> p_version THEN
    RETURN write_stale(o.version);
  ELSIF o.closed_on IS NOT NULL THEN
    RETURN write_refused('organization-closed', jsonb_build_object('closed_on', o.closed_on));
  ELSIF NOT f ?| ARRAY['name', 'short_name', 'code'] THEN
    RETURN write_invalid('', 'organization-change-empty');
  END IF;
  UPDATE organizations x SET
    name = CASE WHEN f ? 'name' THEN normalize(btrim(f->>'name'), NFC) ELSE x.name END,
    short_name = CASE WHEN f ? 'short_name' THEN normalize(nullif(btrim(f->>'short_name'), ''), NFC)
                      ELSE x.short_name END,
    code = CASE WHEN f ? 'code' THEN btrim(f->>'code') ELSE x.code END,
    version = x.version + 1, updated_at = now()
   WHERE x.id = p_id RETURNING * INTO n;
  PERFORM org_change_record(p_id, 'change', coalesce((f->>'effective_on')::date, p_today),
                            f->>'decision', org_json(o), org_json(n), p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'organization.update', 'organization',
                       p_id::text, org_json(o), org_json(n), p_req);
  RETURN write_ok(org_json(n)::text, n.version, n.id);
END $$;

-- Ends an agency's life on p_last: its membership ends that day, its
-- accounts are disabled and its clients revoked (their tokens stop).
CREATE OR REPLACE FUNCTION org_end(p_id bigint, p_last date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organizations SET closed_on = p_last, version = version + 1, updated_at = now()
   WHERE id = p_id;
  UPDATE province_members SET valid_until = p_last
   WHERE member_id = p_id AND valid_from <= p_last
     AND (valid_until IS NULL OR valid_until > p_last);
  UPDATE users SET disabled = true, version = version + 1, updated_at = now()
   WHERE organization_id = p_id AND NOT disabled;
  UPDATE clients SET revoked_at = now(), version = version + 1
   WHERE organization_id = p_id AND revoked_at IS NULL;
END $$;

-- The agency closed on f->>'closed_on' (f: closed_on, decision): only once
-- nobody works there any more (a merger carries people on).
CREATE OR REPLACE FUNCTION org_close(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  o organizations;
  n organizations;
  v_on date := (f->>'closed_on')::date;
  v_open integer;
BEGIN
  SELECT * INTO o FROM organizations x WHERE x.id = p_id AND x.kind = 'agency'
     AND org_of_province(p_org, x.id) FOR UPDATE;
  IF NOT FOUND THEN
    RETURN write_not_found();
  ELSIF o.version <> p_version THEN
    RETURN write_stale(o.version);
  ELSIF o.closed_on IS NOT NULL THEN
    RETURN write_refused('organization-closed', jsonb_build_object('closed_on', o.closed_on));
  END IF;
  SELECT count(*) INTO v_open FROM staff s
   WHERE s.organization_id = p_id AND (s.left_on IS NULL OR s.left_on > v_on);
  IF v_open > 0 THEN
    RETURN write_refused('organization-has-staff', jsonb_build_object('count', v_open::text));
  END IF;
  PERFORM org_end(p_id, v_on);
  SELECT * INTO n FROM organizations WHERE id = p_id;
  PERFORM org_change_record(p_id, 'close', v_on, f->>'decision', org_json(o), org_json(n),
                            p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'organization.close', 'organization',
                       p_id::text, org_json(o), org_json(n), p_req);
  RETURN write_ok(org_json(n)::text, n.version, n.id);
END $$;

-- Copies the open units of predecessor p_pred into successors: each unit
-- goes where its nearest assigned ancestor goes (p_assign: unit id →
-- successor id), else to p_default; under a new root unit named after the
-- predecessor in each successor that receives any.  Fills succ_units
-- (pred unit → new unit, successor).
CREATE OR REPLACE FUNCTION org_copy_units(p_pred bigint, p_default bigint, p_assign jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  u units;
  p organizations;
  v_succ bigint;
  v_parent bigint;
  v_root bigint;
  v_new bigint;
BEGIN
  SELECT * INTO p FROM organizations WHERE id = p_pred;
  FOR u IN SELECT * FROM units x WHERE x.organization_id = p_pred AND x.closed_on IS NULL
            ORDER BY cardinality(x.path), x.id LOOP
    v_succ := coalesce((p_assign->>u.id::text)::bigint,
                       (SELECT m.successor_id FROM succ_units m WHERE m.pred_unit = u.parent_id),
                       p_default);
    v_parent := (SELECT m.new_unit FROM succ_units m
                  WHERE m.pred_unit = u.parent_id AND m.successor_id = v_succ);
    IF v_parent IS NULL THEN
      SELECT r.new_unit INTO v_root FROM succ_roots r WHERE r.successor_id = v_succ;
      IF v_root IS NULL THEN
        INSERT INTO units (organization_id, code, name, kind)
        VALUES (v_succ, left(p.code, 40), p.name, 'other') RETURNING id INTO v_root;
        INSERT INTO succ_roots VALUES (v_succ, v_root);
      END IF;
      v_parent := v_root;
    END IF;
    INSERT INTO units (organization_id, parent_id, code, name, kind, tdkt_body)
    VALUES (v_succ, v_parent, left(p.code || '.' || u.code, 40), u.name, u.kind, u.tdkt_body)
    RETURNING id INTO v_new;
    INSERT INTO succ_units VALUES (u.id, v_new, v_succ);
  END LOOP;
END $$;

-- A merger or a split of the province's agencies on f->>'effective_on'
-- (f: kind 'merge' | 'split', effective_on, decision, predecessor_ids,
-- successor_ids or successor {code, name, short_name} for a new one, and
-- for a split units [{unit_id, successor_id}]).  The predecessors close
-- the day before; their open units and the people working there on the
-- day carry on in the successors, each person a new record linked to the
-- old one; the old records end the day before.
CREATE OR REPLACE FUNCTION org_merge(p_org bigint, p_atype text, p_aid text, p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  v_on date := (f->>'effective_on')::date;
  v_kind text := f->>'kind';
  v_preds bigint[] := ARRAY(SELECT (e #>> '{}')::bigint
                              FROM jsonb_array_elements(coalesce(f->'predecessor_ids', '[]')) e);
  v_succs bigint[] := ARRAY(SELECT (e #>> '{}')::bigint
                              FROM jsonb_array_elements(coalesce(f->'successor_ids', '[]')) e);
  v_assign jsonb := '{}';
  v_by text := p_atype || ':' || p_aid;
  o organizations;
  who record;
  i integer;
  v_id bigint;
  v_new bigint;
BEGIN
  IF (SELECT kind FROM organizations WHERE id = p_org) <> 'province' THEN
    RETURN write_refused('organization-province-only');
  END IF;
  -- everything is checked before anything is written: a write answers
  -- in its own statement, and a refusal must leave nothing behind
  IF f ? 'successor' THEN
    v_succs := ARRAY[NULL::bigint];
  END IF;
  IF cardinality(v_preds) = 0 THEN
    RETURN write_invalid('/predecessor_ids', 'merger-no-predecessor');
  ELSIF v_kind = 'merge' AND cardinality(v_succs) <> 1 THEN
    RETURN write_invalid('/successor_ids', 'merger-one-successor');
  ELSIF v_kind = 'split' AND (cardinality(v_preds) <> 1 OR cardinality(v_succs) < 2) THEN
    RETURN write_invalid('/successor_ids', 'split-successors');
  END IF;
  -- every body an open agency of this province on the day (before it)
  FOR i IN 1 .. cardinality(v_preds) LOOP
    IF NOT org_member_on(p_org, v_preds[i], v_on - 1)
       OR EXISTS (SELECT 1 FROM organizations x WHERE x.id = v_preds[i]
                     AND x.closed_on IS NOT NULL) THEN
      RETURN write_invalid('/predecessor_ids/' || (i - 1), 'merger-not-member');
    ELSIF v_preds[i] = ANY (v_succs) THEN
      RETURN write_invalid('/predecessor_ids/' || (i - 1), 'merger-self');
    END IF;
  END LOOP;
  FOR i IN 1 .. cardinality(v_succs) LOOP
    IF v_succs[i] IS NOT NULL AND NOT org_member_on(p_org, v_succs[i], v_on) THEN
      RETURN write_invalid('/successor_ids/' || (i - 1), 'merger-not-member');
    END IF;
  END LOOP;
  -- a split's units: each a unit of the predecessor, each to one of the successors
  FOR i IN 0 .. coalesce(jsonb_array_length(f->'units'), 0) - 1 LOOP
    IF NOT EXISTS (SELECT 1 FROM units x WHERE x.organization_id = v_preds[1]
                      AND x.id = (f->'units'->i->>'unit_id')::bigint)
       OR NOT (f->'units'->i->>'successor_id')::bigint = ANY (v_succs) THEN
      RETURN write_invalid('/units/' || i, 'split-unit');
    END IF;
    v_assign := v_assign || jsonb_build_object(f->'units'->i->>'unit_id',
                                               (f->'units'->i->>'successor_id')::bigint);
  END LOOP;

  IF f ? 'successor' THEN
    INSERT INTO organizations (code, name, short_name, kind)
    VALUES (btrim(f#>>'{successor,code}'), normalize(btrim(f#>>'{successor,name}'), NFC),
            normalize(nullif(btrim(f#>>'{successor,short_name}'), ''), NFC), 'agency')
    RETURNING * INTO o;
    INSERT INTO province_members (province_id, member_id, valid_from) VALUES (p_org, o.id, v_on);
    PERFORM org_change_record(o.id, 'create', v_on, f->>'decision', NULL, org_json(o), v_by);
    v_succs := ARRAY[o.id];
  END IF;
  CREATE TEMP TABLE IF NOT EXISTS succ_units (pred_unit bigint, new_unit bigint,
                                              successor_id bigint) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS succ_roots (successor_id bigint, new_unit bigint)
    ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS succ_people (pred_org bigint, pred_staff bigint,
                                               org bigint, staff bigint) ON COMMIT DROP;
  FOREACH v_id IN ARRAY v_preds LOOP
    DELETE FROM succ_units;
    DELETE FROM succ_roots;
    PERFORM org_copy_units(v_id, v_succs[1], v_assign);
    -- the people working there on the day, in their unit's copy
    FOR who IN SELECT x.*, m.new_unit, m.successor_id FROM staff x
               JOIN succ_units m ON m.pred_unit = x.unit_id
              WHERE x.organization_id = v_id AND (x.left_on IS NULL OR x.left_on >= v_on)
              ORDER BY x.id LOOP
      INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth, position,
                         employment_type, start_date, status, leave_from, leave_until,
                         leave_kind, code, recipient_category, tdkt_since, training_level)
      VALUES (who.successor_id, who.new_unit, who.full_name, who.gender, who.date_of_birth, who.position,
              who.employment_type, who.start_date, who.status, who.leave_from, who.leave_until,
              who.leave_kind,
              CASE WHEN NOT EXISTS (SELECT 1 FROM staff y WHERE y.organization_id = who.successor_id
                                       AND y.code = who.code) THEN who.code END,
              who.recipient_category, who.tdkt_since, who.training_level)
      RETURNING id INTO v_new;
      INSERT INTO succ_people VALUES (v_id, who.id, who.successor_id, v_new);
    END LOOP;
    UPDATE staff s SET status = 'left', left_on = greatest(v_on - 1, s.start_date),
                       version = s.version + 1, updated_at = now()
     WHERE s.organization_id = v_id AND s.id IN (SELECT pred_staff FROM succ_people
                                                   WHERE pred_org = v_id);
    PERFORM org_end(v_id, v_on - 1);
    INSERT INTO organization_successions (predecessor_id, successor_id, kind, effective_on,
                                          decision)
    SELECT v_id, s, v_kind, v_on, btrim(f->>'decision') FROM unnest(v_succs) s;
    SELECT * INTO o FROM organizations WHERE id = v_id;
    PERFORM org_change_record(v_id, v_kind, v_on, f->>'decision', NULL, org_json(o), v_by);
    PERFORM audit_append(v_id, p_atype, p_aid, 'organization.' || v_kind, 'organization',
                         v_id::text, NULL, org_json(o), p_req);
  END LOOP;
  INSERT INTO staff_links (organization_id, staff_id, predecessor_org_id, predecessor_staff_id,
                           effective_on)
  SELECT org, staff, pred_org, pred_staff, v_on FROM succ_people;
  -- the successors' people carry their old facts
  PERFORM staff_facts_refresh(array_agg(org), array_agg(staff)) FROM succ_people;
  FOREACH v_id IN ARRAY v_succs LOOP
    SELECT * INTO o FROM organizations WHERE id = v_id;
    PERFORM org_change_record(v_id, v_kind, v_on, f->>'decision', NULL, org_json(o), v_by);
    PERFORM audit_append(v_id, p_atype, p_aid, 'organization.' || v_kind, 'organization',
                         v_id::text, NULL, org_json(o), p_req);
  END LOOP;
  PERFORM audit_append(p_org, p_atype, p_aid, 'organization.' || v_kind, 'organization',
                       v_succs[1]::text, NULL,
                       jsonb_build_object('predecessor_ids', to_jsonb(v_preds),
                                          'successor_ids', to_jsonb(v_succs),
                                          'effective_on', v_on,
                                          'people', (SELECT count(*) FROM succ_people)),
                       p_req);
  DROP TABLE succ_units, succ_roots, succ_people;
  RETURN write_ok(jsonb_build_object(
    'kind', v_kind, 'effective_on', v_on, 'decision', btrim(f->>'decision'),
    'predecessors', (SELECT jsonb_agg(org_json(x) ORDER BY x.id) FROM organizations x
                      WHERE x.id = ANY (v_preds)),
    'successors', (SELECT jsonb_agg(org_json(x) ORDER BY x.id) FROM organizations x
                    WHERE x.id = ANY (v_succs)))::text, NULL, v_succs[1]);
END $$;
