-- 0002_identity.sql — organisations, units, staff, accounts, machine clients,
-- login throttling and the tamper-evident audit trail.
--
-- Every row that belongs to an organisation carries organization_id, and
-- foreign keys inside an organisation include it, so one organisation's
-- rows can never point at another's and the data can later be sharded by
-- organisation.

CREATE TABLE organizations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  short_name  text CHECK (length(short_name) <= 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);

-- Units (phòng, đơn vị) form a tree; path holds the ids from the root down
-- to the unit itself, so "inside the subtree of U" is `U = ANY(path)`.
CREATE TABLE units (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id   bigint,
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  kind        text NOT NULL CHECK (kind IN ('leadership', 'office', 'department',
                                             'center', 'other')),
  path        bigint[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, code),
  FOREIGN KEY (organization_id, parent_id) REFERENCES units (organization_id, id)
);
CREATE INDEX units_path ON units USING gin (path);

CREATE FUNCTION units_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := ARRAY[NEW.id];
  ELSE
    SELECT p.path || NEW.id INTO NEW.path
      FROM units p WHERE p.organization_id = NEW.organization_id AND p.id = NEW.parent_id;
    IF NEW.path IS NULL THEN
      RAISE EXCEPTION 'parent unit % not found', NEW.parent_id USING ERRCODE = '23503';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER units_path BEFORE INSERT ON units
  FOR EACH ROW EXECUTE FUNCTION units_set_path();

-- Vietnamese names are listed by given name (tên, the last word), then the
-- full name; vn_given_name is what the sort index uses.
CREATE FUNCTION vn_given_name(full_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(btrim(full_name), '^.*\s', '');

CREATE TABLE staff (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id         bigint NOT NULL,
  full_name       text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  given_name      text GENERATED ALWAYS AS (vn_given_name(full_name)) STORED,
  search_name     text GENERATED ALWAYS AS (vn_fold(full_name)) STORED,
  gender          text NOT NULL CHECK (gender IN ('female', 'male', 'other')),
  date_of_birth   date,
  position        text NOT NULL DEFAULT '' CHECK (length(position) <= 200),
  employment_type text NOT NULL CHECK (employment_type IN
                    ('civil_servant', 'public_employee', 'contract_worker', 'other')),
  start_date      date NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_leave', 'left')),
  leave_from      date,
  leave_until     date,
  left_on         date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  -- the same rules as domain/staff_rules.c, so a PATCH that combines a new
  -- value with stored ones cannot break them either; the names let the
  -- service point at the field
  CONSTRAINT staff_leave_from CHECK (status <> 'on_leave' OR leave_from IS NOT NULL),
  CONSTRAINT staff_leave_until CHECK (leave_until IS NULL OR leave_from IS NULL
                                      OR leave_until >= leave_from),
  CONSTRAINT staff_left_on CHECK (status <> 'left' OR left_on IS NOT NULL),
  CONSTRAINT staff_left_after_start CHECK (left_on IS NULL OR left_on >= start_date),
  CONSTRAINT staff_min_age CHECK (date_of_birth IS NULL
                                  OR date_of_birth + interval '15 years' <= start_date)
);
CREATE INDEX staff_by_name ON staff (organization_id, given_name COLLATE "vi-VN-x-icu",
                                     full_name COLLATE "vi-VN-x-icu", id);
CREATE INDEX staff_by_unit ON staff (organization_id, unit_id);
CREATE INDEX staff_search ON staff USING gin (search_name gin_trgm_ops);

-- Accounts.  Login names are unique in the whole deployment (a login does
-- not name its organisation).  Passwords: Argon2id strings from libsodium.
CREATE TABLE users (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash   text NOT NULL,
  staff_id        bigint,
  unit_id         bigint,
  roles           text[] NOT NULL CHECK (cardinality(roles) BETWEEN 1 AND 7 AND roles <@
                    ARRAY['admin', 'secretariat', 'leader', 'council', 'unit_head',
                          'staff', 'viewer']),
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  CHECK (NOT ('unit_head' = ANY (roles)) OR unit_id IS NOT NULL),
  CHECK (NOT ('staff' = ANY (roles)) OR staff_id IS NOT NULL)
);

-- Refresh tokens are opaque random strings; only their SHA-256 is stored.
-- A family is one login's chain of rotations: presenting a token that was
-- already rotated revokes the whole family (RFC 6819 §5.2.2.3).
CREATE TABLE refresh_tokens (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL,
  user_id         bigint NOT NULL REFERENCES users (id),
  family          uuid NOT NULL,
  token_hash      bytea NOT NULL UNIQUE,
  issued_at       timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  revoked_at      timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

-- Machine clients (OAuth2 client credentials).  Secrets are 256-bit random
-- values we generate, so a fast SHA-256 suffices (Argon2 is for secrets
-- people choose).
CREATE TABLE clients (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id       text NOT NULL UNIQUE CHECK (client_id ~ '^[a-z0-9._-]{3,64}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  secret_hash     bytea NOT NULL,
  scopes          text[] NOT NULL CHECK (cardinality(scopes) >= 1 AND scopes <@
                    ARRAY['reports:write', 'integration:read']),
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz,
  revoked_at      timestamptz,
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id)
);

-- Failed logins per key ("user:<name>", "ip:<address>"): growing delays.
CREATE TABLE login_throttle (
  key           text PRIMARY KEY,
  failures      integer NOT NULL,
  last_failure  timestamptz NOT NULL,
  blocked_until timestamptz
);

-- The audit trail.  One hash chain per organisation: each row stores
-- hash = SHA-256(prev_hash || canonical content), and audit_heads keeps the
-- last link, so editing, deleting or reordering rows breaks the chain where
-- it happened.  Rows are append-only: the trigger refuses UPDATE, DELETE and
-- TRUNCATE for every role (a superuser can still disable it, which is what
-- /v1/audit/verify is there to catch).
CREATE TABLE audit_log (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id bigint NOT NULL,
  seq             bigint NOT NULL,
  occurred_at     timestamptz NOT NULL,
  actor_type      text NOT NULL CHECK (actor_type IN ('user', 'client', 'system')),
  actor_id        text NOT NULL,
  action          text NOT NULL,
  entity_type     text NOT NULL,
  entity_id       text,
  before          jsonb,
  after           jsonb,
  request_id      text,
  prev_hash       bytea NOT NULL,
  hash            bytea NOT NULL,
  UNIQUE (organization_id, seq)
);
CREATE INDEX audit_by_entity ON audit_log (organization_id, entity_type, entity_id, seq);

CREATE TABLE audit_heads (
  organization_id bigint PRIMARY KEY,
  seq             bigint NOT NULL,
  hash            bytea NOT NULL
);

-- The canonical content of a row: a JSON array whose text form jsonb makes
-- deterministic; the instant as integer microseconds, independent of the
-- session's TimeZone.
CREATE FUNCTION audit_content(org bigint, seq bigint, occurred_at timestamptz,
                              actor_type text, actor_id text, action text,
                              entity_type text, entity_id text, before jsonb,
                              after jsonb, request_id text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN convert_to(jsonb_build_array(org, seq,
         (extract(epoch FROM occurred_at) * 1000000)::bigint, actor_type, actor_id,
         action, entity_type, entity_id, before, after, request_id)::text, 'UTF8');

CREATE FUNCTION audit_append(p_org bigint, p_actor_type text, p_actor_id text,
                             p_action text, p_entity_type text, p_entity_id text,
                             p_before jsonb, p_after jsonb, p_request_id text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head audit_heads%ROWTYPE;
  at   timestamptz := now();
  h    bytea;
BEGIN
  INSERT INTO audit_heads VALUES (p_org, 0, decode(repeat('00', 32), 'hex'))
    ON CONFLICT DO NOTHING;
  -- the row lock serialises the chain of one organisation, and only that one
  SELECT * INTO head FROM audit_heads WHERE organization_id = p_org FOR UPDATE;
  h := sha256(head.hash || audit_content(p_org, head.seq + 1, at, p_actor_type, p_actor_id,
              p_action, p_entity_type, p_entity_id, p_before, p_after, p_request_id));
  INSERT INTO audit_log (organization_id, seq, occurred_at, actor_type, actor_id, action,
                         entity_type, entity_id, before, after, request_id, prev_hash, hash)
  VALUES (p_org, head.seq + 1, at, p_actor_type, p_actor_id, p_action, p_entity_type,
          p_entity_id, p_before, p_after, p_request_id, head.hash, h);
  UPDATE audit_heads SET seq = head.seq + 1, hash = h WHERE organization_id = p_org;
  RETURN head.seq + 1;
END $$;

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- The JSON shape of each resource, in one place, so every query that
-- returns a row answers the same document.
CREATE FUNCTION unit_json(u units) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', u.id, 'parent_id', u.parent_id, 'code', u.code,
  'name', u.name, 'kind', u.kind, 'path', to_json(u.path), 'version', u.version,
  'created_at', u.created_at, 'updated_at', u.updated_at);

CREATE FUNCTION staff_json(s staff) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', s.id, 'unit_id', s.unit_id, 'full_name', s.full_name,
  'given_name', s.given_name, 'gender', s.gender, 'date_of_birth', s.date_of_birth,
  'position', s.position, 'employment_type', s.employment_type,
  'start_date', s.start_date, 'status', s.status, 'leave_from', s.leave_from,
  'leave_until', s.leave_until, 'left_on', s.left_on, 'version', s.version,
  'created_at', s.created_at, 'updated_at', s.updated_at);

CREATE FUNCTION user_json(u users) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', u.id, 'username', u.username,
  'display_name', u.display_name, 'staff_id', u.staff_id, 'unit_id', u.unit_id,
  'roles', to_json(u.roles), 'disabled', u.disabled, 'version', u.version,
  'created_at', u.created_at, 'updated_at', u.updated_at);

CREATE FUNCTION client_json(c clients) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', c.id, 'client_id', c.client_id, 'name', c.name,
  'scopes', to_json(c.scopes), 'created_at', c.created_at, 'rotated_at', c.rotated_at,
  'revoked_at', c.revoked_at, 'version', c.version);

-- Staff visible to a caller: the whole organisation, a unit's subtree, or
-- one's own record (scope: 'organization', 'unit', 'self').
CREATE FUNCTION staff_visible(s staff, p_org bigint, p_scope text, p_unit bigint,
                              p_staff bigint) RETURNS boolean LANGUAGE sql STABLE
RETURN s.organization_id = p_org AND CASE p_scope
  WHEN 'organization' THEN true
  WHEN 'unit' THEN EXISTS (SELECT 1 FROM units u WHERE u.organization_id = p_org
                           AND u.id = s.unit_id AND p_unit = ANY (u.path))
  WHEN 'self' THEN s.id = p_staff
  ELSE false END;

-- Rotates a refresh token in one statement (so one transaction): the
-- presented token is consumed and a new one joins its family; a token that
-- was already consumed revokes the whole family (it was stolen, or the
-- client is confused: either way the family is no longer trusted).
CREATE FUNCTION refresh_rotate(p_hash bytea, p_new_hash bytea, p_ttl_s integer)
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

-- Login throttling, atomic per key: throttle_try locks the account's and
-- the address's rows (in that order, so two attempts never deadlock),
-- answers how long the caller must still wait, and otherwise counts the
-- attempt as a failure before the password is even checked, so parallel
-- guesses cannot slip past the limit between a check and a record.  After
-- `free` failures each further one blocks the key for 2^(n - free) seconds,
-- at most 15 minutes; a day without failures starts the count again.
-- throttle_success clears the account and takes the attempt back from the
-- address.
CREATE FUNCTION throttle_try(p_user text, p_ip text, p_free_user integer,
                             p_free_ip integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  wait integer;
BEGIN
  INSERT INTO login_throttle (key, failures, last_failure)
  VALUES (p_user, 0, now()), (p_ip, 0, now()) ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM login_throttle WHERE key = p_user FOR UPDATE;
  PERFORM 1 FROM login_throttle WHERE key = p_ip FOR UPDATE;
  SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now())), 0)::integer
    INTO wait FROM login_throttle
   WHERE key IN (p_user, p_ip) AND blocked_until > now();
  IF wait > 0 THEN
    RETURN wait;
  END IF;
  UPDATE login_throttle t SET
    failures = CASE WHEN t.last_failure < now() - interval '1 day' THEN 1
                    ELSE t.failures + 1 END,
    last_failure = now(),
    blocked_until = CASE
      WHEN t.last_failure >= now() - interval '1 day'
       AND t.failures + 1 > CASE WHEN t.key = p_user THEN p_free_user ELSE p_free_ip END
      THEN now() + make_interval(secs => least(900, power(2, t.failures + 1 -
             CASE WHEN t.key = p_user THEN p_free_user ELSE p_free_ip END)))
    END
  WHERE t.key IN (p_user, p_ip);
  RETURN 0;
END $$;

CREATE FUNCTION throttle_success(p_user text, p_ip text) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM login_throttle WHERE key = p_user;
  UPDATE login_throttle SET failures = greatest(failures - 1, 0),
         blocked_until = CASE WHEN failures - 1 <= 0 THEN NULL ELSE blocked_until END
   WHERE key = p_ip;
$$;

-- Accounts seen from the administration routes: never the password hash.
CREATE FUNCTION users_page(p_org bigint, p_after bigint, p_limit integer) RETURNS json
LANGUAGE sql STABLE AS $$
  WITH page AS (SELECT u.id, user_json(u) AS j FROM users u
                WHERE u.organization_id = p_org AND u.id > p_after
                ORDER BY u.id LIMIT p_limit + 1),
       numbered AS (SELECT *, row_number() OVER (ORDER BY id) AS n FROM page)
  SELECT json_build_object(
    'items', coalesce((SELECT json_agg(j ORDER BY n) FROM numbered WHERE n <= p_limit), '[]'),
    'next_cursor', (SELECT id::text FROM numbered WHERE n = p_limit
                    AND EXISTS (SELECT 1 FROM numbered WHERE n > p_limit)))
$$;
