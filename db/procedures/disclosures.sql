-- disclosures.sql — public disclosure before awards and the public's
-- feedback on its candidates (migration 0031, issue 13 §1).
--
-- Loaded before council.sql, whose minutes record the feedback: the
-- SQL functions here read tables only; the PL/pgSQL ones call the
-- calendar and the cases, which are resolved when they run.

-- ---- the public's quotas ---------------------------------------------------------

-- Takes one unit of a quota of the public routes for an address key and
-- Vietnam's day (public_case_quota, migration 0030): false when the day's
-- p_per_day are used.  The key's prefix tells the quotas apart
-- ("ip:" for cases, "feedback:" for feedback).
CREATE OR REPLACE FUNCTION public_quota_take(p_key text, p_today date, p_per_day integer)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  took integer;
BEGIN
  INSERT INTO public_case_quota AS q (address_key, day, used)
  VALUES (p_key, p_today, 1)
  ON CONFLICT (address_key) DO UPDATE
    SET used = CASE WHEN q.day = p_today THEN q.used + 1 ELSE 1 END, day = p_today
    WHERE q.day <> p_today OR q.used < p_per_day
  RETURNING q.used INTO took;
  RETURN took IS NOT NULL;
END $$;

-- Spends a proof of work (service/auth/proof.c checked it): false when
-- it was spent already.  Kept until its challenge expires.
CREATE OR REPLACE FUNCTION public_proof_spend(p_digest bytea, p_expires timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF p_digest IS NULL THEN
    RETURN true;
  END IF;
  INSERT INTO public_proofs_spent (digest, expires_at) VALUES (p_digest, p_expires)
  ON CONFLICT (digest) DO NOTHING;
  RETURN FOUND;
END $$;

-- Forgets the proofs whose challenge expired (housekeeping).
CREATE OR REPLACE FUNCTION public_proofs_purge() RETURNS integer
LANGUAGE sql AS $$
  -- ten minutes of grace: the service's clock, which checks the expiry,
  -- may run behind the database's
  WITH gone AS (DELETE FROM public_proofs_spent
                 WHERE expires_at < now() - interval '10 minutes' RETURNING 1)
  SELECT count(*)::integer FROM gone
$$;

-- ---- the law's periods -------------------------------------------------------------

-- The period rule for a level on a day: the organisation's own, else the
-- general one.
CREATE OR REPLACE FUNCTION disclosure_period_for(p_org bigint, p_level text, p_on date)
RETURNS disclosure_periods LANGUAGE sql STABLE AS $$
  SELECT * FROM disclosure_periods r
   WHERE (r.organization_id IS NULL OR r.organization_id = p_org) AND r.level = p_level
     AND r.valid_from <= p_on AND (r.valid_until IS NULL OR r.valid_until >= p_on)
   ORDER BY r.organization_id IS NULL, r.valid_from DESC
   LIMIT 1
$$;

CREATE OR REPLACE FUNCTION disclosure_period_json(r disclosure_periods) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'level', r.level, 'min_days', r.min_days, 'default_days', r.default_days,
    'day_kind', 'working', 'valid_from', r.valid_from, 'valid_until', r.valid_until,
    'source', jsonb_build_object('document', r.source_document, 'article', r.source_article,
                                 'mark', r.mark),
    'note_vi', r.note_vi, 'note_en', r.note_en)
$$;

-- ---- reading ---------------------------------------------------------------------------

-- Where a disclosure stands on a day.
CREATE OR REPLACE FUNCTION disclosure_state(d disclosures, p_on date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN d.status = 'withdrawn' THEN 'withdrawn'
              WHEN p_on < d.opens_on THEN 'upcoming'
              WHEN p_on <= d.closes_on THEN 'open'
              ELSE 'closed' END
$$;

-- One piece of feedback; its author only for those who may read it.
CREATE OR REPLACE FUNCTION disclosure_feedback_json(f disclosure_feedback, p_private boolean)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', f.id, 'position', f.position, 'body', f.body, 'received_on', f.received_on,
    'received_at', f.received_at, 'status', f.status, 'office_note', f.office_note,
    'case_id', f.case_id, 'handled_at', f.handled_at, 'version', f.version,
    'author', CASE WHEN p_private THEN jsonb_build_object('name', f.author_name,
                                                          'contact', f.author_contact) END)
$$;

-- A disclosure as the agency reads it: its candidates, each with the
-- feedback received on it.
CREATE OR REPLACE FUNCTION disclosure_json(d disclosures, p_private boolean, p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', d.id, 'source', d.source, 'session_id', d.session_id, 'proposal_id', d.proposal_id,
    'title', d.title, 'intro', d.intro, 'level', d.level, 'opens_on', d.opens_on,
    'working_days', d.working_days, 'closes_on', d.closes_on,
    'calendar_complete', d.calendar_complete, 'period_rule', d.period_rule,
    'identity', d.identity, 'status', d.status, 'state', disclosure_state(d, p_today),
    'withdraw_reason', d.withdraw_reason,
    'public_path', '/public/v1/' || o.code || '/disclosures/' || d.id,
    'feedback_count', (SELECT count(*) FROM disclosure_feedback f
                        WHERE f.disclosure_id = d.id),
    'items', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'position', i.position, 'nomination_id', i.nomination_id,
                'award_code', i.award_code, 'award_name_vi', k.name_vi,
                'award_name_en', k.name_en, 'subject_kind', i.subject_kind, 'name', i.name,
                'position_title', i.position_title, 'unit', i.unit,
                'achievement', i.achievement,
                'feedback', (SELECT coalesce(jsonb_agg(disclosure_feedback_json(f, p_private)
                                                       ORDER BY f.id), '[]')
                               FROM disclosure_feedback f
                              WHERE f.disclosure_id = d.id AND f.position = i.position))
                ORDER BY i.position), '[]')
                FROM disclosure_items i JOIN award_kinds k ON k.code = i.award_code
               WHERE i.disclosure_id = d.id),
    'created_by', d.created_by, 'created_at', d.created_at, 'updated_at', d.updated_at,
    'version', d.version)
    FROM organizations o WHERE o.id = d.organization_id
$$;

-- A page of the organisation's disclosures, newest first, after the id
-- p_after (0: from the start); without their candidates.
CREATE OR REPLACE FUNCTION disclosures_page(p_org bigint, p_after bigint, p_limit integer,
  p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  WITH page AS (
    SELECT d.* FROM disclosures d
     WHERE d.organization_id = p_org AND (p_after = 0 OR d.id < p_after)
     ORDER BY d.id DESC LIMIT p_limit + 1),
  shown AS (SELECT * FROM page ORDER BY id DESC LIMIT p_limit)
  SELECT jsonb_build_object(
    'items', coalesce((SELECT jsonb_agg(disclosure_json(s, false, p_today) - 'items'
                                        ORDER BY s.id DESC) FROM shown s), '[]'),
    'next_cursor', CASE WHEN (SELECT count(*) FROM page) > p_limit
                        THEN (SELECT min(s.id)::text FROM shown s) END)
$$;

CREATE OR REPLACE FUNCTION disclosure_get(p_org bigint, p_id bigint, p_private boolean,
  p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT disclosure_json(d, p_private, p_today) FROM disclosures d
   WHERE d.organization_id = p_org AND d.id = p_id
$$;

-- A published disclosure as the website shows it: the candidates and
-- what was published of them, the period, and how to send feedback;
-- never the feedback itself.
CREATE OR REPLACE FUNCTION public_disclosure(p_code text, p_id bigint, p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', 'disclosure-' || d.id, 'organization', jsonb_build_object('code', o.code, 'name', o.name),
    'title', d.title, 'intro', d.intro, 'opens_on', d.opens_on, 'closes_on', d.closes_on,
    'working_days', d.working_days, 'state', disclosure_state(d, p_today),
    'identity', d.identity, 'updated', i.updated,
    'feedback_path', '/public/v1/' || o.code || '/disclosures/' || d.id || '/feedback',
    'candidates', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'position', x.position, 'award', k.name_vi, 'category', k.category,
                     'subject_kind', x.subject_kind, 'name', x.name,
                     'position_title', nullif(x.position_title, ''), 'unit', x.unit,
                     'achievement', x.achievement) ORDER BY x.position), '[]')
                     FROM disclosure_items x JOIN award_kinds k ON k.code = x.award_code
                    WHERE x.disclosure_id = d.id))
    FROM organizations o
    JOIN disclosures d ON d.organization_id = o.id AND d.id = p_id AND d.status = 'published'
    JOIN public_items i ON i.organization_id = o.id AND i.id = 'disclosure-' || d.id
   WHERE o.code = p_code
$$;

-- The feedback a session's disclosures received, per candidate: what the
-- council is told and its minutes record (Decree 152 Art. 44.2); never
-- who sent it.  A withdrawn disclosure's feedback stays, marked so: what
-- the public said is not taken back with the list.
CREATE OR REPLACE FUNCTION disclosure_minutes_json(p_session bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'disclosure_id', d.id, 'opens_on', d.opens_on, 'closes_on', d.closes_on,
           'nomination_id', i.nomination_id, 'name', i.name, 'award_code', i.award_code,
           'received_on', f.received_on, 'body', f.body, 'status', f.status,
           'office_note', f.office_note, 'case_id', f.case_id,
           'disclosure_withdrawn', d.status = 'withdrawn')
           ORDER BY d.id, i.position, f.id), '[]')
    FROM disclosures d
    JOIN disclosure_feedback f ON f.disclosure_id = d.id
    JOIN disclosure_items i ON i.disclosure_id = d.id AND i.position = f.position
   WHERE d.session_id = p_session
$$;

-- How many pieces of feedback a nomination received in the disclosures
-- of a session.
CREATE OR REPLACE FUNCTION disclosure_feedback_count(p_session bigint, p_nomination bigint)
RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer
    FROM disclosures d
    JOIN disclosure_items i ON i.disclosure_id = d.id AND i.nomination_id = p_nomination
    JOIN disclosure_feedback f ON f.disclosure_id = d.id AND f.position = i.position
   WHERE d.session_id = p_session
$$;

-- The rule that set a disclosure's minimum, as a citation.
CREATE OR REPLACE FUNCTION disclosure_rule_source(d disclosures) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(' ', d.period_rule->'source'->>'document',
                   nullif(d.period_rule->'source'->>'article', ''))
$$;

-- What holds a session (p_source 'session': it does not open) or a
-- proposal ('proposal': it is not sent) because of its disclosure, as the
-- refusal to answer; NULL when nothing does:
--   disclosure-running     a published disclosure still runs on p_on: the
--                          public has its whole period first (Decree 152
--                          Art. 44.2)
--   disclosure-incomplete  a current candidate is not on the published
--                          list: nobody added since passes unseen
CREATE OR REPLACE FUNCTION disclosure_hold(p_source text, p_id bigint, p_on date)
RETURNS write_result LANGUAGE plpgsql STABLE AS $$
DECLARE
  d disclosures;
  missing text;
BEGIN
  SELECT * INTO d FROM disclosures x
   WHERE x.status = 'published'
     AND CASE p_source WHEN 'session' THEN x.session_id = p_id ELSE x.proposal_id = p_id END
   ORDER BY x.closes_on DESC, x.id DESC
   LIMIT 1;
  IF d.id IS NULL THEN
    RETURN NULL;
  ELSIF d.closes_on >= p_on THEN
    RETURN write_refused('disclosure-running',
                         jsonb_build_object('id', d.id, 'closes_on', d.closes_on,
                                            'source', disclosure_rule_source(d)));
  END IF;
  SELECT c.name INTO missing FROM disclosure_candidates(d.organization_id, p_source, p_id) c
   WHERE NOT EXISTS (SELECT 1 FROM disclosure_items i
                      WHERE i.disclosure_id = d.id AND i.nomination_id = c.nomination_id)
   ORDER BY c.ord
   LIMIT 1;
  IF missing IS NOT NULL THEN
    RETURN write_refused('disclosure-incomplete', jsonb_build_object('name', missing));
  END IF;
  RETURN NULL;
END $$;

-- ---- writing -----------------------------------------------------------------------------

-- The candidates of a source, with what a decision would publish of them:
-- the session's live nominations (before it opens), or the proposal's
-- items.  In the order of a decision's list.
CREATE OR REPLACE FUNCTION disclosure_candidates(p_org bigint, p_source text, p_id bigint)
RETURNS TABLE (ord bigint, nomination_id bigint, award_code text, subject_kind text,
               name text, position_title text, unit text, achievement text, decided_at text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
    WITH noms AS (
      SELECT c.nomination_id AS id FROM council_sessions s
       CROSS JOIN LATERAL council_agenda_candidates(s) c
       WHERE p_source = 'session' AND s.organization_id = p_org AND s.id = p_id
      UNION
      SELECT p.nomination_id FROM proposal_items p
       WHERE p_source = 'proposal' AND p.organization_id = p_org AND p.proposal_id = p_id)
    SELECT row_number() OVER (
             ORDER BY k.category DESC,
                      array_position(ARRAY['staff', 'unit', 'household'], n.subject_kind),
                      k.name_vi COLLATE "vi-VN-x-icu",
                      coalesce(st.full_name, u.name, h.name) COLLATE "vi-VN-x-icu", n.id),
           n.id, n.award_code, n.subject_kind, coalesce(st.full_name, u.name, h.name),
           coalesce(st.position, ''), coalesce(su.name, u.name, h.address, ''),
           n.achievement, k.decided_at
      FROM noms x JOIN nominations n ON n.id = x.id
      JOIN award_kinds k ON k.code = n.award_code
      LEFT JOIN staff st ON st.id = n.staff_id
      LEFT JOIN units su ON su.id = st.unit_id
      LEFT JOIN units u ON u.id = n.unit_id
      LEFT JOIN households h ON h.id = n.household_id;
END $$;

-- Publishes a list (f: source, session_id or proposal_id, title, intro,
-- opens_on, working_days, identity).  The period is counted in working
-- days from opens_on, itself included when worked, and must be at least
-- the law's minimum for the highest level disclosed.  The public news
-- carries it from now on.
CREATE OR REPLACE FUNCTION disclosure_create(p_org bigint, p_atype text, p_aid text,
  p_req text, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  src text := f->>'source';
  src_id bigint := CASE src WHEN 'session' THEN (f->>'session_id')::bigint
                            ELSE (f->>'proposal_id')::bigint END;
  state text;
  lvl text;
  opens date := coalesce((f->>'opens_on')::date, p_today);
  rule disclosure_periods;
  days integer;
  due record;
  d disclosures;
  n integer;
BEGIN
  IF src = 'session' THEN
    SELECT s.status INTO state FROM council_sessions s
     WHERE s.organization_id = p_org AND s.id = src_id FOR UPDATE;
  ELSE
    SELECT p.status INTO state FROM proposals p
     WHERE p.organization_id = p_org AND p.id = src_id FOR UPDATE;
  END IF;
  IF state IS NULL THEN
    RETURN write_invalid('/' || src || '_id', 'disclosure-source-unknown');
  -- a session not yet opened, a proposal not yet sent (the two tables'
  -- first states, which the other never has)
  ELSIF state NOT IN ('convened', 'draft') THEN
    RETURN write_refused('disclosure-source-state',
                         jsonb_build_object('source', src, 'status', state));
  END IF;
  SELECT d2.* INTO d FROM disclosures d2
   WHERE d2.organization_id = p_org AND d2.status = 'published'
     AND CASE src WHEN 'session' THEN d2.session_id = src_id ELSE d2.proposal_id = src_id END;
  IF d.id IS NOT NULL THEN
    RETURN write_refused('disclosure-exists', jsonb_build_object('id', d.id));
  END IF;
  SELECT CASE max(array_position(ARRAY['agency', 'province', 'national'], c.decided_at))
              WHEN 3 THEN 'national' WHEN 2 THEN 'province' WHEN 1 THEN 'agency' END
    INTO lvl FROM disclosure_candidates(p_org, src, src_id) c;
  IF lvl IS NULL THEN
    RETURN write_refused('disclosure-empty');
  END IF;
  -- published now: a period that began before the public could read it
  -- would shorten it (the demo's seed publishes with its own day)
  IF opens < p_today THEN
    RETURN write_invalid('/opens_on', 'disclosure-opens-past',
                         jsonb_build_object('today', p_today));
  END IF;
  rule := disclosure_period_for(p_org, lvl, opens);
  IF rule.level IS NULL THEN
    RETURN write_invalid('/opens_on', 'disclosure-no-rule');
  END IF;
  days := coalesce((f->>'working_days')::integer, rule.default_days);
  IF days < rule.min_days THEN
    RETURN write_invalid('/working_days', 'disclosure-period-short',
                         jsonb_build_object('min', rule.min_days, 'level', lvl,
                                            'source', concat_ws(' ', rule.source_document,
                                                                nullif(rule.source_article, ''))));
  END IF;
  -- the opening day counts when it is worked: the days run from the eve
  SELECT * INTO due FROM working_day_add(opens - 1, days);
  INSERT INTO disclosures (organization_id, source, session_id, proposal_id, title, intro,
                           level, opens_on, working_days, closes_on, calendar_complete,
                           period_rule, identity, created_by)
  VALUES (p_org, src, CASE src WHEN 'session' THEN src_id END,
          CASE src WHEN 'proposal' THEN src_id END, normalize(btrim(f->>'title'), NFC),
          normalize(btrim(coalesce(f->>'intro', '')), NFC), lvl, opens, days, due.due,
          due.complete, disclosure_period_json(rule), coalesce(f->>'identity', 'optional'),
          p_atype || ':' || p_aid)
  RETURNING * INTO d;
  INSERT INTO disclosure_items (organization_id, disclosure_id, position, nomination_id,
                                award_code, subject_kind, name, position_title, unit,
                                achievement)
  SELECT p_org, d.id, c.ord, c.nomination_id, c.award_code, c.subject_kind,
         c.name, c.position_title, c.unit, c.achievement
    FROM disclosure_candidates(p_org, src, src_id) c;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO public_items (organization_id, id, kind, ref_id, title_vi, title_en,
                            summary_vi, summary_en, published)
  VALUES (p_org, 'disclosure-' || d.id, 'disclosure', d.id, d.title, d.title,
          format('Công khai danh sách %s trường hợp đề nghị khen thưởng; nhận ý kiến từ ngày %s '
                 'đến hết ngày %s.', n, to_char(d.opens_on, 'DD/MM/YYYY'),
                 to_char(d.closes_on, 'DD/MM/YYYY')),
          format('%s candidates for awards made public; feedback from %s until the end of %s.',
                 n, to_char(d.opens_on, 'YYYY-MM-DD'), to_char(d.closes_on, 'YYYY-MM-DD')),
          d.opens_on);
  PERFORM audit_append(p_org, p_atype, p_aid, 'disclosure.create', 'disclosure', d.id::text,
                       NULL, disclosure_json(d, false, p_today) - 'items', p_req);
  PERFORM outbox_emit(p_org, 'disclosure.opened',
                      jsonb_build_object('disclosure_id', d.id, 'source', d.source,
                                         'session_id', d.session_id,
                                         'proposal_id', d.proposal_id, 'candidates', n,
                                         'opens_on', d.opens_on, 'closes_on', d.closes_on));
  RETURN write_ok(disclosure_json(d, true, p_today)::text, d.version, d.id);
END $$;

-- Withdraws a published list (f: reason): it leaves the public news, and
-- the source may be disclosed again.  The feedback received stays.
CREATE OR REPLACE FUNCTION disclosure_withdraw(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint, p_version integer, f jsonb, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  old disclosures;
  d disclosures;
  state text;
BEGIN
  SELECT * INTO old FROM disclosures WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF old.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version IS NOT NULL AND p_version <> old.version THEN
    RETURN write_stale(old.version);
  ELSIF old.status <> 'published' THEN
    RETURN write_refused('disclosure-withdrawn', NULL, old.id, old.version);
  END IF;
  -- once the council has opened, or the proposal left, the list and what
  -- the public said of it are part of the record
  state := coalesce((SELECT s.status FROM council_sessions s WHERE s.id = old.session_id),
                    (SELECT p.status FROM proposals p WHERE p.id = old.proposal_id));
  IF state NOT IN ('convened', 'draft') THEN
    RETURN write_refused('disclosure-source-state',
                         jsonb_build_object('source', old.source, 'status', state));
  END IF;
  UPDATE disclosures SET status = 'withdrawn',
         withdraw_reason = normalize(btrim(f->>'reason'), NFC), updated_at = now(),
         version = version + 1
   WHERE id = p_id RETURNING * INTO d;
  DELETE FROM public_items WHERE organization_id = p_org AND id = 'disclosure-' || d.id;
  PERFORM audit_append(p_org, p_atype, p_aid, 'disclosure.withdraw', 'disclosure', d.id::text,
                       disclosure_json(old, false, p_today) - 'items',
                       disclosure_json(d, false, p_today) - 'items', p_req);
  RETURN write_ok(disclosure_json(d, true, p_today)::text, d.version, d.id);
END $$;

-- Feedback from anyone on a candidate of an open list (f: position, body,
-- author_name, author_contact).  Bounded: the service checked the sizes
-- and the proof of work (p_digest, spent here once); one address sends
-- at most p_per_day a day.  The author stays out of the audit trail.
CREATE OR REPLACE FUNCTION disclosure_feedback_post(p_code text, p_id bigint,
  p_address_key text, p_per_day integer, f jsonb, p_digest bytea, p_expires timestamptz,
  p_today date, p_req text)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  d disclosures;
  fb disclosure_feedback;
  name_ text := normalize(btrim(coalesce(f->>'author_name', '')), NFC);
  contact text := normalize(btrim(coalesce(f->>'author_contact', '')), NFC);
BEGIN
  SELECT x.* INTO d FROM disclosures x JOIN organizations o ON o.id = x.organization_id
   WHERE o.code = p_code AND x.id = p_id AND x.status = 'published';
  IF d.id IS NULL THEN
    RETURN write_not_found();
  ELSIF disclosure_state(d, p_today) <> 'open' THEN
    RETURN write_refused('disclosure-not-open',
                         jsonb_build_object('opens_on', d.opens_on, 'closes_on', d.closes_on));
  ELSIF NOT EXISTS (SELECT 1 FROM disclosure_items i
                     WHERE i.disclosure_id = d.id AND i.position = (f->>'position')::integer) THEN
    RETURN write_invalid('/position', 'disclosure-position-unknown');
  ELSIF d.identity = 'required' AND name_ = '' THEN
    RETURN write_invalid('/author_name', 'disclosure-identity-required');
  ELSIF d.identity = 'required' AND contact = '' THEN
    RETURN write_invalid('/author_contact', 'disclosure-identity-required');
  ELSIF NOT public_proof_spend(p_digest, p_expires) THEN
    RETURN write_refused('public-proof-spent');
  ELSIF NOT public_quota_take(p_address_key, p_today, p_per_day) THEN
    RETURN write_refused('public-feedback-quota', jsonb_build_object('limit', p_per_day));
  END IF;
  INSERT INTO disclosure_feedback (organization_id, disclosure_id, position, body, author_name,
                                   author_contact, received_on)
  VALUES (d.organization_id, d.id, (f->>'position')::integer,
          normalize(btrim(f->>'body'), NFC), name_, contact, p_today)
  RETURNING * INTO fb;
  PERFORM audit_append(d.organization_id, 'system', 'public', 'disclosure.feedback',
                       'disclosure_feedback', fb.id::text, NULL,
                       disclosure_feedback_json(fb, false), p_req);
  RETURN write_ok(jsonb_build_object(
    'reference', 'feedback-' || fb.id, 'disclosure', 'disclosure-' || d.id,
    'position', fb.position, 'received_on', fb.received_on, 'closes_on', d.closes_on)::text,
    fb.version, fb.id);
END $$;

-- The Office handles a piece of feedback (f: action, note, and for a case
-- its kind): considered, with what it made of it, or lodged as a case
-- about the candidate (a complaint or denunciation then blocks the
-- candidate's award until it is closed, cases.sql).
CREATE OR REPLACE FUNCTION disclosure_feedback_handle(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint, p_fid bigint, p_version integer, f jsonb, p_user bigint,
  p_head boolean, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  old disclosure_feedback;
  fb disclosure_feedback;
  n nominations;
  lodged write_result;
BEGIN
  SELECT * INTO old FROM disclosure_feedback
   WHERE organization_id = p_org AND disclosure_id = p_id AND id = p_fid FOR UPDATE;
  IF old.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version IS NOT NULL AND p_version <> old.version THEN
    RETURN write_stale(old.version);
  ELSIF old.status <> 'received' THEN
    RETURN write_refused('disclosure-feedback-handled', jsonb_build_object('status', old.status),
                         old.id, old.version);
  END IF;
  IF f->>'action' = 'case' THEN
    SELECT x.* INTO n FROM nominations x JOIN disclosure_items i ON i.nomination_id = x.id
     WHERE i.disclosure_id = p_id AND i.position = old.position;
    IF n.subject_kind = 'household' THEN
      RETURN write_invalid('/action', 'disclosure-feedback-no-case');
    END IF;
    lodged := case_lodge(p_org, p_atype, p_aid, p_req,
                         jsonb_build_object('kind', f->>'kind', 'staff_id', n.staff_id,
                                            'unit_id', n.unit_id, 'nomination_id', n.id,
                                            'summary', old.body, 'lodger_name', old.author_name,
                                            'lodger_contact', old.author_contact,
                                            'received_on', old.received_on),
                         p_user, p_head, p_today);
    IF lodged.outcome <> 'ok' THEN
      RETURN lodged;
    END IF;
  END IF;
  -- a denouncer's name and contact now live with the case, read only by its
  -- handler and the head (Law on Denunciations 2018 Art. 47): not here
  UPDATE disclosure_feedback
     SET status = CASE f->>'action' WHEN 'case' THEN 'case' ELSE 'considered' END,
         author_name = CASE WHEN f->>'kind' = 'denunciation' THEN '' ELSE author_name END,
         author_contact = CASE WHEN f->>'kind' = 'denunciation' THEN '' ELSE author_contact END,
         office_note = normalize(btrim(f->>'note'), NFC), case_id = lodged.id,
         handled_by = p_atype || ':' || p_aid, handled_at = now(), version = version + 1
   WHERE id = old.id RETURNING * INTO fb;
  PERFORM audit_append(p_org, p_atype, p_aid, 'disclosure.feedback_' || (f->>'action'),
                       'disclosure_feedback', fb.id::text, disclosure_feedback_json(old, false),
                       disclosure_feedback_json(fb, false), p_req);
  RETURN write_ok(disclosure_feedback_json(fb, true)::text, fb.version, fb.id);
END $$;
