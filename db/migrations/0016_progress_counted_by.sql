-- 0016_progress_counted_by.sql — which counting rules made a kept plan's
-- spans (progress_plans, migration 0009), so that a change of the rules
-- recounts the plans kept under the older ones, once.
--
-- Rules 2 (issue 11): "not disciplined" counts a person only on a record
-- that says so (a rating of the year stating it), never on the absence of
-- one, and a discipline decision of the period counts against it; the
-- spans of leave entered through the API (staff_leaves) take a person out
-- of the rated population as the leave on the staff record does.  The
-- spans kept so far were made by rules 1; db/procedures/target_progress.sql
-- recounts every plan whose counted_by is lower than its rules and raises
-- it.  Plans kept from now on are counted by rules 2 from their insert.

ALTER TABLE progress_plans ADD COLUMN counted_by integer NOT NULL DEFAULT 1;
ALTER TABLE progress_plans ALTER COLUMN counted_by SET DEFAULT 2;
