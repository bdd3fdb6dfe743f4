-- calendar.sql — working days (migration 0025): every clock the service
-- counts in working days counts them here.

-- Whether a day is worked: Monday to Friday, unless calendar_days says
-- otherwise.
CREATE OR REPLACE FUNCTION is_working_day(p_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT c.kind = 'working' FROM calendar_days c WHERE c.day = p_day),
                  extract(isodow FROM p_day) < 6)
$$;

-- The p_days-th working day after p_from (p_from itself not counted), and
-- whether every year it runs through has its holidays entered
-- (calendar_years): if not, that year's weekends alone were skipped.
CREATE OR REPLACE FUNCTION working_day_add(p_from date, p_days integer,
  OUT due date, OUT complete boolean)
LANGUAGE sql STABLE AS $$
  WITH d AS (
    SELECT g::date AS day FROM generate_series(p_from + 1, p_from + p_days * 2 + 30,
                                               interval '1 day') g
     WHERE is_working_day(g::date)
     ORDER BY g LIMIT p_days)
  SELECT max(d.day),
         NOT EXISTS (SELECT 1 FROM generate_series(extract(year FROM p_from)::integer,
                                                   extract(year FROM max(d.day))::integer) y
                      WHERE y NOT IN (SELECT c.year FROM calendar_years c))
    FROM d
$$;

-- A year of the calendar as GET /v1/calendar/{year} shows it.
CREATE OR REPLACE FUNCTION calendar_json(p_year integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'year', p_year,
    'complete', EXISTS (SELECT 1 FROM calendar_years c WHERE c.year = p_year),
    'note_vi', (SELECT c.note_vi FROM calendar_years c WHERE c.year = p_year),
    'note_en', (SELECT c.note_en FROM calendar_years c WHERE c.year = p_year),
    'working_days', (SELECT count(*) FROM generate_series(make_date(p_year, 1, 1),
                                                          make_date(p_year, 12, 31),
                                                          interval '1 day') g
                      WHERE is_working_day(g::date)),
    'exceptions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'day', c.day, 'kind', c.kind, 'name_vi', c.name_vi, 'name_en', c.name_en,
                     'source', jsonb_build_object('document', c.source_document,
                                                  'mark', c.mark)) ORDER BY c.day), '[]')
                     FROM calendar_days c WHERE extract(year FROM c.day) = p_year))
$$;
