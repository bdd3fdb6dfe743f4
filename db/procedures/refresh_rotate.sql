-- refresh_rotate.sql — rotation of refresh tokens (POST /v1/auth/token,
-- grant refresh_token), with reuse detection.

-- Rotates a refresh token in one statement (so one transaction): the
-- presented token is consumed and a new one joins its family; a token that
-- was already consumed revokes the whole family (it was stolen, or the
-- client is confused: either way the family is no longer trusted).
CREATE OR REPLACE FUNCTION refresh_rotate(p_hash bytea, p_new_hash bytea, p_ttl_s integer)
RETURNS TABLE (outcome text, user_id bigint, organization_id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  t refresh_tokens%ROWTYPE;
BEGIN
  SELECT * INTO t FROM refresh_tokens r WHERE r.token_hash = p_hash FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown'::text, NULL::bigint, NULL::bigint; RETURN;
  END IF;
  IF t.revoked_at IS NOT NULL THEN
    RETURN QUERY SELECT 'revoked'::text, t.user_id, t.organization_id; RETURN;
  END IF;
  IF t.used_at IS NOT NULL THEN
    UPDATE refresh_tokens r SET revoked_at = now()
     WHERE r.family = t.family AND r.revoked_at IS NULL;
    RETURN QUERY SELECT 'reused'::text, t.user_id, t.organization_id; RETURN;
  END IF;
  IF t.expires_at <= now() THEN
    RETURN QUERY SELECT 'expired'::text, t.user_id, t.organization_id; RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.disabled) THEN
    RETURN QUERY SELECT 'disabled'::text, t.user_id, t.organization_id; RETURN;
  END IF;
  UPDATE refresh_tokens r SET used_at = now() WHERE r.id = t.id;
  INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, expires_at)
  VALUES (t.organization_id, t.user_id, t.family, p_new_hash,
          now() + make_interval(secs => p_ttl_s));
  RETURN QUERY SELECT 'rotated'::text, t.user_id, t.organization_id;
END $$;
