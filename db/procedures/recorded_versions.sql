-- recorded_versions.sql — the earlier versions of the facts changed in
-- place (migration 0018), for progress as it stood on a past day.
--
-- A rating and an attendance record are upserted: on every update the row
-- as it was goes to its *_versions table with the recording interval it
-- was current, [its updated_at, now()).  The upserts set updated_at =
-- now(), so the new row's recording starts where the old one's ends.  A
-- staff record keeps the versions of the dates progress counts from.

CREATE OR REPLACE FUNCTION staff_evaluation_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO staff_evaluation_versions (organization_id, staff_id, year, rating, disciplined,
                                         rated_on, source_document, version, recorded_from,
                                         recorded_to)
  VALUES (OLD.organization_id, OLD.staff_id, OLD.year, OLD.rating, OLD.disciplined,
          OLD.rated_on, OLD.source_document, OLD.version, OLD.updated_at, now());
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER staff_evaluations_keep_version
  AFTER UPDATE ON staff_evaluations FOR EACH ROW
  EXECUTE FUNCTION staff_evaluation_keep_version();

CREATE OR REPLACE FUNCTION session_attendance_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_attendance_versions (organization_id, session_id, staff_id, status,
                                           informed_on, recorded_from, recorded_to)
  VALUES (OLD.organization_id, OLD.session_id, OLD.staff_id, OLD.status, OLD.informed_on,
          OLD.updated_at, now());
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER session_attendance_keep_version
  AFTER UPDATE ON session_attendance FOR EACH ROW
  EXECUTE FUNCTION session_attendance_keep_version();

-- A staff record's dates as they stood go to staff_versions when one of
-- them changes (a change of name or position keeps none).  They had stood
-- since the previous version's end, or since the record was created.
CREATE OR REPLACE FUNCTION staff_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO staff_versions (organization_id, staff_id, unit_id, start_date, left_on,
                              leave_from, leave_until, leave_kind, recorded_from, recorded_to)
  VALUES (OLD.organization_id, OLD.id, OLD.unit_id, OLD.start_date, OLD.left_on,
          OLD.leave_from, OLD.leave_until, OLD.leave_kind,
          coalesce((SELECT max(v.recorded_to) FROM staff_versions v
                     WHERE v.organization_id = OLD.organization_id AND v.staff_id = OLD.id),
                   OLD.created_at), now());
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER staff_keep_version
  AFTER UPDATE ON staff FOR EACH ROW
  WHEN ((OLD.unit_id, OLD.start_date, OLD.left_on, OLD.leave_from, OLD.leave_until,
         OLD.leave_kind) IS DISTINCT FROM
        (NEW.unit_id, NEW.start_date, NEW.left_on, NEW.leave_from, NEW.leave_until,
         NEW.leave_kind))
  EXECUTE FUNCTION staff_keep_version();

-- The ratings of a year as recorded before rec: the current row when it was
-- recorded before rec, else the version current just before it.
CREATE OR REPLACE FUNCTION ratings_recorded(p_org bigint, p_year integer, rec timestamptz)
RETURNS TABLE (staff_id bigint, rating text, disciplined boolean, rated_on date)
LANGUAGE sql STABLE AS $$
  SELECT e.staff_id, e.rating, e.disciplined, e.rated_on FROM staff_evaluations e
   WHERE e.organization_id = p_org AND e.year = p_year AND e.updated_at < rec
  UNION ALL
  SELECT v.staff_id, v.rating, v.disciplined, v.rated_on FROM staff_evaluation_versions v
   WHERE v.organization_id = p_org AND v.year = p_year AND v.recorded_to >= rec
     AND v.recorded_from < rec
$$;

-- Session attendance as recorded before rec, likewise.
CREATE OR REPLACE FUNCTION attendance_recorded(p_org bigint, rec timestamptz)
RETURNS TABLE (session_id bigint, staff_id bigint, status text, informed_on date)
LANGUAGE sql STABLE AS $$
  SELECT a.session_id, a.staff_id, a.status, a.informed_on FROM session_attendance a
   WHERE a.organization_id = p_org AND a.updated_at < rec
  UNION ALL
  SELECT v.session_id, v.staff_id, v.status, v.informed_on FROM session_attendance_versions v
   WHERE v.organization_id = p_org AND v.recorded_to >= rec AND v.recorded_from < rec
$$;
