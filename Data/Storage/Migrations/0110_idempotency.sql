-- Idempotency keys of API writes (the Gateway's Idempotency-Key header).
--
-- One row per (account, route, key). A row with NULL status is a claim: its request is running, and
-- expires_at is a short lease after which a retry may run it again (the gateway that held it died).
-- A row with a status is the first request's response, replayed to every retry until expires_at.
-- request_hash is the SHA-256 of the first request's body: the same key with another body is refused.

CREATE TABLE summit_idempotency
(
    account         text        NOT NULL,
    route           text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL,
    status          integer     NULL,
    headers         jsonb       NULL,
    body            bytea       NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    CONSTRAINT pk_summit_idempotency PRIMARY KEY (account, route, idempotency_key)
);

-- Purging expired rows scans by expiry.
CREATE INDEX ix_summit_idempotency_expires_at ON summit_idempotency (expires_at);
