-- outbox.sql — the transactional outbox and its webhook deliveries
-- (migration 0036; the delivery thread is service/jobs/webhooks.c).

-- Records that something happened in p_org, in the caller's transaction,
-- and queues one delivery per active subscription that asked for p_type.
-- p_data is the event's "data": ids, numbers and days only, never a
-- person's particulars, because it leaves the service for a URL an admin
-- typed (a subscriber reads the rest through the API with its own rights).
CREATE OR REPLACE FUNCTION outbox_emit(p_org bigint, p_type text, p_data jsonb)
RETURNS bigint LANGUAGE sql AS $$
  WITH ev AS (
    INSERT INTO outbox_events (organization_id, type, data)
    VALUES (p_org, p_type, p_data) RETURNING id),
  queued AS (
    INSERT INTO webhook_deliveries (subscription_id, event_id)
    SELECT s.id, ev.id FROM webhook_subscriptions s, ev
     WHERE s.organization_id = p_org AND s.disabled_at IS NULL AND p_type = ANY (s.events)
    RETURNING 1)
  SELECT ev.id FROM ev
$$;

-- The body every delivery of an event posts, the same bytes for every
-- subscriber and every attempt (Standard Webhooks: type, timestamp, data).
CREATE OR REPLACE FUNCTION outbox_event_body(e outbox_events) RETURNS text
LANGUAGE sql STABLE
RETURN json_build_object('type', e.type,
                         'timestamp', to_char(e.occurred_at AT TIME ZONE 'UTC',
                                              'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                         'data', e.data || jsonb_build_object(
                            'organization', (SELECT o.code FROM organizations o
                                              WHERE o.id = e.organization_id)))::text;

-- A subscription as the API shows it: never its secret.
CREATE OR REPLACE FUNCTION webhook_subscription_json(s webhook_subscriptions) RETURNS jsonb
LANGUAGE sql STABLE
RETURN jsonb_build_object(
  'id', s.id, 'url', s.url, 'description', s.description, 'events', to_jsonb(s.events),
  'active', s.disabled_at IS NULL, 'created_at', s.created_at, 'rotated_at', s.rotated_at,
  'disabled_at', s.disabled_at, 'version', s.version,
  'deliveries', (SELECT jsonb_build_object(
                   'pending', count(*) FILTER (WHERE d.status = 'pending'),
                   'delivered', count(*) FILTER (WHERE d.status = 'delivered'),
                   'failed', count(*) FILTER (WHERE d.status = 'failed'))
                   FROM webhook_deliveries d WHERE d.subscription_id = s.id));

CREATE OR REPLACE FUNCTION webhook_delivery_json(d webhook_deliveries, e outbox_events)
RETURNS jsonb LANGUAGE sql STABLE
RETURN jsonb_build_object(
  'event_id', e.event_id, 'type', e.type, 'occurred_at', e.occurred_at, 'data', e.data,
  'status', d.status, 'attempts', d.attempts,
  'next_attempt_at', CASE WHEN d.status = 'pending' THEN d.next_attempt_at END,
  'last_attempt_at', d.last_attempt_at, 'last_status', d.last_status,
  'last_error', d.last_error, 'delivered_at', d.delivered_at);

-- The wait before attempt n + 1 after n failed ones: p_base doubled each
-- time, at most 12 hours; a tenth of random spread so that a subscriber
-- that comes back is not hit by every replica's retries at once.
CREATE OR REPLACE FUNCTION webhook_backoff(p_attempts integer, p_base_ms integer)
RETURNS interval LANGUAGE sql VOLATILE
RETURN make_interval(secs => least(43200.0, p_base_ms / 1000.0
                                  * power(2, least(greatest(p_attempts - 1, 0), 30)))
                             * (1 + random() / 10));

-- Claims up to p_limit due deliveries for p_lease_s seconds (the attempt
-- under way); SKIP LOCKED lets replicas claim side by side.  Answers what
-- the thread needs to post each: ids, URL, key, webhook-id, body.
CREATE OR REPLACE FUNCTION webhook_claim(p_limit integer, p_lease_s integer)
RETURNS TABLE (subscription_id bigint, event_id bigint, url text, secret_hex text,
               webhook_id text, occurred_epoch bigint, body text, attempts integer)
LANGUAGE sql AS $$
  WITH due AS (
    SELECT d.subscription_id, d.event_id FROM webhook_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= now()
     ORDER BY d.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED),
  claimed AS (
    UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),
           next_attempt_at = now() + make_interval(secs => p_lease_s)
      FROM due WHERE d.subscription_id = due.subscription_id AND d.event_id = due.event_id
    RETURNING d.subscription_id, d.event_id, d.attempts)
  SELECT c.subscription_id, c.event_id, s.url, encode(s.secret, 'hex'), e.event_id::text,
         extract(epoch FROM now())::bigint, outbox_event_body(e), c.attempts
    FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id
    JOIN outbox_events e ON e.id = c.event_id
$$;

-- Records the outcomes of claimed attempts (p_outcomes: [{s: subscription,
-- e: event, c: HTTP status or 0 when none came, x: the error, null when
-- delivered}]).  A delivery that fails p_max times is given up ('failed');
-- an admin may redeliver it.  A row no longer pending (disabled meanwhile,
-- or redelivered and done by another replica) is left as it is.
CREATE OR REPLACE FUNCTION webhook_record(p_outcomes jsonb, p_max integer, p_base_ms integer)
RETURNS integer LANGUAGE sql AS $$
  WITH r AS (SELECT * FROM jsonb_to_recordset(p_outcomes) AS r(s bigint, e bigint, c integer,
                                                                x text)),
  upd AS (
    UPDATE webhook_deliveries d
       SET status = CASE WHEN r.x IS NULL THEN 'delivered'
                         WHEN d.attempts >= p_max THEN 'failed' ELSE 'pending' END,
           delivered_at = CASE WHEN r.x IS NULL THEN now() END,
           last_status = nullif(r.c, 0), last_error = r.x,
           next_attempt_at = CASE WHEN r.x IS NULL THEN d.next_attempt_at
                                  ELSE now() + webhook_backoff(d.attempts, p_base_ms) END
      FROM r WHERE d.subscription_id = r.s AND d.event_id = r.e AND d.status = 'pending'
    RETURNING 1)
  SELECT count(*)::integer FROM upd
$$;

-- Registers a subscription (f: url, description, events) with the key
-- the service drew (p_secret, 32 bytes).
CREATE OR REPLACE FUNCTION webhook_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb, p_secret bytea)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s webhook_subscriptions;
BEGIN
  -- two admins adding at once must not both pass the count
  PERFORM pg_advisory_xact_lock(hashtextextended('webhook_subscriptions', p_org));
  IF (SELECT count(*) FROM webhook_subscriptions w
       WHERE w.organization_id = p_org AND w.disabled_at IS NULL) >= 20 THEN
    RETURN write_refused('webhook-too-many', jsonb_build_object('max', 20));
  END IF;
  INSERT INTO webhook_subscriptions (organization_id, url, description, events, secret)
  VALUES (p_org, btrim(f->>'url'), normalize(btrim(coalesce(f->>'description', '')), NFC),
          ARRAY(SELECT DISTINCT jsonb_array_elements_text(f->'events') ORDER BY 1), p_secret)
  RETURNING * INTO s;
  PERFORM audit_append(p_org, p_atype, p_aid, 'webhook.create', 'webhook', s.id::text, NULL,
                       webhook_subscription_json(s) - 'deliveries', p_req);
  RETURN write_ok(webhook_subscription_json(s)::text, s.version, s.id);
END $$;

-- Replaces the key (the old one stops signing at once: a subscriber that
-- must overlap the two verifies with both for a while).
CREATE OR REPLACE FUNCTION webhook_rotate(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_secret bytea)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s webhook_subscriptions;
BEGIN
  UPDATE webhook_subscriptions w SET secret = p_secret, rotated_at = now(),
         version = w.version + 1
   WHERE w.organization_id = p_org AND w.id = p_id AND w.disabled_at IS NULL
  RETURNING * INTO s;
  IF s.id IS NULL THEN
    RETURN write_not_found();
  END IF;
  PERFORM audit_append(p_org, p_atype, p_aid, 'webhook.rotate', 'webhook', s.id::text, NULL,
                       jsonb_build_object('rotated_at', s.rotated_at, 'version', s.version),
                       p_req);
  RETURN write_ok(webhook_subscription_json(s)::text, s.version, s.id);
END $$;

-- Stops a subscription: nothing more is queued for it, and what is pending
-- is given up (kept in the log as failed, with the reason).
CREATE OR REPLACE FUNCTION webhook_disable(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s webhook_subscriptions;
BEGIN
  SELECT * INTO s FROM webhook_subscriptions w
   WHERE w.organization_id = p_org AND w.id = p_id FOR UPDATE;
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.disabled_at IS NOT NULL THEN
    RETURN write_ok(webhook_subscription_json(s)::text, s.version, s.id);
  END IF;
  UPDATE webhook_subscriptions w SET disabled_at = now(), version = w.version + 1
   WHERE w.id = s.id RETURNING * INTO s;
  UPDATE webhook_deliveries d SET status = 'failed', last_error = 'subscription disabled'
   WHERE d.subscription_id = s.id AND d.status = 'pending';
  PERFORM audit_append(p_org, p_atype, p_aid, 'webhook.disable', 'webhook', s.id::text, NULL,
                       jsonb_build_object('disabled_at', s.disabled_at), p_req);
  RETURN write_ok(webhook_subscription_json(s)::text, s.version, s.id);
END $$;

-- Queues an event again for one subscription, under the same webhook-id:
-- a subscriber that already processed it recognises it.
CREATE OR REPLACE FUNCTION webhook_redeliver(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint, p_event uuid)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s webhook_subscriptions;
  d webhook_deliveries;
  e outbox_events;
BEGIN
  SELECT * INTO s FROM webhook_subscriptions w WHERE w.organization_id = p_org AND w.id = p_id;
  SELECT * INTO e FROM outbox_events x WHERE x.organization_id = p_org AND x.event_id = p_event;
  SELECT * INTO d FROM webhook_deliveries x
   WHERE x.subscription_id = s.id AND x.event_id = e.id FOR UPDATE;
  IF s.id IS NULL OR d.event_id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.disabled_at IS NOT NULL THEN
    RETURN write_refused('webhook-disabled', jsonb_build_object('id', s.id));
  END IF;
  -- a fresh run of attempts: an admin who redelivers has fixed something
  UPDATE webhook_deliveries x SET status = 'pending', next_attempt_at = now(),
         delivered_at = NULL, attempts = 0
   WHERE x.subscription_id = d.subscription_id AND x.event_id = d.event_id
  RETURNING * INTO d;
  PERFORM audit_append(p_org, p_atype, p_aid, 'webhook.redeliver', 'webhook', s.id::text,
                       NULL, jsonb_build_object('event_id', e.event_id), p_req);
  RETURN write_ok(webhook_delivery_json(d, e)::text, NULL, s.id);
END $$;

-- A 'webhook.ping' event for this subscription alone: how an admin checks
-- the URL and the subscriber its signature check.
CREATE OR REPLACE FUNCTION webhook_ping(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s webhook_subscriptions;
  d webhook_deliveries;
  e outbox_events;
BEGIN
  SELECT * INTO s FROM webhook_subscriptions w WHERE w.organization_id = p_org AND w.id = p_id;
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.disabled_at IS NOT NULL THEN
    RETURN write_refused('webhook-disabled', jsonb_build_object('id', s.id));
  END IF;
  INSERT INTO outbox_events (organization_id, type, data)
  VALUES (p_org, 'webhook.ping', jsonb_build_object('subscription_id', s.id))
  RETURNING * INTO e;
  INSERT INTO webhook_deliveries (subscription_id, event_id) VALUES (s.id, e.id)
  RETURNING * INTO d;
  PERFORM audit_append(p_org, p_atype, p_aid, 'webhook.ping', 'webhook', s.id::text, NULL,
                       jsonb_build_object('event_id', e.event_id), p_req);
  RETURN write_ok(webhook_delivery_json(d, e)::text, NULL, s.id);
END $$;

-- One subscription (NULL when not the organisation's).
CREATE OR REPLACE FUNCTION webhook_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
RETURN (SELECT webhook_subscription_json(s) FROM webhook_subscriptions s
         WHERE s.organization_id = p_org AND s.id = p_id);

CREATE OR REPLACE FUNCTION webhooks_list(p_org bigint) RETURNS jsonb
LANGUAGE sql STABLE
RETURN jsonb_build_object('items', coalesce((
  SELECT jsonb_agg(webhook_subscription_json(s) ORDER BY s.id)
    FROM webhook_subscriptions s WHERE s.organization_id = p_org), '[]'::jsonb));

-- The delivery log of a subscription, newest event first, keyset-paged by
-- the event's id (p_before 0: from the newest); p_status '' for all.
-- NULL when the subscription is not the organisation's.
CREATE OR REPLACE FUNCTION webhook_deliveries_page(p_org bigint, p_id bigint, p_status text,
  p_before bigint, p_limit integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  WITH s AS (SELECT w.id FROM webhook_subscriptions w
              WHERE w.organization_id = p_org AND w.id = p_id),
  page AS (
    SELECT d, e FROM s JOIN webhook_deliveries d ON d.subscription_id = s.id
      JOIN outbox_events e ON e.id = d.event_id
     WHERE (p_status = '' OR d.status = p_status) AND (p_before = 0 OR e.id < p_before)
     ORDER BY e.id DESC LIMIT p_limit)
  SELECT jsonb_build_object(
           'items', coalesce((SELECT jsonb_agg(webhook_delivery_json(p.d, p.e)
                                               ORDER BY (p.e).id DESC) FROM page p),
                             '[]'::jsonb),
           'next_cursor', CASE WHEN (SELECT count(*) FROM page) = p_limit
                               THEN (SELECT min((p.e).id)::text FROM page p) END)
    FROM s
$$;

-- ---- e-mail (migration 0038) ------------------------------------------------

-- Claims up to p_limit due messages for p_lease_s seconds, as webhook_claim.
CREATE OR REPLACE FUNCTION email_claim(p_limit integer, p_lease_s integer)
RETURNS TABLE (id bigint, recipient text, subject text, body text, message_id text)
LANGUAGE sql AS $$
  WITH due AS (
    SELECT d.id FROM email_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= now()
     ORDER BY d.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED),
  claimed AS (
    UPDATE email_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),
           next_attempt_at = now() + make_interval(secs => p_lease_s)
      FROM due WHERE d.id = due.id
    RETURNING d.*)
  SELECT c.id, c.recipient, c.subject, c.body, e.event_id::text || '.' || c.id
    FROM claimed c JOIN outbox_events e ON e.id = c.event_id
$$;

-- Records the outcomes of claimed messages (p_outcomes: [{i: id, x: the
-- error, null when the relay took it}]), as webhook_record.
CREATE OR REPLACE FUNCTION email_record(p_outcomes jsonb, p_max integer, p_base_ms integer)
RETURNS integer LANGUAGE sql AS $$
  WITH r AS (SELECT * FROM jsonb_to_recordset(p_outcomes) AS r(i bigint, x text)),
  upd AS (
    UPDATE email_deliveries d
       SET status = CASE WHEN r.x IS NULL THEN 'delivered'
                         WHEN d.attempts >= p_max THEN 'failed' ELSE 'pending' END,
           delivered_at = CASE WHEN r.x IS NULL THEN now() END,
           last_error = r.x,
           next_attempt_at = CASE WHEN r.x IS NULL THEN d.next_attempt_at
                                  ELSE now() + webhook_backoff(d.attempts, p_base_ms) END
      FROM r WHERE d.id = r.i AND d.status = 'pending'
    RETURNING 1)
  SELECT count(*)::integer FROM upd
$$;
