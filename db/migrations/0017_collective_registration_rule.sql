-- 0017_collective_registration_rule.sql — under the old regime, no
-- registration for emulation, no collective title either.
--
-- Law 2003 Art. 10.1.b makes the registration for emulation (đăng ký thi
-- đua) of individuals and collectives a basis for considering emulation
-- titles (domain.md §5.1, secondary source).  Migration 0015 applied it to
-- persons; units register their collective titles too (the
-- collective_titles of their registration, sent to the Office and not
-- returned), and collective_facts now carries them.  As for persons, only
-- Decree 91/2017's set carries the rule (Law 2022's treatment of
-- registration is unconfirmed, domain.md open question 10); an
-- organisation adds or drops it in its own layer.

INSERT INTO rules (rule_set, award_code, kind, position, params, source_document,
                   source_article, source_clause, mark, note_vi, note_en) VALUES
  ('nd91_2017', 'tap_the_lao_dong_tien_tien', 'registered', 4, '{}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 10', 'Khoản 1, điểm b', 'secondary',
   'Đăng ký thi đua của tập thể là căn cứ xét tặng danh hiệu.',
   'A collective''s registration for emulation is a basis for the title.'),
  ('nd91_2017', 'tap_the_lao_dong_xuat_sac', 'registered', 6, '{}',
   'Luật Thi đua, Khen thưởng 2003', 'Điều 10', 'Khoản 1, điểm b', 'secondary',
   'Đăng ký thi đua của tập thể là căn cứ xét tặng danh hiệu.',
   'A collective''s registration for emulation is a basis for the title.');
