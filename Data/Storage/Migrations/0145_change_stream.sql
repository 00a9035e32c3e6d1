-- The audit table read as each summit's change stream (IChangeStream): every row records the transaction that
-- committed it, and readers go in (transaction, id) order up to the oldest transaction still running, so no row that
-- commits later can appear behind a reader's position. Rows written before this migration have no transaction and
-- are not streamed (their changes were delivered when they were made).

ALTER TABLE summit_audit ADD COLUMN tx xid8 NULL;
ALTER TABLE summit_audit ALTER COLUMN tx SET DEFAULT pg_current_xact_id();

CREATE INDEX ix_summit_audit_stream ON summit_audit (summit, tx, id) WHERE tx IS NOT NULL;
