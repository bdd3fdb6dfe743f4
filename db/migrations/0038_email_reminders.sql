-- 0038_email_reminders.sql — reminders by e-mail (issue 14 §3), where an
-- SMTP relay is configured (THIDUA_SMTP_URL).
--
-- An account may have an e-mail address.  When housekeeping records that a
-- case is due or overdue (case_reminders_record), the same transaction
-- queues one message per recipient: the case's handler when one is named
-- and has an address, else the Office (active accounts with the
-- secretariat role and an address).  The delivery thread sends them as it
-- posts webhooks: claimed under a lease, retried with the same backoff,
-- given up after as many attempts.  A message says which case and which
-- day, never who lodged it or what it says (a denunciation's secrecy).

ALTER TABLE users
  ADD COLUMN email text CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254
                                                 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'));

CREATE TABLE email_deliveries (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id      bigint NOT NULL REFERENCES outbox_events (id),
  recipient     text NOT NULL,
  subject       text NOT NULL,
  body          text NOT NULL,
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_error    text,
  delivered_at  timestamptz,
  UNIQUE (event_id, recipient)
);
CREATE INDEX email_deliveries_due ON email_deliveries (next_attempt_at)
  WHERE status = 'pending';

-- case_reminders_record takes whether to mail (db/procedures/cases.sql)
DROP FUNCTION IF EXISTS case_reminders_record(date);
