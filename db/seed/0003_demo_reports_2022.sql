-- 0003_demo_reports_2022.sql — the Board's reporting in 2022: the template
-- of the periodic report on emulation and commendation work, the half-year
-- and the annual periods, and what the units submitted, version by version.
-- The people are the fictional accounts of 0001; the figures agree with
-- 0002 (staff per unit, the cut in processing time reported for ND1).
--
-- Idempotent: the template has a natural key (organisation, code, version),
-- submissions (organisation, period, unit) and their versions (submission,
-- version), all ON CONFLICT DO NOTHING; the periods and the reminders are
-- inserted only while absent.  A submission the seed did not create (made
-- through the API for a unit left missing here) is never touched.  Like
-- 0002, the seed writes no audit records: this is the history as it stood
-- before the service, not actions taken through it.
--
-- Units asked to report: the Office and the Board's departments and
-- centre (VP, QLDT, QHXD, DNLD, TNMT, BQLCK); the Leadership (LD) receives
-- the reports.  BQLCK's figures come from the provincial portal's public
-- service system, as the machine client cong-tinh-gia-lai (reports:write).
--
-- Half-year (6 tháng đầu năm), 01/01–30/06/2022, due 10/07/2022:
--   VP     submitted 07/07                          submitted
--   QLDT   draft 01/07, submitted 04/07, returned   accepted (not late: its
--          06/07 (figures swapped), resubmitted             first submission
--          11/07, accepted 12/07                            was on time)
--   QHXD   draft 06/07, submitted 08/07, accepted   accepted
--   DNLD   submitted 14/07, accepted 15/07          accepted, late
--   TNMT   nothing (reminded 11/07)                 missing (late)
--   BQLCK  submitted 10/07 22:15 by the portal      submitted (on the due day:
--                                                            on time)
--   counts: expected 6, submitted 5, accepted 3, late 2, missing 1
--
-- Annual (năm 2022), 01/01–31/12/2022, due 15/12/2022 — a date we chose:
-- the annual report goes to the province before the year-end review, so
-- the figures run to the middle of December:
--   VP     draft 12/12, submitted 14/12             submitted
--   QLDT   submitted 09/12, accepted 13/12          accepted
--   QHXD   nothing (reminded 16/12 and 22/12)       missing (late)
--   DNLD   draft 23/12, submitted 26/12             submitted, late
--   TNMT   submitted 15/12 17:30, accepted 19/12    accepted (on the due day)
--   BQLCK  submitted 19/12 by the portal, accepted  accepted, late
--          20/12 (reminded 16/12)
--   counts: expected 6, submitted 5, accepted 3, late 3, missing 1
--
-- No consolidation is seeded: the Office generates one with POST
-- /v1/report-periods/{id}/consolidations (then /send for the feed).

-- ---- The template -------------------------------------------------------------
-- Field definitions as the service stores them (domain/report_template.c):
-- every field with key, label, type, required and aggregate; min/max for
-- numbers (min 0 given) and percents (0..100); max_length for texts (500)
-- and narratives (20000); the on-time rate is a ratio of two number fields.

INSERT INTO report_templates (organization_id, code, version, title, fields, created_at)
SELECT o.id, 'bc-tdkt', 1, 'Báo cáo công tác thi đua, khen thưởng', '[
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
]'::jsonb, TIMESTAMPTZ '2022-06-15 09:00:00+07'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code, version) DO NOTHING;

-- ---- The periods ----------------------------------------------------------------

CREATE TEMP TABLE demo_period_2022 (
  tag text PRIMARY KEY, kind text, title text, starts_on date, ends_on date, due_on date,
  created_at timestamptz
);
INSERT INTO demo_period_2022 VALUES
  ('half', 'half_year', 'Báo cáo công tác thi đua, khen thưởng 6 tháng đầu năm 2022',
   '2022-01-01', '2022-06-30', '2022-07-10', '2022-06-20 08:00+07'),
  ('year', 'year', 'Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022',
   '2022-01-01', '2022-12-31', '2022-12-15', '2022-11-25 08:00+07');

INSERT INTO report_periods (organization_id, template_id, kind, title, starts_on, ends_on,
                            due_on, created_at)
SELECT o.id, t.id, v.kind, v.title, v.starts_on, v.ends_on, v.due_on, v.created_at
FROM demo_period_2022 v
JOIN organizations o ON o.code = 'BQLKKT-GL'
JOIN report_templates t ON t.organization_id = o.id AND t.code = 'bc-tdkt' AND t.version = 1
WHERE NOT EXISTS (SELECT 1 FROM report_periods p WHERE p.organization_id = o.id
                  AND p.kind = v.kind AND p.title = v.title AND p.starts_on = v.starts_on);

-- The periods as later statements find them.
CREATE TEMP VIEW demo_periods AS
SELECT v.tag, p.* FROM demo_period_2022 v
JOIN organizations o ON o.code = 'BQLKKT-GL'
JOIN report_templates t ON t.organization_id = o.id AND t.code = 'bc-tdkt' AND t.version = 1
JOIN report_periods p ON p.organization_id = o.id AND p.template_id = t.id
                     AND p.kind = v.kind AND p.title = v.title AND p.starts_on = v.starts_on;

INSERT INTO report_period_units (organization_id, period_id, unit_id)
SELECT p.organization_id, p.id, u.id
FROM demo_periods p
JOIN units u ON u.organization_id = p.organization_id
            AND u.code IN ('VP', 'QLDT', 'QHXD', 'DNLD', 'TNMT', 'BQLCK')
ON CONFLICT (period_id, unit_id) DO NOTHING;

-- ---- What the units answered ------------------------------------------------------
-- One row per set of answers; versions name them.  Numbers are whole or
-- have two decimals, as the service stores them; the on-time rate is
-- Σ on time / Σ received of the unit, half up.

CREATE TEMP TABLE demo_answers_2022 (name text PRIMARY KEY, answers jsonb);
INSERT INTO demo_answers_2022 VALUES
  -- ---- half-year
  ('half/VP', '{
    "so_nguoi_quan_triet": 8, "tthc_tiep_nhan": 0, "tthc_dung_han": 0,
    "dvc_muc_do_4": false, "so_sang_kien": 1,
    "dien_hinh": "Bộ phận Một cửa của Ban: tiếp nhận, trả kết quả đúng hẹn 100% hồ sơ.",
    "ket_qua": "Văn phòng tham mưu Lãnh đạo Ban tổ chức Hội nghị quán triệt Kết luận số 01-KL/TW và Kết luận số 21-KL/TW ngày 18/02/2022; 8/8 công chức, người lao động của Văn phòng được quán triệt.\nTheo dõi, đôn đốc các phòng, đơn vị thực hiện chế độ báo cáo; hoàn thành hồ sơ đề nghị khen thưởng năm 2021 đúng thời hạn. Sáng kiến “Số hóa sổ theo dõi văn bản đến” được Hội đồng sáng kiến cơ sở công nhận.",
    "han_che": "Một số phòng, đơn vị gửi báo cáo định kỳ chưa đúng hạn, làm chậm việc tổng hợp.",
    "de_xuat": "Đề nghị các phòng, đơn vị gửi báo cáo đúng thời hạn; 6 tháng cuối năm tham mưu ban hành Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022 của Ban."}'),
  -- QLDT's first answers: received and on time swapped (51 > 48), returned
  ('half/QLDT/draft', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 48, "tthc_dung_han": 51,
    "dvc_muc_do_4": true, "so_sang_kien": 1}'),
  ('half/QLDT/first', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 48, "tthc_dung_han": 51,
    "ty_le_cat_giam": 35, "dvc_muc_do_4": true, "so_sang_kien": 1,
    "dien_hinh": "Đồng chí Dương Ngọc Nga, Trưởng phòng: rút ngắn thời gian thẩm định dự án đầu tư.",
    "ket_qua": "Phòng quán triệt đầy đủ các kết luận của Trung ương đến 6/6 công chức. Tiếp nhận và giải quyết hồ sơ cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư; cắt giảm 35% thời gian giải quyết so với quy định.",
    "de_xuat": "Tiếp tục rà soát quy trình nội bộ giải quyết thủ tục về đầu tư."}'),
  ('half/QLDT/corrected', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 51, "tthc_dung_han": 48,
    "ty_le_dung_han": 94.12, "ty_le_cat_giam": 35, "dvc_muc_do_4": true, "so_sang_kien": 1,
    "dien_hinh": "Đồng chí Dương Ngọc Nga, Trưởng phòng: rút ngắn thời gian thẩm định dự án đầu tư.",
    "ket_qua": "Phòng quán triệt đầy đủ các kết luận của Trung ương đến 6/6 công chức. Tiếp nhận 51 hồ sơ cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư (kể cả 3 hồ sơ kỳ trước chuyển sang), giải quyết đúng hạn 48 hồ sơ; cắt giảm 35% thời gian giải quyết so với quy định.",
    "han_che": "3 hồ sơ giải quyết quá hạn do phải lấy ý kiến các sở, ngành về sự phù hợp quy hoạch.",
    "de_xuat": "Tiếp tục rà soát quy trình nội bộ giải quyết thủ tục về đầu tư; đề nghị các sở, ngành trả lời ý kiến đúng thời hạn."}'),
  ('half/QHXD', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 35, "tthc_dung_han": 33,
    "ty_le_dung_han": 94.29, "ty_le_cat_giam": 30, "dvc_muc_do_4": false, "so_sang_kien": 0,
    "ket_qua": "6/6 công chức được quán triệt. Thẩm định quy hoạch chi tiết, cấp giấy phép xây dựng trong khu kinh tế, khu công nghiệp; cắt giảm 30% thời gian giải quyết.",
    "han_che": "Thủ tục cấp giấy phép xây dựng chưa được cung cấp trực tuyến mức độ 4; 2 hồ sơ quá hạn do chủ đầu tư bổ sung hồ sơ chậm.",
    "de_xuat": "Đề nghị Sở Thông tin và Truyền thông hỗ trợ đưa thủ tục cấp giấy phép xây dựng lên dịch vụ công trực tuyến mức độ 4."}'),
  ('half/DNLD', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 62, "tthc_dung_han": 60,
    "ty_le_dung_han": 96.77, "ty_le_cat_giam": 22.5, "dvc_muc_do_4": true, "so_sang_kien": 0,
    "ket_qua": "6/6 công chức được quán triệt. Giải quyết thủ tục về lao động, nội quy lao động và giấy phép lao động cho người nước ngoài làm việc tại doanh nghiệp trong khu công nghiệp.",
    "han_che": "Mới cắt giảm được 22,5% thời gian giải quyết, chưa đạt mục tiêu 30%: thủ tục cấp giấy phép lao động phải lấy ý kiến liên ngành. Báo cáo gửi chậm so với thời hạn.",
    "de_xuat": "Đề nghị rút ngắn thời gian lấy ý kiến liên ngành đối với thủ tục cấp giấy phép lao động."}'),
  ('half/BQLCK', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 120, "tthc_dung_han": 120,
    "ty_le_dung_han": 100, "dvc_muc_do_4": true,
    "ket_qua": "Số liệu tổng hợp tự động từ Hệ thống thông tin giải quyết thủ tục hành chính tỉnh: 120 hồ sơ tiếp nhận tại Khu kinh tế cửa khẩu quốc tế Lệ Thanh, 120 hồ sơ giải quyết đúng hạn. 6/6 công chức được quán triệt (Hội nghị ngày 18/02/2022)."}'),
  -- ---- annual
  ('year/VP/draft', '{
    "so_nguoi_quan_triet": 7, "tthc_tiep_nhan": 0, "tthc_dung_han": 0,
    "dvc_muc_do_4": false, "so_sang_kien": 2}'),
  ('year/VP', '{
    "so_nguoi_quan_triet": 7, "tthc_tiep_nhan": 0, "tthc_dung_han": 0,
    "dvc_muc_do_4": false, "so_sang_kien": 2,
    "dien_hinh": "Đồng chí Huỳnh Văn Bình, Chánh Văn phòng: điển hình trong phong trào thi đua đổi mới sáng tạo.",
    "ket_qua": "Tham mưu ban hành Kế hoạch số 125/KH-BQLKKT ngày 05/10/2022 triển khai công tác thi đua, khen thưởng năm 2022; tổ chức Hội nghị quán triệt ngày 14/10/2022 và tập huấn nghiệp vụ ngày 10/11/2022. Hướng dẫn các phòng, đơn vị đăng ký thi đua; tiếp nhận 7 bản đăng ký.\n7/8 công chức, người lao động của Văn phòng đã được quán triệt; 01 đồng chí vắng do ốm sẽ học bù ngày 15/12/2022.",
    "han_che": "Việc đăng ký thi đua của một số phòng, đơn vị còn chậm, chưa bám sát tỷ lệ danh hiệu theo quy định.",
    "de_xuat": "Đề nghị Lãnh đạo Ban chỉ đạo các phòng, đơn vị hoàn thiện hồ sơ đề nghị khen thưởng năm 2022 trước ngày 20/12/2022."}'),
  ('year/QLDT', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 103, "tthc_dung_han": 103,
    "ty_le_dung_han": 100, "ty_le_cat_giam": 38.5, "dvc_muc_do_4": true, "so_sang_kien": 2,
    "dien_hinh": "Tập thể Phòng Quản lý Đầu tư: 100% hồ sơ giải quyết đúng hạn.",
    "ket_qua": "6/6 công chức được quán triệt Kế hoạch thi đua năm 2022. Giải quyết đúng hạn 103/103 hồ sơ về đầu tư; cắt giảm 38,5% thời gian giải quyết; 02 sáng kiến được công nhận.",
    "de_xuat": "Đề nghị xét tặng danh hiệu “Tập thể lao động xuất sắc” năm 2022 cho Phòng."}'),
  ('year/DNLD/draft', '{
    "so_nguoi_quan_triet": 5, "tthc_tiep_nhan": 131, "tthc_dung_han": 127}'),
  ('year/DNLD', '{
    "so_nguoi_quan_triet": 5, "tthc_tiep_nhan": 131, "tthc_dung_han": 127,
    "ty_le_dung_han": 96.95, "ty_le_cat_giam": 28, "dvc_muc_do_4": true, "so_sang_kien": 0,
    "ket_qua": "5/5 công chức đang công tác được quán triệt (01 công chức nghỉ việc từ 30/6/2022). Giải quyết 127/131 hồ sơ đúng hạn; cắt giảm 28% thời gian giải quyết thủ tục hành chính.",
    "han_che": "Chưa đạt mục tiêu cắt giảm 30% thời gian: thủ tục cấp giấy phép lao động phải lấy ý kiến liên ngành. Bản đăng ký thi đua bị trả lại chưa được gửi lại.",
    "de_xuat": "Năm 2023 phối hợp Sở Lao động – Thương binh và Xã hội rút ngắn thời gian lấy ý kiến."}'),
  ('year/TNMT', '{
    "so_nguoi_quan_triet": 5, "tthc_tiep_nhan": 27, "tthc_dung_han": 27,
    "ty_le_dung_han": 100, "ty_le_cat_giam": 31.25, "dvc_muc_do_4": false, "so_sang_kien": 1,
    "ket_qua": "5/5 công chức được quán triệt. Giải quyết đúng hạn 27/27 hồ sơ về môi trường; cắt giảm 31,25% thời gian giải quyết.",
    "han_che": "Báo cáo 6 tháng đầu năm không gửi đúng hạn.",
    "de_xuat": "Đề nghị bổ sung 01 biên chế công chức làm công tác môi trường."}'),
  ('year/BQLCK', '{
    "so_nguoi_quan_triet": 6, "tthc_tiep_nhan": 254, "tthc_dung_han": 251,
    "ty_le_dung_han": 98.82, "dvc_muc_do_4": true,
    "ket_qua": "Số liệu tổng hợp tự động từ Hệ thống thông tin giải quyết thủ tục hành chính tỉnh: 254 hồ sơ tiếp nhận tại Khu kinh tế cửa khẩu quốc tế Lệ Thanh, 251 hồ sơ giải quyết đúng hạn. 6/6 công chức được quán triệt (học bù ngày 15/12/2022)."}');

-- Every version of every submission: the status, the answers, the late flag
-- and the return reason it had then, who made it and when.  actor: a
-- username of 0001, or client:<client_id>.  The submission is its last
-- version; submitted_at is the latest submission, decided_at the latest
-- acceptance or return, as submission_change sets them.
CREATE TEMP TABLE demo_versions_2022 (
  period text, unit_code text, version integer, status text, answers text, late boolean,
  reason text, actor text, at timestamptz,
  PRIMARY KEY (period, unit_code, version)
);
INSERT INTO demo_versions_2022 VALUES
  ('half', 'VP', 1, 'submitted', 'half/VP', false, NULL, 'vanphong.tdkt', '2022-07-07 15:20+07'),
  ('half', 'QLDT', 1, 'draft', 'half/QLDT/draft', false, NULL, 'truongphong.qldt',
   '2022-07-01 10:15+07'),
  ('half', 'QLDT', 2, 'submitted', 'half/QLDT/first', false, NULL, 'truongphong.qldt',
   '2022-07-04 16:30+07'),
  ('half', 'QLDT', 3, 'returned', 'half/QLDT/first', false,
   'Số hồ sơ giải quyết đúng hạn (51) lớn hơn số hồ sơ tiếp nhận (48); đề nghị Phòng rà soát '
   'lại số liệu, bổ sung tồn tại, hạn chế và gửi lại báo cáo.', 'vanphong.tdkt',
   '2022-07-06 08:45+07'),
  ('half', 'QLDT', 4, 'submitted', 'half/QLDT/corrected', false,
   'Số hồ sơ giải quyết đúng hạn (51) lớn hơn số hồ sơ tiếp nhận (48); đề nghị Phòng rà soát '
   'lại số liệu, bổ sung tồn tại, hạn chế và gửi lại báo cáo.', 'truongphong.qldt',
   '2022-07-11 09:30+07'),
  ('half', 'QLDT', 5, 'accepted', 'half/QLDT/corrected', false, NULL, 'vanphong.tdkt',
   '2022-07-12 08:30+07'),
  ('half', 'QHXD', 1, 'draft', 'half/QHXD', false, NULL, 'vanphong.tdkt', '2022-07-06 09:00+07'),
  ('half', 'QHXD', 2, 'submitted', 'half/QHXD', false, NULL, 'vanphong.tdkt',
   '2022-07-08 17:05+07'),
  ('half', 'QHXD', 3, 'accepted', 'half/QHXD', false, NULL, 'vanphong.tdkt',
   '2022-07-11 10:20+07'),
  ('half', 'DNLD', 1, 'submitted', 'half/DNLD', true, NULL, 'vanphong.tdkt',
   '2022-07-14 16:40+07'),
  ('half', 'DNLD', 2, 'accepted', 'half/DNLD', true, NULL, 'vanphong.tdkt',
   '2022-07-15 08:30+07'),
  ('half', 'BQLCK', 1, 'submitted', 'half/BQLCK', false, NULL, 'client:cong-tinh-gia-lai',
   '2022-07-10 22:15+07'),
  ('year', 'VP', 1, 'draft', 'year/VP/draft', false, NULL, 'vanphong.tdkt', '2022-12-12 14:00+07'),
  ('year', 'VP', 2, 'submitted', 'year/VP', false, NULL, 'vanphong.tdkt', '2022-12-14 10:00+07'),
  ('year', 'QLDT', 1, 'submitted', 'year/QLDT', false, NULL, 'truongphong.qldt',
   '2022-12-09 15:00+07'),
  ('year', 'QLDT', 2, 'accepted', 'year/QLDT', false, NULL, 'vanphong.tdkt',
   '2022-12-13 09:00+07'),
  ('year', 'DNLD', 1, 'draft', 'year/DNLD/draft', false, NULL, 'vanphong.tdkt',
   '2022-12-23 10:00+07'),
  ('year', 'DNLD', 2, 'submitted', 'year/DNLD', true, NULL, 'vanphong.tdkt',
   '2022-12-26 16:00+07'),
  ('year', 'TNMT', 1, 'submitted', 'year/TNMT', false, NULL, 'vanphong.tdkt',
   '2022-12-15 17:30+07'),
  ('year', 'TNMT', 2, 'accepted', 'year/TNMT', false, NULL, 'vanphong.tdkt',
   '2022-12-19 09:00+07'),
  ('year', 'BQLCK', 1, 'submitted', 'year/BQLCK', true, NULL, 'client:cong-tinh-gia-lai',
   '2022-12-19 07:45+07'),
  ('year', 'BQLCK', 2, 'accepted', 'year/BQLCK', true, NULL, 'vanphong.tdkt',
   '2022-12-20 10:00+07');

-- Versions with the organisation, the period, the unit and the actor's
-- principal ("user:<id>" or "client:<client_id>", as the service writes).
CREATE TEMP VIEW demo_version_rows AS
SELECT p.organization_id, p.id AS period_id, u.id AS unit_id, v.version, v.status,
       a.answers, v.late, v.reason, v.at,
       CASE WHEN v.actor LIKE 'client:%' THEN v.actor
            ELSE 'user:' || (SELECT x.id FROM users x WHERE x.organization_id = p.organization_id
                                AND x.username = v.actor) END AS actor
FROM demo_versions_2022 v
JOIN demo_periods p ON p.tag = v.period
JOIN units u ON u.organization_id = p.organization_id AND u.code = v.unit_code
JOIN demo_answers_2022 a ON a.name = v.answers;

INSERT INTO submissions (organization_id, period_id, unit_id, status, answers, late,
                         return_reason, submitted_at, decided_at, created_by, created_at,
                         updated_at, version)
SELECT l.organization_id, l.period_id, l.unit_id, l.status, l.answers, l.late, l.reason,
       (SELECT max(x.at) FROM demo_version_rows x WHERE x.period_id = l.period_id
           AND x.unit_id = l.unit_id AND x.status = 'submitted'),
       (SELECT max(x.at) FROM demo_version_rows x WHERE x.period_id = l.period_id
           AND x.unit_id = l.unit_id AND x.status IN ('accepted', 'returned')),
       f.actor, f.at, l.at, l.version
FROM demo_version_rows l
JOIN demo_version_rows f ON f.period_id = l.period_id AND f.unit_id = l.unit_id
                        AND f.version = 1
WHERE l.version = (SELECT max(x.version) FROM demo_version_rows x
                    WHERE x.period_id = l.period_id AND x.unit_id = l.unit_id)
ORDER BY l.period_id, l.unit_id
ON CONFLICT (organization_id, period_id, unit_id) DO NOTHING;

-- Only for the submissions this seed created (same creation time and author).
INSERT INTO submission_versions (organization_id, submission_id, version, status, answers, late,
                                 return_reason, actor, request_id, created_at)
SELECT v.organization_id, s.id, v.version, v.status, v.answers, v.late, v.reason, v.actor, NULL,
       v.at
FROM demo_version_rows v
JOIN demo_version_rows f ON f.period_id = v.period_id AND f.unit_id = v.unit_id
                        AND f.version = 1
JOIN submissions s ON s.organization_id = v.organization_id AND s.period_id = v.period_id
                  AND s.unit_id = v.unit_id AND s.created_at = f.at
                  AND s.created_by = f.actor
ON CONFLICT (submission_id, version) DO NOTHING;

-- ---- Reminders to the units still missing ---------------------------------------

INSERT INTO report_reminders (organization_id, period_id, unit_id, message, created_by,
                              created_at)
SELECT p.organization_id, p.id, u.id, r.message,
       'user:' || (SELECT x.id FROM users x WHERE x.organization_id = p.organization_id
                     AND x.username = 'vanphong.tdkt'),
       r.at::timestamptz
FROM (VALUES
  ('half', 'TNMT', '2022-07-11 08:00+07',
   'Đề nghị Phòng gửi Báo cáo công tác thi đua, khen thưởng 6 tháng đầu năm 2022 (hạn '
   '10/7/2022) để Văn phòng tổng hợp, báo cáo Ban Thi đua – Khen thưởng tỉnh.'),
  ('year', 'QHXD', '2022-12-16 08:30+07',
   'Đã quá hạn gửi Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022 (15/12/2022); '
   'đề nghị các phòng, đơn vị chưa gửi khẩn trương gửi về Văn phòng.'),
  ('year', 'DNLD', '2022-12-16 08:30+07',
   'Đã quá hạn gửi Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022 (15/12/2022); '
   'đề nghị các phòng, đơn vị chưa gửi khẩn trương gửi về Văn phòng.'),
  ('year', 'BQLCK', '2022-12-16 08:30+07',
   'Đã quá hạn gửi Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022 (15/12/2022); '
   'đề nghị các phòng, đơn vị chưa gửi khẩn trương gửi về Văn phòng.'),
  ('year', 'QHXD', '2022-12-22 14:00+07',
   'Nhắc lần hai: đề nghị Phòng gửi ngay Báo cáo tổng kết năm 2022 để kịp tổng hợp trình '
   'Hội đồng Thi đua – Khen thưởng Ban.'),
  ('year', 'DNLD', '2022-12-22 14:00+07',
   'Nhắc lần hai: đề nghị Phòng gửi ngay Báo cáo tổng kết năm 2022 để kịp tổng hợp trình '
   'Hội đồng Thi đua – Khen thưởng Ban.')
) AS r (period, unit_code, at, message)
JOIN demo_periods p ON p.tag = r.period
JOIN units u ON u.organization_id = p.organization_id AND u.code = r.unit_code
WHERE NOT EXISTS (SELECT 1 FROM report_reminders m WHERE m.organization_id = p.organization_id
                  AND m.period_id = p.id AND m.unit_id = u.id
                  AND m.created_at = r.at::timestamptz);

DROP VIEW demo_version_rows, demo_periods;
DROP TABLE demo_versions_2022, demo_answers_2022, demo_period_2022;
