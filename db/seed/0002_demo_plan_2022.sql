-- 0002_demo_plan_2022.sql — the Board's 2022 emulation plan (the seed
-- document ../shared/seeds/000_ef2563fad21a79e1.txt) and a year of the data
-- its targets are measured from: the documents it cites, dissemination
-- sessions with attendance, movements, the units' registrations, the
-- year-end ratings and titles, collective ratings, recognitions and the
-- numbers units reported.  The people are the fictional staff of 0001.
--
-- Idempotent: documents, registrations, attendance, ratings, titles and
-- recognitions have natural keys (ON CONFLICT DO NOTHING); the plan, its
-- targets, movements, sessions and reports are inserted only while absent.
-- The plan is inserted as a draft, given its targets, then issued by an
-- UPDATE of its status (the plans_immutable triggers refuse any change to an
-- issued plan or its targets, so a second load leaves it alone).
--
-- What GET /v1/plans/{id}/progress shows (40 staff; Huỳnh Thị Mỹ Ngân left
-- on 30/06, so 39 are in service; Lý Minh Đạt was on leave 01/03–31/08, 181
-- days worked, so 38 are in the evaluated population).  After the period
-- (as_of 2023-01-01 or later) the counts are those of 31/12 and a target
-- that does not hold is missed:
--
--   target                         as_of=2022-11-30             after the period
--   1   informed (4 documents)     37/39  on_track (2 absent     39/39  met (make-up
--                                          on 14/10)                    session 15/12)
--   2   not disciplined            0/39   on_track (no rating    38/39  missed (Lý Minh
--                                          recorded before 16/12)       Đạt, not rated, unknown)
--   3   agency ≥ good              0/0    on_track (not rated)   1/1    met
--   4   tasks completed            0/38   on_track (38 proj.)    38/38  met
--   4a  ≥ Lao động tiên tiến 80 %  0/38   on_track (32 registered) 30/38 missed (78.95 %)
--   4b  CSTĐCS = 15 % of LĐTT      0/0    at_risk (7 of 32       4/30   met (⌊4.5⌋ = 4)
--                                          registered, ⌊4.8⌋ = 4)
--   5   Party cell ≥ good          0/0    on_track (not rated)   1/1    met
--   6   mass organisations ≥ good  1/1    met (trade union)      2/2    met
--   7   recognitions               0/2    on_track               2/2    met
--   ND1 ≥ 30 % cut, min of units   27.00  at_risk (4 units)      28.00  missed
--
-- The story behind 4a: the Office returned the registration of Phòng Quản
-- lý Doanh nghiệp và Lao động (too many CSTĐCS for the 15 % ratio) and the
-- unit never sent it again, so its five staff were not considered for a
-- title (registering is a condition of being considered); two registered
-- staff were rated only "hoàn thành nhiệm vụ".  30 of 38 falls just short.

-- ---- Documents the plan cites and the sessions disseminate ----------------

INSERT INTO documents (organization_id, code, title, issuer, issued_on)
SELECT o.id, v.code, v.title, v.issuer, v.issued_on::date
FROM (VALUES
  ('15/2003/QH11',
   'Luật Thi đua, Khen thưởng (được sửa đổi, bổ sung năm 2005, 2009 và 2013)',
   'Quốc hội', '2003-11-26'),
  ('34-CT/TW',
   'Chỉ thị về tiếp tục đổi mới công tác thi đua, khen thưởng',
   'Bộ Chính trị', '2014-04-07'),
  ('91/2017/NĐ-CP',
   'Nghị định quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng',
   'Chính phủ', '2017-07-31'),
  ('33/2018/QĐ-UBND',
   'Quyết định ban hành Quy định về thi đua, khen thưởng trên địa bàn tỉnh Gia Lai',
   'Ủy ban nhân dân tỉnh Gia Lai', '2018-12-28'),
  ('12/2019/TT-BNV',
   'Thông tư quy định chi tiết thi hành một số điều của Nghị định số 91/2017/NĐ-CP ngày '
   '31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số điều của Luật '
   'Thi đua, khen thưởng',
   'Bộ Nội vụ', '2019-01-04'),
  ('01-KL/TW',
   'Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị '
   'về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh',
   'Bộ Chính trị', '2021-05-18'),
  ('21-KL/TW',
   'Kết luận của Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh '
   'xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý '
   'nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu '
   'hiện “tự diễn biến”, “tự chuyển hóa”',
   'Ban Chấp hành Trung ương Đảng', '2021-10-25')
) AS v (code, title, issuer, issued_on)
JOIN organizations o ON o.code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;

-- ---- The plan ---------------------------------------------------------------
-- Identified by (organisation, year, symbol, number, revision 1).  The seed
-- is headed "Số: /BQLKKT-VP" and dated "ngày   tháng 10 năm 2022": number
-- and day are blank.  We number it 125/KH-BQLKKT and date it 5 October 2022
-- (registration closes on 31 October).

INSERT INTO plans (organization_id, year, number, symbol, issued_on, place, title, purposes,
                   general_tasks, contents, duties, recipients, signer_name, signer_position,
                   cited_document_ids, period_start, period_end, registration_deadline,
                   created_at, updated_at)
SELECT o.id, 2022, '125', 'KH-BQLKKT', DATE '2022-10-05', 'Gia Lai',
  'Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022',
  jsonb_build_array(
    'Bám sát nhiệm vụ chính trị của Ban Quản lý, phát động phong trào thi đua sâu rộng trong '
    'toàn cơ quan, đơn vị; khơi dậy ý thức tự giác của công chức, người lao động; quyết tâm '
    'khắc phục khó khăn thực hiện thắng lợi nhiệm vụ chính trị được giao, lập thành tích chào '
    'mừng các ngày lễ lớn trong năm 2022.',
    'Đẩy mạnh các phong trào thi đua, chú trọng khen thưởng theo công trạng và thành tích đạt '
    'được, khen thưởng thành tích đột xuất.',
    'Tham gia tốt công tác thi đua của Khối thi đua các sở, ngành kinh tế tỉnh.',
    'Các phòng, đơn vị thuộc Ban Quản lý căn cứ nhiệm vụ được giao đăng ký thi đua đảm bảo '
    'thiết thực, hiệu quả, phấn đấu hoàn thành xuất sắc nhiệm vụ năm 2022.'),
  jsonb_build_array(
    'Tiếp tục tuyên truyền, quán triệt công chức, người lao động thuộc Ban Quản lý thực hiện '
    'Chỉ thị 34-CT/TW ngày 7/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua - '
    'khen thưởng; Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ về quy định chi '
    'tiết một số điều của Luật thi đua - khen thưởng; Thông tư số 12/2019/TT-BNV ngày '
    '04/01/2019 của Bộ Nội vụ quy định chi tiết thi hành một số điều của Nghị định số '
    '91/2017/NĐ-CP.',
    'Tiếp tục thực hiện Quyết định số 33/2018/QĐ-UBND ngày 28/12/2018 của Ủy ban nhân dân '
    'tỉnh ban hành Quy định về thi đua, khen thưởng trên địa bàn tỉnh Gia Lai và các văn bản '
    'hướng dẫn của các cấp về thực hiện công tác thi đua, khen thưởng cho công chức, người '
    'lao động trong cơ quan, đơn vị.',
    'Đổi mới công tác thi đua, khen thưởng theo hướng thiết thực, hiệu quả; tập trung xây '
    'dựng các điển hình tiên tiến, tạo sự chuyển biến tích cực trong công tác quản lý, nâng '
    'cao chất lượng tham mưu đề xuất giải pháp, góp phần động viên công chức, người lao động '
    'trong cơ quan hoàn thành tốt nhiệm vụ.',
    'Tiếp tục thực hiện tốt phong trào thi đua đổi mới sáng tạo, tạo môi trường thi đua thuận '
    'lợi để mọi tập thể, cá nhân hăng hái thi đua, phát huy cao khả năng của mình trong lao '
    'động, công tác.'),
  jsonb_build_array(
    jsonb_build_object('heading', 'Thi đua thực hiện thắng lợi nhiệm vụ chính trị được giao',
      'items', jsonb_build_array(
        'Phát động phong trào thi đua trong công chức, người lao động hoàn thành tốt nhiệm vụ; '
        'nâng cao năng lực tham mưu, đề xuất các nội dung và giải pháp thực hiện chủ trương, '
        'chính sách, pháp luật, cơ chế quản lý khu kinh tế, khu công nghiệp.',
        'Tiếp tục đẩy mạnh công tác cải cách hành chính; nghiêm túc thực hiện cắt giảm từ 30% '
        'trở lên thời gian giải quyết thủ tục hành chính, tiếp tục triển khai và áp dụng TTHC '
        'mức độ 4 trên các lĩnh vực; Tăng cường thực hiện ứng dụng công nghệ thông tin, hoàn '
        'thiện trang thông tin điện tử.')),
    jsonb_build_object('heading',
      'Thi đua thực hiện nghiêm túc đường lối, chủ trương, chính sách của Đảng, pháp luật của '
      'Nhà nước; xây dựng tổ chức Đảng, tổ chức đoàn thể hoàn thành tốt nhiệm vụ được giao',
      'items', jsonb_build_array(
        'Tổ chức nghiên cứu, học tập, quán triệt, triển khai thực hiện có hiệu quả các nghị '
        'quyết, chủ trương, chính sách của Đảng, pháp luật của Nhà nước tới công chức, người '
        'lao động trong cơ quan.',
        'Tiếp tục thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục '
        'thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và '
        'làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với thực hiện Nghị quyết Trung '
        'ương 4 (Khóa XII) và Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung '
        'ương Đảng khóa XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên '
        'quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính '
        'trị, đạo đức, lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ.',
        'Triển khai thực hiện tốt Quy chế dân chủ ở cơ sở; xây dựng và tổ chức thực hiện kế '
        'hoạch phòng, chống tham nhũng, Luật thực hành tiết kiệm, chống lãng phí và các văn '
        'bản thi hành luật trong đơn vị.',
        'Tăng cường công tác tự kiểm tra, giám sát nội bộ; giải quyết đơn thư khiếu nại tố cáo '
        'kịp thời, đúng quy định.',
        'Xây dựng tổ chức cơ sở Đảng, các tổ chức đoàn thể hoàn thành tốt nhiệm vụ trở lên.')),
    jsonb_build_object('heading',
      'Phát động phong trào thi đua và thực hiện tốt nhiệm vụ công tác thi đua, khen thưởng',
      'items', jsonb_build_array(
        'Tổ chức tuyên truyền, phổ biến Luật Thi đua, Khen thưởng và các văn bản hướng dẫn thực '
        'hiện các cấp về thi đua, khen thưởng cho công chức, người lao động.',
        'Tích cực hưởng ứng phong trào thi đua theo kế hoạch của Khối thi đua; theo phong trào '
        'thi đua của Tỉnh, Bộ Kế hoạch và Đầu Tư.',
        'Quan tâm phát hiện, bồi dưỡng, tổng kết và nhân rộng các điển hình tiên tiến, có biện '
        'pháp, giải pháp xây dựng và nhân rộng các điển hình tiên tiến.',
        'Đổi mới và nâng cao chất lượng công tác thi đua, khen thưởng, đảm bảo việc khen thưởng '
        'chính xác, công khai, công bằng, minh bạch, kịp thời. Việc đề nghị khen thưởng cần phải '
        'xem xét kỹ lưỡng để phát huy tính nêu gương, tránh việc khen thưởng tràn lan, không '
        'đúng thực chất thành tích, làm mất tác dụng, ảnh hưởng tiêu cực đến phong trào thi đua.',
        'Thực hiện đúng quy định của pháp luật về công tác tiếp nhận và giải quyết đơn thư khiếu '
        'nại, tố cáo; bố trí cán bộ làm công tác thi đua khen thưởng, tham gia đầy đủ các lớp '
        'tập huấn nghiệp vụ về thi đua, khen thưởng do cơ quan chuyên môn tổ chức; thực hiện '
        'tốt và đảm bảo chế độ thông tin, báo cáo định kỳ, đột xuất.'))),
  jsonb_build_array(
    'Yêu cầu các phòng, đơn vị thuộc Ban Quản lý triển khai nội dung thi đua, khen thưởng năm '
    '2022 đến công chức, người lao động và báo cáo về Văn phòng để tổng hợp, báo cáo.',
    'Giao Văn phòng theo dõi, đôn đốc các phòng, đơn vị thuộc triển khai thực hiện nội dung '
    'kế hoạch này và định kỳ báo cáo.'),
  jsonb_build_array('Ban TĐKT tỉnh (b/c)', 'Khối Trưởng KTĐ các sở, ngành kinh tế (b/c)',
                    'Hội đồng TĐKT Ban', 'Các phòng, đơn vị thuộc Ban', 'Website BQL',
                    'Lưu: VT, VP'),
  -- the demo's fictional head of the Board (account truongban), not the
  -- signer printed on the seed document: every person here is fictional
  'Dương Quang Tuấn', 'Trưởng ban',
  ARRAY(SELECT d.id FROM documents d
         WHERE d.organization_id = o.id
           AND d.code IN ('34-CT/TW', '91/2017/NĐ-CP', '12/2019/TT-BNV', '33/2018/QĐ-UBND',
                          '01-KL/TW', '21-KL/TW', '15/2003/QH11')
         ORDER BY array_position(ARRAY['34-CT/TW', '91/2017/NĐ-CP', '12/2019/TT-BNV',
                                       '33/2018/QĐ-UBND', '01-KL/TW', '21-KL/TW',
                                       '15/2003/QH11'], d.code)),
  DATE '2022-01-01', DATE '2022-12-31', DATE '2022-10-31',
  TIMESTAMPTZ '2022-09-28 08:30:00+07', TIMESTAMPTZ '2022-09-28 08:30:00+07'
FROM organizations o
WHERE o.code = 'BQLKKT-GL'
  AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.organization_id = o.id AND p.year = 2022
                  AND p.symbol = 'KH-BQLKKT' AND p.number = '125' AND p.revision = 1);

-- The plan as later statements find it.
CREATE TEMP VIEW demo_plan AS
SELECT p.* FROM plans p JOIN organizations o ON o.id = p.organization_id
 WHERE o.code = 'BQLKKT-GL' AND p.year = 2022 AND p.symbol = 'KH-BQLKKT' AND p.number = '125'
   AND p.revision = 1;

-- Targets, section III of the seed (target 4 split in three), plus ND1
-- from the contents (II.1).  Only while the plan is a draft, i.e. on the
-- first load.  Target 1 counts the four documents disseminated in 2022.
INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                          comparison, threshold, rounding)
SELECT p.organization_id, p.id, v.position, v.code, v.title, v.kind,
       CASE WHEN v.code = '1' THEN v.params || jsonb_build_object('document_ids',
              (SELECT jsonb_agg(d.id ORDER BY array_position(
                        ARRAY['01-KL/TW', '21-KL/TW', '34-CT/TW', '15/2003/QH11'], d.code))
                 FROM documents d WHERE d.organization_id = p.organization_id
                  AND d.code IN ('01-KL/TW', '21-KL/TW', '34-CT/TW', '15/2003/QH11')))
            ELSE v.params END,
       v.comparison, v.threshold, v.rounding
FROM demo_plan p, (VALUES
  (1, '1', '100% công chức, người lao động trong các cơ quan được quán triệt các Nghị quyết, '
           'chủ trương, chính sách của Đảng, pháp luật của Nhà nước.',
   'staff_share', '{"condition": "informed"}'::jsonb, 'at_least', 100, 'floor'),
  (2, '2', '100% công chức, người lao động thực hiện nghiêm đường lối, chủ trương, chính sách '
           'của Đảng, pháp luật của Nhà nước.',
   'staff_share', '{"condition": "not_disciplined"}', 'at_least', 100, 'floor'),
  (3, '3', 'Phấn đấu Ban Quản lý Khu kinh tế hoàn thành tốt nhiệm vụ trở lên; đạt và vượt chỉ '
           'tiêu, kế hoạch được giao.',
   'collective_rating', '{"subject_kind": "agency", "minimum_rating": "good"}', 'at_least', 100,
   'floor'),
  (4, '4', '100% công chức, người lao động hoàn thành nhiệm vụ được giao.',
   'staff_share', '{"condition": "task_completed"}', 'at_least', 100, 'floor'),
  (5, '4a', 'Có 80% CCVC, NLĐ đạt danh hiệu “Lao động tiên tiến” trở lên.',
   'staff_share', '{"condition": "title", "title": "lao_dong_tien_tien"}', 'at_least', 80,
   'floor'),
  (6, '4b', 'Phấn đấu đạt danh hiệu chiến sĩ thi đua cơ sở 15% trong tổng số cá nhân đạt danh '
            'hiệu “Lao động tiên tiến”.',
   'title_ratio', '{"numerator_title": "chien_si_thi_dua_co_so", '
                  '"denominator_title": "lao_dong_tien_tien"}', 'exactly', 15, 'floor'),
  (7, '5', 'Chi bộ Ban Quản lý được công nhận hoàn thành tốt nhiệm vụ trở lên.',
   'collective_rating', '{"subject_kind": "party_cell", "minimum_rating": "good"}', 'at_least',
   100, 'floor'),
  (8, '6', 'Tổ chức đoàn thể quần chúng của đơn vị được công nhận hoàn thành tốt nhiệm vụ trở '
           'lên.',
   'collective_rating', '{"subject_kind": "mass_organization", "minimum_rating": "good"}',
   'at_least', 100, 'floor'),
  (9, '7', 'Cơ quan đạt công sở văn hóa; đạt tiêu chuẩn an toàn về an ninh, trật tự.',
   'recognition', '{"kinds": ["cultural_office", "security_order"]}', 'at_least', 100, 'floor'),
  (10, 'ND1', 'Cắt giảm từ 30% trở lên thời gian giải quyết thủ tục hành chính (mức cắt giảm '
              'thấp nhất trong các phòng, đơn vị báo cáo).',
   'reported_number', '{"aggregate": "min"}', 'at_least', 30, 'floor')
) AS v (position, code, title, kind, params, comparison, threshold, rounding)
WHERE p.status = 'draft'
  AND NOT EXISTS (SELECT 1 FROM plan_targets t WHERE t.plan_id = p.id);

-- Issued (ban hành): what POST /v1/plans/{id}/issue does, dated 5/10/2022.
UPDATE plans SET status = 'issued', issued_at = TIMESTAMPTZ '2022-10-05 15:00:00+07',
       updated_at = TIMESTAMPTZ '2022-10-05 15:00:00+07', version = version + 1
 WHERE id = (SELECT id FROM demo_plan) AND status = 'draft';

-- ---- The year, person by person ---------------------------------------------
-- s1: the Party documents session of 18/02 (attended, or informed_later on
-- s1_on); s2: the plan's dissemination session of 14/10 (attended, absent,
-- informed_later on s2_on), with a note; makeup: at the make-up session of
-- 15/12; rating: the year-end rating (16/12), NULL = not rated; reg: the
-- title registered for; titles: awarded on 28/12.  NULL s1/s2: not listed.
CREATE TEMP TABLE demo_year_2022 (
  full_name text PRIMARY KEY,
  s1 text, s1_on date, s2 text, s2_on date, s2_note text, makeup boolean,
  rating text, reg text, titles text[]
);
INSERT INTO demo_year_2022 VALUES
  -- Lãnh đạo Ban
  ('Dương Quang Tuấn',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Nguyễn Công Long',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Võ Thị Mai',            'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien,chien_si_thi_dua_co_so}'),
  -- Văn phòng
  ('Huỳnh Văn Bình',        'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien,chien_si_thi_dua_co_so}'),
  ('Phạm Thị Kim Nga',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Ngô Quang An',          'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Siu Công Long',         'attended', NULL, 'absent', NULL, 'Nghỉ ốm.', true, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Hồ Ngọc Tuấn',          'attended', NULL, 'attended', NULL, NULL, false, 'completed', 'lao_dong_tien_tien', '{}'),
  ('Phạm Thị Thu Hà',       'attended', NULL, 'informed_later', '2022-10-20', 'Trực cơ quan; được Văn phòng phổ biến lại ngày 20/10/2022.', false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Huỳnh Thị Kim Yến',     'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Phan Thành Trung',      'attended', NULL, 'attended', NULL, NULL, false, 'completed', NULL, '{}'),
  -- Phòng Quản lý Đầu tư
  ('Dương Ngọc Nga',        'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien,chien_si_thi_dua_co_so}'),
  ('Lý Minh Đạt',           'attended', NULL, 'attended', NULL, NULL, false, NULL, NULL, '{}'),
  ('Lê Minh Khánh',         'attended', NULL, 'attended', NULL, NULL, false, 'good', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien}'),
  ('Lê Quang Hải',          'informed_later', '2022-02-25', 'attended', NULL, NULL, false, 'completed', 'lao_dong_tien_tien', '{}'),
  ('Nguyễn Thị Thu Linh',   'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Nguyễn Công Bình',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  -- Phòng Quản lý Quy hoạch và Xây dựng
  ('Hoàng Thị Mỹ Linh',     'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien}'),
  ('Phan Thị Hồng Thảo',    'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Ngô Ngọc Chi',          'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Phan Thị Hằng',         'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Hồ Thành Khánh',        'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Rơ Châm Thị Kim Giang', 'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  -- Phòng Quản lý Doanh nghiệp và Lao động (registration returned, never sent again)
  ('Trần Minh Thắng',       'attended', NULL, 'attended', NULL, NULL, false, 'good', 'chien_si_thi_dua_co_so', '{}'),
  ('Phạm Ngọc Giang',       'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{}'),
  ('Huỳnh Thị Mỹ Ngân',     'attended', NULL, NULL, NULL, NULL, false, NULL, NULL, '{}'),
  ('Võ Thị Mỹ Hằng',        'attended', NULL, 'attended', NULL, NULL, false, 'completed', 'lao_dong_tien_tien', '{}'),
  ('Huỳnh Thị Mỹ Chi',      'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{}'),
  ('Lý Hữu An',             'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{}'),
  -- Phòng Quản lý Tài nguyên và Môi trường
  ('Dương Thành Bình',      'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien}'),
  ('Đặng Thị Thu Mai',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Phạm Minh Phúc',        'informed_later', '2022-03-04', 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Trần Văn Hiếu',         'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Đặng Công An',          'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  -- Ban Quản lý Khu kinh tế cửa khẩu quốc tế Lệ Thanh
  ('Ngô Thị Hồng Yến',      'attended', NULL, 'attended', NULL, NULL, false, 'excellent', 'chien_si_thi_dua_co_so', '{lao_dong_tien_tien,chien_si_thi_dua_co_so}'),
  ('Dương Ngọc Huyền',      'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Ngô Thị Nga',           'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Ngô Đức Tâm',           'attended', NULL, 'absent', NULL, 'Đi công tác tại Khu kinh tế cửa khẩu quốc tế Lệ Thanh.', true, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Lý Thành Hùng',         'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}'),
  ('Phạm Đức An',           'attended', NULL, 'attended', NULL, NULL, false, 'good', 'lao_dong_tien_tien', '{lao_dong_tien_tien}');

CREATE TEMP VIEW demo_people AS
SELECT s.organization_id, s.id AS staff_id, s.unit_id, y.*
  FROM demo_year_2022 y
  JOIN organizations o ON o.code = 'BQLKKT-GL'
  JOIN staff s ON s.organization_id = o.id AND s.full_name = y.full_name;

-- ---- Movements --------------------------------------------------------------

INSERT INTO movements (organization_id, plan_id, name, kind, starts_on, ends_on, owner_unit_id,
                       description, created_at)
SELECT p.organization_id, p.id, v.name, v.kind, v.starts_on::date, v.ends_on::date, u.id,
       v.description, TIMESTAMPTZ '2022-10-06 09:00:00+07'
FROM demo_plan p
CROSS JOIN (VALUES
  ('Phong trào thi đua đổi mới sáng tạo trong quản lý khu kinh tế, khu công nghiệp năm 2022',
   'regular', '2022-01-01', '2022-12-31', 'VP',
   'Phong trào thi đua thường xuyên: tạo môi trường thi đua thuận lợi để mọi tập thể, cá nhân '
   'hăng hái thi đua, phát huy sáng kiến, cải tiến trong lao động, công tác; phát hiện, bồi '
   'dưỡng và nhân rộng các điển hình tiên tiến.'),
  ('Đợt thi đua cao điểm cải cách hành chính, cắt giảm từ 30% trở lên thời gian giải quyết '
   'thủ tục hành chính', 'thematic', '2022-10-10', '2022-12-31', 'VP',
   'Đợt thi đua theo chuyên đề do Kế hoạch phát động: các phòng, đơn vị giải quyết thủ tục '
   'hành chính rà soát quy trình, cắt giảm từ 30% trở lên thời gian giải quyết, áp dụng dịch '
   'vụ công trực tuyến mức độ 4 và báo cáo kết quả về Văn phòng.')
) AS v (name, kind, starts_on, ends_on, unit_code, description)
JOIN units u ON u.organization_id = p.organization_id AND u.code = v.unit_code
WHERE NOT EXISTS (SELECT 1 FROM movements m WHERE m.organization_id = p.organization_id
                  AND m.name = v.name AND m.starts_on = v.starts_on::date);

-- ---- Dissemination and training sessions -------------------------------------
-- Keyed by (kind, held_on, topic).  The session of 18/02 precedes the plan
-- and belongs to none; it still counts for target 1 (held in the period).

INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, location, document_ids,
                      created_at)
SELECT o.id, CASE WHEN v.for_plan THEN (SELECT id FROM demo_plan) END, v.kind,
       v.held_on::date, v.topic, v.location,
       ARRAY(SELECT d.id FROM documents d WHERE d.organization_id = o.id
              AND d.code = ANY (v.docs) ORDER BY array_position(v.docs, d.code)),
       (v.held_on || ' 17:00+07')::timestamptz
FROM organizations o
CROSS JOIN (VALUES
  ('dissemination', '2022-02-18',
   'Hội nghị quán triệt Kết luận số 01-KL/TW của Bộ Chính trị và Kết luận số 21-KL/TW của Ban '
   'Chấp hành Trung ương Đảng khóa XIII',
   'Hội trường Ban Quản lý Khu kinh tế tỉnh', ARRAY['01-KL/TW', '21-KL/TW'], false),
  ('dissemination', '2022-10-14',
   'Quán triệt Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022; phổ biến Chỉ thị '
   'số 34-CT/TW, Luật Thi đua, Khen thưởng và các văn bản hướng dẫn thi hành',
   'Hội trường Ban Quản lý Khu kinh tế tỉnh',
   ARRAY['34-CT/TW', '15/2003/QH11', '91/2017/NĐ-CP', '12/2019/TT-BNV', '33/2018/QĐ-UBND'],
   true),
  ('training', '2022-11-10',
   'Tập huấn nghiệp vụ công tác thi đua, khen thưởng cho lãnh đạo các phòng, đơn vị và cán bộ '
   'làm công tác thi đua, khen thưởng',
   'Phòng họp Ban Quản lý Khu kinh tế tỉnh', ARRAY['91/2017/NĐ-CP', '12/2019/TT-BNV'], true)
) AS v (kind, held_on, topic, location, docs, for_plan)
WHERE o.code = 'BQLKKT-GL'
  AND NOT EXISTS (SELECT 1 FROM sessions x WHERE x.organization_id = o.id AND x.kind = v.kind
                  AND x.held_on = v.held_on::date AND x.topic = v.topic);

-- The make-up session for those absent on 14/10.
INSERT INTO sessions (organization_id, plan_id, kind, held_on, topic, location, makeup_of,
                      document_ids, created_at)
SELECT x.organization_id, x.plan_id, 'makeup', DATE '2022-12-15',
       'Học bù: quán triệt Kế hoạch triển khai công tác thi đua, khen thưởng năm 2022 và các '
       'văn bản về thi đua, khen thưởng', 'Phòng họp Văn phòng', x.id, x.document_ids,
       TIMESTAMPTZ '2022-12-15 17:00:00+07'
FROM sessions x JOIN organizations o ON o.id = x.organization_id AND o.code = 'BQLKKT-GL'
WHERE x.kind = 'dissemination' AND x.held_on = DATE '2022-10-14'
  AND NOT EXISTS (SELECT 1 FROM sessions m WHERE m.organization_id = x.organization_id
                  AND m.makeup_of = x.id);

CREATE TEMP VIEW demo_sessions AS
SELECT x.* FROM sessions x JOIN organizations o ON o.id = x.organization_id
 WHERE o.code = 'BQLKKT-GL' AND x.held_on IN ('2022-02-18', '2022-10-14', '2022-11-10',
                                                '2022-12-15');

INSERT INTO session_attendance (organization_id, session_id, staff_id, status, informed_on, note,
                                updated_at)
SELECT x.organization_id, x.id, y.staff_id, a.status, a.informed_on, coalesce(a.note, ''),
       x.created_at
FROM demo_sessions x
JOIN demo_people y ON y.organization_id = x.organization_id
CROSS JOIN LATERAL (
  SELECT y.s1 AS status, y.s1_on AS informed_on,
         CASE WHEN y.s1 = 'informed_later' THEN 'Vắng họp; được phổ biến lại tại phòng.' END
            AS note
   WHERE x.held_on = '2022-02-18'
  UNION ALL
  SELECT y.s2, y.s2_on, y.s2_note WHERE x.held_on = '2022-10-14'
  UNION ALL
  SELECT 'attended', NULL, NULL WHERE x.held_on = '2022-12-15' AND y.makeup
  UNION ALL
  -- the Office's emulation officers and the heads of the departments
  SELECT 'attended', NULL, NULL WHERE x.held_on = '2022-11-10'
     AND y.full_name IN ('Phạm Thị Kim Nga', 'Ngô Quang An', 'Dương Ngọc Nga',
                         'Hoàng Thị Mỹ Linh', 'Trần Minh Thắng', 'Dương Thành Bình',
                         'Ngô Thị Hồng Yến')
) a
WHERE a.status IS NOT NULL
ON CONFLICT (session_id, staff_id) DO NOTHING;

-- ---- Registrations ------------------------------------------------------------
-- One per unit; entries are the units' staff with a registered title.  The
-- Office accepted four, two are still submitted, one was returned.

INSERT INTO registrations (organization_id, plan_id, unit_id, collective_titles, commitments,
                           status, return_reason, submitted_at, decided_at, created_at,
                           updated_at, version)
SELECT p.organization_id, p.id, u.id, v.titles, v.commitments, v.status, v.reason,
       v.submitted::timestamptz, v.decided::timestamptz, v.created::timestamptz,
       coalesce(v.decided, v.submitted)::timestamptz,
       -- created, one change per entry, submitted, decided
       2 + (SELECT count(*) FROM demo_people y WHERE y.unit_id = u.id AND y.reg IS NOT NULL)
         + CASE WHEN v.decided IS NULL THEN 0 ELSE 1 END
FROM demo_plan p
CROSS JOIN (VALUES
  ('LD', '{}'::text[],
   'Lãnh đạo Ban gương mẫu, đi đầu trong các phong trào thi đua; chỉ đạo hoàn thành xuất sắc '
   'nhiệm vụ chính trị năm 2022.',
   'accepted', NULL, '2022-10-20 09:00+07', '2022-11-02 10:00+07', '2022-10-18 08:00+07'),
  ('VP', '{tap_the_lao_dong_tien_tien}',
   'Tham mưu kịp thời, chính xác; theo dõi, tổng hợp, báo cáo công tác thi đua, khen thưởng '
   'đúng hạn; bảo đảm cơ quan đạt công sở văn hóa và an toàn về an ninh, trật tự.',
   'accepted', NULL, '2022-10-24 14:00+07', '2022-11-02 10:00+07', '2022-10-17 08:00+07'),
  ('QLDT', '{tap_the_lao_dong_xuat_sac}',
   'Cắt giảm từ 30% trở lên thời gian giải quyết thủ tục hành chính về đầu tư; 100% hồ sơ '
   'giải quyết đúng hạn.',
   'accepted', NULL, '2022-10-25 16:00+07', '2022-11-03 09:00+07', '2022-10-19 08:00+07'),
  ('QHXD', '{tap_the_lao_dong_tien_tien}',
   'Hoàn thành thẩm định quy hoạch, cấp phép xây dựng đúng hạn; cắt giảm từ 30% trở lên thời '
   'gian giải quyết thủ tục hành chính.',
   'submitted', NULL, '2022-10-28 15:30+07', NULL, '2022-10-21 08:00+07'),
  ('DNLD', '{tap_the_lao_dong_tien_tien}',
   'Hỗ trợ doanh nghiệp trong khu kinh tế, khu công nghiệp; giải quyết thủ tục về lao động '
   'đúng hạn.',
   'returned',
   'Phòng đăng ký 2/5 cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở, vượt tỷ lệ 15% số cá nhân '
   'đạt danh hiệu “Lao động tiên tiến”; đề nghị phòng rà soát lại danh sách và gửi lại bản '
   'đăng ký.',
   '2022-10-27 10:00+07', '2022-11-04 15:00+07', '2022-10-20 08:00+07'),
  ('TNMT', '{tap_the_lao_dong_tien_tien}',
   'Giải quyết thủ tục hành chính về môi trường đúng hạn, cắt giảm từ 30% trở lên thời gian '
   'giải quyết.',
   'submitted', NULL, '2022-10-31 16:45+07', NULL, '2022-10-24 08:00+07'),
  ('BQLCK', '{tap_the_lao_dong_xuat_sac}',
   'Quản lý tốt hoạt động tại Khu kinh tế cửa khẩu quốc tế Lệ Thanh; phối hợp giữ vững an '
   'ninh, trật tự khu vực cửa khẩu.',
   'accepted', NULL, '2022-10-26 09:30+07', '2022-11-03 09:00+07', '2022-10-19 08:00+07')
) AS v (unit_code, titles, commitments, status, reason, submitted, decided, created)
JOIN units u ON u.organization_id = p.organization_id AND u.code = v.unit_code
ON CONFLICT (organization_id, plan_id, unit_id) DO NOTHING;

INSERT INTO registration_entries (organization_id, registration_id, staff_id, title_code,
                                  commitment, created_at)
SELECT g.organization_id, g.id, y.staff_id, y.reg,
       CASE y.reg WHEN 'chien_si_thi_dua_co_so'
         THEN 'Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được Hội đồng sáng kiến cơ sở công nhận.'
         ELSE 'Hoàn thành tốt nhiệm vụ được giao; chấp hành nghiêm kỷ luật, kỷ cương hành chính.'
       END,
       g.created_at
FROM demo_plan p
JOIN registrations g ON g.organization_id = p.organization_id AND g.plan_id = p.id
JOIN demo_people y ON y.organization_id = g.organization_id AND y.unit_id = g.unit_id
WHERE y.reg IS NOT NULL
ON CONFLICT (registration_id, staff_id) DO NOTHING;

-- ---- Year-end results ----------------------------------------------------------

INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, disciplined, rated_on,
                               source_document, created_at, updated_at)
SELECT y.organization_id, y.staff_id, 2022, y.rating, false, DATE '2022-12-16',
       'Quyết định số 208/QĐ-BQLKKT ngày 16/12/2022 về đánh giá, xếp loại chất lượng công chức, '
       'người lao động năm 2022',
       TIMESTAMPTZ '2022-12-16 16:00+07', TIMESTAMPTZ '2022-12-16 16:00+07'
FROM demo_people y
WHERE y.rating IS NOT NULL
ON CONFLICT (organization_id, staff_id, year) DO NOTHING;

INSERT INTO staff_titles (organization_id, staff_id, year, title_code, decision_number,
                          decision_date, created_at)
SELECT y.organization_id, y.staff_id, 2022, t.code, '215/QĐ-BQLKKT', DATE '2022-12-28',
       TIMESTAMPTZ '2022-12-28 16:00+07'
FROM demo_people y CROSS JOIN LATERAL unnest(y.titles) AS t (code)
ON CONFLICT (organization_id, staff_id, year, title_code) DO NOTHING;

INSERT INTO collective_ratings (organization_id, year, subject_kind, subject_name, unit_id, rating,
                                rated_on, source_document, created_at)
SELECT o.id, 2022, v.kind, v.name, NULL, v.rating, v.rated_on::date, v.source,
       (v.rated_on || ' 16:00+07')::timestamptz
FROM organizations o
CROSS JOIN (VALUES
  ('mass_organization', 'Công đoàn cơ sở Ban Quản lý Khu kinh tế tỉnh', 'good', '2022-11-25',
   'Quyết định số 95/QĐ-CĐVC ngày 25/11/2022 của Công đoàn Viên chức tỉnh'),
  ('mass_organization', 'Chi đoàn Ban Quản lý Khu kinh tế tỉnh', 'excellent', '2022-12-12',
   'Quyết định số 47-QĐ/ĐTN ngày 12/12/2022 của Đoàn Khối các cơ quan tỉnh'),
  ('party_cell', 'Chi bộ Ban Quản lý Khu kinh tế tỉnh', 'good', '2022-12-20',
   'Quyết định số 312-QĐ/ĐU ngày 20/12/2022 của Đảng ủy Khối các cơ quan tỉnh'),
  ('agency', 'Ban Quản lý Khu kinh tế tỉnh Gia Lai', 'good', '2022-12-29',
   'Quyết định số 786/QĐ-UBND ngày 29/12/2022 của Ủy ban nhân dân tỉnh')
) AS v (kind, name, rating, rated_on, source)
WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (organization_id, year, subject_kind, subject_name) DO NOTHING;

INSERT INTO recognitions (organization_id, year, kind, granted_on, issuer, evidence, created_at)
SELECT o.id, 2022, v.kind, v.granted_on::date, v.issuer, v.evidence,
       (v.granted_on || ' 16:00+07')::timestamptz
FROM organizations o
CROSS JOIN (VALUES
  ('security_order', '2022-12-05', 'Công an tỉnh Gia Lai',
   'Quyết định số 1450/QĐ-CAT ngày 05/12/2022 công nhận cơ quan đạt tiêu chuẩn “An toàn về an '
   'ninh, trật tự” năm 2022'),
  ('cultural_office', '2022-12-22',
   'Ban Chỉ đạo phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” tỉnh',
   'Quyết định số 28/QĐ-BCĐ ngày 22/12/2022 công nhận cơ quan đạt chuẩn văn hóa năm 2022')
) AS v (kind, granted_on, issuer, evidence)
WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (organization_id, year, kind) DO NOTHING;

-- ND1: the cut in processing time (%) reported by the units that handle
-- administrative procedures; the latest report of each unit counts.
INSERT INTO target_reports (organization_id, series_id, target_code, unit_id, value, reported_on,
                            note, created_at)
SELECT p.organization_id, p.series_id, 'ND1', u.id, v.value, v.reported_on::date, v.note,
       (v.reported_on || ' 16:00+07')::timestamptz
FROM demo_plan p
CROSS JOIN (VALUES
  ('QLDT', 35.00, '2022-06-30', 'Báo cáo 6 tháng.'),
  ('QHXD', 30.00, '2022-06-30', 'Báo cáo 6 tháng.'),
  ('DNLD', 22.50, '2022-06-30', 'Báo cáo 6 tháng.'),
  ('QLDT', 38.50, '2022-11-15', 'Báo cáo 11 tháng.'),
  ('TNMT', 31.25, '2022-11-18', 'Báo cáo 11 tháng.'),
  ('DNLD', 27.00, '2022-11-20',
   'Báo cáo 11 tháng; thủ tục cấp giấy phép lao động phải lấy ý kiến liên ngành nên chưa cắt '
   'giảm được thời gian.'),
  ('DNLD', 28.00, '2022-12-26', 'Báo cáo năm.')
) AS v (unit_code, value, reported_on, note)
JOIN units u ON u.organization_id = p.organization_id AND u.code = v.unit_code
WHERE NOT EXISTS (SELECT 1 FROM target_reports x WHERE x.organization_id = p.organization_id
                  AND x.series_id = p.series_id AND x.target_code = 'ND1' AND x.unit_id = u.id
                  AND x.reported_on = v.reported_on::date);

DROP VIEW demo_sessions, demo_people, demo_plan;
DROP TABLE demo_year_2022;
