-- 0023_council.sql — the emulation and commendation council (Hội đồng thi
-- đua – khen thưởng), its working rules, its sessions and their secret
-- ballot (issue 12 §1).
--
-- The ballot's design is in docs/ballot.md: a member's app obtains a
-- blindly evaluated token (an oblivious PRF on ristretto255, RFC 9497's
-- construction, from libsodium) while authenticated, and casts the ballot
-- later without logging in, with the unblinded token as its only
-- credential.  So the tables below hold who received a token
-- (council_tokens) and, separately, the ballots (council_ballots), with
-- nothing that joins them: no member, no time, no sequence.

-- The council's members, dated: the chair (the head of the agency), the
-- vice-chairs, the secretary (the Office) and the members.  A member is
-- an account, so that the member can take part in a session.  Overlapping
-- terms of one account are refused by a trigger
-- (db/procedures/council.sql).
CREATE TABLE council_members (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL,
  council_role  text NOT NULL CHECK (council_role IN ('chair', 'vice_chair', 'secretary',
                                                      'member')),
  valid_from    date NOT NULL,
  valid_until   date,
  source_document text NOT NULL DEFAULT '' CHECK (length(source_document) <= 300),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, id),
  FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id),
  CONSTRAINT council_members_span CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX council_members_by_org ON council_members (organization_id, valid_from);

-- How the council decides on an award under a rule set: by secret ballot
-- or by show of hands, the share of yes votes that approves (num/den of
-- all members, or of those who voted; strict: more than that share), and
-- the share of members present that a session needs (quorum).  award_code
-- NULL: every award the set names no rule for.  Looked up through the
-- sets a set copies (rule_set_chain), like the eligibility rules.
CREATE TABLE council_rules (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_set      text NOT NULL REFERENCES rule_sets (code) ON DELETE CASCADE,
  award_code    text REFERENCES award_kinds (code),
  method        text NOT NULL CHECK (method IN ('secret_ballot', 'show_of_hands')),
  approve_num   integer NOT NULL CHECK (approve_num BETWEEN 1 AND 100),
  approve_den   integer NOT NULL CHECK (approve_den BETWEEN 1 AND 100),
  approve_strict boolean NOT NULL DEFAULT false,
  approve_of    text NOT NULL CHECK (approve_of IN ('all_members', 'voting')),
  quorum_num    integer NOT NULL CHECK (quorum_num BETWEEN 0 AND 100),
  quorum_den    integer NOT NULL CHECK (quorum_den BETWEEN 1 AND 100),
  written_votes boolean NOT NULL DEFAULT true,
  source_document text NOT NULL CHECK (length(source_document) BETWEEN 1 AND 200),
  source_article  text NOT NULL DEFAULT '' CHECK (length(source_article) <= 100),
  quorum_source   text NOT NULL DEFAULT '' CHECK (length(quorum_source) <= 200),
  mark          text NOT NULL CHECK (mark IN ('primary', 'secondary', 'unconfirmed')),
  note_vi       text NOT NULL DEFAULT '' CHECK (length(note_vi) <= 2000),
  note_en       text NOT NULL DEFAULT '' CHECK (length(note_en) <= 2000),
  CONSTRAINT council_rules_share CHECK (approve_num <= approve_den AND quorum_num <= quorum_den),
  UNIQUE NULLS NOT DISTINCT (rule_set, award_code)
);

-- domain.md §3 and §9 rules 21-24.  Agency-level procedure under Decree
-- 152 is the province's to set (Art. 6.2); Gia Lai's rules were not found,
-- so those rows are marked unconfirmed and follow the example of Bắc Ninh
-- 86/2025 (Art. 8.4, 9: majority, two thirds present).
INSERT INTO council_rules (rule_set, award_code, method, approve_num, approve_den,
                           approve_strict, approve_of, quorum_num, quorum_den, source_document,
                           source_article, quorum_source, mark, note_vi, note_en) VALUES
  ('nd91_2017', NULL, 'show_of_hands', 1, 2, true, 'voting', 2, 3,
   'Quy chế làm việc của Hội đồng TĐKT cơ quan', '', 'Quy chế làm việc của Hội đồng',
   'unconfirmed', 'Chưa tìm thấy quy định của tỉnh; theo đa số.',
   'No provincial rule found; by majority.'),
  ('nd91_2017', 'chien_si_thi_dua_co_so', 'secret_ballot', 1, 2, true, 'all_members', 2, 3,
   'Quy chế làm việc của Hội đồng TĐKT cơ quan', '', 'Quy chế làm việc của Hội đồng',
   'unconfirmed', 'Không có ngưỡng quốc gia cho Chiến sĩ thi đua cơ sở; tỉnh hoặc cơ quan quy định.',
   'No national threshold for grassroots emulation fighters; the province or the agency sets it.'),
  ('nd91_2017', 'chien_si_thi_dua_cap_tinh', 'secret_ballot', 9, 10, false, 'all_members', 2, 3,
   '91/2017/NĐ-CP', 'Điều 45.8', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd91_2017', 'chien_si_thi_dua_toan_quoc', 'secret_ballot', 9, 10, false, 'all_members', 2, 3,
   '91/2017/NĐ-CP', 'Điều 45.8', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd98_2023', NULL, 'show_of_hands', 1, 2, true, 'voting', 2, 3,
   'Quy chế làm việc của Hội đồng TĐKT cơ quan', '', 'Quy chế làm việc của Hội đồng',
   'unconfirmed', 'Chưa tìm thấy quy định của tỉnh; theo đa số.',
   'No provincial rule found; by majority.'),
  ('nd98_2023', 'chien_si_thi_dua_co_so', 'secret_ballot', 4, 5, false, 'all_members', 2, 3,
   '98/2023/NĐ-CP', 'Điều 30.7', 'Quy chế làm việc của Hội đồng', 'secondary',
   'Thành viên vắng mặt cho ý kiến bằng văn bản, ghi vào biên bản.',
   'Absent members vote in writing, recorded in the minutes.'),
  ('nd98_2023', 'chien_si_thi_dua_cap_tinh', 'secret_ballot', 9, 10, false, 'all_members', 2, 3,
   '98/2023/NĐ-CP', 'Điều 30.7', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd98_2023', 'chien_si_thi_dua_toan_quoc', 'secret_ballot', 9, 10, false, 'all_members', 2, 3,
   '98/2023/NĐ-CP', 'Điều 30.7', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd98_2023', 'co_thi_dua_cap_tinh', 'secret_ballot', 4, 5, false, 'all_members', 2, 3,
   '98/2023/NĐ-CP', 'Điều 30.7', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd98_2023', 'co_thi_dua_chinh_phu', 'secret_ballot', 4, 5, false, 'all_members', 2, 3,
   '98/2023/NĐ-CP', 'Điều 30.7', 'Quy chế làm việc của Hội đồng', 'secondary', '', ''),
  ('nd152_2025', NULL, 'show_of_hands', 1, 2, true, 'voting', 2, 3,
   'Quy chế làm việc của Hội đồng TĐKT cơ quan', 'theo 152/2025/NĐ-CP Điều 6.2',
   'Bắc Ninh 86/2025/QĐ-UBND Điều 8.4 (ví dụ)', 'unconfirmed',
   'Tỉnh quy định thủ tục cấp cơ quan; chưa tìm thấy quy định của Gia Lai. Theo ví dụ Bắc Ninh: đa số, có mặt ít nhất hai phần ba.',
   'The province sets agency-level procedure; Gia Lai''s rules were not found. After Bắc Ninh''s example: majority, two thirds present.'),
  ('nd152_2025', 'chien_si_thi_dua_co_so', 'secret_ballot', 1, 2, true, 'all_members', 4, 5,
   'Quy chế làm việc của Hội đồng TĐKT cơ quan', 'theo 152/2025/NĐ-CP Điều 6.2',
   'Bắc Ninh 86/2025/QĐ-UBND Điều 8.4 (ví dụ)', 'unconfirmed',
   'Nghị định 152 không còn bắt buộc bỏ phiếu cho Chiến sĩ thi đua cơ sở; tỉnh quy định. Giữ bỏ phiếu kín, quá nửa tổng số thành viên, có mặt ít nhất 80%.',
   'Decree 152 no longer requires a ballot for grassroots emulation fighters; the province decides. Kept: secret ballot, more than half of all members, at least 80 % present.'),
  ('nd152_2025', 'chien_si_thi_dua_toan_quoc', 'secret_ballot', 9, 10, false, 'all_members', 2, 3,
   '152/2025/NĐ-CP', 'Điều 33.5', '152/2025/NĐ-CP Điều 45.4.b', 'primary', '', ''),
  ('nd152_2025', 'co_thi_dua_chinh_phu', 'secret_ballot', 4, 5, false, 'all_members', 2, 3,
   '152/2025/NĐ-CP', 'Điều 33.5', '152/2025/NĐ-CP Điều 45.4.b', 'primary', '', '');

-- A session of the council: convened with its agenda (the rounds whose
-- checked lists it reviews) and attendance; opened once the quorum is
-- met, when the members obtain their ballot tokens; voting, when ballots
-- are cast and no token is issued any more; closed, when the ballots are
-- published and counted; signed, when its minutes are frozen.
--
-- ballot_secret is the session's OPRF key (a ristretto255 scalar): kept
-- while the session is open so that no one can read a partial count, and
-- published at the close so that anyone can check every published ballot
-- was issued under it (docs/ballot.md).
CREATE TABLE council_sessions (
  organization_id bigint NOT NULL REFERENCES organizations (id),
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  held_on       date NOT NULL,
  place         text NOT NULL DEFAULT '' CHECK (length(place) <= 300),
  status        text NOT NULL DEFAULT 'convened'
                CHECK (status IN ('convened', 'open', 'voting', 'closed', 'signed')),
  ballot_secret bytea NOT NULL CHECK (length(ballot_secret) = 32),
  ballot_key    bytea NOT NULL CHECK (length(ballot_key) = 32),
  commitment    bytea CHECK (length(commitment) = 32),
  minutes       jsonb,
  minutes_hash  bytea,
  signed_by     text,
  created_by    text NOT NULL,
  opened_at     timestamptz,
  voting_at     timestamptz,
  closed_at     timestamptz,
  signed_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, id),
  CONSTRAINT council_sessions_signed CHECK ((status = 'signed') = (minutes IS NOT NULL))
);
CREATE INDEX council_sessions_by_date ON council_sessions (organization_id, held_on DESC, id DESC);

-- The agenda: a submitted round is reviewed at one session.
CREATE TABLE council_agenda (
  organization_id bigint NOT NULL,
  session_id    bigint NOT NULL,
  round_id      bigint NOT NULL UNIQUE,
  PRIMARY KEY (session_id, round_id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  FOREIGN KEY (organization_id, round_id) REFERENCES review_rounds (organization_id, id)
);

-- Who was there: present, absent with a written vote, absent.
CREATE TABLE council_attendance (
  organization_id bigint NOT NULL,
  session_id    bigint NOT NULL,
  member_id     bigint NOT NULL,
  status        text NOT NULL CHECK (status IN ('present', 'written', 'absent')),
  PRIMARY KEY (session_id, member_id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  FOREIGN KEY (organization_id, member_id) REFERENCES council_members (organization_id, id)
);

-- The candidates, frozen when the session opens, each with the council
-- rule that decides it.
CREATE TABLE council_candidates (
  organization_id bigint NOT NULL,
  session_id    bigint NOT NULL,
  nomination_id bigint NOT NULL,
  rule_id       bigint NOT NULL REFERENCES council_rules (id),
  rule_set      text NOT NULL REFERENCES rule_sets (code),
  PRIMARY KEY (session_id, nomination_id),
  FOREIGN KEY (organization_id, session_id) REFERENCES council_sessions (organization_id, id),
  FOREIGN KEY (organization_id, nomination_id) REFERENCES nominations (organization_id, id)
);

-- Who received a ballot token: one per member and session.  Never which.
CREATE TABLE council_tokens (
  session_id    bigint NOT NULL REFERENCES council_sessions (id),
  member_id     bigint NOT NULL REFERENCES council_members (id),
  PRIMARY KEY (session_id, member_id)
);

-- The ballots: the token (32 random bytes the member's app chose), its
-- evaluation under the session's key (the proof it was issued), and the
-- votes {"<nomination id>": "yes"|"no"}.  Deliberately no member, no
-- time, no sequence: nothing to join with council_tokens.  A token is
-- used once (the primary key).
CREATE TABLE council_ballots (
  session_id    bigint NOT NULL REFERENCES council_sessions (id),
  token         bytea NOT NULL CHECK (length(token) = 32),
  evaluation    bytea NOT NULL CHECK (length(evaluation) = 32),
  votes         jsonb NOT NULL CHECK (jsonb_typeof(votes) = 'object'),
  PRIMARY KEY (session_id, token)
);

-- The count of a show of hands, recorded by the secretary.
CREATE TABLE council_hands (
  session_id    bigint NOT NULL,
  nomination_id bigint NOT NULL,
  yes           integer NOT NULL CHECK (yes >= 0),
  no            integer NOT NULL CHECK (no >= 0),
  PRIMARY KEY (session_id, nomination_id),
  FOREIGN KEY (session_id, nomination_id) REFERENCES council_candidates (session_id, nomination_id)
);
