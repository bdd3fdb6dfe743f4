-- 0039_blocs.sql — emulation blocs (khối thi đua) and their year
-- (issue 14 §1-2, domain.md §6).
--
-- A province groups its agencies into blocs.  Who belongs is dated (an
-- agency moves, merges, closes); who heads the bloc and who deputises is
-- decided per year (the rotation is data: the 2018 bloc of economic
-- departments was headed by the Economic Zone Board, the Forest
-- Protection Fund its deputy).  Each year the members sign a pact
-- (giao ước thi đua) with a theme and their commitments; the bloc scores
-- them against its table of criteria, bonuses and penalties (self-scoring,
-- cross-scoring by assigned members, the head's adjustments with reasons),
-- and ranks them by a tie-break rule that is data too.  Its leading unit
-- may be proposed for the province's flag, and for the Government's within
-- the share of bloc leaders the law allows (bloc_flag_rules).  Gia Lai's
-- own table, weights and tie-break are not published (domain.md §6,
-- unconfirmed): every one of them is the bloc's data.

CREATE TABLE blocs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  province_id   bigint NOT NULL REFERENCES organizations (id),
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  closed_on     date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (province_id, code)
);

CREATE TABLE bloc_members (
  bloc_id       bigint NOT NULL REFERENCES blocs (id),
  member_id     bigint NOT NULL REFERENCES organizations (id),
  valid_from    date NOT NULL,
  valid_until   date,                     -- the last day; NULL: still
  PRIMARY KEY (bloc_id, member_id, valid_from),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX bloc_members_member ON bloc_members (member_id);

-- One row per bloc and year: the head, the deputy, and the year's work.
CREATE TABLE bloc_years (
  bloc_id       bigint NOT NULL REFERENCES blocs (id),
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  head_id       bigint NOT NULL REFERENCES organizations (id),
  deputy_id     bigint REFERENCES organizations (id),
  -- the pact
  theme         text CHECK (length(theme) BETWEEN 1 AND 500),
  signed_on     date,
  place         text CHECK (length(place) <= 200),
  -- the scoring table: [{code, title, max_points}], bonuses and penalties
  -- [{code, title, points}] (points < 0: a penalty), and the tie-break:
  -- criterion codes in the order they decide a tie
  criteria      jsonb NOT NULL DEFAULT '[]',
  adjustments   jsonb NOT NULL DEFAULT '[]',
  tie_break     jsonb NOT NULL DEFAULT '[]',
  table_version integer NOT NULL DEFAULT 0,
  version       integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bloc_id, year),
  CHECK (deputy_id IS NULL OR deputy_id <> head_id)
);

CREATE TABLE bloc_commitments (
  bloc_id       bigint NOT NULL,
  year          integer NOT NULL,
  member_id     bigint NOT NULL REFERENCES organizations (id),
  commitment    text NOT NULL CHECK (length(commitment) BETWEEN 1 AND 5000),
  PRIMARY KEY (bloc_id, year, member_id),
  FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- Who cross-scores whom in a year.
CREATE TABLE bloc_cross_scorers (
  bloc_id       bigint NOT NULL,
  year          integer NOT NULL,
  scorer_id     bigint NOT NULL REFERENCES organizations (id),
  member_id     bigint NOT NULL REFERENCES organizations (id),
  PRIMARY KEY (bloc_id, year, member_id, scorer_id),
  FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year),
  CHECK (scorer_id <> member_id)
);

-- A scoring of one member by one scorer: 'self' (the member), 'cross' (an
-- assigned member).  Replaced whole when scored again; the audit trail
-- keeps each version.
CREATE TABLE bloc_scores (
  bloc_id       bigint NOT NULL,
  year          integer NOT NULL,
  member_id     bigint NOT NULL REFERENCES organizations (id),
  scorer_id     bigint NOT NULL REFERENCES organizations (id),
  kind          text NOT NULL CHECK (kind IN ('self', 'cross')),
  -- {criterion code: points}, the adjustments claimed [codes], evidence
  points        jsonb NOT NULL,
  claimed       jsonb NOT NULL DEFAULT '[]',
  evidence      text CHECK (length(evidence) <= 5000),
  table_version integer NOT NULL,
  scored_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bloc_id, year, member_id, scorer_id),
  FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- The head's adjustments of a member's result, each with its reason.
CREATE TABLE bloc_head_adjustments (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bloc_id       bigint NOT NULL,
  year          integer NOT NULL,
  member_id     bigint NOT NULL REFERENCES organizations (id),
  points        numeric(6, 2) NOT NULL CHECK (points BETWEEN -100 AND 100 AND points <> 0),
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- The law's share of bloc leaders that may be proposed for the
-- Government's flag, by date (Decree 152/2025 Art. 7.1: at most 20 % of
-- the units leading the blocs that meet the provincial flag's standard).
CREATE TABLE bloc_flag_rules (
  valid_from    date NOT NULL PRIMARY KEY,
  valid_until   date,
  government_share_pct numeric(5, 2) NOT NULL CHECK (government_share_pct BETWEEN 0 AND 100),
  source        text NOT NULL,
  mark          text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed'))
);
INSERT INTO bloc_flag_rules (valid_from, valid_until, government_share_pct, source, mark) VALUES
  ('2025-07-01', NULL, 20, 'Nghị định 152/2025/NĐ-CP, Điều 7 khoản 1', 'primary');

-- The flags a bloc proposes for its leading units.
CREATE TABLE bloc_flag_proposals (
  bloc_id       bigint NOT NULL,
  year          integer NOT NULL,
  member_id     bigint NOT NULL REFERENCES organizations (id),
  flag          text NOT NULL CHECK (flag IN ('provincial', 'government')),
  proposed_on   date NOT NULL,
  rule_source   text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bloc_id, year, flag),
  FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- Machine clients of a bloc's members: bloc:read (the blocs, years and
-- rankings) and bloc:score (their organisation's scorings).
ALTER TABLE clients DROP CONSTRAINT clients_scopes_check;
ALTER TABLE clients ADD CONSTRAINT clients_scopes_check
  CHECK (cardinality(scopes) >= 1 AND scopes <@
         ARRAY['reports:write', 'integration:read', 'province:read', 'bloc:read',
               'bloc:score']);
