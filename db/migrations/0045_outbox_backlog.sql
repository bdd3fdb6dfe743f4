-- 0045_outbox_backlog.sql — the backlog of the outbox, measured (issue 15
-- §5): how many deliveries wait, and since when.
--
-- The delivery thread (service/jobs/webhooks.c) counts the pending
-- deliveries of each channel and finds the event of the oldest one, every
-- few seconds on every replica, for the gauges thidua_outbox_pending and
-- thidua_outbox_oldest_pending_seconds.  Pending rows are few beside the
-- delivered and failed ones, which are kept as the delivery log: these
-- partial indexes hold only the pending, so the count is an index-only scan
-- of the backlog and the oldest one (the smallest event id; events take
-- their ids in the order they are written) the first entry of the index.
-- webhook_deliveries_due orders the pending by their next attempt, which
-- says nothing of their age.

CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (event_id)
  WHERE status = 'pending';
CREATE INDEX email_deliveries_pending ON email_deliveries (event_id)
  WHERE status = 'pending';
