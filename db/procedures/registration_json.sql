-- registration_json.sql — the JSON document of a registration for
-- emulation with its entries.

-- A registration with its entries; p_staff > 0 shows only that person's
-- entry (what a staff member may see of their unit's roster).
CREATE OR REPLACE FUNCTION registration_json(g registrations, p_staff bigint) RETURNS json
LANGUAGE sql STABLE
RETURN json_build_object('id', g.id, 'plan_id', g.plan_id, 'unit_id', g.unit_id,
  'collective_titles', to_json(g.collective_titles), 'commitments', g.commitments,
  'status', g.status, 'return_reason', g.return_reason, 'submitted_at', g.submitted_at,
  'decided_at', g.decided_at,
  'entries', (SELECT coalesce(json_agg(json_build_object('staff_id', e.staff_id,
                'full_name', s.full_name, 'title_code', e.title_code,
                'commitment', e.commitment)
                ORDER BY s.given_name COLLATE "vi-VN-x-icu", s.full_name COLLATE "vi-VN-x-icu",
                         s.id), '[]'::json)
                FROM registration_entries e
                JOIN staff s ON s.organization_id = e.organization_id AND s.id = e.staff_id
               WHERE e.organization_id = g.organization_id AND e.registration_id = g.id
                 AND (p_staff = 0 OR e.staff_id = p_staff)),
  'version', g.version, 'created_at', g.created_at, 'updated_at', g.updated_at);
