-- 0028_public_items.sql — what the agency has published, for its website
-- (issue 13 §4: /public/v1, the news feed).
--
-- A row is written when a document becomes public — a decision signed, a
-- plan issued — by triggers on those tables (db/procedures/public.sql),
-- in the transaction that publishes it.  The public API reads only this
-- table: nothing of a draft can reach it, and the feed's page is one
-- indexed range of it, not a union of every kind of document.  The title
-- and summary are written in both languages the service answers in.

CREATE TABLE public_items (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  -- 'decision-12', 'plan-3': stable, the feed's entry id
  id            text NOT NULL CHECK (id ~ '^[a-z]+-[0-9]{1,18}$'),
  kind          text NOT NULL CHECK (kind IN ('decision', 'plan')),
  ref_id        bigint NOT NULL,
  title_vi      text NOT NULL CHECK (length(title_vi) BETWEEN 1 AND 1000),
  title_en      text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 1000),
  summary_vi    text NOT NULL CHECK (length(summary_vi) <= 2000),
  summary_en    text NOT NULL CHECK (length(summary_en) <= 2000),
  -- the document's own date (a decision's, a plan's issue), Vietnam's day
  published     date NOT NULL,
  updated       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  CONSTRAINT public_items_id_kind CHECK (id = kind || '-' || ref_id)
);
CREATE INDEX public_items_feed ON public_items (organization_id, published DESC, id DESC);
-- the newest change of an organisation's items: the feed's Last-Modified
CREATE INDEX public_items_updated ON public_items (organization_id, updated DESC);

-- The public news has a revision of its own (data_revisions, migration
-- 0004): bumped in the transaction that publishes, read by the service
-- before it answers a page from memory (service/api/public.c).
ALTER TABLE data_revisions DROP CONSTRAINT data_revisions_topic_check,
  ADD CONSTRAINT data_revisions_topic_check CHECK (topic IN ('staff', 'progress', 'public'));
