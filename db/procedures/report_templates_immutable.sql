-- report_templates_immutable.sql — report templates are versioned: a
-- (code, version) row never changes, so a period keeps the template it was
-- opened with.

CREATE OR REPLACE FUNCTION report_templates_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report templates are versioned, never changed'
    USING ERRCODE = '55000', CONSTRAINT = 'report_templates_immutable';
END $$;

CREATE OR REPLACE TRIGGER report_templates_immutable BEFORE UPDATE OR DELETE ON report_templates
  FOR EACH ROW EXECUTE FUNCTION report_templates_refuse_change();
