-- 0042_client_units.sql — a machine client that posts reports for some
-- units only (issue 14 §1): the automated reporter of one department may
-- submit for that department and the units under it, and reads only their
-- submissions, as the department's head does.  unit_id: the root of the
-- subtree; NULL, the whole organisation as before.  A client limited to
-- units holds reports:write alone: the reading scopes are the
-- organisation's.

ALTER TABLE clients
  ADD COLUMN unit_id bigint,
  ADD CONSTRAINT clients_unit_fkey FOREIGN KEY (organization_id, unit_id)
    REFERENCES units (organization_id, id),
  ADD CONSTRAINT clients_unit_reports_only CHECK (unit_id IS NULL
                                                  OR scopes = ARRAY['reports:write']);
