-- 0010_identity_hostile.sql — login throttling per account and address,
-- and access tokens that can be revoked before they expire.
--
-- It also keeps an older binary from starting on this database and
-- loading its procedures over these, which must not be undone: the
-- throttle's reservations (login_throttle.sql), the token epochs
-- (token_revocation.sql) and maker-checker (submission_workflow.sql).
--
-- login_throttle: keys are now "pair:<username>@<address>" and
-- "ip:<address>" (db/procedures/login_throttle.sql); the per-account keys
-- "user:<name>", with which anyone could lock anyone's account, are no
-- longer read and go.  pending counts attempts whose password is being
-- checked, so that parallel guesses wait instead of slipping past the
-- limit, and concurrent correct logins wait instead of being refused;
-- pending_until lets a count left by a process that died lapse.
ALTER TABLE login_throttle
  ADD COLUMN pending integer NOT NULL DEFAULT 0,
  ADD COLUMN pending_until timestamptz;
DELETE FROM login_throttle WHERE key LIKE 'user:%';
-- Their parameters are renamed (p_user is now p_pair), which CREATE OR
-- REPLACE cannot do; db/procedures/login_throttle.sql creates them again.
DROP FUNCTION IF EXISTS throttle_try(text, text, integer, integer);
DROP FUNCTION IF EXISTS throttle_success(text, text);

-- Token epochs: an access token carries its account's or client's epoch
-- at issue ("epoch" claim, absent = 0) and is refused once the epoch moved
-- on (db/procedures/token_revocation.sql says what moves it).
ALTER TABLE users ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN token_epoch integer NOT NULL DEFAULT 0;

-- One number per organisation, bumped in the same transaction as any epoch:
-- what each replica polls (at most once a second) to learn that some token
-- of the organisation may have been revoked.  No row = revision 0.
CREATE TABLE security_revisions (
  organization_id bigint PRIMARY KEY REFERENCES organizations (id),
  rev             bigint NOT NULL
);
