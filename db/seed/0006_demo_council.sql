-- 0006_demo_council.sql — the Board's emulation and commendation council
-- (issue 12 §1): the head of the Board chairs it, the Office's officer is
-- its secretary (the Office is its standing body), and a member.  With
-- them the 2022 round, once submitted, can be reviewed at a session and
-- voted by secret ballot (README, "The council").
--
-- Idempotent: a term of an account is entered once.

INSERT INTO council_members (organization_id, user_id, council_role, valid_from,
                             source_document)
SELECT o.id, u.id, v.council_role, DATE '2020-01-01',
       'Quyết định thành lập Hội đồng Thi đua – Khen thưởng Ban Quản lý Khu kinh tế (demo)'
  FROM organizations o
  JOIN (VALUES ('truongban', 'chair'), ('vanphong.tdkt', 'secretary'),
               ('hoidong', 'member')) AS v (username, council_role) ON true
  JOIN users u ON u.organization_id = o.id AND u.username = v.username
 WHERE o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM council_members m WHERE m.user_id = u.id);
