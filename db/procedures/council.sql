-- council.sql — the council, its working rules, its sessions and their
-- secret ballot (migration 0023; the protocol: docs/ballot.md).
--
-- The cryptography is the service's (service/auth/ballot.c): these
-- procedures keep the states, the one-token-per-member and
-- one-ballot-per-token rules, and the count.

-- One term of an account on the council at a time.  A trigger, not an
-- exclusion constraint (see province_members.sql).
CREATE OR REPLACE FUNCTION council_members_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- two terms of one account written at once are checked one after the other
  PERFORM 1 FROM users WHERE id = NEW.user_id FOR UPDATE;
  IF EXISTS (SELECT 1 FROM council_members m
              WHERE m.user_id = NEW.user_id AND m.id <> NEW.id
                AND daterange(m.valid_from, m.valid_until, '[]')
                    && daterange(NEW.valid_from, NEW.valid_until, '[]')) THEN
    RAISE EXCEPTION 'account % is already on the council on those days', NEW.user_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'council_members_overlap';
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER council_members_check BEFORE INSERT OR UPDATE ON council_members
  FOR EACH ROW EXECUTE FUNCTION council_members_check();

-- A closed session's record is final: its ballots, counts, attendance
-- and candidates no longer change, and signed minutes never do.  The
-- procedures refuse first with a clear answer; this is the backstop.
CREATE OR REPLACE FUNCTION council_session_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.session_id ELSE NEW.session_id END;
BEGIN
  IF (SELECT status FROM council_sessions WHERE id = sid) IN ('closed', 'signed') THEN
    RAISE EXCEPTION 'council session % is closed', sid
      USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'council_session_closed';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE OR REPLACE TRIGGER council_ballots_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON council_ballots FOR EACH ROW EXECUTE FUNCTION council_session_frozen();
CREATE OR REPLACE TRIGGER council_hands_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON council_hands FOR EACH ROW EXECUTE FUNCTION council_session_frozen();
CREATE OR REPLACE TRIGGER council_attendance_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON council_attendance FOR EACH ROW EXECUTE FUNCTION council_session_frozen();
CREATE OR REPLACE TRIGGER council_candidates_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON council_candidates FOR EACH ROW EXECUTE FUNCTION council_session_frozen();
CREATE OR REPLACE TRIGGER council_tokens_frozen BEFORE INSERT OR UPDATE OR DELETE
  ON council_tokens FOR EACH ROW EXECUTE FUNCTION council_session_frozen();

CREATE OR REPLACE FUNCTION council_minutes_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'the minutes of council session % are signed', OLD.id
      USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'council_minutes_signed';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE OR REPLACE TRIGGER council_minutes_frozen BEFORE UPDATE OR DELETE ON council_sessions
  FOR EACH ROW EXECUTE FUNCTION council_minutes_frozen();

-- ---- members ------------------------------------------------------------------

-- The members on a day (every term covering it).
CREATE OR REPLACE FUNCTION council_members_on(p_org bigint, p_on date)
RETURNS SETOF council_members LANGUAGE sql STABLE AS $$
  SELECT * FROM council_members m
   WHERE m.organization_id = p_org AND m.valid_from <= p_on
     AND (m.valid_until IS NULL OR m.valid_until >= p_on)
$$;

CREATE OR REPLACE FUNCTION council_member_json(m council_members) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', m.id, 'user_id', m.user_id, 'name', u.display_name, 'council_role', m.council_role,
    'valid_from', m.valid_from, 'valid_until', m.valid_until,
    'source_document', m.source_document)
    FROM users u WHERE u.id = m.user_id
$$;

-- The chair first, then vice-chairs, the secretary, the members; by name
-- in Vietnamese order within each.
CREATE OR REPLACE FUNCTION council_members_json(p_org bigint, p_on date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('on', p_on, 'items', coalesce(jsonb_agg(
           council_member_json(m)
           ORDER BY array_position(ARRAY['chair', 'vice_chair', 'secretary', 'member'],
                                   m.council_role),
                    u.display_name COLLATE "vi-VN-x-icu", m.id), '[]'))
    FROM council_members_on(p_org, p_on) m JOIN users u ON u.id = m.user_id
$$;

CREATE OR REPLACE FUNCTION council_member_add(p_org bigint, p_atype text, p_aid text,
  p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  m council_members;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM users WHERE organization_id = p_org
                                       AND id = (f->>'user_id')::bigint) THEN
    RETURN write_invalid('/user_id', 'council-user-unknown');
  END IF;
  INSERT INTO council_members (organization_id, user_id, council_role, valid_from, valid_until,
                               source_document)
  VALUES (p_org, (f->>'user_id')::bigint, f->>'council_role', (f->>'valid_from')::date,
          (f->>'valid_until')::date,
          normalize(btrim(coalesce(f->>'source_document', '')), NFC))
  RETURNING * INTO m;
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_member.create', 'council_member',
                       m.id::text, NULL, council_member_json(m), p_req);
  RETURN write_ok(council_member_json(m)::text, NULL, m.id);
END $$;

-- ---- working rules ------------------------------------------------------------

-- The rule that decides an award under a rule set: the nearest set's own
-- rule for the award, else the nearest set's rule for every award.
CREATE OR REPLACE FUNCTION council_rule_for(p_set text, p_award text) RETURNS council_rules
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM rule_set_chain(p_set) c JOIN council_rules r ON r.rule_set = c.code
   WHERE r.award_code = p_award OR r.award_code IS NULL
   ORDER BY r.award_code IS NULL, c.depth LIMIT 1
$$;

CREATE OR REPLACE FUNCTION council_rule_json(r council_rules) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r.id, 'rule_set', r.rule_set, 'award_code', r.award_code, 'method', r.method,
    'approve', jsonb_build_object('num', r.approve_num, 'den', r.approve_den,
                                  'strict', r.approve_strict, 'of', r.approve_of),
    'quorum', jsonb_build_object('num', r.quorum_num, 'den', r.quorum_den,
                                 'source', r.quorum_source),
    'written_votes', r.written_votes,
    'source', jsonb_build_object('document', r.source_document, 'article', r.source_article,
                                 'mark', r.mark),
    'note_vi', r.note_vi, 'note_en', r.note_en)
$$;

-- The rules of the set in force on a day, one per award that has one and
-- the default, with where each is defined.
CREATE OR REPLACE FUNCTION council_rules_json(p_org bigint, p_on date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  WITH s AS (SELECT rule_set_for(p_org, p_on) AS code),
  awards AS (
    SELECT DISTINCT r.award_code FROM s, rule_set_chain(s.code) c
      JOIN council_rules r ON r.rule_set = c.code)
  SELECT jsonb_build_object('on', p_on, 'rule_set', (SELECT code FROM s),
           'items', coalesce(jsonb_agg(council_rule_json(council_rule_for(s.code, a.award_code))
                                       ORDER BY a.award_code NULLS FIRST), '[]'))
    FROM s, awards a
$$;

-- ---- sessions -----------------------------------------------------------------

-- Shares are compared in integers: n ≥ total × num / den.
CREATE OR REPLACE FUNCTION council_needed(p_total integer, p_num integer, p_den integer,
  p_strict boolean) RETURNS integer
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN p_strict THEN p_total * p_num / p_den + 1
            ELSE (p_total * p_num + p_den - 1) / p_den END;

-- The members of a session with their attendance (absent when unrecorded).
CREATE OR REPLACE FUNCTION council_session_members(s council_sessions)
RETURNS TABLE (member_id bigint, user_id bigint, name text, council_role text, status text)
LANGUAGE sql STABLE AS $$
  SELECT m.id, m.user_id, u.display_name, m.council_role, coalesce(a.status, 'absent')
    FROM council_members_on(s.organization_id, s.held_on) m
    JOIN users u ON u.id = m.user_id
    LEFT JOIN council_attendance a ON a.session_id = s.id AND a.member_id = m.id
$$;

-- The candidates a session would review: the live nominations of its
-- rounds, each with the council rule of its round's rule set.
CREATE OR REPLACE FUNCTION council_agenda_candidates(s council_sessions)
RETURNS TABLE (nomination_id bigint, rule_set text, rule_id bigint)
LANGUAGE sql STABLE AS $$
  SELECT n.id, x.code, (council_rule_for(x.code, n.award_code)).id
    FROM council_agenda a
    JOIN review_rounds r ON r.id = a.round_id
    JOIN nominations n ON n.round_id = r.id AND n.withdrawn_at IS NULL
    CROSS JOIN LATERAL (SELECT rule_set_for(s.organization_id, r.dossier_date) AS code) x
   WHERE a.session_id = s.id
$$;

-- The quorum a session needs: the strictest of its candidates' rules.
CREATE OR REPLACE FUNCTION council_quorum(s council_sessions, p_total integer)
RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(max(council_needed(p_total, r.quorum_num, r.quorum_den, false)), 0)
    FROM council_agenda_candidates(s) c JOIN council_rules r ON r.id = c.rule_id
$$;

-- The count of one candidate: yes, no, and the blank ballots that did not
-- mark it; for a show of hands, the secretary's count.
CREATE OR REPLACE FUNCTION council_count(p_session bigint, p_nomination bigint,
  p_method text, OUT yes integer, OUT no integer, OUT blank integer)
LANGUAGE sql STABLE AS $$
  SELECT count(*) FILTER (WHERE b.votes->>p_nomination::text = 'yes')::integer,
         count(*) FILTER (WHERE b.votes->>p_nomination::text = 'no')::integer,
         count(*) FILTER (WHERE NOT b.votes ? p_nomination::text)::integer
    FROM council_ballots b WHERE b.session_id = p_session
  HAVING p_method = 'secret_ballot'  -- an aggregate has a row even of nothing
  UNION ALL
  SELECT h.yes, h.no, 0 FROM council_hands h
   WHERE p_method = 'show_of_hands' AND h.session_id = p_session
     AND h.nomination_id = p_nomination
  UNION ALL
  SELECT 0, 0, 0 WHERE p_method = 'show_of_hands' AND NOT EXISTS (
    SELECT 1 FROM council_hands h WHERE h.session_id = p_session
                                    AND h.nomination_id = p_nomination)
$$;

-- The tally of a closed session: per candidate, the votes against the
-- threshold of its rule (of all members, or of those who voted), by how
-- many votes a candidate fell short, and the ties between candidates of
-- one title with as many yes votes, where women, and collectives of at
-- least 70 % women, are preferred (Decree 152 Art. 4.6).
CREATE OR REPLACE FUNCTION council_tally_json(s council_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  WITH total AS (SELECT count(*)::integer AS n FROM council_members_on(s.organization_id,
                                                                       s.held_on)),
  c AS (
    SELECT k.nomination_id, n.award_code, n.subject_kind, n.staff_id, n.unit_id,
           n.household_id, coalesce(st.full_name, u.name, h.name) AS subject_name,
           r AS rule, v.yes, v.no, v.blank,
           CASE r.approve_of WHEN 'all_members' THEN (SELECT t.n FROM total t)
                ELSE v.yes + v.no END AS base,
           -- a household: the law's preference names women and collectives
           CASE WHEN n.subject_kind = 'staff' THEN st.gender = 'female'
                WHEN n.subject_kind = 'household' THEN false
                ELSE (SELECT count(*) FILTER (WHERE x.gender = 'female') * 10
                             >= count(*) * 7 AND count(*) > 0
                        FROM staff x WHERE x.unit_id = n.unit_id AND x.status <> 'left') END
             AS women_preferred
      FROM council_candidates k
      JOIN nominations n ON n.id = k.nomination_id
      JOIN council_rules r ON r.id = k.rule_id
      LEFT JOIN staff st ON st.id = n.staff_id
      LEFT JOIN units u ON u.id = n.unit_id
      LEFT JOIN households h ON h.id = n.household_id
      CROSS JOIN LATERAL council_count(s.id, k.nomination_id, r.method) v
     WHERE k.session_id = s.id),
  d AS (
    SELECT c.*, council_needed(c.base, (c.rule).approve_num, (c.rule).approve_den,
                               (c.rule).approve_strict) AS needed
      FROM c)
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'nomination_id', d.nomination_id, 'award_code', d.award_code,
           'award_name_vi', (SELECT k.name_vi FROM award_kinds k WHERE k.code = d.award_code),
           'subject_kind', d.subject_kind, 'staff_id', d.staff_id, 'unit_id', d.unit_id,
           'household_id', d.household_id, 'name', d.subject_name, 'method', (d.rule).method,
           'yes', d.yes, 'no', d.no, 'blank', d.blank, 'base', d.base, 'needed', d.needed,
           'approved', d.yes >= d.needed, 'short_by', greatest(d.needed - d.yes, 0),
           'tied_with', (SELECT coalesce(jsonb_agg(o.nomination_id ORDER BY o.nomination_id),
                                         '[]')
                           FROM d o WHERE o.award_code = d.award_code AND o.yes = d.yes
                                      AND o.nomination_id <> d.nomination_id),
           'women_preferred', coalesce(d.women_preferred, false),
           'rule', council_rule_json(d.rule))
           ORDER BY d.award_code, d.yes DESC, d.subject_name COLLATE "vi-VN-x-icu",
                    d.nomination_id), '[]')
    FROM d
$$;

-- The canonical line of a ballot, what the commitment hashes and what a
-- member or an auditor recomputes (docs/ballot.md):
--   hex(token) SP hex(evaluation) SP id=vote,id=vote... LF
-- with the nominations in ascending order.
CREATE OR REPLACE FUNCTION council_ballot_line(b council_ballots) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(b.token, 'hex') || ' ' || encode(b.evaluation, 'hex') || ' '
         || coalesce((SELECT string_agg(e.key || '=' || e.value, ',' ORDER BY e.key::bigint)
                        FROM jsonb_each_text(b.votes) e), '') || E'\n'
$$;

-- The commitment: SHA-256 over the lines in ascending order of token.
CREATE OR REPLACE FUNCTION council_commitment(p_session bigint) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to(coalesce(string_agg(council_ballot_line(b), '' ORDER BY b.token),
                                    ''), 'UTF8'))
    FROM council_ballots b WHERE b.session_id = p_session
$$;

-- A session as GET /v1/council-sessions/{id} shows it.  The key's secret
-- half and the count appear only once the session is closed.
CREATE OR REPLACE FUNCTION council_session_json(s council_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s.id, 'name', s.name, 'held_on', s.held_on, 'place', s.place, 'status', s.status,
    'ballot_key', encode(s.ballot_key, 'hex'),
    'ballot_secret', CASE WHEN s.status IN ('closed', 'signed')
                          THEN encode(s.ballot_secret, 'hex') END,
    'commitment', encode(s.commitment, 'hex'),
    'round_ids', (SELECT coalesce(jsonb_agg(a.round_id ORDER BY a.round_id), '[]')
                    FROM council_agenda a WHERE a.session_id = s.id),
    'members', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'member_id', m.member_id, 'user_id', m.user_id, 'name', m.name,
                  'council_role', m.council_role, 'attendance', m.status)
                  ORDER BY array_position(ARRAY['chair', 'vice_chair', 'secretary', 'member'],
                                          m.council_role),
                           m.name COLLATE "vi-VN-x-icu", m.member_id), '[]')
                  FROM council_session_members(s) m),
    'tokens_issued', (SELECT count(*) FROM council_tokens t WHERE t.session_id = s.id),
    'ballots_cast', CASE WHEN s.status IN ('closed', 'signed')
                         THEN (SELECT count(*) FROM council_ballots b
                                WHERE b.session_id = s.id) END,
    'candidates', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                     'nomination_id', k.nomination_id, 'award_code', n.award_code,
                     'subject_kind', n.subject_kind, 'staff_id', n.staff_id,
                     'unit_id', n.unit_id, 'household_id', n.household_id,
                     'name', coalesce(st.full_name, u.name, h.name),
                     'method', r.method, 'rule_set', k.rule_set,
                     'public_feedback', disclosure_feedback_count(s.id, k.nomination_id))
                     ORDER BY n.award_code,
                              coalesce(st.full_name, u.name, h.name) COLLATE "vi-VN-x-icu",
                              k.nomination_id), '[]')
                     FROM council_candidates k JOIN nominations n ON n.id = k.nomination_id
                     JOIN council_rules r ON r.id = k.rule_id
                     LEFT JOIN staff st ON st.id = n.staff_id
                     LEFT JOIN units u ON u.id = n.unit_id
                     LEFT JOIN households h ON h.id = n.household_id
                    WHERE k.session_id = s.id),
    'tally', CASE WHEN s.status IN ('closed', 'signed') THEN council_tally_json(s) END,
    'minutes_hash', encode(s.minutes_hash, 'hex'), 'signed_by', s.signed_by,
    'opened_at', s.opened_at, 'voting_at', s.voting_at, 'closed_at', s.closed_at,
    'signed_at', s.signed_at, 'created_by', s.created_by, 'created_at', s.created_at,
    'version', s.version)
$$;

CREATE OR REPLACE FUNCTION council_sessions_json(p_org bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'name', s.name, 'held_on', s.held_on, 'status', s.status,
           'version', s.version) ORDER BY s.held_on DESC, s.id DESC), '[]'))
    FROM council_sessions s WHERE s.organization_id = p_org
$$;

CREATE OR REPLACE FUNCTION council_session_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT council_session_json(s) FROM council_sessions s
   WHERE s.organization_id = p_org AND s.id = p_id
$$;

-- A session's row for a change: locked, of the caller's organisation.
CREATE OR REPLACE FUNCTION council_session_lock(p_org bigint, p_id bigint)
RETURNS council_sessions LANGUAGE sql AS $$
  SELECT * FROM council_sessions WHERE organization_id = p_org AND id = p_id FOR UPDATE
$$;

-- Moves a session on and audits it: the one end of every step.
CREATE OR REPLACE FUNCTION council_session_step(s council_sessions, p_status text,
  p_atype text, p_aid text, p_action text, p_req text)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  before jsonb := council_session_json(s);
  n council_sessions;
BEGIN
  UPDATE council_sessions SET status = p_status, updated_at = now(), version = version + 1,
         opened_at = CASE WHEN p_status = 'open' THEN now() ELSE opened_at END,
         voting_at = CASE WHEN p_status = 'voting' THEN now() ELSE voting_at END,
         closed_at = CASE WHEN p_status = 'closed' THEN now() ELSE closed_at END
   WHERE id = s.id RETURNING * INTO n;
  PERFORM audit_append(s.organization_id, p_atype, p_aid, p_action, 'council_session',
                       s.id::text, before - 'members', council_session_json(n) - 'members',
                       p_req);
  RETURN write_ok(council_session_json(n)::text, n.version, n.id);
END $$;

-- Convenes a session (f: name, held_on, place, round_ids, and the key
-- pair the service drew: ballot_secret, ballot_key in hex).  Only
-- submitted rounds of the organisation, each at one session.
CREATE OR REPLACE FUNCTION council_session_create(p_org bigint, p_atype text, p_aid text,
  p_req text, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions;
  rid bigint;
  i integer := 0;
  st text;
BEGIN
  FOR rid IN SELECT value::bigint FROM jsonb_array_elements_text(f->'round_ids') LOOP
    SELECT status INTO st FROM review_rounds WHERE organization_id = p_org AND id = rid;
    IF st IS NULL THEN
      RETURN write_invalid('/round_ids/' || i, 'council-round-unknown');
    ELSIF st <> 'submitted' THEN
      RETURN write_invalid('/round_ids/' || i, 'council-round-not-submitted');
    END IF;
    i := i + 1;
  END LOOP;
  INSERT INTO council_sessions (organization_id, name, held_on, place, ballot_secret,
                                ballot_key, created_by)
  VALUES (p_org, normalize(btrim(f->>'name'), NFC), (f->>'held_on')::date,
          normalize(btrim(coalesce(f->>'place', '')), NFC),
          decode(f->>'ballot_secret', 'hex'), decode(f->>'ballot_key', 'hex'),
          p_atype || ':' || p_aid)
  RETURNING * INTO s;
  INSERT INTO council_agenda (organization_id, session_id, round_id)
  SELECT DISTINCT p_org, s.id, value::bigint FROM jsonb_array_elements_text(f->'round_ids');
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_session.create', 'council_session',
                       s.id::text, NULL, council_session_json(s) - 'members', p_req);
  RETURN write_ok(council_session_json(s)::text, s.version, s.id);
END $$;

-- Records who attends (f: items [{member_id, status}]), before the
-- session opens; members not listed keep their record.
CREATE OR REPLACE FUNCTION council_attendance_put(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
  before jsonb;
  item jsonb;
  i integer := 0;
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'convened' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  before := council_session_json(s);
  FOR item IN SELECT value FROM jsonb_array_elements(f->'items') LOOP
    IF NOT EXISTS (SELECT 1 FROM council_members_on(p_org, s.held_on) m
                    WHERE m.id = (item->>'member_id')::bigint) THEN
      RETURN write_invalid('/items/' || i || '/member_id', 'council-not-member',
                           jsonb_build_object('on', s.held_on));
    END IF;
    INSERT INTO council_attendance (organization_id, session_id, member_id, status)
    VALUES (p_org, s.id, (item->>'member_id')::bigint, item->>'status')
    ON CONFLICT (session_id, member_id) DO UPDATE SET status = EXCLUDED.status;
    i := i + 1;
  END LOOP;
  UPDATE council_sessions SET updated_at = now(), version = version + 1
   WHERE id = s.id RETURNING * INTO s;
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_session.attendance', 'council_session',
                       s.id::text, before->'members', council_session_json(s)->'members',
                       p_req);
  RETURN write_ok(council_session_json(s)::text, s.version, s.id);
END $$;

-- Opens a session: the quorum of the strictest rule of its candidates
-- must be present (absent members voting in writing do not count towards
-- it), and the candidates are frozen with their rules.
CREATE OR REPLACE FUNCTION council_session_open(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
  total integer;
  present integer;
  needed integer;
  held write_result;
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'convened' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  ELSIF NOT EXISTS (SELECT 1 FROM council_agenda_candidates(s)) THEN
    RETURN write_refused('council-agenda-empty');
  ELSIF EXISTS (SELECT 1 FROM council_agenda_candidates(s) WHERE rule_id IS NULL) THEN
    RETURN write_refused('council-no-rule');
  END IF;
  -- the public has its whole period before the council judges
  -- (Decree 152 Art. 44.2)
  held := disclosure_hold('session', s.id, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
  IF held.outcome IS NOT NULL THEN
    RETURN held;
  END IF;
  SELECT count(*), count(*) FILTER (WHERE m.status = 'present')
    INTO total, present FROM council_session_members(s) m;
  needed := council_quorum(s, total);
  IF total = 0 OR present < needed THEN
    RETURN write_refused('council-quorum-not-met',
                         jsonb_build_object('present', present, 'needed', needed,
                                            'members', total));
  END IF;
  INSERT INTO council_candidates (organization_id, session_id, nomination_id, rule_id, rule_set)
  SELECT p_org, s.id, c.nomination_id, c.rule_id, c.rule_set FROM council_agenda_candidates(s) c;
  RETURN council_session_step(s, 'open', p_atype, p_aid, 'council_session.open', p_req);
END $$;

-- The key of a session that issues tokens (open) or takes ballots
-- (voting), for the service's cryptography; nothing otherwise.
CREATE OR REPLACE FUNCTION council_ballot_secret(p_id bigint, p_status text) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT ballot_secret FROM council_sessions WHERE id = p_id AND status = p_status
$$;

-- Records that the calling member received their token: a member of the
-- council on the session's day, present or voting in writing, once.
CREATE OR REPLACE FUNCTION council_token_issue(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions;
  m record;
BEGIN
  SELECT * INTO s FROM council_sessions WHERE organization_id = p_org AND id = p_id FOR SHARE;
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'open' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  SELECT * INTO m FROM council_session_members(s) x
   WHERE p_atype = 'user' AND p_aid ~ '^[0-9]{1,18}$' AND x.user_id = p_aid::bigint;
  IF m.member_id IS NULL THEN
    RETURN write_refused('council-not-member-caller', jsonb_build_object('on', s.held_on));
  ELSIF m.status = 'absent' THEN
    RETURN write_refused('council-member-absent');
  END IF;
  INSERT INTO council_tokens (session_id, member_id) VALUES (s.id, m.member_id)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN write_refused('council-token-issued');
  END IF;
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_session.token', 'council_session',
                       s.id::text, NULL, jsonb_build_object('member_id', m.member_id), p_req);
  RETURN write_ok(jsonb_build_object('session_id', s.id, 'member_id', m.member_id)::text);
END $$;

-- Starts the vote: from now on ballots are taken and no token is issued,
-- so the order tokens were issued in tells nothing of the order of the
-- ballots (docs/ballot.md).
CREATE OR REPLACE FUNCTION council_session_voting(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'open' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  RETURN council_session_step(s, 'voting', p_atype, p_aid, 'council_session.voting', p_req);
END $$;

-- Takes a ballot (f: token and evaluation in hex, already checked by the
-- service against the session's key; votes).  No caller: the token is the
-- credential, and nothing about who cast it is written.  Refused: a
-- session not voting, a token used, a vote on a candidate not decided by
-- ballot, more ballots than tokens issued.
CREATE OR REPLACE FUNCTION council_ballot_cast(p_req text, p_id bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions;
  k text;
  line text;
BEGIN
  -- one ballot at a time (a council is tens of people): the count below
  -- is exact, and the close waits for a ballot going in
  SELECT * INTO s FROM council_sessions WHERE id = p_id FOR NO KEY UPDATE;
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'voting' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  FOR k IN SELECT key FROM jsonb_each(f->'votes') LOOP
    IF NOT EXISTS (SELECT 1 FROM council_candidates c JOIN council_rules r ON r.id = c.rule_id
                    WHERE c.session_id = s.id AND c.nomination_id::text = k
                      AND r.method = 'secret_ballot') THEN
      RETURN write_invalid('/votes/' || k, 'council-not-on-ballot');
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM council_ballots
              WHERE session_id = s.id AND token = decode(f->>'token', 'hex')) THEN
    RETURN write_refused('council-token-used');
  END IF;
  -- without the session's key no one can make a token, so this holds
  -- unless the key leaked; then it bounds the damage, and the published
  -- count shows it
  IF (SELECT count(*) FROM council_ballots WHERE session_id = s.id)
     >= (SELECT count(*) FROM council_tokens WHERE session_id = s.id) THEN
    RETURN write_refused('council-ballots-exceed-tokens');
  END IF;
  INSERT INTO council_ballots (session_id, token, evaluation, votes)
  VALUES (s.id, decode(f->>'token', 'hex'), decode(f->>'evaluation', 'hex'), f->'votes');
  -- the audit says that a ballot was cast, never by whom nor how
  PERFORM audit_append(s.organization_id, 'system', 'ballot', 'council_session.ballot',
                       'council_session', s.id::text, NULL, NULL, p_req);
  SELECT council_ballot_line(b) INTO line FROM council_ballots b
   WHERE b.session_id = s.id AND b.token = decode(f->>'token', 'hex');
  RETURN write_ok(jsonb_build_object('session_id', s.id, 'token', f->>'token',
                                     'line', line)::text);
END $$;

-- Records the counts of a show of hands (f: items [{nomination_id, yes,
-- no}]) while the session votes; at most as many votes as members taking
-- part.
CREATE OR REPLACE FUNCTION council_hands_put(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
  voters integer;
  item jsonb;
  i integer := 0;
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'voting' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  SELECT count(*) INTO voters FROM council_session_members(s) m WHERE m.status <> 'absent';
  FOR item IN SELECT value FROM jsonb_array_elements(f->'items') LOOP
    IF NOT EXISTS (SELECT 1 FROM council_candidates c JOIN council_rules r ON r.id = c.rule_id
                    WHERE c.session_id = s.id
                      AND c.nomination_id = (item->>'nomination_id')::bigint
                      AND r.method = 'show_of_hands') THEN
      RETURN write_invalid('/items/' || i || '/nomination_id', 'council-not-by-hands');
    ELSIF (item->>'yes')::integer + (item->>'no')::integer > voters THEN
      RETURN write_invalid('/items/' || i, 'council-hands-too-many',
                           jsonb_build_object('voters', voters));
    END IF;
    INSERT INTO council_hands (session_id, nomination_id, yes, no)
    VALUES (s.id, (item->>'nomination_id')::bigint, (item->>'yes')::integer,
            (item->>'no')::integer)
    ON CONFLICT (session_id, nomination_id) DO UPDATE SET yes = EXCLUDED.yes, no = EXCLUDED.no;
    i := i + 1;
  END LOOP;
  UPDATE council_sessions SET updated_at = now(), version = version + 1
   WHERE id = s.id RETURNING * INTO s;
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_session.hands', 'council_session',
                       s.id::text, NULL, f, p_req);
  RETURN write_ok(council_session_json(s)::text, s.version, s.id);
END $$;

-- Closes the vote: the ballots are published with their commitment and
-- the session's key, and counted.
CREATE OR REPLACE FUNCTION council_session_close(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'voting' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  UPDATE council_sessions SET commitment = council_commitment(s.id) WHERE id = s.id
  RETURNING * INTO s;
  RETURN council_session_step(s, 'closed', p_atype, p_aid, 'council_session.close', p_req);
END $$;

-- The published ballots of a closed session, in ascending order of token.
CREATE OR REPLACE FUNCTION council_ballots_json(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'session_id', s.id, 'ballot_key', encode(s.ballot_key, 'hex'),
    'ballot_secret', encode(s.ballot_secret, 'hex'),
    'commitment', encode(s.commitment, 'hex'),
    'tokens_issued', (SELECT count(*) FROM council_tokens t WHERE t.session_id = s.id),
    'items', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'token', encode(b.token, 'hex'), 'evaluation', encode(b.evaluation, 'hex'),
                'votes', b.votes, 'line', council_ballot_line(b)) ORDER BY b.token), '[]')
                FROM council_ballots b WHERE b.session_id = s.id))
    FROM council_sessions s
   WHERE s.organization_id = p_org AND s.id = p_id AND s.status IN ('closed', 'signed')
$$;

-- The minutes (biên bản) of a closed session, generated from its record;
-- once signed, the signed text is what is read.
CREATE OR REPLACE FUNCTION council_minutes_json(s council_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN s.status = 'signed' THEN s.minutes ELSE jsonb_build_object(
    'session_id', s.id, 'organization', (SELECT o.name FROM organizations o
                                          WHERE o.id = s.organization_id),
    'name', s.name, 'held_on', s.held_on, 'place', s.place,
    'members', council_session_json(s)->'members',
    'members_total', (SELECT count(*) FROM council_session_members(s)),
    'present', (SELECT count(*) FROM council_session_members(s) m WHERE m.status = 'present'),
    'written', (SELECT count(*) FROM council_session_members(s) m WHERE m.status = 'written'),
    'absent', (SELECT count(*) FROM council_session_members(s) m WHERE m.status = 'absent'),
    'rounds', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name,
                                                            'year', r.year) ORDER BY r.id), '[]')
                 FROM council_agenda a JOIN review_rounds r ON r.id = a.round_id
                WHERE a.session_id = s.id),
    'tokens_issued', (SELECT count(*) FROM council_tokens t WHERE t.session_id = s.id),
    'ballots_cast', (SELECT count(*) FROM council_ballots b WHERE b.session_id = s.id),
    'commitment', encode(s.commitment, 'hex'), 'ballot_key', encode(s.ballot_key, 'hex'),
    'tally', council_tally_json(s),
    -- what the public said of the candidates while they were disclosed
    'public_feedback', disclosure_minutes_json(s.id), 'signed', false) END
$$;

CREATE OR REPLACE FUNCTION council_minutes_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT council_minutes_json(s) FROM council_sessions s
   WHERE s.organization_id = p_org AND s.id = p_id AND s.status IN ('closed', 'signed')
$$;

-- Signs the minutes: the chair or the secretary of the council on the
-- session's day.  The text is frozen with its SHA-256; nothing of the
-- session changes afterwards (council_minutes_frozen).
CREATE OR REPLACE FUNCTION council_minutes_sign(p_org bigint, p_atype text, p_aid text,
  p_req text, p_id bigint)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions := council_session_lock(p_org, p_id);
  m record;
  doc jsonb;
BEGIN
  IF s.id IS NULL THEN
    RETURN write_not_found();
  ELSIF s.status <> 'closed' THEN
    RETURN write_refused('council-session-state', jsonb_build_object('status', s.status));
  END IF;
  SELECT * INTO m FROM council_session_members(s) x
   WHERE p_atype = 'user' AND p_aid ~ '^[0-9]{1,18}$' AND x.user_id = p_aid::bigint
     AND x.council_role IN ('chair', 'secretary');
  IF m.member_id IS NULL THEN
    RETURN write_refused('council-signer-not-allowed');
  END IF;
  doc := council_minutes_json(s) || jsonb_build_object(
           'signed', true, 'signed_by', jsonb_build_object('name', m.name,
                                                          'council_role', m.council_role),
           'signed_at', now());
  UPDATE council_sessions SET status = 'signed', minutes = doc,
         minutes_hash = sha256(convert_to(doc::text, 'UTF8')), signed_by = m.name,
         signed_at = now(), updated_at = now(), version = version + 1
   WHERE id = s.id RETURNING * INTO s;
  PERFORM audit_append(p_org, p_atype, p_aid, 'council_session.sign', 'council_session',
                       s.id::text, NULL,
                       jsonb_build_object('minutes_hash', encode(s.minutes_hash, 'hex')), p_req);
  RETURN write_ok(council_session_json(s)::text, s.version, s.id);
END $$;

-- The entries of a session's signed tally, with their nomination, the
-- year of its round and the award: what decisions and proposals draft
-- from.
CREATE OR REPLACE FUNCTION council_tally_rows(s council_sessions)
RETURNS TABLE (t jsonb, n nominations, year integer, k award_kinds)
LANGUAGE sql STABLE AS $$
  SELECT e, n, r.year, k
    FROM jsonb_array_elements(s.minutes->'tally') e
    JOIN nominations n ON n.id = (e->>'nomination_id')::bigint
    JOIN review_rounds r ON r.id = n.round_id
    JOIN award_kinds k ON k.code = n.award_code
$$;
