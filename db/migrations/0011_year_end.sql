-- 0011_year_end.sql — the year's facts that titles are decided on, the
-- awards ledger, and the law as dated data.
--
-- Facts: ratings (staff_evaluations, from 0003, now versioned and with a
-- discipline statement that may be absent), discipline
-- records, cases that block an award while they are looked into, leave
-- with its kind, initiatives and research with the people credited, and
-- the awards ledger.  Individual titles stay in staff_titles (0003), which
-- plan progress counts and keeps counts of (target_progress.sql); every
-- other award — collective titles, and forms (Giấy khen, Bằng khen) for
-- individuals and collectives — is a row of awards.  GET /v1/awards reads
-- both as one ledger.
--
-- The law: rule_sets are the successive regimes (domain.md C.0), each
-- with the dates of the dossiers it governs; rules are its conditions,
-- each of a kind the eligibility engine knows (service/domain/
-- eligibility.h), with its parameters and its legal source.  A rule set
-- may copy another: its own rules replace the copied set's rules of the
-- same title and kind (or drop them), the others are inherited.  That is
-- how Law 06/2026/QH16, whose text is unknown, starts as a copy of
-- Decree 152, and how an organisation layers its province's rules (caps,
-- thresholds) over the national set: a rule set with organization_id.
-- The next amendment is rows (this kind of migration, or an
-- administrator's call for an organisation's own layer), not code.

-- ---- catalogue: forms of commendation ---------------------------------------

-- Titles (title_kinds, 0003) and forms (hình thức khen thưởng) together:
-- what an award or a rule can name.
CREATE TABLE award_kinds (
  code      text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,60}$'),
  category  text NOT NULL CHECK (category IN ('title', 'form')),
  level     text NOT NULL CHECK (level IN ('individual', 'collective', 'both')),
  -- who decides: the agency's head, the province, the State
  decided_at text NOT NULL CHECK (decided_at IN ('agency', 'province', 'national')),
  name_vi   text NOT NULL,
  name_en   text NOT NULL
);
INSERT INTO award_kinds (code, category, level, decided_at, name_vi, name_en)
SELECT k.code, 'title', k.level,
       CASE WHEN k.code IN ('lao_dong_tien_tien', 'chien_si_thi_dua_co_so',
                            'tap_the_lao_dong_tien_tien') THEN 'agency'
            WHEN k.code IN ('chien_si_thi_dua_toan_quoc', 'co_thi_dua_chinh_phu') THEN 'national'
            ELSE 'province' END,
       k.name_vi, k.name_en
  FROM title_kinds k;
INSERT INTO award_kinds VALUES
  ('giay_khen', 'form', 'both', 'agency', 'Giấy khen', 'Certificate of merit'),
  ('bang_khen_tinh', 'form', 'both', 'province',
   'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
   'Certificate of merit of the provincial People''s Committee chair');

-- ---- the year's facts ---------------------------------------------------------

-- A rating's record may say whether the person was disciplined in the
-- year; NULL is "not stated", never "not disciplined" (issue 11).
ALTER TABLE staff_evaluations
  ALTER COLUMN disciplined DROP DEFAULT,
  ALTER COLUMN disciplined DROP NOT NULL,
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN version integer NOT NULL DEFAULT 1;

-- The kind of the leave on a staff record (status on_leave): maternity
-- leave counts as time worked (Decree 152 Art. 4.5), so a woman on six
-- months' maternity leave stays in the rated population and in the base
-- of the 15 % cap (staff_worked_days, target_progress.sql).  NULL: not
-- stated, counted as not worked, as before.
ALTER TABLE staff
  ADD COLUMN leave_kind text CHECK (leave_kind IN ('maternity', 'sickness', 'study', 'unpaid',
                                                   'other')),
  ADD CONSTRAINT staff_leave_kind CHECK (leave_kind IS NULL OR leave_from IS NOT NULL);

-- Disciplinary measures (kỷ luật) with the days they are in force.
CREATE TABLE staff_disciplines (
  organization_id bigint NOT NULL,
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id      bigint NOT NULL,
  form          text NOT NULL CHECK (form IN ('reprimand', 'warning', 'salary_demotion',
                                              'demotion', 'removal', 'dismissal')),
  decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 60),
  decided_on    date NOT NULL,
  in_force_from date NOT NULL,
  in_force_until date,
  reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  CONSTRAINT staff_disciplines_span CHECK (in_force_until IS NULL
                                           OR in_force_until >= in_force_from)
);
CREATE INDEX staff_disciplines_staff ON staff_disciplines (organization_id, staff_id);

-- Cases that block a proposal while they are looked into (Decree 152
-- Art. 4.4): a discipline review, an investigation, an inspection, a
-- complaint or a denunciation.  Open while closed_on is NULL.
CREATE TABLE staff_cases (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('discipline_review', 'investigation', 'inspection',
                                            'complaint', 'denunciation')),
  opened_on   date NOT NULL,
  closed_on   date,
  reference   text NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  CONSTRAINT staff_cases_span CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX staff_cases_staff ON staff_cases (organization_id, staff_id);

-- Leave with its kind, several spans per person.  Maternity leave counts
-- as time worked (Decree 152 Art. 4.5): the rules say which kinds do.
CREATE TABLE staff_leaves (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('maternity', 'sickness', 'study', 'unpaid', 'other')),
  starts_on   date NOT NULL,
  ends_on     date NOT NULL,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  CONSTRAINT staff_leaves_span CHECK (ends_on >= starts_on)
);
CREATE INDEX staff_leaves_staff ON staff_leaves (organization_id, staff_id, starts_on);

-- Initiatives (sáng kiến) and research works, with the level and body
-- that recognised them; the people credited in initiative_credits.
CREATE TABLE initiatives (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('initiative', 'research')),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  level         text NOT NULL CHECK (level IN ('base', 'province', 'national')),
  recognised_by text NOT NULL CHECK (length(recognised_by) BETWEEN 1 AND 300),
  decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 60),
  recognised_on date NOT NULL,
  -- its effect confirmed replicable across the province (Law 2022 Art. 22)
  province_wide boolean NOT NULL DEFAULT false,
  summary       text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id)
);
CREATE INDEX initiatives_by_date ON initiatives (organization_id, recognised_on DESC, id DESC);

CREATE TABLE initiative_credits (
  organization_id bigint NOT NULL,
  initiative_id   bigint NOT NULL,
  staff_id        bigint NOT NULL,
  PRIMARY KEY (initiative_id, staff_id),
  FOREIGN KEY (organization_id, initiative_id) REFERENCES initiatives (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX initiative_credits_staff ON initiative_credits (organization_id, staff_id);

-- ---- the awards ledger -----------------------------------------------------------

-- What staff_titles (individual titles) does not hold: collective titles,
-- and forms for individuals and collectives, decided here or recorded
-- from a higher level.  A collective is a unit or the agency itself.
CREATE TABLE awards (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  award_code    text NOT NULL REFERENCES award_kinds (code),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('staff', 'unit', 'agency')),
  staff_id      bigint,
  unit_id       bigint,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  -- ad hoc (đột xuất) or thematic (chuyên đề): no grounds for a higher
  -- award (Decree 152 Art. 4.3)
  adhoc         boolean NOT NULL DEFAULT false,
  decision_number text NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 60),
  decision_date date NOT NULL,
  decided_by    text NOT NULL DEFAULT '' CHECK (length(decided_by) <= 300),
  achievement   text NOT NULL DEFAULT '' CHECK (length(achievement) <= 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT awards_subject CHECK (
    (subject_kind = 'staff' AND staff_id IS NOT NULL AND unit_id IS NULL)
    OR (subject_kind = 'unit' AND unit_id IS NOT NULL AND staff_id IS NULL)
    OR (subject_kind = 'agency' AND unit_id IS NULL AND staff_id IS NULL))
);
CREATE INDEX awards_staff ON awards (organization_id, staff_id, year) WHERE staff_id IS NOT NULL;
CREATE INDEX awards_unit ON awards (organization_id, unit_id, year) WHERE unit_id IS NOT NULL;
CREATE INDEX awards_year ON awards (organization_id, year);

ALTER TABLE staff_titles
  ADD COLUMN adhoc boolean NOT NULL DEFAULT false,
  ADD COLUMN decided_by text NOT NULL DEFAULT '' CHECK (length(decided_by) <= 300),
  ADD COLUMN achievement text NOT NULL DEFAULT '' CHECK (length(achievement) <= 2000),
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX staff_titles_staff ON staff_titles (organization_id, staff_id, year);

-- An initiative may be cited once, for one award (Official letter
-- 5007/BNV-TĐKT of 2023, III.5.c; domain.md §9 rule 8): the primary key
-- is the initiative.
CREATE TABLE initiative_uses (
  organization_id bigint NOT NULL,
  initiative_id   bigint PRIMARY KEY,
  staff_title_id  bigint REFERENCES staff_titles (id) ON DELETE CASCADE,
  award_id        bigint REFERENCES awards (id) ON DELETE CASCADE,
  used_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, initiative_id) REFERENCES initiatives (organization_id, id),
  CONSTRAINT initiative_uses_one CHECK ((staff_title_id IS NULL) <> (award_id IS NULL))
);

-- ---- the law as data ------------------------------------------------------------

-- A regime: the dossiers dated from valid_from to valid_until (the last
-- day, NULL: open) are decided under it.  Choosing by the dossier's date
-- carries Decree 152 Art. 60.3 (dossiers sent before 01/07/2025 are
-- finished under Decree 98).  organization_id: NULL for the national
-- law; else that organisation's own layer (its province's rules), which
-- is preferred over a national set covering the same date.
CREATE TABLE rule_sets (
  code         text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  organization_id bigint REFERENCES organizations (id),
  name_vi      text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 300),
  name_en      text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 300),
  valid_from   date NOT NULL,
  valid_until  date,
  copies       text REFERENCES rule_sets (code),
  -- the texts that make it up: [{"document", "title", "in_force_from"}]
  legal_basis  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(legal_basis) = 'array'),
  -- confirmed: read in the texts; placeholder: content unknown, copies
  -- another set until its text is entered
  status       text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'placeholder')),
  note_vi      text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en      text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT rule_sets_span CHECK (valid_until IS NULL OR valid_until >= valid_from),
  CONSTRAINT rule_sets_not_self CHECK (copies IS NULL OR copies <> code)
);

-- A condition of a title or form under a rule set.  kind and params are
-- those of service/domain/eligibility.h (checked by the service on every
-- write, and by the engine when it loads them).  dropped: in a set that
-- copies another, removes the copied rule of the same title and kind.
-- mark: how the source was read (domain.md C: primary, secondary,
-- unconfirmed); unconfirmed values are configurable by an organisation's
-- own layer, and answers say so.
CREATE TABLE rules (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_set     text NOT NULL REFERENCES rule_sets (code) ON DELETE CASCADE,
  award_code   text NOT NULL REFERENCES award_kinds (code),
  kind         text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  position     integer NOT NULL DEFAULT 0,
  params       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
  dropped      boolean NOT NULL DEFAULT false,
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  source_clause   text NOT NULL DEFAULT '' CHECK (length(source_clause) <= 100),
  mark         text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi      text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en      text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_set, award_code, kind)
);

INSERT INTO rule_sets (code, name_vi, name_en, valid_from, valid_until, copies, legal_basis,
                       status, note_vi, note_en) VALUES
  ('nd91_2017', 'Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP',
   'Law on Emulation and Commendation 2003 (amended 2013), Decree 91/2017',
   '2017-10-01', '2023-12-31', NULL,
   '[{"document": "Luật Thi đua, Khen thưởng 2003, sửa đổi, bổ sung 2005, 2009, 2013"},
     {"document": "91/2017/NĐ-CP", "in_force_from": "2017-10-01"},
     {"document": "12/2019/TT-BNV"}]', 'confirmed', '', ''),
  ('nd98_2023', 'Luật Thi đua, Khen thưởng 2022, Nghị định 98/2023/NĐ-CP',
   'Law on Emulation and Commendation 2022, Decree 98/2023',
   '2024-01-01', '2025-06-30', NULL,
   '[{"document": "06/2022/QH15", "in_force_from": "2024-01-01"},
     {"document": "98/2023/NĐ-CP", "in_force_from": "2024-01-01"},
     {"document": "01/2024/TT-BNV"}]', 'confirmed',
   'Hồ sơ gửi trước ngày 01/07/2025 tiếp tục giải quyết theo Nghị định 98/2023 (Nghị định 152/2025 Điều 60.3).',
   'Dossiers sent before 01/07/2025 are finished under Decree 98/2023 (Decree 152/2025 Art. 60.3).'),
  ('nd152_2025', 'Luật Thi đua, Khen thưởng 2022, Nghị định 152/2025/NĐ-CP',
   'Law on Emulation and Commendation 2022, Decree 152/2025',
   '2025-07-01', '2026-09-30', NULL,
   '[{"document": "06/2022/QH15", "in_force_from": "2024-01-01"},
     {"document": "152/2025/NĐ-CP", "in_force_from": "2025-07-01"},
     {"document": "15/2025/TT-BNV", "in_force_from": "2025-08-05"}]', 'confirmed',
   'Nghị định 152/2025 hết hiệu lực ngày 01/03/2027 nếu không được gia hạn (Điều 60.1). Điều 60.2: nơi tỉnh chưa ban hành quy định được phân cấp, Nghị định 98/2023 tiếp tục áp dụng đến 31/12/2025 — chưa mô hình hóa.',
   'Decree 152/2025 stops applying on 01/03/2027 unless extended (Art. 60.1). Art. 60.2: where the province has not issued its delegated rules, Decree 98/2023 applies until 31/12/2025 — not modelled.'),
  ('luat06_2026', 'Luật 06/2026/QH16 sửa đổi Luật Thi đua, Khen thưởng',
   'Law 06/2026/QH16 amending the Law on Emulation and Commendation',
   '2026-10-01', NULL, 'nd152_2025',
   '[{"document": "06/2026/QH16", "in_force_from": "2026-10-01"},
     {"document": "152/2025/NĐ-CP"}, {"document": "15/2025/TT-BNV"}]', 'placeholder',
   'Nội dung Luật 06/2026/QH16 chưa được nhập: bộ quy tắc này sao chép Nghị định 152/2025 cho đến khi nhập văn bản.',
   'The text of Law 06/2026/QH16 is not entered yet: this set copies Decree 152/2025 until it is.');

-- The conditions.  Ratings: completed < good < excellent (domain.md
-- §1.4).  Absence: 3 months or more bars "tốt" and so LĐTT (Decree
-- 90/2020 as amended by 48/2023); maternity leave and study count as work.
INSERT INTO rules (rule_set, award_code, kind, position, params, source_document,
                   source_article, source_clause, mark, note_vi, note_en) VALUES
  -- Decree 91/2017 (until 31/12/2023)
  ('nd91_2017', 'lao_dong_tien_tien', 'min_rating', 1, '{"rating": "completed"}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 24', '', 'unconfirmed',
   'Luật cũ không gắn danh hiệu với thang xếp loại; mức "hoàn thành nhiệm vụ" là giả định.',
   'The old law does not tie the title to the rating scale; "completed" is an assumption.'),
  ('nd91_2017', 'lao_dong_tien_tien', 'min_service_months', 2, '{"months": 10}',
   '91/2017/NĐ-CP', 'Điều 10', '', 'secondary', '', ''),
  ('nd91_2017', 'lao_dong_tien_tien', 'no_discipline', 3, '{"min_form": "reprimand"}',
   '91/2017/NĐ-CP', 'Điều 10', '', 'secondary', '', ''),
  ('nd91_2017', 'lao_dong_tien_tien', 'max_absence_months', 4,
   '{"months": 3, "counted_as_work": ["maternity", "study"]}',
   '90/2020/NĐ-CP (sửa đổi bởi 48/2023/NĐ-CP)', 'Điều 3', '', 'secondary',
   'Nghỉ thai sản và đi học được tính là thời gian làm việc (Thông tư 12/2019).',
   'Maternity leave and study count as time worked (Circular 12/2019).'),
  ('nd91_2017', 'chien_si_thi_dua_co_so', 'requires_title', 1,
   '{"title": "lao_dong_tien_tien"}', '91/2017/NĐ-CP', 'Điều 9', 'khoản 3', 'secondary', '', ''),
  ('nd91_2017', 'chien_si_thi_dua_co_so', 'initiative', 2,
   '{"kinds": ["initiative", "research"], "level": "base"}',
   '91/2017/NĐ-CP', 'Điều 9', 'khoản 3', 'secondary', '', ''),
  ('nd91_2017', 'chien_si_thi_dua_co_so', 'quota', 3,
   '{"of": "lao_dong_tien_tien", "percent": 15, "rounding": "floor"}',
   '91/2017/NĐ-CP', 'Điều 9', 'khoản 3', 'secondary',
   'Không quá 15% số cá nhân đạt Lao động tiên tiến, tính trên toàn cơ quan; cách làm tròn chưa có quy định (mặc định làm tròn xuống).',
   'At most 15% of the individuals who reached Advanced worker, across the agency; rounding is not regulated (floor by default).'),
  ('nd91_2017', 'chien_si_thi_dua_cap_tinh', 'consecutive_title', 1,
   '{"title": "chien_si_thi_dua_co_so", "years": 3, "ending": "current"}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 22', '', 'secondary',
   'Ba lần liên tục Chiến sĩ thi đua cơ sở; năm kết thúc chuỗi chưa được xác nhận.',
   'Three consecutive grassroots emulation fighter titles; the run''s last year is unconfirmed.'),
  ('nd91_2017', 'chien_si_thi_dua_cap_tinh', 'initiative', 2,
   '{"level": "province", "province_wide": true, "window_years": 3}',
   '91/2017/NĐ-CP', 'Điều 9', 'khoản 2', 'unconfirmed', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_tien_tien', 'collective_rating', 1, '{"rating": "good"}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 28', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_tien_tien', 'member_share', 2,
   '{"title": "lao_dong_tien_tien", "percent": 50, "strict": true}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 28', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_tien_tien', 'members_no_discipline', 3,
   '{"min_form": "warning"}', 'Luật Thi đua, Khen thưởng 2003', 'Điều 28', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'collective_rating', 1, '{"rating": "excellent"}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 27', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'members_min_rating', 2, '{"rating": "completed"}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 27', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'member_share', 3,
   '{"title": "lao_dong_tien_tien", "percent": 70}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 27', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'members_with_title', 4,
   '{"title": "chien_si_thi_dua_co_so", "min": 1}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 27', '', 'secondary', '', ''),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'members_no_discipline', 5,
   '{"min_form": "warning"}', 'Luật Thi đua, Khen thưởng 2003', 'Điều 27', '', 'secondary', '', ''),

  -- Decree 98/2023 (2024 to 30/06/2025)
  ('nd98_2023', 'lao_dong_tien_tien', 'min_rating', 1, '{"rating": "good"}',
   '06/2022/QH15', 'Điều 24', 'khoản 1', 'secondary', '', ''),
  ('nd98_2023', 'lao_dong_tien_tien', 'min_service_months', 2, '{"months": 6}',
   '01/2024/TT-BNV', '', '', 'secondary', '', ''),
  ('nd98_2023', 'lao_dong_tien_tien', 'no_discipline', 3, '{"min_form": "reprimand"}',
   '02/2024/TT-VKSNDTC', '', '', 'unconfirmed',
   'Điều kiện của thông tư ngành kiểm sát; Thông tư 01/2024/TT-BNV có quy định như vậy hay không chưa được xác nhận.',
   'Stated by the procuracy''s circular; whether Circular 01/2024/TT-BNV says the same is unconfirmed.'),
  ('nd98_2023', 'lao_dong_tien_tien', 'max_absence_months', 4,
   '{"months": 3, "counted_as_work": ["maternity", "study"]}',
   '90/2020/NĐ-CP (sửa đổi bởi 48/2023/NĐ-CP)', 'Điều 3', '', 'secondary', '', ''),
  ('nd98_2023', 'lao_dong_tien_tien', 'no_pending_case', 5, '{}',
   '98/2023/NĐ-CP', 'Điều 4', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_co_so', 'requires_title', 1,
   '{"title": "lao_dong_tien_tien"}', '06/2022/QH15', 'Điều 23', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_co_so', 'any_of', 2,
   '{"of": [{"kind": "min_rating", "params": {"rating": "excellent"}},
            {"kind": "initiative", "params": {"kinds": ["initiative", "research"], "level": "base"}}]}',
   '06/2022/QH15', 'Điều 23', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_co_so', 'no_pending_case', 3, '{}',
   '98/2023/NĐ-CP', 'Điều 4', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_cap_tinh', 'consecutive_title', 1,
   '{"title": "chien_si_thi_dua_co_so", "years": 3, "ending": "current"}',
   '06/2022/QH15', 'Điều 22', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_cap_tinh', 'initiative', 2,
   '{"level": "province", "province_wide": true, "window_years": 3}',
   '06/2022/QH15', 'Điều 22', '', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_cap_tinh', 'no_pending_case', 3, '{}',
   '98/2023/NĐ-CP', 'Điều 4', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_tien_tien', 'collective_rating', 1, '{"rating": "good"}',
   '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_tien_tien', 'member_share', 2,
   '{"title": "lao_dong_tien_tien", "percent": 70}',
   '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_tien_tien', 'members_no_discipline', 3,
   '{"min_form": "warning"}', '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_xuat_sac', 'collective_rating', 1, '{"rating": "excellent"}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_xuat_sac', 'members_min_rating', 2, '{"rating": "completed"}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_xuat_sac', 'member_share', 3,
   '{"title": "lao_dong_tien_tien", "percent": 70}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd98_2023', 'tap_the_lao_dong_xuat_sac', 'members_with_title', 4,
   '{"title": "chien_si_thi_dua_co_so", "min": 1}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd98_2023', 'bang_khen_tinh', 'any_of', 1,
   '{"of": [{"kind": "consecutive_title", "params": {"title": "chien_si_thi_dua_co_so", "years": 2, "ending": "current"}},
            {"kind": "consecutive_rating", "params": {"rating": "excellent", "years": 2, "ending": "current", "initiatives": 2, "level": "base"}}]}',
   '06/2022/QH15', 'Điều 74', '', 'secondary',
   'Chỉ các tiêu chuẩn tính được từ dữ liệu; thành tích trong phong trào, đột xuất do Văn phòng xem xét.',
   'Only the tests computable from data; achievements in movements or ad hoc are for the Office to weigh.'),
  ('nd98_2023', 'bang_khen_tinh', 'no_pending_case', 2, '{}',
   '98/2023/NĐ-CP', 'Điều 4', '', 'secondary', '', ''),

  -- Decree 152/2025 (from 01/07/2025): as Decree 98, and every year of a
  -- run rated "tốt" or higher (Art. 33.7), maternity leave counted (4.5).
  ('nd152_2025', 'lao_dong_tien_tien', 'min_rating', 1, '{"rating": "good"}',
   '06/2022/QH15', 'Điều 24', 'khoản 1', 'secondary', '', ''),
  ('nd152_2025', 'lao_dong_tien_tien', 'min_service_months', 2, '{"months": 6}',
   '01/2024/TT-BNV', '', '', 'unconfirmed',
   'Thông tư 15/2025/TT-BNV có giữ mốc 6 tháng hay không chưa được xác nhận.',
   'Whether Circular 15/2025/TT-BNV keeps the 6-month bar is unconfirmed.'),
  ('nd152_2025', 'lao_dong_tien_tien', 'no_discipline', 3, '{"min_form": "reprimand"}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 4', 'unconfirmed', '', ''),
  ('nd152_2025', 'lao_dong_tien_tien', 'max_absence_months', 4,
   '{"months": 3, "counted_as_work": ["maternity", "study"]}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 5', 'primary',
   'Thời gian nghỉ thai sản được tính để xét tặng danh hiệu.',
   'Maternity leave counts toward every title.'),
  ('nd152_2025', 'lao_dong_tien_tien', 'no_pending_case', 5, '{}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 4', 'primary', '', ''),
  ('nd152_2025', 'chien_si_thi_dua_co_so', 'requires_title', 1,
   '{"title": "lao_dong_tien_tien"}', '06/2022/QH15', 'Điều 23', '', 'secondary', '', ''),
  ('nd152_2025', 'chien_si_thi_dua_co_so', 'any_of', 2,
   '{"of": [{"kind": "min_rating", "params": {"rating": "excellent"}},
            {"kind": "initiative", "params": {"kinds": ["initiative", "research"], "level": "base"}}]}',
   '06/2022/QH15', 'Điều 23', '', 'secondary', '', ''),
  ('nd152_2025', 'chien_si_thi_dua_co_so', 'no_pending_case', 3, '{}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 4', 'primary', '', ''),
  ('nd152_2025', 'chien_si_thi_dua_cap_tinh', 'consecutive_title', 1,
   '{"title": "chien_si_thi_dua_co_so", "years": 3, "ending": "current", "run_min_rating": "good"}',
   '06/2022/QH15', 'Điều 22', '', 'secondary',
   'Mỗi năm trong chuỗi phải xếp loại từ "hoàn thành tốt" trở lên (Nghị định 152/2025 Điều 33.7).',
   'Every year of the run rated "good" or higher (Decree 152/2025 Art. 33.7).'),
  ('nd152_2025', 'chien_si_thi_dua_cap_tinh', 'initiative', 2,
   '{"level": "province", "province_wide": true, "window_years": 3}',
   '06/2022/QH15', 'Điều 22', '', 'secondary', '', ''),
  ('nd152_2025', 'chien_si_thi_dua_cap_tinh', 'no_pending_case', 3, '{}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 4', 'primary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_tien_tien', 'collective_rating', 1, '{"rating": "good"}',
   '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_tien_tien', 'member_share', 2,
   '{"title": "lao_dong_tien_tien", "percent": 70}',
   '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_tien_tien', 'members_no_discipline', 3,
   '{"min_form": "warning"}', '06/2022/QH15', 'Điều 28', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_xuat_sac', 'collective_rating', 1, '{"rating": "excellent"}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_xuat_sac', 'members_min_rating', 2, '{"rating": "completed"}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_xuat_sac', 'member_share', 3,
   '{"title": "lao_dong_tien_tien", "percent": 70}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd152_2025', 'tap_the_lao_dong_xuat_sac', 'members_with_title', 4,
   '{"title": "chien_si_thi_dua_co_so", "min": 1}',
   '06/2022/QH15', 'Điều 27', '', 'secondary', '', ''),
  ('nd152_2025', 'bang_khen_tinh', 'any_of', 1,
   '{"of": [{"kind": "consecutive_title", "params": {"title": "chien_si_thi_dua_co_so", "years": 2, "ending": "current", "run_min_rating": "good"}},
            {"kind": "consecutive_rating", "params": {"rating": "excellent", "years": 2, "ending": "current", "initiatives": 2, "level": "base"}}]}',
   '06/2022/QH15', 'Điều 74', '', 'secondary',
   'Chỉ các tiêu chuẩn tính được từ dữ liệu; thành tích trong phong trào, đột xuất do Văn phòng xem xét.',
   'Only the tests computable from data; achievements in movements or ad hoc are for the Office to weigh.'),
  ('nd152_2025', 'bang_khen_tinh', 'no_pending_case', 2, '{}',
   '152/2025/NĐ-CP', 'Điều 4', 'khoản 4', 'primary', '', '');
