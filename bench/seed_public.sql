-- bench/seed_public.sql — what the public news scenarios read: the
-- organisation BENCH-PUBLIC with 300 issued plans, so that its news has
-- pages to give (the triggers of db/procedures/public.sql publish each).
-- Idempotent.
INSERT INTO organizations (code, name, short_name)
VALUES ('BENCH-PUBLIC', 'Ban Quản lý Khu kinh tế (đo hiệu năng tin công khai)', 'BQLKKT-BENCH')
ON CONFLICT (code) DO NOTHING;

INSERT INTO plans (organization_id, year, number, symbol, issued_on, place, title,
                   period_start, period_end, status)
SELECT o.id, 2000 + i / 12, (i % 12 + 1)::text, 'KH-BENCH' || i, make_date(2000 + i / 12,
       i % 12 + 1, 10), 'Gia Lai',
       'Kế hoạch tổ chức phong trào thi đua chuyên đề số ' || i, make_date(2000 + i / 12, 1, 1),
       make_date(2000 + i / 12, 12, 31), 'issued'
  FROM organizations o, generate_series(1, 300) i
 WHERE o.code = 'BENCH-PUBLIC'
   AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.organization_id = o.id);
