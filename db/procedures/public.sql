-- public.sql — the agency's published documents (migration 0028): written
-- by triggers when a document is published, read by /public/v1.

-- "Về việc tặng ..." → "về việc tặng ...": a title following "ngày d/m/y".
CREATE OR REPLACE FUNCTION public_lower_first(p text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN lower(left(p, 1)) || substr(p, 2);

-- A signed decision as the website lists it: its number, date and title,
-- and how many it commends (persons, collectives, households).
CREATE OR REPLACE FUNCTION public_item_put_decision(d decisions) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  n_staff integer;
  n_units integer;
  n_homes integer;
  num text := document_number_text(d.number, d.symbol);
  day text := to_char(d.decided_on, 'DD/MM/YYYY');
BEGIN
  SELECT count(*) FILTER (WHERE subject_kind = 'staff'), count(*) FILTER (WHERE subject_kind = 'unit'),
         count(*) FILTER (WHERE subject_kind = 'household')
    INTO n_staff, n_units, n_homes FROM decision_items WHERE decision_id = d.id;
  INSERT INTO public_items (organization_id, id, kind, ref_id, title_vi, title_en, summary_vi,
                            summary_en, published)
  VALUES (d.organization_id, 'decision-' || d.id, 'decision', d.id,
          'Quyết định số ' || num || ' ngày ' || day || ' ' || public_lower_first(d.title),
          'Decision No. ' || num || ' of ' || day || ': ' || d.title,
          'Khen thưởng ' || concat_ws(', ', CASE WHEN n_staff > 0 THEN n_staff || ' cá nhân' END,
                                      CASE WHEN n_units > 0 THEN n_units || ' tập thể' END,
                                      CASE WHEN n_homes > 0 THEN n_homes || ' hộ gia đình' END)
            || '.',
          'Commends ' || concat_ws(', ',
            CASE WHEN n_staff > 0 THEN n_staff || CASE n_staff WHEN 1 THEN ' individual'
                                                 ELSE ' individuals' END END,
            CASE WHEN n_units > 0 THEN n_units || CASE n_units WHEN 1 THEN ' collective'
                                                 ELSE ' collectives' END END,
            CASE WHEN n_homes > 0 THEN n_homes || CASE n_homes WHEN 1 THEN ' household'
                                                 ELSE ' households' END END) || '.',
          d.decided_on)
  ON CONFLICT (organization_id, id) DO NOTHING;
END $$;

-- An issued plan: its number, date, title and period.
CREATE OR REPLACE FUNCTION public_item_put_plan(p plans) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  num text := p.number || '/' || p.symbol;
  day text := to_char(p.issued_on, 'DD/MM/YYYY');
  span_vi text := 'Thực hiện từ ' || to_char(p.period_start, 'DD/MM/YYYY') || ' đến '
                  || to_char(p.period_end, 'DD/MM/YYYY') || '.';
  span_en text := 'In force from ' || to_char(p.period_start, 'DD/MM/YYYY') || ' to '
                  || to_char(p.period_end, 'DD/MM/YYYY') || '.';
BEGIN
  INSERT INTO public_items (organization_id, id, kind, ref_id, title_vi, title_en, summary_vi,
                            summary_en, published)
  VALUES (p.organization_id, 'plan-' || p.id, 'plan', p.id,
          -- "Kế hoạch triển khai …" → "Kế hoạch số 125/KH-BQLKKT ngày 05/10/2022 triển khai …"
          CASE WHEN p.title ~ '^[Kk]ế hoạch '
               THEN 'Kế hoạch số ' || num || ' ngày ' || day || ' ' || substr(p.title, 10)
               ELSE 'Kế hoạch số ' || num || ' ngày ' || day || ': ' || p.title END,
          'Plan No. ' || num || ' of ' || day || ': ' || p.title, span_vi, span_en, p.issued_on)
  ON CONFLICT (organization_id, id) DO UPDATE
    SET title_vi = EXCLUDED.title_vi, title_en = EXCLUDED.title_en,
        summary_vi = EXCLUDED.summary_vi, summary_en = EXCLUDED.summary_en,
        published = EXCLUDED.published, updated = now();
END $$;

CREATE OR REPLACE FUNCTION public_items_publish() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'decisions' AND NEW.status = 'signed' THEN
    PERFORM public_item_put_decision(NEW);
  ELSIF TG_TABLE_NAME = 'plans' AND NEW.status = 'issued'
        AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'issued') THEN
    PERFORM public_item_put_plan(NEW);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER decisions_publish AFTER UPDATE OF status ON decisions
  FOR EACH ROW WHEN (NEW.status = 'signed' AND OLD.status <> 'signed')
  EXECUTE FUNCTION public_items_publish();
CREATE OR REPLACE TRIGGER plans_publish AFTER INSERT OR UPDATE OF status ON plans
  FOR EACH ROW WHEN (NEW.status = 'issued')
  EXECUTE FUNCTION public_items_publish();

-- What was published before these triggers existed (and the demo's seeds
-- loaded before them): once, idempotent.
SELECT public_item_put_decision(d) FROM decisions d
 WHERE d.status = 'signed'
   AND NOT EXISTS (SELECT 1 FROM public_items i WHERE i.organization_id = d.organization_id
                                                  AND i.id = 'decision-' || d.id);
SELECT public_item_put_plan(p) FROM plans p
 WHERE p.status IN ('issued', 'superseded', 'closed') AND p.issued_on IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM public_items i WHERE i.organization_id = p.organization_id
                                                  AND i.id = 'plan-' || p.id);

-- The news of an organisation (by its code) in the caller's language: a
-- page of at most p_limit items, newest first, after the cursor (published
-- day and id of the last item seen), of a year and a kind when asked.
-- NULL when no organisation has the code.
CREATE OR REPLACE FUNCTION public_news(p_code text, p_lang text, p_limit integer,
  p_after_day date, p_after_id text, p_year integer, p_kind text)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
  o organizations;
BEGIN
  SELECT * INTO o FROM organizations WHERE code = p_code;
  IF o.id IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN (
    WITH page AS (
      SELECT i.* FROM public_items i
       WHERE i.organization_id = o.id
         AND (p_after_day IS NULL OR (i.published, i.id) < (p_after_day, p_after_id))
         AND (p_year IS NULL OR i.published BETWEEN make_date(p_year, 1, 1)
                                                AND make_date(p_year, 12, 31))
         AND (p_kind IS NULL OR i.kind = p_kind)
       ORDER BY i.published DESC, i.id DESC LIMIT p_limit + 1),
    shown AS (SELECT * FROM page ORDER BY published DESC, id DESC LIMIT p_limit)
    SELECT jsonb_build_object(
      'organization', jsonb_build_object('code', o.code, 'name', o.name),
      'updated', (SELECT max(i.updated) FROM public_items i WHERE i.organization_id = o.id),
      'items', coalesce((SELECT jsonb_agg(jsonb_build_object(
                 'id', s.id, 'kind', s.kind,
                 'title', CASE p_lang WHEN 'en' THEN s.title_en ELSE s.title_vi END,
                 'summary', CASE p_lang WHEN 'en' THEN s.summary_en ELSE s.summary_vi END,
                 'published', s.published, 'updated', s.updated,
                 'path', '/public/v1/' || o.code || '/' || s.kind || 's/' || s.ref_id)
                 ORDER BY s.published DESC, s.id DESC) FROM shown s), '[]'),
      'next_cursor', CASE WHEN (SELECT count(*) FROM page) > p_limit
                          THEN (SELECT s.published || '.' || s.id FROM shown s
                                 ORDER BY s.published, s.id LIMIT 1) END));
END $$;

-- A signed decision of an organisation (by its code) as it was published:
-- what the decision itself says of each award (name, position, unit,
-- award, achievement), never a draft, an id of a person or an amount.
CREATE OR REPLACE FUNCTION public_decision(p_code text, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', 'decision-' || d.id, 'organization', jsonb_build_object('code', o.code, 'name', o.name),
    'number', document_number_text(d.number, d.symbol), 'decided_on', d.decided_on,
    'place', d.place, 'title', d.title, 'signer_name', d.signer_name,
    'signer_title', d.signer_title, 'updated', i.updated,
    'awards', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'position', x.position, 'award', k.name_vi, 'category', k.category,
                 'subject_kind', x.subject_kind,
                 'name', coalesce(s.full_name, u.name, h.name), 'position_title', s.position,
                 'unit', coalesce(su.name, u.name, h.address), 'achievement', x.achievement,
                 'revoked_on', x.revoked_on) ORDER BY x.position), '[]')
                 FROM decision_items x JOIN award_kinds k ON k.code = x.award_code
                 LEFT JOIN staff s ON s.id = x.staff_id
                 LEFT JOIN units su ON su.id = s.unit_id
                 LEFT JOIN units u ON u.id = x.unit_id
                 LEFT JOIN households h ON h.id = x.household_id
                WHERE x.decision_id = d.id))
    FROM organizations o
    JOIN decisions d ON d.organization_id = o.id AND d.id = p_id AND d.status = 'signed'
    JOIN public_items i ON i.organization_id = o.id AND i.id = 'decision-' || d.id
   WHERE o.code = p_code
$$;

-- An issued plan (also one superseded or closed since: it was published)
-- as the website shows it.
CREATE OR REPLACE FUNCTION public_plan(p_code text, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', 'plan-' || p.id, 'organization', jsonb_build_object('code', o.code, 'name', o.name),
    'number', p.number || '/' || p.symbol, 'issued_on', p.issued_on, 'place', p.place,
    'title', p.title, 'year', p.year, 'period_start', p.period_start,
    'period_end', p.period_end, 'status', p.status, 'signer_name', p.signer_name,
    'signer_position', p.signer_position, 'purposes', p.purposes,
    'general_tasks', p.general_tasks, 'contents', p.contents, 'updated', i.updated)
    FROM organizations o
    JOIN plans p ON p.organization_id = o.id AND p.id = p_id AND p.status <> 'draft'
    JOIN public_items i ON i.organization_id = o.id AND i.id = 'plan-' || p.id
   WHERE o.code = p_code
$$;
