-- 0008_staff_search.sql — the staff search by syllable prefix, in name order.
--
-- Vietnamese users search a name by the beginnings of its syllables,
-- without tones ("ng v an" for Nguyễn Văn An), and read the answer in the
-- list's order (given name, then full name, under vi-VN-x-icu).  A trigram
-- index finds the matches but not in that order: a common syllable
-- ("nguyen", a third of a province) meant sorting hundreds of thousands of
-- rows for one page.  staff_name_parts holds one row per distinct syllable
-- of each name, folded (vn_fold), with the name's sort key; its index is
-- ordered by (organisation, syllable, given name, full name, id), so the
-- staff with a given syllable come out in list order and a page stops after
-- limit + 1 rows (service/store/directory.c: staff_search).
--
-- The rows are kept by statement-level triggers on staff, set-based
-- (db/procedures/staff_name_parts.sql); this migration fills the table for
-- the staff already there, with the same expression written out (a
-- migration must not rely on a procedure).
--
-- Substring search stays only inside one unit (?unit_id=), read whole from
-- staff_by_unit: the trigram index staff_search has no reader left and is
-- dropped (it was also the costliest index of every staff write).
-- Filling the table reads every staff row (about 30 s for 1,000,000): no
-- statement timeout for this migration's transaction.
SET LOCAL statement_timeout = 0;

CREATE TABLE staff_name_parts (
  organization_id bigint NOT NULL,
  part            text COLLATE "C" NOT NULL,       -- one folded syllable
  given_name      text COLLATE "vi-VN-x-icu" NOT NULL,
  full_name       text COLLATE "vi-VN-x-icu" NOT NULL,
  staff_id        bigint NOT NULL,
  -- the folded name, its syllables one space apart: a query's other
  -- syllables are checked on the index entry (' ' || words LIKE '% ng%'),
  -- without reading the staff row
  words           text COLLATE "C" NOT NULL,
  PRIMARY KEY (organization_id, part, given_name, full_name, staff_id) INCLUDE (words)
);

INSERT INTO staff_name_parts (organization_id, part, given_name, full_name, staff_id, words)
SELECT DISTINCT s.organization_id, w.part, s.given_name, s.full_name, s.id,
       btrim(regexp_replace(s.search_name, '\s+', ' ', 'g'))
FROM staff s, regexp_split_to_table(s.search_name, '\s+') AS w (part)
WHERE w.part <> '';

DROP INDEX staff_search;
