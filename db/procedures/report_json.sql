-- report_json.sql — the JSON documents of report templates, reporting
-- periods and submissions as the API answers them.

CREATE OR REPLACE FUNCTION report_template_json(t report_templates) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', t.id, 'code', t.code, 'version', t.version, 'title', t.title,
  'fields', t.fields, 'created_at', t.created_at);

CREATE OR REPLACE FUNCTION report_period_json(p report_periods) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'template_id', p.template_id,
  'template', (SELECT report_template_json(t) FROM report_templates t
                WHERE t.organization_id = p.organization_id AND t.id = p.template_id),
  'kind', p.kind, 'title', p.title, 'starts_on', p.starts_on, 'ends_on', p.ends_on,
  'due_on', p.due_on, 'status', p.status,
  'unit_ids', (SELECT coalesce(json_agg(u.unit_id ORDER BY u.unit_id), '[]')
                 FROM report_period_units u WHERE u.period_id = p.id),
  'version', p.version, 'created_at', p.created_at);

-- PL/pgSQL, not SQL: with its sub-select the SQL function was never
-- inlined, and called from the submission procedures it was parsed and
-- planned again in every transaction (148 µs a call, measured with
-- track_functions under report_submit); PL/pgSQL keeps the plan for the
-- session.
CREATE OR REPLACE FUNCTION submission_json(s submissions) RETURNS json LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN json_build_object('id', s.id, 'period_id', s.period_id, 'unit_id', s.unit_id,
    'status', s.status, 'answers', s.answers, 'late', s.late, 'return_reason', s.return_reason,
    'submitted_at', s.submitted_at, 'decided_at', s.decided_at, 'created_by', s.created_by,
    'attachments', (SELECT coalesce(json_agg(json_build_object('id', a.id,
                      'filename', a.filename, 'content_type', a.content_type,
                      'size_bytes', a.size_bytes, 'sha256', encode(a.sha256, 'hex'),
                      'created_at', a.created_at) ORDER BY a.id), '[]')
                      FROM submission_attachments a WHERE a.submission_id = s.id),
    'version', s.version, 'created_at', s.created_at, 'updated_at', s.updated_at);
END $$;
