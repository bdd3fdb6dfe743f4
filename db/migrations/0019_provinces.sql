-- 0019_provinces.sql — a province and the agencies it groups, by date.
--
-- The provincial emulation committee (Hội đồng Thi đua – Khen thưởng tỉnh,
-- its secretariat the Department of Home Affairs) reads what its agencies
-- review: their checked lists before they propose to the province.  It is
-- an organisation of its own kind, with its own accounts and machine
-- clients, so that a token keeps its shape (one organisation) and nothing
-- of an agency's is ever written under a province.  Which agencies belong
-- to it is dated: the merger of Gia Lai and Bình Định on 01/07/2025
-- (domain.md C.0) moved Bình Định's agencies under Gia Lai on
-- that day, and a read "as on" a day sees the province of that day.

ALTER TABLE organizations
  ADD COLUMN kind text NOT NULL DEFAULT 'agency' CHECK (kind IN ('agency', 'province'));

CREATE TABLE province_members (
  province_id  bigint NOT NULL REFERENCES organizations (id),
  member_id    bigint NOT NULL REFERENCES organizations (id),
  valid_from   date NOT NULL,
  valid_until  date,                     -- the last day it belonged; NULL: still
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, valid_from),
  CHECK (province_id <> member_id),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX province_members_province ON province_members (province_id, member_id);

-- Who may be a member, and of one province a day, is checked by the
-- triggers of db/procedures/province_members.sql.

-- A machine client of a province may read across its members
-- (province:read); an agency's may not (a trigger of
-- db/procedures/province_members.sql, and the handlers).
ALTER TABLE clients DROP CONSTRAINT clients_scopes_check;
ALTER TABLE clients ADD CONSTRAINT clients_scopes_check
  CHECK (cardinality(scopes) >= 1 AND scopes <@
         ARRAY['reports:write', 'integration:read', 'province:read']);
