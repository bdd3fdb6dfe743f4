-- 0022_plan_numbers.sql — a plan's number and symbol are its issuer's in a
-- calendar year (issue 12 §2).
--
-- Documents are numbered in sequence per issuing body, restarting on 1
-- January (Decree 30/2020/NĐ-CP on clerical work; domain.md §5.4, rule
-- 34): two plans of one organisation issued the same year never share a
-- number and symbol, so a second 125/KH-BQLKKT of 2022 is refused.  The
-- versions an amendment supersedes keep theirs; an amendment is issued
-- under a number of its own.  A database that already holds such a
-- duplicate stops this migration: the Office must renumber one first.
CREATE UNIQUE INDEX plans_number_per_year
  ON plans (organization_id, symbol, number, (extract(year FROM issued_on)))
  WHERE number <> '' AND issued_on IS NOT NULL;
