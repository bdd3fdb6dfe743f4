-- households.sql — households the Office records as recipients of a
-- commendation (migration 0027).

CREATE OR REPLACE FUNCTION household_json(h households) RETURNS jsonb
LANGUAGE sql STABLE
RETURN jsonb_build_object('id', h.id, 'name', h.name, 'address', h.address,
  'note', h.note, 'created_by', h.created_by, 'created_at', h.created_at,
  'updated_at', h.updated_at, 'version', h.version);

-- A page of the organisation's households, newest first, after the
-- cursor p_after (an id; 0: from the start).
CREATE OR REPLACE FUNCTION households_page(p_org bigint, p_after bigint, p_limit integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  WITH page AS (
    SELECT h.* FROM households h
     WHERE h.organization_id = p_org AND (p_after = 0 OR h.id < p_after)
     ORDER BY h.id DESC LIMIT p_limit + 1),
  shown AS (SELECT * FROM page ORDER BY id DESC LIMIT p_limit)
  SELECT jsonb_build_object(
    'items', coalesce((SELECT jsonb_agg(household_json(s) ORDER BY s.id DESC) FROM shown s),
                      '[]'),
    'next_cursor', CASE WHEN (SELECT count(*) FROM page) > p_limit
                        THEN (SELECT min(s.id)::text FROM shown s) END)
$$;

-- Records a household (f: name, address, note), names in NFC.
CREATE OR REPLACE FUNCTION household_create(p_org bigint, p_atype text, p_aid text,
  p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  h households;
BEGIN
  INSERT INTO households (organization_id, name, address, note, created_by)
  VALUES (p_org, normalize(btrim(f->>'name'), NFC), normalize(btrim(f->>'address'), NFC),
          normalize(btrim(coalesce(f->>'note', '')), NFC), p_atype || ':' || p_aid)
  RETURNING * INTO h;
  PERFORM audit_append(p_org, p_atype, p_aid, 'household.create', 'household', h.id::text,
                       NULL, household_json(h), p_req);
  RETURN write_ok(household_json(h)::text, h.version, h.id);
END $$;
