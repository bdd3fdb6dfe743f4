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

-- A province groups agencies, and an agency belongs to one province on a
-- given day.  A trigger, not an exclusion constraint: btree_gist would
-- need CREATE on the database, which a deployment's role may not have.
CREATE FUNCTION province_members_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT kind FROM organizations WHERE id = NEW.province_id) <> 'province' THEN
    RAISE EXCEPTION 'organisation % is not a province', NEW.province_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'province_members_province_kind';
  END IF;
  IF (SELECT kind FROM organizations WHERE id = NEW.member_id) <> 'agency' THEN
    RAISE EXCEPTION 'organisation % is not an agency', NEW.member_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'province_members_member_kind';
  END IF;
  IF EXISTS (SELECT 1 FROM province_members m
              WHERE m.member_id = NEW.member_id AND m.valid_from <> NEW.valid_from
                AND daterange(m.valid_from, m.valid_until, '[]')
                    && daterange(NEW.valid_from, NEW.valid_until, '[]')) THEN
    RAISE EXCEPTION 'organisation % already belongs to a province on those days', NEW.member_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'province_members_overlap';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER province_members_check BEFORE INSERT OR UPDATE ON province_members
  FOR EACH ROW EXECUTE FUNCTION province_members_check();

-- A machine client of a province may read across its members
-- (province:read); an agency's may not, which the service checks as well.
ALTER TABLE clients DROP CONSTRAINT clients_scopes_check;
ALTER TABLE clients ADD CONSTRAINT clients_scopes_check
  CHECK (cardinality(scopes) >= 1 AND scopes <@
         ARRAY['reports:write', 'integration:read', 'province:read']);

CREATE FUNCTION clients_province_scope() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF 'province:read' = ANY (NEW.scopes)
     AND (SELECT kind FROM organizations WHERE id = NEW.organization_id) <> 'province' THEN
    RAISE EXCEPTION 'only a province''s client may read across a province'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'clients_province_scope';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER clients_province_scope BEFORE INSERT OR UPDATE OF scopes ON clients
  FOR EACH ROW EXECUTE FUNCTION clients_province_scope();
