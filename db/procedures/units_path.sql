-- units_path.sql — units.path (the ids from the root down to the unit) is
-- computed on insert from the parent's path, so "inside the subtree of U"
-- is `U = ANY(path)` without a recursive query.  A parent outside the
-- organisation is refused here, before the foreign key would be checked, so
-- the error names that key: the service answers it by name
-- (service/answers/answers.def).

CREATE OR REPLACE FUNCTION units_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := ARRAY[NEW.id];
  ELSE
    SELECT p.path || NEW.id INTO NEW.path
      FROM units p WHERE p.organization_id = NEW.organization_id AND p.id = NEW.parent_id;
    IF NEW.path IS NULL THEN
      RAISE EXCEPTION 'parent unit % not found', NEW.parent_id
        USING ERRCODE = '23503', CONSTRAINT = 'units_organization_id_parent_id_fkey';
    END IF;
    -- nothing new under a closed unit (migration 0043)
    IF EXISTS (SELECT 1 FROM units p WHERE p.id = NEW.parent_id AND p.closed_on IS NOT NULL) THEN
      RAISE EXCEPTION 'parent unit % is closed', NEW.parent_id
        USING ERRCODE = '23514', CONSTRAINT = 'units_parent_open';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER units_path BEFORE INSERT ON units
  FOR EACH ROW EXECUTE FUNCTION units_set_path();
