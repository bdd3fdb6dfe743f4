-- 0046_audit_verify_runs.sql — the periodic verification of the audit
-- chains (issue 15 §5), once per interval for all replicas together.
--
-- Housekeeping (service/jobs/audit_watch.c) looks every quarter of
-- THIDUA_AUDIT_VERIFY_INTERVAL_S.  Under pg_try_advisory_xact_lock, in one
-- transaction (the lock must be transaction-scoped: behind PgBouncer in
-- transaction mode a session lock would stay on whichever server connection
-- took it), the replica that gets the lock reads this row; when the last
-- complete run is older than the interval it verifies every organisation's
-- chain and records the run here before it commits.  The others skip the
-- lock, or find the run recent.  One row, written only at the end of a run:
-- the verification reads, so until then its transaction has no xid and holds
-- back no vacuum.

CREATE TABLE audit_verify_runs (
  one           boolean PRIMARY KEY DEFAULT true CHECK (one),
  -- the end of the last run that checked every organisation's chain to the
  -- end, whatever it found; NULL: none yet
  finished_at   timestamptz,
  organizations integer NOT NULL DEFAULT 0,
  -- organisations whose chain did not verify in that run (named in the log)
  broken        integer NOT NULL DEFAULT 0
);
INSERT INTO audit_verify_runs DEFAULT VALUES;
