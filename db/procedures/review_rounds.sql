-- review_rounds.sql — the JSON of review rounds and nominations
-- (migration 0012), and what the checked list is computed from.

CREATE OR REPLACE FUNCTION review_round_json(r review_rounds) RETURNS jsonb
LANGUAGE sql STABLE
RETURN jsonb_build_object('id', r.id, 'year', r.year, 'kind', r.kind, 'name', r.name,
  'deadline', r.deadline, 'dossier_date', r.dossier_date, 'status', r.status,
  'submitted_at', r.submitted_at, 'rule_set', rule_set_for(r.organization_id, r.dossier_date),
  'nominations', (SELECT count(*) FROM nominations n
                   WHERE n.round_id = r.id AND n.withdrawn_at IS NULL),
  'version', r.version, 'created_at', r.created_at);

CREATE OR REPLACE FUNCTION nomination_json(n nominations) RETURNS jsonb
LANGUAGE sql STABLE
RETURN jsonb_build_object('id', n.id, 'round_id', n.round_id, 'award_code', n.award_code,
  'subject_kind', n.subject_kind, 'staff_id', n.staff_id, 'unit_id', n.unit_id,
  'household_id', n.household_id,
  'name', coalesce((SELECT s.full_name FROM staff s WHERE s.id = n.staff_id),
                   (SELECT u.name FROM units u WHERE u.id = n.unit_id),
                   (SELECT h.name FROM households h WHERE h.id = n.household_id)),
  'achievement', n.achievement, 'nominated_by', n.nominated_by,
  'override', CASE WHEN n.override_at IS NULL THEN NULL
                   ELSE jsonb_build_object('reason', n.override_reason, 'by', n.override_by,
                                           'at', n.override_at) END,
  'withdrawn_at', n.withdrawn_at, 'version', n.version, 'created_at', n.created_at);

-- Whether a caller's scope covers a nomination: the whole organisation, a
-- unit head's subtree (the person's unit, or the unit nominated), or one's
-- own nomination.  A household belongs to no unit: the Office's alone.
CREATE OR REPLACE FUNCTION nomination_visible(n nominations, p_scope text, p_unit bigint,
                                              p_staff bigint) RETURNS boolean
LANGUAGE sql STABLE
RETURN CASE p_scope
  WHEN 'organization' THEN true
  WHEN 'unit' THEN n.subject_kind <> 'household' AND unit_in_subtree(n.organization_id,
                                   coalesce(n.unit_id, (SELECT s.unit_id FROM staff s
                                                         WHERE s.id = n.staff_id)), p_unit)
  WHEN 'self' THEN coalesce(n.staff_id = p_staff, false)
  ELSE false END;

-- The head of a round's checked list: the round, the rule set in force on
-- its dossier date (with its rules) and the catalogue of titles and forms.
-- The nominations are rows (store/rounds.c, round_nominations), the
-- people's facts too (round_people): a round of a thousand is not one
-- JSON document built here and parsed again by the service.
CREATE OR REPLACE FUNCTION review_round_head(p_org bigint, p_round bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- PL/pgSQL: its plan is kept for the session (an SQL function's body is
  -- planned at every call)
  RETURN (SELECT jsonb_build_object(
    'round', review_round_json(r),
    'rule_set', (SELECT rule_set_json(s, true) FROM rule_sets s
                  WHERE s.code = rule_set_for(p_org, r.dossier_date)),
    'titles', (SELECT jsonb_agg(jsonb_build_object('code', k.code, 'level', k.level,
                 'category', k.category, 'name_vi', k.name_vi, 'name_en', k.name_en)
                 ORDER BY k.category DESC, k.code) FROM award_kinds k))
  FROM review_rounds r WHERE r.organization_id = p_org AND r.id = p_round);
END $$;
