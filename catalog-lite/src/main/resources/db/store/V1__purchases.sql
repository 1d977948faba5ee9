-- The store's purchases and the receipts issued for them. The purchase flow
-- (sign, then charge) writes these on the primary; the verifier reads them on
-- the replica to answer ok / pending / refunded / invalid for a receipt's jti.
CREATE SCHEMA IF NOT EXISTS store;

CREATE TABLE store.purchases (
    id             uuid        PRIMARY KEY,
    user_id        text        NOT NULL,
    app_slug       text        NOT NULL,
    price_amount   numeric(12, 2),
    price_currency char(3),
    status         text        NOT NULL CHECK (status IN ('RESERVED', 'SIGNED', 'COMPLETED',
                                                          'VOIDED', 'REFUNDED')),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CHECK ((price_amount IS NULL) = (price_currency IS NULL))
);
CREATE INDEX purchases_user ON store.purchases (user_id, app_slug);
CREATE INDEX purchases_status_updated ON store.purchases (status, updated_at);

-- Every receipt issued for a purchase (the first one, and each reissue). A
-- receipt is identified by its jti, never by its bytes.
CREATE TABLE store.purchase_receipts (
    jti         text        PRIMARY KEY,
    purchase_id uuid        NOT NULL REFERENCES store.purchases (id),
    kid         text        NOT NULL,
    receipt     text        NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX purchase_receipts_purchase ON store.purchase_receipts (purchase_id);
