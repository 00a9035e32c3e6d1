-- Registered organisations (kind 'organization': societies, companies, schools, offices under a county or a university,
-- or at the city level) and forwarded campaigns (a campaign with 'parent' and 'owner': a unit's forward of another to
-- its organisations). Both are entities of summit_entity like the others; these indexes serve their lists.

-- The organisations registered under a unit (and the city-level ones, parentUnit NULL), in code order.
CREATE INDEX ix_summit_organization_parent ON summit_entity
    (summit, ((state #>> '{parentUnit,kind}') || ':' || (state #>> '{parentUnit,code}')), id COLLATE "C")
    WHERE kind = 'organization';

-- A campaign's forwards (its board's roll-up and the forwards list), and a unit's own forwards.
CREATE INDEX ix_summit_campaign_parent ON summit_entity (summit, (state ->> 'parent'), id COLLATE "C")
    WHERE kind = 'campaign' AND (state -> 'parent') IS NOT NULL;
CREATE INDEX ix_summit_campaign_owner ON summit_entity USING gin ((state -> 'owner') jsonb_path_ops)
    WHERE kind = 'campaign' AND (state -> 'owner') IS NOT NULL;

-- Organisation accounts: bound to their organisation's code like county and university accounts to theirs.
ALTER TABLE summit_accounts DROP CONSTRAINT ck_summit_accounts_role;
ALTER TABLE summit_accounts ADD CONSTRAINT ck_summit_accounts_role
    CHECK (role IN ('secretariat', 'county', 'university', 'organization', 'leader', 'admin'));
ALTER TABLE summit_accounts DROP CONSTRAINT ck_summit_accounts_unit;
ALTER TABLE summit_accounts ADD CONSTRAINT ck_summit_accounts_unit
    CHECK ((role IN ('county', 'university', 'organization')) = (unit IS NOT NULL));
