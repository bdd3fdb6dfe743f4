-- 0014_staff_facts.sql — each person's year-end facts, packed in one row.
--
-- A review round's checked list judges every nominee from their ratings,
-- discipline, leave, cases, initiatives and ledger: read as one row per
-- fact, a round of a thousand people was ~9,000 rows and the largest part
-- of the list's time.  staff_facts keeps, per person, the same facts as
-- text lines (db/procedures/staff_facts.sql, staff_facts_pack, states the
-- format), rewritten by triggers in the same transaction as every change
-- of a table it packs; a list reads one row per person.  The facts
-- themselves stay where they are: this is a derived copy, and a test
-- compares it with a repacking from scratch after random writes.
--
-- staff_facts_fill holds one row until the procedures have packed the
-- facts that existed before this migration (staff_facts.sql, on load).

CREATE TABLE staff_facts (
  organization_id bigint NOT NULL,
  staff_id        bigint PRIMARY KEY,
  facts           text NOT NULL,
  FOREIGN KEY (organization_id, staff_id) REFERENCES staff (organization_id, id)
);
CREATE INDEX staff_facts_org ON staff_facts (organization_id, staff_id);

CREATE TABLE staff_facts_fill (pending boolean PRIMARY KEY);
INSERT INTO staff_facts_fill VALUES (true);
