-- login_throttle.sql — growing delays after failed logins, per account and
-- per client address.

-- Login throttling, atomic per key: throttle_try locks the account's and
-- the address's rows (in that order, so two attempts never deadlock),
-- answers how long the caller must still wait, and otherwise counts the
-- attempt as a failure before the password is even checked, so parallel
-- guesses cannot slip past the limit between a check and a record.  After
-- `free` failures each further one blocks the key for 2^(n - free) seconds,
-- at most 15 minutes; a day without failures starts the count again.
-- throttle_success clears the account and takes the attempt back from the
-- address.
CREATE OR REPLACE FUNCTION throttle_try(p_user text, p_ip text, p_free_user integer,
                                        p_free_ip integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  wait integer;
BEGIN
  INSERT INTO login_throttle (key, failures, last_failure)
  VALUES (p_user, 0, now()), (p_ip, 0, now()) ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM login_throttle WHERE key = p_user FOR UPDATE;
  PERFORM 1 FROM login_throttle WHERE key = p_ip FOR UPDATE;
  SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now())), 0)::integer
    INTO wait FROM login_throttle
   WHERE key IN (p_user, p_ip) AND blocked_until > now();
  IF wait > 0 THEN
    RETURN wait;
  END IF;
  UPDATE login_throttle t SET
    failures = CASE WHEN t.last_failure < now() - interval '1 day' THEN 1
                    ELSE t.failures + 1 END,
    last_failure = now(),
    blocked_until = CASE
      WHEN t.last_failure >= now() - interval '1 day'
       AND t.failures + 1 > CASE WHEN t.key = p_user THEN p_free_user ELSE p_free_ip END
      THEN now() + make_interval(secs => least(900, power(2, t.failures + 1 -
             CASE WHEN t.key = p_user THEN p_free_user ELSE p_free_ip END)))
    END
  WHERE t.key IN (p_user, p_ip);
  RETURN 0;
END $$;

CREATE OR REPLACE FUNCTION throttle_success(p_user text, p_ip text) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM login_throttle WHERE key = p_user;
  UPDATE login_throttle SET failures = greatest(failures - 1, 0),
         blocked_until = CASE WHEN failures - 1 <= 0 THEN NULL ELSE blocked_until END
   WHERE key = p_ip;
$$;
