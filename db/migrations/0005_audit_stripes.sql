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
-- The striped append and its content: db/procedures/audit_chain.sql.

ALTER TABLE audit_heads ADD COLUMN stripe smallint NOT NULL DEFAULT 0
  CHECK (stripe BETWEEN 0 AND 15);
ALTER TABLE audit_heads DROP CONSTRAINT audit_heads_pkey;
ALTER TABLE audit_heads ADD PRIMARY KEY (organization_id, stripe);

ALTER TABLE audit_log ADD COLUMN stripe smallint NOT NULL DEFAULT 0
  CHECK (stripe BETWEEN 0 AND 15);
ALTER TABLE audit_log DROP CONSTRAINT audit_log_organization_id_seq_key;
ALTER TABLE audit_log ADD UNIQUE (organization_id, stripe, seq);
