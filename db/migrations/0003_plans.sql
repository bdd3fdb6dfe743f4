-- 0003_plans.sql — the annual emulation plan (kế hoạch thi đua) and what its
-- targets (chỉ tiêu) are measured from: legal documents, dissemination
-- sessions and attendance, movements, registrations, and the year's results
-- (staff evaluations, awarded titles, collective ratings, recognitions,
-- numbers reported by units).
--
-- Every row carries organization_id and every foreign key inside an
-- organisation includes it, as in 0002.  The workflows that produce
-- evaluations and titles come later; their tables are created here so that
-- GET /v1/plans/{id}/progress already computes from them.

-- Catalogue of titles (danh hiệu thi đua); rank orders "X or higher".
CREATE TABLE title_kinds (
  code     text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,60}$'),
  level    text NOT NULL CHECK (level IN ('individual', 'collective')),
  rank     integer NOT NULL,
  name_vi  text NOT NULL,
  name_en  text NOT NULL,
  UNIQUE (level, rank)
);
INSERT INTO title_kinds VALUES
  ('lao_dong_tien_tien', 'individual', 1, 'Lao động tiên tiến', 'Advanced worker'),
  ('chien_si_thi_dua_co_so', 'individual', 2, 'Chiến sĩ thi đua cơ sở',
   'Grassroots emulation fighter'),
  ('chien_si_thi_dua_cap_tinh', 'individual', 3, 'Chiến sĩ thi đua cấp tỉnh',
   'Provincial emulation fighter'),
  ('chien_si_thi_dua_toan_quoc', 'individual', 4, 'Chiến sĩ thi đua toàn quốc',
   'National emulation fighter'),
  ('tap_the_lao_dong_tien_tien', 'collective', 1, 'Tập thể lao động tiên tiến',
   'Advanced-worker collective'),
  ('tap_the_lao_dong_xuat_sac', 'collective', 2, 'Tập thể lao động xuất sắc',
   'Excellent-worker collective'),
  ('co_thi_dua_cap_tinh', 'collective', 3, 'Cờ thi đua của Ủy ban nhân dân tỉnh',
   'Provincial emulation flag'),
  ('co_thi_dua_chinh_phu', 'collective', 4, 'Cờ thi đua của Chính phủ',
   'Government emulation flag');

-- The yearly rating scale (đánh giá, xếp loại), ordered.
-- Not STRICT, so the planner inlines it instead of calling it per row.
CREATE FUNCTION rating_rank(r text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE r WHEN 'excellent' THEN 4 WHEN 'good' THEN 3 WHEN 'completed' THEN 2
              WHEN 'not_completed' THEN 1 END;

-- Legal and Party documents that plans cite and sessions disseminate.
CREATE TABLE documents (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 100),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  issuer      text NOT NULL DEFAULT '' CHECK (length(issuer) <= 300),
  issued_on   date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, code)
);

-- Plans.  An issued plan is never edited: an amendment is a new row of the
-- same series (series_id = the first version's id) with revision + 1 that
-- supersedes the issued one when it is issued in turn.
CREATE TABLE plans (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_id       bigint NOT NULL,
  revision        integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  supersedes_id   bigint,
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  number          text NOT NULL DEFAULT '' CHECK (length(number) <= 20),
  symbol          text NOT NULL CHECK (length(symbol) BETWEEN 1 AND 60),
  issued_on       date,
  place           text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  purposes        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(purposes) = 'array'),
  general_tasks   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(general_tasks) = 'array'),
  contents        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contents) = 'array'),
  duties          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(duties) = 'array'),
  recipients      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(recipients) = 'array'),
  signer_name     text NOT NULL DEFAULT '' CHECK (length(signer_name) <= 200),
  signer_position text NOT NULL DEFAULT '' CHECK (length(signer_position) <= 200),
  cited_document_ids bigint[] NOT NULL DEFAULT '{}',
  period_start    date NOT NULL,
  period_end      date NOT NULL,
  registration_deadline date,
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'issued', 'superseded', 'closed')),
  issued_at       timestamptz,
  closed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, supersedes_id) REFERENCES plans (organization_id, id),
  CONSTRAINT plans_period CHECK (period_end >= period_start),
  CONSTRAINT plans_issued_fields CHECK (status = 'draft'
                                        OR (issued_on IS NOT NULL AND number <> ''))
);
CREATE INDEX plans_by_year ON plans (organization_id, year DESC, id DESC);
CREATE INDEX plans_series ON plans (series_id, revision);
-- one draft amendment at a time, and one issued version per series
CREATE UNIQUE INDEX plans_one_draft ON plans (series_id) WHERE status = 'draft';
CREATE UNIQUE INDEX plans_one_issued ON plans (series_id) WHERE status = 'issued';

-- A default cannot name the row's own id, so a trigger starts the series
-- (BEFORE INSERT already sees the identity value; NOT NULL is checked after).
CREATE FUNCTION plans_set_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.series_id IS NULL THEN
    NEW.series_id := NEW.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plans_series BEFORE INSERT ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_set_series();

-- Immutability, in the database as well as in the service: once a plan
-- leaves draft only its status (forward), closing time and version move.
CREATE FUNCTION plans_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (
       (to_jsonb(OLD) - ARRAY['status', 'closed_at', 'updated_at', 'version'])
       IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['status', 'closed_at', 'updated_at', 'version'])
       OR NEW.status = 'draft'
       OR (OLD.status IN ('superseded', 'closed') AND NEW.status <> OLD.status)) THEN
    RAISE EXCEPTION 'plan % is %; it cannot be changed', OLD.id, OLD.status
      USING ERRCODE = '55000', CONSTRAINT = 'plans_immutable';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plans_immutable BEFORE UPDATE ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_guard();
CREATE FUNCTION plans_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'plan % is %; it cannot be deleted', OLD.id, OLD.status
      USING ERRCODE = '55000', CONSTRAINT = 'plans_immutable';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER plans_no_delete BEFORE DELETE ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_refuse_delete();

-- Targets (chỉ tiêu).  code is stable across the versions of a series
-- ("1", "4a"), so numbers reported against a target survive an amendment.
-- threshold: a percentage for the counted kinds, a value for
-- reported_number; rounding turns a percentage into a head count for
-- at_most / exactly (floor by default, domain.md §2).
CREATE TABLE plan_targets (
  organization_id bigint NOT NULL,
  plan_id     bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  position    integer NOT NULL CHECK (position BETWEEN 1 AND 100),
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,20}$'),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  kind        text NOT NULL CHECK (kind IN ('staff_share', 'title_ratio', 'collective_rating',
                                            'recognition', 'reported_number')),
  params      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
  comparison  text NOT NULL CHECK (comparison IN ('at_least', 'at_most', 'exactly')),
  threshold   numeric(14, 2) NOT NULL CHECK (threshold >= 0),
  rounding    text NOT NULL DEFAULT 'floor' CHECK (rounding IN ('floor', 'nearest', 'ceil')),
  UNIQUE (organization_id, id),
  UNIQUE (plan_id, position),
  UNIQUE (plan_id, code),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id)
    ON DELETE CASCADE
);

CREATE FUNCTION plan_targets_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER plan_targets_immutable BEFORE INSERT OR UPDATE OR DELETE ON plan_targets
  FOR EACH ROW EXECUTE FUNCTION plan_targets_guard();

-- Movements (phong trào thi đua).
CREATE TABLE movements (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id       bigint,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  kind          text NOT NULL CHECK (kind IN ('regular', 'thematic')),
  starts_on     date NOT NULL,
  ends_on       date NOT NULL,
  owner_unit_id bigint,
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, owner_unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT movements_period CHECK (ends_on >= starts_on)
);
CREATE INDEX movements_by_start ON movements (organization_id, starts_on DESC, id DESC);

-- Registrations (đăng ký thi đua): one per unit and plan, with the unit's
-- collective titles and commitments and its staff's individual titles.
CREATE TABLE registrations (
  organization_id   bigint NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id           bigint NOT NULL,
  unit_id           bigint NOT NULL,
  collective_titles text[] NOT NULL DEFAULT '{}',
  commitments       text NOT NULL DEFAULT '' CHECK (length(commitments) <= 20000),
  status            text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
  return_reason     text,
  submitted_at      timestamptz,
  decided_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  UNIQUE (organization_id, plan_id, unit_id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  CONSTRAINT registrations_returned CHECK (status <> 'returned' OR return_reason IS NOT NULL)
);

CREATE TABLE registration_entries (
  organization_id bigint NOT NULL,
  registration_id bigint NOT NULL,
  staff_id        bigint NOT NULL,
  title_code      text NOT NULL REFERENCES title_kinds (code),
  commitment      text NOT NULL DEFAULT '' CHECK (length(commitment) <= 2000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (registration_id, staff_id),
  FOREIGN KEY (organization_id, registration_id) REFERENCES registrations (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX registration_entries_staff ON registration_entries (organization_id, staff_id);

-- The Office reopens the window after the deadline, for one unit or all.
CREATE TABLE registration_reopenings (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id     bigint NOT NULL,
  unit_id     bigint,
  until       date NOT NULL,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);
CREATE INDEX registration_reopenings_plan ON registration_reopenings (plan_id, until);

-- Dissemination and training (tuyên truyền, quán triệt, tập huấn).
CREATE TABLE sessions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id     bigint,
  kind        text NOT NULL CHECK (kind IN ('dissemination', 'training', 'makeup')),
  held_on     date NOT NULL,
  topic       text NOT NULL CHECK (length(topic) BETWEEN 1 AND 1000),
  location    text NOT NULL DEFAULT '' CHECK (length(location) <= 300),
  unit_id     bigint,
  makeup_of   bigint,
  document_ids bigint[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id),
  FOREIGN KEY (organization_id, makeup_of) REFERENCES sessions (organization_id, id)
);
CREATE INDEX sessions_by_date ON sessions (organization_id, held_on DESC, id DESC);
CREATE INDEX sessions_documents ON sessions USING gin (document_ids);

-- Attendance: attended, absent, or informed later (told individually or at
-- a make-up session) on informed_on.
CREATE TABLE session_attendance (
  organization_id bigint NOT NULL,
  session_id  bigint NOT NULL,
  staff_id    bigint NOT NULL,
  status      text NOT NULL CHECK (status IN ('attended', 'absent', 'informed_later')),
  informed_on date,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, staff_id),
  FOREIGN KEY (organization_id, session_id) REFERENCES sessions (organization_id, id),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id),
  CONSTRAINT attendance_informed_on CHECK ((status = 'informed_later') = (informed_on IS NOT NULL))
);
CREATE INDEX session_attendance_staff ON session_attendance (organization_id, staff_id);

-- The year's results.  Their workflows (evaluation, council, decisions)
-- come with later issues; the shapes are fixed here.
CREATE TABLE staff_evaluations (
  organization_id bigint NOT NULL,
  staff_id    bigint NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  rating      text NOT NULL CHECK (rating IN ('excellent', 'good', 'completed', 'not_completed')),
  disciplined boolean NOT NULL DEFAULT false,
  rated_on    date NOT NULL,
  source_document text NOT NULL DEFAULT '' CHECK (length(source_document) <= 300),
  PRIMARY KEY (organization_id, staff_id, year),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);

CREATE TABLE staff_titles (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title_code  text NOT NULL REFERENCES title_kinds (code),
  decision_number text NOT NULL DEFAULT '' CHECK (length(decision_number) <= 60),
  decision_date   date NOT NULL,
  UNIQUE (organization_id, staff_id, year, title_code),
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_titles_year ON staff_titles (organization_id, year);

-- A collective's rating for the year: the agency, a unit, the Party cell
-- (chi bộ) or a mass organisation (công đoàn, đoàn thanh niên, ...).
CREATE TABLE collective_ratings (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('agency', 'unit', 'party_cell',
                                                      'mass_organization')),
  subject_name  text NOT NULL CHECK (length(subject_name) BETWEEN 1 AND 300),
  unit_id       bigint,
  rating        text NOT NULL CHECK (rating IN ('excellent', 'good', 'completed',
                                                'not_completed')),
  rated_on      date NOT NULL,
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 300),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, year, subject_kind, subject_name),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);

-- Recognitions with evidence: công sở văn hóa, an toàn về an ninh, trật tự.
CREATE TABLE recognitions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  kind        text NOT NULL CHECK (kind IN ('cultural_office', 'security_order')),
  granted_on  date NOT NULL,
  issuer      text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 300),
  evidence    text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, year, kind)
);

-- Numbers reported by units against a target (by series and code, so a
-- report survives an amendment of the plan).  The latest per unit counts.
CREATE TABLE target_reports (
  organization_id bigint NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_id   bigint NOT NULL,
  target_code text NOT NULL,
  unit_id     bigint NOT NULL,
  value       numeric(14, 2) NOT NULL,
  reported_on date NOT NULL,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organization_id, unit_id) REFERENCES units (organization_id, id)
);
CREATE INDEX target_reports_latest ON target_reports (organization_id, series_id, target_code,
                                                      unit_id, reported_on DESC, id DESC);

-- ---- Progress ---------------------------------------------------------------
--
-- The counts behind each target, as of reference day r (the caller's "as
-- of" day, at most the period's end).  domain/targets.c turns them into a
-- value and a status; the rules on who is counted are stated here once:
--
--  * In service on r: started on or before r, and not left on or before r.
--    Staff on leave are in service (they must be informed too; a make-up
--    session or an individual briefing records it).
--  * Evaluated population (results of the year: ratings, titles): in
--    service on r and working at least half of the period, counted in days
--    from the later of start date and period start to the period's end,
--    minus the days of recorded leave inside that span.  Staff who worked
--    less than six months of the year are not rated (domain.md §1.4, Decree
--    90/2020 as amended by Decree 48/2023); long leave counts as not worked.
--  * Results count when dated on or before r (decision date, rating date,
--    attendance at a session held on or before r, briefing date).
--  * Dissemination counts when it happened inside the period.
--  * p_unit > 0 confines staff counts to that unit's subtree; collective
--    ratings and recognitions are the agency's and are not confined.

-- Days of the span [from, to] not covered by the staff member's leave.
CREATE FUNCTION staff_worked_days(s staff, p_from date, p_to date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(0, (p_to - p_from + 1) - CASE WHEN s.leave_from IS NULL THEN 0 ELSE
  greatest(0, least(coalesce(s.leave_until, p_to), p_to) - greatest(s.leave_from, p_from) + 1)
  END);

-- The staff of the organisation (or of p_unit's subtree) in service on r;
-- evaluated: only those working at least half of the period.
CREATE FUNCTION plan_population(p_org bigint, p plans, r date, p_unit bigint,
                                evaluated boolean)
RETURNS TABLE (staff_id bigint) LANGUAGE sql STABLE AS $$
  SELECT s.id FROM staff s
   WHERE s.organization_id = p_org
     AND (p_unit = 0 OR s.unit_id IN (SELECT u.id FROM units u
                                       WHERE u.organization_id = p_org AND p_unit = ANY (u.path)))
     AND s.start_date <= r AND (s.left_on IS NULL OR s.left_on > r)
     AND (NOT evaluated
          OR staff_worked_days(s, greatest(s.start_date, p.period_start), p.period_end) * 2
             >= p.period_end - p.period_start + 1)
$$;

-- Each person's highest individual title of the year decided by r, and the
-- highest one registered for in a version of the plan (registration
-- submitted or accepted).
CREATE FUNCTION plan_title_ranks(p_org bigint, p plans, r date)
RETURNS TABLE (staff_id bigint, awarded integer, registered integer)
LANGUAGE sql STABLE AS $$
  SELECT x.staff_id, max(x.awarded), max(x.registered) FROM (
    SELECT st.staff_id, k.rank AS awarded, 0 AS registered
      FROM staff_titles st JOIN title_kinds k ON k.code = st.title_code
     WHERE st.organization_id = p_org AND st.year = p.year AND k.level = 'individual'
       AND st.decision_date <= r
    UNION ALL
    SELECT en.staff_id, 0, k.rank
      FROM plans gp
      JOIN registrations g ON g.organization_id = gp.organization_id AND g.plan_id = gp.id
      JOIN registration_entries en ON en.organization_id = g.organization_id
                                  AND en.registration_id = g.id
      JOIN title_kinds k ON k.code = en.title_code
     WHERE gp.organization_id = p_org AND gp.series_id = p.series_id
       AND g.status IN ('submitted', 'accepted')) x
  GROUP BY x.staff_id
$$;

CREATE FUNCTION plan_target_counts(t plan_targets, p plans, r date, p_unit bigint,
  OUT numerator bigint, OUT denominator bigint, OUT projected_numerator bigint,
  OUT projected_denominator bigint, OUT value_centi bigint)
-- JIT compilation costs ~10 ms, more than these statements run
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
  org bigint := t.organization_id;
  cond text := t.params->>'condition';
  min_rank integer;
  den_rank integer;
  docs bigint[];
BEGIN
  IF t.kind = 'staff_share' AND cond = 'informed' THEN
    docs := ARRAY(SELECT DISTINCT jsonb_array_elements_text(t.params->'document_ids')::bigint);
    -- who was informed of every document, inside the period, by r: each
    -- session covers a bit set of docs, and a person needs all the bits
    SELECT count(*), count(i.staff_id) INTO denominator, numerator
      FROM plan_population(org, p, r, p_unit, false) pop
      LEFT JOIN (SELECT a.staff_id
                   FROM (SELECT x.id, x.held_on,
                                (SELECT coalesce(sum(1::bigint << (k - 1)), 0)::bigint
                                   FROM generate_subscripts(docs, 1) k
                                  WHERE docs[k] = ANY (x.document_ids)) AS mask
                           FROM sessions x
                          WHERE x.organization_id = org AND x.document_ids && docs
                          OFFSET 0) x -- a fence: each session's bits once, not per row
                   JOIN session_attendance a ON a.organization_id = org AND a.session_id = x.id
                  WHERE (a.status = 'attended' AND x.held_on BETWEEN p.period_start AND r)
                     OR (a.status = 'informed_later'
                         AND a.informed_on BETWEEN p.period_start AND r)
                  GROUP BY a.staff_id
                 HAVING bit_or(x.mask) = (1::bigint << cardinality(docs)) - 1) i
        ON i.staff_id = pop.staff_id;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond IN ('not_disciplined', 'task_completed') THEN
    -- task_completed projects everyone not already rated "not completed"
    SELECT count(*),
           CASE cond WHEN 'not_disciplined' THEN count(*) FILTER (WHERE NOT coalesce(e.disciplined, false))
                ELSE count(*) FILTER (WHERE rating_rank(e.rating) >= 2) END,
           CASE cond WHEN 'not_disciplined' THEN count(*) FILTER (WHERE NOT coalesce(e.disciplined, false))
                ELSE count(*) FILTER (WHERE e.rating IS NULL OR rating_rank(e.rating) >= 2) END
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, cond = 'task_completed') pop
      LEFT JOIN staff_evaluations e ON e.organization_id = org AND e.staff_id = pop.staff_id
                                   AND e.year = p.year AND e.rated_on <= r;
    projected_denominator := denominator;

  ELSIF t.kind = 'staff_share' AND cond = 'title' THEN
    SELECT k.rank INTO min_rank FROM title_kinds k WHERE k.code = t.params->>'title';
    SELECT count(*), count(*) FILTER (WHERE tr.awarded >= min_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= min_rank)
      INTO denominator, numerator, projected_numerator
      FROM plan_population(org, p, r, p_unit, true) pop
      LEFT JOIN plan_title_ranks(org, p, r) tr ON tr.staff_id = pop.staff_id;
    projected_denominator := denominator;

  ELSIF t.kind = 'title_ratio' THEN
    SELECT k.rank INTO min_rank FROM title_kinds k WHERE k.code = t.params->>'numerator_title';
    SELECT k.rank INTO den_rank FROM title_kinds k
     WHERE k.code = t.params->>'denominator_title';
    SELECT count(*) FILTER (WHERE tr.awarded >= min_rank),
           count(*) FILTER (WHERE tr.awarded >= den_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= min_rank),
           count(*) FILTER (WHERE greatest(tr.awarded, tr.registered) >= den_rank)
      INTO numerator, denominator, projected_numerator, projected_denominator
      FROM plan_population(org, p, r, p_unit, true) pop
      JOIN plan_title_ranks(org, p, r) tr ON tr.staff_id = pop.staff_id;

  ELSIF t.kind = 'collective_rating' THEN
    SELECT count(*) FILTER (WHERE rating_rank(c.rating)
                                  >= rating_rank(t.params->>'minimum_rating')),
           count(*)
      INTO numerator, denominator
      FROM collective_ratings c
     WHERE c.organization_id = org AND c.year = p.year
       AND c.subject_kind = t.params->>'subject_kind' AND c.rated_on <= r;
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'recognition' THEN
    SELECT count(*) INTO numerator
      FROM recognitions g
     WHERE g.organization_id = org AND g.year = p.year AND g.granted_on <= r
       AND g.kind IN (SELECT jsonb_array_elements_text(t.params->'kinds'));
    denominator := jsonb_array_length(t.params->'kinds');
    projected_numerator := numerator;
    projected_denominator := denominator;

  ELSIF t.kind = 'reported_number' THEN
    -- the latest report of each unit on or before r
    SELECT count(*),
           round(100 * CASE t.params->>'aggregate' WHEN 'min' THEN min(l.value)
                   WHEN 'max' THEN max(l.value) WHEN 'sum' THEN sum(l.value)
                   ELSE avg(l.value) END)::bigint
      INTO numerator, value_centi
      FROM (SELECT DISTINCT ON (x.unit_id) x.value
              FROM target_reports x
             WHERE x.organization_id = org AND x.series_id = p.series_id
               AND x.target_code = t.code AND x.reported_on <= r
               AND (p_unit = 0 OR x.unit_id IN (SELECT u.id FROM units u
                                                 WHERE u.organization_id = org
                                                   AND p_unit = ANY (u.path)))
             ORDER BY x.unit_id, x.reported_on DESC, x.id DESC) l;
    denominator := 0;
    projected_numerator := numerator;
    projected_denominator := 0;
  END IF;
END $$;

-- ---- Documents as the API answers them ------------------------------------

CREATE FUNCTION document_json(d documents) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', d.id, 'code', d.code, 'title', d.title, 'issuer', d.issuer,
  'issued_on', d.issued_on, 'created_at', d.created_at);

CREATE FUNCTION plan_target_json(t plan_targets) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', t.id, 'position', t.position, 'code', t.code,
  'title', t.title, 'kind', t.kind, 'params', t.params, 'comparison', t.comparison,
  'threshold', t.threshold::text, 'rounding', t.rounding);

CREATE FUNCTION plan_json(p plans) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'series_id', p.series_id, 'revision', p.revision,
  'supersedes_id', p.supersedes_id, 'year', p.year, 'number', p.number,
  'symbol', p.symbol, 'issued_on', p.issued_on, 'place', p.place, 'title', p.title,
  'purposes', p.purposes, 'general_tasks', p.general_tasks, 'contents', p.contents,
  'duties', p.duties, 'recipients', p.recipients, 'signer_name', p.signer_name,
  'signer_position', p.signer_position, 'cited_document_ids', to_json(p.cited_document_ids),
  'period_start', p.period_start, 'period_end', p.period_end,
  'registration_deadline', p.registration_deadline, 'status', p.status,
  'issued_at', p.issued_at, 'closed_at', p.closed_at,
  'targets', (SELECT coalesce(json_agg(plan_target_json(t) ORDER BY t.position), '[]'::json)
                FROM plan_targets t WHERE t.organization_id = p.organization_id
                 AND t.plan_id = p.id),
  'version', p.version, 'created_at', p.created_at, 'updated_at', p.updated_at);

-- In lists: the plan without its long texts and targets.
CREATE FUNCTION plan_summary_json(p plans) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', p.id, 'series_id', p.series_id, 'revision', p.revision,
  'year', p.year, 'number', p.number, 'symbol', p.symbol, 'issued_on', p.issued_on,
  'title', p.title, 'status', p.status, 'period_start', p.period_start,
  'period_end', p.period_end, 'version', p.version);

CREATE FUNCTION movement_json(m movements) RETURNS json LANGUAGE sql STABLE
RETURN json_build_object('id', m.id, 'plan_id', m.plan_id, 'name', m.name, 'kind', m.kind,
  'starts_on', m.starts_on, 'ends_on', m.ends_on, 'owner_unit_id', m.owner_unit_id,
  'description', m.description, 'version', m.version, 'created_at', m.created_at);

-- A registration with its entries; p_staff > 0 shows only that person's
-- entry (what a staff member may see of their unit's roster).
CREATE FUNCTION registration_json(g registrations, p_staff bigint) RETURNS json
LANGUAGE sql STABLE
RETURN json_build_object('id', g.id, 'plan_id', g.plan_id, 'unit_id', g.unit_id,
  'collective_titles', to_json(g.collective_titles), 'commitments', g.commitments,
  'status', g.status, 'return_reason', g.return_reason, 'submitted_at', g.submitted_at,
  'decided_at', g.decided_at,
  'entries', (SELECT coalesce(json_agg(json_build_object('staff_id', e.staff_id,
                'full_name', s.full_name, 'title_code', e.title_code,
                'commitment', e.commitment)
                ORDER BY s.given_name COLLATE "vi-VN-x-icu", s.full_name COLLATE "vi-VN-x-icu",
                         s.id), '[]'::json)
                FROM registration_entries e
                JOIN staff s ON s.organization_id = e.organization_id AND s.id = e.staff_id
               WHERE e.organization_id = g.organization_id AND e.registration_id = g.id
                 AND (p_staff = 0 OR e.staff_id = p_staff)),
  'version', g.version, 'created_at', g.created_at, 'updated_at', g.updated_at);

CREATE FUNCTION session_json(x sessions, p_units bigint[], p_staff bigint) RETURNS json
LANGUAGE sql STABLE
RETURN json_build_object('id', x.id, 'plan_id', x.plan_id, 'kind', x.kind,
  'held_on', x.held_on, 'topic', x.topic, 'location', x.location, 'unit_id', x.unit_id,
  'makeup_of', x.makeup_of, 'document_ids', to_json(x.document_ids),
  'attendance', (SELECT coalesce(json_agg(json_build_object('staff_id', a.staff_id,
                   'full_name', s.full_name, 'status', a.status,
                   'informed_on', a.informed_on, 'note', a.note)
                   ORDER BY s.given_name COLLATE "vi-VN-x-icu",
                            s.full_name COLLATE "vi-VN-x-icu", s.id), '[]'::json)
                   FROM session_attendance a
                   JOIN staff s ON s.organization_id = a.organization_id AND s.id = a.staff_id
                  WHERE a.organization_id = x.organization_id AND a.session_id = x.id
                    AND (p_units IS NULL OR s.unit_id = ANY (p_units))
                    AND (p_staff = 0 OR s.id = p_staff)),
  'created_at', x.created_at);

-- May a unit register (or change its registration) on day d?  Before the
-- deadline, or inside a reopening for the unit or for all units.
CREATE FUNCTION registration_open(p plans, p_unit bigint, d date) RETURNS boolean
LANGUAGE sql STABLE
RETURN p.status = 'issued' AND (p.registration_deadline IS NULL OR d <= p.registration_deadline
  OR EXISTS (SELECT 1 FROM registration_reopenings o WHERE o.organization_id = p.organization_id
             AND o.plan_id = p.id AND (o.unit_id IS NULL OR o.unit_id = p_unit)
             AND d <= o.until));

-- ---- Writes -----------------------------------------------------------------
--
-- Each workflow step is one function call (so one statement, one
-- transaction) that checks the state, changes it and appends the audit
-- record.  They answer (outcome, detail, body, current): outcome 'ok' with
-- the new document in body; 'not_found'; 'stale' with the current version;
-- or a problem slug (e.g. 'plan-not-draft') with a detail for the caller.
-- Constraint violations are raised as errors, which the service maps.

-- Fails with 23503 unless every id names a document of the organisation.
CREATE FUNCTION documents_check(p_org bigint, ids bigint[], what text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(ids) i WHERE NOT EXISTS (
               SELECT 1 FROM documents d WHERE d.organization_id = p_org AND d.id = i)) THEN
    RAISE EXCEPTION 'unknown document' USING ERRCODE = '23503', CONSTRAINT = what;
  END IF;
END $$;

CREATE FUNCTION jsonb_ids(j jsonb) RETURNS bigint[] LANGUAGE sql IMMUTABLE
RETURN ARRAY(SELECT jsonb_array_elements_text(coalesce(j, '[]'))::bigint);

-- Replaces the targets of a draft plan with the validated list f.
CREATE FUNCTION plan_targets_replace(p_org bigint, p_plan bigint, f jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t jsonb;
BEGIN
  DELETE FROM plan_targets WHERE organization_id = p_org AND plan_id = p_plan;
  FOR t IN SELECT jsonb_array_elements(f) LOOP
    PERFORM documents_check(p_org, jsonb_ids(t->'params'->'document_ids'),
                            'plan_targets_documents');
  END LOOP;
  INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                            comparison, threshold, rounding)
  SELECT p_org, p_plan, e.n, e.t->>'code', normalize(btrim(e.t->>'title'), NFC), e.t->>'kind',
         coalesce(e.t->'params', '{}'), e.t->>'comparison', (e.t->>'threshold')::numeric,
         coalesce(e.t->>'rounding', 'floor')
    FROM jsonb_array_elements(f) WITH ORDINALITY AS e (t, n);
END $$;

-- Text arrays of a plan document, NFC-normalised.
CREATE FUNCTION jsonb_nfc(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN CASE WHEN j IS NULL THEN NULL ELSE normalize(j::text, NFC)::jsonb END;

CREATE FUNCTION plan_create(p_org bigint, p_atype text, p_aid text, p_req text, f jsonb,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  y integer := (f->>'year')::integer;
BEGIN
  PERFORM documents_check(p_org, jsonb_ids(f->'cited_document_ids'), 'plans_cited_documents');
  INSERT INTO plans (organization_id, year, number, symbol, issued_on, place, title, purposes,
                     general_tasks, contents, duties, recipients, signer_name, signer_position,
                     cited_document_ids, period_start, period_end, registration_deadline)
  VALUES (p_org, y, coalesce(f->>'number', ''), normalize(btrim(f->>'symbol'), NFC),
          (f->>'issued_on')::date, normalize(coalesce(f->>'place', ''), NFC),
          normalize(btrim(f->>'title'), NFC), jsonb_nfc(coalesce(f->'purposes', '[]')),
          jsonb_nfc(coalesce(f->'general_tasks', '[]')), jsonb_nfc(coalesce(f->'contents', '[]')),
          jsonb_nfc(coalesce(f->'duties', '[]')), jsonb_nfc(coalesce(f->'recipients', '[]')),
          normalize(coalesce(f->>'signer_name', ''), NFC),
          normalize(coalesce(f->>'signer_position', ''), NFC),
          jsonb_ids(f->'cited_document_ids'),
          coalesce((f->>'period_start')::date, make_date(y, 1, 1)),
          coalesce((f->>'period_end')::date, make_date(y, 12, 31)),
          (f->>'registration_deadline')::date)
  RETURNING * INTO p;
  PERFORM plan_targets_replace(p_org, p.id, coalesce(f->'targets', '[]'));
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.create', 'plan', p.id::text, NULL,
                       body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- Locks a plan of the organisation; NULL when there is none.
CREATE FUNCTION plan_lock(p_org bigint, p_id bigint) RETURNS plans
LANGUAGE sql AS $$
  SELECT * FROM plans WHERE organization_id = p_org AND id = p_id FOR UPDATE
$$;

CREATE FUNCTION plan_update(p_org bigint, p_atype text, p_aid text, p_req text, p_id bigint,
  p_version integer, f jsonb,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  before text;
BEGIN
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.version <> p_version THEN outcome := 'stale'; current := p.version; RETURN; END IF;
  IF p.status <> 'draft' THEN
    outcome := 'plan-not-draft';
    detail := format('The plan is %s; an issued plan is changed by an amendment '
                     '(POST /v1/plans/%s/amend).', p.status, p.id);
    RETURN;
  END IF;
  before := plan_json(p)::text;
  IF f ? 'cited_document_ids' THEN
    PERFORM documents_check(p_org, jsonb_ids(f->'cited_document_ids'), 'plans_cited_documents');
  END IF;
  UPDATE plans SET
    year = CASE WHEN f ? 'year' THEN (f->>'year')::integer ELSE year END,
    number = CASE WHEN f ? 'number' THEN coalesce(f->>'number', '') ELSE number END,
    symbol = CASE WHEN f ? 'symbol' THEN normalize(btrim(f->>'symbol'), NFC) ELSE symbol END,
    issued_on = CASE WHEN f ? 'issued_on' THEN (f->>'issued_on')::date ELSE issued_on END,
    place = CASE WHEN f ? 'place' THEN normalize(coalesce(f->>'place', ''), NFC) ELSE place END,
    title = CASE WHEN f ? 'title' THEN normalize(btrim(f->>'title'), NFC) ELSE title END,
    purposes = CASE WHEN f ? 'purposes' THEN jsonb_nfc(f->'purposes') ELSE purposes END,
    general_tasks = CASE WHEN f ? 'general_tasks' THEN jsonb_nfc(f->'general_tasks')
                    ELSE general_tasks END,
    contents = CASE WHEN f ? 'contents' THEN jsonb_nfc(f->'contents') ELSE contents END,
    duties = CASE WHEN f ? 'duties' THEN jsonb_nfc(f->'duties') ELSE duties END,
    recipients = CASE WHEN f ? 'recipients' THEN jsonb_nfc(f->'recipients') ELSE recipients END,
    signer_name = CASE WHEN f ? 'signer_name' THEN normalize(coalesce(f->>'signer_name', ''), NFC)
                  ELSE signer_name END,
    signer_position = CASE WHEN f ? 'signer_position'
                      THEN normalize(coalesce(f->>'signer_position', ''), NFC)
                      ELSE signer_position END,
    cited_document_ids = CASE WHEN f ? 'cited_document_ids'
                         THEN jsonb_ids(f->'cited_document_ids') ELSE cited_document_ids END,
    period_start = CASE WHEN f ? 'period_start' THEN (f->>'period_start')::date
                   ELSE period_start END,
    period_end = CASE WHEN f ? 'period_end' THEN (f->>'period_end')::date ELSE period_end END,
    registration_deadline = CASE WHEN f ? 'registration_deadline'
                            THEN (f->>'registration_deadline')::date
                            ELSE registration_deadline END,
    version = version + 1, updated_at = now()
  WHERE id = p.id RETURNING * INTO p;
  IF f ? 'targets' THEN
    PERFORM plan_targets_replace(p_org, p.id, f->'targets');
  END IF;
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.update', 'plan', p.id::text,
                       before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- draft → issued (and the version it amends → superseded); issued → closed.
CREATE FUNCTION plan_step(p_org bigint, p_atype text, p_aid text, p_req text, p_id bigint,
  p_version integer, p_step text, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  before text;
BEGIN
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.version <> p_version THEN outcome := 'stale'; current := p.version; RETURN; END IF;
  before := plan_json(p)::text;
  IF p_step = 'issue' THEN
    IF p.status <> 'draft' THEN
      outcome := 'plan-not-draft';
      detail := format('The plan is already %s.', p.status);
      RETURN;
    END IF;
    IF coalesce(f->>'number', p.number) = '' THEN
      outcome := 'invalid';
      detail := E'/number\ta plan is issued with its number (số): give it here or set it first';
      RETURN;
    END IF;
    -- the version this one amends steps aside first: one issued per series
    UPDATE plans SET status = 'superseded', updated_at = now(), version = version + 1
     WHERE organization_id = p_org AND id = p.supersedes_id AND status = 'issued';
    UPDATE plans SET status = 'issued', number = coalesce(f->>'number', number),
           issued_on = coalesce((f->>'issued_on')::date, issued_on, p_today),
           issued_at = now(), updated_at = now(), version = version + 1
     WHERE id = p.id RETURNING * INTO p;
  ELSE
    IF p.status <> 'issued' THEN
      outcome := 'plan-not-issued';
      detail := format('Only an issued plan can be closed; this one is %s.', p.status);
      RETURN;
    END IF;
    UPDATE plans SET status = 'closed', closed_at = now(), updated_at = now(),
           version = version + 1
     WHERE id = p.id RETURNING * INTO p;
  END IF;
  body := plan_json(p)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.' || p_step, 'plan', p.id::text,
                       before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- An amendment: a new draft of the same series, content and targets copied.
CREATE FUNCTION plan_amend(p_org bigint, p_atype text, p_aid text, p_req text, p_id bigint,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans := plan_lock(p_org, p_id);
  n plans;
BEGIN
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.status <> 'issued' THEN
    outcome := 'plan-not-issued';
    detail := format('Only the issued version of a plan is amended; this one is %s.', p.status);
    RETURN;
  END IF;
  INSERT INTO plans (organization_id, series_id, revision, supersedes_id, year, symbol, place,
                     title, purposes, general_tasks, contents, duties, recipients, signer_name,
                     signer_position, cited_document_ids, period_start, period_end,
                     registration_deadline)
  SELECT organization_id, series_id, (SELECT max(revision) + 1 FROM plans
                                       WHERE series_id = p.series_id),
         id, year, symbol, place, title, purposes, general_tasks, contents, duties,
         recipients, signer_name, signer_position, cited_document_ids, period_start,
         period_end, registration_deadline
    FROM plans WHERE id = p.id
  RETURNING * INTO n;
  INSERT INTO plan_targets (organization_id, plan_id, position, code, title, kind, params,
                            comparison, threshold, rounding)
  SELECT organization_id, n.id, position, code, title, kind, params, comparison, threshold,
         rounding
    FROM plan_targets WHERE plan_id = p.id;
  body := plan_json(n)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'plan.amend', 'plan', n.id::text, NULL,
                       body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- ---- Registrations ------------------------------------------------------------
--
-- Scope arguments: p_unit > 0 confines to that unit's subtree (a unit
-- head); p_staff > 0 to one person (a staff member sees the registration of
-- the unit they belong to, with only their own entry).

CREATE FUNCTION unit_in_subtree(p_org bigint, p_unit bigint, p_root bigint) RETURNS boolean
LANGUAGE sql STABLE
RETURN EXISTS (SELECT 1 FROM units u WHERE u.organization_id = p_org AND u.id = p_unit
               AND p_root = ANY (u.path));

CREATE FUNCTION registration_visible(g registrations, p_unit bigint, p_staff bigint)
RETURNS boolean LANGUAGE sql STABLE
RETURN (p_unit = 0 OR unit_in_subtree(g.organization_id, g.unit_id, p_unit))
   AND (p_staff = 0 OR EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = g.organization_id
                               AND s.id = p_staff
                               AND unit_in_subtree(g.organization_id, s.unit_id, g.unit_id)));

CREATE FUNCTION registration_closed_detail(p plans) RETURNS text LANGUAGE sql STABLE
RETURN format('Registration for this plan closed on %s (Asia/Ho_Chi_Minh); the Office can '
              'reopen it.', to_char(p.registration_deadline, 'YYYY-MM-DD'));

CREATE FUNCTION registration_create(p_org bigint, p_atype text, p_aid text, p_req text,
  p_plan bigint, p_unit bigint, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  g registrations;
  u bigint := (f->>'unit_id')::bigint;
BEGIN
  SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = p_plan FOR SHARE;
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.status <> 'issued' THEN
    outcome := 'plan-not-issued';
    detail := format('Units register against an issued plan; this one is %s.', p.status);
    RETURN;
  END IF;
  IF NOT unit_in_subtree(p_org, u, CASE WHEN p_unit = 0 THEN u ELSE p_unit END) THEN
    outcome := 'invalid';
    detail := E'/unit_id\tno such unit in your scope';
    RETURN;
  END IF;
  IF NOT registration_open(p, u, p_today) THEN
    outcome := 'registration-closed'; detail := registration_closed_detail(p); RETURN;
  END IF;
  INSERT INTO registrations (organization_id, plan_id, unit_id, collective_titles, commitments)
  VALUES (p_org, p.id, u,
          ARRAY(SELECT jsonb_array_elements_text(coalesce(f->'collective_titles', '[]'))),
          normalize(coalesce(f->>'commitments', ''), NFC))
  RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.create', 'registration',
                       g.id::text, NULL, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- Locks a visible registration and its plan; checks version and state.
-- Answers NULL outcome when the step may go on.
CREATE FUNCTION registration_begin(p_org bigint, p_id bigint, p_version integer,
  p_unit bigint, p_staff bigint, p_states text[], p_conflict text, p_today date,
  p_window boolean,
  OUT g registrations, OUT outcome text, OUT detail text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans;
BEGIN
  SELECT * INTO g FROM registrations r WHERE r.organization_id = p_org AND r.id = p_id
     FOR UPDATE;
  IF g.id IS NULL OR NOT registration_visible(g, p_unit, p_staff) THEN
    outcome := 'not_found'; RETURN;
  END IF;
  IF p_version > 0 AND g.version <> p_version THEN
    outcome := 'stale'; current := g.version; RETURN;
  END IF;
  -- p_conflict: 'registration-locked' for changes of content, else
  -- 'registration-state' for a workflow step the status does not allow
  IF NOT g.status = ANY (p_states) THEN
    outcome := p_conflict;
    detail := CASE p_conflict WHEN 'registration-locked'
      THEN format('The registration is %s; its content changes only while it is a draft '
                  'or after the Office returns it.', g.status)
      ELSE format('The registration is %s; this step needs it to be %s.', g.status,
                  array_to_string(p_states, ' or ')) END;
    RETURN;
  END IF;
  IF p_window THEN
    SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = g.plan_id;
    IF NOT registration_open(p, g.unit_id, p_today) THEN
      outcome := 'registration-closed'; detail := registration_closed_detail(p); RETURN;
    END IF;
  END IF;
END $$;

CREATE FUNCTION registration_update(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  before text;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, p_version, p_unit, 0, '{draft,returned}',
                                          'registration-locked', p_today, true);
  g := b.g; outcome := b.outcome; detail := b.detail; current := b.current;
  IF outcome IS NOT NULL THEN RETURN; END IF;
  before := registration_json(g, 0)::text;
  UPDATE registrations SET
    collective_titles = CASE WHEN f ? 'collective_titles'
      THEN ARRAY(SELECT jsonb_array_elements_text(f->'collective_titles'))
      ELSE collective_titles END,
    commitments = CASE WHEN f ? 'commitments' THEN normalize(coalesce(f->>'commitments', ''), NFC)
                  ELSE commitments END,
    version = version + 1, updated_at = now()
  WHERE id = g.id RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.update', 'registration',
                       g.id::text, before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- Sets (f not NULL) or removes (f NULL) one person's entry.
CREATE FUNCTION registration_entry(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_staff_id bigint, p_unit bigint, p_staff bigint, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  s staff;
  before jsonb;
  after jsonb;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, 0, p_unit, p_staff, '{draft,returned}',
                                          'registration-locked', p_today, true);
  g := b.g; outcome := b.outcome; detail := b.detail; current := b.current;
  IF outcome IS NOT NULL THEN RETURN; END IF;
  SELECT * INTO s FROM staff x WHERE x.organization_id = p_org AND x.id = p_staff_id;
  IF s.id IS NULL OR (p_staff > 0 AND s.id <> p_staff)
     OR (p_unit > 0 AND NOT unit_in_subtree(p_org, s.unit_id, p_unit)) THEN
    outcome := 'not_found'; RETURN;
  END IF;
  IF NOT unit_in_subtree(p_org, s.unit_id, g.unit_id) THEN
    outcome := 'invalid';
    detail := E'/path/staff_id\tthe staff member does not belong to the registered unit';
    RETURN;
  END IF;
  SELECT to_jsonb(e) - 'organization_id' INTO before FROM registration_entries e
   WHERE e.registration_id = g.id AND e.staff_id = s.id;
  IF f IS NULL THEN
    IF before IS NULL THEN outcome := 'not_found'; RETURN; END IF;
    DELETE FROM registration_entries WHERE registration_id = g.id AND staff_id = s.id;
  ELSE
    INSERT INTO registration_entries (organization_id, registration_id, staff_id, title_code,
                                      commitment)
    VALUES (p_org, g.id, s.id, f->>'title_code', normalize(coalesce(f->>'commitment', ''), NFC))
    ON CONFLICT (registration_id, staff_id) DO UPDATE
      SET title_code = EXCLUDED.title_code, commitment = EXCLUDED.commitment
    RETURNING to_jsonb(registration_entries) - 'organization_id' INTO after;
  END IF;
  UPDATE registrations SET version = version + 1, updated_at = now() WHERE id = g.id
  RETURNING * INTO g;
  body := registration_json(g, p_staff)::text;
  PERFORM audit_append(p_org, p_atype, p_aid,
                       CASE WHEN f IS NULL THEN 'registration.entry_delete'
                            ELSE 'registration.entry_set' END,
                       'registration', g.id::text, before, after, p_req);
  outcome := 'ok';
END $$;

-- submit (draft|returned → submitted, window open), accept and return
-- (submitted → accepted|returned, the Office's decision: no window).
CREATE FUNCTION registration_step(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_unit bigint, p_step text, p_reason text, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  g registrations;
  b record;
  before text;
BEGIN
  SELECT * INTO b FROM registration_begin(p_org, p_id, p_version, p_unit, 0,
           CASE p_step WHEN 'submit' THEN '{draft,returned}'::text[] ELSE '{submitted}' END,
           'registration-state', p_today, p_step = 'submit');
  g := b.g; outcome := b.outcome; detail := b.detail; current := b.current;
  IF outcome IS NOT NULL THEN RETURN; END IF;
  before := registration_json(g, 0)::text;
  UPDATE registrations SET
    status = CASE p_step WHEN 'submit' THEN 'submitted' WHEN 'accept' THEN 'accepted'
             ELSE 'returned' END,
    return_reason = CASE p_step WHEN 'return' THEN normalize(btrim(p_reason), NFC)
                    WHEN 'accept' THEN NULL ELSE return_reason END,
    submitted_at = CASE p_step WHEN 'submit' THEN now() ELSE submitted_at END,
    decided_at = CASE p_step WHEN 'submit' THEN NULL ELSE now() END,
    version = version + 1, updated_at = now()
  WHERE id = g.id RETURNING * INTO g;
  body := registration_json(g, 0)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.' || p_step, 'registration',
                       g.id::text, before::jsonb, body::jsonb, p_req);
  outcome := 'ok';
END $$;

CREATE FUNCTION registration_reopen(p_org bigint, p_atype text, p_aid text, p_req text,
  p_plan bigint, f jsonb, p_today date,
  OUT outcome text, OUT detail text, OUT body text, OUT current integer)
LANGUAGE plpgsql AS $$
DECLARE
  p plans;
  o registration_reopenings;
BEGIN
  SELECT * INTO p FROM plans WHERE organization_id = p_org AND id = p_plan FOR SHARE;
  IF p.id IS NULL THEN outcome := 'not_found'; RETURN; END IF;
  IF p.status <> 'issued' THEN
    outcome := 'plan-not-issued';
    detail := format('Registration is reopened only for an issued plan; this one is %s.',
                     p.status);
    RETURN;
  END IF;
  IF (f->>'until')::date < p_today THEN
    outcome := 'invalid'; detail := E'/until\tmust not be before today'; RETURN;
  END IF;
  INSERT INTO registration_reopenings (organization_id, plan_id, unit_id, until, reason)
  VALUES (p_org, p.id, (f->>'unit_id')::bigint, (f->>'until')::date,
          normalize(btrim(f->>'reason'), NFC))
  RETURNING * INTO o;
  body := json_build_object('id', o.id, 'plan_id', o.plan_id, 'unit_id', o.unit_id,
                            'until', o.until, 'reason', o.reason,
                            'created_at', o.created_at)::text;
  PERFORM audit_append(p_org, p_atype, p_aid, 'registration.reopen', 'plan', p.id::text,
                       NULL, body::jsonb, p_req);
  outcome := 'ok';
END $$;

-- The roster (danh sách đăng ký thi đua) of submitted and accepted
-- registrations, in the order agencies send it: units in the tree's order,
-- people by Vietnamese name.  NULL when the plan is not found.
CREATE FUNCTION registration_roster(p_org bigint, p_plan bigint, p_unit bigint) RETURNS json
LANGUAGE sql STABLE
RETURN (SELECT json_build_object(
  'plan', json_build_object('id', p.id, 'number', p.number, 'symbol', p.symbol,
                            'title', p.title, 'year', p.year, 'status', p.status),
  'organization', (SELECT json_build_object('name', o.name) FROM organizations o
                    WHERE o.id = p_org),
  'collectives', (SELECT coalesce(json_agg(json_build_object('stt', x.n, 'unit_id', x.unit_id,
                     'unit_name', x.name, 'titles', to_json(x.collective_titles),
                     'title_names', (SELECT coalesce(json_agg(k.name_vi ORDER BY k.rank), '[]')
                                       FROM title_kinds k WHERE k.code = ANY (x.collective_titles)),
                     'commitments', x.commitments, 'status', x.status) ORDER BY x.n), '[]')
                    FROM (SELECT g.*, u.name, row_number() OVER (ORDER BY u.path) AS n
                            FROM registrations g
                            JOIN units u ON u.organization_id = g.organization_id
                                        AND u.id = g.unit_id
                           WHERE g.organization_id = p_org AND g.plan_id = p.id
                             AND g.status IN ('submitted', 'accepted')
                             AND (p_unit = 0 OR p_unit = ANY (u.path))) x),
  'individuals', (SELECT coalesce(json_agg(json_build_object('stt', y.n, 'staff_id', y.staff_id,
                     'full_name', y.full_name, 'position', y.position, 'unit_name', y.unit_name,
                     'title_code', y.title_code, 'title_name', y.name_vi,
                     'commitment', y.commitment, 'status', y.status) ORDER BY y.n), '[]')
                    FROM (SELECT e.staff_id, e.title_code, e.commitment, s.full_name, s.position,
                                 su.name AS unit_name, k.name_vi, g.status,
                                 row_number() OVER (ORDER BY s.given_name COLLATE "vi-VN-x-icu",
                                   s.full_name COLLATE "vi-VN-x-icu", s.id) AS n
                            FROM registrations g
                            JOIN units u ON u.organization_id = g.organization_id
                                        AND u.id = g.unit_id
                            JOIN registration_entries e ON e.organization_id = g.organization_id
                                                       AND e.registration_id = g.id
                            JOIN staff s ON s.organization_id = e.organization_id
                                        AND s.id = e.staff_id
                            JOIN units su ON su.organization_id = s.organization_id
                                         AND su.id = s.unit_id
                            JOIN title_kinds k ON k.code = e.title_code
                           WHERE g.organization_id = p_org AND g.plan_id = p.id
                             AND g.status IN ('submitted', 'accepted')
                             AND (p_unit = 0 OR p_unit = ANY (u.path))) y),
  'totals', (SELECT coalesce(json_object_agg(t.code, t.n), '{}')
               FROM (SELECT c.code, count(*) AS n
                       FROM registrations g
                       JOIN units u ON u.organization_id = g.organization_id AND u.id = g.unit_id
                       CROSS JOIN LATERAL (
                         SELECT unnest(g.collective_titles) AS code
                         UNION ALL
                         SELECT e.title_code FROM registration_entries e
                          WHERE e.organization_id = g.organization_id
                            AND e.registration_id = g.id) c
                      WHERE g.organization_id = p_org AND g.plan_id = p.id
                        AND g.status IN ('submitted', 'accepted')
                        AND (p_unit = 0 OR p_unit = ANY (u.path))
                      GROUP BY c.code) t))
  FROM plans p WHERE p.organization_id = p_org AND p.id = p_plan);
