-- 0001_demo_identity.sql — the demo organisation: the Economic Zone
-- Management Board of Gia Lai (Ban Quản lý Khu kinh tế tỉnh Gia Lai), its
-- units, 40 fictional staff, one account per role and one machine client.
-- Idempotent: natural keys and ON CONFLICT, so loading it again changes
-- nothing.  Every demo account's password is Demo@2022-thidua; the machine
-- client's secret is demo-portal-secret-only-for-local-use.  Local use only.

INSERT INTO organizations (code, name, short_name)
VALUES ('BQLKKT-GL', 'Ban Quản lý Khu kinh tế tỉnh Gia Lai', 'BQLKKT Gia Lai')
ON CONFLICT (code) DO NOTHING;

INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'LD', 'Lãnh đạo Ban', 'leadership' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'VP', 'Văn phòng', 'office' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'QLDT', 'Phòng Quản lý Đầu tư', 'department' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'QHXD', 'Phòng Quản lý Quy hoạch và Xây dựng', 'department' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'DNLD', 'Phòng Quản lý Doanh nghiệp và Lao động', 'department' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'TNMT', 'Phòng Quản lý Tài nguyên và Môi trường', 'department' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;
INSERT INTO units (organization_id, code, name, kind)
SELECT id, 'BQLCK', 'Ban Quản lý Khu kinh tế cửa khẩu quốc tế Lệ Thanh', 'center' FROM organizations WHERE code = 'BQLKKT-GL'
ON CONFLICT (organization_id, code) DO NOTHING;

-- Staff are loaded once: only while the organisation has none.  Their
-- records were entered at the start of 2022, or on the day a newcomer
-- started (created_at: progress as it stood on a past day counts only the
-- people recorded by then, GET /v1/plans/{id}/progress?recorded_by=).
INSERT INTO staff (organization_id, unit_id, full_name, gender, date_of_birth, position,
                   employment_type, start_date, status, leave_from, leave_until, left_on,
                   created_at)
SELECT o.id, u.id, v.full_name, v.gender, v.dob::date, v.position, v.et, v.sd::date, v.status,
       v.lf::date, v.lu::date, v.lo::date,
       (greatest(v.sd::date, DATE '2022-01-04') || ' 08:00+07')::timestamptz
FROM (VALUES
  ('LD', 'Dương Quang Tuấn', 'male', '1969-09-26', 'Trưởng ban', 'civil_servant', '2013-11-01', 'active', NULL, NULL, NULL),
  ('LD', 'Nguyễn Công Long', 'male', '1988-11-15', 'Phó Trưởng ban', 'civil_servant', '2017-09-01', 'active', NULL, NULL, NULL),
  ('LD', 'Võ Thị Mai', 'female', '1977-07-03', 'Phó Trưởng ban', 'civil_servant', '2013-05-01', 'active', NULL, NULL, NULL),
  ('VP', 'Huỳnh Văn Bình', 'male', '1975-11-16', 'Chánh Văn phòng', 'civil_servant', '2013-02-01', 'active', NULL, NULL, NULL),
  ('VP', 'Phạm Thị Kim Nga', 'female', '1988-08-09', 'Phó Chánh Văn phòng', 'civil_servant', '2010-09-01', 'active', NULL, NULL, NULL),
  ('VP', 'Ngô Quang An', 'male', '1981-03-01', 'Chuyên viên', 'civil_servant', '2003-07-01', 'active', NULL, NULL, NULL),
  ('VP', 'Siu Công Long', 'male', '1970-02-19', 'Kế toán', 'civil_servant', '2005-02-01', 'active', NULL, NULL, NULL),
  ('VP', 'Hồ Ngọc Tuấn', 'male', '1972-12-09', 'Văn thư', 'contract_worker', '2019-07-01', 'active', NULL, NULL, NULL),
  ('VP', 'Phạm Thị Thu Hà', 'female', '1998-02-15', 'Nhân viên', 'contract_worker', '2020-07-01', 'active', NULL, NULL, NULL),
  ('VP', 'Huỳnh Thị Kim Yến', 'female', '1969-07-26', 'Nhân viên', 'contract_worker', '2004-12-01', 'active', NULL, NULL, NULL),
  ('VP', 'Phan Thành Trung', 'male', '1990-06-09', 'Nhân viên', 'contract_worker', '2012-11-01', 'active', NULL, NULL, NULL),
  ('QLDT', 'Dương Ngọc Nga', 'female', '1981-07-21', 'Trưởng phòng', 'civil_servant', '2006-09-01', 'active', NULL, NULL, NULL),
  ('QLDT', 'Lý Minh Đạt', 'male', '1972-11-23', 'Phó Trưởng phòng', 'civil_servant', '2014-07-01', 'on_leave', '2022-03-01', '2022-08-31', NULL),
  ('QLDT', 'Lê Minh Khánh', 'male', '1990-11-19', 'Chuyên viên', 'civil_servant', '2012-03-01', 'active', NULL, NULL, NULL),
  ('QLDT', 'Lê Quang Hải', 'male', '1972-04-15', 'Chuyên viên', 'civil_servant', '2021-05-01', 'active', NULL, NULL, NULL),
  ('QLDT', 'Nguyễn Thị Thu Linh', 'female', '1968-11-22', 'Chuyên viên chính', 'civil_servant', '2021-05-01', 'active', NULL, NULL, NULL),
  ('QLDT', 'Nguyễn Công Bình', 'male', '1987-03-14', 'Chuyên viên chính', 'civil_servant', '2021-04-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Hoàng Thị Mỹ Linh', 'female', '1995-08-28', 'Trưởng phòng', 'civil_servant', '2017-08-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Phan Thị Hồng Thảo', 'female', '1989-04-16', 'Phó Trưởng phòng', 'civil_servant', '2021-06-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Ngô Ngọc Chi', 'female', '1968-01-16', 'Chuyên viên', 'civil_servant', '2010-12-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Phan Thị Hằng', 'female', '1977-09-10', 'Chuyên viên', 'civil_servant', '2008-06-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Hồ Thành Khánh', 'male', '1972-05-27', 'Chuyên viên chính', 'civil_servant', '2018-10-01', 'active', NULL, NULL, NULL),
  ('QHXD', 'Rơ Châm Thị Kim Giang', 'female', '1969-07-26', 'Chuyên viên chính', 'civil_servant', '2000-10-01', 'active', NULL, NULL, NULL),
  ('DNLD', 'Trần Minh Thắng', 'male', '1975-04-28', 'Trưởng phòng', 'civil_servant', '2015-01-01', 'active', NULL, NULL, NULL),
  ('DNLD', 'Phạm Ngọc Giang', 'female', '1968-12-15', 'Phó Trưởng phòng', 'civil_servant', '2002-11-01', 'active', NULL, NULL, NULL),
  ('DNLD', 'Huỳnh Thị Mỹ Ngân', 'female', '1969-05-13', 'Chuyên viên', 'civil_servant', '2007-01-01', 'left', NULL, NULL, '2022-06-30'),
  ('DNLD', 'Võ Thị Mỹ Hằng', 'female', '1997-05-11', 'Chuyên viên', 'civil_servant', '2019-07-01', 'active', NULL, NULL, NULL),
  ('DNLD', 'Huỳnh Thị Mỹ Chi', 'female', '1995-11-22', 'Chuyên viên chính', 'civil_servant', '2017-08-01', 'active', NULL, NULL, NULL),
  ('DNLD', 'Lý Hữu An', 'male', '1986-02-25', 'Chuyên viên chính', 'civil_servant', '2014-06-01', 'active', NULL, NULL, NULL),
  ('TNMT', 'Dương Thành Bình', 'male', '1978-04-23', 'Trưởng phòng', 'civil_servant', '2014-12-01', 'active', NULL, NULL, NULL),
  ('TNMT', 'Đặng Thị Thu Mai', 'female', '1977-06-10', 'Phó Trưởng phòng', 'civil_servant', '2001-06-01', 'active', NULL, NULL, NULL),
  ('TNMT', 'Phạm Minh Phúc', 'male', '1990-03-20', 'Chuyên viên', 'civil_servant', '2012-11-01', 'active', NULL, NULL, NULL),
  ('TNMT', 'Trần Văn Hiếu', 'male', '1983-11-14', 'Chuyên viên', 'civil_servant', '2005-02-01', 'active', NULL, NULL, NULL),
  ('TNMT', 'Đặng Công An', 'male', '1972-02-17', 'Chuyên viên chính', 'civil_servant', '2016-11-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Ngô Thị Hồng Yến', 'female', '1989-07-25', 'Trưởng phòng', 'civil_servant', '2011-04-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Dương Ngọc Huyền', 'female', '1994-04-15', 'Phó Trưởng phòng', 'civil_servant', '2016-02-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Ngô Thị Nga', 'female', '1980-11-20', 'Chuyên viên', 'civil_servant', '2005-08-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Ngô Đức Tâm', 'male', '1987-04-19', 'Chuyên viên', 'civil_servant', '2009-09-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Lý Thành Hùng', 'male', '1995-04-27', 'Chuyên viên chính', 'civil_servant', '2017-07-01', 'active', NULL, NULL, NULL),
  ('BQLCK', 'Phạm Đức An', 'male', '1993-12-22', 'Chuyên viên chính', 'civil_servant', '2015-11-01', 'active', NULL, NULL, NULL)
) AS v (unit_code, full_name, gender, dob, position, et, sd, status, lf, lu, lo)
JOIN organizations o ON o.code = 'BQLKKT-GL'
JOIN units u ON u.organization_id = o.id AND u.code = v.unit_code
WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.organization_id = o.id);

-- Accounts, one per role (password Demo@2022-thidua).
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'quantri', 'Quản trị hệ thống', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', NULL, NULL, '{admin}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'vanphong.tdkt', 'Ngô Quang An', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', (SELECT s.id FROM staff s WHERE s.organization_id = o.id AND s.full_name = 'Ngô Quang An'), (SELECT x.id FROM units x WHERE x.organization_id = o.id AND x.code = 'VP'), '{secretariat,staff}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'truongban', 'Dương Quang Tuấn', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', (SELECT s.id FROM staff s WHERE s.organization_id = o.id AND s.full_name = 'Dương Quang Tuấn'), (SELECT x.id FROM units x WHERE x.organization_id = o.id AND x.code = 'LD'), '{leader,council,staff}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'hoidong', 'Nguyễn Công Long', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', (SELECT s.id FROM staff s WHERE s.organization_id = o.id AND s.full_name = 'Nguyễn Công Long'), (SELECT x.id FROM units x WHERE x.organization_id = o.id AND x.code = 'LD'), '{council,staff}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'truongphong.qldt', 'Dương Ngọc Nga', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', (SELECT s.id FROM staff s WHERE s.organization_id = o.id AND s.full_name = 'Dương Ngọc Nga'), (SELECT x.id FROM units x WHERE x.organization_id = o.id AND x.code = 'QLDT'), '{unit_head,staff}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'nhanvien.qldt', 'Lê Minh Khánh', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', (SELECT s.id FROM staff s WHERE s.organization_id = o.id AND s.full_name = 'Lê Minh Khánh'), (SELECT x.id FROM units x WHERE x.organization_id = o.id AND x.code = 'QLDT'), '{staff}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;
INSERT INTO users (organization_id, username, display_name, password_hash, staff_id, unit_id, roles)
SELECT o.id, 'ubnd.tinh', 'Ban Thi đua – Khen thưởng tỉnh (xem)', '$argon2id$v=19$m=19456,t=2,p=1$HC/BFu3JDZ5eEk5b5aOLFA$NSOzWNGV4iRWjaB3v6oKIVtTZ3hZmKitvXsmAxpwVmU', NULL, NULL, '{viewer}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (username) DO NOTHING;

-- The provincial portal as a machine client.
INSERT INTO clients (organization_id, client_id, name, secret_hash, scopes)
SELECT o.id, 'cong-tinh-gia-lai', 'Cổng thông tin tỉnh Gia Lai (demo)',
       sha256(convert_to('demo-portal-secret-only-for-local-use', 'UTF8')),
       '{integration:read,reports:write}'
FROM organizations o WHERE o.code = 'BQLKKT-GL'
ON CONFLICT (client_id) DO NOTHING;

