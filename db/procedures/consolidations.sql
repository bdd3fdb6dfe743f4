-- consolidations.sql — what the consolidated report carries besides the
-- units' figures (migration 0037): the organisation and the plan's targets.

-- The targets of the organisation's issued (or closed) plans whose period
-- meets [p_from, p_to], each counted as it stands on p_on (clipped to the
-- plan's period: after its end, its end), as GET .../progress counts them:
-- numerator, denominator and the value, a percentage rounded half up to
-- two decimals as service/domain/targets.c rounds it (a reported number
-- as reported).  Whether a target holds is the domain's judgement (head
-- counts, rounding, the time elapsed): the reader compares, or asks
-- GET /v1/plans/{id}/progress; it is not judged a second time here.
CREATE OR REPLACE FUNCTION consolidation_targets(p_org bigint, p_from date, p_to date,
                                                 p_on date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'plan_id', p.id, 'plan_title', p.title, 'counted_on', x.r,
           'code', t.code, 'title', t.title, 'kind', t.kind, 'comparison', t.comparison,
           'threshold', t.threshold::text,
           'numerator', c.numerator, 'denominator', c.denominator,
           'value', to_char(coalesce(c.value_centi,
                                     CASE WHEN c.denominator > 0
                                          THEN (c.numerator * 20000 + c.denominator)
                                               / (2 * c.denominator) END) / 100.0,
                            'FM999999990.00'))
         ORDER BY p.id, t.position), '[]'::jsonb)
    FROM plans p
   CROSS JOIN LATERAL (SELECT least(greatest(p_on, p.period_start), p.period_end) AS r) x
   CROSS JOIN LATERAL plan_progress_counts(p_org, p.id, x.r, 0, 'infinity') c
    JOIN plan_targets t ON t.organization_id = p_org AND t.id = c.target_id
   WHERE p.organization_id = p_org AND p.status IN ('issued', 'closed')
     AND p.period_start <= p_to AND p.period_end >= p_from
$$;
