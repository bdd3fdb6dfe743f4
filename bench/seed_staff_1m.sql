-- bench/seed_staff_1m.sql — a province-sized organisation for the staff
-- list and search at scale (staff_list_1m, staff_list_1m_deep, search_1m):
-- 1,000,000 staff under 1,000 units, with names drawn the way Vietnamese
-- names are distributed (Nguyễn about 38 % of family names, Văn and Thị the
-- usual middle names, a fifth of the names with a second middle name, a
-- long tail of given names), plus one admin account.
-- psql variable :hash is the Argon2id hash of the account's password.
-- Idempotent: does nothing once the organisation has its staff.  Loads in
-- one to two minutes (the triggers of db/procedures/staff_name_parts.sql add the
-- 3.2 million syllable rows in one statement).
-- The names come from hashes of the row number, so every
-- run builds the same data; one INSERT … SELECT, set-based.
\set ON_ERROR_STOP on
BEGIN;
-- the trigger's transition table of a million rows stays in memory
SET LOCAL work_mem = '256MB';
INSERT INTO organizations (code, name) VALUES ('BENCH-1M', 'Tỉnh (đo hiệu năng, một triệu cán bộ)')
ON CONFLICT (code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT o.id, 'ROOT', 'Ủy ban nhân dân tỉnh', 'leadership' FROM organizations o
WHERE o.code = 'BENCH-1M' AND NOT EXISTS (SELECT 1 FROM units u WHERE u.organization_id = o.id);
INSERT INTO units (organization_id, parent_id, code, name, kind)
SELECT o.id, r.id, 'U' || g, 'Đơn vị số ' || g, 'department'
FROM organizations o JOIN units r ON r.organization_id = o.id AND r.code = 'ROOT',
     generate_series(1, 1000) g
WHERE o.code = 'BENCH-1M'
ON CONFLICT (organization_id, code) DO NOTHING;
-- Family names weighted by frequency (one entry is 1 %); middle names by
-- gender; given names a long list, the common ones first and repeated.
INSERT INTO staff (organization_id, unit_id, full_name, gender, employment_type, start_date)
SELECT o.id, u.first + (g % 1000),
       f.family[1 + (h1 % array_length(f.family, 1))::integer]
       || CASE WHEN g % 2 = 0 THEN ' Thị' ELSE
            ' ' || m.male[1 + (h2 % array_length(m.male, 1))::integer] END
       || CASE WHEN g % 5 = 0 THEN ' ' || m.second[1 + (h3 % array_length(m.second, 1))::integer]
               ELSE '' END
       || ' ' || CASE WHEN g % 2 = 0
                 THEN n.female[1 + (h4 % array_length(n.female, 1))::integer]
                 ELSE n.male[1 + (h4 % array_length(n.male, 1))::integer] END,
       CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END,
       (ARRAY['civil_servant', 'public_employee', 'contract_worker'])[1 + g % 3],
       DATE '2010-01-01' + (g % 4000)::integer
FROM organizations o
CROSS JOIN LATERAL (SELECT min(id) AS first FROM units
                    WHERE organization_id = o.id AND parent_id IS NOT NULL) u
CROSS JOIN (SELECT array_fill('Nguyễn'::text, ARRAY[38]) || array_fill('Trần'::text, ARRAY[11])
                   || array_fill('Lê'::text, ARRAY[9]) || array_fill('Phạm'::text, ARRAY[7])
                   || array_fill('Hoàng'::text, ARRAY[4]) || array_fill('Huỳnh'::text, ARRAY[3])
                   || array_fill('Phan'::text, ARRAY[4]) || array_fill('Vũ'::text, ARRAY[3])
                   || array_fill('Võ'::text, ARRAY[3]) || array_fill('Đặng'::text, ARRAY[2])
                   || array_fill('Bùi'::text, ARRAY[2]) || array_fill('Đỗ'::text, ARRAY[2])
                   || ARRAY['Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh', 'Đoàn', 'Lâm', 'Mai',
                            'Tô', 'Hà', 'Cao', 'Lưu', 'Tạ'] AS family) f
CROSS JOIN (SELECT array_fill('Văn'::text, ARRAY[6])
                   || ARRAY['Hữu', 'Đức', 'Minh', 'Quốc', 'Thanh', 'Xuân', 'Công', 'Đình',
                            'Ngọc', 'Quang', 'Trọng', 'Tuấn'] AS male,
                   ARRAY['Anh', 'Thu', 'Ngọc', 'Minh', 'Hoài', 'Thanh', 'Kim', 'Bảo', 'Hồng',
                         'Phương', 'Mai', 'Hải'] AS second) m
CROSS JOIN (SELECT ARRAY['Anh', 'Anh', 'Hương', 'Hương', 'Linh', 'Linh', 'Trang', 'Trang',
                         'Hà', 'Hà', 'Lan', 'Thảo', 'Hằng', 'Huyền', 'Ngọc', 'Phương', 'Mai',
                         'Hạnh', 'Thủy', 'Dung', 'Nga', 'Hoa', 'Loan', 'Nhung', 'Vân', 'Yến',
                         'Thu', 'Hiền', 'Giang', 'Oanh', 'Quỳnh', 'Ánh', 'Duyên', 'Châu',
                         'Diệp', 'Đào', 'Bích', 'Chi', 'Liên', 'My', 'Nhi', 'Tâm', 'Tuyết',
                         'Uyên', 'Vy', 'Xuân', 'Ý', 'Ngân', 'Hậu', 'Khuê'] AS female,
                   ARRAY['Anh', 'Anh', 'Hùng', 'Hùng', 'Dũng', 'Dũng', 'Tuấn', 'Tuấn',
                         'Nam', 'Nam', 'Minh', 'Hải', 'Sơn', 'Long', 'Cường', 'Thắng', 'Quân',
                         'Đức', 'Trung', 'Hiếu', 'Bình', 'Phong', 'Tùng', 'Việt', 'Thành',
                         'Đạt', 'Khánh', 'Lâm', 'Huy', 'Toàn', 'Vinh', 'Hòa', 'Kiên', 'Lộc',
                         'Nghĩa', 'Phúc', 'Quang', 'Tài', 'Thịnh', 'Trí', 'An', 'Bảo', 'Công',
                         'Định', 'Giáp', 'Khôi', 'Mạnh', 'Ninh', 'Sang', 'Tín'] AS male) n,
     generate_series(1::bigint, 1000000) g,
     LATERAL (SELECT hashint8extended(g, 1) & 1073741823 AS h1, hashint8extended(g, 2) & 1073741823 AS h2,
                     hashint8extended(g, 3) & 1073741823 AS h3, hashint8extended(g, 4) & 1073741823 AS h4) h
WHERE o.code = 'BENCH-1M' AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = o.id);
INSERT INTO users (organization_id, username, display_name, password_hash, roles)
SELECT id, 'bench.million', 'Tài khoản đo hiệu năng (một triệu cán bộ)', :'hash', '{admin}'
FROM organizations WHERE code = 'BENCH-1M'
-- a new password every run: the account keeps the latest
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash;
COMMIT;
-- the visibility map set, so that the search's index-only scans of
-- staff_name_parts never visit the table
VACUUM (ANALYZE) staff, staff_name_parts;
