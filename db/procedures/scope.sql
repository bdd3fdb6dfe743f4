-- scope.sql — what a caller's scope lets them see: staff of the whole
-- organisation, of a unit's subtree, or themselves; whether a unit lies in
-- another's subtree (registrations and submissions ask this).

-- Staff visible to a caller: the whole organisation, a unit's subtree, or
-- one's own record (scope: 'organization', 'unit', 'self').
CREATE OR REPLACE FUNCTION staff_visible(s staff, p_org bigint, p_scope text, p_unit bigint,
                                         p_staff bigint) RETURNS boolean LANGUAGE sql STABLE
RETURN s.organization_id = p_org AND CASE p_scope
  WHEN 'organization' THEN true
  WHEN 'unit' THEN EXISTS (SELECT 1 FROM units u WHERE u.organization_id = p_org
                           AND u.id = s.unit_id AND p_unit = ANY (u.path))
  WHEN 'self' THEN s.id = p_staff
  ELSE false END;

CREATE OR REPLACE FUNCTION unit_in_subtree(p_org bigint, p_unit bigint, p_root bigint)
RETURNS boolean
LANGUAGE sql STABLE
RETURN EXISTS (SELECT 1 FROM units u WHERE u.organization_id = p_org AND u.id = p_unit
               AND p_root = ANY (u.path));
