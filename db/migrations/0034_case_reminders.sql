-- 0034_case_reminders.sql — reminders of a case's clock (issue 13 §2):
-- housekeeping records, once per clock, that an open case is due within
-- five days or overdue (db/procedures/cases.sql, case_reminders_record).
-- The Office reads them with the case and in its lists; delivering them
-- (webhooks, e-mail) is the outbox's, issue 14.

CREATE TABLE case_reminders (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases (id),
  kind          text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  -- the due day the reminder is about: an extension or a new step makes a
  -- new clock and so a new reminder
  due           date NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, kind, due)
);
