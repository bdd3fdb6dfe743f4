-- staff_facts.sql — each person's year-end facts packed in one row
-- (migration 0014), kept by triggers on every table packed.  A person's
-- facts include those of their records in the bodies their organisation
-- carried on (staff_lineage, migration 0044); a year rated by both is the
-- present body's.
--
-- The packed text: one line per fact, "\n"-terminated, fields separated by
-- tabs, "" for NULL; the first field the kind, then as in
-- service/store/rounds.c (round_people):
--   r year rating disciplined(t|f|"")     d form from until
--   l kind from until                     c kind opened closed
--   i id kind level province_wide(t|f) recognised_on used(t|f)
--   a code year adhoc(t|f)   (staff_titles, then awards)
--   g year title             (registrations submitted or accepted)
-- Codes, dates and numbers hold no tab or newline.  Lines are in a fixed
-- order (kind, then the fact's natural key), so a repack of unchanged
-- facts gives the same text.

-- A day as YYYY-MM-DD whatever the session's DateStyle; NULL as "".
CREATE OR REPLACE FUNCTION staff_facts_day(d date) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN coalesce(to_char(d, 'YYYY-MM-DD'), '');

CREATE OR REPLACE FUNCTION staff_facts_pack(p_org bigint, p_staff bigint) RETURNS text
LANGUAGE sql STABLE AS $$
  -- concat_ws skips NULLs: every field that may be NULL is coalesced
  SELECT coalesce((SELECT string_agg(concat_ws(E'\t', 'r', e.year, coalesce(e.rating, ''),
                     CASE e.disciplined WHEN true THEN 't' WHEN false THEN 'f' ELSE '' END)
                     || E'\n',
                     '' ORDER BY e.year)
                     FROM (SELECT DISTINCT ON (x.year) x.* FROM staff_evaluations x
                             JOIN staff_lineage(p_org, p_staff) l
                               ON l.organization_id = x.organization_id
                              AND l.staff_id = x.staff_id
                            ORDER BY x.year, l.depth) e), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'd', d.form, staff_facts_day(d.in_force_from),
                     staff_facts_day(d.in_force_until)) || E'\n', ''
                     ORDER BY d.in_force_from, d.id)
                     FROM staff_disciplines d
                    WHERE (d.organization_id, d.staff_id) IN
                          (SELECT l.organization_id, l.staff_id
                             FROM staff_lineage(p_org, p_staff) l)), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'l', l.kind, staff_facts_day(l.starts_on),
                     staff_facts_day(l.ends_on))
                     || E'\n', '' ORDER BY l.starts_on, l.id)
                     FROM staff_leaves l
                    WHERE (l.organization_id, l.staff_id) IN
                          (SELECT k.organization_id, k.staff_id
                             FROM staff_lineage(p_org, p_staff) k)), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'c', c.kind, staff_facts_day(c.opened_on),
                     staff_facts_day(c.closed_on)) || E'\n', '' ORDER BY c.opened_on, c.id)
                     FROM staff_cases c
                    WHERE (c.organization_id, c.staff_id) IN
                          (SELECT l.organization_id, l.staff_id
                             FROM staff_lineage(p_org, p_staff) l)), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'i', i.id, i.kind, i.level,
                     CASE WHEN i.province_wide THEN 't' ELSE 'f' END, staff_facts_day(i.recognised_on),
                     CASE WHEN EXISTS (SELECT 1 FROM initiative_uses u
                                        WHERE u.initiative_id = i.id) THEN 't' ELSE 'f' END)
                     || E'\n', '' ORDER BY i.id)
                     FROM initiative_credits ic JOIN initiatives i ON i.id = ic.initiative_id
                    WHERE (ic.organization_id, ic.staff_id) IN
                          (SELECT l.organization_id, l.staff_id
                             FROM staff_lineage(p_org, p_staff) l)), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'a', t.title_code, t.year,
                     CASE WHEN t.adhoc THEN 't' ELSE 'f' END) || E'\n', ''
                     ORDER BY t.year, t.title_code, t.id)
                     FROM staff_titles t
                    WHERE (t.organization_id, t.staff_id) IN
                      (SELECT l.organization_id, l.staff_id
                         FROM staff_lineage(p_org, p_staff) l)
                      AND t.revoked_on IS NULL), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'a', w.award_code, w.year,
                     CASE WHEN w.adhoc THEN 't' ELSE 'f' END) || E'\n', ''
                     ORDER BY w.year, w.award_code, w.id)
                     FROM awards w
                    WHERE (w.organization_id, w.staff_id) IN
                      (SELECT l.organization_id, l.staff_id
                         FROM staff_lineage(p_org, p_staff) l)
                      AND w.revoked_on IS NULL), '')
      || coalesce((SELECT string_agg(concat_ws(E'\t', 'g', p.year, re.title_code) || E'\n', ''
                     ORDER BY p.year, re.title_code, g.id)
                     FROM registration_entries re
                     JOIN registrations g ON g.id = re.registration_id
                     JOIN plans p ON p.id = g.plan_id
                    WHERE (re.organization_id, re.staff_id) IN
                      (SELECT l.organization_id, l.staff_id
                         FROM staff_lineage(p_org, p_staff) l)
                      AND g.status IN ('submitted', 'accepted')), '')
$$;

-- Repacks the people (org, staff) of the pairs given; a person with no
-- fact left keeps no row.
CREATE OR REPLACE FUNCTION staff_facts_refresh(p_orgs bigint[], p_staff bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH given AS (SELECT DISTINCT o AS org, s AS staff FROM unnest(p_orgs, p_staff) x (o, s)
                  WHERE s IS NOT NULL),
       -- and the records that carry these on after a merger
       who AS (SELECT org, staff FROM given
               UNION SELECT r.organization_id, r.staff_id
                       FROM staff_successor_records(ARRAY(SELECT staff FROM given)) r),
       packed AS (SELECT w.org, w.staff, staff_facts_pack(w.org, w.staff) AS facts FROM who w
                   WHERE EXISTS (SELECT 1 FROM staff x WHERE x.id = w.staff
                                    AND x.organization_id = w.org)),
       gone AS (DELETE FROM staff_facts f USING packed p
                 WHERE f.staff_id = p.staff AND p.facts = '')
  INSERT INTO staff_facts (organization_id, staff_id, facts)
  SELECT p.org, p.staff, p.facts FROM packed p WHERE p.facts <> ''
  ON CONFLICT (staff_id) DO UPDATE SET facts = EXCLUDED.facts
   WHERE staff_facts.facts IS DISTINCT FROM EXCLUDED.facts;
END $$;

-- The triggers (statement_triggers, statement_triggers.sql): the changed
-- rows as "changed" and, for an update, the old rows as "before" (a fact
-- moved to another person repacks both).  TG_ARGV[0]: how a row names its people — 'staff' (a
-- staff_id column), 'initiative' (every person credited with the
-- initiative of the row's id), 'use' (the same, by initiative_id),
-- 'registration' (every person entered in the registration of the row's
-- id: its status decides whether the entries count).
CREATE OR REPLACE FUNCTION staff_facts_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  people bigint[];
BEGIN
  IF TG_ARGV[0] = 'staff' THEN
    EXECUTE 'SELECT array_agg(organization_id), array_agg(staff_id) FROM ('
            || 'SELECT organization_id, staff_id FROM changed'
            || CASE WHEN TG_OP = 'UPDATE'
                    THEN ' UNION SELECT organization_id, staff_id FROM before' ELSE '' END
            || ') x' INTO orgs, people;
  ELSIF TG_ARGV[0] = 'registration' THEN
    SELECT array_agg(e.organization_id), array_agg(e.staff_id) INTO orgs, people
      FROM registration_entries e WHERE e.registration_id IN (SELECT id FROM changed);
  ELSE
    EXECUTE 'SELECT array_agg(c.organization_id), array_agg(c.staff_id)'
            || ' FROM initiative_credits c WHERE c.initiative_id IN (SELECT '
            || CASE TG_ARGV[0] WHEN 'initiative' THEN 'id' ELSE 'initiative_id' END
            || ' FROM changed)' INTO orgs, people;
  END IF;
  IF people IS NOT NULL THEN
    PERFORM staff_facts_refresh(orgs, people);
  END IF;
  RETURN NULL;
END $$;

SELECT statement_triggers(v.tbl, 'facts', 'insert update delete', 'staff_facts_on_change',
                          v.how)
  FROM (VALUES
      ('staff_evaluations', 'staff'), ('staff_disciplines', 'staff'), ('staff_leaves', 'staff'),
      ('staff_cases', 'staff'), ('initiative_credits', 'staff'), ('staff_titles', 'staff'),
      ('awards', 'staff'), ('initiatives', 'initiative'), ('initiative_uses', 'use'),
      ('registration_entries', 'staff'), ('registrations', 'registration'))
      AS v (tbl, how);

-- Once, after migration 0014: pack the facts recorded before it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM staff_facts_fill) THEN
    PERFORM staff_facts_refresh(array_agg(x.organization_id), array_agg(x.staff_id))
       FROM (SELECT organization_id, staff_id FROM staff_evaluations
             UNION SELECT organization_id, staff_id FROM staff_disciplines
             UNION SELECT organization_id, staff_id FROM staff_leaves
             UNION SELECT organization_id, staff_id FROM staff_cases
             UNION SELECT organization_id, staff_id FROM initiative_credits
             UNION SELECT organization_id, staff_id FROM staff_titles
             UNION SELECT organization_id, staff_id FROM awards WHERE staff_id IS NOT NULL
             UNION SELECT organization_id, staff_id FROM registration_entries) x;
    DELETE FROM staff_facts_fill;
  END IF;
END $$;
