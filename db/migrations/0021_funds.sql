-- 0021_funds.sql — the emulation and commendation fund (quỹ thi đua, khen
-- thưởng) of a year, and the bonuses paid out of it (issue 12 §3).
--
-- Whoever signs a decision pays its bonuses from that level's fund
-- (Decree 152 Art. 47.2).  Part of the fund is set aside for organising
-- the movements, media, checks and the council's meetings (20 %, Decree
-- 152 Art. 46.3, 48.1.a); the rest pays awards.  The share set aside is
-- data of the rule sets (fund_rules), each fund keeps the one in force
-- when it was entered.  `paid` is the running total, moved by the same
-- statement that records a payment, so that two payments at once cannot
-- both take the last of the fund (its UPDATE waits for the other and
-- checks the balance again).

CREATE TABLE fund_rules (
  rule_set          text PRIMARY KEY REFERENCES rule_sets (code) ON DELETE CASCADE,
  set_aside_percent integer NOT NULL CHECK (set_aside_percent BETWEEN 0 AND 100),
  source_document   text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article    text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  source_clause     text NOT NULL DEFAULT '' CHECK (length(source_clause) <= 100),
  mark              text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi           text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en           text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000)
);

INSERT INTO fund_rules (rule_set, set_aside_percent, source_document, source_article,
                        source_clause, mark, note_vi, note_en) VALUES
  ('nd152_2025', 20, '152/2025/NĐ-CP', 'Điều 48', 'Khoản 1, điểm a', 'primary', '', ''),
  ('nd98_2023', 20, '98/2023/NĐ-CP', '', '', 'unconfirmed',
   'Chưa đọc trong văn bản; giả định như Nghị định 152/2025.',
   'Not read in the text; assumed as under Decree 152/2025.'),
  ('nd91_2017', 20, '91/2017/NĐ-CP', '', '', 'unconfirmed',
   'Chưa đọc trong văn bản; giả định như Nghị định 152/2025.',
   'Not read in the text; assumed as under Decree 152/2025.');

CREATE TABLE emulation_funds (
  organization_id   bigint NOT NULL REFERENCES organizations (id),
  year              integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  size              bigint NOT NULL CHECK (size >= 0 AND size < 1000000000000),
  set_aside_percent integer NOT NULL CHECK (set_aside_percent BETWEEN 0 AND 100),
  rule_set          text REFERENCES rule_sets (code),
  source_document   text NOT NULL DEFAULT '' CHECK (length(source_document) <= 300),
  paid              bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1,
  PRIMARY KEY (organization_id, year)
);

CREATE TABLE fund_payments (
  organization_id bigint NOT NULL,
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year            integer NOT NULL,
  -- the award paid: an individual title (staff_titles) or any other award
  ledger          text NOT NULL CHECK (ledger IN ('title', 'award')),
  ledger_id       bigint NOT NULL,
  award_code      text NOT NULL REFERENCES award_kinds (code),
  subject         text NOT NULL CHECK (subject IN ('individual', 'collective')),
  -- who receives it ('staff:12', 'unit:3', 'agency') and for which year:
  -- several titles of one period pay only the highest (below)
  recipient_key   text NOT NULL,
  period_year     integer NOT NULL,
  category        text NOT NULL CHECK (category IN ('title', 'form')),
  decision_date   date NOT NULL,
  tenths          integer NOT NULL CHECK (tenths > 0),
  base_salary     bigint NOT NULL CHECK (base_salary > 0),
  -- the award's whole bonus, and what is paid: less, for a title, by what
  -- the titles of the same recipient and period were already paid
  -- (Decree 152 Art. 49.5: several titles for one period, the highest only)
  full_amount     bigint NOT NULL CHECK (full_amount > 0),
  amount          bigint NOT NULL CHECK (amount > 0 AND amount <= full_amount),
  paid_on         date NOT NULL,
  -- the Office's reason for paying beyond the balance (NULL: within it)
  override_reason text CHECK (length(override_reason) BETWEEN 1 AND 2000),
  paid_by         text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, ledger, ledger_id),
  FOREIGN KEY (organization_id, year) REFERENCES emulation_funds (organization_id, year),
  CONSTRAINT fund_payments_in_year CHECK (extract(year FROM paid_on) = year)
);
CREATE INDEX fund_payments_year ON fund_payments (organization_id, year, id);
CREATE INDEX fund_payments_period ON fund_payments (organization_id, recipient_key, period_year)
  WHERE category = 'title';
