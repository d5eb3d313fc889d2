-- Who started a task and on which tag (issue 26: the console and the task list show them and filter by user).
-- Tasks created before this migration have neither: they list created_by null.
-- created_by: the user's name, or 'system' for a scheduled fire.
ALTER TABLE execution_tasks ADD COLUMN created_by VARCHAR(255);
-- the key=value tag a by-desktop-tag execution targeted, else null
ALTER TABLE execution_tasks ADD COLUMN desktop_tag VARCHAR(400);
CREATE INDEX execution_tasks_creator ON execution_tasks (project_id, created_by, created_at);
