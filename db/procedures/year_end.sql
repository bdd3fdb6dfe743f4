-- year_end.sql — the law as data and the facts a verdict is computed
-- from (migration 0011), in the shapes the service reads: the eligibility
-- engine (service/domain/eligibility.h) takes a rule set as a JSON array
-- and a candidate's facts as a JSON object.

-- The rule set that governs a dossier dated p_on for an organisation: its
-- own layer when one covers the date, else the national set (rule_sets
-- says why the dossier's date chooses).  NULL when none covers it.
-- PL/pgSQL, like the two below: an SQL function that is not inlined is
-- planned again at every call, and the checked list of a round calls all
-- three on every read (measured: a sixth of its database time).
CREATE OR REPLACE FUNCTION rule_set_for(p_org bigint, p_on date) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT r.code FROM rule_sets r
           WHERE (r.organization_id IS NULL OR r.organization_id = p_org)
             AND r.valid_from <= p_on AND (r.valid_until IS NULL OR r.valid_until >= p_on)
           ORDER BY r.organization_id IS NULL, r.valid_from DESC, r.code
           LIMIT 1);
END $$;

-- A rule set and the sets it copies, nearest first (depth 0 is itself):
-- what its rules, coefficients and fund rules are looked up in.
CREATE OR REPLACE FUNCTION rule_set_chain(p_code text) RETURNS TABLE (code text, depth integer)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain (code, depth) AS (
    SELECT p_code, 0
    UNION ALL
    SELECT s.copies, c.depth + 1 FROM chain c JOIN rule_sets s ON s.code = c.code
     WHERE s.copies IS NOT NULL AND c.depth < 10)
  SELECT code, depth FROM chain
$$;

-- The rules in force in a set: its own, and those of the sets it copies
-- (nearest first) that it does not replace or drop, by (award, kind).
-- Each rule says where it is defined and its legal source.
CREATE OR REPLACE FUNCTION rule_set_rules(p_code text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (WITH ranked AS (
    SELECT DISTINCT ON (r.award_code, r.kind) r.*
      FROM rule_set_chain(p_code) c JOIN rules r ON r.rule_set = c.code
     ORDER BY r.award_code, r.kind, c.depth)
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'title', r.award_code, 'kind', r.kind, 'params', r.params,
           'position', r.position, 'defined_in', r.rule_set,
           'source', jsonb_build_object('document', r.source_document,
                                        'article', r.source_article,
                                        'clause', r.source_clause, 'mark', r.mark),
           'configurable', r.mark = 'unconfirmed',
           'note_vi', r.note_vi, 'note_en', r.note_en)
           ORDER BY r.award_code, r.position, r.id), '[]'::jsonb)
    FROM ranked r WHERE NOT r.dropped);
END $$;

-- A rule set as GET /v1/rule-sets shows it (rules when p_rules).
CREATE OR REPLACE FUNCTION rule_set_json(s rule_sets, p_rules boolean) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN jsonb_build_object(
    'code', s.code, 'scope', CASE WHEN s.organization_id IS NULL THEN 'national'
                                  ELSE 'organization' END,
    'name_vi', s.name_vi, 'name_en', s.name_en,
    'valid_from', s.valid_from, 'valid_until', s.valid_until, 'copies', s.copies,
    'legal_basis', s.legal_basis, 'status', s.status,
    'note_vi', s.note_vi, 'note_en', s.note_en)
    || CASE WHEN p_rules THEN jsonb_build_object('rules', rule_set_rules(s.code))
            ELSE '{}'::jsonb END;
END $$;

-- One entry of the awards ledger; ledger: 'title' (staff_titles, an
-- individual title) or 'award' (awards), so that the id names one row.
CREATE OR REPLACE FUNCTION award_ledger_json(p_ledger text, p_id bigint, p_code text,
                                             p_year integer, p_adhoc boolean, p_number text,
                                             p_date date, p_by text, p_achievement text)
RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN jsonb_build_object('id', p_ledger || '-' || p_id, 'title', p_code, 'year', p_year,
                          'adhoc', p_adhoc, 'decision_number', p_number,
                          'decision_date', p_date, 'decided_by', p_by,
                          'achievement', p_achievement);

-- The facts of one person that the engine reads for the year p_year:
-- ratings, discipline, leave and cases of the years from p_year - 10
-- (runs of consecutive years reach back), initiatives credited to them
-- with whether another award already cites them, and their ledger of
-- individual titles and forms.  Facts recorded after p_at are not read,
-- so a verdict "as it stood" stays the same tomorrow.
CREATE OR REPLACE FUNCTION person_facts(p_org bigint, p_staff bigint, p_year integer,
                                        p_at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'staff_id', s.id, 'full_name', s.full_name, 'gender', s.gender, 'unit_id', s.unit_id,
    'started_on', s.start_date,
    -- a year rated by the body the person works in now, else by the body
    -- it carried on (staff_lineage: a merger keeps the runs of years)
    'years', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'year', e.year, 'rating', e.rating, 'disciplined', e.disciplined,
                'rated_on', e.rated_on, 'source_document', e.source_document,
                'version', e.version)
                ORDER BY e.year), '[]')
               FROM (SELECT DISTINCT ON (x.year) x.* FROM staff_evaluations x
                       JOIN staff_lineage(p_org, s.id) l
                         ON l.organization_id = x.organization_id AND l.staff_id = x.staff_id
                      WHERE x.year BETWEEN p_year - 10 AND p_year AND x.created_at <= p_at
                      ORDER BY x.year, l.depth) e),
    'disciplines', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'id', d.id, 'form', d.form, 'in_force_from', d.in_force_from,
                'in_force_until', d.in_force_until, 'decision_number', d.decision_number,
                'decided_on', d.decided_on, 'reason', d.reason)
                ORDER BY d.in_force_from, d.id), '[]') FROM staff_disciplines d
               WHERE (d.organization_id, d.staff_id) IN
                     (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                 AND d.created_at <= p_at),
    'leaves', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'id', l.id, 'kind', l.kind, 'from', l.starts_on, 'until', l.ends_on,
                'note', l.note)
                ORDER BY l.starts_on, l.id), '[]') FROM staff_leaves l
               WHERE (l.organization_id, l.staff_id) IN
                     (SELECT k.organization_id, k.staff_id FROM staff_lineage(p_org, s.id) k)
                 AND l.ends_on >= make_date(p_year - 10, 1, 1)
                 AND l.starts_on <= make_date(p_year, 12, 31) AND l.created_at <= p_at)
             -- the leave on the staff record itself (status on_leave), with its
             -- kind when stated: plan progress reads the same span
             || CASE WHEN s.leave_from IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(
                  jsonb_build_object('id', NULL, 'kind', coalesce(s.leave_kind, 'other'),
                                     'from', s.leave_from,
                                     'until', coalesce(s.leave_until,
                                                      greatest(s.leave_from, make_date(p_year, 12, 31))),
                                     'note', 'staff record')) END,
    'cases', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'id', c.id, 'kind', c.kind, 'opened_on', c.opened_on, 'closed_on', c.closed_on,
                'reference', c.reference, 'note', c.note, 'version', c.version)
                ORDER BY c.opened_on, c.id), '[]') FROM staff_cases c
               WHERE (c.organization_id, c.staff_id) IN
                     (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                 AND c.created_at <= p_at),
    'initiatives', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'id', i.id, 'kind', i.kind, 'level', i.level, 'title', i.title,
                'recognised_by', i.recognised_by, 'decision_number', i.decision_number,
                'province_wide', i.province_wide, 'recognised_on', i.recognised_on,
                'used', EXISTS (SELECT 1 FROM initiative_uses u
                                 WHERE u.initiative_id = i.id AND u.used_at <= p_at))
                ORDER BY i.recognised_on, i.id), '[]')
               FROM initiative_credits ic JOIN initiatives i ON i.id = ic.initiative_id
               WHERE (ic.organization_id, ic.staff_id) IN
                     (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                 AND i.created_at <= p_at),
    'awards', (SELECT coalesce(jsonb_agg(x.j ORDER BY x.year), '[]') FROM (
                SELECT t.year, award_ledger_json('title', t.id, t.title_code, t.year, t.adhoc,
                                                 t.decision_number, t.decision_date,
                                                 t.decided_by, t.achievement) AS j
                  FROM staff_titles t
                 WHERE (t.organization_id, t.staff_id) IN
                       (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                   AND t.created_at <= p_at
                   -- a revoked award was cancelled: it never counted
                   AND (t.revoked_at IS NULL OR t.revoked_at > p_at)
                UNION ALL
                SELECT a.year, award_ledger_json('award', a.id, a.award_code, a.year, a.adhoc,
                                                 a.decision_number, a.decision_date,
                                                 a.decided_by, a.achievement)
                  FROM awards a
                 WHERE (a.organization_id, a.staff_id) IN
                       (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                   AND a.created_at <= p_at
                   AND (a.revoked_at IS NULL OR a.revoked_at > p_at)) x),
    -- registrations for emulation sent to the Office and not returned
    -- (Law 2003 Art. 10.1.b: under the old regime, no registration, no title)
    'registrations', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'year', p.year, 'title', re.title_code, 'registration_id', g.id,
                'status', g.status) ORDER BY p.year, re.title_code), '[]')
               FROM registration_entries re
               JOIN registrations g ON g.id = re.registration_id
               JOIN plans p ON p.id = g.plan_id
               WHERE (re.organization_id, re.staff_id) IN
                     (SELECT l.organization_id, l.staff_id FROM staff_lineage(p_org, s.id) l)
                 AND g.status IN ('submitted', 'accepted') AND re.created_at <= p_at))
  FROM staff s WHERE s.organization_id = p_org AND s.id = p_staff
$$;

-- The kind of award a ledger entry names, refused as a broken constraint
-- (answered by its name, answers.def) when it is unknown or does not fit
-- the subject: an individual title for a person, a collective one for a
-- unit or the agency; forms fit both; a household only the forms open to
-- households (award_kinds.for_households, migration 0027).
CREATE OR REPLACE FUNCTION award_kind_for(p_code text, p_subject text) RETURNS award_kinds
LANGUAGE plpgsql STABLE AS $$
DECLARE
  k award_kinds;
BEGIN
  SELECT * INTO k FROM award_kinds a WHERE a.code = p_code;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no award kind %', p_code
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'awards_award_code_fkey';
  END IF;
  IF (k.level = 'individual' AND p_subject <> 'staff')
     OR (k.level = 'collective' AND p_subject = 'staff') THEN
    RAISE EXCEPTION 'award % does not fit subject %', p_code, p_subject
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_subject_level';
  END IF;
  IF p_subject = 'household' AND NOT k.for_households THEN
    RAISE EXCEPTION 'award % is not open to households', p_code
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_household_kind';
  END IF;
  RETURN k;
END $$;

-- An initiative an award may cite: of the organisation and, for a
-- person's award, credited to that person.  Refused as the constraint
-- initiative_uses_credited otherwise (one already cited breaks
-- initiative_uses_pkey on insert).
CREATE OR REPLACE FUNCTION initiative_citable(p_org bigint, p_id bigint, p_staff bigint)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM initiatives i
                  WHERE i.organization_id = p_org AND i.id = p_id
                    AND (p_staff IS NULL OR EXISTS (
                         SELECT 1 FROM initiative_credits c
                          WHERE c.initiative_id = i.id AND c.staff_id = p_staff))) THEN
    RAISE EXCEPTION 'initiative % cannot be cited here', p_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'initiative_uses_credited';
  END IF;
  RETURN p_id;
END $$;

-- The facts of a collective (a unit and its subtree) for the year p_year:
-- its own ratings and awards, and the person_facts of its members — the
-- staff of the subtree in service at the end of the year.
CREATE OR REPLACE FUNCTION collective_facts(p_org bigint, p_unit bigint, p_year integer,
                                            p_at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'unit_id', u.id, 'name', u.name,
    'years', (SELECT coalesce(jsonb_agg(jsonb_build_object('year', c.year, 'rating', c.rating)
                ORDER BY c.year), '[]') FROM collective_ratings c
               WHERE c.organization_id = p_org AND c.unit_id = u.id
                 AND c.subject_kind = 'unit' AND c.year BETWEEN p_year - 10 AND p_year
                 AND c.created_at <= p_at),
    'awards', (SELECT coalesce(jsonb_agg(jsonb_build_object('title', a.award_code,
                'year', a.year, 'adhoc', a.adhoc) ORDER BY a.year, a.id), '[]') FROM awards a
               WHERE a.organization_id = p_org AND a.unit_id = u.id AND a.created_at <= p_at),
    -- the collective titles the unit's registrations name, sent to the
    -- Office and not returned: what the registered condition reads
    'registrations', (SELECT coalesce(jsonb_agg(jsonb_build_object('year', p.year,
                'title', t.code) ORDER BY p.year, t.code), '[]')
               FROM registrations g JOIN plans p ON p.id = g.plan_id
               CROSS JOIN LATERAL unnest(g.collective_titles) AS t (code)
               WHERE g.organization_id = p_org AND g.unit_id = u.id
                 AND g.status IN ('submitted', 'accepted')
                 AND p.year BETWEEN p_year - 10 AND p_year),
    'members', (SELECT coalesce(jsonb_agg(person_facts(p_org, s.id, p_year, p_at)
                ORDER BY s.id), '[]')
                 FROM staff s JOIN units m ON m.organization_id = s.organization_id
                                          AND m.id = s.unit_id
                WHERE s.organization_id = p_org AND u.id = ANY (m.path)
                  AND s.start_date <= make_date(p_year, 12, 31)
                  AND (s.left_on IS NULL OR s.left_on > make_date(p_year, 12, 31))))
  FROM units u WHERE u.organization_id = p_org AND u.id = p_unit
$$;
