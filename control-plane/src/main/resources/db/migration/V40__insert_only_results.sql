-- A record's outcome moves to its own table, written by INSERT (and, for a command reported running first, one
-- UPDATE of that row). Updating execution_records in place cost H2 a removal and a re-insertion in each of the
-- table's four B-trees (rows, id, task, project+desktop) per result, and its commits rewrote pages of all four:
-- with 10,000 desktops answering within a second, that was most of the control plane's work. execution_records now
-- holds what is fixed when the task is created (its target list); a record without a row here is WAITING.
CREATE TABLE execution_results (
    record_id        VARCHAR(64)   PRIMARY KEY REFERENCES execution_records (id) ON DELETE CASCADE,
    -- RUNNING, or the record's terminal status
    status           VARCHAR(16)   NOT NULL,
    result_code      VARCHAR(64),
    reason           VARCHAR(1024),
    exit_code        INTEGER,
    output           VARCHAR(70000),
    output_truncated BOOLEAN       NOT NULL DEFAULT FALSE,
    start_time       TIMESTAMP WITH TIME ZONE,
    end_time         TIMESTAMP WITH TIME ZONE
);

INSERT INTO execution_results (record_id, status, result_code, reason, exit_code, output, output_truncated,
                               start_time, end_time)
SELECT id, status, result_code, reason, exit_code, output, output_truncated, start_time, end_time
FROM execution_records WHERE status <> 'WAITING';

ALTER TABLE execution_records DROP COLUMN status;
ALTER TABLE execution_records DROP COLUMN result_code;
ALTER TABLE execution_records DROP COLUMN reason;
ALTER TABLE execution_records DROP COLUMN exit_code;
ALTER TABLE execution_records DROP COLUMN output;
ALTER TABLE execution_records DROP COLUMN output_truncated;
ALTER TABLE execution_records DROP COLUMN start_time;
ALTER TABLE execution_records DROP COLUMN end_time;
