-- 0032_record_files.sql — the documents attached to a case and the photos
-- and documents of an exemplar (issue 13 §2-3).
--
-- One table for both: a file belongs to a record of a kind (owner_kind,
-- owner_id), checked by the procedure that adds it (db/procedures/
-- record_files.sql) within the caller's organisation.  The bytes stay in
-- PostgreSQL as a submission's attachments do (migration 0006), with the
-- digest the service computed; nothing is ever overwritten.

CREATE TABLE record_files (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_kind    text NOT NULL CHECK (owner_kind IN ('case', 'exemplar')),
  owner_id      bigint NOT NULL,
  filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256        bytea NOT NULL CHECK (length(sha256) = 32),
  data          bytea NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id)
);
CREATE INDEX record_files_of ON record_files (owner_kind, owner_id, id);
