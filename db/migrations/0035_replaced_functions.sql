-- 0035_replaced_functions.sql — procedures replaced by others (the
-- procedures are loaded at every start; a function no file defines any
-- more stays unless a migration drops it):
--   decision_case_open, proposal_case_open  → list_case_refusal (cases.sql)
--   disclosure_running, disclosure_missing  → disclosure_hold (disclosures.sql)
DROP FUNCTION IF EXISTS decision_case_open(bigint, date);
DROP FUNCTION IF EXISTS proposal_case_open(bigint, date);
DROP FUNCTION IF EXISTS disclosure_running(text, bigint, date);
DROP FUNCTION IF EXISTS disclosure_missing(text, bigint);
