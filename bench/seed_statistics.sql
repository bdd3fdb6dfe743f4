-- bench/seed_statistics.sql — what the statistics forms (stats_province)
-- count in the province of the eligibility data, loaded after
-- seed_eligibility.sql -v province=1:
--
--   psql -f bench/seed_statistics.sql
--
-- For each of the 100 organisations BENCH-ELIG-P001 ... P100 (1,000 staff
-- each): everyone's recipient category, two people doing TĐKT work (with
-- their training), six movements of 2024 (of every level, scope and
-- duration, two of them the province's that every organisation records),
-- and 110 awards from the province and the State decided in the 2024
-- period (01/12/2023-30/11/2024), of every kind and method; and the
-- province's two TĐKT bodies.  With the staff titles the eligibility data
-- already holds (80,000 of them decided on 28/12/2023, within the period,
-- on no form), a read counts some 11,000 awards, 600 movements and 200
-- people.  Fixed functions of the ids; idempotent: an organisation that
-- has its movements is left alone.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE FUNCTION pg_temp.bench_statistics(org bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM movements WHERE organization_id = org
               AND name LIKE 'Đo hiệu năng: phong trào%') THEN
    RETURN;
  END IF;
  -- one person in 17 is left without a category: the forms show the gap
  UPDATE staff s SET recipient_category = (ARRAY['ministry_province_leader', 'department_leader',
           'other_leader', 'businessperson', 'direct_worker'])[1 + s.id % 5]
   WHERE s.organization_id = org AND s.id % 17 <> 3;
  UPDATE staff s SET tdkt_since = make_date((2005 + s.id % 15)::integer, 3, 1),
                     training_level = (ARRAY['college', 'university', 'postgraduate'])[1 + s.id % 3],
                     date_of_birth = make_date((1960 + s.id % 25)::integer, 6, 1)
   WHERE s.id IN (SELECT id FROM staff WHERE organization_id = org ORDER BY id LIMIT 2);
  INSERT INTO movements (organization_id, name, kind, starts_on, ends_on, launch_level, scope)
  VALUES
    (org, 'Đo hiệu năng: phong trào thường xuyên 2024', 'regular', '2024-01-01', '2024-12-31',
     'agency', 'agency'),
    (org, 'Đo hiệu năng: phong trào chuyên đề quý II', 'thematic', '2024-04-01', '2024-06-30',
     'agency', 'agency'),
    (org, 'Đo hiệu năng: phong trào khối 2024-2026', 'regular', '2024-02-01', '2026-12-31',
     'agency', 'bloc'),
    (org, 'Đo hiệu năng: phong trào 5 năm', 'regular', '2024-01-01', '2028-12-31', 'agency',
     'agency'),
    (org, 'Đo hiệu năng: phong trào của tỉnh', 'thematic', '2024-03-01', '2024-09-30',
     'ministry_province', 'sector_locality'),
    (org, 'Đo hiệu năng: phong trào toàn quốc', 'regular', '2024-01-15', '2025-01-14',
     'central', 'national');
  INSERT INTO awards (organization_id, award_code, subject_kind, staff_id, year, adhoc, method,
                      decision_number, decision_date)
  SELECT org, (ARRAY['bang_khen_tinh', 'chien_si_thi_dua_cap_tinh', 'ky_niem_chuong_tinh',
                     'bang_khen_thu_tuong', 'huan_chuong_lao_dong_hang_ba',
                     'chien_si_thi_dua_toan_quoc'])[1 + (k.n / 10) % 6],
         'staff', k.id, 2024, false,
         (ARRAY['regular', 'thematic', 'adhoc', 'foreign', 'contribution', 'seniority',
                'resistance'])[1 + (k.n / 10) % 7],
         k.n || '/QĐ-UBND', DATE '2023-12-01' + ((k.n * 7) % 365)::integer
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff
           WHERE organization_id = org) k
   WHERE k.n % 10 = 0;
  INSERT INTO awards (organization_id, award_code, subject_kind, unit_id, year, adhoc,
                      decision_number, decision_date)
  SELECT org, (ARRAY['bang_khen_tinh', 'co_thi_dua_cap_tinh', 'bang_khen_thu_tuong',
                     'co_thi_dua_chinh_phu'])[1 + u.n % 4],
         'unit', u.id, 2024, u.n % 3 = 0, 'T' || u.n || '/QĐ-UBND', DATE '2024-01-20' + (u.n * 20)::integer
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM units
           WHERE organization_id = org AND code LIKE 'U%') u;
END $$;

SELECT pg_temp.bench_statistics(o.id) FROM organizations o
 WHERE o.code LIKE 'BENCH-ELIG-P%' ORDER BY o.id;
INSERT INTO units (organization_id, code, name, kind, tdkt_body)
SELECT id, v.code, v.name, 'department', v.body
  FROM organizations,
       (VALUES ('BTDKT', 'Ban Thi đua – Khen thưởng', 'home_affairs_board'),
               ('PTDKT', 'Phòng Thi đua', 'home_affairs_division')) AS v (code, name, body)
 WHERE organizations.code = 'BENCH-PROVINCE'
ON CONFLICT (organization_id, code) DO NOTHING;
COMMIT;
ANALYZE staff, movements, awards, units;
