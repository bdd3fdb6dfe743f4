-- bonus.sql — the base salary and the coefficients in force on a day, as
-- GET /v1/bonus-rates shows them (migration 0020).  The amounts are the
-- service's arithmetic (service/domain/bonus.c), not SQL's.

-- The base salary in force on p_on as JSON (NULL before the first row).
CREATE OR REPLACE FUNCTION base_salary_json(p_on date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'amount', b.amount, 'valid_from', b.valid_from,
           'valid_until', (SELECT min(n.valid_from) - 1 FROM base_salaries n
                            WHERE n.valid_from > b.valid_from),
           'source', jsonb_build_object('document', b.source_document,
                                        'article', b.source_article,
                                        'clause', b.source_clause, 'mark', b.mark),
           'configurable', b.mark = 'unconfirmed', 'note_vi', b.note_vi, 'note_en', b.note_en)
    FROM base_salaries b WHERE b.valid_from <= p_on
   ORDER BY b.valid_from DESC LIMIT 1
$$;

-- The coefficients of a rule set: its own, and those of the sets it
-- copies (nearest first) that it does not give itself, by (award,
-- subject), each with where it is defined and its legal source.
CREATE OR REPLACE FUNCTION bonus_coefficients_json(p_code text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  WITH ranked AS (
    SELECT DISTINCT ON (b.award_code, b.subject) b.*
      FROM rule_set_chain(p_code) c JOIN bonus_coefficients b ON b.rule_set = c.code
     ORDER BY b.award_code, b.subject, c.depth)
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'award_code', r.award_code, 'category', k.category, 'decided_at', k.decided_at,
           'name_vi', k.name_vi, 'name_en', k.name_en, 'subject', r.subject,
           'hundredths', r.hundredths, 'defined_in', r.rule_set,
           'source', jsonb_build_object('document', r.source_document,
                                        'article', r.source_article,
                                        'clause', r.source_clause, 'mark', r.mark),
           'configurable', r.mark = 'unconfirmed', 'note_vi', r.note_vi, 'note_en', r.note_en)
           ORDER BY k.category DESC, r.hundredths DESC, r.award_code, r.subject), '[]'::jsonb)
    FROM ranked r JOIN award_kinds k ON k.code = r.award_code
$$;

-- What an award decided on p_on is paid: the rule set that governs that
-- day for the organisation (rule_set_for), its coefficients and the base
-- salary of that day.  rule_set is NULL when no set covers the day.
CREATE OR REPLACE FUNCTION bonus_rates_json(p_org bigint, p_on date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
           'on', p_on,
           'rule_set', (SELECT jsonb_build_object('code', s.code, 'status', s.status,
                                                  'name_vi', s.name_vi, 'name_en', s.name_en)
                          FROM rule_sets s WHERE s.code = x.code),
           'base_salary', base_salary_json(p_on),
           'rates', CASE WHEN x.code IS NULL THEN '[]'::jsonb
                         ELSE bonus_coefficients_json(x.code) END)
    FROM (SELECT rule_set_for(p_org, p_on) AS code) x
$$;
