-- 0004_demo_review_2022.sql — the year-end review of 2022 at the Economic
-- Zone Management Board (fictional people), under Decree 91/2017: the
-- round the Office opened, its nominations, and the few facts that make
-- its checked list show a refusal for each main reason.
--
--   * every person rated in 2022 is nominated for Lao động tiên tiến, and
--     the four who received Chiến sĩ thi đua cơ sở for that title too;
--   * two of those four have their initiative recorded (Decree 91 Art. 9.3
--     requires one), two have none;
--   * one person was recruited in May 2022 (10 months are required);
--   * one was reprimanded in 2022, one took four months of unpaid leave,
--     and one was never rated: no record is never compliance;
--   * the staff of the unit whose registration the Office returned (0002)
--     and those never entered in one are refused: no registration, no
--     title (Law 2003 Art. 10.1.b, in Decree 91's rule set).
--     Note: the year's titles themselves (0002, staff_titles) were seeded
--     as decided; the round shows what the rules say of each nomination.
--
-- With this file, plan progress counts 41 in service, 40 evaluated.
-- Target 2 ("not disciplined" needs a record) reads 38 of 41 after the
-- year, missed: the reprimand of 12/04 counts against the rating's "not
-- disciplined", and Lý Minh Đạt (on leave half the year, not rated) and
-- the person never rated are unknown, not compliant.
--
-- Idempotent: keyed by the round's name, the newcomer's name, the
-- decisions' numbers.

CREATE TEMP VIEW demo_org AS SELECT id FROM organizations WHERE code = 'BQLKKT-GL';

-- A person recruited in May 2022 and one never rated.
INSERT INTO staff (organization_id, unit_id, full_name, gender, position, employment_type,
                   start_date, created_at)
SELECT o.id, u.id, v.full_name, v.gender, 'Chuyên viên', 'civil_servant', v.start_date::date,
       (greatest(v.start_date::date, DATE '2022-01-04') || ' 08:00+07')::timestamptz
  FROM demo_org o
  JOIN units u ON u.organization_id = o.id AND u.code = 'VP'
 CROSS JOIN (VALUES ('Phan Văn Mới', 'male', '2022-05-03'),
                    ('Lưu Thị Chưa Xếp Loại', 'female', '2019-03-01')) AS v (full_name, gender,
                                                                             start_date)
 WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = o.id
                   AND s.full_name = v.full_name);
INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, disciplined, rated_on,
                               source_document, created_at, updated_at)
SELECT s.organization_id, s.id, 2022, 'good', false, DATE '2022-12-16',
       'Quyết định số 208/QĐ-BQLKKT ngày 16/12/2022',
       TIMESTAMPTZ '2022-12-16 16:00+07', TIMESTAMPTZ '2022-12-16 16:00+07'
  FROM staff s JOIN demo_org o ON o.id = s.organization_id
 WHERE s.full_name = 'Phan Văn Mới'
ON CONFLICT (organization_id, staff_id, year) DO NOTHING;

-- The people the refusals are about, chosen among those rated "good" in
-- 2022 by a fixed order (their ids are the demo's).
CREATE TEMP VIEW demo_rated AS
SELECT e.staff_id, row_number() OVER (ORDER BY e.staff_id) AS n
  FROM staff_evaluations e JOIN demo_org o ON o.id = e.organization_id
 WHERE e.year = 2022 AND e.rating = 'good'
   AND NOT EXISTS (SELECT 1 FROM staff_titles t WHERE t.staff_id = e.staff_id
                   AND t.year = 2022 AND t.title_code = 'chien_si_thi_dua_co_so')
   AND e.staff_id <> (SELECT id FROM staff WHERE full_name = 'Phan Văn Mới');

INSERT INTO staff_disciplines (organization_id, staff_id, form, decision_number, decided_on,
                               in_force_from, in_force_until, reason, created_at)
SELECT o.id, r.staff_id, 'reprimand', '35/QĐ-BQLKKT', DATE '2022-04-12', DATE '2022-04-12',
       DATE '2023-04-11', 'Vi phạm quy định về thời gian giải quyết hồ sơ',
       TIMESTAMPTZ '2022-04-12 16:00+07'
  FROM demo_org o JOIN demo_rated r ON r.n = 3
 WHERE NOT EXISTS (SELECT 1 FROM staff_disciplines d WHERE d.organization_id = o.id
                   AND d.decision_number = '35/QĐ-BQLKKT');
INSERT INTO staff_leaves (organization_id, staff_id, kind, starts_on, ends_on, note,
                          created_at)
SELECT o.id, r.staff_id, 'unpaid', DATE '2022-06-01', DATE '2022-09-30',
       'Nghỉ không lương theo Quyết định số 61/QĐ-BQLKKT', TIMESTAMPTZ '2022-05-25 16:00+07'
  FROM demo_org o JOIN demo_rated r ON r.n = 5
 WHERE NOT EXISTS (SELECT 1 FROM staff_leaves l WHERE l.organization_id = o.id
                   AND l.note LIKE '%61/QĐ-BQLKKT%');

-- Initiatives of two of the four grassroots emulation fighters of 2022.
CREATE TEMP VIEW demo_fighters AS
SELECT t.staff_id, row_number() OVER (ORDER BY t.staff_id) AS n
  FROM staff_titles t JOIN demo_org o ON o.id = t.organization_id
 WHERE t.year = 2022 AND t.title_code = 'chien_si_thi_dua_co_so';
WITH ini AS (
  INSERT INTO initiatives (organization_id, kind, title, level, recognised_by, decision_number,
                           recognised_on, summary)
  SELECT o.id, 'initiative', v.title, 'base', 'Hội đồng sáng kiến Ban Quản lý Khu kinh tế',
         v.number, DATE '2022-11-25', v.summary
    FROM demo_org o
   CROSS JOIN (VALUES
     (1, 'Số hóa quy trình cấp Giấy chứng nhận đăng ký đầu tư', '201/QĐ-HĐSK',
      'Rút ngắn thời gian giải quyết hồ sơ từ 15 xuống 7 ngày làm việc.'),
     (2, 'Bản đồ số các khu công nghiệp phục vụ xúc tiến đầu tư', '202/QĐ-HĐSK',
      'Nhà đầu tư tra cứu quỹ đất trống trực tuyến.')) AS v (n, title, number, summary)
   WHERE NOT EXISTS (SELECT 1 FROM initiatives i WHERE i.organization_id = o.id
                     AND i.decision_number = v.number)
  RETURNING id, decision_number)
INSERT INTO initiative_credits (organization_id, initiative_id, staff_id)
SELECT o.id, ini.id, f.staff_id
  FROM ini, demo_org o
  JOIN demo_fighters f ON true
 WHERE (ini.decision_number = '201/QĐ-HĐSK' AND f.n = 1)
    OR (ini.decision_number = '202/QĐ-HĐSK' AND f.n = 2);

-- The round and its nominations.
INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date)
SELECT o.id, 2022, 'annual', 'Bình xét thi đua, khen thưởng năm 2022', DATE '2022-12-10',
       DATE '2022-12-20'
  FROM demo_org o
 WHERE NOT EXISTS (SELECT 1 FROM review_rounds r WHERE r.organization_id = o.id
                   AND r.name = 'Bình xét thi đua, khen thưởng năm 2022');
CREATE TEMP VIEW demo_round AS
SELECT r.* FROM review_rounds r JOIN demo_org o ON o.id = r.organization_id
 WHERE r.name = 'Bình xét thi đua, khen thưởng năm 2022';

INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                         nominated_by)
SELECT r.organization_id, r.id, 'lao_dong_tien_tien', 'staff', s.id, 'seed:demo'
  FROM demo_round r
  JOIN staff s ON s.organization_id = r.organization_id
 WHERE (EXISTS (SELECT 1 FROM staff_evaluations e WHERE e.staff_id = s.id AND e.year = 2022
                AND e.rating <> 'not_completed')
        OR s.full_name = 'Lưu Thị Chưa Xếp Loại')
   AND NOT EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = r.id AND n.staff_id = s.id
                   AND n.award_code = 'lao_dong_tien_tien');
INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                         nominated_by)
SELECT r.organization_id, r.id, 'chien_si_thi_dua_co_so', 'staff', f.staff_id, 'seed:demo'
  FROM demo_round r, demo_fighters f
 WHERE NOT EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = r.id
                   AND n.staff_id = f.staff_id AND n.award_code = 'chien_si_thi_dua_co_so');

