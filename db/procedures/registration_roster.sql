-- registration_roster.sql — the roster of registrations of a plan, as
-- GET /v1/plans/{id}/roster answers it (JSON, or the rows of the workbook).

-- The roster (danh sách đăng ký thi đua) of submitted and accepted
-- registrations, in the order agencies send it: units in the tree's order,
-- people by Vietnamese name.  NULL when the plan is not found.
CREATE OR REPLACE FUNCTION registration_roster(p_org bigint, p_plan bigint, p_unit bigint)
RETURNS json
LANGUAGE sql STABLE
RETURN (SELECT json_build_object(
  'plan', json_build_object('id', p.id, 'number', p.number, 'symbol', p.symbol,
                            'title', p.title, 'year', p.year, 'status', p.status),
  'organization', (SELECT json_build_object('name', o.name) FROM organizations o
                    WHERE o.id = p_org),
  'collectives', (SELECT coalesce(json_agg(json_build_object('stt', x.n, 'unit_id', x.unit_id,
                     'unit_name', x.name, 'titles', to_json(x.collective_titles),
                     'title_names', (SELECT coalesce(json_agg(k.name_vi ORDER BY k.rank), '[]')
                                       FROM title_kinds k WHERE k.code = ANY (x.collective_titles)),
                     'commitments', x.commitments, 'status', x.status) ORDER BY x.n), '[]')
                    FROM (SELECT g.*, u.name, row_number() OVER (ORDER BY u.path) AS n
                            FROM registrations g
                            JOIN units u ON u.organization_id = g.organization_id
                                        AND u.id = g.unit_id
                           WHERE g.organization_id = p_org AND g.plan_id = p.id
                             AND g.status IN ('submitted', 'accepted')
                             AND (p_unit = 0 OR p_unit = ANY (u.path))) x),
  'individuals', (SELECT coalesce(json_agg(json_build_object('stt', y.n, 'staff_id', y.staff_id,
                     'full_name', y.full_name, 'position', y.position, 'unit_name', y.unit_name,
                     'title_code', y.title_code, 'title_name', y.name_vi,
                     'commitment', y.commitment, 'status', y.status) ORDER BY y.n), '[]')
                    FROM (SELECT e.staff_id, e.title_code, e.commitment, s.full_name, s.position,
                                 su.name AS unit_name, k.name_vi, g.status,
                                 row_number() OVER (ORDER BY s.given_name COLLATE "vi-VN-x-icu",
                                   s.full_name COLLATE "vi-VN-x-icu", s.id) AS n
                            FROM registrations g
                            JOIN units u ON u.organization_id = g.organization_id
                                        AND u.id = g.unit_id
                            JOIN registration_entries e ON e.organization_id = g.organization_id
                                                       AND e.registration_id = g.id
                            JOIN staff s ON s.organization_id = e.organization_id
                                        AND s.id = e.staff_id
                            JOIN units su ON su.organization_id = s.organization_id
                                         AND su.id = s.unit_id
                            JOIN title_kinds k ON k.code = e.title_code
                           WHERE g.organization_id = p_org AND g.plan_id = p.id
                             AND g.status IN ('submitted', 'accepted')
                             AND (p_unit = 0 OR p_unit = ANY (u.path))) y),
  'totals', (SELECT coalesce(json_object_agg(t.code, t.n), '{}')
               FROM (SELECT c.code, count(*) AS n
                       FROM registrations g
                       JOIN units u ON u.organization_id = g.organization_id AND u.id = g.unit_id
                       CROSS JOIN LATERAL (
                         SELECT unnest(g.collective_titles) AS code
                         UNION ALL
                         SELECT e.title_code FROM registration_entries e
                          WHERE e.organization_id = g.organization_id
                            AND e.registration_id = g.id) c
                      WHERE g.organization_id = p_org AND g.plan_id = p.id
                        AND g.status IN ('submitted', 'accepted')
                        AND (p_unit = 0 OR p_unit = ANY (u.path))
                      GROUP BY c.code) t))
  FROM plans p WHERE p.organization_id = p_org AND p.id = p_plan);
