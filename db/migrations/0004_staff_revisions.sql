-- 0004_staff_revisions.sql — a revision number per organisation that every
-- change of its staff or units bumps, in the same transaction.  The service
-- caches rendered staff pages and serves one only while the revision it was
-- rendered at is still the current one (store/page_cache.h).
--
-- Statement-level triggers with transition tables: an import of a thousand
-- rows bumps the revision once, not a thousand times.

CREATE TABLE staff_revisions (
  organization_id bigint PRIMARY KEY REFERENCES organizations (id),
  rev             bigint NOT NULL
);

CREATE FUNCTION staff_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO staff_revisions
    SELECT DISTINCT organization_id, 1 FROM old_rows
    ON CONFLICT (organization_id) DO UPDATE SET rev = staff_revisions.rev + 1;
  ELSE
    INSERT INTO staff_revisions
    SELECT DISTINCT organization_id, 1 FROM new_rows
    ON CONFLICT (organization_id) DO UPDATE SET rev = staff_revisions.rev + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER staff_rev_insert AFTER INSERT ON staff REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();
CREATE TRIGGER staff_rev_update AFTER UPDATE ON staff REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();
CREATE TRIGGER staff_rev_delete AFTER DELETE ON staff REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();
-- a unit's place in the tree decides what a unit head sees
CREATE TRIGGER units_rev_insert AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();
CREATE TRIGGER units_rev_update AFTER UPDATE ON units REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();
CREATE TRIGGER units_rev_delete AFTER DELETE ON units REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_revision_bump();

INSERT INTO staff_revisions SELECT id, 1 FROM organizations ON CONFLICT DO NOTHING;
