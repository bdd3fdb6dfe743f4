-- 0008_demo_disclosure.sql — a disclosed list with the public's feedback
-- and a complaint that blocks one candidate (issue 13 §1-2).
--
-- An ad hoc round of 2022 (the investment promotion fair) proposes two
-- staff for the Board's Giấy khen.  Its council session is convened; the
-- Office disclosed the list from 01/12/2022 for 5 working days (to
-- 07/12/2022); a citizen sent feedback on the first candidate, which the
-- Office considered; a complaint about the second, received 05/12/2022 and
-- accepted, is still open, so the engine and the signing refuse that
-- candidate until it is decided.  The session is not opened: the demo's
-- council (0006) may open it, and its minutes will record the feedback.
--
-- Idempotent: everything hangs on the round, created once by its name.
-- Written through the procedures the API uses (disclosure_create,
-- case_lodge, case_step), so the audit trail and the public news hold
-- them as they would.

CREATE TEMP TABLE demo_fair ON COMMIT DROP AS
WITH o AS (SELECT id FROM organizations WHERE code = 'BQLKKT-GL'),
r AS (
  INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date, status)
  SELECT o.id, 2022, 'adhoc', 'Khen thưởng đột xuất: Hội nghị xúc tiến đầu tư năm 2022',
         DATE '2022-11-20', DATE '2022-11-25', 'submitted'
    FROM o
   WHERE NOT EXISTS (SELECT 1 FROM review_rounds x WHERE x.organization_id = o.id
                       AND x.name = 'Khen thưởng đột xuất: Hội nghị xúc tiến đầu tư năm 2022')
  RETURNING id, organization_id)
SELECT r.id AS round_id, r.organization_id FROM r;

INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, staff_id,
                         achievement, nominated_by)
SELECT f.organization_id, f.round_id, 'giay_khen', 'staff', s.id, v.achievement, 'system:seed'
  FROM demo_fair f
  JOIN (VALUES ('Phan Thành Trung', 'Tổ chức gian hàng và đón tiếp 40 đoàn nhà đầu tư tại Hội nghị xúc tiến đầu tư năm 2022.'),
               ('Dương Ngọc Nga', 'Biên soạn tài liệu giới thiệu Khu kinh tế bằng ba thứ tiếng cho Hội nghị.'))
       AS v (full_name, achievement) ON true
  JOIN staff s ON s.organization_id = f.organization_id AND s.full_name = v.full_name;

-- the session's key pair: a valid ristretto255 pair, so that the council
-- may really open it and vote (docs/ballot.md)
INSERT INTO council_sessions (organization_id, name, held_on, place, ballot_secret, ballot_key,
                              created_by)
SELECT f.organization_id, 'Phiên họp xét khen thưởng đột xuất Hội nghị xúc tiến đầu tư',
       DATE '2022-12-12', 'Ban Quản lý Khu kinh tế',
       decode('ab4c6a1d386d81e5287209fcd75a38ab242d0113407e77ae69f11dcea786d805', 'hex'),
       decode('fc6980ba8bc822e369f2819edae2957447c27585d241ba04fc781b0b52f4341c', 'hex'),
       'system:seed'
  FROM demo_fair f;

INSERT INTO council_agenda (organization_id, session_id, round_id)
SELECT f.organization_id, s.id, f.round_id
  FROM demo_fair f
  JOIN council_sessions s ON s.organization_id = f.organization_id
                         AND s.name = 'Phiên họp xét khen thưởng đột xuất Hội nghị xúc tiến đầu tư';

SELECT disclosure_create(f.organization_id, 'system', 'seed', 'seed',
         jsonb_build_object('source', 'session', 'session_id', a.session_id,
                            'title', 'Công khai danh sách đề nghị tặng Giấy khen đột xuất Hội nghị xúc tiến đầu tư năm 2022',
                            'intro', 'Ý kiến xin gửi Văn phòng Ban Quản lý Khu kinh tế trước ngày 08/12/2022.',
                            'opens_on', '2022-12-01'),
         DATE '2022-12-01')
  FROM demo_fair f JOIN council_agenda a ON a.round_id = f.round_id;

INSERT INTO disclosure_feedback (organization_id, disclosure_id, position, body, author_name,
                                 author_contact, received_on, status, office_note, handled_by,
                                 handled_at)
SELECT d.organization_id, d.id, i.position,
       'Anh Trung nhiệt tình hướng dẫn đoàn doanh nghiệp chúng tôi suốt hội nghị.',
       'Ông Lê Văn Hùng (doanh nghiệp)', 'hung@example.vn', DATE '2022-12-02', 'considered',
       'Ý kiến ủng hộ; báo cáo Hội đồng.', 'system:seed', TIMESTAMPTZ '2022-12-05 09:00+07'
  FROM demo_fair f
  JOIN council_agenda a ON a.round_id = f.round_id
  JOIN disclosures d ON d.session_id = a.session_id
  JOIN disclosure_items i ON i.disclosure_id = d.id
  JOIN staff s ON s.id = (SELECT n.staff_id FROM nominations n WHERE n.id = i.nomination_id)
 WHERE s.full_name = 'Phan Thành Trung';

SELECT case_step(f.organization_id, 'system', 'seed', 'seed', (c.r).id, NULL, 'accept',
                 jsonb_build_object('on', '2022-12-06'), NULL, false, DATE '2022-12-06')
  FROM demo_fair f
  JOIN LATERAL (
    SELECT case_lodge(f.organization_id, 'system', 'seed', 'seed',
             jsonb_build_object('kind', 'complaint', 'staff_id', n.staff_id,
                                'nomination_id', n.id,
                                'summary', 'Khiếu nại: tài liệu giới thiệu do một nhóm biên soạn, không phải của riêng một người.',
                                'lodger_name', 'Bà Trần Thị Hằng', 'received_on', '2022-12-05'),
             NULL, false, DATE '2022-12-05') AS r
      FROM nominations n JOIN staff s ON s.id = n.staff_id
     WHERE n.round_id = f.round_id AND s.full_name = 'Dương Ngọc Nga') c ON true;
