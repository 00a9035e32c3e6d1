-- Indexes in the order of the lists that had none: a page reads its rows in the index and stops instead of sorting the
-- whole table.
--
-- Accounts are listed by username in ordinal order (COLLATE "C"), which the primary key, in the database's collation,
-- does not serve. Summit editions are the rows of kind 'summit' in summit_entity, listed by code in ordinal order; the
-- table's other indexes all start with the summit, so without this one the list reads every entity of every summit.

CREATE INDEX ix_summit_accounts_list ON summit_accounts (username COLLATE "C");

CREATE INDEX ix_summit_entity_summits ON summit_entity (id COLLATE "C") WHERE kind = 'summit';
