-- blocs.sql — emulation blocs, their year, scoring and ranking (migration
-- 0039).  Every write names the organisation that acts (p_org, from the
-- caller's token) and is refused unless that organisation plays the part:
-- the province that owns the bloc, the year's head, a member, an assigned
-- cross-scorer.

CREATE OR REPLACE FUNCTION bloc_is_member(p_bloc bigint, p_year integer, p_org bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM bloc_members m WHERE m.bloc_id = p_bloc AND m.member_id = p_org
                    AND m.valid_from <= make_date(p_year, 12, 31)
                    AND coalesce(m.valid_until, 'infinity') >= make_date(p_year, 1, 1))
$$;

-- What p_org is to bloc p_bloc in year p_year (a member at any day of
-- it): 'province', 'head', 'member' (the deputy is a member), or NULL.
CREATE OR REPLACE FUNCTION bloc_part(p_bloc bigint, p_year integer, p_org bigint)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM blocs b WHERE b.id = p_bloc AND b.province_id = p_org)
      THEN 'province'
    WHEN EXISTS (SELECT 1 FROM bloc_years y WHERE y.bloc_id = p_bloc AND y.year = p_year
                    AND y.head_id = p_org) THEN 'head'
    WHEN bloc_is_member(p_bloc, p_year, p_org) THEN 'member' END
$$;

-- Whether p_org may read bloc p_bloc: its province, or a member of it at
-- any time.
CREATE OR REPLACE FUNCTION bloc_visible(p_bloc bigint, p_org bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM blocs b WHERE b.id = p_bloc AND b.province_id = p_org)
      OR EXISTS (SELECT 1 FROM bloc_members m WHERE m.bloc_id = p_bloc AND m.member_id = p_org)
$$;

CREATE OR REPLACE FUNCTION bloc_org_json(p_id bigint) RETURNS jsonb LANGUAGE sql STABLE
RETURN (SELECT jsonb_build_object('id', o.id, 'code', o.code, 'name', o.name)
          FROM organizations o WHERE o.id = p_id);

CREATE OR REPLACE FUNCTION bloc_json(b blocs) RETURNS jsonb LANGUAGE sql STABLE
RETURN jsonb_build_object(
  'id', b.id, 'code', b.code, 'name', b.name, 'province', bloc_org_json(b.province_id),
  'closed_on', b.closed_on, 'version', b.version,
  'members', (SELECT coalesce(jsonb_agg(bloc_org_json(m.member_id)
                                        || jsonb_build_object('valid_from', m.valid_from,
                                                              'valid_until', m.valid_until)
                                        ORDER BY o.name COLLATE "vi-VN-x-icu", m.valid_from),
                              '[]')
                FROM bloc_members m JOIN organizations o ON o.id = m.member_id
               WHERE m.bloc_id = b.id),
  'years', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'year', y.year, 'head', bloc_org_json(y.head_id),
                     'deputy', bloc_org_json(y.deputy_id)) ORDER BY y.year), '[]')
              FROM bloc_years y WHERE y.bloc_id = b.id));

CREATE OR REPLACE FUNCTION blocs_list(p_org bigint) RETURNS jsonb LANGUAGE sql STABLE
RETURN jsonb_build_object('items', (SELECT coalesce(jsonb_agg(bloc_json(b) ORDER BY b.code), '[]')
                                      FROM blocs b WHERE bloc_visible(b.id, p_org)));

CREATE OR REPLACE FUNCTION bloc_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
RETURN (SELECT bloc_json(b) FROM blocs b WHERE b.id = p_id AND bloc_visible(b.id, p_org));

-- A province makes a bloc of its agencies (f: code, name, members
-- [{organization_id, valid_from, valid_until}]).
CREATE OR REPLACE FUNCTION bloc_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  b blocs;
  m record;
BEGIN
  IF (SELECT kind FROM organizations WHERE id = p_org) <> 'province' THEN
    RETURN write_refused('bloc-province-only');
  END IF;
  -- each member an agency of this province on the day it joins
  FOR m IN SELECT x.ord - 1 AS i, (x.v->>'organization_id')::bigint AS id,
                  (x.v->>'valid_from')::date AS since
             FROM jsonb_array_elements(f->'members') WITH ORDINALITY x(v, ord) LOOP
    IF NOT EXISTS (SELECT 1 FROM province_members p
                    WHERE p.province_id = p_org AND p.member_id = m.id
                      AND p.valid_from <= m.since
                      AND coalesce(p.valid_until, 'infinity') >= m.since) THEN
      RETURN write_invalid('/members/' || m.i || '/organization_id',
                           'bloc-member-not-in-province');
    END IF;
  END LOOP;
  INSERT INTO blocs (province_id, code, name)
  VALUES (p_org, btrim(f->>'code'), normalize(btrim(f->>'name'), NFC)) RETURNING * INTO b;
  INSERT INTO bloc_members (bloc_id, member_id, valid_from, valid_until)
  SELECT b.id, (v->>'organization_id')::bigint, (v->>'valid_from')::date,
         (v->>'valid_until')::date
    FROM jsonb_array_elements(f->'members') v;
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.create', 'bloc', b.id::text, NULL,
                       bloc_json(b), p_req);
  RETURN write_ok(bloc_json(b)::text, b.version, b.id);
END $$;

-- The sum of a scoring's points (numeric, exact).
CREATE OR REPLACE FUNCTION bloc_score_total(y bloc_years, p_points jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN (SELECT coalesce(sum(v::numeric), 0)::numeric(8, 2)::text
          FROM jsonb_each_text(p_points) AS e(k, v));

-- The year of a bloc as its members read it: head, deputy, the pact and
-- its commitments, the scoring table, who cross-scores whom, the scores,
-- the head's adjustments and the flags proposed.
CREATE OR REPLACE FUNCTION bloc_year_json(y bloc_years) RETURNS jsonb LANGUAGE sql STABLE
RETURN jsonb_build_object(
  'bloc_id', y.bloc_id, 'year', y.year, 'head', bloc_org_json(y.head_id),
  'deputy', bloc_org_json(y.deputy_id), 'version', y.version,
  'pact', CASE WHEN y.theme IS NOT NULL THEN jsonb_build_object(
            'theme', y.theme, 'signed_on', y.signed_on, 'place', y.place,
            'commitments', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                'member', bloc_org_json(c.member_id),
                                'commitment', c.commitment) ORDER BY c.member_id), '[]')
                              FROM bloc_commitments c
                             WHERE c.bloc_id = y.bloc_id AND c.year = y.year)) END,
  'table', jsonb_build_object('version', y.table_version, 'criteria', y.criteria,
                              'adjustments', y.adjustments, 'tie_break', y.tie_break),
  'cross_scorers', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                        'scorer_id', x.scorer_id, 'member_id', x.member_id)
                        ORDER BY x.member_id, x.scorer_id), '[]')
                      FROM bloc_cross_scorers x WHERE x.bloc_id = y.bloc_id AND x.year = y.year),
  'scores', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'member_id', s.member_id, 'scorer_id', s.scorer_id, 'kind', s.kind,
                 'points', s.points, 'claimed', s.claimed, 'evidence', s.evidence,
                 'total', bloc_score_total(y, s.points), 'scored_at', s.scored_at)
                 ORDER BY s.member_id, s.kind DESC, s.scorer_id), '[]')
               FROM bloc_scores s WHERE s.bloc_id = y.bloc_id AND s.year = y.year),
  'head_adjustments', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'id', a.id, 'member_id', a.member_id, 'points', a.points::text,
                           'reason', a.reason, 'created_at', a.created_at) ORDER BY a.id), '[]')
                         FROM bloc_head_adjustments a
                        WHERE a.bloc_id = y.bloc_id AND a.year = y.year),
  'flags', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'flag', p.flag, 'member', bloc_org_json(p.member_id),
                'proposed_on', p.proposed_on, 'rule_source', p.rule_source)
                ORDER BY p.flag DESC), '[]')
              FROM bloc_flag_proposals p WHERE p.bloc_id = y.bloc_id AND p.year = y.year));

CREATE OR REPLACE FUNCTION bloc_year_get(p_org bigint, p_bloc bigint, p_year integer)
RETURNS jsonb LANGUAGE sql STABLE
RETURN (SELECT bloc_year_json(y) FROM bloc_years y
         WHERE y.bloc_id = p_bloc AND y.year = p_year AND bloc_visible(p_bloc, p_org));

-- The province names the year's head and deputy (f: head_id, deputy_id),
-- both members of the bloc that year.
CREATE OR REPLACE FUNCTION bloc_year_put(p_org bigint, p_atype text, p_aid text, p_req text,
  p_bloc bigint, p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  y bloc_years;
  head bigint := (f->>'head_id')::bigint;
  deputy bigint := (f->>'deputy_id')::bigint;
BEGIN
  IF NOT bloc_visible(p_bloc, p_org) THEN
    RETURN write_not_found();
  ELSIF bloc_part(p_bloc, p_year, p_org) IS DISTINCT FROM 'province' THEN
    RETURN write_refused('bloc-province-only');
  ELSIF NOT bloc_is_member(p_bloc, p_year, head) THEN
    RETURN write_invalid('/head_id', 'bloc-not-member', jsonb_build_object('year', p_year));
  ELSIF deputy IS NOT NULL AND NOT bloc_is_member(p_bloc, p_year, deputy) THEN
    RETURN write_invalid('/deputy_id', 'bloc-not-member', jsonb_build_object('year', p_year));
  ELSIF deputy = head THEN
    RETURN write_invalid('/deputy_id', 'bloc-deputy-is-head');
  END IF;
  INSERT INTO bloc_years (bloc_id, year, head_id, deputy_id)
  VALUES (p_bloc, p_year, head, deputy)
  ON CONFLICT (bloc_id, year) DO UPDATE
    SET head_id = excluded.head_id, deputy_id = excluded.deputy_id,
        version = bloc_years.version + 1, updated_at = now()
  RETURNING * INTO y;
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.year', 'bloc', p_bloc::text, NULL,
                       jsonb_build_object('year', p_year, 'head_id', head, 'deputy_id', deputy),
                       p_req);
  RETURN write_ok(bloc_year_json(y)::text, y.version, p_bloc);
END $$;

-- The year of a bloc for a write of its head: the row locked, or why not.
CREATE OR REPLACE FUNCTION bloc_year_for_head(p_org bigint, p_bloc bigint, p_year integer,
  OUT y bloc_years, OUT refusal write_result)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT * INTO y FROM bloc_years x WHERE x.bloc_id = p_bloc AND x.year = p_year FOR UPDATE;
  IF y.bloc_id IS NULL OR NOT bloc_visible(p_bloc, p_org) THEN
    refusal := write_not_found();
  ELSIF y.head_id <> p_org THEN
    refusal := write_refused('bloc-head-only', jsonb_build_object('year', p_year));
  END IF;
END $$;

-- The head records the pact (f: theme, signed_on, place, commitments
-- [{member_id, commitment}]), each commitment a member's of that year.
CREATE OR REPLACE FUNCTION bloc_pact_put(p_org bigint, p_atype text, p_aid text, p_req text,
  p_bloc bigint, p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  h record;
  m record;
BEGIN
  h := bloc_year_for_head(p_org, p_bloc, p_year);
  IF (h.refusal).outcome IS NOT NULL THEN
    RETURN h.refusal;
  END IF;
  FOR m IN SELECT x.ord - 1 AS i, (x.v->>'member_id')::bigint AS id
             FROM jsonb_array_elements(coalesce(f->'commitments', '[]')) WITH ORDINALITY x(v, ord)
  LOOP
    IF NOT bloc_is_member(p_bloc, p_year, m.id) THEN
      RETURN write_invalid('/commitments/' || m.i || '/member_id', 'bloc-not-member',
                           jsonb_build_object('year', p_year));
    END IF;
  END LOOP;
  IF extract(year FROM (f->>'signed_on')::date) NOT IN (p_year - 1, p_year) THEN
    RETURN write_invalid('/signed_on', 'bloc-pact-year', jsonb_build_object('year', p_year));
  END IF;
  UPDATE bloc_years x SET theme = normalize(btrim(f->>'theme'), NFC),
         signed_on = (f->>'signed_on')::date, place = normalize(btrim(f->>'place'), NFC),
         version = x.version + 1, updated_at = now()
   WHERE x.bloc_id = p_bloc AND x.year = p_year;
  DELETE FROM bloc_commitments c WHERE c.bloc_id = p_bloc AND c.year = p_year;
  INSERT INTO bloc_commitments (bloc_id, year, member_id, commitment)
  SELECT p_bloc, p_year, (v->>'member_id')::bigint, normalize(btrim(v->>'commitment'), NFC)
    FROM jsonb_array_elements(coalesce(f->'commitments', '[]')) v;
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.pact', 'bloc', p_bloc::text, NULL,
                       f || jsonb_build_object('year', p_year), p_req);
  RETURN write_ok((SELECT bloc_year_json(x)::text FROM bloc_years x
                    WHERE x.bloc_id = p_bloc AND x.year = p_year), NULL, p_bloc);
END $$;

-- The head sets the year's scoring table (f: criteria [{code, title,
-- max_points}], adjustments [{code, title, points}], tie_break [codes],
-- cross_scorers [{scorer_id, member_id}]); refused once a member has
-- scored, so that every scoring is against one table.
CREATE OR REPLACE FUNCTION bloc_table_put(p_org bigint, p_atype text, p_aid text, p_req text,
  p_bloc bigint, p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  h record;
  m record;
BEGIN
  h := bloc_year_for_head(p_org, p_bloc, p_year);
  IF (h.refusal).outcome IS NOT NULL THEN
    RETURN h.refusal;
  ELSIF EXISTS (SELECT 1 FROM bloc_scores s WHERE s.bloc_id = p_bloc AND s.year = p_year) THEN
    RETURN write_refused('bloc-scoring-begun', jsonb_build_object('year', p_year));
  END IF;
  FOR m IN SELECT x.ord - 1 AS i, x.v #>> '{}' AS code
             FROM jsonb_array_elements(coalesce(f->'tie_break', '[]')) WITH ORDINALITY x(v, ord)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(f->'criteria') c
                    WHERE c->>'code' = m.code) THEN
      RETURN write_invalid('/tie_break/' || m.i, 'bloc-criterion-unknown');
    END IF;
  END LOOP;
  FOR m IN SELECT x.ord - 1 AS i, (x.v->>'scorer_id')::bigint AS scorer,
                  (x.v->>'member_id')::bigint AS member
             FROM jsonb_array_elements(coalesce(f->'cross_scorers', '[]'))
                  WITH ORDINALITY x(v, ord) LOOP
    IF NOT bloc_is_member(p_bloc, p_year, m.scorer) THEN
      RETURN write_invalid('/cross_scorers/' || m.i || '/scorer_id', 'bloc-not-member',
                           jsonb_build_object('year', p_year));
    ELSIF NOT bloc_is_member(p_bloc, p_year, m.member) THEN
      RETURN write_invalid('/cross_scorers/' || m.i || '/member_id', 'bloc-not-member',
                           jsonb_build_object('year', p_year));
    ELSIF m.scorer = m.member THEN
      RETURN write_invalid('/cross_scorers/' || m.i || '/scorer_id', 'bloc-cross-self');
    END IF;
  END LOOP;
  UPDATE bloc_years x SET criteria = f->'criteria',
         adjustments = coalesce(f->'adjustments', '[]'),
         tie_break = coalesce(f->'tie_break', '[]'), table_version = x.table_version + 1,
         version = x.version + 1, updated_at = now()
   WHERE x.bloc_id = p_bloc AND x.year = p_year;
  DELETE FROM bloc_cross_scorers x WHERE x.bloc_id = p_bloc AND x.year = p_year;
  INSERT INTO bloc_cross_scorers (bloc_id, year, scorer_id, member_id)
  SELECT DISTINCT p_bloc, p_year, (v->>'scorer_id')::bigint, (v->>'member_id')::bigint
    FROM jsonb_array_elements(coalesce(f->'cross_scorers', '[]')) v;
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.table', 'bloc', p_bloc::text, NULL,
                       f || jsonb_build_object('year', p_year), p_req);
  RETURN write_ok((SELECT bloc_year_json(x)::text FROM bloc_years x
                    WHERE x.bloc_id = p_bloc AND x.year = p_year), NULL, p_bloc);
END $$;

-- A scoring of member p_member by p_org (f: points {criterion: points},
-- claimed [adjustment codes], evidence): its own ('self') or, assigned,
-- another's ('cross').  Every criterion scored, each within its maximum.
CREATE OR REPLACE FUNCTION bloc_score_put(p_org bigint, p_atype text, p_aid text, p_req text,
  p_bloc bigint, p_year integer, p_member bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  y bloc_years;
  k text;
  c record;
BEGIN
  SELECT * INTO y FROM bloc_years x WHERE x.bloc_id = p_bloc AND x.year = p_year FOR SHARE;
  IF y.bloc_id IS NULL OR NOT bloc_visible(p_bloc, p_org) THEN
    RETURN write_not_found();
  ELSIF NOT bloc_is_member(p_bloc, p_year, p_member) THEN
    RETURN write_not_found();
  ELSIF p_member = p_org THEN
    k := 'self';
  ELSIF EXISTS (SELECT 1 FROM bloc_cross_scorers x WHERE x.bloc_id = p_bloc
                   AND x.year = p_year AND x.scorer_id = p_org AND x.member_id = p_member) THEN
    k := 'cross';
  ELSE
    RETURN write_refused('bloc-not-scorer', jsonb_build_object('year', p_year));
  END IF;
  IF jsonb_array_length(y.criteria) = 0 THEN
    RETURN write_refused('bloc-no-table', jsonb_build_object('year', p_year));
  END IF;
  FOR c IN SELECT x->>'code' AS code, (x->>'max_points')::numeric AS maxp
             FROM jsonb_array_elements(y.criteria) x LOOP
    IF NOT (f->'points' ? c.code) THEN
      RETURN write_invalid('/points/' || c.code, 'bloc-criterion-missing');
    ELSIF jsonb_typeof(f->'points'->c.code) <> 'number'
          OR (f->'points'->>c.code)::numeric NOT BETWEEN 0 AND c.maxp THEN
      RETURN write_invalid('/points/' || c.code, 'bloc-points-range',
                           jsonb_build_object('max', c.maxp));
    END IF;
  END LOOP;
  FOR c IN SELECT e.key AS code FROM jsonb_each(f->'points') e LOOP
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(y.criteria) x WHERE x->>'code' = c.code)
    THEN
      RETURN write_invalid('/points/' || c.code, 'bloc-criterion-unknown');
    END IF;
  END LOOP;
  FOR c IN SELECT x.ord - 1 AS i, x.v #>> '{}' AS code
             FROM jsonb_array_elements(coalesce(f->'claimed', '[]')) WITH ORDINALITY x(v, ord)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(y.adjustments) a
                    WHERE a->>'code' = c.code) THEN
      RETURN write_invalid('/claimed/' || c.i, 'bloc-adjustment-unknown');
    END IF;
  END LOOP;
  INSERT INTO bloc_scores (bloc_id, year, member_id, scorer_id, kind, points, claimed,
                           evidence, table_version)
  VALUES (p_bloc, p_year, p_member, p_org, k, f->'points', coalesce(f->'claimed', '[]'),
          normalize(btrim(f->>'evidence'), NFC), y.table_version)
  ON CONFLICT (bloc_id, year, member_id, scorer_id) DO UPDATE
    SET points = excluded.points, claimed = excluded.claimed, evidence = excluded.evidence,
        scored_at = now();
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.score', 'bloc', p_bloc::text, NULL,
                       f || jsonb_build_object('year', p_year, 'member_id', p_member,
                                               'kind', k), p_req);
  RETURN write_ok((SELECT bloc_year_json(x)::text FROM bloc_years x
                    WHERE x.bloc_id = p_bloc AND x.year = p_year), NULL, p_bloc);
END $$;

-- The head adjusts a member's result, with its reason (f: member_id,
-- points, reason).
CREATE OR REPLACE FUNCTION bloc_adjust(p_org bigint, p_atype text, p_aid text, p_req text,
  p_bloc bigint, p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  h record;
BEGIN
  h := bloc_year_for_head(p_org, p_bloc, p_year);
  IF (h.refusal).outcome IS NOT NULL THEN
    RETURN h.refusal;
  ELSIF NOT bloc_is_member(p_bloc, p_year, (f->>'member_id')::bigint) THEN
    RETURN write_invalid('/member_id', 'bloc-not-member', jsonb_build_object('year', p_year));
  END IF;
  INSERT INTO bloc_head_adjustments (bloc_id, year, member_id, points, reason, created_by)
  VALUES (p_bloc, p_year, (f->>'member_id')::bigint, (f->>'points')::numeric,
          normalize(btrim(f->>'reason'), NFC), p_atype || ':' || p_aid);
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.adjust', 'bloc', p_bloc::text, NULL,
                       f || jsonb_build_object('year', p_year), p_req);
  RETURN write_ok((SELECT bloc_year_json(x)::text FROM bloc_years x
                    WHERE x.bloc_id = p_bloc AND x.year = p_year), NULL, p_bloc);
END $$;

-- The ranking of a year: for each member, the base (the mean of its
-- cross-scorings when it has any, else its self-scoring), the adjustments
-- it claimed, the head's adjustments, and the result; ordered by the
-- result, then by the tie-break criteria's points in their order, then by
-- name (Vietnamese order).  Members tied on all of them share a rank.
-- complete: every member has its base.
CREATE OR REPLACE FUNCTION bloc_ranking(p_org bigint, p_bloc bigint, p_year integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  WITH y AS (SELECT * FROM bloc_years x WHERE x.bloc_id = p_bloc AND x.year = p_year
                AND bloc_visible(p_bloc, p_org)),
  mem AS (SELECT DISTINCT m.member_id FROM y JOIN bloc_members m ON m.bloc_id = y.bloc_id
           WHERE bloc_is_member(p_bloc, p_year, m.member_id)),
  base AS (
    SELECT mem.member_id,
           (SELECT count(*) FROM bloc_scores s WHERE s.bloc_id = p_bloc AND s.year = p_year
               AND s.member_id = mem.member_id AND s.kind = 'cross') AS n_cross,
           (SELECT s.claimed FROM bloc_scores s WHERE s.bloc_id = p_bloc AND s.year = p_year
               AND s.member_id = mem.member_id AND s.kind = 'self') AS claimed
      FROM mem),
  crit AS (
    -- per member and criterion: the cross mean, or the self points
    SELECT b.member_id, c->>'code' AS code,
           round(CASE WHEN b.n_cross > 0
                      THEN (SELECT avg((s.points->>(c->>'code'))::numeric) FROM bloc_scores s
                             WHERE s.bloc_id = p_bloc AND s.year = p_year
                               AND s.member_id = b.member_id AND s.kind = 'cross')
                      ELSE (SELECT (s.points->>(c->>'code'))::numeric FROM bloc_scores s
                             WHERE s.bloc_id = p_bloc AND s.year = p_year
                               AND s.member_id = b.member_id AND s.kind = 'self') END, 2)
             AS points
      FROM base b, y, jsonb_array_elements(y.criteria) c),
  res AS (
    SELECT b.member_id, b.n_cross,
           (SELECT sum(c.points) FROM crit c WHERE c.member_id = b.member_id) AS base_points,
           coalesce((SELECT sum((a->>'points')::numeric) FROM y,
                       jsonb_array_elements(y.adjustments) a
                      WHERE b.claimed ? (a->>'code')), 0) AS claimed_points,
           coalesce((SELECT sum(h.points) FROM bloc_head_adjustments h
                      WHERE h.bloc_id = p_bloc AND h.year = p_year
                        AND h.member_id = b.member_id), 0) AS head_points,
           (SELECT coalesce(jsonb_agg(c.points ORDER BY t.ord), '[]')
              FROM y, jsonb_array_elements_text(y.tie_break) WITH ORDINALITY t(code, ord)
              JOIN crit c ON c.code = t.code
             WHERE c.member_id = b.member_id) AS ties
      FROM base b),
  tot AS (
    SELECT r.*, r.base_points + r.claimed_points + r.head_points AS result,
           o.name FROM res r JOIN organizations o ON o.id = r.member_id),
  ranked AS (
    SELECT t.*, rank() OVER (ORDER BY t.result DESC NULLS LAST,
                                      t.ties DESC NULLS LAST) AS rank
      FROM tot t)
  SELECT jsonb_build_object(
           'bloc_id', p_bloc, 'year', p_year,
           'complete', bool_and(r.base_points IS NOT NULL),
           'tie_break', (SELECT tie_break FROM y),
           'items', coalesce(jsonb_agg(jsonb_build_object(
               'rank', CASE WHEN r.result IS NOT NULL THEN r.rank END,
               'member', bloc_org_json(r.member_id),
               'base', r.base_points::text,
               'base_from', CASE WHEN r.n_cross > 0 THEN 'cross' WHEN r.base_points IS NOT NULL
                                 THEN 'self' END,
               'claimed', r.claimed_points::text, 'head', r.head_points::text,
               'result', r.result::text, 'tie_break_points', r.ties)
               ORDER BY r.result DESC NULLS LAST, r.ties DESC NULLS LAST,
                        r.name COLLATE "vi-VN-x-icu"), '[]'))
    FROM ranked r
  HAVING EXISTS (SELECT 1 FROM y)
$$;

-- The head proposes a leading unit for a flag (f: member_id, flag,
-- proposed_on): the province's flag for the bloc's first, ranked on a
-- complete ranking; the Government's for a bloc leader proposed for the
-- province's flag, within the share of the province's bloc leaders the
-- rule in force on the day allows (bloc_flag_rules).
CREATE OR REPLACE FUNCTION bloc_flag_propose(p_org bigint, p_atype text, p_aid text,
  p_req text, p_bloc bigint, p_year integer, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  h record;
  rk jsonb;
  member bigint := (f->>'member_id')::bigint;
  on_ date := coalesce((f->>'proposed_on')::date, p_today);
  rule bloc_flag_rules;
  leaders integer;
  taken integer;
  allowed integer;
  src text;
BEGIN
  h := bloc_year_for_head(p_org, p_bloc, p_year);
  IF (h.refusal).outcome IS NOT NULL THEN
    RETURN h.refusal;
  END IF;
  rk := bloc_ranking(p_org, p_bloc, p_year);
  IF f->>'flag' = 'provincial' THEN
    IF NOT (rk->>'complete')::boolean THEN
      RETURN write_refused('bloc-ranking-incomplete', jsonb_build_object('year', p_year));
    ELSIF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(rk->'items') i
                       WHERE (i->>'rank')::integer = 1
                         AND (i->'member'->>'id')::bigint = member) THEN
      RETURN write_invalid('/member_id', 'bloc-flag-not-first');
    END IF;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM bloc_flag_proposals p WHERE p.bloc_id = p_bloc
                      AND p.year = p_year AND p.flag = 'provincial' AND p.member_id = member) THEN
      RETURN write_invalid('/member_id', 'bloc-flag-not-leader');
    END IF;
    SELECT * INTO rule FROM bloc_flag_rules r
     WHERE r.valid_from <= on_ AND coalesce(r.valid_until, 'infinity') >= on_;
    IF rule.valid_from IS NULL THEN
      RETURN write_refused('bloc-flag-no-rule', jsonb_build_object('on', on_));
    END IF;
    -- the province's blocs, one proposal at a time
    PERFORM pg_advisory_xact_lock(hashtextextended('bloc_flags',
      (SELECT b.province_id FROM blocs b WHERE b.id = p_bloc) * 10000 + p_year));
    SELECT count(*) FILTER (WHERE p.flag = 'provincial'),
           count(*) FILTER (WHERE p.flag = 'government')
      INTO leaders, taken
      FROM bloc_flag_proposals p JOIN blocs b ON b.id = p.bloc_id
     WHERE p.year = p_year
       AND b.province_id = (SELECT x.province_id FROM blocs x WHERE x.id = p_bloc);
    allowed := floor(leaders * rule.government_share_pct / 100);
    IF taken + 1 > allowed THEN
      RETURN write_refused('bloc-flag-share', jsonb_build_object(
        'leaders', leaders, 'allowed', allowed, 'taken', taken,
        'share', rule.government_share_pct::text, 'source', rule.source));
    END IF;
    src := rule.source;
  END IF;
  INSERT INTO bloc_flag_proposals (bloc_id, year, member_id, flag, proposed_on, rule_source,
                                   created_by)
  VALUES (p_bloc, p_year, member, f->>'flag', on_, src, p_atype || ':' || p_aid)
  ON CONFLICT (bloc_id, year, flag) DO NOTHING;
  IF NOT FOUND THEN
    RETURN write_refused('bloc-flag-taken', jsonb_build_object('flag', f->>'flag'));
  END IF;
  PERFORM audit_append(p_org, p_atype, p_aid, 'bloc.flag', 'bloc', p_bloc::text, NULL,
                       f || jsonb_build_object('year', p_year, 'rule_source', src), p_req);
  RETURN write_ok((SELECT bloc_year_json(x)::text FROM bloc_years x
                    WHERE x.bloc_id = p_bloc AND x.year = p_year), NULL, p_bloc);
END $$;

-- The year's head's consolidated view of its members (issue 14 §2): for
-- each member of the year, the consolidated reports it sent for periods
-- ending in the year — the versions in force, numbered as sent — with the
-- plan's targets each carried as counted on the day it was made, and the
-- units that had not reported.  The head and the province read it; NULL
-- when the bloc is not visible; {"part"} alone for a member that is
-- neither (the service answers 403).
CREATE OR REPLACE FUNCTION bloc_reports(p_org bigint, p_bloc bigint, p_year integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN NOT bloc_visible(p_bloc, p_org) THEN NULL
    WHEN coalesce(bloc_part(p_bloc, p_year, p_org), '') NOT IN ('head', 'province')
      THEN jsonb_build_object('part', bloc_part(p_bloc, p_year, p_org))
    ELSE jsonb_build_object(
      'bloc_id', p_bloc, 'year', p_year,
      'members', (SELECT coalesce(jsonb_agg(bloc_org_json(m.id) || jsonb_build_object(
                    'reports', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'consolidation_id', c.id, 'period', c.document->'period',
                                  'number', c.number, 'symbol', c.symbol,
                                  'sent_on', c.sent_on, 'signer_name', c.signer_name,
                                  'supersedes', c.supersedes,
                                  'units_expected', c.document->'units_expected',
                                  'units_missing', c.document->'units_missing',
                                  'targets', coalesce(c.document->'targets', '[]'))
                                  ORDER BY p.ends_on, c.id), '[]')
                                  FROM consolidations c
                                  JOIN report_periods p ON p.organization_id = c.organization_id
                                   AND p.id = c.period_id
                                 WHERE c.organization_id = m.id AND c.status = 'sent'
                                   AND c.superseded_by IS NULL
                                   AND p.ends_on BETWEEN make_date(p_year, 1, 1)
                                                     AND make_date(p_year, 12, 31)))
                    ORDER BY o.name COLLATE "vi-VN-x-icu", m.id), '[]')
                    FROM (SELECT DISTINCT bm.member_id AS id FROM bloc_members bm
                           WHERE bm.bloc_id = p_bloc
                             AND bloc_is_member(p_bloc, p_year, bm.member_id)) m
                    JOIN organizations o ON o.id = m.id))
  END
$$;
