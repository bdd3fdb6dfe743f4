-- plan_series.sql — a new plan starts its own series (its versions share
-- series_id, the first version's id).

-- A default cannot name the row's own id, so a trigger starts the series
-- (BEFORE INSERT already sees the identity value; NOT NULL is checked after).
CREATE OR REPLACE FUNCTION plans_set_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.series_id IS NULL THEN
    NEW.series_id := NEW.id;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER plans_series BEFORE INSERT ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_set_series();
