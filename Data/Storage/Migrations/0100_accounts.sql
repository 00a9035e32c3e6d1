-- Summit accounts, the security log and the Gateway's data-protection keys.
--
-- Usernames are stored lower-case and compared exactly. Roles are the Role enum's names in
-- camelCase; county and university accounts are bound to one unit code, the others to none.
-- Password hashes are ASP.NET Core PasswordHasher output. security_stamp changes whenever a
-- password is reset or the account is disabled or enabled, which invalidates tokens and cookies
-- issued before.

CREATE TABLE summit_accounts
(
    username            text        NOT NULL,
    role                text        NOT NULL,
    unit                text        NULL,
    password_hash       text        NOT NULL,
    security_stamp      text        NOT NULL,
    created_at          timestamptz NOT NULL,
    created_by          text        NULL,
    password_changed_at timestamptz NOT NULL,
    disabled_at         timestamptz NULL,
    disabled_by         text        NULL,

    CONSTRAINT pk_summit_accounts PRIMARY KEY (username),
    CONSTRAINT ck_summit_accounts_username CHECK (username = lower(username) AND length(username) BETWEEN 1 AND 64),
    CONSTRAINT ck_summit_accounts_role CHECK (role IN ('secretariat', 'county', 'university', 'leader', 'admin')),
    CONSTRAINT ck_summit_accounts_unit CHECK ((role IN ('county', 'university')) = (unit IS NOT NULL))
);

-- "Is there an enabled admin?" is asked at every start-up and before disabling an admin.
CREATE INDEX ix_summit_accounts_role ON summit_accounts (role) WHERE disabled_at IS NULL;

-- Failed sign-ins, throttled sign-ins and refused authorizations. Not per summit, so kept apart
-- from the audit trail.
CREATE TABLE summit_security_events
(
    id      bigint      GENERATED ALWAYS AS IDENTITY,
    at      timestamptz NOT NULL,
    kind    text        NOT NULL,
    account text        NULL,
    role    text        NULL,
    address text        NULL,
    method  text        NULL,
    path    text        NULL,
    detail  text        NULL,

    CONSTRAINT pk_summit_security_events PRIMARY KEY (id)
);

CREATE INDEX ix_summit_security_events_at ON summit_security_events (at DESC, id DESC);
CREATE INDEX ix_summit_security_events_account ON summit_security_events (account, at DESC);

-- ASP.NET Core data-protection key ring, shared by every Gateway so sign-in cookies and antiforgery
-- tokens survive restarts and work across gateways.
CREATE TABLE summit_data_protection_keys
(
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_summit_data_protection_keys PRIMARY KEY (friendly_name)
);
