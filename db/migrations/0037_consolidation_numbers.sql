-- 0037_consolidation_numbers.sql — the consolidated report as a document
-- that travels (issue 14 §3): numbered in the agency's common series of
-- outgoing documents (as decisions and proposals), signed by a named
-- person, and superseded by a later version of the same period when a
-- unit reported after it was sent.  Both versions stay in the feed; each
-- names the other.

ALTER TABLE consolidations
  ADD COLUMN number        integer,
  ADD COLUMN year          integer,
  ADD COLUMN symbol        text CHECK (length(symbol) BETWEEN 1 AND 60),
  ADD COLUMN sent_on       date,
  ADD COLUMN signer_name   text CHECK (length(signer_name) BETWEEN 1 AND 200),
  ADD COLUMN signer_title  text CHECK (length(signer_title) <= 200),
  ADD COLUMN sent_by       text,
  ADD COLUMN supersedes    bigint REFERENCES consolidations (id),
  ADD COLUMN superseded_by bigint REFERENCES consolidations (id),
  ADD COLUMN superseded_at timestamptz;
-- one version of a period in force at a time: the sends of an organisation
-- are serialised by their advisory lock (store/consolidations.c), and the
-- send that supersedes marks the one before in the same statement
CREATE INDEX consolidations_in_force ON consolidations (organization_id, period_id)
  WHERE status = 'sent' AND superseded_by IS NULL;

-- Versions sent before: each superseded by the next one sent of its period
-- (until now a period could have several in force).
UPDATE consolidations k
   SET supersedes = n.prev_id, superseded_by = n.next_id, superseded_at = n.next_sent_at
  FROM (SELECT id, lag(id) OVER w AS prev_id, lead(id) OVER w AS next_id,
               lead(sent_at) OVER w AS next_sent_at
          FROM consolidations WHERE status = 'sent'
        WINDOW w AS (PARTITION BY organization_id, period_id ORDER BY feed_seq)) n
 WHERE k.id = n.id AND (n.prev_id IS NOT NULL OR n.next_id IS NOT NULL);
