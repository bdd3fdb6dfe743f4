-- decisions.sql — commendation decisions: drafted from a council's signed
-- minutes, numbered and written into the ledger when signed (migration
-- 0024).

-- The next number of an issuer's series in a year.  The upsert takes the
-- row's lock until the transaction ends: concurrent signings wait in
-- turn, and a signing that rolls back gives its number back (no gap).
CREATE OR REPLACE FUNCTION document_number_next(p_org bigint, p_series text, p_year integer)
RETURNS integer LANGUAGE sql AS $$
  INSERT INTO document_numbers (organization_id, series, year, last_number)
  VALUES (p_org, p_series, p_year, 1)
  ON CONFLICT (organization_id, series, year)
  DO UPDATE SET last_number = document_numbers.last_number + 1
  RETURNING last_number
$$;

-- "01/QĐ-BQLKKT": numbers below 10 with a leading zero (Decree 30/2020).
CREATE OR REPLACE FUNCTION document_number_text(p_number integer, p_symbol text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN lpad(p_number::text, 2, '0') || '/' || p_symbol;

-- Why an entry of a council's tally does not go into a decision of the
-- agency: not approved, a higher award (a proposal to the province), in
-- another decision already, or a title the person holds for the year in
-- the ledger already (recorded from a decision made outside the service);
-- NULL when it goes in.
CREATE OR REPLACE FUNCTION decision_leaves_out(p_org bigint, t jsonb, n nominations,
  k award_kinds, p_year integer) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN NOT (t->>'approved')::boolean THEN 'not_approved'
    WHEN k.decided_at <> 'agency' THEN 'higher_level'
    WHEN EXISTS (SELECT 1 FROM decision_items x WHERE x.nomination_id = n.id)
      THEN 'in_a_decision'
    WHEN k.category = 'title' AND n.subject_kind = 'staff'
         AND EXISTS (SELECT 1 FROM staff_titles x
                      WHERE x.organization_id = p_org AND x.staff_id = n.staff_id
                        AND x.year = p_year AND x.title_code = n.award_code)
      THEN 'in_the_ledger'
  END
$$;

-- The entries of the session's tally a decision leaves out, with why.
CREATE OR REPLACE FUNCTION decision_left_out_json(d decisions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'nomination_id', (x.n).id, 'award_code', (x.n).award_code,
           'name', coalesce(st.full_name, u.name, h.name), 'reason', w.reason)
           ORDER BY w.reason, coalesce(st.full_name, u.name, h.name) COLLATE "vi-VN-x-icu",
                    (x.n).id), '[]')
    FROM council_sessions s
   CROSS JOIN LATERAL council_tally_rows(s) x
    LEFT JOIN staff st ON st.id = (x.n).staff_id
    LEFT JOIN units u ON u.id = (x.n).unit_id
    LEFT JOIN households h ON h.id = (x.n).household_id
   CROSS JOIN LATERAL (SELECT decision_leaves_out(d.organization_id, x.t, x.n, x.k, x.year)
                                AS reason) w
   WHERE s.id = d.session_id AND w.reason IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM decision_items y
                      WHERE y.decision_id = d.id AND y.nomination_id = (x.n).id)
$$;

-- The annexed list of a decision, or its item at p_position alone (a
-- certificate reads one of a thousand).  One query, not a function per
-- item: a decision lists a thousand.
CREATE OR REPLACE FUNCTION decision_items_json(d decisions, p_position integer)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- PL/pgSQL: its plan is kept by the connection, where a SQL function
  -- called from another is planned again at every call
  RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
                'position', i.position, 'nomination_id', i.nomination_id,
                'award_code', i.award_code, 'award_name_vi', k.name_vi,
                'award_name_en', k.name_en, 'category', k.category,
                'subject_kind', i.subject_kind, 'staff_id', i.staff_id, 'unit_id', i.unit_id,
                'household_id', i.household_id,
                'name', coalesce(s.full_name, u.name, h.name), 'position_title', s.position,
                -- a household is placed by its address where a person by the unit
                'unit', coalesce(su.name, u.name, h.address), 'year', i.year,
                'achievement', i.achievement,
                'award_id', CASE WHEN i.ledger IS NOT NULL THEN i.ledger || '-' || i.ledger_id END,
                'coefficient_hundredths', i.hundredths,
                'coefficient', trim_scale(i.hundredths / 100.0)::text, 'base_salary', i.base_salary,
                'amount', i.amount, 'paid', fp.amount, 'revoked_on', i.revoked_on,
                'revocation_reason', coalesce(lt.revocation_reason, la.revocation_reason),
                'revocation_document', coalesce(lt.revocation_document, la.revocation_document),
                'return_due', i.return_due, 'return_clock_complete', i.return_clock_complete,
                'revocation_case_id', i.revocation_case_id)
                ORDER BY i.position), '[]')
                FROM decision_items i
                JOIN award_kinds k ON k.code = i.award_code
                LEFT JOIN staff s ON s.id = i.staff_id
                LEFT JOIN units su ON su.id = s.unit_id
                LEFT JOIN units u ON u.id = i.unit_id
                LEFT JOIN households h ON h.id = i.household_id
                LEFT JOIN fund_payments fp ON fp.organization_id = i.organization_id
                                          AND fp.ledger = i.ledger AND fp.ledger_id = i.ledger_id
                LEFT JOIN staff_titles lt ON i.ledger = 'title' AND lt.id = i.ledger_id
                LEFT JOIN awards la ON i.ledger = 'award' AND la.id = i.ledger_id
               WHERE i.decision_id = d.id
                 AND i.position BETWEEN coalesce(p_position, 1)
                                    AND coalesce(p_position, 2147483647));
END $$;

CREATE OR REPLACE FUNCTION decision_json(d decisions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', d.id, 'session_id', d.session_id, 'status', d.status, 'symbol', d.symbol,
    'organization', (SELECT o.name FROM organizations o WHERE o.id = d.organization_id),
    'number', d.number,
    'number_text', CASE WHEN d.number IS NOT NULL
                        THEN document_number_text(d.number, d.symbol) END,
    'title', d.title, 'place', d.place, 'decided_on', d.decided_on, 'year', d.year,
    'signer_name', d.signer_name, 'signer_title', d.signer_title, 'grounds', d.grounds,
    'paid_on', d.paid_on,
    'items', decision_items_json(d, NULL),
    'count', (SELECT count(*) FROM decision_items i WHERE i.decision_id = d.id),
    'left_out', CASE WHEN d.status = 'draft' THEN decision_left_out_json(d) END,
    'total_amount', (SELECT sum(i.amount) FROM decision_items i WHERE i.decision_id = d.id),
    'created_by', d.created_by, 'signed_by', d.signed_by, 'signed_at', d.signed_at,
    'created_at', d.created_at, 'updated_at', d.updated_at, 'version', d.version)
$$;

CREATE OR REPLACE FUNCTION decisions_json(p_org bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
           'id', d.id, 'status', d.status, 'title', d.title, 'session_id', d.session_id,
           'number_text', CASE WHEN d.number IS NOT NULL
                               THEN document_number_text(d.number, d.symbol) END,
           'decided_on', d.decided_on,
           'count', (SELECT count(*) FROM decision_items i WHERE i.decision_id = d.id),
           'version', d.version) ORDER BY d.id DESC), '[]'))
    FROM decisions d WHERE d.organization_id = p_org
$$;

CREATE OR REPLACE FUNCTION decision_get(p_org bigint, p_id bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT decision_json(d) FROM decisions d WHERE d.organization_id = p_org AND d.id = p_id
$$;

-- The grounds a decision cites of itself: the texts of the rule sets that
-- governed its candidates, and the council's minutes.
CREATE OR REPLACE FUNCTION decision_grounds(s council_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT jsonb_agg(jsonb_build_object('kind', 'law', 'text', d.doc)
                                    ORDER BY d.first, d.doc)
                     FROM (SELECT e->>'document' AS doc, min(r.valid_from) AS first
                             FROM council_candidates c
                             JOIN rule_sets r ON r.code = c.rule_set
                            CROSS JOIN LATERAL jsonb_array_elements(r.legal_basis) e
                            WHERE c.session_id = s.id
                            GROUP BY e->>'document') d), '[]')
         || jsonb_build_array(jsonb_build_object(
              'kind', 'minutes', 'session_id', s.id,
              'minutes_hash', encode(s.minutes_hash, 'hex'),
              'text', 'Biên bản ' || lower(left(s.name, 1)) || substr(s.name, 2) || ' ngày '
                      || to_char(s.held_on, 'DD/MM/YYYY')))
$$;

-- Drafts a decision (f: session_id, symbol, title, place, signer_name,
-- signer_title, grounds [text]) of the candidates the council approved in
-- a session whose minutes are signed, for the titles and forms the agency
-- decides, that no other decision and no entry of the ledger holds yet
-- (decision_leaves_out).  Higher awards go to the province as proposals,
-- not here.
CREATE OR REPLACE FUNCTION decision_create(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  s council_sessions;
  d decisions;
BEGIN
  SELECT * INTO s FROM council_sessions
   WHERE organization_id = p_org AND id = (f->>'session_id')::bigint;
  IF s.id IS NULL THEN
    RETURN write_invalid('/session_id', 'decision-session-unknown');
  ELSIF s.status <> 'signed' THEN
    RETURN write_invalid('/session_id', 'decision-session-unsigned');
  ELSIF NOT EXISTS (SELECT 1 FROM council_tally_rows(s) x
                     WHERE decision_leaves_out(p_org, x.t, x.n, x.k, x.year) IS NULL) THEN
    RETURN write_refused('decision-nothing-to-decide');
  END IF;
  INSERT INTO decisions (organization_id, session_id, symbol, title, place, signer_name,
                         signer_title, grounds, created_by)
  VALUES (p_org, s.id, normalize(btrim(f->>'symbol'), NFC), normalize(btrim(f->>'title'), NFC),
          normalize(btrim(f->>'place'), NFC), normalize(btrim(f->>'signer_name'), NFC),
          normalize(btrim(f->>'signer_title'), NFC),
          decision_grounds(s) || coalesce((SELECT jsonb_agg(jsonb_build_object(
              'kind', 'other', 'text', normalize(btrim(g), NFC)))
            FROM jsonb_array_elements_text(coalesce(f->'grounds', '[]')) g), '[]'),
          p_atype || ':' || p_aid)
  RETURNING * INTO d;
  -- titles first, then forms; individuals before collectives; by the
  -- award's name, then the recipient's, in Vietnamese order
  INSERT INTO decision_items (organization_id, decision_id, position, nomination_id,
                              award_code, subject_kind, staff_id, unit_id, household_id, year,
                              achievement)
  SELECT p_org, d.id,
         row_number() OVER (ORDER BY (x.k).category DESC,
                                     array_position(ARRAY['staff', 'unit', 'household'],
                                                    (x.n).subject_kind),
                                     (x.k).name_vi COLLATE "vi-VN-x-icu",
                                     coalesce(st.full_name, u.name, h.name)
                                       COLLATE "vi-VN-x-icu",
                                     (x.n).id),
         (x.n).id, (x.n).award_code, (x.n).subject_kind, (x.n).staff_id, (x.n).unit_id,
         (x.n).household_id, x.year, (x.n).achievement
    FROM council_tally_rows(s) x
    LEFT JOIN staff st ON st.id = (x.n).staff_id
    LEFT JOIN units u ON u.id = (x.n).unit_id
    LEFT JOIN households h ON h.id = (x.n).household_id
   WHERE decision_leaves_out(p_org, x.t, x.n, x.k, x.year) IS NULL;
  PERFORM audit_append(p_org, p_atype, p_aid, 'decision.create', 'decision', d.id::text, NULL,
                       decision_json(d) - 'items', p_req);
  RETURN write_ok(decision_json(d)::text, d.version, d.id);
END $$;

-- A refusal from inside a signing, after some of its work: raised, so
-- that the block's subtransaction undoes the work, and answered.
CREATE OR REPLACE FUNCTION decision_abort(p_code text, p_args jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'TDR01', MESSAGE = p_code, DETAIL = coalesce(p_args::text, '');
END $$;

-- Signs a decision (f: decided_on, paid_on, override_reason): the next
-- number of the issuer's year; every award into the ledger with the
-- decision's number and date; each bonus computed on the base salary of
-- that date; and, with paid_on, each bonus paid from the fund of paid_on's
-- year (fund_pay_basis: the highest title of a period only; beyond the
-- balance only with the Office's reason).  All or nothing.
CREATE OR REPLACE FUNCTION decision_sign(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  d decisions;
  s council_sessions;
  on_ date := (f->>'decided_on')::date;
  paid date := (f->>'paid_on')::date;
  num integer;
  num_text text;
  set_code text;
  base bigint;
  r write_result;
  taken jsonb;
  held write_result;
  titles_seq regclass := pg_get_serial_sequence('staff_titles', 'id');
  awards_seq regclass := pg_get_serial_sequence('awards', 'id');
  msg text;
  detail text;
BEGIN
  SELECT * INTO d FROM decisions WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF d.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version IS NOT NULL AND p_version <> d.version THEN
    RETURN write_stale(d.version);
  ELSIF d.status <> 'draft' THEN
    RETURN write_refused('decision-signed', jsonb_build_object(
      'number', document_number_text(d.number, d.symbol)));
  END IF;
  SELECT * INTO s FROM council_sessions WHERE id = d.session_id;
  IF on_ < s.held_on THEN
    RETURN write_invalid('/decided_on', 'decision-before-minutes',
                         jsonb_build_object('held_on', s.held_on));
  ELSIF paid < on_ THEN
    RETURN write_invalid('/paid_on', 'fund-paid-before-decision',
                         jsonb_build_object('decision_date', on_));
  END IF;
  -- a title the ledger received since the draft (recorded by hand): named
  SELECT jsonb_build_object('name', st.full_name, 'position', x.position) INTO taken
    FROM decision_items x JOIN award_kinds k ON k.code = x.award_code
    JOIN staff st ON st.id = x.staff_id
   WHERE x.decision_id = d.id AND k.category = 'title' AND x.subject_kind = 'staff'
     AND EXISTS (SELECT 1 FROM staff_titles t
                  WHERE t.organization_id = p_org AND t.staff_id = x.staff_id
                    AND t.year = x.year AND t.title_code = x.award_code)
   ORDER BY x.position LIMIT 1;
  IF taken IS NOT NULL THEN
    RETURN write_refused('decision-title-in-ledger', taken);
  END IF;
  -- nobody with a complaint or denunciation still open on the day
  -- (Decree 152 Art. 4.4; cases.sql)
  held := list_case_refusal('decision', d.id, on_);
  IF held.outcome IS NOT NULL THEN
    RETURN held;
  END IF;
  set_code := rule_set_for(p_org, on_);
  base := (base_salary_json(on_)->>'amount')::bigint;
  BEGIN
    num := document_number_next(p_org, 'common', extract(year FROM on_)::integer);
    num_text := document_number_text(num, d.symbol);
    -- each item draws its ledger row's id first, so that the ledger is
    -- written in two statements (its statement triggers fire once, not a
    -- thousand times) and each item knows its row; the coefficient is
    -- looked up once per award and subject
    WITH rates AS (
      SELECT c.award_code, c.subject,
             bonus_hundredths(set_code, c.award_code, c.subject) AS hundredths
        FROM (SELECT DISTINCT x.award_code, bonus_subject(x.subject_kind) AS subject
                FROM decision_items x WHERE x.decision_id = d.id) c)
    UPDATE decision_items x
       SET ledger = CASE WHEN k.category = 'title' AND x.subject_kind = 'staff'
                         THEN 'title' ELSE 'award' END,
           ledger_id = CASE WHEN k.category = 'title' AND x.subject_kind = 'staff'
                            THEN nextval(titles_seq) ELSE nextval(awards_seq) END,
           hundredths = rt.hundredths, base_salary = base,
           amount = bonus_amount_of(rt.hundredths, base)
      FROM award_kinds k, rates rt
     WHERE x.decision_id = d.id AND k.code = x.award_code AND rt.award_code = x.award_code
       AND rt.subject = bonus_subject(x.subject_kind);
    INSERT INTO staff_titles (id, organization_id, staff_id, year, title_code, decision_number,
                              decision_date, decided_by, achievement, decision_id)
    OVERRIDING SYSTEM VALUE
    SELECT x.ledger_id, p_org, x.staff_id, x.year, x.award_code, num_text, on_,
           d.signer_title || ' ' || d.signer_name, x.achievement, d.id
      FROM decision_items x WHERE x.decision_id = d.id AND x.ledger = 'title';
    INSERT INTO awards (id, organization_id, award_code, subject_kind, staff_id, unit_id,
                        household_id, year, decision_number, decision_date, decided_by,
                        achievement, decision_id)
    OVERRIDING SYSTEM VALUE
    SELECT x.ledger_id, p_org, x.award_code, x.subject_kind, x.staff_id, x.unit_id,
           x.household_id, x.year,
           num_text, on_, d.signer_title || ' ' || d.signer_name, x.achievement, d.id
      FROM decision_items x WHERE x.decision_id = d.id AND x.ledger = 'award';
    IF paid IS NOT NULL THEN
      -- as award_bonus_basis says of each; of several titles of one period
      -- the highest is paid, the others are expected not to be
      r := fund_pay_basis(p_org, p_atype, p_aid, p_req, extract(year FROM paid)::integer, paid,
             nullif(normalize(btrim(coalesce(f->>'override_reason', '')), NFC), ''),
             (SELECT jsonb_agg(jsonb_build_object(
                       'ledger', x.ledger, 'id', x.ledger_id, 'award_code', x.award_code,
                       'subject', bonus_subject(x.subject_kind),
                       'recipient_key', bonus_recipient_key(x.subject_kind, x.staff_id,
                                                            x.unit_id, x.household_id),
                       'period_year', x.year, 'category', k.category, 'decision_date', on_,
                       'hundredths', x.hundredths, 'base_salary', x.base_salary))
                FROM decision_items x JOIN award_kinds k ON k.code = x.award_code
               WHERE x.decision_id = d.id),
             true, d.id);
      IF r.outcome <> 'ok' THEN
        PERFORM decision_abort(r.code, r.args);
      END IF;
    END IF;
    UPDATE decisions SET status = 'signed', number = num, year = extract(year FROM on_),
           decided_on = on_, paid_on = paid, signed_by = p_atype || ':' || p_aid,
           signed_at = now(), updated_at = now(), version = version + 1
     WHERE id = d.id RETURNING * INTO d;
  EXCEPTION WHEN SQLSTATE 'TDR01' THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    RETURN write_refused(msg, nullif(detail, '')::jsonb);
  END;
  PERFORM audit_append(p_org, p_atype, p_aid, 'decision.sign', 'decision', d.id::text, NULL,
                       jsonb_build_object('number_text', num_text, 'decided_on', on_,
                                          'count', (SELECT count(*) FROM decision_items x
                                                     WHERE x.decision_id = d.id),
                                          'total_amount', (SELECT sum(x.amount)
                                                             FROM decision_items x
                                                            WHERE x.decision_id = d.id),
                                          'paid_on', paid), p_req);
  PERFORM outbox_emit(p_org, 'decision.signed',
                      jsonb_build_object('decision_id', d.id, 'number', num_text,
                                         'decided_on', on_,
                                         'count', (SELECT count(*) FROM decision_items x
                                                    WHERE x.decision_id = d.id)));
  RETURN write_ok(decision_json(d)::text, d.version, d.id);
END $$;

-- Revokes an award of a signed decision (f: position, revoked_on, reason,
-- document — the revoking decision's number): the ledger keeps the entry
-- with the day and the reason, and from then on it counts for nothing
-- (facts, progress, payments: a revoked award was cancelled); the money
-- and items are due back p working days later, p of the rule set in force
-- on the day (revocation_rules: 15 under Decree 152 Art. 58), counted on
-- the working-day calendar (working_day_add).
CREATE OR REPLACE FUNCTION decision_revoke(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  d decisions;
  i decision_items;
  on_ date := (f->>'revoked_on')::date;
  reason text := normalize(btrim(f->>'reason'), NFC);
  doc text := nullif(normalize(btrim(coalesce(f->>'document', '')), NFC), '');
  days integer;
  clock record;
  k cases;
BEGIN
  SELECT * INTO d FROM decisions WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF d.id IS NULL THEN
    RETURN write_not_found();
  ELSIF d.status <> 'signed' THEN
    RETURN write_refused('decision-not-signed');
  END IF;
  SELECT * INTO i FROM decision_items x
   WHERE x.decision_id = d.id AND x.position = (f->>'position')::integer;
  IF NOT FOUND THEN
    RETURN write_invalid('/position', 'decision-position-unknown',
                         jsonb_build_object('count', (SELECT count(*) FROM decision_items x
                                                       WHERE x.decision_id = d.id)));
  ELSIF i.revoked_on IS NOT NULL THEN
    RETURN write_refused('decision-item-revoked', jsonb_build_object('on', i.revoked_on));
  ELSIF on_ < d.decided_on THEN
    RETURN write_invalid('/revoked_on', 'decision-revoked-before',
                         jsonb_build_object('decided_on', d.decided_on));
  END IF;
  -- after a case: decided, about this recipient, before the revocation
  IF f->>'case_id' IS NOT NULL THEN
    SELECT * INTO k FROM cases WHERE organization_id = p_org AND id = (f->>'case_id')::bigint;
    IF k.id IS NULL THEN
      RETURN write_invalid('/case_id', 'revocation-case-unknown');
    ELSIF k.status <> 'decided' THEN
      RETURN write_refused('revocation-case-not-decided', jsonb_build_object('status', k.status));
    ELSIF (k.staff_id IS NULL AND k.unit_id IS NULL)
          OR k.staff_id IS DISTINCT FROM i.staff_id OR k.unit_id IS DISTINCT FROM i.unit_id THEN
      RETURN write_invalid('/case_id', 'revocation-case-other-subject');
    ELSIF on_ < k.closed_on THEN
      RETURN write_invalid('/revoked_on', 'revocation-before-case',
                           jsonb_build_object('closed_on', k.closed_on));
    END IF;
  END IF;
  days := (SELECT r.return_working_days FROM rule_set_chain(rule_set_for(p_org, on_)) c
             JOIN revocation_rules r ON r.rule_set = c.code ORDER BY c.depth LIMIT 1);
  IF days IS NULL THEN
    RETURN write_refused('no-rule-set', jsonb_build_object('on', on_));
  END IF;
  clock := working_day_add(on_, days);
  IF i.ledger = 'title' THEN
    UPDATE staff_titles SET revoked_on = on_, revoked_at = now(), revocation_reason = reason,
           revocation_document = doc
     WHERE id = i.ledger_id;
  ELSE
    UPDATE awards SET revoked_on = on_, revoked_at = now(), revocation_reason = reason,
           revocation_document = doc
     WHERE id = i.ledger_id;
  END IF;
  UPDATE decision_items x SET revoked_on = on_, return_due = clock.due,
         return_clock_complete = clock.complete, revocation_case_id = k.id
   WHERE x.decision_id = d.id AND x.position = i.position;
  UPDATE decisions SET updated_at = now(), version = version + 1 WHERE id = d.id
  RETURNING * INTO d;
  PERFORM audit_append(p_org, p_atype, p_aid, 'decision.revoke', 'decision', d.id::text, NULL,
                       jsonb_build_object('position', i.position,
                                          'award_id', i.ledger || '-' || i.ledger_id,
                                          'revoked_on', on_, 'reason', reason, 'document', doc,
                                          'return_due', clock.due,
                                          'return_working_days', days, 'case_id', k.id),
                       p_req);
  PERFORM outbox_emit(p_org, 'decision.revoked',
                      jsonb_build_object('decision_id', d.id, 'position', i.position,
                                         'revoked_on', on_));
  RETURN write_ok(decision_json(d)::text, d.version, d.id);
END $$;

-- A signed decision's head with the item at p_position alone, for its
-- certificate; NULL when there is no such decision.
CREATE OR REPLACE FUNCTION decision_certificate_get(p_org bigint, p_id bigint,
  p_position integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', d.id, 'status', d.status, 'symbol', d.symbol,
    'organization', (SELECT o.name FROM organizations o WHERE o.id = d.organization_id),
    'number_text', CASE WHEN d.number IS NOT NULL
                        THEN document_number_text(d.number, d.symbol) END,
    'place', d.place, 'decided_on', d.decided_on, 'signer_name', d.signer_name,
    'signer_title', d.signer_title, 'items', decision_items_json(d, p_position))
    FROM decisions d WHERE d.organization_id = p_org AND d.id = p_id
$$;
