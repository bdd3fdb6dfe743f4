-- login_throttle.sql — growing delays after failed logins, per account and
-- client address together, and per client address.
--
-- Keys: "pair:<username>@<address>" and "ip:<address>" (an IPv6 address
-- counts by its /64).  Not per account alone: then anyone, from anywhere,
-- could lock an account's owner out for up to 15 minutes with a few wrong
-- passwords.  An attacker guessing one account's password from one address
-- meets the pair's delays; one spraying many accounts (or one account
-- under many names) from one address meets the address's.  A name that can
-- be no account's (not ^[a-z0-9._-]{3,64}$ once ASCII letters are lower
-- case) has no pair key: only the address counts it.
--
-- After `free` failures of a key each further one blocks it for
-- 2^(n - free) seconds, at most 15 minutes; a day without failures starts
-- the count again.  An attempt is checked in three statements, none held
-- open across the password check (which takes tens of milliseconds):
--   throttle_try      reserves the attempt (pending + 1), or answers how
--                     long the caller must wait (> 0), or -1 when attempts
--                     in flight could still exhaust the free failures: the
--                     caller then waits for them and asks again, so
--                     parallel guesses never get more checks than
--                     sequential ones, and parallel correct logins all pass;
--   throttle_fail     records the failure (pending - 1, failures + 1);
--   throttle_success  clears the pair and takes the attempt back from the
--                     address.
-- A reservation older than a minute is forgotten (a process that died
-- between try and its outcome).  Rows are locked in key order, so two
-- attempts never deadlock; housekeeping purges rows idle for a day
-- (throttle_purge).

-- The count of a key as if every attempt in flight failed.
CREATE OR REPLACE FUNCTION throttle_in_flight(t login_throttle) RETURNS integer
LANGUAGE sql STABLE
RETURN CASE WHEN t.pending_until > now() THEN t.pending ELSE 0 END;

CREATE OR REPLACE FUNCTION throttle_try(p_pair text, p_ip text, p_free_pair integer,
                                        p_free_ip integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  wait integer;
BEGIN
  INSERT INTO login_throttle (key, failures, last_failure)
  SELECT k, 0, now() FROM unnest(ARRAY[p_pair, p_ip]) k WHERE k IS NOT NULL
  ORDER BY k ON CONFLICT (key) DO NOTHING;
  PERFORM 1 FROM login_throttle WHERE key IN (p_pair, p_ip) ORDER BY key FOR UPDATE;
  SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now())), 0)::integer
    INTO wait FROM login_throttle
   WHERE key IN (p_pair, p_ip) AND blocked_until > now();
  IF wait > 0 THEN
    RETURN wait;
  END IF;
  -- the free failures plus the one that starts the delay may be in flight
  IF EXISTS (SELECT 1 FROM login_throttle t WHERE t.key IN (p_pair, p_ip)
              AND throttle_in_flight(t) > 0
              AND CASE WHEN t.last_failure < now() - interval '1 day' THEN 0
                       ELSE t.failures END + throttle_in_flight(t)
                  > CASE WHEN t.key = p_pair THEN p_free_pair ELSE p_free_ip END) THEN
    RETURN -1;
  END IF;
  UPDATE login_throttle t SET pending = throttle_in_flight(t) + 1,
         pending_until = now() + interval '1 minute'
   WHERE t.key IN (p_pair, p_ip);
  RETURN 0;
END $$;

CREATE OR REPLACE FUNCTION throttle_fail(p_pair text, p_ip text, p_free_pair integer,
                                         p_free_ip integer) RETURNS void
LANGUAGE sql AS $$
  UPDATE login_throttle t SET
    pending = greatest(throttle_in_flight(t) - 1, 0),
    failures = CASE WHEN t.last_failure < now() - interval '1 day' THEN 1
                    ELSE t.failures + 1 END,
    last_failure = now(),
    blocked_until = CASE
      WHEN t.last_failure >= now() - interval '1 day'
       AND t.failures + 1 > CASE WHEN t.key = p_pair THEN p_free_pair ELSE p_free_ip END
      THEN now() + make_interval(secs => least(900, power(2, t.failures + 1 -
             CASE WHEN t.key = p_pair THEN p_free_pair ELSE p_free_ip END)))
    END
  WHERE t.key IN (p_pair, p_ip);
$$;

CREATE OR REPLACE FUNCTION throttle_success(p_pair text, p_ip text) RETURNS void
LANGUAGE sql AS $$
  UPDATE login_throttle t SET pending = greatest(throttle_in_flight(t) - 1, 0),
         failures = CASE WHEN t.key = p_pair THEN 0 ELSE t.failures END,
         blocked_until = CASE WHEN t.key = p_pair THEN NULL ELSE t.blocked_until END
   WHERE t.key IN (p_pair, p_ip);
  DELETE FROM login_throttle WHERE key = p_pair AND pending = 0;
$$;

-- Rows that hold nothing any more: no failure for a day, not blocked, no
-- attempt in flight.  Answers how many went.
CREATE OR REPLACE FUNCTION throttle_purge() RETURNS bigint
LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM login_throttle t
                 WHERE t.last_failure < now() - interval '1 day'
                   AND (t.blocked_until IS NULL OR t.blocked_until <= now())
                   AND throttle_in_flight(t) = 0
                RETURNING 1)
  SELECT count(*) FROM gone;
$$;
