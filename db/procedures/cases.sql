-- cases.sql — complaints, denunciations and petitions (migration 0030):
-- their clocks, their steps, and the block they put on awards.

-- The clock of code in force on p_on (the nearest row starting on or
-- before it); NULL when the law had none then.
CREATE OR REPLACE FUNCTION case_clock(p_code text, p_on date) RETURNS case_clocks
LANGUAGE sql STABLE AS $$
  SELECT k.* FROM case_clocks k
   WHERE k.code = p_code AND k.valid_from <= p_on
     AND (k.valid_until IS NULL OR k.valid_until >= p_on)
   ORDER BY k.valid_from DESC LIMIT 1
$$;

-- The day a clock of k started on p_from runs out: calendar days, or
-- working days on the calendar (working_day_add).
CREATE OR REPLACE FUNCTION case_due(k case_clocks, p_from date) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN k.code IS NULL THEN NULL
              WHEN k.day_kind = 'calendar' THEN p_from + k.days
              ELSE (working_day_add(p_from, k.days)).due END
$$;

-- The clock a case is decided by: the kind's, complex or remote.
CREATE OR REPLACE FUNCTION case_decide_code(c cases) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN c.kind = 'denunciation' THEN 'denunciation_decide'
            WHEN c.kind <> 'complaint' THEN NULL
            WHEN c.remote AND c.complex THEN 'complaint_decide_remote_complex'
            WHEN c.remote THEN 'complaint_decide_remote'
            WHEN c.complex THEN 'complaint_decide_complex'
            ELSE 'complaint_decide' END;

CREATE OR REPLACE FUNCTION case_clock_json(k case_clocks) RETURNS jsonb
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN k.code IS NULL THEN NULL ELSE jsonb_build_object(
  'code', k.code, 'days', k.days, 'day_kind', k.day_kind,
  'source', jsonb_build_object('document', k.source_document, 'article', k.source_article,
                               'mark', k.mark)) END;

-- The rule that blocks awards while a case is open, on a day: the
-- no_pending_case rule of the rule set in force (rules, migration 0011),
-- the nearest set's; nothing when that set has none or drops it (Decree
-- 91's set: the service still blocks, and names no source).
CREATE OR REPLACE FUNCTION case_block_rule(p_org bigint, p_on date) RETURNS rules
LANGUAGE sql STABLE AS $$
  SELECT x.* FROM (
    SELECT r.*
      FROM rule_set_chain(rule_set_for(p_org, p_on)) c
      JOIN rules r ON r.rule_set = c.code
     WHERE r.kind = 'no_pending_case'
     ORDER BY c.depth, r.id
     LIMIT 1) x
   WHERE NOT x.dropped
$$;

-- The same as a citation ("152/2025/NĐ-CP Điều 4 khoản 4"), or NULL.
CREATE OR REPLACE FUNCTION case_block_source(p_org bigint, p_on date) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT concat_ws(' ', r.source_document, nullif(r.source_article, ''),
                   nullif(r.source_clause, ''))
    FROM case_block_rule(p_org, p_on) r
   WHERE r.id IS NOT NULL
$$;

-- Whether a reader sees a case's secrets — who lodged it, the files that
-- may name them: anyone for a complaint or a petition; for a denunciation
-- only its handler and the head of the agency (Law on Denunciations 2018
-- Art. 47).  p_user: the reading account, NULL for none.
CREATE OR REPLACE FUNCTION case_secret_readable(c cases, p_user bigint, p_head boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT c.kind <> 'denunciation' OR coalesce(p_head, false)
         OR coalesce(c.handler_user_id = p_user, false)
$$;

-- A case as its readers see it.  The lodger of a denunciation is shown
-- only to its handler (p_user) and the head of the agency (p_head): the
-- law protects a denouncer (Law on Denunciations 2018 Art. 47).
CREATE OR REPLACE FUNCTION case_json(c cases, p_user bigint, p_head boolean, p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', c.id, 'kind', c.kind, 'status', c.status,
    'staff_id', c.staff_id, 'unit_id', c.unit_id,
    'name', coalesce(s.full_name, u.name), 'channel', c.channel, 'about', c.about,
    'decision_id', c.decision_id, 'nomination_id', c.nomination_id, 'summary', c.summary,
    'lodger', CASE WHEN case_secret_readable(c, p_user, p_head)
                   THEN jsonb_build_object('name', c.lodger_name, 'contact', c.lodger_contact)
              END,
    -- a denunciation's letter may name its author: its files, as its
    -- lodger, for the handler and the head only
    'attachments', CASE WHEN case_secret_readable(c, p_user, p_head)
                        THEN record_files_json('case', c.id) END,
    'received_on', c.received_on, 'learned_on', c.learned_on,
    'lodged_late', c.kind = 'complaint' AND c.learned_on IS NOT NULL
                   AND c.received_on > case_due(case_clock('complaint_lodge', c.learned_on),
                                                c.learned_on),
    'complex', c.complex, 'remote', c.remote, 'handler_user_id', c.handler_user_id,
    'accept_due', c.accept_due, 'accepted_on', c.accepted_on, 'decide_due', c.decide_due,
    'extensions', c.extensions, 'closed_on', c.closed_on, 'outcome', c.outcome,
    'due', CASE c.status WHEN 'received' THEN c.accept_due
                         WHEN 'accepted' THEN c.decide_due
                         WHEN 'verifying' THEN c.decide_due END,
    'overdue', coalesce(c.closed_on IS NULL
                        AND p_today > CASE c.status WHEN 'received' THEN c.accept_due
                                                    ELSE c.decide_due END, false),
    'clocks', jsonb_build_object(
      'accept', case_clock_json(case_clock(c.kind || '_accept', c.received_on)),
      'decide', case_clock_json(case_clock(case_decide_code(c),
                                           coalesce(c.accepted_on, c.received_on)))),
    'blocks_awards', c.closed_on IS NULL AND c.kind IN ('complaint', 'denunciation'),
    -- the rule of the set in force today; null when it has none
    'block_source', (SELECT jsonb_build_object('document', r.source_document,
                                               'article', r.source_article,
                                               'clause', r.source_clause, 'mark', r.mark)
                       FROM case_block_rule(c.organization_id, p_today) r
                      WHERE r.id IS NOT NULL),
    'reminders', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'kind', m.kind, 'due', m.due, 'created_at', m.created_at) ORDER BY m.id),
                    '[]')
                    FROM case_reminders m WHERE m.case_id = c.id),
    -- the awards revoked because of it (decision_revoke with case_id)
    'revocations', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'decision_id', x.decision_id, 'position', x.position,
                      'award_code', x.award_code, 'revoked_on', x.revoked_on,
                      'return_due', x.return_due) ORDER BY x.decision_id, x.position), '[]')
                      FROM decision_items x WHERE x.revocation_case_id = c.id),
    'created_at', c.created_at, 'updated_at', c.updated_at, 'version', c.version)
    FROM (SELECT 1) one
    LEFT JOIN staff s ON s.id = c.staff_id
    LEFT JOIN units u ON u.id = c.unit_id
$$;

-- The organisation's cases: p_filter 'open', 'overdue' (past their due
-- day), 'due_soon' (due within 5 days) or 'all'; the most urgent first.
CREATE OR REPLACE FUNCTION cases_list(p_org bigint, p_filter text, p_user bigint,
  p_head boolean, p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('items', coalesce(jsonb_agg(j ORDER BY (j->>'due') NULLS LAST,
                                                        (j->>'id')::bigint), '[]'))
    FROM (SELECT case_json(c, p_user, p_head, p_today) AS j
            FROM cases c WHERE c.organization_id = p_org) x
   WHERE p_filter = 'all'
      OR (p_filter = 'open' AND x.j->>'closed_on' IS NULL)
      OR (p_filter = 'overdue' AND (x.j->>'overdue')::boolean)
      OR (p_filter = 'due_soon' AND x.j->>'closed_on' IS NULL
          AND (x.j->>'due')::date BETWEEN p_today AND p_today + 5)
$$;

-- The e-mail of a case's reminder, in Vietnamese: which case, which day,
-- and where to read it; nothing of who lodged it or what it says.
CREATE OR REPLACE FUNCTION case_reminder_text(p_case bigint, p_kind text, p_due date,
                                              OUT subject text, OUT body text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('[Thi đua – Khen thưởng] Vụ việc số %s %s ngày %s', p_case,
                CASE p_kind WHEN 'overdue' THEN 'đã quá hạn giải quyết từ'
                            ELSE 'sắp đến hạn giải quyết vào' END,
                to_char(p_due, 'DD/MM/YYYY')),
         format(E'Kính gửi đồng chí,\n\n'
                'Vụ việc số %s %s ngày %s.\n'
                'Đề nghị đồng chí xem hồ sơ vụ việc trên hệ thống thi đua, khen thưởng '
                '(GET /v1/cases/%s) và giải quyết theo đúng thời hạn luật định.\n\n'
                'Thư này do hệ thống gửi tự động; xin không trả lời thư này.\n',
                p_case,
                CASE p_kind WHEN 'overdue' THEN 'đã quá hạn giải quyết từ'
                            ELSE 'sắp đến hạn giải quyết vào' END,
                to_char(p_due, 'DD/MM/YYYY'), p_case)
$$;

-- Records the reminders due on p_today (housekeeping): an open case whose
-- clock ends within five days, or has ended; once per clock and kind.
CREATE OR REPLACE FUNCTION case_reminders_record(p_today date, p_mail boolean DEFAULT true)
RETURNS integer
LANGUAGE sql AS $$
  WITH due AS (
    SELECT c.organization_id, c.id,
           CASE c.status WHEN 'received' THEN c.accept_due ELSE c.decide_due END AS due
      FROM cases c
     WHERE c.closed_on IS NULL AND c.status IN ('received', 'accepted', 'verifying')),
  made AS (
    INSERT INTO case_reminders (organization_id, case_id, kind, due)
    SELECT d.organization_id, d.id, CASE WHEN d.due < p_today THEN 'overdue'
                                         ELSE 'due_soon' END, d.due
      FROM due d
     WHERE d.due IS NOT NULL AND d.due <= p_today + 5
    ON CONFLICT (case_id, kind, due) DO NOTHING
    RETURNING organization_id, case_id, kind, due),
  -- delivered by the outbox's webhooks (issue 14 §3); ids and days only:
  -- a denunciation's subject is not for a subscriber's URL
  sent AS (
    SELECT m.*, outbox_emit(m.organization_id, 'case.reminder',
                            jsonb_build_object('case_id', m.case_id, 'kind', m.kind,
                                               'due', m.due)) AS event_id FROM made m),
  -- and by e-mail (migration 0038) where a relay is configured (p_mail):
  -- to the handler, else to the Office
  mailed AS (
    INSERT INTO email_deliveries (organization_id, event_id, recipient, subject, body)
    SELECT s.organization_id, s.event_id, r.email, x.subject, x.body
      FROM sent s
      JOIN cases c ON c.id = s.case_id
     CROSS JOIN LATERAL case_reminder_text(s.case_id, s.kind, s.due) x
     CROSS JOIN LATERAL (
       SELECT u.email FROM users u
        WHERE u.organization_id = s.organization_id AND u.email IS NOT NULL
          AND NOT u.disabled
          AND CASE WHEN EXISTS (SELECT 1 FROM users h WHERE h.id = c.handler_user_id
                                   AND h.email IS NOT NULL AND NOT h.disabled)
                   THEN u.id = c.handler_user_id
                   ELSE 'secretariat' = ANY (u.roles) END) r
     WHERE p_mail
    ON CONFLICT (event_id, recipient) DO NOTHING)
  -- (an INSERT in a WITH runs whether or not it is read)
  SELECT count(*)::integer FROM sent
$$;

-- Records a case received on received_on (f: kind, staff_id or unit_id,
-- decision_id, nomination_id, summary, lodger_name, lodger_contact,
-- received_on, learned_on, complex, remote); the clock of its acceptance
-- starts; a complaint or denunciation about a person opens the fact that
-- blocks their awards (staff_cases).
CREATE OR REPLACE FUNCTION case_lodge(p_org bigint, p_atype text, p_aid text, p_req text,
  f jsonb, p_user bigint, p_head boolean, p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  c cases;
BEGIN
  INSERT INTO cases (organization_id, kind, staff_id, unit_id, decision_id, nomination_id,
                     summary, lodger_name, lodger_contact, lodged_by, received_on, learned_on,
                     complex, remote)
  VALUES (p_org, f->>'kind', (f->>'staff_id')::bigint, (f->>'unit_id')::bigint,
          (f->>'decision_id')::bigint, (f->>'nomination_id')::bigint,
          normalize(btrim(f->>'summary'), NFC),
          normalize(btrim(coalesce(f->>'lodger_name', '')), NFC),
          normalize(btrim(coalesce(f->>'lodger_contact', '')), NFC), p_atype || ':' || p_aid,
          (f->>'received_on')::date, (f->>'learned_on')::date,
          coalesce((f->>'complex')::boolean, false), coalesce((f->>'remote')::boolean, false))
  RETURNING * INTO c;
  UPDATE cases SET accept_due = case_due(case_clock(c.kind || '_accept', c.received_on),
                                         c.received_on)
   WHERE id = c.id RETURNING * INTO c;
  IF c.staff_id IS NOT NULL AND c.kind IN ('complaint', 'denunciation') THEN
    INSERT INTO staff_cases (organization_id, staff_id, kind, opened_on, reference, case_id)
    VALUES (p_org, c.staff_id, c.kind, c.received_on, 'case-' || c.id, c.id);
  END IF;
  -- the lodger's name stays out of the audit trail's copy too
  PERFORM audit_append(p_org, p_atype, p_aid, 'case.create', 'case', c.id::text, NULL,
                       case_json(c, NULL, false, p_today), p_req);
  RETURN write_ok(case_json(c, p_user, p_head, p_today)::text, c.version, c.id);
END $$;

-- A step of a case (p_step; f: on, reason, handler_user_id, outcome,
-- staff_id or unit_id):
--   accept   received → accepted: the clock of the decision starts; a
--            case the public lodged gets the person or unit it concerns
--   refuse   received → refused, with the reason (closed)
--   verify   accepted → verifying
--   extend   accepted or verifying, a denunciation within its extensions:
--            the due day moves by the extension's days, with the reason
--   decide   accepted or verifying → decided, with the outcome (closed)
--   withdraw open → withdrawn (closed)
-- Closing a case closes the fact that blocked the person's awards.
CREATE OR REPLACE FUNCTION case_step(p_org bigint, p_atype text, p_aid text, p_req text,
  p_id bigint, p_version integer, p_step text, f jsonb, p_user bigint, p_head boolean,
  p_today date)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  old cases;
  c cases;
  on_ date := coalesce((f->>'on')::date, p_today);
  ext case_clocks;
  closing boolean := p_step IN ('refuse', 'decide', 'withdraw');
BEGIN
  SELECT * INTO old FROM cases WHERE organization_id = p_org AND id = p_id FOR UPDATE;
  IF old.id IS NULL THEN
    RETURN write_not_found();
  ELSIF p_version IS NOT NULL AND p_version <> old.version THEN
    RETURN write_stale(old.version);
  ELSIF NOT ((p_step IN ('accept', 'refuse') AND old.status = 'received')
          OR (p_step = 'verify' AND old.status = 'accepted')
          OR (p_step IN ('extend', 'decide') AND old.status IN ('accepted', 'verifying'))
          OR (p_step = 'withdraw' AND old.closed_on IS NULL)) THEN
    RETURN write_refused('case-state', jsonb_build_object('status', old.status));
  ELSIF on_ < old.received_on THEN
    RETURN write_invalid('/on', 'case-before-received',
                         jsonb_build_object('received_on', old.received_on));
  ELSIF f->>'handler_user_id' IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.organization_id = p_org
                                                AND u.id = (f->>'handler_user_id')::bigint) THEN
    -- the handler reads a denouncer's name: an account of the agency only
    RETURN write_invalid('/handler_user_id', 'case-handler-unknown');
  END IF;
  IF p_step = 'extend' THEN
    ext := case_clock('denunciation_extension', coalesce(old.accepted_on, old.received_on));
    IF old.kind <> 'denunciation' OR ext.code IS NULL THEN
      RETURN write_refused('case-no-extension', jsonb_build_object('kind', old.kind));
    ELSIF old.extensions >= ext.max_count THEN
      RETURN write_refused('case-extensions-used', jsonb_build_object('max', ext.max_count));
    END IF;
  END IF;
  UPDATE cases x SET
    status = CASE p_step WHEN 'accept' THEN 'accepted' WHEN 'refuse' THEN 'refused'
                         WHEN 'verify' THEN 'verifying' WHEN 'decide' THEN 'decided'
                         WHEN 'withdraw' THEN 'withdrawn' ELSE x.status END,
    accepted_on = CASE WHEN p_step = 'accept' THEN on_ ELSE x.accepted_on END,
    handler_user_id = coalesce((f->>'handler_user_id')::bigint, x.handler_user_id),
    extensions = x.extensions + CASE WHEN p_step = 'extend' THEN 1 ELSE 0 END,
    decide_due = CASE WHEN p_step = 'extend' THEN case_due(ext, x.decide_due)
                      ELSE x.decide_due END,
    closed_on = CASE WHEN closing THEN on_ ELSE x.closed_on END,
    outcome = CASE WHEN closing OR p_step = 'extend'
                   THEN normalize(btrim(coalesce(f->>'outcome', f->>'reason', '')), NFC)
                   ELSE x.outcome END,
    updated_at = now(), version = x.version + 1
   WHERE x.id = old.id RETURNING * INTO c;
  IF p_step = 'accept' THEN
    -- a case the public lodged is about whom the Office names on accepting
    -- it (when it was not named before)
    UPDATE cases SET decide_due = case_due(case_clock(case_decide_code(c), on_), on_),
           staff_id = CASE WHEN staff_id IS NULL AND unit_id IS NULL
                           THEN (f->>'staff_id')::bigint ELSE staff_id END,
           unit_id = CASE WHEN staff_id IS NULL AND unit_id IS NULL
                          THEN (f->>'unit_id')::bigint ELSE unit_id END
     WHERE id = c.id RETURNING * INTO c;
    IF old.staff_id IS NULL AND c.staff_id IS NOT NULL
       AND c.kind IN ('complaint', 'denunciation') THEN
      INSERT INTO staff_cases (organization_id, staff_id, kind, opened_on, reference, case_id)
      VALUES (p_org, c.staff_id, c.kind, on_, 'case-' || c.id, c.id);
    END IF;
  END IF;
  IF closing THEN
    UPDATE staff_cases SET closed_on = on_, updated_at = now(), version = version + 1
     WHERE case_id = c.id AND closed_on IS NULL;
  END IF;
  PERFORM audit_append(p_org, p_atype, p_aid, 'case.' || p_step, 'case', c.id::text,
                       case_json(old, NULL, false, p_today), case_json(c, NULL, false, p_today),
                       p_req);
  RETURN write_ok(case_json(c, p_user, p_head, p_today)::text, c.version, c.id);
END $$;

-- Whether a person or a unit has a complaint or denunciation open on
-- p_on (Decree 152 Art. 4.4): a person's open fact (staff_cases, which a
-- case keeps and the eligibility engine reads), or a unit's open case.
CREATE OR REPLACE FUNCTION subject_case_open(p_staff bigint, p_unit bigint, p_on date)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM staff_cases k
                  WHERE p_staff IS NOT NULL AND k.staff_id = p_staff AND k.opened_on <= p_on
                    AND (k.closed_on IS NULL OR k.closed_on > p_on))
      OR EXISTS (SELECT 1 FROM cases k
                  WHERE p_unit IS NOT NULL AND k.unit_id = p_unit
                    AND k.kind IN ('complaint', 'denunciation') AND k.received_on <= p_on
                    AND (k.closed_on IS NULL OR k.closed_on > p_on))
$$;

-- The refusal of a decision's signing or a proposal's sending (p_list
-- 'decision' or 'proposal') when one of its recipients has a case open
-- on p_on, naming the first by position and the block's source; NULL
-- when none.  One query over either list, so that both block alike.
CREATE OR REPLACE FUNCTION list_case_refusal(p_list text, p_id bigint, p_on date)
RETURNS write_result LANGUAGE plpgsql STABLE AS $$
DECLARE
  x record;
  src text;
BEGIN
  SELECT i.organization_id, i.position, coalesce(s.full_name, u.name) AS name INTO x
    FROM (SELECT organization_id, position, staff_id, unit_id FROM decision_items
           WHERE p_list = 'decision' AND decision_id = p_id
          UNION ALL
          SELECT organization_id, position, staff_id, unit_id FROM proposal_items
           WHERE p_list = 'proposal' AND proposal_id = p_id) i
    LEFT JOIN staff s ON s.id = i.staff_id
    LEFT JOIN units u ON u.id = i.unit_id
   WHERE subject_case_open(i.staff_id, i.unit_id, p_on)
   ORDER BY i.position
   LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  src := case_block_source(x.organization_id, p_on);
  RETURN write_refused(
    CASE WHEN p_list = 'decision' AND src IS NULL THEN 'decision-case-open-unsourced'
         WHEN p_list = 'decision' THEN 'decision-case-open'
         WHEN src IS NULL THEN 'proposal-case-open-unsourced'
         ELSE 'proposal-case-open' END,
    jsonb_build_object('name', x.name, 'position', x.position, 'source', src));
END $$;

CREATE OR REPLACE FUNCTION case_get(p_org bigint, p_id bigint, p_user bigint, p_head boolean,
  p_today date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT case_json(c, p_user, p_head, p_today) FROM cases c
   WHERE c.organization_id = p_org AND c.id = p_id
$$;

-- A case lodged by the public (f: kind, summary, about, decision — the
-- public id "decision-12" of a published decision —, lodger_name,
-- lodger_contact) at p_address_key, at most p_per_day a day from one
-- address; it is received today and its clock of acceptance starts.  The
-- answer is a receipt: the case's reference and its clock, nothing of the
-- Office's list.  The address is kept only in the quota, never with the
-- case nor in the audit trail.
CREATE OR REPLACE FUNCTION case_lodge_public(p_code text, p_address_key text, p_per_day integer,
  f jsonb, p_today date, p_req text, p_digest bytea, p_expires timestamptz)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  o organizations;
  c cases;
  d decisions;
BEGIN
  SELECT * INTO o FROM organizations WHERE code = p_code;
  IF o.id IS NULL THEN
    RETURN write_not_found();
  END IF;
  IF f->>'decision' IS NOT NULL THEN
    SELECT * INTO d FROM decisions x
     WHERE x.organization_id = o.id AND x.status = 'signed'
       AND 'decision-' || x.id = f->>'decision';
    IF d.id IS NULL THEN
      RETURN write_invalid('/decision', 'public-case-decision-unknown');
    END IF;
  END IF;
  IF NOT public_proof_spend(p_digest, p_expires) THEN
    RETURN write_refused('public-proof-spent');
  ELSIF NOT public_quota_take(p_address_key, p_today, p_per_day) THEN
    RETURN write_refused('public-case-quota', jsonb_build_object('limit', p_per_day));
  END IF;
  INSERT INTO cases (organization_id, kind, channel, about, decision_id, summary, lodger_name,
                     lodger_contact, lodged_by, received_on)
  VALUES (o.id, f->>'kind', 'public', normalize(btrim(coalesce(f->>'about', '')), NFC), d.id,
          normalize(btrim(f->>'summary'), NFC),
          normalize(btrim(coalesce(f->>'lodger_name', '')), NFC),
          normalize(btrim(coalesce(f->>'lodger_contact', '')), NFC), 'public', p_today)
  RETURNING * INTO c;
  UPDATE cases SET accept_due = case_due(case_clock(c.kind || '_accept', c.received_on),
                                         c.received_on)
   WHERE id = c.id RETURNING * INTO c;
  PERFORM audit_append(o.id, 'system', 'public', 'case.lodge', 'case', c.id::text, NULL,
                       case_json(c, NULL, false, p_today), p_req);
  RETURN write_ok(jsonb_build_object(
    'reference', 'case-' || c.id, 'kind', c.kind, 'received_on', c.received_on,
    'accept_due', c.accept_due,
    'clock', case_clock_json(case_clock(c.kind || '_accept', c.received_on)))::text,
    c.version, c.id);
END $$;

-- Forgets the public's quotas of days past in Vietnam, and the proofs of
-- work whose challenge expired (housekeeping).
CREATE OR REPLACE FUNCTION public_case_quota_purge() RETURNS integer
LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM public_case_quota
                 WHERE day < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date RETURNING 1)
  SELECT count(*)::integer + public_proofs_purge() FROM gone
$$;
