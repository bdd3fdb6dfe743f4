-- plan_json.sql — the JSON documents of a plan: whole, with its targets,
-- and the summary that lists show.

CREATE OR REPLACE FUNCTION plan_target_json(t plan_targets) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', t.id, 'position', t.position, 'code', t.code,
  'title', t.title, 'kind', t.kind, 'params', t.params, 'comparison', t.comparison,
  'threshold', t.threshold::text, 'rounding', t.rounding);

CREATE OR REPLACE FUNCTION plan_json(p plans) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'series_id', p.series_id, 'revision', p.revision,
  'supersedes_id', p.supersedes_id, 'year', p.year, 'number', p.number,
  'symbol', p.symbol, 'issued_on', p.issued_on, 'place', p.place, 'title', p.title,
  'purposes', p.purposes, 'general_tasks', p.general_tasks, 'contents', p.contents,
  'duties', p.duties, 'recipients', p.recipients, 'signer_name', p.signer_name,
  'signer_position', p.signer_position, 'cited_document_ids', to_json(p.cited_document_ids),
  'period_start', p.period_start, 'period_end', p.period_end,
  'registration_deadline', p.registration_deadline, 'status', p.status,
  'issued_at', p.issued_at, 'closed_at', p.closed_at,
  'reopened_at', p.reopened_at, 'reopen_reason', p.reopen_reason,
  'targets', (SELECT coalesce(json_agg(plan_target_json(t) ORDER BY t.position), '[]'::json)
                FROM plan_targets t WHERE t.organization_id = p.organization_id
                 AND t.plan_id = p.id),
  'version', p.version, 'created_at', p.created_at, 'updated_at', p.updated_at);

-- In lists: the plan without its long texts and targets.
CREATE OR REPLACE FUNCTION plan_summary_json(p plans) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'series_id', p.series_id, 'revision', p.revision,
  'year', p.year, 'number', p.number, 'symbol', p.symbol, 'issued_on', p.issued_on,
  'title', p.title, 'status', p.status, 'period_start', p.period_start,
  'period_end', p.period_end, 'version', p.version);
