-- token_revocation.sql — what ends live access tokens before they expire
-- (migration 0010).
--
-- An access token carries the token epoch of its account or client at
-- issue.  Whatever changes what a token claims, or whether its holder may
-- act at all, moves that epoch on: for an account, disabling it, its roles,
-- its unit or its staff record (a new password is moved on by the patch
-- that sets it: a rehash at login changes the hash, not the password); for
-- a client, revoking it, a new secret or new scopes.  Triggers, so a change
-- made with SQL by hand counts as much as one through the API.  The same
-- transaction bumps the organisation's security revision, which every
-- replica reads at most once a second (service/http/auth.c): when it moved,
-- the replica checks the epoch of each cached token's holder again and
-- refuses those that moved on.

CREATE OR REPLACE FUNCTION security_revision_bump(p_org bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO security_revisions AS s (organization_id, rev) VALUES (p_org, 1)
  ON CONFLICT (organization_id) DO UPDATE SET rev = s.rev + 1;
$$;

CREATE OR REPLACE FUNCTION users_token_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM security_revision_bump(OLD.organization_id);
    RETURN OLD;
  END IF;
  IF (NEW.disabled, NEW.roles, NEW.unit_id, NEW.staff_id)
     IS DISTINCT FROM (OLD.disabled, OLD.roles, OLD.unit_id, OLD.staff_id) THEN
    NEW.token_epoch := greatest(NEW.token_epoch, OLD.token_epoch + 1);
  END IF;
  IF NEW.token_epoch <> OLD.token_epoch THEN
    PERFORM security_revision_bump(NEW.organization_id);
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER users_token_epoch BEFORE UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION users_token_epoch();

CREATE OR REPLACE FUNCTION clients_token_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM security_revision_bump(OLD.organization_id);
    RETURN OLD;
  END IF;
  IF (NEW.secret_hash, NEW.revoked_at, NEW.scopes)
     IS DISTINCT FROM (OLD.secret_hash, OLD.revoked_at, OLD.scopes) THEN
    NEW.token_epoch := greatest(NEW.token_epoch, OLD.token_epoch + 1);
  END IF;
  IF NEW.token_epoch <> OLD.token_epoch THEN
    PERFORM security_revision_bump(NEW.organization_id);
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER clients_token_epoch BEFORE UPDATE OR DELETE ON clients
  FOR EACH ROW EXECUTE FUNCTION clients_token_epoch();
