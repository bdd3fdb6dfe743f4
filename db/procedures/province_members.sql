-- province_members.sql — who may belong to a province, and who may read
-- across one (migration 0019).

-- A province groups agencies, and an agency belongs to one province on a
-- given day.  A trigger, not an exclusion constraint: btree_gist would
-- need CREATE on the database, which a deployment's role may not have.
CREATE OR REPLACE FUNCTION province_members_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- two memberships of one agency written at once are checked one after
  -- the other
  PERFORM 1 FROM organizations WHERE id = NEW.member_id FOR UPDATE;
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
CREATE OR REPLACE TRIGGER province_members_check BEFORE INSERT OR UPDATE ON province_members
  FOR EACH ROW EXECUTE FUNCTION province_members_check();

-- Only a province's machine client may hold province:read.
CREATE OR REPLACE FUNCTION clients_province_scope() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF 'province:read' = ANY (NEW.scopes)
     AND (SELECT kind FROM organizations WHERE id = NEW.organization_id) <> 'province' THEN
    RAISE EXCEPTION 'only a province''s client may read across a province'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'clients_province_scope';
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER clients_province_scope BEFORE INSERT OR UPDATE OF scopes ON clients
  FOR EACH ROW EXECUTE FUNCTION clients_province_scope();
