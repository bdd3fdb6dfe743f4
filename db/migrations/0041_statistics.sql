-- 0041_statistics.sql — the statistics forms of emulation and commendation
-- (issue 14 §3): Circular 02/2023/TT-BNV, forms 0601.N to 0605.N/BNV-TĐKT.
--
-- The forms count five things: the emulation movements launched in the
-- period (0601), the State's awards (0602), the ministries' and
-- provinces' awards (0603), the organisations that do the work (0604) and
-- the civil servants who do it (0605).  Each is computed from the
-- service's own records (db/procedures/statistics.sql) for the period the
-- regime sets (01/12 of the year before to 30/11), and a province adds up
-- its agencies.
--
-- The law is data: the regime (which circular, its period, the day the
-- report is due, the days it governs) and every form's rows and columns,
-- with what each counts, are rows below.  The regime of a report year is
-- the one in force on the day that year's report is due; a later circular
-- (18/2025/TT-BNV, whose forms are not yet known here) is a new regime
-- and a new layout, not new code.
--
-- The layouts come from the forms as published in vendors' templates of
-- Circular 02/2023 (the official appendix II was not found; see the issue
-- note), so each regime says how sure it is.

-- ---- what the records must say for the forms to count them ----------------

-- 0601 splits movements by the level that launched them and their scope.
-- A movement the agency records by default is its own (agency, agency).
ALTER TABLE movements
  ADD COLUMN launch_level text NOT NULL DEFAULT 'agency'
    CHECK (launch_level IN ('central', 'ministry_province', 'agency')),
  ADD COLUMN scope text NOT NULL DEFAULT 'agency'
    CHECK (scope IN ('national', 'sector_locality', 'bloc', 'agency'));

-- 0602 and 0603 split awards by their kind of commendation.  Until now a
-- record said only whether it was ad hoc or thematic (adhoc, Decree 152
-- Art. 4.3): NULL keeps that reading (adhoc → 'adhoc', else 'regular').
ALTER TABLE awards
  ADD COLUMN method text CHECK (method IN ('regular', 'thematic', 'adhoc', 'foreign',
                                           'contribution', 'seniority', 'resistance'));
ALTER TABLE staff_titles
  ADD COLUMN method text CHECK (method IN ('regular', 'thematic', 'adhoc', 'foreign',
                                           'contribution', 'seniority', 'resistance'));
CREATE INDEX awards_decided ON awards (organization_id, decision_date);
CREATE INDEX staff_titles_decided ON staff_titles (organization_id, decision_date);

-- A person's place among the recipients of 0602 and 0603 (leaders of a
-- province or ministry, of a department, other leaders from deputy head
-- of division, businesspeople, people who work directly), the TĐKT work
-- they do (since when: NULL, none) and their training, for 0605.
ALTER TABLE staff
  ADD COLUMN recipient_category text
    CHECK (recipient_category IN ('ministry_province_leader', 'department_leader',
                                  'other_leader', 'businessperson', 'direct_worker')),
  ADD COLUMN tdkt_since date,
  ADD COLUMN training_level text
    CHECK (training_level IN ('elementary', 'intermediate', 'college', 'university',
                              'postgraduate'));
CREATE INDEX staff_tdkt ON staff (organization_id) WHERE tdkt_since IS NOT NULL;

-- 0604 counts the bodies that do the work: a Vụ of a ministry, a division
-- of a Vụ, a board (Ban Thi đua – Khen thưởng) or a division of a
-- province's Department of Home Affairs.
ALTER TABLE units
  ADD COLUMN tdkt_body text
    CHECK (tdkt_body IN ('ministry_department', 'ministry_division', 'home_affairs_board',
                         'home_affairs_division'));

-- The State's and the province's forms that the agency records when they
-- are awarded to its people from above (0602, 0603).  Names as the Law on
-- Emulation and Commendation 2022 (Art. 33-35, 71-73) prints them.
INSERT INTO award_kinds (code, category, level, decided_at, name_vi, name_en) VALUES
  ('huan_chuong_lao_dong_hang_nhat', 'form', 'both', 'national',
   'Huân chương Lao động hạng Nhất', 'Labour Order, First Class'),
  ('huan_chuong_lao_dong_hang_nhi', 'form', 'both', 'national',
   'Huân chương Lao động hạng Nhì', 'Labour Order, Second Class'),
  ('huan_chuong_lao_dong_hang_ba', 'form', 'both', 'national',
   'Huân chương Lao động hạng Ba', 'Labour Order, Third Class'),
  ('giai_thuong_ho_chi_minh', 'form', 'individual', 'national',
   'Giải thưởng Hồ Chí Minh', 'Hồ Chí Minh Prize'),
  ('giai_thuong_nha_nuoc', 'form', 'individual', 'national',
   'Giải thưởng Nhà nước', 'State Prize'),
  ('anh_hung_lao_dong', 'form', 'both', 'national',
   'Danh hiệu Anh hùng Lao động', 'Labour Hero'),
  ('bang_khen_thu_tuong', 'form', 'both', 'national',
   'Bằng khen của Thủ tướng Chính phủ', 'Prime Minister''s certificate of merit'),
  ('ky_niem_chuong_tinh', 'form', 'individual', 'province',
   'Kỷ niệm chương, huy hiệu của tỉnh', 'Provincial commemorative medal or badge')
ON CONFLICT (code) DO NOTHING;

-- ---- the law: regimes and their layouts -------------------------------------

-- A regime governs the report years whose report is due from valid_from
-- to valid_until (the last day; NULL: open).  The period runs from
-- period_start (month, day) of the year before the report year when
-- period_start_prior is set, to period_end of the report year.  layout:
-- whose rows and columns it prints (its own, or another regime's while
-- its own are not entered: status 'placeholder').
CREATE TABLE stat_regimes (
  code          text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  document      text NOT NULL CHECK (length(document) BETWEEN 1 AND 200),
  issued_on     date NOT NULL,
  valid_from    date NOT NULL,
  valid_until   date,
  period_start_month smallint NOT NULL CHECK (period_start_month BETWEEN 1 AND 12),
  period_start_day   smallint NOT NULL CHECK (period_start_day BETWEEN 1 AND 31),
  period_start_prior boolean NOT NULL,
  period_end_month   smallint NOT NULL CHECK (period_end_month BETWEEN 1 AND 12),
  period_end_day     smallint NOT NULL CHECK (period_end_day BETWEEN 1 AND 31),
  due_month     smallint NOT NULL CHECK (due_month BETWEEN 1 AND 12),
  due_day       smallint NOT NULL CHECK (due_day BETWEEN 1 AND 31),
  layout        text NOT NULL,
  -- who receives a province's report (an agency's goes to its province)
  receiver_vi   text NOT NULL,
  receiver_en   text NOT NULL,
  status        text NOT NULL CHECK (status IN ('confirmed', 'secondary', 'placeholder')),
  note_vi       text NOT NULL DEFAULT '',
  note_en       text NOT NULL DEFAULT '',
  sources       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(sources) = 'array'),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

-- The forms of a layout, in order: their number as printed, title, and
-- the unit of their figures.
CREATE TABLE stat_forms (
  layout        text NOT NULL,
  form          text NOT NULL CHECK (form ~ '^[0-9]{4}$'),
  position      smallint NOT NULL,
  number        text NOT NULL,
  title_vi      text NOT NULL,
  title_en      text NOT NULL,
  unit_vi       text NOT NULL DEFAULT '',
  unit_en       text NOT NULL DEFAULT '',
  PRIMARY KEY (layout, form),
  UNIQUE (layout, position)
);

-- Its columns: the key printed over them ('1', '2', …), the group heading
-- they sit under, and what they count: tag is matched against the tags of
-- each counted record (db/procedures/statistics.sql); award_codes, when
-- given, are the award kinds the column counts, and subject narrows them
-- to collectives or individuals.
CREATE TABLE stat_form_columns (
  layout        text NOT NULL,
  form          text NOT NULL,
  position      smallint NOT NULL,
  key           text NOT NULL,
  tag           text NOT NULL,
  group_vi      text NOT NULL DEFAULT '',
  group_en      text NOT NULL DEFAULT '',
  label_vi      text NOT NULL,
  label_en      text NOT NULL,
  award_codes   text[],
  subject       text CHECK (subject IN ('collective', 'individual')),
  PRIMARY KEY (layout, form, position),
  UNIQUE (layout, form, key),
  FOREIGN KEY (layout, form) REFERENCES stat_forms (layout, form)
);

-- Its rows: the code printed (NULL: a section heading), the tag of what
-- it counts, and the row its section adds up to (sums_to, section):
-- rows 02-05 of 0601 make up row 01, so their sum is checked against it
-- and a gap is reported (records that do not say their scope).
CREATE TABLE stat_form_rows (
  layout        text NOT NULL,
  form          text NOT NULL,
  position      smallint NOT NULL,
  code          text,
  tag           text,
  label_vi      text NOT NULL,
  label_en      text NOT NULL,
  unit_vi       text NOT NULL DEFAULT '',
  unit_en       text NOT NULL DEFAULT '',
  sums_to       text,
  section       smallint,
  PRIMARY KEY (layout, form, position),
  FOREIGN KEY (layout, form) REFERENCES stat_forms (layout, form),
  CHECK ((code IS NULL) = (tag IS NULL)),
  CHECK ((sums_to IS NULL) = (section IS NULL))
);

-- ---- the layout of Circular 02/2023/TT-BNV, appendix II ----------------------
-- Labels as printed (their typing errors mended: "TRỰC THUỘC", "đối",
-- the 0605 code printed twice); row codes with two digits.  0602 has no
-- rows 04 and 05 in the printed form.

INSERT INTO stat_forms (layout, form, position, number, title_vi, title_en, unit_vi, unit_en)
VALUES
  ('tt02_2023', '0601', 1, '0601.N/BNV-TĐKT', 'SỐ PHONG TRÀO THI ĐUA',
   'NUMBER OF EMULATION MOVEMENTS', 'Phong trào', 'Movements'),
  ('tt02_2023', '0602', 2, '0602.N/BNV-TĐKT', 'SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC',
   'NUMBER OF STATE-LEVEL AWARDS', '', ''),
  ('tt02_2023', '0603', 3, '0603.N/BNV-TĐKT',
   'SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC '
   'THUỘC TRUNG ƯƠNG',
   'NUMBER OF AWARDS OF MINISTRIES, CENTRAL BODIES AND PROVINCES', '', ''),
  ('tt02_2023', '0604', 4, '0604.N/BNV-TĐKT',
   'SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG '
   'ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG',
   'NUMBER OF ORGANISATIONS DOING EMULATION AND COMMENDATION WORK', '', ''),
  ('tt02_2023', '0605', 5, '0605.N/BNV-TĐKT',
   'SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH ĐOÀN THỂ TRUNG '
   'ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG',
   'NUMBER OF CIVIL SERVANTS DOING EMULATION AND COMMENDATION WORK', 'Người', 'Persons');

INSERT INTO stat_form_columns (layout, form, position, key, tag, group_vi, group_en, label_vi,
                               label_en, award_codes, subject)
VALUES
  ('tt02_2023', '0601', 1, '1', 'total', '', '', 'Tổng số', 'Total', NULL, NULL),
  ('tt02_2023', '0601', 2, '2', 'central',
   'Số phong trào thi đua chia theo cấp chủ trì phát động thi đua',
   'By the level that launched the movement',
   'Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)',
   'Central level (Central Emulation and Commendation Council)', NULL, NULL),
  ('tt02_2023', '0601', 3, '3', 'ministry_province',
   'Số phong trào thi đua chia theo cấp chủ trì phát động thi đua',
   'By the level that launched the movement',
   'Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương',
   'Ministry, central body or province', NULL, NULL),
  ('tt02_2023', '0601', 4, '4', 'agency',
   'Số phong trào thi đua chia theo cấp chủ trì phát động thi đua',
   'By the level that launched the movement',
   'Cơ quan, tổ chức, đơn vị', 'Agency, organisation or unit', NULL, NULL),

  ('tt02_2023', '0602', 1, '1', 'total', '', '', 'Tổng số', 'Total', NULL, NULL),
  ('tt02_2023', '0602', 2, '2a', '2a', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Nhất — Tập thể', 'Labour Order, First Class — collective',
   '{huan_chuong_lao_dong_hang_nhat}', 'collective'),
  ('tt02_2023', '0602', 3, '2b', '2b', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Nhất — Cá nhân', 'Labour Order, First Class — individual',
   '{huan_chuong_lao_dong_hang_nhat}', 'individual'),
  ('tt02_2023', '0602', 4, '2c', '2c', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Nhì — Tập thể', 'Labour Order, Second Class — collective',
   '{huan_chuong_lao_dong_hang_nhi}', 'collective'),
  ('tt02_2023', '0602', 5, '2d', '2d', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Nhì — Cá nhân', 'Labour Order, Second Class — individual',
   '{huan_chuong_lao_dong_hang_nhi}', 'individual'),
  ('tt02_2023', '0602', 6, '2e', '2e', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Ba — Tập thể', 'Labour Order, Third Class — collective',
   '{huan_chuong_lao_dong_hang_ba}', 'collective'),
  ('tt02_2023', '0602', 7, '2f', '2f', 'Các loại huân chương, huy chương', 'Orders and medals',
   'Huân chương Lao động hạng Ba — Cá nhân', 'Labour Order, Third Class — individual',
   '{huan_chuong_lao_dong_hang_ba}', 'individual'),
  ('tt02_2023', '0602', 8, '3', '3', '', '', 'Giải thưởng Hồ Chí Minh — Cá nhân',
   'Hồ Chí Minh Prize — individual', '{giai_thuong_ho_chi_minh}', 'individual'),
  ('tt02_2023', '0602', 9, '4', '4', '', '', 'Giải thưởng Nhà nước — Cá nhân',
   'State Prize — individual', '{giai_thuong_nha_nuoc}', 'individual'),
  ('tt02_2023', '0602', 10, '5a', '5a', 'Danh hiệu vinh dự nhà nước', 'State honorary titles',
   'Anh hùng Lao động — Tập thể', 'Labour Hero — collective', '{anh_hung_lao_dong}',
   'collective'),
  ('tt02_2023', '0602', 11, '5b', '5b', 'Danh hiệu vinh dự nhà nước', 'State honorary titles',
   'Anh hùng Lao động — Cá nhân', 'Labour Hero — individual', '{anh_hung_lao_dong}',
   'individual'),
  ('tt02_2023', '0602', 12, '6', '6', '', '', 'Cờ thi đua của Chính phủ — Tập thể',
   'Government emulation flag — collective', '{co_thi_dua_chinh_phu}', 'collective'),
  ('tt02_2023', '0602', 13, '7a', '7a', 'Bằng khen của Thủ tướng Chính phủ',
   'Prime Minister''s certificate of merit', 'Tập thể', 'Collective', '{bang_khen_thu_tuong}',
   'collective'),
  ('tt02_2023', '0602', 14, '7b', '7b', 'Bằng khen của Thủ tướng Chính phủ',
   'Prime Minister''s certificate of merit', 'Cá nhân', 'Individual', '{bang_khen_thu_tuong}',
   'individual'),
  ('tt02_2023', '0602', 15, '8', '8', '', '',
   'Danh hiệu "Chiến sĩ thi đua Toàn quốc" — Cá nhân',
   'National emulation fighter — individual', '{chien_si_thi_dua_toan_quoc}', 'individual'),

  ('tt02_2023', '0603', 1, '1', 'total', '', '', 'Tổng số', 'Total', NULL, NULL),
  ('tt02_2023', '0603', 2, '2', '2', 'Chia ra', 'Of which', 'Bằng khen',
   'Certificate of merit', '{bang_khen_tinh}', NULL),
  ('tt02_2023', '0603', 3, '3', '3', 'Chia ra', 'Of which', 'Chiến sĩ thi đua cấp bộ, cấp tỉnh',
   'Ministry or provincial emulation fighter', '{chien_si_thi_dua_cap_tinh}', NULL),
  ('tt02_2023', '0603', 4, '4', '4', 'Chia ra', 'Of which',
   'Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương',
   'Emulation flag of a ministry, central body or province', '{co_thi_dua_cap_tinh}', NULL),
  ('tt02_2023', '0603', 5, '5', '5', 'Chia ra', 'Of which',
   'Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực '
   'thuộc Trung ương',
   'Badge (commemorative medal) of a ministry, central body or province',
   '{ky_niem_chuong_tinh}', NULL),

  ('tt02_2023', '0604', 1, '1', 'total', '', '', 'Số lượng', 'Number', NULL, NULL),

  ('tt02_2023', '0605', 1, '1', 'total', 'Số lượng (Người)', 'Number (persons)', 'Tổng số',
   'Total', NULL, NULL),
  ('tt02_2023', '0605', 2, '2', 'female', 'Số lượng (Người)', 'Number (persons)',
   'Trong đó: Nữ', 'Of whom women', NULL, NULL);

INSERT INTO stat_form_rows (layout, form, position, code, tag, label_vi, label_en, unit_vi,
                            unit_en, sums_to, section)
VALUES
  ('tt02_2023', '0601', 1, '01', 'all', 'Tổng số', 'Total', '', '', NULL, NULL),
  ('tt02_2023', '0601', 2, NULL, NULL, '1. Chia theo phạm vi tổ chức thi đua',
   '1. By the scope of the movement', '', '', NULL, NULL),
  ('tt02_2023', '0601', 3, '02', 'scope:national', '- Toàn quốc', '- Nationwide', '', '',
   '01', 1),
  ('tt02_2023', '0601', 4, '03', 'scope:sector_locality',
   '- Bộ, ban, ngành đoàn thể, địa phương', '- Ministry, central body or locality', '', '',
   '01', 1),
  ('tt02_2023', '0601', 5, '04', 'scope:bloc',
   '- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức',
   '- Emulation clusters and blocs run by the councils at each level', '', '', '01', 1),
  ('tt02_2023', '0601', 6, '05', 'scope:agency', '- Cơ quan, tổ chức, đơn vị',
   '- Agency, organisation or unit', '', '', '01', 1),
  ('tt02_2023', '0601', 7, NULL, NULL, '2. Chia theo thời hạn thi đua',
   '2. By the movement''s duration', '', '', NULL, NULL),
  ('tt02_2023', '0601', 8, '06', 'duration:lt1', '- Dưới 1 năm', '- Under 1 year', '', '',
   '01', 2),
  ('tt02_2023', '0601', 9, '07', 'duration:1', '- 1 năm', '- 1 year', '', '', '01', 2),
  ('tt02_2023', '0601', 10, '08', 'duration:1_3', '- Từ 1 năm đến dưới 3 năm',
   '- Over 1 and under 3 years', '', '', '01', 2),
  ('tt02_2023', '0601', 11, '09', 'duration:3_5', '- Từ 3 năm đến dưới 5 năm',
   '- From 3 to under 5 years', '', '', '01', 2),
  ('tt02_2023', '0601', 12, '10', 'duration:ge5', '- Từ 5 năm trở lên', '- 5 years or more',
   '', '', '01', 2),
  ('tt02_2023', '0601', 13, NULL, NULL, '3. Chia theo phương thức tổ chức phong trào thi đua',
   '3. By the way the movement is organised', '', '', NULL, NULL),
  ('tt02_2023', '0601', 14, '11', 'method:thematic', '- Thi đua theo chuyên đề',
   '- Thematic emulation', '', '', '01', 3),
  ('tt02_2023', '0601', 15, '12', 'method:regular', '- Thi đua thường xuyên hàng năm',
   '- Regular yearly emulation', '', '', '01', 3),

  ('tt02_2023', '0602', 1, '01', 'all', 'Tổng số', 'Total', '', '', NULL, NULL),
  ('tt02_2023', '0602', 2, NULL, NULL,
   '1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng',
   '1. By the body that proposed the award to the Prime Minister', '', '', NULL, NULL),
  ('tt02_2023', '0602', 3, '02', 'proposer:ministry', '- Bộ, ban, ngành, đoàn thể Trung ương',
   '- Ministries and central bodies', 'Bộ, ngành', 'Ministries', '01', 1),
  ('tt02_2023', '0602', 4, '03', 'proposer:province', '- Tỉnh, thành phố trực thuộc Trung ương',
   '- Provinces', 'Tỉnh, TP', 'Provinces', '01', 1),
  ('tt02_2023', '0602', 5, NULL, NULL, '2. Chia theo đối tượng khen thưởng', '2. By recipient',
   '', '', NULL, NULL),
  ('tt02_2023', '0602', 6, '06', 'subject:collective', '- Tập thể', '- Collectives', 'Tập thể',
   'Collectives', '01', 2),
  ('tt02_2023', '0602', 7, '07', 'enterprise', 'Trong đó: Doanh nghiệp',
   'Of which: enterprises', 'Doanh nghiệp', 'Enterprises', NULL, NULL),
  ('tt02_2023', '0602', 8, '08', 'subject:household', '- Hộ gia đình', '- Households', 'Hộ',
   'Households', '01', 2),
  ('tt02_2023', '0602', 9, '09', 'subject:individual', '- Cá nhân', '- Individuals', 'Người',
   'Persons', '01', 2),
  ('tt02_2023', '0602', 10, '10', 'category:ministry_province_leader',
   '+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên',
   '+ Leaders at ministry or province level and above', 'Người', 'Persons', '09', 1),
  ('tt02_2023', '0602', 11, '11', 'category:department_leader',
   '+ Lãnh đạo cấp vụ, sở, ngành và tương đương',
   '+ Leaders at department level and equivalent', 'Người', 'Persons', '09', 1),
  ('tt02_2023', '0602', 12, '12', 'category:businessperson', '+ Doanh nhân', '+ Businesspeople',
   'Người', 'Persons', '09', 1),
  ('tt02_2023', '0602', 13, '13', 'category:other_leader',
   '+ Các cấp lãnh đạo khác từ phó phòng trở lên',
   '+ Other leaders from deputy head of division up', 'Người', 'Persons', '09', 1),
  ('tt02_2023', '0602', 14, '14', 'category:direct_worker',
   '+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, '
   'nông dân,...)',
   '+ People working directly (workers, farmers, …)', 'Người', 'Persons', '09', 1),
  ('tt02_2023', '0602', 15, NULL, NULL, '3. Chia theo phương thức khen thưởng',
   '3. By kind of commendation', '', '', NULL, NULL),
  ('tt02_2023', '0602', 16, '15', 'method:regular', '- Thường xuyên', '- Regular', '', '',
   '01', 3),
  ('tt02_2023', '0602', 17, '16', 'method:thematic', '- Chuyên đề', '- Thematic', '', '',
   '01', 3),
  ('tt02_2023', '0602', 18, '17', 'method:adhoc', '- Đột xuất', '- Ad hoc', '', '', '01', 3),
  ('tt02_2023', '0602', 19, '18', 'method:foreign', '- Đối ngoại', '- Foreign', '', '', '01', 3),
  ('tt02_2023', '0602', 20, '19', 'method:contribution', '- Cống hiến',
   '- For a career''s contribution', '', '', '01', 3),
  ('tt02_2023', '0602', 21, '20', 'method:seniority', '- Niên hạn', '- For length of service',
   '', '', '01', 3),
  ('tt02_2023', '0602', 22, '21', 'method:resistance', '- Kháng chiến',
   '- For the resistance wars', '', '', '01', 3),

  ('tt02_2023', '0603', 1, '01', 'all', 'Tổng số', 'Total', '', '', NULL, NULL),
  ('tt02_2023', '0603', 2, NULL, NULL, '1. Chia theo đối tượng khen thưởng', '1. By recipient',
   '', '', NULL, NULL),
  ('tt02_2023', '0603', 3, '02', 'subject:collective', '- Tập thể', '- Collectives', 'Tập thể',
   'Collectives', '01', 1),
  ('tt02_2023', '0603', 4, '03', 'enterprise', 'Trong đó: Doanh nghiệp',
   'Of which: enterprises', 'Doanh nghiệp', 'Enterprises', NULL, NULL),
  ('tt02_2023', '0603', 5, '04', 'subject:household', '- Hộ gia đình', '- Households', 'Hộ',
   'Households', '01', 1),
  ('tt02_2023', '0603', 6, '05', 'subject:individual', '- Cá nhân', '- Individuals', 'Người',
   'Persons', '01', 1),
  ('tt02_2023', '0603', 7, '06', 'category:ministry_province_leader',
   '+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên',
   '+ Leaders at ministry or province level and above', 'Người', 'Persons', '05', 1),
  ('tt02_2023', '0603', 8, '07', 'category:department_leader',
   '+ Lãnh đạo cấp vụ, sở, ngành và tương đương',
   '+ Leaders at department level and equivalent', 'Người', 'Persons', '05', 1),
  ('tt02_2023', '0603', 9, '08', 'category:businessperson', '+ Doanh nhân', '+ Businesspeople',
   'Người', 'Persons', '05', 1),
  ('tt02_2023', '0603', 10, '09', 'category:other_leader',
   '+ Các cấp lãnh đạo khác từ phó phòng trở lên',
   '+ Other leaders from deputy head of division up', 'Người', 'Persons', '05', 1),
  ('tt02_2023', '0603', 11, '10', 'category:direct_worker',
   '+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, '
   'nông dân,...)',
   '+ People working directly (workers, farmers, …)', 'Người', 'Persons', '05', 1),
  ('tt02_2023', '0603', 12, NULL, NULL, '2. Chia theo phương thức khen thưởng',
   '2. By kind of commendation', '', '', NULL, NULL),
  ('tt02_2023', '0603', 13, '11', 'method:regular', '- Thường xuyên', '- Regular', '', '',
   '01', 2),
  ('tt02_2023', '0603', 14, '12', 'method:thematic', '- Chuyên đề', '- Thematic', '', '',
   '01', 2),
  ('tt02_2023', '0603', 15, '13', 'method:adhoc', '- Đột xuất', '- Ad hoc', '', '', '01', 2),
  ('tt02_2023', '0603', 16, '14', 'method:foreign', '- Đối ngoại', '- Foreign', '', '', '01', 2),
  ('tt02_2023', '0603', 17, '15', 'method:contribution', '- Cống hiến',
   '- For a career''s contribution', '', '', '01', 2),
  ('tt02_2023', '0603', 18, '16', 'method:seniority', '- Niên hạn', '- For length of service',
   '', '', '01', 2),
  ('tt02_2023', '0603', 19, '17', 'method:resistance', '- Kháng chiến',
   '- For the resistance wars', '', '', '01', 2),

  ('tt02_2023', '0604', 1, '01', 'all', 'Tổng số', 'Total', 'Tổ chức', 'Organisations', NULL,
   NULL),
  ('tt02_2023', '0604', 2, NULL, NULL, 'Chia theo cơ cấu tổ chức bộ máy',
   'By organisational structure', '', '', NULL, NULL),
  ('tt02_2023', '0604', 3, '02', 'body:ministry_department',
   '- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương',
   '- Departments (Vụ) of ministries and central bodies', 'Vụ', 'Departments', '01', 1),
  ('tt02_2023', '0604', 4, '03', 'body:ministry_division',
   '- Cấp phòng, ban hoặc bộ phận thuộc Vụ', '- Divisions or sections of a Vụ', 'Phòng',
   'Divisions', '01', 1),
  ('tt02_2023', '0604', 5, '04', 'body:home_affairs_board', '- Cấp ban thuộc Sở Nội vụ',
   '- Boards of a Department of Home Affairs', 'Ban', 'Boards', '01', 1),
  ('tt02_2023', '0604', 6, '05', 'body:home_affairs_division', '- Cấp phòng thuộc Sở Nội vụ',
   '- Divisions of a Department of Home Affairs', 'Phòng', 'Divisions', '01', 1),

  ('tt02_2023', '0605', 1, '01', 'all', 'Tổng số', 'Total', '', '', NULL, NULL),
  ('tt02_2023', '0605', 2, NULL, NULL, '1. Chia theo độ tuổi', '1. By age', '', '', NULL, NULL),
  ('tt02_2023', '0605', 3, '02', 'age:le30', '- Từ 30 trở xuống', '- 30 or under', '', '',
   '01', 1),
  ('tt02_2023', '0605', 4, '03', 'age:31_40', '- Từ 31 đến 40', '- 31 to 40', '', '', '01', 1),
  ('tt02_2023', '0605', 5, '04', 'age:41_50', '- Từ 41 đến 50', '- 41 to 50', '', '', '01', 1),
  ('tt02_2023', '0605', 6, '05', 'age:51_55', '- Từ 51 đến 55', '- 51 to 55', '', '', '01', 1),
  ('tt02_2023', '0605', 7, '06', 'age:56_60', '- Từ 56 đến 60', '- 56 to 60', '', '', '01', 1),
  ('tt02_2023', '0605', 8, '07', 'age:gt60', '- Trên 60 tuổi', '- Over 60', '', '', '01', 1),
  ('tt02_2023', '0605', 9, NULL, NULL, '2. Chia theo trình độ đào tạo', '2. By training', '', '',
   NULL, NULL),
  ('tt02_2023', '0605', 10, '08', 'training:elementary', '- Sơ cấp', '- Elementary', '', '',
   '01', 2),
  ('tt02_2023', '0605', 11, '09', 'training:intermediate', '- Trung cấp', '- Intermediate', '',
   '', '01', 2),
  ('tt02_2023', '0605', 12, '10', 'training:college', '- Cao đẳng', '- College', '', '', '01', 2),
  ('tt02_2023', '0605', 13, '11', 'training:university', '- Đại học', '- University', '', '',
   '01', 2),
  ('tt02_2023', '0605', 14, '12', 'training:postgraduate', '- Trên đại học', '- Postgraduate',
   '', '', '01', 2),
  ('tt02_2023', '0605', 15, NULL, NULL,
   '3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng',
   '3. By years worked in emulation and commendation', '', '', NULL, NULL),
  ('tt02_2023', '0605', 16, '13', 'seniority:lt5', '- Dưới 5 năm', '- Under 5 years', '', '',
   '01', 3),
  ('tt02_2023', '0605', 17, '14', 'seniority:5_10', '- Từ 5 đến 10 năm',
   '- 5 to under 10 years', '', '', '01', 3),
  ('tt02_2023', '0605', 18, '15', 'seniority:ge10', '- Từ 10 năm trở lên', '- 10 years or more',
   '', '', '01', 3);

-- The regimes.  02/2023 governs the reports due from the day it took
-- effect; the reports due before (2018-2022) fell under 03/2018, whose
-- forms (0701-0703.N) are not entered: they are laid out in 02/2023's
-- forms and say so (status 'placeholder').
INSERT INTO stat_regimes (code, document, issued_on, valid_from, valid_until,
                          period_start_month, period_start_day, period_start_prior,
                          period_end_month, period_end_day, due_month, due_day, layout,
                          receiver_vi, receiver_en, status,
                          note_vi, note_en, sources)
VALUES
  ('tt02_2023', 'Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ Nội vụ', '2023-03-23',
   '2023-05-10', NULL, 12, 1, true, 11, 30, 12, 15, 'tt02_2023',
   'Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)',
   'Ministry of Home Affairs (Central Emulation and Commendation Board)', 'secondary',
   'Biểu mẫu theo Phụ lục II; bố cục lấy từ mẫu biểu đã công bố, chưa đối chiếu bản gốc. '
   'Kỳ số liệu lĩnh vực thi đua, khen thưởng: từ 01/12 năm trước đến 30/11 năm báo cáo; ngày '
   'nhận báo cáo: 15/12 năm báo cáo.',
   'Forms of appendix II, laid out from published templates, not checked against the '
   'official text.  The period of the emulation and commendation field runs from 01/12 of '
   'the year before to 30/11 of the report year; the report is received on 15/12.',
   '[{"document": "Thông tư 02/2023/TT-BNV", "part": "Phụ lục I, Phụ lục II", "in_force_from": "2023-05-10"},
     {"document": "Sở Nội vụ Hưng Yên, giới thiệu Thông tư 02/2023/TT-BNV", "part": "kỳ báo cáo"}]'),
  ('tt03_2018', 'Thông tư số 03/2018/TT-BNV ngày 06/3/2018 của Bộ Nội vụ', '2018-03-06',
   '2018-03-06', '2023-05-09', 12, 1, true, 11, 30, 12, 15, 'tt02_2023',
   'Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)',
   'Ministry of Home Affairs (Central Emulation and Commendation Board)', 'placeholder',
   'Biểu 0701-0703.N/BNV-TĐKT của Thông tư 03/2018/TT-BNV chưa được nhập: số liệu được trình '
   'bày theo biểu của Thông tư 02/2023/TT-BNV; kỳ số liệu và ngày nhận báo cáo giả định như '
   'Thông tư 02/2023.',
   'The forms 0701-0703.N/BNV-TĐKT of Circular 03/2018/TT-BNV are not entered: the figures '
   'are laid out in the forms of Circular 02/2023/TT-BNV, and the period and due day are '
   'assumed to be the same.',
   '[{"document": "Thông tư 03/2018/TT-BNV", "part": "Phụ lục II", "in_force_from": null}]');
