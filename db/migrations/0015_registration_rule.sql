-- 0015_registration_rule.sql — under the old regime, no registration for
-- emulation, no title.
--
-- Law on Emulation and Commendation 2003 Art. 10.1.b made the registration
-- (đăng ký thi đua) a basis for considering emulation titles (domain.md
-- §5.1, secondary source).  The registrations units send through
-- /v1/plans/{id}/registrations are now facts of the person (person_facts,
-- staff_facts): a person entered for the title, or for a title that
-- requires it (CSTĐCS covers LĐTT), in a registration sent to the Office
-- and not returned, meets the rule.  Only Decree 91/2017's set carries it:
-- how Law 2022 treats registration is unconfirmed (domain.md, open
-- question 10); an organisation that wants it there adds it in its own
-- layer, and one whose registrations of those years were kept on paper
-- drops it (dropped = true) in its layer.

INSERT INTO rules (rule_set, award_code, kind, position, params, source_document,
                   source_article, source_clause, mark, note_vi, note_en) VALUES
  ('nd91_2017', 'lao_dong_tien_tien', 'registered', 5, '{}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 10', 'Khoản 1, điểm b', 'secondary',
   'Đăng ký thi đua là căn cứ xét tặng danh hiệu; đăng ký Chiến sĩ thi đua cơ sở bao gồm Lao động tiên tiến.',
   'Registration is a basis for the title; registering for CSTĐCS covers LĐTT.'),
  ('nd91_2017', 'chien_si_thi_dua_co_so', 'registered', 4, '{}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 10', 'Khoản 1, điểm b', 'secondary',
   'Đăng ký thi đua là căn cứ xét tặng danh hiệu.',
   'Registration is a basis for the title.');
