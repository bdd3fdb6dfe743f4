-- bench/seed_staff.sql — the organisation the authenticated scenarios read:
-- 10 units under one root and 10,000 staff with Vietnamese names (the sort
-- and the collation matter for staff_list), plus one admin account.
-- psql variable :hash is the Argon2id hash of the account's password.
-- Idempotent: does nothing once the organisation exists.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO organizations (code, name) VALUES ('BENCH', 'Ban Quản lý (đo hiệu năng)')
ON CONFLICT (code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT o.id, 'ROOT', 'Lãnh đạo Ban', 'leadership' FROM organizations o
WHERE o.code = 'BENCH' AND NOT EXISTS (SELECT 1 FROM units u WHERE u.organization_id = o.id);
INSERT INTO units (organization_id, parent_id, code, name, kind)
SELECT o.id, r.id, 'U' || g, 'Phòng số ' || g, 'department'
FROM organizations o JOIN units r ON r.organization_id = o.id AND r.code = 'ROOT',
     generate_series(1, 10) g
WHERE o.code = 'BENCH'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type, start_date)
SELECT o.id,
       (SELECT u.id FROM units u WHERE u.organization_id = o.id AND u.code = 'U' || (1 + g % 10)),
       (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi','Đỗ'])[1 + g % 12]
       || ' ' || (ARRAY['Văn','Thị','Hữu','Minh','Ngọc','Thu','Đức','Thành'])[1 + (g / 12) % 8]
       || ' ' || (ARRAY['An','Bình','Cường','Dũng','Đạt','Giang','Hà','Hải','Hạnh','Hùng','Khánh',
                        'Lan','Linh','Mai','Nam','Ngân','Oanh','Phúc','Quân','Sơn','Thảo','Trang',
                        'Tuấn','Việt','Yến'])[1 + (g / 96) % 25],
       CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, 'civil_servant', DATE '2015-01-01'
FROM organizations o, generate_series(1, 10000) g
WHERE o.code = 'BENCH' AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = o.id);
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT id, 'bench.admin', 'Tài khoản đo hiệu năng', :'hash', '{admin}'
FROM organizations WHERE code = 'BENCH'
-- a new password every run: the account keeps the latest
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;
COMMIT;
ANALYZE staff;
