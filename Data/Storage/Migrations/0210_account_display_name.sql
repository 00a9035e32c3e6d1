-- A person's name for an account (王主任, 平阳县筹备办), shown on the account screen beside the username.
-- Optional; accounts created before have none.

ALTER TABLE summit_accounts ADD COLUMN display_name text NULL;
