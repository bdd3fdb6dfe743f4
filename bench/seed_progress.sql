-- bench/seed_progress.sql — the data the progress scenarios read.
--
--   psql -v hash=... -f bench/seed_progress.sql                the organisation
--   psql -v hash=... -v province=1 -f bench/seed_progress.sql  and the province
--
-- The organisation BENCH-PROGRESS: 10 units under one root, 2,000 staff and
-- a year (2022) of what its plan's targets count: an issued plan with the
-- ten targets of the demo plan (db/seed/0002), six documents, a
-- dissemination session per unit and month with attendance (90 % attended,
-- 5 % informed later, 5 % absent), a make-up session per unit, a
-- registration per unit with entries for most staff, year-end ratings and
-- titles, collective ratings, recognitions and quarterly reports.  Some
-- staff joined or left during the year or took six months of leave, so the
-- in-service and evaluated populations differ.  Plus one admin account,
-- bench.progress, whose password hash is :hash.
--
-- With province=1, 100 more organisations (BENCH-P001 ... BENCH-P100) of
-- 1,000 staff each, built the same way: 100,000 staff and about 1.2 million
-- attendance rows that the organisation's progress must not notice.
--
-- Set-based: one INSERT ... SELECT per table for all the organisations of a
-- step (the province loads in about 20 s).  Idempotent: an organisation
-- that exists is left alone.
\set ON_ERROR_STOP on
\if :{?province}
\else
\set province 0
\endif

BEGIN;

-- Organisations and their year, all at once: every statement below is
-- one INSERT ... SELECT over all the new organisations (bp).  Pseudo-random
-- choices are fixed functions of the ids, so every load builds the same
-- data.  Codes that exist already are left alone.
CREATE FUNCTION pg_temp.bench_progress(p_codes text[], p_names text[], p_staff integer,
                                       p_units integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE bp (id bigint PRIMARY KEY, name text, root bigint, plan bigint,
                        docs bigint[]) ON COMMIT DROP;
  WITH o AS (
    INSERT INTO organizations (code, name)
    SELECT v.code, v.name FROM unnest(p_codes, p_names) AS v (code, name)
     WHERE NOT EXISTS (SELECT 1 FROM organizations x WHERE x.code = v.code)
    RETURNING id, name)
  INSERT INTO bp (id, name) SELECT id, name FROM o;

  INSERT INTO units (organization_id, code, name, kind)
  SELECT bp.id, 'ROOT', 'Lãnh đạo Ban', 'leadership' FROM bp;
  UPDATE bp SET root = u.id FROM units u WHERE u.organization_id = bp.id AND u.code = 'ROOT';
  INSERT INTO units (organization_id, parent_id, code, name, kind)
  SELECT bp.id, bp.root, 'U' || u, 'Phòng số ' || u, 'department'
    FROM bp CROSS JOIN generate_series(1, p_units) u;
  ANALYZE bp, units;

  -- Staff: 2 % joined in 2022 (from March), 2 % left in 2022, 2 % on leave
  -- from February to September (not evaluated: under half the year worked).
  INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type, start_date,
                     leave_from, leave_until, left_on, status)
  SELECT bp.id, un.id,
         (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi',
                'Đỗ'])[1 + g % 12]
         || ' ' || (ARRAY['Văn','Thị','Hữu','Minh','Ngọc','Thu','Đức','Thành'])[1 + (g / 12) % 8]
         || ' ' || (ARRAY['An','Bình','Cường','Dũng','Đạt','Giang','Hà','Hải','Hạnh','Hùng',
                          'Khánh','Lan','Linh','Mai','Nam','Ngân','Oanh','Phúc','Quân','Sơn',
                          'Thảo','Trang','Tuấn','Việt','Yến'])[1 + (g / 96) % 25],
         CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, 'civil_servant',
         CASE WHEN g % 50 = 7 THEN DATE '2022-03-01' + g % 180 ELSE DATE '2015-01-01' END,
         CASE WHEN g % 50 = 13 THEN DATE '2022-02-01' END,
         CASE WHEN g % 50 = 13 THEN DATE '2022-09-30' END,
         CASE WHEN g % 50 = 11 THEN DATE '2022-04-01' + g % 200 END,
         CASE WHEN g % 50 = 11 THEN 'left' ELSE 'active' END
    FROM bp CROSS JOIN generate_series(1, p_staff) g
    JOIN units un ON un.organization_id = bp.id AND un.code = 'U' || (1 + g % p_units);

  INSERT INTO documents (organization_id, code, title, issuer, issued_on)
  SELECT bp.id, v.code, v.title, v.issuer, v.issued_on::date
    FROM bp CROSS JOIN (VALUES
      ('01-KL/TW', 'Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW', 'Bộ Chính trị',
       '2021-05-18'),
      ('21-KL/TW', 'Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị',
       'Ban Chấp hành Trung ương Đảng', '2021-10-25'),
      ('34-CT/TW', 'Chỉ thị về tiếp tục đổi mới công tác thi đua, khen thưởng',
       'Bộ Chính trị', '2014-04-07'),
      ('15/2003/QH11', 'Luật Thi đua, Khen thưởng', 'Quốc hội', '2003-11-26'),
      ('91/2017/NĐ-CP', 'Nghị định quy định chi tiết thi hành một số điều của Luật Thi đua, '
       'khen thưởng', 'Chính phủ', '2017-07-31'),
      ('12/2019/TT-BNV', 'Thông tư quy định chi tiết thi hành một số điều của Nghị định số '
       '91/2017/NĐ-CP', 'Bộ Nội vụ', '2019-01-04')) AS v (code, title, issuer, issued_on);
  UPDATE bp SET docs = ARRAY(SELECT d.id FROM documents d WHERE d.organization_id = bp.id
                              ORDER BY d.id);

  -- The plan: a draft with its targets, then issued (as db/seed/0002 does).
  INSERT INTO plans (organization_id, year, number, symbol, issued_on, place, title,
                     cited_document_ids, period_start, period_end, registration_deadline)
  SELECT bp.id, 2022, '12', 'KH-BENCH', DATE '2022-01-20', 'Gia Lai',
         'Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022', bp.docs,
         DATE '2022-01-01', DATE '2022-12-31', DATE '2022-03-31'
    FROM bp;
  UPDATE bp SET plan = p.id FROM plans p WHERE p.organization_id = bp.id;
  -- The plan's counts are kept (db/procedures/target_progress.sql): its
  -- facts are loaded first and counted once, at the end, rather than
  -- recounted by the triggers at every statement below.
  PERFORM progress_unkeep(bp.id, ARRAY[bp.plan]) FROM bp;
  INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                            comparison, threshold, rounding)
  SELECT bp.id, bp.plan, v.n, v.code, v.title, v.kind,
         CASE WHEN v.n = 1 THEN v.params || jsonb_build_object('document_ids', bp.docs[1:4])
              ELSE v.params END,
         v.comparison, v.threshold, 'floor'
    FROM bp CROSS JOIN (VALUES
      (1, '1', 'Quán triệt các Nghị quyết, chủ trương của Đảng, pháp luật của Nhà nước',
       'staff_share', '{"condition": "informed"}'::jsonb, 'at_least', 100),
      (2, '2', 'Thực hiện nghiêm đường lối, chủ trương, chính sách', 'staff_share',
       '{"condition": "not_disciplined"}', 'at_least', 100),
      (3, '3', 'Cơ quan hoàn thành tốt nhiệm vụ trở lên', 'collective_rating',
       '{"subject_kind": "agency", "minimum_rating": "good"}', 'at_least', 100),
      (4, '4', 'Hoàn thành nhiệm vụ được giao', 'staff_share',
       '{"condition": "task_completed"}', 'at_least', 100),
      (5, '4a', 'Đạt danh hiệu Lao động tiên tiến trở lên', 'staff_share',
       '{"condition": "title", "title": "lao_dong_tien_tien"}', 'at_least', 80),
      (6, '4b', 'Chiến sĩ thi đua cơ sở 15% số Lao động tiên tiến', 'title_ratio',
       '{"numerator_title": "chien_si_thi_dua_co_so", '
       '"denominator_title": "lao_dong_tien_tien"}', 'exactly', 15),
      (7, '5', 'Chi bộ hoàn thành tốt nhiệm vụ trở lên', 'collective_rating',
       '{"subject_kind": "party_cell", "minimum_rating": "good"}', 'at_least', 100),
      (8, '6', 'Đoàn thể hoàn thành tốt nhiệm vụ trở lên', 'collective_rating',
       '{"subject_kind": "mass_organization", "minimum_rating": "good"}', 'at_least', 100),
      (9, '7', 'Công sở văn hóa; an toàn về an ninh, trật tự', 'recognition',
       '{"kinds": ["cultural_office", "security_order"]}', 'at_least', 100),
      (10, 'ND1', 'Cắt giảm từ 30% thời gian giải quyết thủ tục hành chính',
       'reported_number', '{"aggregate": "min"}', 'at_least', 30))
      AS v (n, code, title, kind, params, comparison, threshold);
  UPDATE plans SET status = 'issued', issued_at = TIMESTAMPTZ '2022-01-20 15:00+07',
         version = version + 1
   WHERE id IN (SELECT plan FROM bp);
  ANALYZE bp, staff;

  -- A dissemination session per unit and month on one document (each
  -- document twice a year), attended by the unit's staff then in service:
  -- 90 % attended, 5 % informed a week later, 5 % absent.
  INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, location, unit_id,
                        document_ids)
  SELECT bp.id, bp.plan, 'dissemination', make_date(2022, m, 3 + un.id::integer % 20),
         'Quán triệt văn bản, tháng ' || m, 'Phòng họp ' || un.name, un.id,
         ARRAY[bp.docs[1 + (m - 1) % 6]]
    FROM bp JOIN units un ON un.organization_id = bp.id AND un.parent_id IS NOT NULL
   CROSS JOIN generate_series(1, 12) m;
  ANALYZE sessions;
  INSERT INTO session_attendance (organization_id, session_id, staff_id, status, informed_on)
  SELECT x.organization_id, x.id, s.id, a.status,
         CASE WHEN a.status = 'informed_later' THEN x.held_on + 7 END
    FROM bp JOIN sessions x ON x.organization_id = bp.id
    JOIN staff s ON s.organization_id = x.organization_id AND s.unit_id = x.unit_id
                AND s.start_date <= x.held_on AND (s.left_on IS NULL OR s.left_on > x.held_on)
   CROSS JOIN LATERAL (SELECT CASE WHEN (s.id * 31 + x.id * 17) % 100 < 90 THEN 'attended'
                                   WHEN (s.id * 31 + x.id * 17) % 100 < 95 THEN 'informed_later'
                                   ELSE 'absent' END AS status) a;

  -- A make-up session per unit on 15/12 for the four documents of target
  -- 1, attended by four in five of those who missed a session.
  INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, location, unit_id,
                        makeup_of, document_ids)
  SELECT bp.id, bp.plan, 'makeup', DATE '2022-12-15', 'Học bù', 'Phòng họp ' || un.name, un.id,
         x.id, bp.docs[1:4]
    FROM bp JOIN units un ON un.organization_id = bp.id AND un.parent_id IS NOT NULL
    JOIN sessions x ON x.organization_id = bp.id AND x.unit_id = un.id
                   AND x.kind = 'dissemination' AND x.held_on >= DATE '2022-12-01';
  INSERT INTO session_attendance (organization_id, session_id, staff_id, status)
  SELECT DISTINCT m.organization_id, m.id, a.staff_id, 'attended'
    FROM bp JOIN sessions m ON m.organization_id = bp.id AND m.kind = 'makeup'
    JOIN sessions x ON x.organization_id = bp.id AND x.unit_id = m.unit_id
                   AND x.kind = 'dissemination'
    JOIN session_attendance a ON a.organization_id = bp.id AND a.session_id = x.id
                             AND a.status = 'absent'
    JOIN staff s ON s.organization_id = bp.id AND s.id = a.staff_id
                AND (s.left_on IS NULL OR s.left_on > m.held_on)
   WHERE a.staff_id % 5 <> 0;

  -- Registrations: one unit in five returned, one submitted, the rest
  -- accepted; entries for 88 % of the staff in service at the deadline
  -- (12 % of them for CSTĐCS).
  INSERT INTO registrations (organization_id, plan_id, unit_id, collective_titles, commitments,
                             status, return_reason, submitted_at, decided_at)
  SELECT bp.id, bp.plan, un.id, '{tap_the_lao_dong_tien_tien}',
         'Hoàn thành tốt nhiệm vụ được giao; cắt giảm từ 30% thời gian giải quyết thủ tục.',
         CASE un.id % 5 WHEN 0 THEN 'returned' WHEN 1 THEN 'submitted' ELSE 'accepted' END,
         CASE WHEN un.id % 5 = 0 THEN 'Đề nghị bổ sung cam kết của tập thể.' END,
         TIMESTAMPTZ '2022-03-20 09:00+07',
         CASE WHEN un.id % 5 <> 1 THEN TIMESTAMPTZ '2022-03-28 09:00+07' END
    FROM bp JOIN units un ON un.organization_id = bp.id AND un.parent_id IS NOT NULL;
  INSERT INTO registration_entries (organization_id, registration_id, staff_id, title_code)
  SELECT bp.id, g.id, s.id,
         CASE WHEN s.id % 100 < 12 THEN 'chien_si_thi_dua_co_so' ELSE 'lao_dong_tien_tien' END
    FROM bp JOIN registrations g ON g.organization_id = bp.id
    JOIN staff s ON s.organization_id = bp.id AND s.unit_id = g.unit_id
                AND s.start_date <= DATE '2022-03-31'
                AND (s.left_on IS NULL OR s.left_on > DATE '2022-03-31')
   WHERE (s.id * 7) % 100 < 88;

  -- Year-end: ratings of the staff in service on 16/12 (15 % excellent,
  -- 60 % good, 23 % completed, 2 % not completed; 0.5 % disciplined), and
  -- titles on 28/12 for those registered and rated well enough.
  INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, disciplined, rated_on,
                                 source_document)
  SELECT bp.id, s.id, 2022,
         CASE WHEN (s.id * 13) % 100 < 15 THEN 'excellent' WHEN (s.id * 13) % 100 < 75 THEN 'good'
              WHEN (s.id * 13) % 100 < 98 THEN 'completed' ELSE 'not_completed' END,
         s.id % 199 = 0, DATE '2022-12-16', 'Quyết định đánh giá, xếp loại năm 2022'
    FROM bp JOIN staff s ON s.organization_id = bp.id
   WHERE s.start_date <= DATE '2022-12-16'
     AND (s.left_on IS NULL OR s.left_on > DATE '2022-12-16');
  INSERT INTO staff_titles (organization_id, staff_id, year, title_code, decision_number,
                            decision_date)
  SELECT bp.id, e.staff_id, 2022, t.code, '215/QĐ-BENCH', DATE '2022-12-28'
    FROM bp JOIN staff_evaluations e ON e.organization_id = bp.id AND e.year = 2022
    JOIN registration_entries en ON en.organization_id = bp.id AND en.staff_id = e.staff_id
    JOIN registrations g ON g.organization_id = bp.id AND g.id = en.registration_id
                        AND g.status <> 'returned'
   CROSS JOIN LATERAL (SELECT 'lao_dong_tien_tien' AS code
                       UNION ALL
                       SELECT 'chien_si_thi_dua_co_so'
                        WHERE e.rating = 'excellent'
                          AND en.title_code = 'chien_si_thi_dua_co_so') t
   WHERE rating_rank(e.rating) >= 3;

  INSERT INTO collective_ratings (organization_id, year, subject_kind, subject_name, unit_id,
                                  rating, rated_on, source_document)
  SELECT bp.id, 2022, v.kind, coalesce(v.name, bp.name), NULL::bigint, v.rating,
         v.rated_on::date, 'Quyết định năm 2022'
    FROM bp CROSS JOIN (VALUES ('agency', NULL, 'good', '2022-12-29'),
                 ('party_cell', 'Chi bộ cơ quan', 'good', '2022-12-20'),
                 ('mass_organization', 'Công đoàn cơ sở', 'good', '2022-11-25'),
                 ('mass_organization', 'Chi đoàn', 'excellent', '2022-12-12'),
                 ('mass_organization', 'Hội Cựu chiến binh', 'completed', '2022-12-14'))
         AS v (kind, name, rating, rated_on)
  UNION ALL
  SELECT bp.id, 2022, 'unit', un.name, un.id,
         CASE WHEN un.id % 3 = 0 THEN 'excellent' ELSE 'good' END, DATE '2022-12-22',
         'Quyết định năm 2022'
    FROM bp JOIN units un ON un.organization_id = bp.id AND un.parent_id IS NOT NULL;
  INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, evidence)
  SELECT bp.id, 2022, v.kind, v.granted_on::date, v.issuer, 'Quyết định công nhận'
    FROM bp CROSS JOIN (VALUES ('security_order', '2022-12-05', 'Công an tỉnh'),
                               ('cultural_office', '2022-12-22', 'Ban Chỉ đạo tỉnh'))
         AS v (kind, granted_on, issuer);
  -- ND1: each unit reports its cut (25-39 %) every quarter.
  INSERT INTO target_reports (organization_id, series_id, target_code, unit_id, value,
                              reported_on)
  SELECT bp.id, bp.plan, 'ND1', un.id, 25 + (un.id * 7 + q * 3) % 15, make_date(2022, 3 * q, 28)
    FROM bp JOIN units un ON un.organization_id = bp.id AND un.parent_id IS NOT NULL
   CROSS JOIN generate_series(1, 4) q;
  ANALYZE session_attendance, registrations, registration_entries, staff_evaluations,
    staff_titles;
  PERFORM progress_keep(bp.id, ARRAY[bp.plan]) FROM bp;
  DROP TABLE bp;
END $$;

SELECT pg_temp.bench_progress('{BENCH-PROGRESS}', '{"Ban Quản lý (đo hiệu năng tiến độ)"}',
                              2000, 10);
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT id, 'bench.progress', 'Tài khoản đo hiệu năng tiến độ', :'hash', '{admin}'
FROM organizations WHERE code = 'BENCH-PROGRESS'
-- a new password every run: the account keeps the latest
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;

\if :province
SELECT pg_temp.bench_progress(array_agg(format('BENCH-P%s', lpad(n::text, 3, '0')) ORDER BY n),
                              array_agg(format('Sở số %s (đo hiệu năng)', n) ORDER BY n),
                              1000, 10)
  FROM generate_series(1, 100) n;
\endif
COMMIT;
ANALYZE organizations, units, staff, documents, plans, plan_targets, sessions,
  session_attendance, registrations, registration_entries, staff_evaluations, staff_titles,
  collective_ratings, recognitions, target_reports;
