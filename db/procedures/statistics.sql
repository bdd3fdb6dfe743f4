-- statistics.sql — the statistics forms of a report year (migration 0041,
-- issue 14 §3): Circular 02/2023/TT-BNV, forms 0601-0605.N/BNV-TĐKT.
--
-- Every record a form counts becomes a fact with two sets of tags: what
-- rows it belongs to ('all', 'scope:bloc', 'method:adhoc', …) and what
-- columns ('total', 'agency', '2e', …).  A cell is the number of facts
-- carrying its row's tag and its column's tag, so the counting rules are
-- the rows and columns of the layout (data), and only the reading of the
-- records into tags is written here.

-- An award's kind of commendation (0602 rows 15-21): as recorded, or, for
-- a record that says only whether it was ad hoc or thematic (adhoc, before
-- migration 0041), ad hoc or regular.
CREATE OR REPLACE FUNCTION award_method(p_method text, p_adhoc boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(p_method, CASE WHEN p_adhoc THEN 'adhoc' ELSE 'regular' END);

-- A movement's duration band (0601 rows 06-10).  Date arithmetic, not
-- intervals: '11 months 30 days' compares equal to '1 year'.  A movement
-- of exactly one year (01/01-31/12) is row 07; the printed rows 07 "1
-- năm" and 08 "Từ 1 năm đến dưới 3 năm" meet at one year, so 08 takes
-- those over one year.
CREATE OR REPLACE FUNCTION stat_duration(p_start date, p_end date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN p_end + 1 < p_start + interval '1 year' THEN 'lt1'
  WHEN p_end + 1 = p_start + interval '1 year' THEN '1'
  WHEN p_end + 1 < p_start + interval '3 years' THEN '1_3'
  WHEN p_end + 1 < p_start + interval '5 years' THEN '3_5'
  ELSE 'ge5' END;

-- Age in whole years on the period's last day, banded as 0605 rows 02-07;
-- NULL without a date of birth (the person is a gap of the section).
CREATE OR REPLACE FUNCTION stat_age_band(p_born date, p_on date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT CASE WHEN y IS NULL THEN NULL WHEN y <= 30 THEN 'le30' WHEN y <= 40 THEN '31_40'
                    WHEN y <= 50 THEN '41_50' WHEN y <= 55 THEN '51_55'
                    WHEN y <= 60 THEN '56_60' ELSE 'gt60' END
          FROM (SELECT date_part('year', age(p_on, p_born)) AS y) a);

-- Whole years of TĐKT work on the period's last day (0605 rows 13-15; the
-- printed rows 14 "5 to 10" and 15 "10 or more" meet at ten: 15 takes it).
CREATE OR REPLACE FUNCTION stat_seniority_band(p_since date, p_on date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT CASE WHEN y < 5 THEN 'lt5' WHEN y < 10 THEN '5_10' ELSE 'ge10' END
          FROM (SELECT date_part('year', age(p_on, p_since)) AS y) a);

-- The counts of the organisations p_orgs for the period: one row per
-- form, row tag and column tag.
--   0601: movements launched in the period (first day within it).  One
--         launched above the agencies (by the province, the centre) that
--         several of them record is counted once: the same level, first
--         day and name (folded: case, marks and spaces aside).
--   0602, 0603: awards and individual titles decided in the period and
--         not revoked, whose kind a column of the form counts.  A
--         household sits with the collectives in the columns.  The body
--         that proposed a State award for an agency of a province is the
--         province (row 03); the service holds no ministry.
--   0604: the units marked as bodies of TĐKT work, as they stand: units
--         carry no dates of their own yet, so a past year's form counts
--         today's bodies.
--   0605: civil servants doing TĐKT work (tdkt_since) on the period's last
--         day, employed then.
CREATE OR REPLACE FUNCTION stat_counts(p_orgs bigint[], p_from date, p_to date, p_layout text)
RETURNS TABLE (form text, row_tag text, col_tag text, n bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH orgs AS (
    SELECT o.id, o.kind = 'province' OR EXISTS (
             SELECT 1 FROM province_members pm WHERE pm.member_id = o.id
                AND pm.valid_from <= p_to AND (pm.valid_until IS NULL OR pm.valid_until >= p_to))
             AS in_province
      FROM organizations o WHERE o.id = ANY (p_orgs)),
  mv AS (
    SELECT DISTINCT ON (k.key) k.launch_level, k.scope, k.kind, k.starts_on, k.ends_on
      FROM (SELECT CASE WHEN m.launch_level = 'agency' THEN m.id::text
                        ELSE m.launch_level || '|' || m.starts_on || '|'
                             || regexp_replace(btrim(vn_fold(m.name)), '\s+', ' ', 'g') END
                     AS key, m.id, m.launch_level, m.scope, m.kind, m.starts_on, m.ends_on
              FROM movements m
             WHERE m.organization_id = ANY (p_orgs) AND m.starts_on BETWEEN p_from AND p_to) k
     ORDER BY k.key, k.id),
  -- the award kinds the forms count, each with its column: awards of
  -- other kinds (the agency's own titles, most of the ledger) are never read
  cols AS MATERIALIZED (
    SELECT c.form, c.tag, c.subject, x.code
      FROM stat_form_columns c, unnest(c.award_codes) AS x (code)
     WHERE c.layout = p_layout),
  aw AS (
    SELECT a.award_code AS code,
           CASE WHEN a.subject_kind = 'staff' THEN 'individual' ELSE 'collective' END AS side,
           ARRAY['all',
                 CASE WHEN g.in_province THEN 'proposer:province' END,
                 'subject:' || CASE a.subject_kind WHEN 'staff' THEN 'individual'
                                   WHEN 'household' THEN 'household' ELSE 'collective' END,
                 'category:' || s.recipient_category,
                 'method:' || award_method(a.method, a.adhoc)]
             AS tags
      FROM awards a JOIN orgs g ON g.id = a.organization_id
      LEFT JOIN staff s ON s.id = a.staff_id
     WHERE a.organization_id = ANY (p_orgs) AND a.decision_date BETWEEN p_from AND p_to
       AND a.revoked_on IS NULL AND a.award_code IN (SELECT cols.code FROM cols)
    UNION ALL
    SELECT t.title_code, 'individual',
           ARRAY['all', CASE WHEN g.in_province THEN 'proposer:province' END,
                 'subject:individual', 'category:' || s.recipient_category,
                 'method:' || award_method(t.method, t.adhoc)]
      FROM staff_titles t JOIN orgs g ON g.id = t.organization_id
      JOIN staff s ON s.id = t.staff_id
     WHERE t.organization_id = ANY (p_orgs) AND t.decision_date BETWEEN p_from AND p_to
       AND t.revoked_on IS NULL AND t.title_code IN (SELECT cols.code FROM cols)),
  facts AS (
    SELECT '0601' AS form,
           ARRAY['all', 'scope:' || mv.scope, 'method:' || mv.kind,
                 'duration:' || stat_duration(mv.starts_on, mv.ends_on)] AS rows,
           ARRAY['total', mv.launch_level] AS cols
      FROM mv
    UNION ALL
    SELECT c.form, aw.tags, ARRAY['total', c.tag]
      FROM aw JOIN cols c ON c.code = aw.code AND (c.subject IS NULL OR c.subject = aw.side)
    UNION ALL
    SELECT '0604', ARRAY['all', 'body:' || u.tdkt_body], ARRAY['total']
      FROM units u
     WHERE u.organization_id = ANY (p_orgs) AND u.tdkt_body IS NOT NULL
    UNION ALL
    SELECT '0605',
           ARRAY['all', 'age:' || stat_age_band(s.date_of_birth, p_to),
                 'training:' || s.training_level,
                 'seniority:' || stat_seniority_band(s.tdkt_since, p_to)],
           CASE WHEN s.gender = 'female' THEN ARRAY['total', 'female'] ELSE ARRAY['total'] END
      FROM staff s
     WHERE s.organization_id = ANY (p_orgs) AND s.tdkt_since IS NOT NULL
       AND s.tdkt_since <= p_to AND s.employment_type = 'civil_servant'
       AND s.start_date <= p_to AND (s.left_on IS NULL OR s.left_on > p_to))
  SELECT f.form, r.tag, c.tag, count(*)
    FROM facts f, unnest(f.rows) AS r (tag), unnest(f.cols) AS c (tag)
   WHERE r.tag IS NOT NULL
   GROUP BY 1, 2, 3;
END;

-- The regime of a report year: the one in force on the day its report is
-- due.  NULL when none is.
CREATE OR REPLACE FUNCTION stat_regime_for(p_year integer) RETURNS stat_regimes
LANGUAGE sql STABLE
RETURN (SELECT x FROM stat_regimes x
         WHERE make_date(p_year, x.due_month, x.due_day) >= x.valid_from
           AND (x.valid_until IS NULL OR make_date(p_year, x.due_month, x.due_day) <= x.valid_until)
         ORDER BY x.valid_from DESC LIMIT 1);

-- The forms of p_org for p_year as the API answers them; for a province,
-- the roll-up of its own records and its members' (those of the period's
-- last day: an agency that moved to it during the period brings its whole
-- period), with the bodies merged into them during the period.  NULL when
-- no regime governs the year.
CREATE OR REPLACE FUNCTION stat_forms_json(p_org bigint, p_year integer) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r stat_regimes := stat_regime_for(p_year);
  v_from date;
  v_to date;
  v_orgs bigint[];
BEGIN
  IF r.code IS NULL THEN
    RETURN NULL;
  END IF;
  v_from := make_date(p_year - CASE WHEN r.period_start_prior THEN 1 ELSE 0 END,
                      r.period_start_month, r.period_start_day);
  v_to := make_date(p_year, r.period_end_month, r.period_end_day);
  v_orgs := ARRAY[p_org] || ARRAY(
    SELECT pm.member_id FROM province_members pm JOIN organizations o ON o.id = p_org
     WHERE o.kind = 'province' AND pm.province_id = p_org AND pm.valid_from <= v_to
       AND (pm.valid_until IS NULL OR pm.valid_until >= v_to)
     ORDER BY pm.member_id);
  -- the bodies merged into these during the period: what they recorded
  -- before the merger counts under their successor (migration 0044)
  v_orgs := v_orgs || ARRAY(
    WITH RECURSIVE pred (id) AS (
      SELECT s.predecessor_id FROM organization_successions s
       WHERE s.successor_id = ANY (v_orgs) AND s.effective_on > v_from
      UNION
      SELECT s.predecessor_id FROM organization_successions s JOIN pred ON s.successor_id = pred.id
       WHERE s.effective_on > v_from)
    SELECT id FROM pred WHERE NOT id = ANY (v_orgs) ORDER BY id);
  RETURN (
    WITH counts AS MATERIALIZED (SELECT * FROM stat_counts(v_orgs, v_from, v_to, r.layout)),
    cell AS MATERIALIZED (
      SELECT rw.form, rw.position AS rpos, c.position AS cpos, coalesce(k.n, 0) AS n
        FROM stat_form_rows rw
        JOIN stat_form_columns c ON c.layout = rw.layout AND c.form = rw.form
        LEFT JOIN counts k ON k.form = rw.form AND k.row_tag = rw.tag AND k.col_tag = c.tag
       WHERE rw.layout = r.layout AND rw.tag IS NOT NULL),
    -- a section's parts against the row they make up, in the total column
    gaps AS (
      SELECT rw.form, rw.sums_to, rw.section, array_agg(rw.code ORDER BY rw.position) AS parts,
             sum(cl.n) AS parts_n
        FROM stat_form_rows rw
        JOIN cell cl ON cl.form = rw.form AND cl.rpos = rw.position AND cl.cpos = 1
       WHERE rw.layout = r.layout AND rw.sums_to IS NOT NULL
       GROUP BY 1, 2, 3),
    gapj AS (
      SELECT g.form, json_agg(json_build_object('row', g.sums_to, 'section', g.section,
                                                'parts', g.parts, 'missing', p.n - g.parts_n)
                              ORDER BY g.sums_to, g.section) AS j
        FROM gaps g
        JOIN stat_form_rows pr ON pr.layout = r.layout AND pr.form = g.form AND pr.code = g.sums_to
        JOIN cell p ON p.form = g.form AND p.rpos = pr.position AND p.cpos = 1
       WHERE p.n <> g.parts_n
       GROUP BY g.form),
    rowj AS (
      SELECT rw.form, json_agg(json_build_object(
               'code', rw.code, 'heading', rw.code IS NULL,
               'label_vi', rw.label_vi, 'label_en', rw.label_en,
               'unit_vi', rw.unit_vi, 'unit_en', rw.unit_en,
               'values', (SELECT json_agg(cl.n ORDER BY cl.cpos) FROM cell cl
                           WHERE cl.form = rw.form AND cl.rpos = rw.position))
               ORDER BY rw.position) AS j
        FROM stat_form_rows rw WHERE rw.layout = r.layout GROUP BY rw.form),
    colj AS (
      SELECT c.form, json_agg(json_build_object(
               'key', c.key, 'group_vi', c.group_vi, 'group_en', c.group_en,
               'label_vi', c.label_vi, 'label_en', c.label_en, 'award_codes', c.award_codes,
               'subject', c.subject) ORDER BY c.position) AS j
        FROM stat_form_columns c WHERE c.layout = r.layout GROUP BY c.form)
    SELECT json_build_object(
      'organization', (SELECT json_build_object('id', o.id, 'code', o.code, 'name', o.name,
                                                'kind', o.kind)
                         FROM organizations o WHERE o.id = p_org),
      'year', p_year,
      'period', json_build_object('from', v_from, 'to', v_to),
      'due_on', make_date(p_year, r.due_month, r.due_day),
      -- an agency reports to its province of the period's last day
      'receiver', coalesce(
        (SELECT json_build_object('id', o.id, 'code', o.code, 'name', o.name, 'name_en', NULL)
           FROM province_members pm JOIN organizations o ON o.id = pm.province_id
          WHERE pm.member_id = p_org AND pm.valid_from <= v_to
            AND (pm.valid_until IS NULL OR pm.valid_until >= v_to)),
        json_build_object('id', NULL, 'code', NULL, 'name', r.receiver_vi,
                          'name_en', r.receiver_en)),
      'regime', json_build_object('code', r.code, 'document', r.document,
                                  'issued_on', r.issued_on, 'valid_from', r.valid_from,
                                  'valid_until', r.valid_until, 'layout', r.layout,
                                  'status', r.status, 'note_vi', r.note_vi,
                                  'note_en', r.note_en, 'sources', r.sources),
      'members', (SELECT coalesce(json_agg(json_build_object('id', o.id, 'code', o.code,
                                                             'name', o.name)
                                           ORDER BY o.name COLLATE "vi-VN-x-icu", o.id), '[]')
                    FROM organizations o WHERE o.id = ANY (v_orgs) AND o.id <> p_org),
      'forms', (SELECT json_agg(json_build_object(
                  'form', f.form, 'number', f.number, 'title_vi', f.title_vi,
                  'title_en', f.title_en, 'unit_vi', f.unit_vi, 'unit_en', f.unit_en,
                  'columns', colj.j, 'rows', rowj.j,
                  'gaps', coalesce(gapj.j, '[]')) ORDER BY f.position)
                  FROM stat_forms f
                  JOIN colj ON colj.form = f.form
                  JOIN rowj ON rowj.form = f.form
                  LEFT JOIN gapj ON gapj.form = f.form
                 WHERE f.layout = r.layout)));
END $$;
