-- The key registry: every signing key the HSM holds, its certificate chain and
-- where it is in its lifecycle. Private keys never leave the HSM; this table
-- holds only public material and the HSM label that finds the private key.
CREATE SCHEMA IF NOT EXISTS keys;

CREATE TABLE keys.signing_key (
    kid               text        PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9._-]{1,64}$'),
    purpose           text        NOT NULL CHECK (purpose IN ('root', 'receipt', 'blocklist')),
    alg               text        NOT NULL CHECK (alg IN ('RS256', 'PS256', 'ES256')),
    state             text        NOT NULL CHECK (state IN ('GENERATED', 'PUBLISHED', 'ACTIVE',
                                                            'RETIRING', 'RETIRED', 'DESTROYED')),
    hsm_label         text        NOT NULL UNIQUE,
    public_jwk        text        NOT NULL,
    -- x5c order: base64 DER, the key's own certificate first, the root last.
    certificate_chain text[]      NOT NULL,
    not_before        timestamptz NOT NULL,
    not_after         timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    published_at      timestamptz,
    activated_at      timestamptz,
    retiring_at       timestamptz,
    retired_at        timestamptz,
    destroyed_at      timestamptz,
    CHECK (not_after > not_before)
);

-- Exactly one ACTIVE key per purpose is the registry's central invariant. The
-- database enforces "at most one" so that two concurrent rotations cannot
-- both win; the lifecycle code enforces "at least one".
CREATE UNIQUE INDEX signing_key_one_active_per_purpose
    ON keys.signing_key (purpose) WHERE state = 'ACTIVE';

-- Every lifecycle step, who did it and whether a safety rule was overridden.
CREATE TABLE keys.key_event (
    id         bigserial   PRIMARY KEY,
    kid        text        NOT NULL REFERENCES keys.signing_key (kid),
    from_state text,
    to_state   text        NOT NULL,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    forced     boolean     NOT NULL DEFAULT false,
    note       text
);
CREATE INDEX key_event_kid ON keys.key_event (kid, at);
