-- 0036_webhooks.sql — push, not only pull (issue 14 §3): a transactional
-- outbox and the webhooks that deliver it.
--
-- A change that others must hear of (a consolidation sent, a decision
-- signed, a disclosure opened, a case's reminder due) writes one row of
-- outbox_events in its own transaction (db/procedures/outbox.sql,
-- outbox_emit), and with it one webhook_deliveries row per subscription
-- that asked for that type: the event exists if and only if the change
-- committed.  The service's delivery thread (service/jobs/webhooks.c)
-- claims due deliveries with SKIP LOCKED, so replicas share the work, and
-- posts them signed as the Standard Webhooks convention says.

CREATE TABLE webhook_subscriptions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url           text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  events        text[] NOT NULL CHECK (cardinality(events) > 0),
  -- the HMAC key: kept as it is (not hashed) because every delivery is
  -- signed with it; returned once, when made or rotated, never listed
  secret        bytea NOT NULL CHECK (length(secret) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  rotated_at    timestamptz,
  disabled_at   timestamptz,
  version       integer NOT NULL DEFAULT 1
);
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (organization_id)
  WHERE disabled_at IS NULL;

CREATE TABLE outbox_events (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the webhook-id every delivery of it carries, retries and redeliveries
  -- included: what a subscriber deduplicates by
  event_id      uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  type          text NOT NULL,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  data          jsonb NOT NULL
);
CREATE INDEX outbox_events_org ON outbox_events (organization_id, id);

CREATE TABLE webhook_deliveries (
  subscription_id bigint NOT NULL REFERENCES webhook_subscriptions (id),
  event_id      bigint NOT NULL REFERENCES outbox_events (id),
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  -- when pending: the next attempt, or the end of the lease of the attempt
  -- under way (a replica that dies mid-post leaves it to the next)
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  last_status   integer,
  last_error    text,
  delivered_at  timestamptz,
  PRIMARY KEY (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
