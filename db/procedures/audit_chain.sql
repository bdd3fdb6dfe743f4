-- audit_chain.sql — the hash-chained audit trail: the canonical content of a
-- row, the append that links it to its stripe's head, and the stripe of a
-- submission's record (the tables: migrations 0002 and 0005).
--
-- Every write of the service appends its audit record through audit_append
-- or audit_append_striped, in the same statement as the write.
--
-- Careful: audit_content and audit_content_striped define the bytes each
-- stored hash covers, and /v1/audit/verify (store/audit.c) recomputes them.
-- A new body would make every row already written fail verification.  They
-- live here because no schema object depends on them, but their bodies are
-- frozen: a new content format needs a new function (as 0005 added
-- audit_content_striped beside audit_content), never an edit of these.
-- They are STABLE, not IMMUTABLE, because their bodies are (jsonb_build_array
-- and the jsonb text form depend on output functions): PostgreSQL never
-- inlines an IMMUTABLE SQL function whose body is not, so each append
-- parsed and planned audit_content_striped again (83 µs a call, measured
-- with track_functions under report_submit); inlined, its plan is kept.

-- The canonical content of a row: a JSON array whose text form jsonb makes
-- deterministic; the instant as integer microseconds, independent of the
-- session's TimeZone.
CREATE OR REPLACE FUNCTION audit_content(org bigint, seq bigint, occurred_at timestamptz,
                                         actor_type text, actor_id text, action text,
                                         entity_type text, entity_id text, before jsonb,
                                         after jsonb, request_id text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
RETURN convert_to(jsonb_build_array(org, seq,
         (extract(epoch FROM occurred_at) * 1000000)::bigint, actor_type, actor_id,
         action, entity_type, entity_id, before, after, request_id)::text, 'UTF8');

-- Stripe 0 keeps the content of 0002; other stripes name themselves.
CREATE OR REPLACE FUNCTION audit_content_striped(org bigint, stripe smallint, seq bigint,
                                                 occurred_at timestamptz, actor_type text,
                                                 actor_id text, action text, entity_type text,
                                                 entity_id text, before jsonb, after jsonb,
                                                 request_id text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN stripe = 0 THEN audit_content(org, seq, occurred_at, actor_type, actor_id,
                                                action, entity_type, entity_id, before, after,
                                                request_id)
  ELSE convert_to(jsonb_build_array(org, stripe, seq,
         (extract(epoch FROM occurred_at) * 1000000)::bigint, actor_type, actor_id,
         action, entity_type, entity_id, before, after, request_id)::text, 'UTF8') END;

CREATE OR REPLACE FUNCTION audit_append_striped(p_org bigint, p_stripe smallint, p_actor_type text,
                                                p_actor_id text, p_action text, p_entity_type text,
                                                p_entity_id text, p_before jsonb, p_after jsonb,
                                                p_request_id text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head audit_heads%ROWTYPE;
  at   timestamptz := now();
  h    bytea;
BEGIN
  -- the row lock serialises one chain of one organisation, and only that one;
  -- the head is inserted only the first time (a speculative insert into its
  -- unique index on every append cost more than the lookup)
  SELECT * INTO head FROM audit_heads WHERE organization_id = p_org AND stripe = p_stripe
     FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_heads (organization_id, stripe, seq, hash)
    VALUES (p_org, p_stripe, 0, decode(repeat('00', 32), 'hex'))
    ON CONFLICT DO NOTHING;
    SELECT * INTO head FROM audit_heads WHERE organization_id = p_org AND stripe = p_stripe
       FOR UPDATE;
  END IF;
  h := sha256(head.hash || audit_content_striped(p_org, p_stripe, head.seq + 1, at,
              p_actor_type, p_actor_id, p_action, p_entity_type, p_entity_id, p_before,
              p_after, p_request_id));
  INSERT INTO audit_log (organization_id, stripe, seq, occurred_at, actor_type, actor_id,
                         action, entity_type, entity_id, before, after, request_id,
                         prev_hash, hash)
  VALUES (p_org, p_stripe, head.seq + 1, at, p_actor_type, p_actor_id, p_action,
          p_entity_type, p_entity_id, p_before, p_after, p_request_id, head.hash, h);
  UPDATE audit_heads SET seq = head.seq + 1, hash = h
   WHERE organization_id = p_org AND stripe = p_stripe;
  RETURN head.seq + 1;
END $$;

CREATE OR REPLACE FUNCTION audit_append(p_org bigint, p_actor_type text, p_actor_id text,
                                        p_action text, p_entity_type text, p_entity_id text,
                                        p_before jsonb, p_after jsonb, p_request_id text)
RETURNS bigint LANGUAGE sql
RETURN audit_append_striped(p_org, 0::smallint, p_actor_type, p_actor_id, p_action,
                            p_entity_type, p_entity_id, p_before, p_after, p_request_id);

-- The stripe a unit's submissions prefer.
CREATE OR REPLACE FUNCTION audit_stripe_of_unit(p_unit bigint) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (1 + p_unit % 15)::smallint;

-- The stripe (1..15) a submission's record goes to: the unit's own
-- (created if new) or, when another transaction holds it, the next of the
-- organisation's stripes that none holds, locked here (SKIP LOCKED); the
-- unit's own, waited for, when every one is held.  A
-- stripe's head stays locked until commit, WAL flush included: chosen by
-- unit alone (four stripes, then fifteen), concurrent submissions of one
-- organisation queued behind each other's commits (measured with
-- report_submit, 32 connections: "Lock: transactionid" was half of the
-- waits of the service's backends with four stripes by unit, an eighth
-- with fifteen).  Each stripe is still one gapless chain of whatever rows
-- it holds, so /v1/audit/verify is unchanged; across stripes, audit_log.id
-- gives the order.
CREATE OR REPLACE FUNCTION audit_free_stripe(p_org bigint, p_unit bigint) RETURNS smallint
LANGUAGE plpgsql AS $$
DECLARE
  own smallint := audit_stripe_of_unit(p_unit);
  s smallint;
BEGIN
  -- the unit's own first, when no other transaction holds it.  Only
  -- inserted when missing: an INSERT ... ON CONFLICT meeting a head that
  -- another transaction has updated waits for that one to end.
  IF NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.organization_id = p_org
                    AND h.stripe = own) THEN
    INSERT INTO audit_heads (organization_id, stripe, seq, hash)
    VALUES (p_org, own, 0, decode(repeat('00', 32), 'hex'))
    ON CONFLICT DO NOTHING;
  END IF;
  SELECT h.stripe INTO s FROM audit_heads h
   WHERE h.organization_id = p_org AND h.stripe BETWEEN 1 AND 15
   ORDER BY (h.stripe - own + 15) % 15 LIMIT 1 FOR UPDATE SKIP LOCKED;
  RETURN coalesce(s, own);
END $$;
