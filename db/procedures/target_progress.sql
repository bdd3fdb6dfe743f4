-- target_progress.sql — the counting behind GET /v1/plans/{id}/progress.
--
-- The counts behind each target, as of reference day r (the caller's "as
-- of" day, at most the period's end).  domain/targets.c turns them into a
-- value and a status; the rules on who is counted are stated here once:
--
--  * In service on r: started on or before r, and not left on or before r.
--    Staff on leave are in service (they must be informed too; a make-up
--    session or an individual briefing records it).
--  * Evaluated population (results of the year: ratings, titles): in
--    service on r and working at least half of the period, counted in days
--    from the later of start date and period start to the period's end,
--    minus the days of recorded leave inside that span.  Staff who worked
--    less than six months of the year are not rated (domain.md §1.4, Decree
--    90/2020 as amended by Decree 48/2023); long leave counts as not worked,
--    the leave on the staff record and the spans entered (staff_leaves)
--    alike, maternity leave excepted.
--  * Results count when dated on or before r (decision date, rating date,
--    attendance at a session held on or before r, briefing date).
--  * Dissemination counts when it happened inside the period.
--  * Not disciplined (issue 11: no record is "unknown", never
--    "compliant"): a person counts on r when a rating of the year,
--    recorded by r, states they were not disciplined, and no discipline
--    decision dated in the period by r says otherwise.  Known disciplined:
--    a rating that says so, or such a decision.  The projection counts
--    everyone not known disciplined, so a year without records is
--    on track while it runs, and never met.
--  * Recorded before the bound rec (?recorded_by, issue 11 §5: progress
--    as it stood on a past day gives the same answer later): a fact counts
--    only once recorded (its created_at; of a rating or an attendance, the
--    version current just before rec, recorded_versions.sql), and so do
--    a person (staff.created_at), the dates of their record (start,
--    leaving, the leave on the record, the unit: staff_recorded) and
--    their spans of leave.  rec = 'infinity': everything recorded so far,
--    the only bound the kept counts below serve.
--  * p_unit > 0 confines staff counts to that unit's subtree; collective
--    ratings and recognitions are the agency's and are not confined.

-- The yearly rating scale (đánh giá, xếp loại), ordered.
-- Not STRICT, so the planner inlines it instead of calling it per row.
CREATE OR REPLACE FUNCTION rating_rank(r text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE r WHEN 'excellent' THEN 4 WHEN 'good' THEN 3 WHEN 'completed' THEN 2
              WHEN 'not_completed' THEN 1 END;

-- The days a person was away from work: the leave on their record and
-- every span of leave entered for them (staff_leaves, several a person),
-- overlaps counted once.  Maternity leave counts as time worked (Decree
-- 152/2025 Art. 4.5; Decree 90/2020 rates a person on maternity leave
-- whatever the months worked), so it is never away.  The leave on the
-- record comes as its fields (leave_from, leave_until, leave_kind), which
-- staff_recorded gives as they stood at rec; the spans, those recorded
-- before rec.
CREATE OR REPLACE FUNCTION staff_away(p_org bigint, p_staff bigint, leave_from date,
                                      leave_until date, leave_kind text, rec timestamptz)
RETURNS datemultirange LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT coalesce(range_agg(x.r), '{}'::datemultirange) FROM (
  SELECT daterange(leave_from, leave_until, '[]') AS r
   WHERE leave_from IS NOT NULL AND leave_kind IS DISTINCT FROM 'maternity'
  UNION ALL
  SELECT daterange(l.starts_on, l.ends_on, '[]') FROM staff_leaves l
   WHERE l.organization_id = p_org AND l.staff_id = p_staff
     AND l.kind <> 'maternity' AND l.created_at < rec) x);

-- Days of the span [from, to] not away.
CREATE OR REPLACE FUNCTION worked_days(away datemultirange, p_from date, p_to date)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN p_from > p_to THEN 0 ELSE (p_to - p_from + 1) - coalesce(
  (SELECT sum(upper(x) - lower(x))::integer
     FROM unnest(away * datemultirange(daterange(p_from, p_to, '[]'))) x), 0) END;

-- The staff of p_org as recorded before rec: people recorded by then, each
-- with the dates of their record that stood then (the current ones when
-- no version ends at rec or later, else that version).
CREATE OR REPLACE FUNCTION staff_recorded(p_org bigint, rec timestamptz)
RETURNS TABLE (id bigint, organization_id bigint, unit_id bigint, start_date date, left_on date,
               leave_from date, leave_until date, leave_kind text)
LANGUAGE sql STABLE AS $$
  SELECT s.id, s.organization_id, s.unit_id, s.start_date, s.left_on, s.leave_from,
         s.leave_until, s.leave_kind
    FROM staff s
   WHERE s.organization_id = p_org AND s.created_at < rec
     AND (rec = 'infinity' OR NOT EXISTS (SELECT 1 FROM staff_versions v
                                           WHERE v.organization_id = p_org
                                             AND v.staff_id = s.id AND v.recorded_to >= rec))
  UNION ALL
  SELECT v.staff_id, v.organization_id, v.unit_id, v.start_date, v.left_on, v.leave_from,
         v.leave_until, v.leave_kind
    FROM staff_versions v
   WHERE v.organization_id = p_org AND v.recorded_to >= rec AND v.recorded_from < rec
$$;

-- The staff of the organisation (or of p_unit's subtree) in service on r;
-- evaluated: only those working at least half of the period.
CREATE OR REPLACE FUNCTION plan_population(p_org bigint, p plans, r date, p_unit bigint,
                                           evaluated boolean, rec timestamptz)
RETURNS TABLE (staff_id bigint) LANGUAGE sql STABLE AS $$
  SELECT s.id FROM staff_recorded(p_org, rec) s
   WHERE (p_unit = 0 OR s.unit_id IN (SELECT u.id FROM units u
                                       WHERE u.organization_id = p_org AND p_unit = ANY (u.path)))
     AND s.start_date <= r AND (s.left_on IS NULL OR s.left_on > r)
     AND (NOT evaluated
          OR worked_days(staff_away(s.organization_id, s.id, s.leave_from, s.leave_until,
                                    s.leave_kind, rec),
                         greatest(s.start_date, p.period_start), p.period_end) * 2
             >= p.period_end - p.period_start + 1)
$$;

-- Whether registration g had been sent to the Office, and not returned, as
-- recorded before rec: sent (submitted_at; a seeded one may lack it) and
-- either still standing or returned at rec or later.  A registration
-- returned and sent again counts from its last sending.
CREATE OR REPLACE FUNCTION registration_sent_by(g registrations, rec timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(g.submitted_at, g.created_at) < rec
       AND (g.status IN ('submitted', 'accepted')
            OR (g.status = 'returned' AND g.decided_at >= rec));

-- Each person's highest individual title of the year decided by r, and the
-- highest one registered for in a version of the plan (registration
-- submitted or accepted).
CREATE OR REPLACE FUNCTION plan_title_ranks(p_org bigint, p plans, r date, rec timestamptz)
RETURNS TABLE (staff_id bigint, awarded integer, registered integer)
LANGUAGE sql STABLE AS $$
  SELECT x.staff_id, max(x.awarded), max(x.registered) FROM (
    SELECT st.staff_id, k.rank AS awarded, 0 AS registered
      FROM staff_titles st JOIN title_kinds k ON k.code = st.title_code
     WHERE st.organization_id = p_org AND st.year = p.year AND k.level = 'individual'
       AND st.decision_date <= r AND st.created_at < rec
       -- a revoked title was cancelled: it never counted (as recorded then)
       AND (st.revoked_at IS NULL OR st.revoked_at >= rec)
    UNION ALL
    SELECT en.staff_id, 0, k.rank
      FROM plans gp
      JOIN registrations g ON g.organization_id = gp.organization_id AND g.plan_id = gp.id
      JOIN registration_entries en ON en.organization_id = g.organization_id
                                  AND en.registration_id = g.id
      JOIN title_kinds k ON k.code = en.title_code
     WHERE gp.organization_id = p_org AND gp.series_id = p.series_id
       AND registration_sent_by(g, rec)) x
  GROUP BY x.staff_id
$$;

CREATE OR REPLACE FUNCTION plan_target_counts(t plan_targets, p plans, r date, p_unit bigint,
  rec timestamptz, OUT numerator bigint, OUT denominator bigint, OUT projected_numerator bigint,
  OUT projected_denominator bigint, OUT value_centi bigint)
-- JIT compilation costs ~10 ms, more than these statements run
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
  org bigint := t.organization_id;
  cond text := t.params->>'condition';
  min_rank integer;
  den_rank integer;
  docs bigint[];
BEGIN
  IF t.kind = 'staff_share' AND cond = 'informed' THEN
    docs := ARRAY(SELECT DISTINCT jsonb_array_elements_text(t.params->'document_ids')::bigint);
    -- who was informed of every document, inside the period, by r: each
    -- session covers a bit set of docs, and a person needs all the bits
    SELECT count(*), count(i.staff_id) INTO denominator, numerator
      FROM plan_population(org, p, r, p_unit, false, rec) pop
      LEFT JOIN (SELECT a.staff_id
                   FROM (SELECT x.id, x.held_on,
                                (SELECT coalesce(sum(1::bigint << (k - 1)), 0)::bigint
                                   FROM generate_subscripts(docs, 1) k
                                  WHERE docs[k] = ANY (x.document_ids)) AS mask
                           FROM sessions x
                          WHERE x.organization_id = org AND x.document_ids && docs
                            AND x.created_at < rec
                          OFFSET 0) x -- a fence: each session's bits once, not per row
                   JOIN attendance_recorded(org, rec) a ON a.session_id = x.id
                  WHERE (a.status = 'attended' AND x.held_on BETWEEN p.period_start AND r)
                     OR (a.status = 'informed_later'
                         AND a.informed_on BETWEEN p.period_start AND r)
                  GROUP BY a.staff_id
                 HAVING bit_or(x.mask) = (1::bigint << cardinality(docs)) - 1) i
        ON i.staff_id = pop.staff_id;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond = 'not_disciplined' THEN
    SELECT count(*), count(*) FILTER (WHERE e.disciplined IS FALSE AND NOT x.decided),
           count(*) FILTER (WHERE e.disciplined IS NOT TRUE AND NOT x.decided)
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, false, rec) pop
      LEFT JOIN ratings_recorded(org, p.year, rec) e ON e.staff_id = pop.staff_id
                                                  AND e.rated_on <= r
      CROSS JOIN LATERAL (SELECT EXISTS (
        SELECT 1 FROM staff_disciplines d
         WHERE d.organization_id = org AND d.staff_id = pop.staff_id
           AND d.decided_on BETWEEN p.period_start AND r AND d.created_at < rec) AS decided) x;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond = 'task_completed' THEN
    -- projects everyone not already rated "not completed"
    SELECT count(*), count(*) FILTER (WHERE rating_rank(e.rating) >= 2),
           count(*) FILTER (WHERE e.rating IS NULL OR rating_rank(e.rating) >= 2)
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, true, rec) pop
      LEFT JOIN ratings_recorded(org, p.year, rec) e ON e.staff_id = pop.staff_id
                                                  AND e.rated_on <= r;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond = 'title' THEN
    SELECT k.rank INTO min_rank FROM title_kinds k WHERE k.code = t.params->>'title';
    SELECT count(*), count(*) FILTER (WHERE tr.awarded >= min_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= min_rank)
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, true, rec) pop
      LEFT JOIN plan_title_ranks(org, p, r, rec) tr ON tr.staff_id = pop.staff_id;
    projected_denominator := denominator;

  ELSIF t.kind = 'title_ratio' THEN
    SELECT k.rank INTO min_rank FROM title_kinds k WHERE k.code = t.params->>'numerator_title';
    SELECT k.rank INTO den_rank FROM title_kinds k
     WHERE k.code = t.params->>'denominator_title';
    SELECT count(*) FILTER (WHERE tr.awarded >= min_rank),
           count(*) FILTER (WHERE tr.awarded >= den_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= min_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= den_rank)
      INTO numerator, denominator, projected_numerator, projected_denominator
      FROM plan_population(org, p, r, p_unit, true, rec) pop
      JOIN plan_title_ranks(org, p, r, rec) tr ON tr.staff_id = pop.staff_id;

  ELSIF t.kind = 'collective_rating' THEN
    SELECT count(*) FILTER (WHERE rating_rank(c.rating)
                                  >= rating_rank(t.params->>'minimum_rating')),
           count(*)
      INTO numerator, denominator
      FROM collective_ratings c
     WHERE c.organization_id = org AND c.year = p.year
       AND c.subject_kind = t.params->>'subject_kind' AND c.rated_on <= r AND c.created_at < rec;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'recognition' THEN
    SELECT count(*) INTO numerator
      FROM recognitions g
     WHERE g.organization_id = org AND g.year = p.year AND g.granted_on <= r
       AND g.created_at < rec
       AND g.kind IN (SELECT jsonb_array_elements_text(t.params->'kinds'));
    denominator := jsonb_array_length(t.params->'kinds');
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'reported_number' THEN
    -- the latest report of each unit on or before r
    SELECT count(*),
           round(100 * CASE t.params->>'aggregate' WHEN 'min' THEN min(l.value)
                   WHEN 'max' THEN max(l.value) WHEN 'sum' THEN sum(l.value)
                   ELSE avg(l.value) END)::bigint
      INTO numerator, value_centi
      FROM (SELECT DISTINCT ON (x.unit_id) x.value
              FROM target_reports x
             WHERE x.organization_id = org AND x.series_id = p.series_id
               AND x.target_code = t.code AND x.reported_on <= r AND x.created_at < rec
               AND (p_unit = 0 OR x.unit_id IN (SELECT u.id FROM units u
                                                 WHERE u.organization_id = org
                                                   AND p_unit = ANY (u.path)))
             ORDER BY x.unit_id, x.reported_on DESC, x.id DESC) l;
    denominator := 0;
    projected_numerator := numerator;
    projected_denominator := 0;
  END IF;
END $$;

-- ---------------------------------------------------------------------------
-- Kept counts (migration 0009): the staff-counted targets of every plan,
-- maintained in the same transaction as each fact.
--
-- Each rule above, for a person p and a target, is an interval of reference
-- days: p is in service on r for r in [start, left); a fact dated f counts
-- from f on.  So each count (n, d, pn, pd) of a person is one daterange,
-- the intersection of such intervals (progress_spans_compute), and a
-- target's count on r is the number of people whose range holds r: the
-- sum of the +1/-1 steps up to r (progress_steps).  plan_target_counts
-- above stays the reference: the tests check after random writes that the
-- kept counts equal it on every day.
-- ---------------------------------------------------------------------------

-- Whether a target's counts are kept: the kinds that count staff.
CREATE OR REPLACE FUNCTION progress_kept(t plan_targets) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN t.kind = 'title_ratio'
    OR (t.kind = 'staff_share'
        AND t.params->>'condition' IN ('informed', 'not_disciplined', 'task_completed', 'title'));

-- x clipped to the days a reference day of the period can take, [ps - 1,
-- pe]: the day before the period stands for every earlier day (r < ps - 1
-- is counted from the facts), and a range that ends after pe never ends.
CREATE OR REPLACE FUNCTION progress_clip(x daterange, ps date, pe date) RETURNS daterange
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN isempty(x * daterange(ps - 1, pe, '[]')) THEN 'empty'::daterange
  ELSE daterange(lower(x * daterange(ps - 1, pe, '[]')),
                 CASE WHEN upper(x) <= pe THEN upper(x) END) END;

-- The spans of the kept targets of plans p_plans, for the staff p_staff of
-- organisation p_org: the rules stated at the top of this file, as ranges
-- of reference days.
CREATE OR REPLACE FUNCTION progress_spans_compute(p_org bigint, p_plans bigint[],
                                                  p_staff bigint[])
RETURNS TABLE (target_id bigint, staff_id bigint, unit_id bigint, n daterange, d daterange,
               pn daterange, pd daterange)
LANGUAGE sql STABLE AS $$
  WITH t AS MATERIALIZED (
    SELECT t.id, t.kind, coalesce(t.params->>'condition', '') AS cond, p.year, p.series_id,
           p.period_start AS ps, p.period_end AS pe,
           (SELECT k.rank FROM title_kinds k
             WHERE k.code = t.params->>CASE t.kind WHEN 'title_ratio' THEN 'numerator_title'
                                                   ELSE 'title' END) AS k1,
           (SELECT k.rank FROM title_kinds k
             WHERE k.code = t.params->>'denominator_title') AS k2,
           CASE WHEN t.params->>'condition' = 'informed' THEN
             ARRAY(SELECT DISTINCT jsonb_array_elements_text(t.params->'document_ids')::bigint)
           END AS docs
      FROM plans p JOIN plan_targets t ON t.organization_id = p.organization_id
                                      AND t.plan_id = p.id
     WHERE p.organization_id = p_org AND p.id IN (SELECT unnest(p_plans)) AND progress_kept(t)),
  s AS MATERIALIZED (
    SELECT s, s.id, s.unit_id, daterange(s.start_date, s.left_on) AS svc,
           staff_away(s.organization_id, s.id, s.leave_from, s.leave_until, s.leave_kind,
                      'infinity') AS away FROM staff s
     WHERE s.organization_id = p_org AND s.id IN (SELECT unnest(p_staff))),
  -- informed: for each "informed" target and person, the day by which
  -- every document had reached the person inside the period (each
  -- document's first day, the latest of them).  The people's records are
  -- read through the index by person (LATERAL ... OFFSET 0: whatever the
  -- planner guesses about the arrays it is given), then joined with their
  -- sessions, then with the targets, each step materialised: left to
  -- itself the planner probes every session for every person, or rescans
  -- every record for every session (most of a whole recount).
  att AS MATERIALIZED (
    SELECT a.staff_id, a.session_id, a.status, a.informed_on
      FROM s CROSS JOIN LATERAL (
             SELECT a.* FROM session_attendance a
              WHERE a.organization_id = p_org AND a.staff_id = s.id
                AND a.status IN ('attended', 'informed_later') OFFSET 0) a
     WHERE EXISTS (SELECT 1 FROM t WHERE t.cond = 'informed')),
  seen AS MATERIALIZED (
    SELECT a.staff_id, CASE a.status WHEN 'attended' THEN x.held_on ELSE a.informed_on END AS on_day,
           x.document_ids
      FROM att a JOIN sessions x ON x.id = a.session_id),
  inf AS MATERIALIZED (
    SELECT f.tid, f.staff_id,
           CASE WHEN count(*) = min(f.ndocs) THEN max(f.first_on) END AS on_day
      FROM (SELECT t.id AS tid, v.staff_id, min(cardinality(t.docs)) AS ndocs,
                   min(v.on_day) AS first_on
              FROM t JOIN seen v ON v.document_ids && t.docs
                                AND v.on_day BETWEEN t.ps AND t.pe
              CROSS JOIN LATERAL unnest(v.document_ids) AS doc
             WHERE t.cond = 'informed' AND doc = ANY (t.docs)
             GROUP BY t.id, v.staff_id, doc) f
     GROUP BY f.tid, f.staff_id),
  -- Each person's other facts are read through the indexes by person
  -- (LATERAL, one person at a time): linear in the people recounted.
  -- Materialised, so that progress_clip below takes plain columns and is
  -- inlined: given these expressions it would be called as a function, 8
  -- calls a row (half the time of a whole recount).
  raw AS MATERIALIZED (
    SELECT t.id AS target_id, s.id AS staff_id, s.unit_id, t.ps, t.pe, c.*
      FROM t CROSS JOIN s
      LEFT JOIN staff_evaluations e ON e.organization_id = p_org AND e.staff_id = s.id
                                   AND e.year = t.year
      LEFT JOIN inf ON inf.tid = t.id AND inf.staff_id = s.id
      -- titles: the first day the person held an individual title of the
      -- year ranked k1 (k2) or higher
      CROSS JOIN LATERAL (
        SELECT min(st.decision_date) FILTER (WHERE k.rank >= t.k1) AS r1,
               min(st.decision_date) FILTER (WHERE k.rank >= t.k2) AS r2
          FROM staff_titles st JOIN title_kinds k ON k.code = st.title_code
         WHERE (t.cond = 'title' OR t.kind = 'title_ratio') AND st.organization_id = p_org
           AND st.staff_id = s.id AND st.year = t.year AND k.level = 'individual'
           AND st.revoked_on IS NULL) tt
      -- not disciplined: the first day a discipline decision of the
      -- period is known
      CROSS JOIN LATERAL (
        SELECT min(dd.decided_on) AS first_on FROM staff_disciplines dd
         WHERE t.cond = 'not_disciplined' AND dd.organization_id = p_org
           AND dd.staff_id = s.id AND dd.decided_on BETWEEN t.ps AND t.pe) dc
      -- the highest title registered for in a version of the plan
      CROSS JOIN LATERAL (
        SELECT max(k.rank) AS reg
          FROM registration_entries en
          JOIN registrations g ON g.id = en.registration_id
                              AND g.status IN ('submitted', 'accepted')
          JOIN plans gp ON gp.id = g.plan_id AND gp.series_id = t.series_id
          JOIN title_kinds k ON k.code = en.title_code
         WHERE (t.cond = 'title' OR t.kind = 'title_ratio') AND en.organization_id = p_org
           AND en.staff_id = s.id) rg
      CROSS JOIN LATERAL (SELECT
        -- the rated population: working at least half of the period
        worked_days(s.away, greatest((s.s).start_date, t.ps), t.pe) * 2
          >= t.pe - t.ps + 1 AS rated,
        s.svc * daterange(inf.on_day, NULL) AS informed,
        s.svc * daterange(NULL, e.rated_on) AS until_rated,
        s.svc * daterange(e.rated_on, NULL) AS once_rated,
        s.svc * daterange(tt.r1, NULL) AS has1,
        s.svc * daterange(tt.r2, NULL) AS has2,
        -- from the first day known disciplined: rated so, or decided
        daterange(NULL, least(CASE WHEN e.disciplined THEN e.rated_on END, dc.first_on))
          AS clean) v
      CROSS JOIN LATERAL (SELECT
        CASE WHEN t.cond = 'informed' THEN
               CASE WHEN inf.on_day IS NULL THEN 'empty' ELSE v.informed END
             WHEN t.cond = 'not_disciplined' THEN
               CASE WHEN e.disciplined IS FALSE THEN v.once_rated * v.clean ELSE 'empty' END
             WHEN NOT v.rated THEN 'empty'
             WHEN t.cond = 'task_completed' THEN
               CASE WHEN rating_rank(e.rating) >= 2 THEN v.once_rated ELSE 'empty' END
             ELSE CASE WHEN tt.r1 IS NULL THEN 'empty' ELSE v.has1 END END AS n,
        CASE WHEN t.cond IN ('informed', 'not_disciplined') THEN s.svc
             WHEN NOT v.rated THEN 'empty'
             WHEN t.kind = 'title_ratio' THEN
               CASE WHEN tt.r2 IS NULL THEN 'empty' ELSE v.has2 END
             ELSE s.svc END AS d,
        CASE WHEN t.cond = 'informed' THEN
               CASE WHEN inf.on_day IS NULL THEN 'empty' ELSE v.informed END
             WHEN t.cond = 'not_disciplined' THEN s.svc * v.clean
             WHEN NOT v.rated THEN 'empty'
             -- task_completed projects everyone not already rated "not completed"
             WHEN t.cond = 'task_completed' THEN
               CASE WHEN rating_rank(e.rating) < 2 THEN v.until_rated ELSE s.svc END
             WHEN rg.reg >= t.k1 THEN s.svc
             ELSE CASE WHEN tt.r1 IS NULL THEN 'empty' ELSE v.has1 END END AS pn,
        CASE WHEN t.cond IN ('informed', 'not_disciplined') THEN s.svc
             WHEN NOT v.rated THEN 'empty'
             WHEN t.kind = 'title_ratio' THEN
               CASE WHEN rg.reg >= t.k2 THEN s.svc
                    WHEN tt.r2 IS NULL THEN 'empty' ELSE v.has2 END
             ELSE s.svc END AS pd) c)
  SELECT x.target_id, x.staff_id, x.unit_id, progress_clip(x.n, x.ps, x.pe),
         progress_clip(x.d, x.ps, x.pe), progress_clip(x.pn, x.ps, x.pe),
         progress_clip(x.pd, x.ps, x.pe)
    FROM raw x
   WHERE NOT (isempty(progress_clip(x.n, x.ps, x.pe)) AND isempty(progress_clip(x.d, x.ps, x.pe))
              AND isempty(progress_clip(x.pn, x.ps, x.pe))
              AND isempty(progress_clip(x.pd, x.ps, x.pe)))
$$;

-- The steps of one span: +1 where each range begins, -1 where it ends,
-- for the person's unit and for the whole organisation (unit 0).
CREATE OR REPLACE FUNCTION progress_span_steps(p_unit bigint, p_n daterange, p_d daterange,
                                               p_pn daterange, p_pd daterange)
RETURNS TABLE (unit_id bigint, day date, n integer, d integer, pn integer, pd integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT u.unit_id, v.day, v.n, v.d, v.pn, v.pd
    FROM (VALUES (p_unit), (0)) AS u (unit_id),
         (VALUES (lower(p_n), 1, 0, 0, 0), (upper(p_n), -1, 0, 0, 0),
                 (lower(p_d), 0, 1, 0, 0), (upper(p_d), 0, -1, 0, 0),
                 (lower(p_pn), 0, 0, 1, 0), (upper(p_pn), 0, 0, -1, 0),
                 (lower(p_pd), 0, 0, 0, 1), (upper(p_pd), 0, 0, 0, -1)) AS v (day, n, d, pn, pd)
   WHERE v.day IS NOT NULL
$$;

-- Serialises the upkeep of one organisation's counts by locking its
-- progress revision row (data_revisions.sql), which every change of the
-- data behind progress locks anyway, until it commits: so taking it here
-- adds no lock and no new order of locks.  The recomputation that follows
-- (each statement of a PL/pgSQL function sees what committed before it)
-- then sees every change committed before, and a change committed later
-- recomputes what it touched.  (The extra revision is harmless: a revision
-- is only ever compared for equality.)
CREATE OR REPLACE FUNCTION progress_lock(p_org bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO data_revisions (organization_id, topic, rev) VALUES (p_org, 'progress', 1)
  ON CONFLICT (organization_id, topic) DO UPDATE SET rev = data_revisions.rev + 1
$$;

-- Recomputes the spans of plans p_plans for the staff p_staff (their
-- targets' spans of anyone else stay as they are) and applies the
-- difference to the steps.  The caller holds progress_lock(p_org).  Equal
-- spans (most people are counted from the same days) are turned into steps
-- once, times their number: a whole recount makes a few hundred steps of
-- some ten thousand spans.
CREATE OR REPLACE FUNCTION progress_refresh(p_org bigint, p_plans bigint[], p_staff bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(p_plans), 0) = 0 OR coalesce(cardinality(p_staff), 0) = 0 THEN
    RETURN;
  END IF;
  WITH old AS (
    DELETE FROM progress_spans x USING plan_targets t
     WHERE t.organization_id = p_org AND t.plan_id IN (SELECT unnest(p_plans))
       AND x.target_id = t.id AND x.staff_id IN (SELECT unnest(p_staff))
    RETURNING x.*)
  INSERT INTO progress_steps AS st (organization_id, target_id, unit_id, day, n, d, pn, pd)
  SELECT p_org, o.target_id, e.unit_id, e.day, -sum(e.n * o.k), -sum(e.d * o.k),
         -sum(e.pn * o.k), -sum(e.pd * o.k)
    FROM (SELECT old.target_id, old.unit_id, old.n, old.d, old.pn, old.pd, count(*) AS k
            FROM old GROUP BY 1, 2, 3, 4, 5, 6) o
   CROSS JOIN LATERAL progress_span_steps(o.unit_id, o.n, o.d, o.pn, o.pd) e
   GROUP BY o.target_id, e.unit_id, e.day
  ON CONFLICT (target_id, unit_id, day) DO UPDATE
    SET n = st.n + excluded.n, d = st.d + excluded.d, pn = st.pn + excluded.pn,
        pd = st.pd + excluded.pd;
  WITH new AS (
    INSERT INTO progress_spans (organization_id, target_id, staff_id, unit_id, n, d, pn, pd)
    SELECT p_org, c.* FROM progress_spans_compute(p_org, p_plans, p_staff) c
    RETURNING *)
  INSERT INTO progress_steps AS st (organization_id, target_id, unit_id, day, n, d, pn, pd)
  SELECT p_org, o.target_id, e.unit_id, e.day, sum(e.n * o.k), sum(e.d * o.k),
         sum(e.pn * o.k), sum(e.pd * o.k)
    FROM (SELECT new.target_id, new.unit_id, new.n, new.d, new.pn, new.pd, count(*) AS k
            FROM new GROUP BY 1, 2, 3, 4, 5, 6) o
   CROSS JOIN LATERAL progress_span_steps(o.unit_id, o.n, o.d, o.pn, o.pd) e
   GROUP BY o.target_id, e.unit_id, e.day
  ON CONFLICT (target_id, unit_id, day) DO UPDATE
    SET n = st.n + excluded.n, d = st.d + excluded.d, pn = st.pn + excluded.pn,
        pd = st.pd + excluded.pd;
  -- steps that cancel out are no step at all
  DELETE FROM progress_steps st USING plan_targets t
   WHERE t.organization_id = p_org AND t.plan_id IN (SELECT unnest(p_plans))
     AND st.target_id = t.id AND st.n = 0 AND st.d = 0 AND st.pn = 0 AND st.pd = 0;
END $$;

-- The kept plans of p_org, and every staff id of p_org.
CREATE OR REPLACE FUNCTION progress_plans_of(p_org bigint) RETURNS bigint[]
LANGUAGE sql STABLE
RETURN ARRAY(SELECT m.plan_id FROM progress_plans m WHERE m.organization_id = p_org);

CREATE OR REPLACE FUNCTION progress_staff_of(p_org bigint) RETURNS bigint[]
LANGUAGE sql STABLE
RETURN ARRAY(SELECT s.id FROM staff s WHERE s.organization_id = p_org);

-- Keeps plans p_plans of p_org from now on, counted afresh for everyone.
CREATE OR REPLACE FUNCTION progress_keep(p_org bigint, p_plans bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM progress_lock(p_org);
  INSERT INTO progress_plans (organization_id, plan_id)
  SELECT p_org, x FROM unnest(p_plans) x ON CONFLICT DO NOTHING;
  PERFORM progress_refresh(p_org, p_plans, progress_staff_of(p_org));
END $$;

-- Stops keeping plans p_plans: they are counted from the facts until
-- progress_keep.  A bulk load (bench/seed_progress.sql) loads its facts so,
-- then keeps its plans once, instead of recounting them at every statement.
CREATE OR REPLACE FUNCTION progress_unkeep(p_org bigint, p_plans bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM progress_lock(p_org);
  DELETE FROM progress_plans WHERE organization_id = p_org AND plan_id IN (SELECT unnest(p_plans));
  DELETE FROM progress_spans x USING plan_targets t
   WHERE t.organization_id = p_org AND t.plan_id IN (SELECT unnest(p_plans)) AND x.target_id = t.id;
  DELETE FROM progress_steps x USING plan_targets t
   WHERE t.organization_id = p_org AND t.plan_id IN (SELECT unnest(p_plans)) AND x.target_id = t.id;
END $$;

-- The counts on reference day r of the kept targets of plan p_plan, from
-- their steps: of the whole organisation (p_units = {0}) or of the units
-- p_units.  The caller checks that the plan is kept and that
-- period_start - 1 <= r <= period_end.
CREATE OR REPLACE FUNCTION progress_kept_counts(p_org bigint, p_plan bigint, r date,
                                                p_units bigint[])
RETURNS TABLE (target_id bigint, numerator bigint, denominator bigint,
               projected_numerator bigint, projected_denominator bigint)
LANGUAGE sql STABLE AS $$
  SELECT t.id, coalesce(sum(st.n), 0), coalesce(sum(st.d), 0), coalesce(sum(st.pn), 0),
         coalesce(sum(st.pd), 0)
    FROM plan_targets t
    LEFT JOIN progress_steps st ON st.target_id = t.id AND st.unit_id = ANY (p_units)
                               AND st.day <= r
   WHERE t.organization_id = p_org AND t.plan_id = p_plan AND progress_kept(t)
   GROUP BY t.id
$$;

-- Every target of plan p_plan counted on reference day r (p_unit > 0: that
-- unit's subtree): the kept targets from their steps when r is a day they
-- keep, the others (and every target before the period) from the facts.
CREATE OR REPLACE FUNCTION plan_progress_counts(p_org bigint, p_plan bigint, r date,
                                                p_unit bigint, rec timestamptz)
RETURNS TABLE (target_id bigint, numerator bigint, denominator bigint,
               projected_numerator bigint, projected_denominator bigint, value_centi bigint)
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
  p plans;
  kept boolean;
  units bigint[];
BEGIN
  SELECT * INTO p FROM plans x WHERE x.organization_id = p_org AND x.id = p_plan;
  IF p.id IS NULL THEN
    RETURN;
  END IF;
  -- a closed plan's results at its period's end are frozen (migration
  -- 0013): what was recorded after the close does not move them
  IF p.status = 'closed' AND r >= p.period_end THEN
    RETURN QUERY SELECT x.target_id, x.numerator, x.denominator, x.projected_numerator,
                        x.projected_denominator, x.value_centi
                   FROM plan_results x WHERE x.plan_id = p.id AND x.unit_id = p_unit
                    AND x.frozen_at < rec;
    IF FOUND THEN
      RETURN;
    END IF;
  END IF;
  -- the kept counts are of everything recorded so far
  kept := rec = 'infinity' AND r BETWEEN p.period_start - 1 AND p.period_end
          AND EXISTS (SELECT 1 FROM progress_plans m WHERE m.plan_id = p.id);
  RETURN QUERY
    SELECT t.id, c.numerator, c.denominator, c.projected_numerator, c.projected_denominator,
           c.value_centi
      FROM plan_targets t CROSS JOIN LATERAL plan_target_counts(t, p, r, p_unit, rec) c
     WHERE t.organization_id = p_org AND t.plan_id = p.id AND NOT (kept AND progress_kept(t));
  IF kept THEN
    -- a variable, not a subquery: an argument with a subquery would keep
    -- the planner from inlining progress_kept_counts (planned anew per call)
    units := CASE WHEN p_unit = 0 THEN ARRAY[0::bigint]
                  ELSE ARRAY(SELECT u.id FROM units u WHERE u.organization_id = p_org
                                AND p_unit = ANY (u.path)) END;
    RETURN QUERY SELECT k.*, NULL::bigint FROM progress_kept_counts(p_org, p.id, r, units) k;
  END IF;
END $$;

-- ---- upkeep: one statement-level trigger per table and event ---------------
-- Each names the changed rows "changed" (the new rows of an insert or an
-- update, the old rows of a delete) and, for an update, the rows before it
-- "before"; it gathers the organisations, people and plans touched, takes
-- the organisation's lock, then recomputes.

-- Recomputes, for each organisation among orgs, the spans of the people
-- paired with it (staff[i] with orgs[i]) in its kept plans chosen by
-- `plans`: 'all'; 'year' (of a year among the pairs' keys[i]); 'series'
-- (of a series among them); 'informed' (with an "informed" target).
CREATE OR REPLACE FUNCTION progress_touch(orgs bigint[], staff bigint[], keys bigint[],
                                          plans text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  c record;
  chosen bigint[];
BEGIN
  FOR c IN SELECT x.g AS org, array_agg(DISTINCT x.s) AS staff, array_agg(DISTINCT x.k) AS keys
             FROM unnest(orgs, staff, keys) AS x (g, s, k)
            GROUP BY x.g ORDER BY x.g LOOP
    PERFORM progress_lock(c.org);
    chosen := ARRAY(
      SELECT m.plan_id FROM progress_plans m JOIN plans p ON p.id = m.plan_id
       WHERE m.organization_id = c.org
         AND CASE plans WHEN 'all' THEN true
                        WHEN 'year' THEN p.year IN (SELECT unnest(c.keys))
                        WHEN 'series' THEN p.series_id IN (SELECT unnest(c.keys))
                        WHEN 'informed' THEN EXISTS (
                          SELECT 1 FROM plan_targets t WHERE t.plan_id = p.id
                             AND t.kind = 'staff_share'
                             AND t.params->>'condition' = 'informed') END);
    PERFORM progress_refresh(c.org, chosen, c.staff);
  END LOOP;
END $$;

-- People: every kept plan of their organisation, when a column counted
-- changed.
CREATE OR REPLACE FUNCTION progress_on_staff() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(c.organization_id), array_agg(c.id) INTO orgs, ids
      FROM changed c JOIN before b ON b.id = c.id
     WHERE (c.organization_id, c.unit_id, c.start_date, c.left_on, c.leave_from, c.leave_until,
            c.leave_kind)
           IS DISTINCT FROM
           (b.organization_id, b.unit_id, b.start_date, b.left_on, b.leave_from, b.leave_until,
            b.leave_kind);
  ELSE
    SELECT array_agg(c.organization_id), array_agg(c.id) INTO orgs, ids FROM changed c;
  END IF;
  PERFORM progress_touch(orgs, ids, ids, 'all');
  RETURN NULL;
END $$;

-- Ratings and titles: the kept plans of their year.
CREATE OR REPLACE FUNCTION progress_on_results() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
  years bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x.organization_id), array_agg(x.staff_id), array_agg(x.year)
      INTO orgs, ids, years
      FROM (SELECT c.organization_id, c.staff_id, c.year FROM changed c
            UNION SELECT b.organization_id, b.staff_id, b.year FROM before b) x;
  ELSE
    SELECT array_agg(c.organization_id), array_agg(c.staff_id), array_agg(c.year)
      INTO orgs, ids, years FROM changed c;
  END IF;
  PERFORM progress_touch(orgs, ids, years, 'year');
  RETURN NULL;
END $$;

-- Discipline decisions and spans of leave: every kept plan of the person's
-- organisation (these facts have dates, not a year: the plans whose period
-- they touch are the ones they change, and recounting one person in the
-- others is cheap).
CREATE OR REPLACE FUNCTION progress_on_dated_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x.organization_id), array_agg(x.staff_id) INTO orgs, ids
      FROM (SELECT c.organization_id, c.staff_id FROM changed c
            UNION SELECT b.organization_id, b.staff_id FROM before b) x;
  ELSE
    SELECT array_agg(c.organization_id), array_agg(c.staff_id) INTO orgs, ids FROM changed c;
  END IF;
  PERFORM progress_touch(orgs, ids, ids, 'all');
  RETURN NULL;
END $$;

-- Attendance: the kept plans with an "informed" target.
CREATE OR REPLACE FUNCTION progress_on_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x.organization_id), array_agg(x.staff_id) INTO orgs, ids
      FROM (SELECT c.organization_id, c.staff_id FROM changed c JOIN before b
                ON b.session_id = c.session_id AND b.staff_id = c.staff_id
             WHERE (c.status, c.informed_on) IS DISTINCT FROM (b.status, b.informed_on)
            UNION SELECT b.organization_id, b.staff_id FROM before b
             WHERE NOT EXISTS (SELECT 1 FROM changed c WHERE c.session_id = b.session_id
                                  AND c.staff_id = b.staff_id)
            UNION SELECT c.organization_id, c.staff_id FROM changed c
             WHERE NOT EXISTS (SELECT 1 FROM before b WHERE c.session_id = b.session_id
                                  AND c.staff_id = b.staff_id)) x;
  ELSE
    SELECT array_agg(c.organization_id), array_agg(c.staff_id) INTO orgs, ids FROM changed c;
  END IF;
  PERFORM progress_touch(orgs, ids, ids, 'informed');
  RETURN NULL;
END $$;

-- A session's day or documents: everyone recorded at it, in the kept plans
-- with an "informed" target.  (A new session has no attendance yet, and
-- one with attendance cannot be deleted.)
CREATE OR REPLACE FUNCTION progress_on_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
BEGIN
  SELECT array_agg(a.organization_id), array_agg(a.staff_id) INTO orgs, ids
    FROM changed c JOIN before b ON b.id = c.id
    JOIN session_attendance a ON a.organization_id = c.organization_id AND a.session_id = c.id
   WHERE (c.organization_id, c.held_on, c.document_ids)
         IS DISTINCT FROM (b.organization_id, b.held_on, b.document_ids);
  PERFORM progress_touch(orgs, ids, ids, 'informed');
  RETURN NULL;
END $$;

-- Registration entries: the kept plans of the registration's series.
CREATE OR REPLACE FUNCTION progress_on_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
  series bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(x.organization_id), array_agg(x.staff_id), array_agg(p.series_id)
      INTO orgs, ids, series
      FROM (SELECT c.organization_id, c.registration_id, c.staff_id FROM changed c
            UNION SELECT b.organization_id, b.registration_id, b.staff_id FROM before b) x
      JOIN registrations g ON g.id = x.registration_id JOIN plans p ON p.id = g.plan_id;
  ELSE
    -- after a registration's delete its entries' series is no longer found:
    -- progress_on_registrations recomputes them
    SELECT array_agg(c.organization_id), array_agg(c.staff_id), array_agg(p.series_id)
      INTO orgs, ids, series
      FROM changed c JOIN registrations g ON g.id = c.registration_id
      JOIN plans p ON p.id = g.plan_id;
  END IF;
  PERFORM progress_touch(orgs, ids, series, 'series');
  RETURN NULL;
END $$;

-- A registration's status or plan: its entries, in the kept plans of the
-- series; a deleted registration: everyone in those plans.
CREATE OR REPLACE FUNCTION progress_on_registrations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  orgs bigint[];
  ids bigint[];
  series bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(en.organization_id), array_agg(en.staff_id), array_agg(p.series_id)
      INTO orgs, ids, series
      FROM changed c JOIN before b ON b.id = c.id
      JOIN registration_entries en ON en.registration_id = c.id
      JOIN plans p ON p.id IN (c.plan_id, b.plan_id)
     WHERE (c.status, c.plan_id) IS DISTINCT FROM (b.status, b.plan_id);
  ELSE
    SELECT array_agg(s.organization_id), array_agg(s.id), array_agg(p.series_id)
      INTO orgs, ids, series
      FROM changed c JOIN plans p ON p.id = c.plan_id
      JOIN staff s ON s.organization_id = c.organization_id;
  END IF;
  PERFORM progress_touch(orgs, ids, series, 'series');
  RETURN NULL;
END $$;

-- A new plan is kept from the start; a plan whose period, year or series
-- changes (a draft) is counted afresh.
CREATE OR REPLACE FUNCTION progress_on_plans() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR c IN SELECT organization_id AS org, array_agg(id) AS ids FROM changed
              GROUP BY organization_id ORDER BY 1 LOOP
      PERFORM progress_keep(c.org, c.ids);
    END LOOP;
  ELSE
    FOR c IN SELECT x.organization_id AS org, array_agg(x.id) AS ids
               FROM changed x JOIN before b ON b.id = x.id
              WHERE (x.organization_id, x.year, x.series_id, x.period_start, x.period_end)
                    IS DISTINCT FROM
                    (b.organization_id, b.year, b.series_id, b.period_start, b.period_end)
              GROUP BY x.organization_id ORDER BY 1 LOOP
      PERFORM progress_keep(c.org, c.ids);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

-- New or changed targets: their plans counted afresh.  Deleted ones: their
-- spans and steps go with them.
CREATE OR REPLACE FUNCTION progress_on_targets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    FOR c IN SELECT organization_id AS org, array_agg(id) AS ids FROM changed
              GROUP BY organization_id ORDER BY 1 LOOP
      PERFORM progress_lock(c.org);
      DELETE FROM progress_spans WHERE target_id IN (SELECT unnest(c.ids));
      DELETE FROM progress_steps WHERE target_id IN (SELECT unnest(c.ids));
    END LOOP;
  ELSE
    FOR c IN SELECT x.organization_id AS org, array_agg(DISTINCT x.plan_id) AS ids
               FROM changed x JOIN progress_plans m ON m.plan_id = x.plan_id
              GROUP BY x.organization_id ORDER BY 1 LOOP
      PERFORM progress_keep(c.org, c.ids);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

SELECT statement_triggers(v.tbl, 'progress', v.events, v.fn)
  FROM (VALUES
      ('staff', 'progress_on_staff', 'insert update delete'),
      ('staff_evaluations', 'progress_on_results', 'insert update delete'),
      ('staff_titles', 'progress_on_results', 'insert update delete'),
      ('staff_disciplines', 'progress_on_dated_facts', 'insert update delete'),
      ('staff_leaves', 'progress_on_dated_facts', 'insert update delete'),
      ('session_attendance', 'progress_on_attendance', 'insert update delete'),
      ('sessions', 'progress_on_sessions', 'update'),
      ('registration_entries', 'progress_on_entries', 'insert update delete'),
      ('registrations', 'progress_on_registrations', 'update delete'),
      ('plans', 'progress_on_plans', 'insert update'),
      ('plan_targets', 'progress_on_targets', 'insert update delete')) AS v (tbl, fn, events);

-- Plans written before their counts were kept (migration 0009) are counted
-- now, once; afterwards every plan is kept from its insert.
SELECT progress_keep(p.organization_id, array_agg(p.id))
  FROM plans p WHERE NOT EXISTS (SELECT 1 FROM progress_plans m WHERE m.plan_id = p.id)
 GROUP BY p.organization_id;

-- Plans kept under older counting rules (progress_plans.counted_by,
-- migration 0016) are counted again, once, by these: rules 2, where "not
-- disciplined" needs a record and the spans of leave entered count.  A change of the rules above raises the
-- number here and the column's default in a migration.
SELECT progress_keep(m.organization_id, array_agg(m.plan_id))
  FROM progress_plans m WHERE m.counted_by < 2 GROUP BY m.organization_id;
UPDATE progress_plans SET counted_by = 2 WHERE counted_by < 2;
