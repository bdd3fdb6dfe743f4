-- bench/seed_reports.sql — the data the reporting scenarios use.
--
--   psql -v hash=... -v secret=... [-v periods=N] [-v units=N] -f bench/seed_reports.sql
--
-- The organisation BENCH-REPORTS: a root unit and 200,000 units under it
-- (codes R1 ... R200000, created in one statement so that their ids are
-- consecutive), the template of db/seed/0003 (bc-tdkt), and:
--   * N ad hoc periods (default 1) "Đo hiệu năng: gửi báo cáo số k", each
--     asking all 200,000 units and holding no submission: report_submit
--     posts one new submission per (period, unit) pair, so a period serves
--     200,000 requests; run.sh asks for one more period when the pairs left
--     might not last a run;
--   * the half-year period "Đo hiệu năng: tổng hợp 500 đơn vị", asking units
--     R1 ... R500, all of which submitted (400 submitted, 100 accepted; 10 %
--     late) with every field of the template answered, narratives of about
--     1,000 characters: what consolidate_500 consolidates;
--   * the machine client bench-reports (reports:write), secret :secret, and
--     the Office's account bench.reports (secretariat), password hash :hash.
--
-- Idempotent: what exists is left alone (the credentials take the run's).
\set ON_ERROR_STOP on
\if :{?periods}
\else
\set periods 1
\endif
-- units: 200,000 for bench/run.sh; the cluster's fault test asks for fewer
\if :{?units}
\else
\set units 200000
\endif

BEGIN;
INSERT INTO organizations (code, name)
VALUES ('BENCH-REPORTS', 'Ban Quản lý (đo hiệu năng báo cáo)')
ON CONFLICT (code) DO NOTHING;
CREATE TEMP VIEW bo AS SELECT id FROM organizations WHERE code = 'BENCH-REPORTS';

INSERT INTO units (organization_id, code, name, kind)
SELECT bo.id, 'ROOT', 'Văn phòng', 'office' FROM bo
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, parent_id, code, name, kind)
SELECT bo.id, r.id, 'R' || g, 'Đơn vị báo cáo số ' || g, 'other'
  FROM bo JOIN units r ON r.organization_id = bo.id AND r.code = 'ROOT'
 CROSS JOIN generate_series(1, :units) g
 WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.organization_id = bo.id AND u.code = 'R1')
 ORDER BY g;
ANALYZE units;

-- The template of db/seed/0003_demo_reports_2022.sql, as the service stores it.
INSERT INTO report_templates (organization_id, code, version, title, fields)
SELECT bo.id, 'bc-tdkt', 1, 'Báo cáo công tác thi đua, khen thưởng', '[
  {"key": "so_nguoi_quan_triet", "label": "Số công chức, người lao động được quán triệt",
   "type": "number", "required": true, "min": 0, "aggregate": "sum"},
  {"key": "tthc_tiep_nhan", "label": "Số hồ sơ thủ tục hành chính tiếp nhận",
   "type": "number", "required": true, "min": 0, "aggregate": "sum"},
  {"key": "tthc_dung_han", "label": "Số hồ sơ thủ tục hành chính giải quyết đúng hạn",
   "type": "number", "required": true, "min": 0, "aggregate": "sum"},
  {"key": "ty_le_dung_han", "label": "Tỷ lệ hồ sơ giải quyết đúng hạn (%)",
   "type": "percent", "required": false, "min": 0, "max": 100, "aggregate": "ratio",
   "numerator": "tthc_dung_han", "denominator": "tthc_tiep_nhan"},
  {"key": "ty_le_cat_giam",
   "label": "Tỷ lệ cắt giảm thời gian giải quyết thủ tục hành chính (%)",
   "type": "percent", "required": false, "min": 0, "max": 100, "aggregate": "average"},
  {"key": "dvc_muc_do_4", "label": "Đã triển khai dịch vụ công trực tuyến mức độ 4",
   "type": "boolean", "required": false, "aggregate": "count"},
  {"key": "so_sang_kien", "label": "Số sáng kiến, cải tiến được công nhận",
   "type": "number", "required": false, "min": 0, "aggregate": "sum"},
  {"key": "dien_hinh", "label": "Điển hình tiên tiến được phát hiện, nhân rộng",
   "type": "text", "required": false, "max_length": 500, "aggregate": "collate"},
  {"key": "ket_qua", "label": "Kết quả thực hiện các phong trào thi đua",
   "type": "narrative", "required": true, "max_length": 20000, "aggregate": "collate"},
  {"key": "han_che", "label": "Tồn tại, hạn chế và nguyên nhân",
   "type": "narrative", "required": false, "max_length": 20000, "aggregate": "collate"},
  {"key": "de_xuat", "label": "Phương hướng, nhiệm vụ và đề xuất, kiến nghị",
   "type": "narrative", "required": false, "max_length": 20000, "aggregate": "collate"}
]'::jsonb
FROM bo
ON CONFLICT (organization_id, code, version) DO NOTHING;
CREATE TEMP VIEW bt AS
SELECT t.* FROM report_templates t JOIN bo ON t.organization_id = bo.id
 WHERE t.code = 'bc-tdkt' AND t.version = 1;

-- ---- who calls ---------------------------------------------------------------------
INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes)
SELECT bo.id, 'bench-reports', 'Hệ thống báo cáo (đo hiệu năng)',
       sha256(convert_to(:'secret', 'UTF8')), '{reports:write}'
  FROM bo
-- a new secret every run: the client keeps the latest
ON CONFLICT (client_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash;
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT bo.id, 'bench.reports', 'Văn phòng (đo hiệu năng báo cáo)', :'hash', '{secretariat}'
  FROM bo
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;

-- ---- report_submit: periods 1 .. :periods, every unit asked -------------------
INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, ends_on,
                            due_on)
SELECT bt.organization_id, bt.id, 'ad_hoc', 'Đo hiệu năng: gửi báo cáo số ' || k,
       DATE '2026-01-01', DATE '2026-12-31', DATE '2099-12-31'
  FROM bt CROSS JOIN generate_series(1, :periods) k
 WHERE NOT EXISTS (SELECT 1 FROM report_periods p WHERE p.organization_id = bt.organization_id
                   AND p.title = 'Đo hiệu năng: gửi báo cáo số ' || k)
 ORDER BY k;
INSERT INTO report_period_units (organization_id, period_id, unit_id)
SELECT p.organization_id, p.id, u.id
  FROM bo JOIN report_periods p ON p.organization_id = bo.id
   AND p.title LIKE 'Đo hiệu năng: gửi báo cáo số %'
  JOIN units u ON u.organization_id = bo.id AND u.parent_id IS NOT NULL
 WHERE NOT EXISTS (SELECT 1 FROM report_period_units x WHERE x.period_id = p.id)
 ORDER BY p.id, u.id;

-- ---- consolidate_500: 500 units, all reported ----------------------------------
INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, ends_on,
                            due_on)
SELECT bt.organization_id, bt.id, 'half_year', 'Đo hiệu năng: tổng hợp 500 đơn vị',
       DATE '2025-01-01', DATE '2025-06-30', DATE '2025-07-10'
  FROM bt
 WHERE NOT EXISTS (SELECT 1 FROM report_periods p WHERE p.organization_id = bt.organization_id
                   AND p.title = 'Đo hiệu năng: tổng hợp 500 đơn vị');
CREATE TEMP VIEW bc AS
SELECT p.* FROM report_periods p JOIN bo ON p.organization_id = bo.id
 WHERE p.title = 'Đo hiệu năng: tổng hợp 500 đơn vị';
INSERT INTO report_period_units (organization_id, period_id, unit_id)
SELECT bc.organization_id, bc.id, u.id
  FROM bc JOIN units u ON u.organization_id = bc.organization_id
   AND u.code IN (SELECT 'R' || g FROM generate_series(1, 500) g)
ON CONFLICT (period_id, unit_id) DO NOTHING;

-- Answers are fixed functions of g, the unit's number: every field given,
-- on-time ≤ received, the unit's own rate half up, narratives of about
-- 1,000, 400 and 300 characters.
INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, late,
                         submitted_at, decided_at, created_by, created_at, updated_at, version)
SELECT bc.organization_id, bc.id, u.id,
       CASE WHEN g % 5 = 0 THEN 'accepted' ELSE 'submitted' END,
       jsonb_build_object(
         'so_nguoi_quan_triet', 5 + g % 40,
         'tthc_tiep_nhan', 20 + g % 180,
         'tthc_dung_han', 20 + g % 180 - g % 7,
         'ty_le_dung_han',
           trim_scale(round(100.0 * (20 + g % 180 - g % 7) / (20 + g % 180), 2)),
         'ty_le_cat_giam', trim_scale(round(20 + (g * 37 % 2000) / 100.0, 2)),
         'dvc_muc_do_4', g % 3 <> 0,
         'so_sang_kien', g % 4,
         'dien_hinh', 'Tập thể Đơn vị báo cáo số ' || g
                      || ': hoàn thành xuất sắc nhiệm vụ, giải quyết 100% hồ sơ đúng hạn.',
         'ket_qua', 'Đơn vị báo cáo số ' || g || ' đã quán triệt đầy đủ các nghị quyết, '
           || 'chủ trương của Đảng, chính sách, pháp luật của Nhà nước đến toàn thể công chức, '
           || 'người lao động; tổ chức phát động phong trào thi đua thực hiện thắng lợi nhiệm '
           || 'vụ chính trị được giao, gắn với việc học tập và làm theo tư tưởng, đạo đức, '
           || 'phong cách Hồ Chí Minh.' || E'\n'
           || 'Công tác cải cách hành chính được đẩy mạnh: rà soát quy trình nội bộ, cắt giảm '
           || 'thời gian giải quyết thủ tục hành chính, triển khai dịch vụ công trực tuyến; '
           || 'ứng dụng công nghệ thông tin trong quản lý văn bản và điều hành. Các tổ chức '
           || 'đoàn thể phối hợp tổ chức các hoạt động văn hóa, thể thao, chăm lo đời sống '
           || 'công chức, người lao động. Đơn vị phát hiện, bồi dưỡng và nhân rộng các điển '
           || 'hình tiên tiến; thực hiện việc khen thưởng kịp thời, chính xác, công khai, minh '
           || 'bạch, đúng quy định của Luật Thi đua, Khen thưởng.',
         'han_che', 'Một số nhiệm vụ còn chậm so với kế hoạch; việc phát hiện điển hình tiên '
           || 'tiến chưa thường xuyên; một số hồ sơ thủ tục hành chính còn giải quyết quá hạn '
           || 'do phải lấy ý kiến các cơ quan liên quan. Nguyên nhân: biên chế còn thiếu, khối '
           || 'lượng công việc lớn, phối hợp giữa các cơ quan chưa chặt chẽ.',
         'de_xuat', 'Đề nghị tiếp tục quan tâm đào tạo, bồi dưỡng nghiệp vụ công tác thi đua, '
           || 'khen thưởng; tăng cường phối hợp liên ngành trong giải quyết thủ tục hành '
           || 'chính; kịp thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích.'),
       g % 10 = 0, TIMESTAMPTZ '2025-07-08 09:00+07' + g * interval '1 minute',
       CASE WHEN g % 5 = 0 THEN TIMESTAMPTZ '2025-07-15 09:00+07' END,
       'client:bench-reports', TIMESTAMPTZ '2025-07-08 09:00+07' + g * interval '1 minute',
       TIMESTAMPTZ '2025-07-08 09:00+07' + g * interval '1 minute',
       CASE WHEN g % 5 = 0 THEN 2 ELSE 1 END
  FROM bc CROSS JOIN generate_series(1, 500) g
  JOIN units u ON u.organization_id = bc.organization_id AND u.code = 'R' || g
ON CONFLICT (organization_id, period_id, unit_id) DO NOTHING;
INSERT INTO submission_versions (organization_id, submission_id, version, status, answers, late,
                                 actor, created_at)
SELECT s.organization_id, s.id, v, CASE WHEN v = 1 THEN 'submitted' ELSE 'accepted' END,
       s.answers, s.late,
       CASE WHEN v = 1 THEN s.created_by
            ELSE 'user:' || (SELECT x.id FROM users x WHERE x.username = 'bench.reports') END,
       CASE WHEN v = 1 THEN s.submitted_at ELSE s.decided_at END
  FROM bc JOIN submissions s ON s.organization_id = bc.organization_id AND s.period_id = bc.id
 CROSS JOIN generate_series(1, s.version) v
ON CONFLICT (submission_id, version) DO NOTHING;

DROP VIEW bc, bt, bo;
COMMIT;
ANALYZE report_periods, report_period_units, submissions, submission_versions;
