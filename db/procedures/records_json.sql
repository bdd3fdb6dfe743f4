-- records_json.sql — the JSON documents of legal documents, movements and
-- sessions (with their attendance) as the API answers them.

CREATE OR REPLACE FUNCTION document_json(d documents) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', d.id, 'code', d.code, 'title', d.title, 'issuer', d.issuer,
  'issued_on', d.issued_on, 'created_at', d.created_at);

CREATE OR REPLACE FUNCTION movement_json(m movements) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', m.id, 'plan_id', m.plan_id, 'name', m.name, 'kind', m.kind,
  'starts_on', m.starts_on, 'ends_on', m.ends_on, 'owner_unit_id', m.owner_unit_id,
  'description', m.description, 'launch_level', m.launch_level, 'scope', m.scope,
  'version', m.version, 'created_at', m.created_at);

CREATE OR REPLACE FUNCTION session_json(x sessions, p_units bigint[], p_staff bigint) RETURNS json
LANGUAGE sql STABLE
RETURN json_build_object('id', x.id, 'plan_id', x.plan_id, 'kind', x.kind,
  'held_on', x.held_on, 'topic', x.topic, 'location', x.location, 'unit_id', x.unit_id,
  'makeup_of', x.makeup_of, 'document_ids', to_json(x.document_ids),
  'attendance', (SELECT coalesce(json_agg(json_build_object('staff_id', a.staff_id,
                   'full_name', s.full_name, 'status', a.status,
                   'informed_on', a.informed_on, 'note', a.note)
                   ORDER BY s.given_name COLLATE "vi-VN-x-icu",
                            s.full_name COLLATE "vi-VN-x-icu", s.id), '[]'::json)
                   FROM session_attendance a
                   JOIN staff s ON s.organization_id = a.organization_id AND s.id = a.staff_id
                  WHERE a.organization_id = x.organization_id AND a.session_id = x.id
                    AND (p_units IS NULL OR s.unit_id = ANY (p_units))
                    AND (p_staff = 0 OR s.id = p_staff)),
  'created_at', x.created_at);
