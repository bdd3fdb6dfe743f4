-- 0005_audit_stripes.sql — an organisation's audit trail as a few chains.
--
-- Each chain's head row stays locked from the append until the writing
-- transaction commits, WAL flush included, so one chain commits its writers
-- one at a time.  Machine submissions come in bursts, for many units at
-- once; they go to stripes 1..4 chosen by unit, everything else stays in
-- stripe 0, so the chain rows written before this migration verify
-- unchanged.  Each stripe is a complete chain: gapless seq, each hash over
-- the previous hash of the same stripe and the row's content (which names
-- its stripe when it is not 0).  /v1/audit/verify checks every stripe.

ALTER TABLE audit_heads ADD COLUMN stripe smallint NOT NULL DEFAULT 0
  CHECK (stripe BETWEEN 0 AND 15);
ALTER TABLE audit_heads DROP CONSTRAINT audit_heads_pkey;
ALTER TABLE audit_heads ADD PRIMARY KEY (organization_id, stripe);

ALTER TABLE audit_log ADD COLUMN stripe smallint NOT NULL DEFAULT 0
  CHECK (stripe BETWEEN 0 AND 15);
ALTER TABLE audit_log DROP CONSTRAINT audit_log_organization_id_seq_key;
ALTER TABLE audit_log ADD UNIQUE (organization_id, stripe, seq);

-- Stripe 0 keeps the content of 0002; other stripes name themselves.
CREATE FUNCTION audit_content_striped(org bigint, stripe smallint, seq bigint,
                                      occurred_at timestamptz, actor_type text, actor_id text,
                                      action text, entity_type text, entity_id text,
                                      before jsonb, after jsonb, request_id text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN stripe = 0 THEN audit_content(org, seq, occurred_at, actor_type, actor_id,
                                                action, entity_type, entity_id, before, after,
                                                request_id)
  ELSE convert_to(jsonb_build_array(org, stripe, seq,
         (extract(epoch FROM occurred_at) * 1000000)::bigint, actor_type, actor_id,
         action, entity_type, entity_id, before, after, request_id)::text, 'UTF8') END;

CREATE FUNCTION audit_append_striped(p_org bigint, p_stripe smallint, p_actor_type text,
                                     p_actor_id text, p_action text, p_entity_type text,
                                     p_entity_id text, p_before jsonb, p_after jsonb,
                                     p_request_id text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head audit_heads%ROWTYPE;
  at   timestamptz := now();
  h    bytea;
BEGIN
  INSERT INTO audit_heads (organization_id, stripe, seq, hash)
  VALUES (p_org, p_stripe, 0, decode(repeat('00', 32), 'hex'))
  ON CONFLICT DO NOTHING;
  -- the row lock serialises one chain of one organisation, and only that one
  SELECT * INTO head FROM audit_heads WHERE organization_id = p_org AND stripe = p_stripe
     FOR UPDATE;
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

-- The stripe of a unit's submissions.
CREATE FUNCTION audit_stripe_of_unit(p_unit bigint) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (1 + p_unit % 4)::smallint;
