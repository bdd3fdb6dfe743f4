-- fund.sql — the emulation fund of a year and the bonuses paid out of it
-- (migration 0021).

-- An award's bonus in VND: hundredths/100 × base, rounded up to a
-- multiple of 10,000, in integers.  The same arithmetic as
-- service/domain/bonus.c, which the service checks against every payment
-- it records.
CREATE OR REPLACE FUNCTION bonus_amount_of(p_hundredths integer, p_base bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE
RETURN ((p_hundredths::bigint * p_base + 999999) / 1000000) * 10000;

-- Whom an award's bonus is for, as the rate table names them.
CREATE OR REPLACE FUNCTION bonus_subject(p_subject_kind text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE p_subject_kind WHEN 'staff' THEN 'individual' WHEN 'household' THEN 'household'
                           ELSE 'collective' END;

-- Who receives an award, as payments of one period are grouped.
CREATE OR REPLACE FUNCTION bonus_recipient_key(p_subject_kind text, p_staff bigint,
  p_unit bigint, p_household bigint) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE p_subject_kind WHEN 'staff' THEN 'staff:' || p_staff
                           WHEN 'unit' THEN 'unit:' || p_unit
                           WHEN 'household' THEN 'household:' || p_household
                           ELSE 'agency' END;

-- The coefficient (hundredths) of an award under a rule set or a set it
-- copies, nearest first.
CREATE OR REPLACE FUNCTION bonus_hundredths(p_set text, p_award text, p_subject text)
RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT b.hundredths FROM rule_set_chain(p_set) c JOIN bonus_coefficients b ON b.rule_set = c.code
   WHERE b.award_code = p_award AND b.subject = p_subject
   ORDER BY c.depth LIMIT 1
$$;

-- An award of the ledger as what pays it: its code, whether an individual
-- or a collective receives it, its decision's date, who receives it, and
-- the coefficient and base salary of that date (NULL when none is known).
CREATE OR REPLACE FUNCTION award_bonus_basis(p_org bigint, p_ledger text, p_id bigint)
RETURNS TABLE (award_code text, subject text, category text, recipient_key text,
               period_year integer, decision_date date, decision_number text, recipient text,
               hundredths integer, base_salary bigint)
LANGUAGE sql STABLE AS $$
  WITH a AS (
    SELECT t.title_code AS code, 'individual' AS subject, 'staff:' || t.staff_id AS rkey,
           t.year, t.decision_date, t.decision_number, s.full_name AS recipient
      FROM staff_titles t JOIN staff s ON s.id = t.staff_id
     WHERE p_ledger = 'title' AND t.organization_id = p_org AND t.id = p_id
    UNION ALL
    SELECT w.award_code, bonus_subject(w.subject_kind),
           bonus_recipient_key(w.subject_kind, w.staff_id, w.unit_id, w.household_id),
           w.year, w.decision_date, w.decision_number,
           coalesce(s.full_name, u.name, h.name, o.name)
      FROM awards w JOIN organizations o ON o.id = w.organization_id
      LEFT JOIN staff s ON s.id = w.staff_id LEFT JOIN units u ON u.id = w.unit_id
      LEFT JOIN households h ON h.id = w.household_id
     WHERE p_ledger = 'award' AND w.organization_id = p_org AND w.id = p_id)
  SELECT a.code, a.subject, k.category, a.rkey, a.year, a.decision_date, a.decision_number,
         a.recipient, bonus_hundredths(rule_set_for(p_org, a.decision_date), a.code, a.subject),
         (base_salary_json(a.decision_date)->>'amount')::bigint
    FROM a JOIN award_kinds k ON k.code = a.code
$$;

-- What a fund holds for awards: its size less the share set aside.
CREATE OR REPLACE FUNCTION fund_for_awards(p_size bigint, p_percent integer) RETURNS bigint
LANGUAGE sql IMMUTABLE
RETURN p_size - p_size * p_percent / 100;

-- A fund as GET /v1/funds/{year} shows it.
CREATE OR REPLACE FUNCTION fund_json(e emulation_funds) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'year', e.year, 'size', e.size, 'set_aside_percent', e.set_aside_percent,
    'set_aside', e.size - fund_for_awards(e.size, e.set_aside_percent),
    'for_awards', fund_for_awards(e.size, e.set_aside_percent),
    'paid', e.paid, 'balance', fund_for_awards(e.size, e.set_aside_percent) - e.paid,
    'rule_set', e.rule_set, 'source_document', e.source_document,
    'set_aside_source', (SELECT jsonb_build_object('document', r.source_document,
                                                   'article', r.source_article,
                                                   'clause', r.source_clause, 'mark', r.mark)
                           FROM fund_rules r WHERE r.rule_set = e.rule_set),
    'version', e.version, 'updated_at', e.updated_at)
$$;

-- A payment as the fund's report shows it, with its award's name and who
-- receives it.  Joins, not calls: a function called from a function is
-- planned again at every row, and a decision pays a thousand at once.
CREATE OR REPLACE FUNCTION fund_payment_json(p fund_payments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p.id, 'year', p.year, 'award_id', p.ledger || '-' || p.ledger_id,
    'award_code', p.award_code, 'award_name_vi', k.name_vi, 'award_name_en', k.name_en,
    'subject', p.subject, 'decision_date', p.decision_date,
    'recipient', coalesce(ts.full_name, ws.full_name, u.name, h.name, o.name),
    'coefficient_hundredths', p.hundredths, 'base_salary', p.base_salary,
    'full_amount', p.full_amount, 'amount', p.amount, 'period_year', p.period_year,
    'paid_on', p.paid_on, 'override_reason', p.override_reason, 'paid_by', p.paid_by,
    'created_at', p.created_at)
    FROM award_kinds k
    LEFT JOIN staff_titles t ON p.ledger = 'title' AND t.id = p.ledger_id
    LEFT JOIN staff ts ON ts.id = t.staff_id
    LEFT JOIN awards w ON p.ledger = 'award' AND w.id = p.ledger_id
    LEFT JOIN staff ws ON ws.id = w.staff_id
    LEFT JOIN units u ON u.id = w.unit_id
    LEFT JOIN households h ON h.id = w.household_id
    LEFT JOIN organizations o ON o.id = w.organization_id
   WHERE k.code = p.award_code
$$;

-- Enters or changes the fund of a year (f: size, source_document): the
-- share set aside is the one of the rule set in force on 1 January of the
-- year, kept with the fund.  A size below what is already paid is refused.
CREATE OR REPLACE FUNCTION fund_put(p_org bigint, p_atype text, p_aid text, p_req text,
  p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  old emulation_funds;
  e emulation_funds;
  set_code text := rule_set_for(p_org, make_date(p_year, 1, 1));
  pct integer := (SELECT r.set_aside_percent FROM fund_rules r WHERE r.rule_set = set_code);
  size bigint := (f->>'size')::bigint;
BEGIN
  SELECT * INTO old FROM emulation_funds
   WHERE organization_id = p_org AND year = p_year FOR UPDATE;
  IF old.year IS NOT NULL AND fund_for_awards(size, old.set_aside_percent) < old.paid THEN
    RETURN write_refused('fund-below-paid', jsonb_build_object('paid', old.paid));
  END IF;
  INSERT INTO emulation_funds (organization_id, year, size, set_aside_percent, rule_set,
                               source_document)
  VALUES (p_org, p_year, size, coalesce(pct, 20), set_code,
          normalize(btrim(coalesce(f->>'source_document', '')), NFC))
  ON CONFLICT (organization_id, year) DO UPDATE
    SET size = EXCLUDED.size, source_document = EXCLUDED.source_document,
        updated_at = now(), version = emulation_funds.version + 1
  RETURNING * INTO e;
  PERFORM audit_append(p_org, p_atype, p_aid, 'fund.put', 'fund', p_year::text,
                       CASE WHEN old.year IS NULL THEN NULL ELSE fund_json(old) END,
                       fund_json(e), p_req);
  RETURN write_ok(fund_json(e)::text, e.version, p_year);
END $$;

-- Pays awards of the ledger from the fund of p_year at once, all or none.
-- p_basis: [{ledger, id, award_code, subject, recipient_key, period_year,
-- category, decision_date, hundredths, base_salary}], what award_bonus_basis
-- says of each (the caller has checked that the awards exist).  Each
-- award's full bonus is computed from its decision's date; several titles
-- of one recipient for the same period pay only the highest bonus
-- (Decree 152 Art. 49.5; Decree 91 Art. 68, same principle [unconfirmed
-- wording]): the highest pays what it exceeds those paid before, the
-- others nothing.  A title so covered refuses the whole unless
-- p_skip_covered (a decision's lesser titles are expected to be).
-- Refused: no fund, an award without a known rate, one paid already (the
-- unique key, under concurrency too), a total beyond the balance without
-- the Office's written reason p_reason.  Audited payment by payment, or,
-- with p_batch (a decision's id), as one entry of that decision listing
-- them (a thousand entries of one statement would be a third of its time).
-- Answers {"ids": [...], "count", "total"}.
CREATE OR REPLACE FUNCTION fund_pay_basis(p_org bigint, p_atype text, p_aid text, p_req text,
  p_year integer, p_paid_on date, p_reason text, p_basis jsonb, p_skip_covered boolean,
  p_batch bigint DEFAULT NULL)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  e emulation_funds;
  plan jsonb;
  bad jsonb;
  total bigint;
  ids jsonb;
BEGIN
  -- the fund's row is locked first: what follows reads the payments that
  -- got there before, committed (each statement a new snapshot)
  SELECT * INTO e FROM emulation_funds x WHERE x.organization_id = p_org AND x.year = p_year
     FOR UPDATE;
  IF NOT FOUND THEN
    RETURN write_refused('fund-missing', jsonb_build_object('year', p_year));
  END IF;
  -- the highest title of a period is judged over the payments of every
  -- fund year (a 2024 title may be paid from the 2025 fund): the title
  -- payments of one organisation take their turn, whichever fund pays
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_basis) b WHERE b->>'category' = 'title') THEN
    PERFORM pg_advisory_xact_lock(hashtext('fund_payments.title'), (p_org % 2147483647)::integer);
  END IF;
  SELECT jsonb_build_object('award_code', b->>'award_code', 'on', b->>'decision_date')
    INTO bad FROM jsonb_array_elements(p_basis) b
   WHERE b->>'hundredths' IS NULL OR b->>'base_salary' IS NULL LIMIT 1;
  IF bad IS NOT NULL THEN
    RETURN write_refused('fund-no-rate', bad);
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_basis) b JOIN fund_payments p
                ON p.organization_id = p_org AND p.ledger = b->>'ledger'
               AND p.ledger_id = (b->>'id')::bigint) THEN
    RETURN write_refused('fund-award-paid');
  END IF;
  WITH b AS (
    SELECT x.*, bonus_amount_of(x.hundredths, x.base_salary) AS full_amount
      FROM jsonb_to_recordset(p_basis) AS x (ledger text, id bigint, award_code text,
             subject text, recipient_key text, period_year integer, category text,
             decision_date date, hundredths integer, base_salary bigint)),
  prior AS (
    SELECT p.recipient_key, p.period_year, sum(p.amount) AS covered,
           string_agg(p.award_code, ', ' ORDER BY p.id) AS covered_by
      FROM fund_payments p
     WHERE p.organization_id = p_org AND p.category = 'title'
       AND (p.recipient_key, p.period_year) IN (SELECT b.recipient_key, b.period_year FROM b
                                                 WHERE b.category = 'title')
     GROUP BY 1, 2),
  ranked AS (
    SELECT b.*, coalesce(pr.covered, 0) AS covered, pr.covered_by,
           row_number() OVER (PARTITION BY b.category = 'title', b.recipient_key,
                                           b.period_year,
                                           CASE WHEN b.category = 'title' THEN ''
                                                ELSE b.ledger || b.id END
                              ORDER BY b.full_amount DESC, b.ledger, b.id) AS rank
      FROM b LEFT JOIN prior pr ON b.category = 'title'
                                AND pr.recipient_key = b.recipient_key
                                AND pr.period_year = b.period_year)
  SELECT jsonb_agg(to_jsonb(r) || jsonb_build_object('amount', CASE
           WHEN r.category <> 'title' THEN r.full_amount
           WHEN r.rank = 1 THEN greatest(r.full_amount - r.covered, 0) ELSE 0 END))
    INTO plan FROM ranked r;
  IF NOT p_skip_covered THEN
    SELECT jsonb_build_object('paid', greatest((x->>'covered')::bigint,
                                               (x->>'full_amount')::bigint),
                              'titles', x->>'covered_by', 'amount', x->>'full_amount',
                              'year', x->>'period_year')
      INTO bad FROM jsonb_array_elements(plan) x WHERE (x->>'amount')::bigint = 0 LIMIT 1;
    IF bad IS NOT NULL THEN
      RETURN write_refused('fund-title-covered', bad);
    END IF;
  END IF;
  total := (SELECT coalesce(sum((x->>'amount')::bigint), 0) FROM jsonb_array_elements(plan) x);
  UPDATE emulation_funds x SET paid = x.paid + total, updated_at = now(),
         version = x.version + 1
   WHERE x.organization_id = p_org AND x.year = p_year
     AND (p_reason IS NOT NULL OR fund_for_awards(x.size, x.set_aside_percent) - x.paid >= total);
  IF NOT FOUND THEN
    RETURN write_refused('fund-exhausted', jsonb_build_object(
      'amount', total, 'balance', fund_for_awards(e.size, e.set_aside_percent) - e.paid));
  END IF;
  WITH ins AS (
    INSERT INTO fund_payments (organization_id, year, ledger, ledger_id, award_code, subject,
                               recipient_key, period_year, category, decision_date, hundredths,
                               base_salary, full_amount, amount, paid_on, override_reason,
                               paid_by)
    SELECT p_org, p_year, x.ledger, x.id, x.award_code, x.subject, x.recipient_key,
           x.period_year, x.category, x.decision_date, x.hundredths, x.base_salary, x.full_amount,
           x.amount, p_paid_on, p_reason, p_atype || ':' || p_aid
      FROM jsonb_to_recordset(plan) AS x (ledger text, id bigint, award_code text,
             subject text, recipient_key text, period_year integer, category text,
             decision_date date, hundredths integer, base_salary bigint, full_amount bigint,
             amount bigint)
     WHERE x.amount > 0
    RETURNING *)
  SELECT coalesce(jsonb_agg(ins.id ORDER BY ins.id), '[]') INTO ids
    FROM ins LEFT JOIN LATERAL audit_append(p_org, p_atype, p_aid, 'fund.pay', 'fund_payment',
                                            ins.id::text, NULL, fund_payment_json(ins), p_req) a
      ON p_batch IS NULL;
  IF p_batch IS NOT NULL THEN
    PERFORM audit_append(p_org, p_atype, p_aid, 'fund.pay', 'decision', p_batch::text, NULL,
                         jsonb_build_object('year', p_year, 'paid_on', p_paid_on,
                                            'override_reason', p_reason, 'total', total,
                                            'payments', (SELECT jsonb_agg(jsonb_build_array(
                                                           p.id, p.ledger || '-' || p.ledger_id,
                                                           p.amount) ORDER BY p.id)
                                                           FROM fund_payments p
                                                          WHERE p.id IN (SELECT value::bigint
                                                            FROM jsonb_array_elements_text(ids)))),
                         p_req);
  END IF;
  RETURN write_ok(jsonb_build_object('ids', ids, 'count', jsonb_array_length(ids),
                                     'total', total)::text);
END $$;

-- Pays an award's bonus from the fund of p_year (f: ledger and id, the
-- parts of the ledger's award_id "title-12", paid_on, override_reason):
-- the amount from the award's decision date, never from the body
-- (fund_pay_basis).  Refused besides: an award not of the organisation, a
-- payment before the decision or outside the fund's year.
CREATE OR REPLACE FUNCTION fund_pay(p_org bigint, p_atype text, p_aid text, p_req text,
  p_year integer, f jsonb)
RETURNS write_result LANGUAGE plpgsql AS $$
DECLARE
  b record;
  r write_result;
  pay fund_payments;
  paid_on date := (f->>'paid_on')::date;
BEGIN
  SELECT * INTO b FROM award_bonus_basis(p_org, f->>'ledger', (f->>'id')::bigint);
  IF NOT FOUND THEN
    RETURN write_invalid('/award_id', 'fund-award-unknown');
  END IF;
  IF EXISTS (SELECT 1 FROM staff_titles t WHERE f->>'ledger' = 'title'
                AND t.id = (f->>'id')::bigint AND t.revoked_on IS NOT NULL
             UNION ALL
             SELECT 1 FROM awards w WHERE f->>'ledger' = 'award'
                AND w.id = (f->>'id')::bigint AND w.revoked_on IS NOT NULL) THEN
    RETURN write_refused('fund-award-revoked');
  END IF;
  IF paid_on < b.decision_date THEN
    RETURN write_invalid('/paid_on', 'fund-paid-before-decision',
                         jsonb_build_object('decision_date', b.decision_date));
  END IF;
  IF extract(year FROM paid_on) <> p_year THEN
    RETURN write_invalid('/paid_on', 'fund-paid-other-year',
                         jsonb_build_object('year', p_year));
  END IF;
  r := fund_pay_basis(p_org, p_atype, p_aid, p_req, p_year, paid_on,
                      nullif(normalize(btrim(coalesce(f->>'override_reason', '')), NFC), ''),
                      jsonb_build_array(to_jsonb(b) || jsonb_build_object(
                        'ledger', f->>'ledger', 'id', (f->>'id')::bigint)),
                      false);
  IF r.outcome <> 'ok' THEN
    RETURN r;
  END IF;
  SELECT * INTO pay FROM fund_payments
   WHERE id = (r.body::jsonb->'ids'->>0)::bigint;
  RETURN write_ok(fund_payment_json(pay)::text, NULL, pay.id);
END $$;

-- The fund of a year with its payments, in the order they were made.
CREATE OR REPLACE FUNCTION fund_report_json(p_org bigint, p_year integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT fund_json(e) || jsonb_build_object(
           'payments', (SELECT coalesce(jsonb_agg(fund_payment_json(p) ORDER BY p.id), '[]')
                          FROM fund_payments p
                         WHERE p.organization_id = e.organization_id AND p.year = e.year))
    FROM emulation_funds e WHERE e.organization_id = p_org AND e.year = p_year
$$;
