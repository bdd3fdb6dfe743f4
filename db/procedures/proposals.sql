-- proposals.sql — proposals to the province (migration 0026): drafted
-- from a council's signed minutes, numbered when the head signs the cover
-- letter, answered candidate by candidate.

-- Why an entry of a council's tally does not go into a proposal: not
-- approved, an award the agency decides itself (a decision, not a
-- proposal), in another proposal already, a title the person holds for
-- the year in the ledger already; NULL when it goes in.
CREATE OR REPLACE FUNCTION proposal_leaves_out(p_org bigint, t jsonb, n nominations,
  k award_kinds, p_year integer) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN NOT (t->>'approved')::boolean THEN 'not_approved'
    WHEN k.decided_at = 'agency' THEN 'agency_level'
    WHEN EXISTS (SELECT 1 FROM proposal_items x WHERE x.nomination_id = n.id)
      THEN 'in_a_proposal'
    WHEN k.category = 'title' AND n.subject_kind = 'staff'
         AND EXISTS (SELECT 1 FROM staff_titles x
                      WHERE x.organization_id = p_org AND x.staff_id = n.staff_id
                        AND x.year = p_year AND x.title_code = n.award_code)
      THEN 'in_the_ledger'
  END
$$;

CREATE OR REPLACE FUNCTION proposal_json(p proposals) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p.id, 'session_id', p.session_id, 'status', p.status, 'symbol', p.symbol,
    'organization', (SELECT o.name FROM organizations o WHERE o.id = p.organization_id),
    'number', p.number,
    'number_text', CASE WHEN p.number IS NOT NULL
                        THEN document_number_text(p.number, p.symbol) END,
    'title', p.title, 'recipient', p.recipient, 'place', p.place, 'sent_on', p.sent_on,
    'year', p.year, 'signer_name', p.signer_name, 'signer_title', p.signer_title,
    'grounds', p.grounds,
    'items', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'position', i.position, 'nomination_id', i.nomination_id,
                'award_code', i.award_code, 'award_name_vi', k.name_vi,
                'award_name_en', k.name_en, 'decided_at', k.decided_at,
                'subject_kind', i.subject_kind, 'staff_id', i.staff_id, 'unit_id', i.unit_id,
                'name', coalesce(s.full_name, u.name), 'position_title', s.position,
                'unit', coalesce(su.name, u.name), 'year', i.year,
                'achievement', i.achievement, 'council_result', i.council_result,
                'outcome', i.outcome, 'answer_reason', i.answer_reason,
                'decision_number', i.decision_number, 'decision_date', i.decision_date,
                'decided_by', i.decided_by,
                'award_id', CASE WHEN i.ledger IS NOT NULL THEN i.ledger || '-' || i.ledger_id END)
                ORDER BY i.position), '[]')
                FROM proposal_items i
                JOIN award_kinds k ON k.code = i.award_code
                LEFT JOIN staff s ON s.id = i.staff_id
                LEFT JOIN units su ON su.id = s.unit_id
                LEFT JOIN units u ON u.id = i.unit_id
               WHERE i.proposal_id = p.id),
    'count', (SELECT count(*) FROM proposal_items i WHERE i.proposal_id = p.id),
    'answered', (SELECT count(*) FROM proposal_items i
                  WHERE i.proposal_id = p.id AND i.outcome IS NOT NULL),
    'left_out', CASE WHEN p.status = 'draft' THEN (
                  SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'nomination_id', (x.n).id, 'award_code', (x.n).award_code,
                           'reason', w.reason) ORDER BY w.reason, (x.n).id), '[]')
                    FROM council_sessions cs
                   CROSS JOIN LATERAL council_tally_rows(cs) x
                   CROSS JOIN LATERAL (SELECT proposal_leaves_out(p.organization_id, x.t, x.n,
                                                                  x.k, x.year) AS reason) w
                   WHERE cs.id = p.session_id AND w.reason IS NOT NULL
                     AND w.reason <> 'agency_level'
                     AND NOT EXISTS (SELECT 1 FROM proposal_items y
                                      WHERE y.proposal_id = p.id
                                        AND y.nomination_id = (x.n).id)) END,
    'created_by', p.created_by, 'sent_by', p.sent_by, 'sent_at', p.sent_at,
    'created_at', p.created_at, 'updated_at', p.updated_at, 'version', p.version)
$$;

CREATE OR REPLACE FUNCTION proposals_json(p_org bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
           'id', p.id, 'status', p.status, 'title', p.title, 'session_id', p.session_id,
           'number_text', CASE WHEN p.number IS NOT NULL
                               THEN document_number_text(p.number, p.symbol) END,
           'sent_on', p.sent_on,
           'count', (SELECT count(*) FROM proposal_items i WHERE i.proposal_id = p.id),
           'answered', (SELECT count(*) FROM proposal_items i
                         WHERE i.proposal_id = p.id AND i.outcome IS NOT NULL),
           'version', p.version) ORDER BY p.id DESC), '[]'))
    FROM proposals p WHERE p.organization_id = p_org
$$;

CREATE OR REPLACE FUNCTION proposal_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT proposal_json(p) FROM proposals p WHERE p.organization_id = p_org AND p.id = p_id
$$;

-- Drafts a proposal (f: session_id, symbol, title, recipient, place,
-- signer_name, signer_title, grounds) of the candidates the council
-- approved, in a session whose minutes are signed, for awards the
-- province or the State decides; each carries the council's result.
CREATE OR REPLACE FUNCTION proposal_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions;
  p proposals;
BEGIN
  SELECT * INTO s FROM council_sessions
   WHERE organization_id = p_org AND id = (f->>'session_id')::bigint;
  IF s.id IS NULL THEN
    RETURN write_invalid('/session_id', 'decision-session-unknown');
  ELSIF s.status <> 'signed' THEN
    RETURN write_invalid('/session_id', 'decision-session-unsigned');
  ELSIF NOT EXISTS (SELECT 1 FROM council_tally_rows(s) x
                     WHERE proposal_leaves_out(p_org, x.t, x.n, x.k, x.year) IS NULL) THEN
    RETURN write_refused('proposal-nothing-to-propose');
  END IF;
  INSERT INTO proposals (organization_id, session_id, symbol, title, recipient, place,
                         signer_name, signer_title, grounds, created_by)
  VALUES (p_org, s.id, normalize(btrim(f->>'symbol'), NFC), normalize(btrim(f->>'title'), NFC),
          normalize(btrim(f->>'recipient'), NFC), normalize(btrim(f->>'place'), NFC),
          normalize(btrim(f->>'signer_name'), NFC), normalize(btrim(f->>'signer_title'), NFC),
          decision_grounds(s) || coalesce((SELECT jsonb_agg(jsonb_build_object(
              'kind', 'other', 'text', normalize(btrim(g), NFC)))
            FROM jsonb_array_elements_text(coalesce(f->'grounds', '[]')) g), '[]'),
          p_atype || ':' || p_aid)
  RETURNING * INTO p;
  -- the State's awards first, then the province's; titles before forms;
  -- by the award's name, then the recipient's, in Vietnamese order
  INSERT INTO proposal_items (organization_id, proposal_id, position, nomination_id,
                              award_code, subject_kind, staff_id, unit_id, year, achievement,
                              council_result)
  SELECT p_org, p.id,
         row_number() OVER (ORDER BY (x.k).decided_at = 'province', (x.k).category DESC,
                                     (x.n).subject_kind, (x.k).name_vi COLLATE "vi-VN-x-icu",
                                     coalesce(st.full_name, u.name) COLLATE "vi-VN-x-icu",
                                     (x.n).id),
         (x.n).id, (x.n).award_code, (x.n).subject_kind, (x.n).staff_id, (x.n).unit_id, x.year,
         (x.n).achievement,
         jsonb_build_object('method', x.t->'method', 'yes', x.t->'yes', 'no', x.t->'no',
                            'blank', x.t->'blank', 'base', x.t->'base',
                            'needed', x.t->'needed', 'approved', x.t->'approved',
                            'session_id', s.id, 'held_on', s.held_on)
    FROM council_tally_rows(s) x
    LEFT JOIN staff st ON st.id = (x.n).staff_id
    LEFT JOIN units u ON u.id = (x.n).unit_id
   WHERE proposal_leaves_out(p_org, x.t, x.n, x.k, x.year) IS NULL;
  PERFORM audit_append(p_org, p_atype, p_aid, 'proposal.create', 'proposal', p.id::text, NULL,
                       proposal_json(p) - 'items', p_req);
  RETURN write_ok(proposal_json(p)::text, p.version, p.id);
END $$;

-- Signs and sends the cover letter (f: sent_on): the next number of the
-- issuer's year, as a decision's.
CREATE OR REPLACE FUNCTION proposal_send(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p proposals;
  s council_sessions;
  on_ date := (f->>'sent_on')::date;
  held write_result;
  today date := (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
BEGIN
  SELECT * INTO p FROM proposals WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF p.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version <> p.version THEN
    RETURN write_stale(p.version);
  ELSIF p.status <> 'draft' THEN
    RETURN write_refused('proposal-sent', jsonb_build_object(
      'number', document_number_text(p.number, p.symbol)));
  END IF;
  SELECT * INTO s FROM council_sessions WHERE id = p.session_id;
  IF on_ < s.held_on THEN
    RETURN write_invalid('/sent_on', 'decision-before-minutes',
                         jsonb_build_object('held_on', s.held_on));
  END IF;
  -- the public has its whole period before the list leaves the agency:
  -- neither dated within it nor sent now while it runs
  held := disclosure_hold('proposal', p.id, least(on_, today));
  -- nobody proposed while a case about them is open (cases.sql), on the
  -- day it is sent or today
  IF held.outcome IS NULL THEN
    held := list_case_refusal('proposal', p.id, on_);
  END IF;
  IF held.outcome IS NULL THEN
    held := list_case_refusal('proposal', p.id, today);
  END IF;
  IF held.outcome IS NOT NULL THEN
    RETURN held;
  END IF;
  UPDATE proposals SET status = 'sent', year = extract(year FROM on_), sent_on = on_,
         number = document_number_next(p_org, 'common', extract(year FROM on_)::integer),
         sent_by = p_atype || ':' || p_aid, sent_at = now(), updated_at = now(),
         version = version + 1
   WHERE id = p.id RETURNING * INTO p;
  PERFORM audit_append(p_org, p_atype, p_aid, 'proposal.send', 'proposal', p.id::text, NULL,
                       jsonb_build_object('number_text', document_number_text(p.number, p.symbol),
                                          'sent_on', on_), p_req);
  RETURN write_ok(proposal_json(p)::text, p.version, p.id);
END $$;

-- Records the province's answer (f: items [{position, outcome,
-- decision_number, decision_date, decided_by, reason}]): an accepted
-- candidate enters the ledger with the province's decision (its bonus is
-- the province's to pay); a refused one keeps the reason.  A candidate is
-- answered once; the proposal is answered when every candidate is.
CREATE OR REPLACE FUNCTION proposal_answer(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  p proposals;
  a jsonb;
  i record;
  k award_kinds;
  lid bigint;
  at_ integer := 0;
BEGIN
  SELECT * INTO p FROM proposals WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF p.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p.status = 'draft' THEN
    RETURN write_refused('proposal-not-sent');
  END IF;
  -- every answer is checked before any is written: a refusal leaves
  -- nothing behind
  FOR a IN SELECT value FROM jsonb_array_elements(f->'items') LOOP
    SELECT * INTO i FROM proposal_items x
     WHERE x.proposal_id = p.id AND x.position = (a->>'position')::integer;
    IF NOT FOUND THEN
      RETURN write_invalid('/items/' || at_ || '/position', 'decision-position-unknown',
                           jsonb_build_object('count', (SELECT count(*) FROM proposal_items x
                                                         WHERE x.proposal_id = p.id)));
    ELSIF i.outcome IS NOT NULL THEN
      RETURN write_invalid('/items/' || at_ || '/position', 'proposal-item-answered',
                           jsonb_build_object('outcome', i.outcome));
    ELSIF (a->>'decision_date')::date < p.sent_on THEN
      RETURN write_invalid('/items/' || at_ || '/decision_date', 'proposal-answer-before',
                           jsonb_build_object('sent_on', p.sent_on));
    ELSIF (SELECT count(*) FROM jsonb_array_elements(f->'items') b
            WHERE b->>'position' = a->>'position') > 1 THEN
      RETURN write_invalid('/items/' || at_ || '/position', 'proposal-item-twice');
    END IF;
    at_ := at_ + 1;
  END LOOP;
  FOR a IN SELECT value FROM jsonb_array_elements(f->'items') LOOP
    SELECT * INTO i FROM proposal_items x
     WHERE x.proposal_id = p.id AND x.position = (a->>'position')::integer;
    SELECT * INTO k FROM award_kinds WHERE code = i.award_code;
    lid := NULL;
    IF a->>'outcome' = 'accepted' AND k.category = 'title' AND i.subject_kind = 'staff' THEN
      INSERT INTO staff_titles (organization_id, staff_id, year, title_code, decision_number,
                                decision_date, decided_by, achievement, proposal_id)
      VALUES (p_org, i.staff_id, i.year, i.award_code,
              normalize(btrim(a->>'decision_number'), NFC), (a->>'decision_date')::date,
              normalize(btrim(a->>'decided_by'), NFC), i.achievement, p.id)
      RETURNING id INTO lid;
    ELSIF a->>'outcome' = 'accepted' THEN
      INSERT INTO awards (organization_id, award_code, subject_kind, staff_id, unit_id, year,
                          decision_number, decision_date, decided_by, achievement, proposal_id)
      VALUES (p_org, i.award_code, i.subject_kind, i.staff_id, i.unit_id, i.year,
              normalize(btrim(a->>'decision_number'), NFC), (a->>'decision_date')::date,
              normalize(btrim(a->>'decided_by'), NFC), i.achievement, p.id)
      RETURNING id INTO lid;
    END IF;
    UPDATE proposal_items x
       SET outcome = a->>'outcome',
           answer_reason = nullif(normalize(btrim(coalesce(a->>'reason', '')), NFC), ''),
           decision_number = nullif(normalize(btrim(coalesce(a->>'decision_number', '')), NFC),
                                    ''),
           decision_date = (a->>'decision_date')::date,
           decided_by = nullif(normalize(btrim(coalesce(a->>'decided_by', '')), NFC), ''),
           ledger = CASE WHEN lid IS NULL THEN NULL
                         WHEN k.category = 'title' AND i.subject_kind = 'staff' THEN 'title'
                         ELSE 'award' END,
           ledger_id = lid, answered_at = now()
     WHERE x.proposal_id = p.id AND x.position = i.position;
  END LOOP;
  UPDATE proposals SET updated_at = now(), version = version + 1,
         status = CASE WHEN EXISTS (SELECT 1 FROM proposal_items x
                                     WHERE x.proposal_id = p.id AND x.outcome IS NULL)
                       THEN 'sent' ELSE 'answered' END
   WHERE id = p.id RETURNING * INTO p;
  PERFORM audit_append(p_org, p_atype, p_aid, 'proposal.answer', 'proposal', p.id::text, NULL,
                       f, p_req);
  RETURN write_ok(proposal_json(p)::text, p.version, p.id);
END $$;
