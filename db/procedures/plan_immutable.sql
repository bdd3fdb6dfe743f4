-- plan_immutable.sql — an issued plan and its targets never change; an
-- amendment is a new version (plan_workflow.sql, plan_amend).

-- Immutability, in the database as well as in the service: once a plan
-- leaves draft only its status (forward), closing time and version move;
-- and a closed plan goes back to issued only when reopened with a reason
-- (plan_workflow.sql, plan_step 'reopen').
CREATE OR REPLACE FUNCTION plans_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moving text[] := ARRAY['status', 'closed_at', 'updated_at', 'version', 'reopened_at',
                         'reopen_reason'];
  reopened boolean := OLD.status = 'closed' AND NEW.status = 'issued'
                      AND NEW.reopened_at IS DISTINCT FROM OLD.reopened_at
                      AND NEW.reopen_reason IS NOT NULL;
BEGIN
  IF OLD.status <> 'draft' AND (
       (to_jsonb(OLD) - moving) IS DISTINCT FROM (to_jsonb(NEW) - moving)
       OR NEW.status = 'draft'
       OR (OLD.status = 'superseded' AND NEW.status <> OLD.status)
       OR (OLD.status = 'closed' AND NEW.status <> OLD.status AND NOT reopened)
       OR (NEW.reopen_reason IS DISTINCT FROM OLD.reopen_reason AND NOT reopened)) THEN
    RAISE EXCEPTION 'plan % is %; it cannot be changed', OLD.id, OLD.status
      USING ERRCODE = '55000', CONSTRAINT = 'plans_immutable';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER plans_immutable BEFORE UPDATE ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_guard();

CREATE OR REPLACE FUNCTION plans_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'plan % is %; it cannot be deleted', OLD.id, OLD.status
      USING ERRCODE = '55000', CONSTRAINT = 'plans_immutable';
  END IF;
  RETURN OLD;
END $$;

CREATE OR REPLACE TRIGGER plans_no_delete BEFORE DELETE ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_refuse_delete();

CREATE OR REPLACE FUNCTION plan_targets_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  SELECT status INTO st FROM plans
   WHERE id = coalesce(NEW.plan_id, OLD.plan_id);
  IF st IS NOT NULL AND st <> 'draft' THEN
    RAISE EXCEPTION 'the targets of an issued plan cannot change'
      USING ERRCODE = '55000', CONSTRAINT = 'plans_immutable';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;

CREATE OR REPLACE TRIGGER plan_targets_immutable BEFORE INSERT OR UPDATE OR DELETE ON plan_targets
  FOR EACH ROW EXECUTE FUNCTION plan_targets_guard();
