-- 0027_households.sql — households as recipients of a commendation, and
-- coefficients in hundredths (issue 12 §3).
--
-- A household (hộ gia đình) is commended for its contributions of effort,
-- land or assets, or for its part in a movement (Law 2022 Art. 75-76, as
-- Bắc Ninh 86/2025 Art. 4.3 restates them [secondary]): for an economic
-- zone, typically the families that gave land for it.  Decree 152 pays a
-- household 1.5 times an individual's bonus for the same form (domain.md
-- §4.1, rule 27): 0.45 of the base salary for a Giấy khen, which tenths
-- cannot hold, so every coefficient is now kept in hundredths.

-- ---- coefficients in hundredths ---------------------------------------------

ALTER TABLE bonus_coefficients RENAME COLUMN tenths TO hundredths;
ALTER TABLE bonus_coefficients DROP CONSTRAINT bonus_coefficients_tenths_check;
UPDATE bonus_coefficients SET hundredths = hundredths * 10;
ALTER TABLE bonus_coefficients
  ADD CONSTRAINT bonus_coefficients_hundredths_check
    CHECK (hundredths > 0 AND hundredths <= 10000),
  DROP CONSTRAINT bonus_coefficients_subject_check,
  ADD CONSTRAINT bonus_coefficients_subject_check
    CHECK (subject IN ('individual', 'collective', 'household'));

ALTER TABLE fund_payments RENAME COLUMN tenths TO hundredths;
ALTER TABLE fund_payments DROP CONSTRAINT fund_payments_tenths_check;
UPDATE fund_payments SET hundredths = hundredths * 10;
ALTER TABLE fund_payments
  ADD CONSTRAINT fund_payments_hundredths_check CHECK (hundredths > 0),
  DROP CONSTRAINT fund_payments_subject_check,
  ADD CONSTRAINT fund_payments_subject_check
    CHECK (subject IN ('individual', 'collective', 'household'));

ALTER TABLE decision_items RENAME COLUMN tenths TO hundredths;
UPDATE decision_items SET hundredths = hundredths * 10 WHERE hundredths IS NOT NULL;

-- what read tenths is replaced (db/procedures/fund.sql): its columns and
-- arguments changed, which CREATE OR REPLACE cannot do
DROP FUNCTION IF EXISTS bonus_tenths(text, text, text);
DROP FUNCTION IF EXISTS award_bonus_basis(bigint, text, bigint);
DROP FUNCTION IF EXISTS bonus_amount_of(integer, bigint);

-- Decree 152 Art. 54: a household receives 1.5 times an individual's bonus
-- of the same form [primary].  Decrees 91 and 98 give households no rate
-- (domain.md §4.1): a household's award decided under them pays nothing
-- the service can compute, and is refused payment (fund-no-rate).
INSERT INTO bonus_coefficients (rule_set, award_code, subject, hundredths, source_document,
                                source_article, mark, note_vi, note_en)
SELECT b.rule_set, b.award_code, 'household', b.hundredths * 3 / 2, b.source_document,
       'Điều 54', 'primary', 'Hộ gia đình: 1,5 lần mức tiền thưởng đối với cá nhân.',
       'A household: 1.5 times an individual''s bonus.'
  FROM bonus_coefficients b JOIN award_kinds k ON k.code = b.award_code
 WHERE b.rule_set = 'nd152_2025' AND b.subject = 'individual' AND k.category = 'form';

-- ---- households -------------------------------------------------------------

-- A household as the Office records it: its name as a decision and a
-- certificate print it, after its head ("Hộ ông Rơ Châm Yuh"), and its
-- address.
CREATE TABLE households (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address       text NOT NULL CHECK (length(address) BETWEEN 1 AND 500),
  note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id)
);
CREATE INDEX households_name ON households (organization_id, name COLLATE "vi-VN-x-icu");

-- Which awards a household may be nominated for here.  The law commends
-- households with forms (Giấy khen, Bằng khen); the service decides only
-- the agency's own (Giấy khen), and a proposal to the province names
-- persons and collectives only, so only the Giấy khen is open to them.
ALTER TABLE award_kinds ADD COLUMN for_households boolean NOT NULL DEFAULT false;
UPDATE award_kinds SET for_households = true WHERE code = 'giay_khen';

-- The subject of a nomination, of a decision's item and of the ledger may
-- be a household.
ALTER TABLE nominations
  ADD COLUMN household_id bigint,
  ADD FOREIGN KEY (organization_id, household_id) REFERENCES households (organization_id, id),
  DROP CONSTRAINT nominations_subject_kind_check,
  ADD CONSTRAINT nominations_subject_kind_check
    CHECK (subject_kind IN ('staff', 'unit', 'household')),
  DROP CONSTRAINT nominations_subject,
  ADD CONSTRAINT nominations_subject CHECK (
    (subject_kind = 'staff' AND staff_id IS NOT NULL AND unit_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'unit' AND unit_id IS NOT NULL AND staff_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'household' AND household_id IS NOT NULL AND staff_id IS NULL
       AND unit_id IS NULL));
DROP INDEX nominations_once;
CREATE UNIQUE INDEX nominations_once ON nominations
  (round_id, award_code, subject_kind, coalesce(staff_id, unit_id, household_id))
  WHERE withdrawn_at IS NULL;

ALTER TABLE decision_items
  ADD COLUMN household_id bigint,
  ADD FOREIGN KEY (organization_id, household_id) REFERENCES households (organization_id, id),
  DROP CONSTRAINT decision_items_subject_kind_check,
  ADD CONSTRAINT decision_items_subject_kind_check
    CHECK (subject_kind IN ('staff', 'unit', 'household'));

ALTER TABLE awards
  ADD COLUMN household_id bigint,
  ADD FOREIGN KEY (organization_id, household_id) REFERENCES households (organization_id, id),
  DROP CONSTRAINT awards_subject_kind_check,
  ADD CONSTRAINT awards_subject_kind_check
    CHECK (subject_kind IN ('staff', 'unit', 'agency', 'household')),
  DROP CONSTRAINT awards_subject,
  ADD CONSTRAINT awards_subject CHECK (
    (subject_kind = 'staff' AND staff_id IS NOT NULL AND unit_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'unit' AND unit_id IS NOT NULL AND staff_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'agency' AND unit_id IS NULL AND staff_id IS NULL
       AND household_id IS NULL)
    OR (subject_kind = 'household' AND household_id IS NOT NULL AND staff_id IS NULL
       AND unit_id IS NULL));
CREATE INDEX awards_household ON awards (organization_id, household_id)
  WHERE household_id IS NOT NULL;
