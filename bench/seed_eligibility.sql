-- bench/seed_eligibility.sql — the data the eligibility scenario reads.
--
--   psql -v hash=... -f bench/seed_eligibility.sql
--   psql -v hash=... -v province=1 -f bench/seed_eligibility.sql
--
-- The organisation BENCH-ELIG: 10 units under one root, 1,000 staff with
-- five years (2020-2024) of facts — a rating each year (60 % good, 25 %
-- excellent, 10 % completed, 5 % not rated) with its discipline statement,
-- a reprimand for 2 %, leave for 10 % (a third of it maternity), a case
-- under review for 1 %, an initiative for 15 %, the ledger of LĐTT and
-- CSTĐCS of the earlier years — and a review round for 2024 nominating
-- every person for Lao động tiên tiến and 150 of them for Chiến sĩ thi đua
-- cơ sở.  Plus one admin account, bench.elig, whose password hash is
-- :hash.  Pseudo-random choices are fixed functions of the ids, so every
-- load builds the same data.  Idempotent: an existing organisation is left
-- alone.
--
-- With province=1, the province BENCH-PROVINCE of 100 such organisations
-- (BENCH-ELIG-P001 ... P100: 100,000 staff, 100 rounds of 1,150
-- nominations) and its viewer bench.province, instead of BENCH-ELIG.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?province}
\else
\set province 0
\endif

BEGIN;

CREATE FUNCTION pg_temp.bench_eligibility(org_code text, org_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  org bigint;
  root bigint;
  rnd bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM organizations WHERE code = org_code) THEN
    RETURN;
  END IF;
  INSERT INTO organizations (code, name) VALUES (org_code, org_name)
  RETURNING id INTO org;
  INSERT INTO units (organization_id, code, name, kind)
  VALUES (org, 'ROOT', 'Lãnh đạo Ban', 'leadership') RETURNING id INTO root;
  INSERT INTO units (organization_id, parent_id, code, name, kind)
  SELECT org, root, 'U' || u, 'Phòng số ' || u, 'department' FROM generate_series(1, 10) u;

  INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type, start_date)
  SELECT org, (SELECT id FROM units WHERE organization_id = org AND code = 'U' || (1 + i % 10)),
         'Cán bộ số ' || i, CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END,
         'civil_servant', make_date(2005 + i % 15, 1 + i % 12, 1)
    FROM generate_series(1, 1000) i;
  DROP TABLE IF EXISTS be;
  CREATE TEMP TABLE be ON COMMIT DROP AS
    SELECT s.id, (row_number() OVER (ORDER BY s.id))::integer AS n FROM staff s WHERE s.organization_id = org;

  INSERT INTO staff_evaluations (organization_id, staff_id, year, rating, disciplined, rated_on,
                                 source_document)
  SELECT org, be.id, y, CASE WHEN (be.n * 7 + y) % 20 < 12 THEN 'good'
                             WHEN (be.n * 7 + y) % 20 < 17 THEN 'excellent'
                             ELSE 'completed' END,
         (be.n * 13 + y) % 50 = 0, make_date(y, 12, 16), 'Quyết định xếp loại năm ' || y
    FROM be CROSS JOIN generate_series(2020, 2024) y
   WHERE (be.n + y) % 20 <> 0;
  INSERT INTO staff_disciplines (organization_id, staff_id, form, decision_number, decided_on,
                                 in_force_from, in_force_until)
  SELECT org, be.id, 'reprimand', be.n || '/QĐ-KL', make_date(2020 + be.n % 5, 3, 1),
         make_date(2020 + be.n % 5, 3, 1), make_date(2021 + be.n % 5, 2, 28)
    FROM be WHERE be.n % 50 = 7;
  INSERT INTO staff_leaves (organization_id, staff_id, kind, starts_on, ends_on)
  SELECT org, be.id, CASE WHEN be.n % 3 = 0 THEN 'maternity' ELSE 'sickness' END,
         make_date(2020 + be.n % 5, 2, 1), make_date(2020 + be.n % 5, 2 + be.n % 6, 28)
    FROM be WHERE be.n % 10 = 3;
  INSERT INTO staff_cases (organization_id, staff_id, kind, opened_on)
  SELECT org, be.id, 'complaint', DATE '2024-10-01' FROM be WHERE be.n % 100 = 42;
  WITH ini AS (
    INSERT INTO initiatives (organization_id, kind, title, level, recognised_by,
                             decision_number, recognised_on)
    SELECT org, 'initiative', 'Sáng kiến số ' || be.n, 'base', 'Hội đồng sáng kiến',
           be.n || '/QĐ-HĐSK', make_date(2022 + be.n % 3, 6, 1)
      FROM be WHERE be.n % 7 = 1
    RETURNING id, title)
  INSERT INTO initiative_credits (organization_id, initiative_id, staff_id)
  SELECT org, ini.id, be.id FROM ini JOIN be ON ini.title = 'Sáng kiến số ' || be.n;
  INSERT INTO staff_titles (organization_id, staff_id, year, title_code, decision_number,
                            decision_date)
  SELECT org, be.id, y, 'lao_dong_tien_tien', y || '/QĐ-KT', make_date(y, 12, 28)
    FROM be CROSS JOIN generate_series(2020, 2023) y WHERE (be.n + y) % 5 <> 0;
  INSERT INTO staff_titles (organization_id, staff_id, year, title_code, decision_number,
                            decision_date)
  SELECT org, be.id, y, 'chien_si_thi_dua_co_so', y || '/QĐ-KT', make_date(y, 12, 28)
    FROM be CROSS JOIN generate_series(2021, 2023) y WHERE (be.n + y) % 9 = 0;

  INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date)
  VALUES (org, 2024, 'annual', 'Bình xét thi đua năm 2024', '2024-12-15', '2024-12-20')
  RETURNING id INTO rnd;
  INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                           nominated_by)
  SELECT org, rnd, 'lao_dong_tien_tien', 'staff', be.id, 'bench' FROM be;
  INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                           nominated_by)
  SELECT org, rnd, 'chien_si_thi_dua_co_so', 'staff', be.id, 'bench' FROM be
   WHERE be.n % 20 < 3;
END $$;

\if :province
SELECT pg_temp.bench_eligibility('BENCH-ELIG-P' || lpad(i::text, 3, '0'),
                                 'Đo hiệu năng: cơ quan số ' || i)
  FROM generate_series(1, 100) i;
INSERT INTO organizations (code, name, kind)
VALUES ('BENCH-PROVINCE', 'Đo hiệu năng: tỉnh', 'province') ON CONFLICT (code) DO NOTHING;
INSERT INTO province_members (province_id, member_id, valid_from)
SELECT p.id, o.id, DATE '2020-01-01'
  FROM organizations p, organizations o
 WHERE p.code = 'BENCH-PROVINCE' AND o.code LIKE 'BENCH-ELIG-P%'
ON CONFLICT DO NOTHING;
-- the account gets this run's password even when the data was there
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT id, 'bench.province', 'Sở Nội vụ (đo hiệu năng)', :'hash', '{viewer}'
  FROM organizations WHERE code = 'BENCH-PROVINCE'
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;
\else
SELECT pg_temp.bench_eligibility('BENCH-ELIG', 'Đo hiệu năng: bình xét');
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT id, 'bench.elig', 'Văn phòng (đo hiệu năng)', :'hash', '{secretariat}'
  FROM organizations WHERE code = 'BENCH-ELIG'
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;
\endif
COMMIT;
ANALYZE staff, staff_evaluations, staff_disciplines, staff_leaves, staff_cases, initiatives,
  initiative_credits, staff_titles, nominations, review_rounds;
