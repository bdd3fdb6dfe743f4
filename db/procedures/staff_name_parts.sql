-- staff_name_parts.sql — keeps staff_name_parts (migration 0008) equal to
-- the syllables of every staff name: one row per distinct folded syllable
-- of staff.search_name, with the name's sort key.
--
-- Statement-level triggers with transition tables, so an import of a
-- thousand staff (or a bench seed of a million) is three set-based
-- statements, not a trigger call per row.  An update touches the table
-- only for the rows whose name or organisation changed.

-- The distinct syllables of a folded name.  A SQL-standard body, inlined
-- where it is used.
CREATE OR REPLACE FUNCTION vn_name_parts(search_name text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
  SELECT DISTINCT w FROM regexp_split_to_table(search_name, '\s+') AS w WHERE w <> '';
END;

-- Each transition table is named only in the branch of the event that has
-- it; an UPDATE replaces the rows of the staff whose name or organisation
-- changed, and no other.
-- The syllables one space apart, as staff_name_parts.words holds them.
CREATE OR REPLACE FUNCTION vn_name_words(search_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN btrim(regexp_replace(search_name, '\s+', ' ', 'g'));

CREATE OR REPLACE FUNCTION staff_name_parts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM staff_name_parts p
    USING old_rows o, LATERAL vn_name_parts(o.search_name) AS w (part)
    WHERE p.organization_id = o.organization_id AND p.part = w.part
      AND p.given_name = o.given_name AND p.full_name = o.full_name AND p.staff_id = o.id;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO staff_name_parts (organization_id, part, given_name, full_name, staff_id, words)
    SELECT n.organization_id, w.part, n.given_name, n.full_name, n.id, vn_name_words(n.search_name)
    FROM new_rows n, LATERAL vn_name_parts(n.search_name) AS w (part);
  ELSE
    DELETE FROM staff_name_parts p
    USING old_rows o JOIN new_rows n ON n.id = o.id, LATERAL vn_name_parts(o.search_name) AS w (part)
    WHERE (n.organization_id, n.full_name) IS DISTINCT FROM (o.organization_id, o.full_name)
      AND p.organization_id = o.organization_id AND p.part = w.part
      AND p.given_name = o.given_name AND p.full_name = o.full_name AND p.staff_id = o.id;
    INSERT INTO staff_name_parts (organization_id, part, given_name, full_name, staff_id, words)
    SELECT n.organization_id, w.part, n.given_name, n.full_name, n.id, vn_name_words(n.search_name)
    FROM old_rows o JOIN new_rows n ON n.id = o.id, LATERAL vn_name_parts(n.search_name) AS w (part)
    WHERE (n.organization_id, n.full_name) IS DISTINCT FROM (o.organization_id, o.full_name);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER staff_name_parts_insert AFTER INSERT ON staff
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_name_parts_sync();
CREATE OR REPLACE TRIGGER staff_name_parts_update AFTER UPDATE ON staff
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_name_parts_sync();
CREATE OR REPLACE TRIGGER staff_name_parts_delete AFTER DELETE ON staff
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION staff_name_parts_sync();
