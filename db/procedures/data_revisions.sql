-- data_revisions.sql — the revision of an organisation's data per topic
-- (staff, progress), bumped in the same transaction as any change of the
-- tables behind it; the service's page cache serves a copy only while the
-- revision it was rendered at is current (migration 0004, store/page_cache.h).
--
-- One statement-level trigger per table and event, with transition tables,
-- so an import of a thousand rows bumps a revision once.  The list below
-- says which tables feed which topics; a new table that feeds one is added
-- there, and a table that no longer does needs its triggers dropped by a
-- migration.

-- TG_ARGV: the topics the table feeds.
CREATE OR REPLACE FUNCTION data_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO data_revisions
    SELECT DISTINCT o.organization_id, t.topic, 1 FROM old_rows o, unnest(TG_ARGV) AS t (topic)
    ON CONFLICT (organization_id, topic) DO UPDATE SET rev = data_revisions.rev + 1;
  ELSE
    INSERT INTO data_revisions
    SELECT DISTINCT n.organization_id, t.topic, 1 FROM new_rows n, unnest(TG_ARGV) AS t (topic)
    ON CONFLICT (organization_id, topic) DO UPDATE SET rev = data_revisions.rev + 1;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t record;
  ev text;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('staff', '''staff'', ''progress'''), ('units', '''staff'', ''progress'''),
      ('plans', '''progress'''), ('plan_targets', '''progress'''),
      ('registrations', '''progress'''), ('registration_entries', '''progress'''),
      ('sessions', '''progress'''), ('session_attendance', '''progress'''),
      ('staff_evaluations', '''progress'''), ('staff_titles', '''progress'''),
      ('staff_disciplines', '''progress'''), ('staff_leaves', '''progress'''),
      ('collective_ratings', '''progress'''), ('recognitions', '''progress'''),
      ('target_reports', '''progress'''), ('public_items', '''public''')) AS v (tbl, topics)
  LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS %s '
                     'FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump(%s)',
                     t.tbl || '_rev_' || ev, ev, t.tbl,
                     CASE ev WHEN 'delete' THEN 'OLD' ELSE 'NEW' END,
                     CASE ev WHEN 'delete' THEN 'old_rows' ELSE 'new_rows' END, t.topics);
    END LOOP;
  END LOOP;
END $$;
