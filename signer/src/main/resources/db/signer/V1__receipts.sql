-- Receipts the signer issued, one per purchase: what makes POST /v1/receipts
-- idempotent (same purchase, same claims -> the same receipt) and the store's
-- audit record of the price. A row is inserted in the same transaction that
-- appends the receipt to audit.issuance_log, so a receipt exists exactly when
-- it is logged. The token is kept so that a retried request gets the very same
-- receipt back; it is a public document (it carries no secret), and the signer
-- never logs it.
CREATE SCHEMA IF NOT EXISTS signer;

CREATE TABLE signer.receipt (
    purchase_id     text        PRIMARY KEY CHECK (length(purchase_id) BETWEEN 1 AND 64),
    jti             text        NOT NULL UNIQUE,
    -- SHA-256 of the caller-supplied claims and the chosen issuer (ReceiptOrder.fingerprint).
    request_sha256  bytea       NOT NULL CHECK (length(request_sha256) = 32),
    caller          text        NOT NULL,
    iss             text        NOT NULL,
    typ             text        NOT NULL CHECK (typ IN ('purchase-receipt', 'developer-receipt',
                                                        'reviewer-receipt', 'test-receipt')),
    kid             text        NOT NULL,
    price_amount    numeric     NOT NULL CHECK (price_amount >= 0),
    price_currency  text        NOT NULL CHECK (price_currency ~ '^[A-Z]{3}$'),
    nbf             timestamptz NOT NULL,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL CHECK (expires_at > issued_at),
    token           text        NOT NULL
);
