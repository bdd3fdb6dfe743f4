-- 0040_staff_codes.sql — the staff code (mã cán bộ, issue 14 §1): a stable
-- identifier the agency gives each person, so that importing the staff
-- file again updates the people it names rather than adding them twice.
-- Optional (people entered before have none); unique within an
-- organisation when given.

ALTER TABLE staff ADD COLUMN code text CHECK (code ~ '^[A-Za-z0-9._/-]{1,30}$');
CREATE UNIQUE INDEX staff_code_key ON staff (organization_id, code) WHERE code IS NOT NULL;
