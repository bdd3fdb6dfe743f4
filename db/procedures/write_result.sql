-- write_result.sql — the constructors of write_result (0007_write_result.sql),
-- the one answer of every write procedure; service/store/write.h reads it.
--
--   RETURN write_ok(body, version, id);                -- done: the document
--   RETURN write_not_found();                          -- nothing visible there
--   RETURN write_stale(current_version);               -- If-Match is stale
--   RETURN write_refused('plan-not-draft', args);      -- a rule refuses it
--   RETURN write_invalid('/number', 'plan-number-required');  -- a member is wrong
--   RETURN write_replayed(status, location, body, version);   -- Idempotency-Key
--
-- Codes are messages of service/answers/answers.def; args are their named
-- arguments, never sentences: the service words them in the caller's
-- language.

CREATE OR REPLACE FUNCTION write_ok(p_body text, p_version integer DEFAULT NULL,
                                    p_id bigint DEFAULT NULL)
RETURNS write_result LANGUAGE sql IMMUTABLE
RETURN ROW('ok', NULL, NULL, NULL, p_body, p_version, p_id, NULL, NULL)::write_result;

CREATE OR REPLACE FUNCTION write_not_found() RETURNS write_result LANGUAGE sql IMMUTABLE
RETURN ROW('not_found', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::write_result;

CREATE OR REPLACE FUNCTION write_stale(p_current integer) RETURNS write_result
LANGUAGE sql IMMUTABLE
RETURN ROW('stale', NULL, NULL, NULL, NULL, p_current, NULL, NULL, NULL)::write_result;

-- p_id and p_version: the object the refusal names (an existing submission).
CREATE OR REPLACE FUNCTION write_refused(p_code text, p_args jsonb DEFAULT NULL,
                                         p_id bigint DEFAULT NULL,
                                         p_version integer DEFAULT NULL)
RETURNS write_result LANGUAGE sql IMMUTABLE
RETURN ROW('refused', p_code, NULL, p_args, NULL, p_version, p_id, NULL, NULL)::write_result;

CREATE OR REPLACE FUNCTION write_invalid(p_pointer text, p_code text, p_args jsonb DEFAULT NULL)
RETURNS write_result LANGUAGE sql IMMUTABLE
RETURN ROW('invalid', p_code, p_pointer, p_args, NULL, NULL, NULL, NULL, NULL)::write_result;

CREATE OR REPLACE FUNCTION write_replayed(p_status integer, p_location text, p_body text,
                                          p_version integer)
RETURNS write_result LANGUAGE sql IMMUTABLE
RETURN ROW('replayed', NULL, NULL, NULL, p_body, p_version, NULL, p_status, p_location)
       ::write_result;
