-- Four eyes (issue 25): pools and tags marked protected, and the approval each task touching one waits for.
CREATE TABLE protected_targets (
    id          VARCHAR(64)  PRIMARY KEY,
    project_id  VARCHAR(64)  NOT NULL,
    -- DESKTOP_POOL (object_id: a pool id) or DESKTOP_TAG (object_id: key=value)
    object_type VARCHAR(16)  NOT NULL,
    object_id   VARCHAR(400) NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT protected_targets_unique UNIQUE (project_id, object_type, object_id)
);

-- One row per held execution task, written before the task itself so that no crash can run it unapproved; the
-- rollout engine's recovery skips tasks whose approval is not APPROVED.
CREATE TABLE task_approvals (
    task_id             VARCHAR(64)  PRIMARY KEY,
    project_id          VARCHAR(64)  NOT NULL,
    -- PENDING_APPROVAL, APPROVED, REJECTED or EXPIRED
    status              VARCHAR(20)  NOT NULL,
    -- who asked: a user, or 'system' for a scheduled fire (then scheduled_task_id says which)
    requested_by        VARCHAR(255) NOT NULL,
    -- the user who may not approve: the requester, or for a fire the user who last saved the scheduled task
    requester_user_id   VARCHAR(64),
    scheduled_task_id   VARCHAR(64),
    protected_desktops  INTEGER      NOT NULL,
    requested_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by          VARCHAR(255),
    decided_at          TIMESTAMP WITH TIME ZONE,
    reason              VARCHAR(1024)
);
CREATE INDEX task_approvals_status ON task_approvals (status, expires_at);
CREATE INDEX task_approvals_project ON task_approvals (project_id, requested_at);
