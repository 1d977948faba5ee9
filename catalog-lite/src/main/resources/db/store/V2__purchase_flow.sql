-- The purchase flow's bookkeeping beside store.purchases / store.purchase_receipts (whose meaning
-- the verifier relies on and which this migration does not change).

-- The gateway charge a purchase was paid with, once known (free apps: none).
ALTER TABLE store.purchases ADD COLUMN charge_id text;

-- Idempotency keys, scoped per user (Stripe semantics). A row without response_status is a request
-- in flight; one with it answers every replay of the same key and parameters. Rows are kept at
-- least 24 hours (purged by IdempotencyRetention, never sooner).
CREATE TABLE store.idempotency_keys (
    user_id         text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    purchase_id     uuid        NOT NULL REFERENCES store.purchases (id),
    response_status integer,
    response_body   text,
    created_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON store.idempotency_keys (created_at);
CREATE INDEX idempotency_keys_purchase ON store.idempotency_keys (purchase_id);

-- Completions replayed from the local journal (CompletionJournal): one row per journal entry, so a
-- replay that lands twice changes nothing.
CREATE TABLE store.journal_replays (
    entry_id    uuid        PRIMARY KEY,
    purchase_id uuid        NOT NULL REFERENCES store.purchases (id),
    replayed_at timestamptz NOT NULL
);

-- Refunds made by operators.
CREATE TABLE store.refunds (
    purchase_id       uuid        PRIMARY KEY REFERENCES store.purchases (id),
    gateway_refund_id text,
    operator          text        NOT NULL,
    refunded_at       timestamptz NOT NULL
);
