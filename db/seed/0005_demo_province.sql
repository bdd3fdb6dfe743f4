-- 0005_demo_province.sql — the province of Gia Lai, which groups the Board
-- (issue 14 §1, read by issue 11's province-wide batch).
--
-- The provincial emulation committee's secretariat is the Department of
-- Home Affairs (Sở Nội vụ); its officer reads every agency's checked lists
-- through GET /v1/province/review-lists.  The Board belongs to the province
-- from 2020; the merger of 01/07/2025 (domain.md C.0) kept the
-- name Gia Lai, so its membership runs on.  Idempotent.  Password
-- Demo@2022-thidua; the client's secret demo-province-secret-only-for-local-use.

INSERT INTO organizations (code, name, short_name, kind)
VALUES ('TINH-GL', 'Tỉnh Gia Lai – Hội đồng Thi đua, Khen thưởng tỉnh', 'Tỉnh Gia Lai', 'province')
ON CONFLICT (code) DO NOTHING;

INSERT INTO province_members (province_id, member_id, valid_from)
SELECT p.id, o.id, DATE '2020-01-01'
  FROM organizations p, organizations o
 WHERE p.code = 'TINH-GL' AND o.code = 'BQLKKT-GL'
ON CONFLICT DO NOTHING;

INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT p.id, 'sonoivu.tdkt', 'Ban Thi đua – Khen thưởng, Sở Nội vụ',
       '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', '{secretariat}'
FROM organizations p WHERE p.code = 'TINH-GL'
ON CONFLICT (username) DO NOTHING;

INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes)
SELECT p.id, 'cong-tdkt-tinh-gia-lai', 'Phần mềm thi đua, khen thưởng tỉnh Gia Lai (demo)',
       sha256(convert_to('demo-province-secret-only-for-local-use', 'UTF8')), '{province:read}'
FROM organizations p WHERE p.code = 'TINH-GL'
ON CONFLICT (client_id) DO NOTHING;
