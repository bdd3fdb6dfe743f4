-- exemplars.sql — advanced exemplars (migration 0029): recorded by the
-- Office, published with consent into the public news (public_items).

CREATE OR REPLACE FUNCTION exemplar_json(e exemplars) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', e.id, 'subject_kind', e.subject_kind, 'staff_id', e.staff_id, 'unit_id', e.unit_id,
    'household_id', e.household_id,
    'name', coalesce(s.full_name, u.name, h.name),
    'unit', coalesce(su.name, u.name, h.address),
    'movement_id', e.movement_id, 'plan_id', e.plan_id, 'title', e.title, 'story', e.story,
    'decision_id', e.decision_id,
    'decision', coalesce(CASE WHEN d.number IS NOT NULL
                              THEN document_number_text(d.number, d.symbol) END,
                         nullif(e.decision_reference, '')),
    'consent_on', e.consent_on, 'status', e.status, 'published_on', e.published_on,
    'attachments', record_files_json('exemplar', e.id), 'created_by', e.created_by,
    'created_at', e.created_at, 'updated_at', e.updated_at,
    'version', e.version)
    FROM (SELECT 1) one
    LEFT JOIN staff s ON s.id = e.staff_id
    LEFT JOIN units su ON su.id = s.unit_id
    LEFT JOIN units u ON u.id = e.unit_id
    LEFT JOIN households h ON h.id = e.household_id
    LEFT JOIN decisions d ON d.id = e.decision_id
$$;

-- A page of the organisation's exemplars, newest first, after the id
-- p_after (0: from the start).
CREATE OR REPLACE FUNCTION exemplars_page(p_org bigint, p_after bigint, p_limit integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  WITH page AS (
    SELECT e.* FROM exemplars e
     WHERE e.organization_id = p_org AND (p_after = 0 OR e.id < p_after)
     ORDER BY e.id DESC LIMIT p_limit + 1),
  shown AS (SELECT * FROM page ORDER BY id DESC LIMIT p_limit)
  SELECT jsonb_build_object(
    'items', coalesce((SELECT jsonb_agg(exemplar_json(s) ORDER BY s.id DESC) FROM shown s),
                      '[]'),
    'next_cursor', CASE WHEN (SELECT count(*) FROM page) > p_limit
                        THEN (SELECT min(s.id)::text FROM shown s) END)
$$;

-- Records an exemplar (f: subject_kind and its id, movement_id, plan_id,
-- title, story, decision_id or decision_reference, consent_on).  The
-- foreign keys, which include the organisation, refuse another's rows.
CREATE OR REPLACE FUNCTION exemplar_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  e exemplars;
BEGIN
  INSERT INTO exemplars (organization_id, subject_kind, staff_id, unit_id, household_id,
                         movement_id, plan_id, title, story, decision_id, decision_reference,
                         consent_on, created_by)
  VALUES (p_org, f->>'subject_kind', (f->>'staff_id')::bigint, (f->>'unit_id')::bigint,
          (f->>'household_id')::bigint, (f->>'movement_id')::bigint, (f->>'plan_id')::bigint,
          normalize(btrim(f->>'title'), NFC), normalize(btrim(f->>'story'), NFC),
          (f->>'decision_id')::bigint,
          normalize(btrim(coalesce(f->>'decision_reference', '')), NFC),
          (f->>'consent_on')::date, p_atype || ':' || p_aid)
  RETURNING * INTO e;
  PERFORM audit_append(p_org, p_atype, p_aid, 'exemplar.create', 'exemplar', e.id::text, NULL,
                       exemplar_json(e), p_req);
  RETURN write_ok(exemplar_json(e)::text, e.version, e.id);
END $$;

-- The story's opening, for a list: at most 280 characters, cut at a space.
CREATE OR REPLACE FUNCTION exemplar_summary(p_story text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN length(p_story) <= 280 THEN p_story
            ELSE regexp_replace(left(p_story, 280), '\s+\S*$', '') || '…' END;

-- Publishes an exemplar on p_on (f: published_on, consent_on): with the
-- consent recorded (given now or before), into the public news; or
-- withdraws it (p_step 'withdraw'): out of the news, the record kept.
CREATE OR REPLACE FUNCTION exemplar_step(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_step text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  old exemplars;
  e exemplars;
  code text := (SELECT o.code FROM organizations o WHERE o.id = p_org);
BEGIN
  SELECT * INTO old FROM exemplars WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF old.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version IS NOT NULL AND p_version <> old.version THEN
    RETURN write_stale(old.version);
  ELSIF p_step = 'publish' AND old.status = 'published' THEN
    RETURN write_refused('exemplar-state', jsonb_build_object('status', old.status));
  ELSIF p_step = 'withdraw' AND old.status <> 'published' THEN
    RETURN write_refused('exemplar-state', jsonb_build_object('status', old.status));
  ELSIF p_step = 'publish' AND coalesce((f->>'consent_on')::date, old.consent_on) IS NULL THEN
    RETURN write_invalid('/consent_on', 'exemplar-consent');
  END IF;
  IF p_step = 'publish' THEN
    UPDATE exemplars SET status = 'published',
           consent_on = coalesce((f->>'consent_on')::date, consent_on),
           published_on = (f->>'published_on')::date, updated_at = now(),
           version = version + 1
     WHERE id = p_id RETURNING * INTO e;
    INSERT INTO public_items (organization_id, id, kind, ref_id, title_vi, title_en,
                              summary_vi, summary_en, published)
    VALUES (p_org, 'exemplar-' || e.id, 'exemplar', e.id, e.title, e.title,
            exemplar_summary(e.story), exemplar_summary(e.story), e.published_on)
    ON CONFLICT (organization_id, id) DO UPDATE
      SET title_vi = EXCLUDED.title_vi, title_en = EXCLUDED.title_en,
          summary_vi = EXCLUDED.summary_vi, summary_en = EXCLUDED.summary_en,
          published = EXCLUDED.published, updated = now();
  ELSE
    UPDATE exemplars SET status = 'withdrawn', updated_at = now(), version = version + 1
     WHERE id = p_id RETURNING * INTO e;
    DELETE FROM public_items WHERE organization_id = p_org AND id = 'exemplar-' || e.id;
  END IF;
  PERFORM audit_append(p_org, p_atype, p_aid, 'exemplar.' || p_step, 'exemplar', e.id::text,
                       exemplar_json(old), exemplar_json(e), p_req);
  RETURN write_ok(exemplar_json(e)::text, e.version, e.id);
END $$;

-- A published exemplar as the website shows it: the person's or
-- collective's name and unit, the story, the decision that honoured it.
CREATE OR REPLACE FUNCTION public_exemplar(p_code text, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', 'exemplar-' || e.id, 'organization', jsonb_build_object('code', o.code, 'name', o.name),
    'title', e.title, 'story', e.story, 'subject_kind', e.subject_kind,
    'name', j->>'name', 'unit', j->'unit', 'decision', j->'decision',
    'published_on', e.published_on, 'updated', i.updated,
    'attachments', (SELECT coalesce(jsonb_agg(f || jsonb_build_object(
                      'path', '/public/v1/' || o.code || '/exemplars/' || e.id || '/attachments/'
                              || (f->>'id'))), '[]')
                      FROM jsonb_array_elements(record_files_json('exemplar', e.id)) f))
    FROM organizations o
    JOIN exemplars e ON e.organization_id = o.id AND e.id = p_id AND e.status = 'published'
    JOIN public_items i ON i.organization_id = o.id AND i.id = 'exemplar-' || e.id
   CROSS JOIN LATERAL exemplar_json(e) j
   WHERE o.code = p_code
$$;
