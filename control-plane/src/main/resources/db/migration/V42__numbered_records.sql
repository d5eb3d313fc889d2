-- A record gets a number, record_key, and its outcome is keyed by that number instead of the record's id.
--
-- Why: H2 keeps a table whose primary key is one BIGINT column in a single B-tree ordered by that key; any other
-- primary key is a second B-tree beside the rows. execution_results was keyed by the 53-character record id (the
-- task id, a dash and 16 hex digits, so neighbours share their first 37 characters) and had a foreign key to
-- execution_records: every result insert searched two string B-trees and wrote two, and each commit serialized the
-- pages of both. Keyed by the number, a result is one insert into one B-tree. On embedded H2, 10,000 results in
-- batches of 2,000 (25 tasks of history) cost 189-218 ms of CPU before, 65-74 ms after (bench/RESULTS.md, stop 11).
--
-- A task's records get consecutive numbers in plan order, a desktop's steps next to each other (RecordKeys), so the
-- engine knows a record's number from the task's first one without asking the database. New tasks form their record
-- ids from the number (RecordIds.KEYED, record_id_scheme 3: the task id, a dash and the number as 16 hex digits), so
-- the id index is appended to in insert order; stored tasks keep their ids.
--
-- The foreign key is gone with the old table. An outcome is only ever written for a record that exists: the engine
-- writes results for commands it sent from stored records (RolloutEngine.onResult ignores an invocation id it did
-- not send), closures are inserted by a SELECT from execution_records, and records are never deleted.
DROP INDEX execution_records_task;
ALTER TABLE execution_records RENAME TO execution_records_v41;
ALTER TABLE execution_results RENAME TO execution_results_v41;

CREATE TABLE execution_records (
    record_key    BIGINT       NOT NULL,
    id            VARCHAR(64)  NOT NULL,
    task_id       VARCHAR(64)  NOT NULL,
    project_id    VARCHAR(64)  NOT NULL,
    desktop_id    VARCHAR(64)  NOT NULL,
    desktop_name  VARCHAR(255) NOT NULL,
    step          INTEGER      NOT NULL,
    -- 0 no gray batch, 1 gray, 2 non-gray
    execute_order INTEGER      NOT NULL,
    batch_index   INTEGER      NOT NULL,
    CONSTRAINT execution_records_key PRIMARY KEY (record_key)
);
CREATE UNIQUE INDEX execution_records_by_id ON execution_records (id);
CREATE INDEX execution_records_task ON execution_records (task_id, desktop_id, step);
INSERT INTO execution_records (record_key, id, task_id, project_id, desktop_id, desktop_name, step, execute_order,
                               batch_index)
SELECT ROW_NUMBER() OVER (ORDER BY task_id, desktop_id, step), id, task_id, project_id, desktop_id, desktop_name,
       step, execute_order, batch_index
FROM execution_records_v41;

CREATE TABLE execution_results (
    record_key       BIGINT        NOT NULL,
    -- RUNNING, or the record's terminal status
    status           VARCHAR(16)   NOT NULL,
    result_code      VARCHAR(64),
    reason           VARCHAR(1024),
    exit_code        INTEGER,
    output           VARCHAR(70000),
    output_truncated BOOLEAN       NOT NULL DEFAULT FALSE,
    start_time       TIMESTAMP WITH TIME ZONE,
    end_time         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT execution_results_key PRIMARY KEY (record_key)
);
INSERT INTO execution_results (record_key, status, result_code, reason, exit_code, output, output_truncated,
                               start_time, end_time)
SELECT r.record_key, x.status, x.result_code, x.reason, x.exit_code, x.output, x.output_truncated, x.start_time,
       x.end_time
FROM execution_results_v41 x JOIN execution_records r ON r.id = x.record_id;

DROP TABLE execution_results_v41;
DROP TABLE execution_records_v41;
