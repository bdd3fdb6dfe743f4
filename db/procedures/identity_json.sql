-- identity_json.sql — the JSON documents of units, staff, accounts and
-- machine clients as the API answers them.

-- The JSON shape of each resource, in one place, so every query that
-- returns a row answers the same document.
CREATE OR REPLACE FUNCTION unit_json(u units) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', u.id, 'parent_id', u.parent_id, 'code', u.code,
  'name', u.name, 'kind', u.kind, 'path', to_json(u.path), 'version', u.version,
  'created_at', u.created_at, 'updated_at', u.updated_at, 'tdkt_body', u.tdkt_body,
  'closed_on', u.closed_on);

CREATE OR REPLACE FUNCTION staff_json(s staff) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', s.id, 'unit_id', s.unit_id, 'full_name', s.full_name,
  'given_name', s.given_name, 'gender', s.gender, 'date_of_birth', s.date_of_birth,
  'position', s.position, 'employment_type', s.employment_type,
  'start_date', s.start_date, 'status', s.status, 'leave_from', s.leave_from,
  'leave_until', s.leave_until, 'leave_kind', s.leave_kind, 'left_on', s.left_on, 'version', s.version,
  'created_at', s.created_at, 'updated_at', s.updated_at, 'code', s.code,
  'recipient_category', s.recipient_category, 'tdkt_since', s.tdkt_since,
  'training_level', s.training_level);

CREATE OR REPLACE FUNCTION user_json(u users) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', u.id, 'username', u.username,
  'display_name', u.display_name, 'staff_id', u.staff_id, 'unit_id', u.unit_id,
  'roles', to_json(u.roles), 'disabled', u.disabled, 'email', u.email, 'version', u.version,
  'created_at', u.created_at, 'updated_at', u.updated_at);

CREATE OR REPLACE FUNCTION client_json(c clients) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', c.id, 'client_id', c.client_id, 'name', c.name,
  'scopes', to_json(c.scopes), 'created_at', c.created_at, 'rotated_at', c.rotated_at,
  'revoked_at', c.revoked_at, 'unit_id', c.unit_id, 'version', c.version);
