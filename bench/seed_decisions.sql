-- bench/seed_decisions.sql — the data the decision_sign_1000 scenario signs.
--
--   psql -v hash=... [-v drafts=N] -f bench/seed_decisions.sql
--
-- The organisation BENCH-DECISION: the head of the agency bench.decision
-- (role leader; password hash :hash), a fund for 2024 large enough for
-- every run, and drafts of decisions of 1,000 awards each.  Per draft:
-- 1,000 staff of their own (a person is decided once or twice a year, not
-- forty times: the ledger's packed facts of each person are repacked when
-- the decision is signed, and their cost grows with the person's awards),
-- a submitted round nominating 800 of them for Lao động tiên tiến, 150 for
-- Chiến sĩ thi đua cơ sở and 50 for a Giấy khen, a council session whose
-- signed minutes approve them all, and the draft made from it by
-- decision_create, as the Office would.  Signing one writes 1,000 awards
-- into the ledger, computes 1,000 bonuses and pays them from the fund
-- (db/procedures/decisions.sql).  Each load adds drafts until N (default
-- 40) are unsigned.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?drafts}
\else
\set drafts 40
\endif

BEGIN;

CREATE FUNCTION pg_temp.bench_org() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  org bigint := (SELECT id FROM organizations WHERE code = 'BENCH-DECISION');
BEGIN
  IF org IS NOT NULL THEN
    RETURN org;
  END IF;
  INSERT INTO organizations (code, name) VALUES ('BENCH-DECISION', 'Đo hiệu năng: quyết định')
  RETURNING id INTO org;
  INSERT INTO units (organization_id, code, name, kind)
  VALUES (org, 'ROOT', 'Văn phòng', 'office');
  INSERT INTO emulation_funds (organization_id, year, size, set_aside_percent, rule_set)
  VALUES (org, 2024, 999999999999, 20, 'nd98_2023');
  RETURN org;
END $$;

-- One draft: its round, its session with signed minutes, the draft.
CREATE FUNCTION pg_temp.bench_draft(org bigint, k integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  rid bigint;
  sid bigint;
  unit bigint := (SELECT id FROM units WHERE organization_id = org AND code = 'ROOT');
  r write_result;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS bench_people (id bigint, n integer);
  TRUNCATE bench_people;
  WITH s AS (
    INSERT INTO staff (organization_id, unit_id, full_name, gender, position, employment_type,
                       start_date)
    SELECT org, unit, 'Cán bộ số ' || k || '.' || i,
           CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END, 'Chuyên viên', 'civil_servant',
           DATE '2010-01-01'
      FROM generate_series(1, 1000) i
    RETURNING id)
  INSERT INTO bench_people SELECT id, row_number() OVER (ORDER BY id) FROM s;
  INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date, status)
  VALUES (org, 2024, 'annual', 'Đo hiệu năng: đợt ' || k, '2024-12-15', '2024-12-20',
          'submitted') RETURNING id INTO rid;
  INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                           achievement, nominated_by)
  SELECT org, rid, CASE WHEN p.n <= 800 THEN 'lao_dong_tien_tien'
                        WHEN p.n <= 950 THEN 'chien_si_thi_dua_co_so' ELSE 'giay_khen' END,
         'staff', p.id, 'Hoàn thành xuất sắc nhiệm vụ năm 2024', 'bench'
    FROM bench_people p;
  INSERT INTO council_sessions (organization_id, name, held_on, status, ballot_secret,
                                ballot_key, created_by)
  VALUES (org, 'Đo hiệu năng: phiên ' || k, '2024-12-22', 'voting',
          decode(repeat('01', 32), 'hex'), decode(repeat('02', 32), 'hex'), 'bench')
  RETURNING id INTO sid;
  INSERT INTO council_agenda (organization_id, session_id, round_id) VALUES (org, sid, rid);
  INSERT INTO council_candidates (organization_id, session_id, nomination_id, rule_id, rule_set)
  SELECT org, sid, n.id, (council_rule_for('nd98_2023', n.award_code)).id, 'nd98_2023'
    FROM nominations n WHERE n.round_id = rid;
  UPDATE council_sessions SET status = 'signed', minutes_hash = sha256(convert_to(k::text, 'UTF8')),
         minutes = jsonb_build_object('tally', (SELECT jsonb_agg(jsonb_build_object(
                     'nomination_id', n.id, 'approved', true)) FROM nominations n
                     WHERE n.round_id = rid))
   WHERE id = sid;
  r := decision_create(org, 'system', 'bench', 'bench', jsonb_build_object(
         'session_id', sid, 'symbol', 'QĐ-BENCH', 'title', 'Về việc tặng danh hiệu thi đua năm 2024',
         'place', 'Gia Lai', 'signer_name', 'Trưởng ban đo hiệu năng',
         'signer_title', 'Trưởng ban'));
  IF r.outcome <> 'ok' THEN
    RAISE EXCEPTION 'bench draft %: %', k, r.code;
  END IF;
END $$;

SELECT pg_temp.bench_org() AS org \gset
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
VALUES (:org, 'bench.decision', 'Trưởng ban đo hiệu năng', :'hash', '{leader}')
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;
SELECT pg_temp.bench_draft(:org, k)
  FROM generate_series(1, greatest(0, :drafts - (SELECT count(*)::integer FROM decisions
                                                  WHERE organization_id = :org
                                                    AND status = 'draft'))) k;
COMMIT;
