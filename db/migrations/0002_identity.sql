-- 0002_identity.sql — organisations, units, staff, accounts, machine clients,
-- login throttling and the tamper-evident audit trail.
--
-- Every row that belongs to an organisation carries organization_id, and
-- foreign keys inside an organisation include it, so one organisation's
-- rows can never point at another's and the data can later be sharded by
-- organisation.  The functions and triggers that work on these tables are
-- in db/procedures/ (identity_json, scope, refresh_rotate, login_throttle,
-- users_page, units_path, audit_chain, audit_append_only).

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
-- path is set on insert by a trigger: db/procedures/units_path.sql.

-- Vietnamese names are listed by given name (tên, the last word), then the
-- full name; vn_given_name is what the sort index uses.  It stays in the
-- migrations (not db/procedures/): staff.given_name is a generated column
-- over it, so a new body would leave the stored names and the index out of
-- step without a migration that recomputes them.
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

-- The chain (audit_append and the content it hashes) and the append-only
-- triggers: db/procedures/audit_chain.sql, db/procedures/audit_append_only.sql.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
