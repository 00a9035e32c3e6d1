-- Orleans ADO.NET providers (clustering, persistence, reminders) issue no SQL of their own:
-- at start-up each one runs the fixed statement
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and afterwards executes only the texts found there, keyed by QueryKey. The table and column
-- names are therefore part of Orleans' contract and must not change.
--
-- Query texts use ADO.NET named parameters (@DeploymentId, @GrainIdHash, ...), which Npgsql
-- rewrites into positional ones. Result columns are read by name, case-insensitively, so the
-- unquoted (lower-cased) identifiers below satisfy the provider.
--
-- Later migrations change a provider's behaviour by upserting its rows here; every query row
-- is written with ON CONFLICT ... DO UPDATE so such a migration can simply restate the text.

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT pk_orleansquery PRIMARY KEY (QueryKey)
);
