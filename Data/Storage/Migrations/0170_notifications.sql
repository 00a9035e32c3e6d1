-- Notifications as rows instead of inbox grain state (which was rewritten whole on every notification).
--
-- inbox is the inbox key (account:{name}, unit:{kind}:{code} or secretariat); one row per inbox and notification id,
-- so storing the same notification twice is a no-op. body is the notification as Summit's JSON.
-- The index serves a page of one inbox newest first; a reader's inboxes are merged in that order.
CREATE TABLE summit_notification
(
    inbox      text             NOT NULL,
    id         text COLLATE "C" NOT NULL,
    summit     text             NOT NULL,
    created_at timestamptz      NOT NULL,
    body       jsonb            NOT NULL,

    CONSTRAINT pk_summit_notification PRIMARY KEY (inbox, id)
);

CREATE INDEX ix_summit_notification_inbox_newest ON summit_notification (inbox, created_at DESC, id);

-- Which notification ids an account has read (an id is the same notification in every inbox that holds it).
CREATE TABLE summit_notification_read
(
    account text             NOT NULL,
    id      text COLLATE "C" NOT NULL,
    read_at timestamptz      NOT NULL DEFAULT now(),

    CONSTRAINT pk_summit_notification_read PRIMARY KEY (account, id)
);

-- What earlier versions kept as grain state moves here: 'inbox' ({"items": [notification, ...]}, key the inbox) and
-- 'reads' ({"ids": [id, ...]}, key the account).
INSERT INTO summit_notification (inbox, id, summit, created_at, body)
SELECT s.inbox, item ->> 'id', item ->> 'summit', (item ->> 'createdAt')::timestamptz, item
FROM (
    SELECT GrainIdExtensionString AS inbox, convert_from(PayloadBinary, 'UTF8')::jsonb AS payload
    FROM OrleansStorage
    WHERE GrainTypeString = 'inbox' AND PayloadBinary IS NOT NULL AND GrainIdExtensionString IS NOT NULL
) s
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.payload -> 'items') = 'array'
                                             THEN s.payload -> 'items' ELSE '[]'::jsonb END) item
WHERE jsonb_typeof(item) = 'object'
  AND item ->> 'id' IS NOT NULL AND item ->> 'summit' IS NOT NULL AND item ->> 'createdAt' IS NOT NULL
ON CONFLICT ON CONSTRAINT pk_summit_notification DO NOTHING;

INSERT INTO summit_notification_read (account, id)
SELECT s.account, read_id
FROM (
    SELECT GrainIdExtensionString AS account, convert_from(PayloadBinary, 'UTF8')::jsonb AS payload
    FROM OrleansStorage
    WHERE GrainTypeString = 'reads' AND PayloadBinary IS NOT NULL AND GrainIdExtensionString IS NOT NULL
) s
CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.payload -> 'ids') = 'array'
                                                  THEN s.payload -> 'ids' ELSE '[]'::jsonb END) read_id
ON CONFLICT ON CONSTRAINT pk_summit_notification_read DO NOTHING;

DELETE FROM OrleansStorage WHERE GrainTypeString IN ('inbox', 'reads');
