-- 0033_revocation_cases.sql — a revocation (thu hồi) that follows a case
-- (issue 13 §2): the award is revoked because a complaint or denunciation
-- about its recipient was decided, and the decision's item names that
-- case (db/procedures/decisions.sql, decision_revoke).

ALTER TABLE decision_items ADD COLUMN revocation_case_id bigint REFERENCES cases (id);
CREATE INDEX decision_items_revocation_case ON decision_items (revocation_case_id)
  WHERE revocation_case_id IS NOT NULL;
