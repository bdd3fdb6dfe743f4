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
--    90/2020 as amended by Decree 48/2023); long leave counts as not worked.
--  * Results count when dated on or before r (decision date, rating date,
--    attendance at a session held on or before r, briefing date).
--  * Dissemination counts when it happened inside the period.
--  * p_unit > 0 confines staff counts to that unit's subtree; collective
--    ratings and recognitions are the agency's and are not confined.

-- The yearly rating scale (đánh giá, xếp loại), ordered.
-- Not STRICT, so the planner inlines it instead of calling it per row.
CREATE OR REPLACE FUNCTION rating_rank(r text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE r WHEN 'excellent' THEN 4 WHEN 'good' THEN 3 WHEN 'completed' THEN 2
              WHEN 'not_completed' THEN 1 END;

-- Days of the span [from, to] not covered by the staff member's leave.
CREATE OR REPLACE FUNCTION staff_worked_days(s staff, p_from date, p_to date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(0, (p_to - p_from + 1) - CASE WHEN s.leave_from IS NULL THEN 0 ELSE
  greatest(0, least(coalesce(s.leave_until, p_to), p_to) - greatest(s.leave_from, p_from) + 1)
  END);

-- The staff of the organisation (or of p_unit's subtree) in service on r;
-- evaluated: only those working at least half of the period.
CREATE OR REPLACE FUNCTION plan_population(p_org bigint, p plans, r date, p_unit bigint,
                                           evaluated boolean)
RETURNS TABLE (staff_id bigint) LANGUAGE sql STABLE AS $$
  SELECT s.id FROM staff s
   WHERE s.organization_id = p_org
     AND (p_unit = 0 OR s.unit_id IN (SELECT u.id FROM units u
                                       WHERE u.organization_id = p_org AND p_unit = ANY (u.path)))
     AND s.start_date <= r AND (s.left_on IS NULL OR s.left_on > r)
     AND (NOT evaluated
          OR staff_worked_days(s, greatest(s.start_date, p.period_start), p.period_end) * 2
             >= p.period_end - p.period_start + 1)
$$;

-- Each person's highest individual title of the year decided by r, and the
-- highest one registered for in a version of the plan (registration
-- submitted or accepted).
CREATE OR REPLACE FUNCTION plan_title_ranks(p_org bigint, p plans, r date)
RETURNS TABLE (staff_id bigint, awarded integer, registered integer)
LANGUAGE sql STABLE AS $$
  SELECT x.staff_id, max(x.awarded), max(x.registered) FROM (
    SELECT st.staff_id, k.rank AS awarded, 0 AS registered
      FROM staff_titles st JOIN title_kinds k ON k.code = st.title_code
     WHERE st.organization_id = p_org AND st.year = p.year AND k.level = 'individual'
       AND st.decision_date <= r
    UNION ALL
    SELECT en.staff_id, 0, k.rank
      FROM plans gp
      JOIN registrations g ON g.organization_id = gp.organization_id AND g.plan_id = gp.id
      JOIN registration_entries en ON en.organization_id = g.organization_id
                                  AND en.registration_id = g.id
      JOIN title_kinds k ON k.code = en.title_code
     WHERE gp.organization_id = p_org AND gp.series_id = p.series_id
       AND g.status IN ('submitted', 'accepted')) x
  GROUP BY x.staff_id
$$;

CREATE OR REPLACE FUNCTION plan_target_counts(t plan_targets, p plans, r date, p_unit bigint,
  OUT numerator bigint, OUT denominator bigint, OUT projected_numerator bigint,
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
      FROM plan_population(org, p, r, p_unit, false) pop
      LEFT JOIN (SELECT a.staff_id
                   FROM (SELECT x.id, x.held_on,
                                (SELECT coalesce(sum(1::bigint << (k - 1)), 0)::bigint
                                   FROM generate_subscripts(docs, 1) k
                                  WHERE docs[k] = ANY (x.document_ids)) AS mask
                           FROM sessions x
                          WHERE x.organization_id = org AND x.document_ids && docs
                          OFFSET 0) x -- a fence: each session's bits once, not per row
                   JOIN session_attendance a ON a.organization_id = org AND a.session_id = x.id
                  WHERE (a.status = 'attended' AND x.held_on BETWEEN p.period_start AND r)
                     OR (a.status = 'informed_later'
                         AND a.informed_on BETWEEN p.period_start AND r)
                  GROUP BY a.staff_id
                 HAVING bit_or(x.mask) = (1::bigint << cardinality(docs)) - 1) i
        ON i.staff_id = pop.staff_id;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond IN ('not_disciplined', 'task_completed') THEN
    -- task_completed projects everyone not already rated "not completed"
    SELECT count(*),
           CASE cond WHEN 'not_disciplined' THEN count(*) FILTER (WHERE NOT coalesce(e.disciplined, false))
                ELSE count(*) FILTER (WHERE rating_rank(e.rating) >= 2) END,
           CASE cond WHEN 'not_disciplined' THEN count(*) FILTER (WHERE NOT coalesce(e.disciplined, false))
                ELSE count(*) FILTER (WHERE e.rating IS NULL OR rating_rank(e.rating) >= 2) END
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, cond = 'task_completed') pop
      LEFT JOIN staff_evaluations e ON e.organization_id = org AND e.staff_id = pop.staff_id
                                   AND e.year = p.year AND e.rated_on <= r;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond = 'title' THEN
    SELECT k.rank INTO min_rank FROM title_kinds k WHERE k.code = t.params->>'title';
    SELECT count(*), count(*) FILTER (WHERE tr.awarded >= min_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= min_rank)
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, true) pop
      LEFT JOIN plan_title_ranks(org, p, r) tr ON tr.staff_id = pop.staff_id;
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
      FROM plan_population(org, p, r, p_unit, true) pop
      JOIN plan_title_ranks(org, p, r) tr ON tr.staff_id = pop.staff_id;

  ELSIF t.kind = 'collective_rating' THEN
    SELECT count(*) FILTER (WHERE rating_rank(c.rating)
                                  >= rating_rank(t.params->>'minimum_rating')),
           count(*)
      INTO numerator, denominator
      FROM collective_ratings c
     WHERE c.organization_id = org AND c.year = p.year
       AND c.subject_kind = t.params->>'subject_kind' AND c.rated_on <= r;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'recognition' THEN
    SELECT count(*) INTO numerator
      FROM recognitions g
     WHERE g.organization_id = org AND g.year = p.year AND g.granted_on <= r
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
               AND x.target_code = t.code AND x.reported_on <= r
               AND (p_unit = 0 OR x.unit_id IN (SELECT u.id FROM units u
                                                 WHERE u.organization_id = org
                                                   AND p_unit = ANY (u.path)))
             ORDER BY x.unit_id, x.reported_on DESC, x.id DESC) l;
    denominator := 0;
    projected_numerator := numerator;
    projected_denominator := 0;
  END IF;
END $$;
