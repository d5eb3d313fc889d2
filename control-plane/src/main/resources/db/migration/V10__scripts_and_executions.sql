-- Scripts, execution tasks and their per-desktop, per-script records.

CREATE TABLE scripts (
    id             VARCHAR(64)     PRIMARY KEY,
    project_id     VARCHAR(64)     NOT NULL,
    name           VARCHAR(64)     NOT NULL,
    script_type    VARCHAR(16)     NOT NULL,
    content        VARCHAR(100000) NOT NULL,
    description    VARCHAR(256),
    script_version VARCHAR(128),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX scripts_project ON scripts (project_id, created_at);

CREATE TABLE execution_tasks (
    id                  VARCHAR(64)  PRIMARY KEY,
    project_id          VARCHAR(64)  NOT NULL,
    -- the pool the task was started on (desktop-pool endpoint), else null
    pool_id             VARCHAR(64),
    -- SCRIPT | COMMAND
    task_type           VARCHAR(16)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    gray_fail_threshold INTEGER      NOT NULL,
    execution_timeout   INTEGER      NOT NULL,
    pre_start           VARCHAR(16)  NOT NULL,
    post_finish         VARCHAR(16),
    target_count        INTEGER      NOT NULL,
    success_num         INTEGER      NOT NULL,
    failed_num          INTEGER      NOT NULL,
    skip_num            INTEGER      NOT NULL,
    retry_of            VARCHAR(64),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    start_time          TIMESTAMP WITH TIME ZONE,
    end_time            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX execution_tasks_project ON execution_tasks (project_id, created_at);
CREATE INDEX execution_tasks_status ON execution_tasks (status);

-- What each step runs, copied when the task is created: editing or deleting a script later changes no task.
CREATE TABLE execution_task_steps (
    task_id     VARCHAR(64)     NOT NULL REFERENCES execution_tasks (id) ON DELETE CASCADE,
    step        INTEGER         NOT NULL,
    script_id   VARCHAR(64),
    script_name VARCHAR(64),
    script_type VARCHAR(16)     NOT NULL,
    content     VARCHAR(100000) NOT NULL,
    PRIMARY KEY (task_id, step)
);
CREATE INDEX execution_task_steps_script ON execution_task_steps (script_id);

-- One record per desktop and step. The record id is also the invocation id the agent sees.
CREATE TABLE execution_records (
    id               VARCHAR(64)   PRIMARY KEY,
    task_id          VARCHAR(64)   NOT NULL REFERENCES execution_tasks (id) ON DELETE CASCADE,
    project_id       VARCHAR(64)   NOT NULL,
    desktop_id       VARCHAR(64)   NOT NULL,
    desktop_name     VARCHAR(255)  NOT NULL,
    step             INTEGER       NOT NULL,
    -- 0 no gray batch, 1 gray, 2 non-gray
    execute_order    INTEGER       NOT NULL,
    batch_index      INTEGER       NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    result_code      VARCHAR(64),
    reason           VARCHAR(1024),
    exit_code        INTEGER,
    output           VARCHAR(70000),
    output_truncated BOOLEAN       NOT NULL DEFAULT FALSE,
    start_time       TIMESTAMP WITH TIME ZONE,
    end_time         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX execution_records_task ON execution_records (task_id, desktop_id, step);
CREATE INDEX execution_records_project_desktop ON execution_records (project_id, desktop_id);
CREATE INDEX execution_records_status ON execution_records (status);
