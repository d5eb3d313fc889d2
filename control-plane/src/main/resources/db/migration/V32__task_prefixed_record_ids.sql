-- How a task's record ids are formed (RecordIds): 1 = name-based UUID, the only scheme before this migration;
-- new tasks store 2 = the task id, a dash and 16 hex digits, so a task's records sit together in the id index.
-- A task keeps its scheme: one still running across the upgrade re-sends its commands under the ids its agents know.
ALTER TABLE execution_tasks ADD COLUMN record_id_scheme INTEGER DEFAULT 1 NOT NULL;
