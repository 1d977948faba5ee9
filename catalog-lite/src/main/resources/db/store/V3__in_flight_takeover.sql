-- When the request holding an unanswered idempotency key took it (at reservation, or when a retry
-- took over a reservation whose request died: PurchaseFlow, purchases.takeOverAfter). Kept apart
-- from created_at, which counts the key's 24-hour retention.
ALTER TABLE store.idempotency_keys ADD COLUMN locked_at timestamptz;
UPDATE store.idempotency_keys SET locked_at = created_at;
ALTER TABLE store.idempotency_keys ALTER COLUMN locked_at SET NOT NULL;
