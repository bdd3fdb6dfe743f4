-- users_page.sql — one page of accounts for GET /v1/users (keyset on id).

-- Accounts seen from the administration routes: never the password hash.
CREATE OR REPLACE FUNCTION users_page(p_org bigint, p_after bigint, p_limit integer) RETURNS json
LANGUAGE sql STABLE AS $$
  WITH page AS (SELECT u.id, user_json(u) AS j FROM users u
                WHERE u.organization_id = p_org AND u.id > p_after
                ORDER BY u.id LIMIT p_limit + 1),
       numbered AS (SELECT *, row_number() OVER (ORDER BY id) AS n FROM page)
  SELECT json_build_object(
    'items', coalesce((SELECT json_agg(j ORDER BY n) FROM numbered WHERE n <= p_limit), '[]'),
    'next_cursor', (SELECT id::text FROM numbered WHERE n = p_limit
                    AND EXISTS (SELECT 1 FROM numbered WHERE n > p_limit)))
$$;
