-- 0020_bonuses.sql — the money of an award, as dated data (issue 12 §3).
--
-- An award's bonus is a coefficient of its rule set times the base salary
-- (mức lương cơ sở) in force on the date of the decision, rounded up to
-- the next 10,000 VND (domain.md §4.2, rules 26-29; the arithmetic is the
-- service's, service/domain/bonus.c).  Both are rows, each with its legal
-- source and how it was read, so that the next raise of the base salary
-- or the next decree is a row, not code.

-- The base salary from valid_from until the next row's day.
CREATE TABLE base_salaries (
  valid_from      date PRIMARY KEY,
  amount          bigint NOT NULL CHECK (amount > 0 AND amount < 1000000000),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  source_clause   text NOT NULL DEFAULT '' CHECK (length(source_clause) <= 100),
  mark            text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi         text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en         text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- domain.md C.0, "Base salary".  The decree of 2018 was not checked; the
-- amount was (the central committee's Q&A of 02/07/2018).
INSERT INTO base_salaries (valid_from, amount, source_document, source_article, source_clause,
                           mark, note_vi, note_en) VALUES
  ('2018-07-01', 1390000, '72/2018/NĐ-CP', 'Điều 3', 'Khoản 2', 'unconfirmed',
   'Số hiệu nghị định chưa được đối chiếu; mức lương đã được Ban Thi đua – Khen thưởng '
   'Trung ương xác nhận (hỏi đáp ngày 02/07/2018).',
   'The decree''s number was not checked; the amount was confirmed by the central '
   'emulation committee (Q&A of 02/07/2018).'),
  ('2019-07-01', 1490000, '38/2019/NĐ-CP', 'Điều 3', 'Khoản 2', 'secondary',
   'Mức dự kiến tăng ngày 01/07/2020 không được thực hiện; giữ đến 30/06/2023.',
   'The raise expected on 01/07/2020 never happened; it held until 30/06/2023.'),
  ('2023-07-01', 1800000, '24/2023/NĐ-CP', 'Điều 3', 'Khoản 2', 'secondary', '', ''),
  ('2024-07-01', 2340000, '73/2024/NĐ-CP', 'Điều 3', 'Khoản 2', 'secondary', '', ''),
  ('2026-07-01', 2530000, '161/2026/NĐ-CP', 'Điều 3', 'Khoản 2', 'unconfirmed',
   'Theo các bảng tra cứu thứ cấp; chưa đối chiếu với văn bản nghị định.',
   'From secondary tables; not checked against the decree''s text.');

-- A coefficient of a rule set, in tenths (0.3 is 3), for an award to an
-- individual or a collective.  A set that copies another inherits those
-- it does not give itself (bonus_coefficient_for, db/procedures/bonus.sql).
CREATE TABLE bonus_coefficients (
  rule_set        text NOT NULL REFERENCES rule_sets (code) ON DELETE CASCADE,
  award_code      text NOT NULL REFERENCES award_kinds (code),
  subject         text NOT NULL CHECK (subject IN ('individual', 'collective')),
  tenths          integer NOT NULL CHECK (tenths > 0 AND tenths <= 1000),
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  source_clause   text NOT NULL DEFAULT '' CHECK (length(source_clause) <= 100),
  mark            text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi         text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en         text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_set, award_code, subject)
);

-- domain.md §4.1.  Decree 91: Art. 69 (titles), Art. 73 (forms), a
-- collective's Bằng khen or Giấy khen twice an individual's [secondary].
-- Decree 98: Art. 54 (titles) [secondary]; its forms are assumed to keep
-- Decree 91's, the provincial Bằng khen not read in the text
-- [unconfirmed].  Decree 152: Art. 50 (titles), Art. 54 (forms) [primary].
-- Law 06/2026 copies Decree 152 (migration 0011).
INSERT INTO bonus_coefficients (rule_set, award_code, subject, tenths, source_document,
                                source_article, mark, note_vi, note_en)
SELECT s.rule_set, c.award_code, c.subject, c.tenths, s.document,
       CASE WHEN k.category = 'title' THEN s.titles_article ELSE s.forms_article END,
       CASE WHEN s.rule_set = 'nd98_2023' AND k.category = 'form' THEN 'unconfirmed'
            ELSE s.mark END,
       CASE WHEN s.rule_set = 'nd98_2023' AND k.category = 'form'
            THEN 'Giả định giữ mức của Nghị định 91/2017; chưa đọc trong văn bản.' ELSE '' END,
       CASE WHEN s.rule_set = 'nd98_2023' AND k.category = 'form'
            THEN 'Assumed to keep Decree 91/2017''s; not read in the text.' ELSE '' END
  FROM (VALUES ('nd91_2017', '91/2017/NĐ-CP', 'Điều 69', 'Điều 73', 'secondary'),
               ('nd98_2023', '98/2023/NĐ-CP', 'Điều 54', '', 'secondary'),
               ('nd152_2025', '152/2025/NĐ-CP', 'Điều 50', 'Điều 54', 'primary'))
       AS s (rule_set, document, titles_article, forms_article, mark)
  CROSS JOIN (VALUES ('chien_si_thi_dua_toan_quoc', 'individual', 45),
                     ('chien_si_thi_dua_cap_tinh', 'individual', 30),
                     ('chien_si_thi_dua_co_so', 'individual', 10),
                     ('lao_dong_tien_tien', 'individual', 3),
                     ('tap_the_lao_dong_xuat_sac', 'collective', 15),
                     ('tap_the_lao_dong_tien_tien', 'collective', 8),
                     ('co_thi_dua_cap_tinh', 'collective', 80),
                     ('co_thi_dua_chinh_phu', 'collective', 120),
                     ('giay_khen', 'individual', 3),
                     ('giay_khen', 'collective', 6))
       AS c (award_code, subject, tenths)
  JOIN award_kinds k ON k.code = c.award_code;

-- The provincial Bằng khen: 1.0 until Decree 152 raised it to 1.5, a
-- collective's twice an individual's.
INSERT INTO bonus_coefficients (rule_set, award_code, subject, tenths, source_document,
                                source_article, mark, note_vi, note_en) VALUES
  ('nd91_2017', 'bang_khen_tinh', 'individual', 10, '91/2017/NĐ-CP', 'Điều 73', 'secondary',
   '', ''),
  ('nd91_2017', 'bang_khen_tinh', 'collective', 20, '91/2017/NĐ-CP', 'Điều 73', 'secondary',
   'Tập thể gấp hai lần cá nhân.', 'A collective gets twice an individual''s.'),
  ('nd98_2023', 'bang_khen_tinh', 'individual', 10, '98/2023/NĐ-CP', '',
   'unconfirmed', 'Chưa đọc trong văn bản; giả định giữ mức 1,0.',
   'Not read in the text; assumed to stay 1.0.'),
  ('nd98_2023', 'bang_khen_tinh', 'collective', 20, '98/2023/NĐ-CP', '',
   'unconfirmed', 'Giả định gấp hai lần cá nhân.', 'Assumed twice an individual''s.'),
  ('nd152_2025', 'bang_khen_tinh', 'individual', 15, '152/2025/NĐ-CP', 'Điều 54', 'primary',
   '', ''),
  ('nd152_2025', 'bang_khen_tinh', 'collective', 30, '152/2025/NĐ-CP', 'Điều 54', 'primary',
   'Tập thể gấp hai lần cá nhân.', 'A collective gets twice an individual''s.');
