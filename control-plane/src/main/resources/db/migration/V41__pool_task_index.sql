-- A pool's task list (and its total) read every task of the project through execution_tasks_project and kept the
-- pool's: a page of one pool's tasks cost as much as the project's whole history. With the pool in the index it
-- reads only that pool's tasks. Tasks are written once per execution and updated per result batch, so one more
-- index costs little on the hot path.
CREATE INDEX execution_tasks_pool ON execution_tasks (project_id, pool_id, created_at);
