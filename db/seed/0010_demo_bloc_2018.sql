-- 0010_demo_bloc_2018.sql — the bloc of economic departments of Gia Lai in
-- 2018 (issue 14 §1-2, domain.md §6): eight members, the Economic Zone
-- Board its head and the Forest Protection and Development Fund its
-- deputy; the pact signed on 16/03/2018 under the theme "Kỷ cương, hành
-- động, chung tay cùng tỉnh Gia Lai phát triển" (gialaitv.vn, 17/03/2018).
--
-- The members, the head, the deputy, the date and the theme are sourced.
-- The scoring table, the points and the ranking are NOT: Gia Lai's table
-- is not published (domain.md §6, unconfirmed), so this one is an example
-- of the shape (criteria out of 100, +10 for a flag as Ho Chi Minh City's
-- sheet gives, a penalty for late reports), and every score is invented to
-- show the ranking at work.  The other seven departments are organisations
-- of the province here with no accounts of their own.
--
-- Written through the procedures the API uses (bloc_create, bloc_year_put,
-- bloc_pact_put, bloc_table_put, bloc_score_put), each acting as the
-- organisation whose part it is, so the audit trails hold them as they
-- would.  Idempotent: nothing is done once the bloc exists.

CREATE TEMP TABLE demo_members ON COMMIT DROP AS
SELECT * FROM (VALUES
  (1, 'BQLKKT-GL', 'Ban Quản lý Khu kinh tế tỉnh Gia Lai', 90, 28, true),
  (2, 'QBVPTR-GL', 'Quỹ Bảo vệ và Phát triển rừng tỉnh Gia Lai', 84, 30, false),
  (3, 'SCT-GL', 'Sở Công Thương tỉnh Gia Lai', 86, 31, false),
  (4, 'STTTT-GL', 'Sở Thông tin và Truyền thông tỉnh Gia Lai', 80, 29, false),
  (5, 'SGTVT-GL', 'Sở Giao thông vận tải tỉnh Gia Lai', 82, 27, false),
  (6, 'SXD-GL', 'Sở Xây dựng tỉnh Gia Lai', 79, 30, false),
  (7, 'SNNPTNT-GL', 'Sở Nông nghiệp và Phát triển nông thôn tỉnh Gia Lai', 85, 29, false),
  (8, 'STNMT-GL', 'Sở Tài nguyên và Môi trường tỉnh Gia Lai', 81, 26, false)
) v(ord, code, name, c1, c2, flag);

INSERT INTO organizations (code, name, kind)
SELECT m.code, m.name, 'agency' FROM demo_members m WHERE m.ord > 1
ON CONFLICT (code) DO NOTHING;

INSERT INTO province_members (province_id, member_id, valid_from)
SELECT p.id, o.id, DATE '2015-01-01'
  FROM demo_members m JOIN organizations o ON o.code = m.code,
       organizations p
 WHERE p.code = 'TINH-GL' AND m.ord > 1
   AND NOT EXISTS (SELECT 1 FROM province_members x WHERE x.member_id = o.id);

-- the Board belonged to Gia Lai before 2020 too (0005 dates it from 2020,
-- where the province's batch reads begin)
INSERT INTO province_members (province_id, member_id, valid_from, valid_until)
SELECT p.id, o.id, DATE '2015-01-01', DATE '2019-12-31'
  FROM organizations p, organizations o
 WHERE p.code = 'TINH-GL' AND o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM province_members x WHERE x.member_id = o.id
                      AND x.valid_from < DATE '2020-01-01')
ON CONFLICT DO NOTHING;

DO $$
DECLARE
  prov bigint := (SELECT id FROM organizations WHERE code = 'TINH-GL');
  head bigint := (SELECT id FROM organizations WHERE code = 'BQLKKT-GL');
  deputy bigint := (SELECT id FROM organizations WHERE code = 'QBVPTR-GL');
  bloc bigint;
  r write_result;
  x record;
BEGIN
  IF prov IS NULL OR EXISTS (SELECT 1 FROM blocs WHERE province_id = prov AND code = 'KHOI-KT-2018')
  THEN
    RETURN;
  END IF;
  r := bloc_create(prov, 'system', 'demo-seed', 'seed-0010', jsonb_build_object(
         'code', 'KHOI-KT-2018', 'name', 'Khối thi đua các sở, ngành kinh tế tỉnh',
         'members', (SELECT jsonb_agg(jsonb_build_object('organization_id', o.id,
                                                         'valid_from', '2018-01-01')
                                      ORDER BY m.ord)
                       FROM demo_members m JOIN organizations o ON o.code = m.code)));
  IF r.outcome <> 'ok' THEN
    RAISE EXCEPTION 'demo bloc: %', r.code;
  END IF;
  bloc := r.id;
  r := bloc_year_put(prov, 'system', 'demo-seed', 'seed-0010', bloc, 2018,
                     jsonb_build_object('head_id', head, 'deputy_id', deputy));
  r := bloc_pact_put(head, 'system', 'demo-seed', 'seed-0010', bloc, 2018, jsonb_build_object(
         'theme', 'Kỷ cương, hành động, chung tay cùng tỉnh Gia Lai phát triển',
         'signed_on', '2018-03-16', 'place', 'Pleiku',
         'commitments', (SELECT jsonb_agg(jsonb_build_object(
                            'member_id', o.id,
                            'commitment', 'Thực hiện thắng lợi nhiệm vụ chính trị năm 2018; '
                                          'hưởng ứng các phong trào thi đua của tỉnh và của khối.')
                            ORDER BY m.ord)
                           FROM demo_members m JOIN organizations o ON o.code = m.code)));
  r := bloc_table_put(head, 'system', 'demo-seed', 'seed-0010', bloc, 2018, jsonb_build_object(
         'criteria', jsonb_build_array(
            jsonb_build_object('code', 'NV', 'title', 'Thực hiện nhiệm vụ chính trị được giao',
                               'max_points', 100),
            jsonb_build_object('code', 'TD', 'title', 'Tổ chức phong trào thi đua, khen thưởng',
                               'max_points', 35)),
         'adjustments', jsonb_build_array(
            jsonb_build_object('code', 'CO', 'title', 'Được tặng Cờ thi đua', 'points', 10),
            jsonb_build_object('code', 'CHAM', 'title', 'Báo cáo chậm', 'points', -2)),
         'tie_break', jsonb_build_array('NV', 'TD')));
  FOR x IN SELECT o.id, d.c1, d.c2, d.flag FROM demo_members d
             JOIN organizations o ON o.code = d.code ORDER BY d.ord LOOP
    r := bloc_score_put(x.id, 'system', 'demo-seed', 'seed-0010', bloc, 2018, x.id,
           jsonb_build_object('points', jsonb_build_object('NV', x.c1, 'TD', x.c2),
                              'claimed', CASE WHEN x.flag THEN '["CO"]'::jsonb
                                              ELSE '[]'::jsonb END,
                              'evidence', 'Báo cáo tổng kết công tác năm 2018'));
    IF r.outcome <> 'ok' THEN
      RAISE EXCEPTION 'demo bloc score: %', r.code;
    END IF;
  END LOOP;
END $$;
