-- The issuance log: every signed document (receipt or blocklist), appended in
-- the transaction that makes it visible, as a hash chain. hash =
-- SHA-256(prev_hash || canonical entry); see IssuanceChain. Deleting, reordering
-- or altering a row breaks the chain at that sequence number.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.issuance_log (
    seq           bigint      PRIMARY KEY CHECK (seq > 0),
    jti           text        NOT NULL UNIQUE,
    purchase_id   text,
    document_type text        NOT NULL CHECK (document_type IN ('receipt', 'blocklist')),
    kid           text        NOT NULL,
    caller        text        NOT NULL,
    claims_sha256 bytea       NOT NULL CHECK (length(claims_sha256) = 32),
    issued_at     timestamptz NOT NULL,
    prev_hash     bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash          bytea       NOT NULL CHECK (length(hash) = 32)
);

-- One row: the end of the chain. Appenders lock it (SELECT ... FOR UPDATE),
-- which serialises appends without gaps even under concurrent signing.
CREATE TABLE audit.issuance_head (
    id   smallint PRIMARY KEY CHECK (id = 1),
    seq  bigint   NOT NULL,
    hash bytea    NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit.issuance_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
