-- The replica each outbox row is for, as the sender saw it: a claim reads its own rows by index instead of joining
-- every row with agent_sessions (the most expensive claim of a fan-out on 3 replicas, pg_stat_statements 2026-12-06).
-- A row whose desktop moved is handed to the new holder by that replica's sweep; rows from before this column have
-- none and are handed the same way.
ALTER TABLE agent_outbox ADD COLUMN holder VARCHAR(64);
CREATE INDEX agent_outbox_holder ON agent_outbox (holder, id);
