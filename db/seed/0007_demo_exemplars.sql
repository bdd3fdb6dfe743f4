-- 0007_demo_exemplars.sql — two advanced exemplars of the Board's 2022
-- plan (issue 13 §3), published with consent into the public news that
-- the Board's website reads (/public/v1/BQLKKT-GL/news).  Idempotent: each
-- is recorded once (by its title) and published once.

INSERT INTO exemplars (organization_id, subject_kind, staff_id, plan_id, title, story,
                       consent_on, created_by)
SELECT o.id, 'staff', s.id, p.id,
       'Chuyên viên Nguyễn Thị Thu Linh: một cửa cho nhà đầu tư',
       'Năm 2022, chị Nguyễn Thị Thu Linh, chuyên viên chính Phòng Quản lý Đầu tư, đề xuất '
       'và triển khai quy trình tiếp nhận hồ sơ dự án đầu tư một cửa tại Khu kinh tế cửa khẩu '
       'quốc tế Lệ Thanh, rút ngắn thời gian giải quyết hồ sơ từ 15 xuống 7 ngày làm việc. '
       'Sáng kiến được Hội đồng sáng kiến cơ sở công nhận và nhân rộng trong toàn Ban.',
       DATE '2022-12-20', 'system:seed'
  FROM organizations o
  JOIN staff s ON s.organization_id = o.id AND s.full_name = 'Nguyễn Thị Thu Linh'
  LEFT JOIN plans p ON p.organization_id = o.id AND p.number = '125'
                   AND p.symbol = 'KH-BQLKKT' AND p.year = 2022
 WHERE o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM exemplars e WHERE e.organization_id = o.id
                     AND e.title = 'Chuyên viên Nguyễn Thị Thu Linh: một cửa cho nhà đầu tư');

INSERT INTO exemplars (organization_id, subject_kind, unit_id, plan_id, title, story,
                       consent_on, created_by)
SELECT o.id, 'unit', u.id, p.id,
       'Phòng Quản lý Doanh nghiệp và Lao động: đồng hành cùng người lao động',
       'Trong năm 2022, Phòng Quản lý Doanh nghiệp và Lao động tổ chức 24 buổi đối thoại với '
       'doanh nghiệp và người lao động trong các khu công nghiệp, giải quyết dứt điểm các kiến '
       'nghị về hợp đồng lao động và bảo hiểm xã hội, không để xảy ra tranh chấp tập thể.',
       DATE '2022-12-20', 'system:seed'
  FROM organizations o
  JOIN units u ON u.organization_id = o.id AND u.code = 'DNLD'
  LEFT JOIN plans p ON p.organization_id = o.id AND p.number = '125'
                   AND p.symbol = 'KH-BQLKKT' AND p.year = 2022
 WHERE o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM exemplars e WHERE e.organization_id = o.id
                     AND e.title = 'Phòng Quản lý Doanh nghiệp và Lao động: đồng hành cùng '
                                   'người lao động');

-- published by the Office as the API does it (exemplar_step): into the news
SELECT exemplar_step(e.organization_id, 'system', 'seed', 'seed', e.id, NULL, 'publish',
                     '{"published_on": "2022-12-28"}'::jsonb)
  FROM exemplars e JOIN organizations o ON o.id = e.organization_id
 WHERE o.code = 'BQLKKT-GL' AND e.status = 'draft' AND e.created_by = 'system:seed';
