-- Text search over a summit's tasks, county venues and their sub-events, sub-forums, projects and universities
-- (GET /api/summits/{summit}/search and the lists' q filter), by any part of their Chinese or English text.
--
-- How the text is indexed: every entity row gets the lower-cased text it is found by (search_text) and the set of its
-- characters and pairs of neighbouring characters (search_grams, a GIN-indexed text[]). A query term of one character
-- is looked up as that character, a longer one as all of its pairs (index), then confirmed by strpos on search_text
-- (the pairs may sit apart). Chinese has no spaces and queries are often two characters ("平阳", "签约"), so a pair is
-- the unit that makes every query selective; English terms work the same way.
--
-- Why not pg_trgm: it keeps only "word" characters, and under the C locale that Summit's databases are created with
-- (PrivatePostgres runs initdb --locale C) no Chinese character is one: show_trgm('平阳子活动报批') is {}, so a trigram
-- index finds nothing Chinese. It also extracts nothing from a one- or two-character pattern, which then reads the
-- whole index. Pairs need no extension and no locale.
--
-- search_title is the lower-cased name an entity is known by (a task's title, a venue's or university's name, a
-- sub-forum's theme, a project's title); its btree index finds the titles that start with a query, which rank first.
--
-- Fields are joined with U+001F (unit separator): the API refuses control characters in a query, so no query term
-- can match across two fields, and no character pair spans two fields.

-- Characters that break the text into words: controls and C1 controls, ASCII space, no-break space, ideographic
-- space. The API splits a query at white space and refuses controls, so no query term holds one.
-- (PL/pgSQL with code point tests: about four times faster than a set-returning SQL version with a regular expression,
-- which matters as every entity write computes it.)
CREATE FUNCTION summit_search_grams(body text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $grams$
DECLARE
    chars text[] := string_to_array(body, NULL);
    grams text[] := '{}';
    previous text := NULL;
    c text;
    code integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(chars, 1), 0) LOOP
        c := chars[i];
        code := ascii(c);
        IF code <= 32 OR code BETWEEN 127 AND 160 OR code = 12288 THEN
            previous := NULL;
        ELSE
            grams := grams || c;
            IF previous IS NOT NULL THEN
                grams := grams || (previous || c);
            END IF;
            previous := c;
        END IF;
    END LOOP;
    RETURN grams;
END
$grams$;

-- The pairs a query must find: each term's characters for a one-character term, its pairs for a longer one.
CREATE FUNCTION summit_search_query_grams(terms text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN ARRAY(
    SELECT DISTINCT gram
    FROM unnest(terms) AS term,
         LATERAL (SELECT lower(term) AS gram WHERE length(term) = 1
                  UNION ALL
                  SELECT substr(lower(term), i, 2) FROM generate_series(1, length(term) - 1) AS i) AS grams);

-- The strings of one member of each element of a JSON array, joined by U+001F.
CREATE FUNCTION summit_search_members(items jsonb, member text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(items) = 'array' THEN
    (SELECT string_agg(CASE WHEN jsonb_typeof(item) = 'string' THEN item #>> '{}' ELSE item ->> member END, chr(31))
     FROM jsonb_array_elements(items) AS item) END;

-- A sub-event's own text: its id, title and venue.
CREATE FUNCTION summit_search_subevent(item jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(coalesce(item ->> 'id', '') || chr(31) || coalesce(item ->> 'title', '') || chr(31) || coalesce(item ->> 'venue', ''));

CREATE FUNCTION summit_search_title(kind text, state jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(CASE kind
    WHEN 'task' THEN state ->> 'title'
    WHEN 'county' THEN state ->> 'name'
    WHEN 'subForum' THEN state ->> 'theme'
    WHEN 'project' THEN state ->> 'title'
    WHEN 'university' THEN state ->> 'name'
    END);

-- What an entity is found by (its sub-events are found apart, by summit_search_subevent).
CREATE FUNCTION summit_search_text(kind text, id text, state jsonb) RETURNS text
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
    END);

-- The grams of an entity's text and, for a county venue, of its sub-events' too: one index probe finds a venue by
-- either, and the query tells them apart.
CREATE FUNCTION summit_search_body(kind text, id text, state jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN summit_search_text(kind, id, state) || CASE WHEN kind = 'county' AND jsonb_typeof(state -> 'subEvents') = 'array'
    THEN coalesce((SELECT string_agg(summit_search_subevent(item), chr(31)) FROM jsonb_array_elements(state -> 'subEvents') AS item), '')
    ELSE '' END;

ALTER TABLE summit_entity
    ADD COLUMN search_title text GENERATED ALWAYS AS (summit_search_title(kind, state)) STORED,
    ADD COLUMN search_text  text GENERATED ALWAYS AS (summit_search_text(kind, id, state)) STORED,
    ADD COLUMN search_grams text[] GENERATED ALWAYS AS (summit_search_grams(summit_search_body(kind, id, state))) STORED;

-- Tasks are most of the rows, so they have an index of their own; a search of the other kinds never reads it.
CREATE INDEX ix_summit_search_task ON summit_entity USING gin (search_grams) WHERE kind = 'task';
CREATE INDEX ix_summit_search_other ON summit_entity USING gin (search_grams)
    WHERE kind IN ('county', 'subForum', 'project', 'university');
-- Titles that start with the query, in ordinal order (a range from the query to the query followed by U+10FFFF).
CREATE INDEX ix_summit_search_title ON summit_entity (summit, kind, search_title COLLATE "C") WHERE search_title IS NOT NULL;

-- Whether body holds every term (ignoring case); true for no terms. For the few rows an index has already narrowed
-- down: a county's sub-events and the accounts.
CREATE FUNCTION summit_search_all(body text, terms text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN terms IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(terms) AS term WHERE strpos(coalesce(body, ''), lower(term)) = 0);
