-- Innovation alliances (kind 'alliance') and University Startup World Cup finalists (kind 'finalist') are entities of
-- summit_entity like the others: the same one-transaction commit with their audit row and idempotency key, listed by
-- ix_summit_entity_list in id order (0180). They belong to no unit, so list_units stays NULL for them and a county's or
-- university's list finds none (AccessRules: the secretariat manages them, leaders read them).
--
-- The lists filter by status (both kinds) and track (finalists): one index in list order per filter, holding only
-- these rows, so the dashboard's "signed" and "confirmed" counts and a filtered page read the index.
CREATE INDEX ix_summit_outcome_status ON summit_entity (summit, kind, (state ->> 'status'), id COLLATE "C")
    WHERE kind IN ('alliance', 'finalist');
CREATE INDEX ix_summit_finalist_track ON summit_entity (summit, (state ->> 'track'), id COLLATE "C")
    WHERE kind = 'finalist';

-- Text search (0230): an alliance is found by its name, English name, field, lead unit's code and member units and
-- enterprises; a finalist by its project name, team, university, country, track and sub-forum. The functions are
-- replaced with the same text for every earlier kind, so no stored row changes; rows of the new kinds are computed on
-- write. Their pairs get a GIN index of their own, which a search of the other kinds never reads.
CREATE OR REPLACE FUNCTION summit_search_title(kind text, state jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(CASE kind
    WHEN 'task' THEN state ->> 'title'
    WHEN 'county' THEN state ->> 'name'
    WHEN 'subForum' THEN state ->> 'theme'
    WHEN 'project' THEN state ->> 'title'
    WHEN 'university' THEN state ->> 'name'
    WHEN 'alliance' THEN state ->> 'name'
    WHEN 'finalist' THEN state ->> 'projectName'
    END);

CREATE OR REPLACE FUNCTION summit_search_text(kind text, id text, state jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(CASE kind
    WHEN 'task' THEN id || chr(31) || coalesce(state ->> 'title', '') || chr(31) || coalesce(state ->> 'assignee', '')
        || chr(31) || coalesce(state -> 'owner' ->> 'code', '') || chr(31) || coalesce(state ->> 'subForum', '')
    WHEN 'county' THEN id || chr(31) || coalesce(state ->> 'name', '') || chr(31) || coalesce(state ->> 'venue', '')
        || chr(31) || coalesce(state ->> 'lead', '')
    WHEN 'subForum' THEN id || chr(31) || coalesce(state ->> 'theme', '') || chr(31) || coalesce(state ->> 'venue', '')
        || chr(31) || coalesce(state ->> 'hostUniversity', '') || chr(31) || coalesce(summit_search_members(state -> 'speakers', 'name'), '')
        || chr(31) || coalesce(summit_search_members(state -> 'speakers', 'affiliation'), '')
    WHEN 'project' THEN id || chr(31) || coalesce(state ->> 'title', '') || chr(31) || coalesce(state ->> 'industry', '')
        || chr(31) || coalesce(summit_search_members(state -> 'partners', 'name'), '') || chr(31) || coalesce(state ->> 'county', '')
        || chr(31) || coalesce(summit_search_members(state -> 'universities', ''), '')
    WHEN 'university' THEN id || chr(31) || coalesce(state ->> 'name', '') || chr(31) || coalesce(state ->> 'contactUnit', '')
    WHEN 'alliance' THEN id || chr(31) || coalesce(state ->> 'name', '') || chr(31) || coalesce(state ->> 'nameEn', '')
        || chr(31) || coalesce(state ->> 'field', '') || chr(31) || coalesce(state -> 'leadUnit' ->> 'code', '')
        || chr(31) || coalesce(summit_search_members(state -> 'memberUnits', ''), '')
        || chr(31) || coalesce(summit_search_members(state -> 'memberEnterprises', ''), '')
    WHEN 'finalist' THEN id || chr(31) || coalesce(state ->> 'projectName', '') || chr(31) || coalesce(state ->> 'team', '')
        || chr(31) || coalesce(state ->> 'university', '') || chr(31) || coalesce(state ->> 'country', '')
        || chr(31) || coalesce(state ->> 'track', '') || chr(31) || coalesce(state ->> 'subForum', '')
    END);

CREATE INDEX ix_summit_search_outcome ON summit_entity USING gin (search_grams) WHERE kind IN ('alliance', 'finalist');
