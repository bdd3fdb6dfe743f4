-- 0025_revocations.sql — the working-day calendar, and the revocation of
-- awards (thu hồi) with the clock for returning money and items (issue 12
-- §2; domain.md §9 rule 33).

-- ---- the working-day calendar ---------------------------------------------

-- A day is a working day unless it is a Saturday or a Sunday; this table
-- holds the exceptions: a weekday off ('holiday': a public holiday, a day
-- of Tết, a day off given for a holiday that fell on a weekend, a day
-- swapped) and a weekend day worked ('working': the day a swapped one is
-- made up).  Public holidays: Labour Code 2019 Art. 112 (1 January; Tết,
-- five days chosen by the Government; the Hùng Kings, 10th of the 3rd
-- lunar month; 30 April; 1 May; 2 September and a day next to it); a
-- holiday on a weekend is given on the next working day (Art. 111.3); the
-- Government's yearly notice sets Tết's days and the swaps.  mark: as in
-- the rules (primary: read in the text; secondary: reported by the press
-- from the notice; unconfirmed: the notice was not found).
CREATE TABLE calendar_days (
  day           date PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('holiday', 'working')),
  name_vi       text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
  name_en       text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  mark          text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  CONSTRAINT calendar_days_exception CHECK (
    (kind = 'holiday') = (extract(isodow FROM day) < 6))
);

-- The years whose exceptions are entered: a clock that runs past them
-- counts weekends only, and says so.
CREATE TABLE calendar_years (
  year          integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  note_vi       text NOT NULL DEFAULT '',
  note_en       text NOT NULL DEFAULT ''
);

INSERT INTO calendar_years (year, note_vi, note_en) VALUES
  (2022, '', ''), (2023, '', ''), (2024, '', ''), (2025, '', ''),
  (2026, 'Ngày nghỉ liền kề Quốc khánh và lịch Tết Dương lịch chưa được xác nhận.',
   'The day next to National Day and the New Year days are not confirmed.');

INSERT INTO calendar_days (day, kind, name_vi, name_en, source_document, mark)
SELECT v.day::date, v.kind, v.name_vi, v.name_en, v.src, v.mark FROM (VALUES
  -- 2022
  ('2022-01-03', 'holiday', 'Nghỉ bù Tết Dương lịch', 'New Year, day given for the Saturday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2022-01-31', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Nhâm Dần 2022', 'secondary'),
  ('2022-02-01', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Nhâm Dần 2022', 'secondary'),
  ('2022-02-02', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Nhâm Dần 2022', 'secondary'),
  ('2022-02-03', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Nhâm Dần 2022', 'secondary'),
  ('2022-02-04', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Nhâm Dần 2022', 'secondary'),
  ('2022-04-11', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Hùng Kings, day given for the Sunday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2022-05-02', 'holiday', 'Nghỉ bù Ngày Chiến thắng', 'Reunification Day, day given for the Saturday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2022-05-03', 'holiday', 'Nghỉ bù Quốc tế Lao động', 'Labour Day, day given for the Sunday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2022-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (the day next to it)', 'Thông báo lịch nghỉ Quốc khánh 2022', 'secondary'),
  ('2022-09-02', 'holiday', 'Quốc khánh', 'National Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  -- 2023
  ('2023-01-02', 'holiday', 'Nghỉ bù Tết Dương lịch', 'New Year, day given for the Sunday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2023-01-20', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Quý Mão 2023', 'secondary'),
  ('2023-01-23', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Quý Mão 2023', 'secondary'),
  ('2023-01-24', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Quý Mão 2023', 'secondary'),
  ('2023-01-25', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Quý Mão 2023', 'secondary'),
  ('2023-01-26', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Quý Mão 2023', 'secondary'),
  ('2023-05-01', 'holiday', 'Quốc tế Lao động', 'Labour Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2023-05-02', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Hùng Kings, day given for the Saturday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2023-05-03', 'holiday', 'Nghỉ bù Ngày Chiến thắng', 'Reunification Day, day given for the Sunday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2023-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (the day next to it)', 'Thông báo lịch nghỉ Quốc khánh 2023', 'secondary'),
  ('2023-09-04', 'holiday', 'Nghỉ bù Quốc khánh', 'National Day, day given for the Saturday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  -- 2024
  ('2024-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2024-02-08', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Giáp Thìn 2024', 'secondary'),
  ('2024-02-09', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Giáp Thìn 2024', 'secondary'),
  ('2024-02-12', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Giáp Thìn 2024', 'secondary'),
  ('2024-02-13', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Giáp Thìn 2024', 'secondary'),
  ('2024-02-14', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Giáp Thìn 2024', 'secondary'),
  ('2024-04-18', 'holiday', 'Giỗ Tổ Hùng Vương', 'Hùng Kings Commemoration', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2024-04-29', 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 04/5)', 'Swapped day off (made up on Saturday 4 May)', 'Thông báo lịch nghỉ 30/4 – 1/5/2024', 'secondary'),
  ('2024-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2024-05-01', 'holiday', 'Quốc tế Lao động', 'Labour Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2024-05-04', 'working', 'Làm bù cho ngày 29/4', 'Worked to make up 29 April', 'Thông báo lịch nghỉ 30/4 – 1/5/2024', 'secondary'),
  ('2024-09-02', 'holiday', 'Quốc khánh', 'National Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2024-09-03', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (the day next to it)', 'Thông báo lịch nghỉ Quốc khánh 2024', 'secondary'),
  -- 2025
  ('2025-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2025-01-27', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Ất Tỵ 2025', 'secondary'),
  ('2025-01-28', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Ất Tỵ 2025', 'secondary'),
  ('2025-01-29', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Ất Tỵ 2025', 'secondary'),
  ('2025-01-30', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Ất Tỵ 2025', 'secondary'),
  ('2025-01-31', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Ất Tỵ 2025', 'secondary'),
  ('2025-04-07', 'holiday', 'Giỗ Tổ Hùng Vương', 'Hùng Kings Commemoration', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2025-04-26', 'working', 'Làm bù cho ngày 02/5', 'Worked to make up 2 May', 'Thông báo lịch nghỉ 30/4 – 1/5/2025', 'secondary'),
  ('2025-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2025-05-01', 'holiday', 'Quốc tế Lao động', 'Labour Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2025-05-02', 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)', 'Swapped day off (made up on Saturday 26 April)', 'Thông báo lịch nghỉ 30/4 – 1/5/2025', 'secondary'),
  ('2025-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (the day next to it)', 'Thông báo lịch nghỉ Quốc khánh 2025', 'secondary'),
  ('2025-09-02', 'holiday', 'Quốc khánh', 'National Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  -- 2026
  ('2026-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2026-02-16', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Bính Ngọ 2026', 'unconfirmed'),
  ('2026-02-17', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Bính Ngọ 2026', 'unconfirmed'),
  ('2026-02-18', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Bính Ngọ 2026', 'unconfirmed'),
  ('2026-02-19', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Bính Ngọ 2026', 'unconfirmed'),
  ('2026-02-20', 'holiday', 'Tết Nguyên đán', 'Tết', 'Thông báo lịch nghỉ Tết Bính Ngọ 2026', 'unconfirmed'),
  ('2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Hùng Kings, day given for the Sunday', 'Bộ luật Lao động 2019 Điều 111.3, 112', 'secondary'),
  ('2026-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2026-05-01', 'holiday', 'Quốc tế Lao động', 'Labour Day', 'Bộ luật Lao động 2019 Điều 112', 'primary'),
  ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (the day next to it)', 'Thông báo lịch nghỉ Quốc khánh 2026', 'unconfirmed'),
  ('2026-09-02', 'holiday', 'Quốc khánh', 'National Day', 'Bộ luật Lao động 2019 Điều 112', 'primary')
) AS v (day, kind, name_vi, name_en, src, mark);

-- ---- revocation ---------------------------------------------------------------

-- An award revoked stays in the ledger with the day and the reason, so its
-- history reads; from that day it no longer counts (facts, progress,
-- payments).  revoked_at: when it was recorded, for reading the ledger as
-- it stood at an earlier instant (recorded versions).
ALTER TABLE staff_titles
  ADD COLUMN revoked_on date,
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN revocation_reason text CHECK (length(revocation_reason) BETWEEN 1 AND 2000),
  ADD COLUMN revocation_document text CHECK (length(revocation_document) BETWEEN 1 AND 200),
  ADD CONSTRAINT staff_titles_revoked CHECK ((revoked_on IS NULL) = (revoked_at IS NULL)
                                             AND (revoked_on IS NULL) = (revocation_reason IS NULL));
ALTER TABLE awards
  ADD COLUMN revoked_on date,
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN revocation_reason text CHECK (length(revocation_reason) BETWEEN 1 AND 2000),
  ADD COLUMN revocation_document text CHECK (length(revocation_document) BETWEEN 1 AND 200),
  ADD CONSTRAINT awards_revoked CHECK ((revoked_on IS NULL) = (revoked_at IS NULL)
                                       AND (revoked_on IS NULL) = (revocation_reason IS NULL));

-- The item of a decision revoked, and the day money and items are due
-- back: 15 working days after the revocation (Decree 152 Art. 58;
-- domain.md §9 rule 33), on the calendar above.
ALTER TABLE decision_items
  ADD COLUMN revoked_on date,
  ADD COLUMN return_due date,
  ADD COLUMN return_clock_complete boolean;

-- How many working days the recipient has to return money and items,
-- per rule set (looked up through the sets it copies).
CREATE TABLE revocation_rules (
  rule_set      text PRIMARY KEY REFERENCES rule_sets (code) ON DELETE CASCADE,
  return_working_days integer NOT NULL CHECK (return_working_days BETWEEN 1 AND 100),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  mark          text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed'))
);
INSERT INTO revocation_rules VALUES
  ('nd91_2017', 15, '91/2017/NĐ-CP', '', 'unconfirmed'),
  ('nd98_2023', 15, '98/2023/NĐ-CP', '', 'unconfirmed'),
  ('nd152_2025', 15, '152/2025/NĐ-CP', 'Điều 58', 'primary');
