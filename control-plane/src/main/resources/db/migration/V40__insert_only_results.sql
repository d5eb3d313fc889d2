-- A record's outcome moves to its own table, written by INSERT (and, for a command reported running first, one
-- UPDATE of that row). H2 runs an UPDATE as a removal and a re-insertion in every B-tree of the table, and
-- execution_records had five (rows, id, task_id for the foreign key, task+desktop+step, project+desktop): with
-- 10,000 desktops answering within a second, rewriting them was most of the control plane's work. execution_records
-- now holds what is fixed when the task is created (its target list); a record without a row here is WAITING.
--
-- execution_records is rebuilt with two indexes besides its rows: the id, and (task, desktop, step). Gone:
-- - (project, desktop): a task's records were spread all over it, so the commit of every new task rewrote most of
--   its pages. Records of one desktop are found through the project's tasks and the task index instead.
-- - the foreign key to execution_tasks, with the index H2 kept for it alone (H2 gives a foreign key an index of
--   exactly its columns, so (task_id) besides (task_id, desktop_id, step)). A task and its records are written in one
--   transaction by ExecutionStore.create and tasks are never deleted, so the key guarded nothing that can happen.
DROP INDEX execution_records_task;
DROP INDEX execution_records_project_desktop;
ALTER TABLE execution_records RENAME TO execution_records_v32;

CREATE TABLE execution_records (
    id            VARCHAR(64)  NOT NULL,
    task_id       VARCHAR(64)  NOT NULL,
    project_id    VARCHAR(64)  NOT NULL,
    desktop_id    VARCHAR(64)  NOT NULL,
    desktop_name  VARCHAR(255) NOT NULL,
    step          INTEGER      NOT NULL,
    -- 0 no gray batch, 1 gray, 2 non-gray
    execute_order INTEGER      NOT NULL,
    batch_index   INTEGER      NOT NULL,
    CONSTRAINT execution_records_id PRIMARY KEY (id)
);
CREATE INDEX execution_records_task ON execution_records (task_id, desktop_id, step);
INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step, execute_order, batch_index)
SELECT id, task_id, project_id, desktop_id, desktop_name, step, execute_order, batch_index FROM execution_records_v32;

CREATE TABLE execution_results (
    record_id        VARCHAR(64)   NOT NULL,
    -- RUNNING, or the record's terminal status
    status           VARCHAR(16)   NOT NULL,
    result_code      VARCHAR(64),
    reason           VARCHAR(1024),
    exit_code        INTEGER,
    output           VARCHAR(70000),
    output_truncated BOOLEAN       NOT NULL DEFAULT FALSE,
    start_time       TIMESTAMP WITH TIME ZONE,
    end_time         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT execution_results_record PRIMARY KEY (record_id),
    CONSTRAINT execution_results_of_record
        FOREIGN KEY (record_id) REFERENCES execution_records (id) ON DELETE CASCADE
);
INSERT INTO execution_results (record_id, status, result_code, reason, exit_code, output, output_truncated,
                               start_time, end_time)
SELECT id, status, result_code, reason, exit_code, output, output_truncated, start_time, end_time
FROM execution_records_v32 WHERE status <> 'WAITING';

DROP TABLE execution_records_v32;
