-- 0007_write_result.sql — the one result every write answers.
--
-- The workflow procedures answered (outcome, detail, body, current), where
-- detail was an English sentence, a Location, an id or "pointer<TAB>message"
-- and current a row version or an HTTP status.  They now return
-- write_result, whose columns each mean one thing (service/store/write.h
-- reads it; db/procedures/write_result.sql makes it), and name their
-- refusals by a message code that the service words in the caller's
-- language (service/answers/answers.def).
--
-- CREATE OR REPLACE cannot change what a function returns, so the old ones
-- are dropped here; db/procedures/ creates the new ones right after the
-- migrations.
CREATE TYPE write_result AS (
  outcome  text,     -- ok | replayed | not_found | stale | refused | invalid
  code     text,     -- refused, invalid: a message code of the registry
  pointer  text,     -- invalid: the JSON Pointer of the member at fault
  args     jsonb,    -- the message's named arguments
  body     text,     -- ok, replayed: the document
  version  integer,  -- ok: the document's version (ETag); stale: the current one
  id       bigint,   -- ok: the object's id (Location); refused: the object it names
  status   integer,  -- replayed: the stored HTTP status
  location text      -- replayed: the stored Location
);

DROP FUNCTION IF EXISTS plan_create(bigint, text, text, text, jsonb);
DROP FUNCTION IF EXISTS plan_update(bigint, text, text, text, bigint, integer, jsonb);
DROP FUNCTION IF EXISTS plan_step(bigint, text, text, text, bigint, integer, text, jsonb, date);
DROP FUNCTION IF EXISTS plan_amend(bigint, text, text, text, bigint);
DROP FUNCTION IF EXISTS registration_closed_detail(plans);
DROP FUNCTION IF EXISTS registration_create(bigint, text, text, text, bigint, bigint, jsonb, date);
DROP FUNCTION IF EXISTS registration_begin(bigint, bigint, integer, bigint, bigint, text[], text,
                                           date, boolean);
DROP FUNCTION IF EXISTS registration_update(bigint, text, text, text, bigint, integer, bigint,
                                            jsonb, date);
DROP FUNCTION IF EXISTS registration_entry(bigint, text, text, text, bigint, bigint, bigint,
                                           bigint, jsonb, date);
DROP FUNCTION IF EXISTS registration_step(bigint, text, text, text, bigint, integer, bigint, text,
                                          text, date);
DROP FUNCTION IF EXISTS registration_reopen(bigint, text, text, text, bigint, jsonb, date);
DROP FUNCTION IF EXISTS report_template_create(bigint, text, text, text, jsonb);
DROP FUNCTION IF EXISTS report_period_create(bigint, text, text, text, jsonb);
DROP FUNCTION IF EXISTS report_period_close(bigint, text, text, text, bigint, integer);
DROP FUNCTION IF EXISTS submission_create(bigint, text, text, text, text, bytea, bigint, bigint,
                                          jsonb, date);
DROP FUNCTION IF EXISTS submission_change(bigint, text, text, text, bigint, integer, bigint, text,
                                          jsonb, text, date);
