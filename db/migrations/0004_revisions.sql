-- 0004_revisions.sql — revision numbers per organisation and topic, bumped
-- in the same transaction as any change of the data behind a topic:
--
--   staff     the staff lists (staff, units)
--   progress  the progress of plans (staff, units, plans and targets,
--             registrations, sessions and attendance, the year's results)
--
-- The service caches what it renders from that data and serves a copy only
-- while the revision it was rendered at is still the current one
-- (store/page_cache.h).  Statement-level triggers with transition tables:
-- an import of a thousand rows bumps a revision once, not a thousand times.

CREATE TABLE data_revisions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  topic           text NOT NULL CHECK (topic IN ('staff', 'progress')),
  rev             bigint NOT NULL,
  PRIMARY KEY (organization_id, topic)
);

-- TG_ARGV: the topics the table feeds.
CREATE FUNCTION data_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
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
      ('collective_ratings', '''progress'''), ('recognitions', '''progress'''),
      ('target_reports', '''progress''')) AS v (tbl, topics)
  LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS %s '
                     'FOR EACH STATEMENT EXECUTE FUNCTION data_revision_bump(%s)',
                     t.tbl || '_rev_' || ev, ev, t.tbl,
                     CASE ev WHEN 'delete' THEN 'OLD' ELSE 'NEW' END,
                     CASE ev WHEN 'delete' THEN 'old_rows' ELSE 'new_rows' END, t.topics);
    END LOOP;
  END LOOP;
END $$;

INSERT INTO data_revisions SELECT o.id, t.topic, 1
  FROM organizations o, unnest(ARRAY['staff', 'progress']) AS t (topic)
ON CONFLICT DO NOTHING;
