-- 0001_init.sql — extensions and text helpers every later table relies on.
--
-- Migrations hold the schema; the procedures live in db/procedures/ and are
-- re-created at every start (db/README.md).  vn_fold stays here because
-- stored data depends on it: staff.search_name is a generated column over
-- it, so a new body would leave the stored values and their index silently
-- out of step.  Change it only with a migration that recomputes them.
--
-- Vietnamese search: unaccent maps every toned vowel and Đ/đ to plain ASCII
-- (ICU collations do not fold Đ), and pg_trgm indexes the folded text so that
-- "nguyen van a" finds "Nguyễn Văn A".  Both extensions are "trusted" in
-- PostgreSQL 13+, so a database owner can create them without superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), so it cannot back
-- an index; this wrapper pins the dictionary and is IMMUTABLE by contract.
-- Input is normalised to NFC first, so decomposed input folds the same way.
CREATE OR REPLACE FUNCTION vn_fold(txt text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN lower(public.unaccent('public.unaccent'::regdictionary, normalize(txt, NFC)));

-- Checks, at migration time, that the ICU collation for Vietnamese exists:
-- PostgreSQL built without ICU would sort names wrongly, silently.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi-VN-x-icu') THEN
    RAISE EXCEPTION 'collation "vi-VN-x-icu" is missing: PostgreSQL must be built with ICU';
  END IF;
END $$;
