-- 0011_demo_statistics_2022.sql — what the Board's 2022 statistics forms
-- (Circular 02/2023/TT-BNV forms 0601-0605, GET /v1/statistics/2022) need
-- beyond the 2022 plan: who among the staff does emulation and
-- commendation work, where each person stands among the recipients of
-- the forms, and awards from above decided in the report period
-- (01/12/2021-30/11/2022).  The people are the fictional staff of 0001;
-- the awards, their numbers and dates are invented examples, not the
-- Board's real awards.  The two 2022 movements of 0002 (a yearly one and
-- a thematic one) fill form 0601.

-- Leaders of the Board rank with the department-level leaders (sở, ngành);
-- heads and deputies of its divisions with the other leaders; everyone
-- else works directly.  Only where the record says nothing yet.
UPDATE staff s SET recipient_category = CASE
    WHEN s.position IN ('Trưởng ban', 'Phó Trưởng ban') THEN 'department_leader'
    WHEN s.position ~ '^(Phó )?(Chánh Văn phòng|Trưởng phòng|Giám đốc|Trưởng ban quản lý)'
      THEN 'other_leader'
    ELSE 'direct_worker' END
  FROM organizations o
 WHERE o.code = 'BQLKKT-GL' AND s.organization_id = o.id AND s.recipient_category IS NULL;

-- The Office's two people who run emulation and commendation work.
UPDATE staff s SET tdkt_since = v.since::date, training_level = 'university'
  FROM organizations o,
       (VALUES ('Ngô Quang An', '2016-03-01'), ('Phạm Thị Kim Nga', '2018-01-02')) AS v (name, since)
 WHERE o.code = 'BQLKKT-GL' AND s.organization_id = o.id AND s.full_name = v.name
   AND s.tdkt_since IS NULL;

-- Awards from the province and the State decided in the period.
INSERT INTO awards (organization_id, award_code, subject_kind, staff_id, unit_id, year, adhoc,
                    method, decision_number, decision_date, decided_by, achievement)
SELECT o.id, v.code, v.kind, s.id, u.id, v.year, v.adhoc, v.method, v.number, v.decided::date,
       v.by, v.achievement
  FROM organizations o
  CROSS JOIN (VALUES
    ('bang_khen_tinh', 'staff', 'Dương Ngọc Nga', NULL, 2021, false, NULL, '215/QĐ-UBND',
     '2022-03-09', 'Chủ tịch Ủy ban nhân dân tỉnh',
     'Hoàn thành xuất sắc nhiệm vụ năm 2021 (ví dụ minh họa).'),
    ('bang_khen_tinh', 'unit', NULL, 'QLDT', 2021, false, NULL, '215/QĐ-UBND', '2022-03-09',
     'Chủ tịch Ủy ban nhân dân tỉnh',
     'Tập thể hoàn thành xuất sắc nhiệm vụ năm 2021 (ví dụ minh họa).'),
    ('bang_khen_tinh', 'staff', 'Lê Minh Khánh', NULL, 2022, true, 'thematic', '612/QĐ-UBND',
     '2022-08-18', 'Chủ tịch Ủy ban nhân dân tỉnh',
     'Thành tích trong đợt thi đua cải cách hành chính (ví dụ minh họa).'),
    ('ky_niem_chuong_tinh', 'staff', 'Huỳnh Văn Bình', NULL, 2022, false, 'contribution',
     '701/QĐ-UBND', '2022-09-30', 'Chủ tịch Ủy ban nhân dân tỉnh',
     'Có nhiều đóng góp cho sự phát triển của tỉnh (ví dụ minh họa).'),
    ('bang_khen_thu_tuong', 'staff', 'Dương Quang Tuấn', NULL, 2022, false, NULL,
     '1288/QĐ-TTg', '2022-10-20', 'Thủ tướng Chính phủ',
     'Thành tích xuất sắc trong công tác giai đoạn 2017-2021 (ví dụ minh họa).')
  ) AS v (code, kind, person, unit_code, year, adhoc, method, number, decided, by, achievement)
  LEFT JOIN staff s ON s.organization_id = o.id AND s.full_name = v.person
  LEFT JOIN units u ON u.organization_id = o.id AND u.code = v.unit_code
 WHERE o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM awards a WHERE a.organization_id = o.id
                     AND a.decision_number = v.number AND a.award_code = v.code
                     AND a.staff_id IS NOT DISTINCT FROM s.id
                     AND a.unit_id IS NOT DISTINCT FROM u.id);

-- The province's board of emulation and commendation, within its
-- Department of Home Affairs (form 0604 of the province).
INSERT INTO units (organization_id, code, name, kind, tdkt_body)
SELECT id, 'BTDKT', 'Ban Thi đua – Khen thưởng (Sở Nội vụ)', 'department', 'home_affairs_board'
  FROM organizations WHERE code = 'TINH-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
