-- Scheduled and event-triggered tasks. Portable SQL for PostgreSQL and H2 in PostgreSQL mode.

-- The schedule fields are kept exactly as the client sent them (the scheduler module parses them); schedule_anchor
-- is the instant the schedule was created or last modified (DAY schedules without scheduled_date count from it).
CREATE TABLE scheduled_tasks (
    id                  VARCHAR(64)    PRIMARY KEY,
    project_id          VARCHAR(64)    NOT NULL,
    task_name           VARCHAR(255)   NOT NULL,
    -- START | STOP | REBOOT | HIBERNATE | EXECUTE_SCRIPT
    task_type           VARCHAR(32)    NOT NULL,
    scheduled_type      VARCHAR(16)    NOT NULL,
    day_interval        INTEGER,
    week_list           VARCHAR(255),
    month_list          VARCHAR(255),
    date_list           VARCHAR(255),
    scheduled_date      VARCHAR(32),
    scheduled_time      VARCHAR(32),
    expire_time         VARCHAR(32),
    life_cycle_type     VARCHAR(64),
    time_zone           VARCHAR(64),
    schedule_anchor     TIMESTAMP WITH TIME ZONE NOT NULL,
    gray_count          INTEGER,
    -- JSON array of desktop ids
    gray_desktop_ids    VARCHAR(70000),
    gray_fail_threshold INTEGER,
    is_gray             BOOLEAN        NOT NULL,
    force_execute       BOOLEAN        NOT NULL,
    description         VARCHAR(255),
    enabled             BOOLEAN        NOT NULL,
    extra_params        VARCHAR(2000),
    -- JSON array of {object_id, object_type}, resolved to desktops when the task fires
    apply_objects       VARCHAR(100000) NOT NULL,
    priority            INTEGER        NOT NULL,
    wait_time           INTEGER        NOT NULL,
    -- null: no further clock fire (LIFE_CYCLE, a fired FIXED_TIME, expired)
    next_fire_at        TIMESTAMP WITH TIME ZONE,
    -- SUCCESS | SKIP | FAIL, null before the first fire
    last_status         VARCHAR(16),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The poller's query: enabled tasks whose next fire is due.
CREATE INDEX scheduled_tasks_due ON scheduled_tasks (enabled, next_fire_at);
CREATE INDEX scheduled_tasks_project ON scheduled_tasks (project_id, created_at, id);
CREATE INDEX scheduled_tasks_life_cycle ON scheduled_tasks (project_id, life_cycle_type);

-- LIFE_CYCLE fires waiting for their wait_time, persisted so that a restart does not lose them.
CREATE TABLE scheduled_task_triggers (
    id         VARCHAR(64) PRIMARY KEY,
    task_id    VARCHAR(64) NOT NULL REFERENCES scheduled_tasks (id) ON DELETE CASCADE,
    desktop_id VARCHAR(64) NOT NULL,
    priority   INTEGER     NOT NULL,
    fire_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX scheduled_task_triggers_due ON scheduled_task_triggers (fire_at, priority, task_id);

-- One row per fire (or skipped fire). Task fields are copied so that a later modify does not rewrite history.
CREATE TABLE scheduled_task_records (
    id                  VARCHAR(64)   PRIMARY KEY,
    task_id             VARCHAR(64)   NOT NULL REFERENCES scheduled_tasks (id) ON DELETE CASCADE,
    project_id          VARCHAR(64)   NOT NULL,
    scheduled_fire      TIMESTAMP WITH TIME ZONE NOT NULL,
    start_time          TIMESTAMP WITH TIME ZONE NOT NULL,
    task_type           VARCHAR(32)   NOT NULL,
    scheduled_type      VARCHAR(16)   NOT NULL,
    life_cycle_type     VARCHAR(64),
    -- SUCCESS | SKIP | FAIL
    status              VARCHAR(16)   NOT NULL,
    success_num         INTEGER       NOT NULL,
    failed_num          INTEGER       NOT NULL,
    skip_num            INTEGER       NOT NULL,
    time_zone           VARCHAR(64),
    -- the execution task an EXECUTE_SCRIPT fire started
    execute_task_id     VARCHAR(64),
    expire_time         VARCHAR(32),
    extra_params        VARCHAR(2000)
);
CREATE INDEX scheduled_task_records_task ON scheduled_task_records (task_id, start_time);
CREATE INDEX scheduled_task_records_status ON scheduled_task_records (status);

-- Per-desktop outcome of a power fire (script fires show their execution's records instead).
CREATE TABLE scheduled_task_record_details (
    id           VARCHAR(64)   PRIMARY KEY,
    record_id    VARCHAR(64)   NOT NULL REFERENCES scheduled_task_records (id) ON DELETE CASCADE,
    desktop_id   VARCHAR(64)   NOT NULL,
    desktop_name VARCHAR(255)  NOT NULL,
    exec_status  VARCHAR(16)   NOT NULL,
    result_code  VARCHAR(64),
    fail_reason  VARCHAR(1024),
    start_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    end_time     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX scheduled_task_record_details_record ON scheduled_task_record_details (record_id, desktop_id);
