-- 0004_revisions.sql — revision numbers per organisation and topic, bumped
-- in the same transaction as any change of the data behind a topic:
--
--   staff     the staff lists (staff, units)
--   progress  the progress of plans (staff, units, plans and targets,
--             registrations, sessions and attendance, the year's results)
--
-- The service caches what it renders from that data and serves a copy only
-- while the revision it was rendered at is still the current one
-- (store/page_cache.h).  Statement-level triggers with transition tables
-- (db/procedures/data_revisions.sql, which lists the tables and their
-- topics): an import of a thousand rows bumps a revision once, not a
-- thousand times.

CREATE TABLE data_revisions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  topic           text NOT NULL CHECK (topic IN ('staff', 'progress')),
  rev             bigint NOT NULL,
  PRIMARY KEY (organization_id, topic)
);

INSERT INTO data_revisions SELECT o.id, t.topic, 1
  FROM organizations o, unnest(ARRAY['staff', 'progress']) AS t (topic)
ON CONFLICT DO NOTHING;
