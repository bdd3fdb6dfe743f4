-- 0009_demo_webhooks.sql — the provincial portal subscribed to the Board's
-- events (issue 14 §3): consolidations sent, decisions signed or revoked,
-- lists disclosed.  From now on each such change of the Board queues a
-- signed delivery to it, visible in GET /v1/webhooks/1/deliveries.
--
-- The address is a placeholder under .example (RFC 2606): it resolves
-- nowhere, so a demo never posts to a real server, and its deliveries end
-- `failed` with the DNS error in the log.  The admin (`quantri`) replaces
-- the subscription with the portal's real address, and gets the signing
-- secret when making it (or with POST /v1/webhooks/{id}/rotate): the key
-- drawn here is never shown.
--
-- Idempotent: one subscription of the Board to that address.
INSERT INTO webhook_subscriptions (organization_id, url, description, events, secret)
SELECT o.id, 'https://cong-tdkt.gialai.example/webhooks/thidua',
       'Cổng thông tin thi đua, khen thưởng tỉnh Gia Lai',
       ARRAY['consolidation.sent', 'decision.revoked', 'decision.signed', 'disclosure.opened'],
       decode(md5(random()::text) || md5(random()::text), 'hex')
  FROM organizations o
 WHERE o.code = 'BQLKKT-GL'
   AND NOT EXISTS (SELECT 1 FROM webhook_subscriptions w
                    WHERE w.organization_id = o.id
                      AND w.url = 'https://cong-tdkt.gialai.example/webhooks/thidua');
