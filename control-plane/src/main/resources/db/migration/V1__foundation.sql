-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode (the default embedded database).

CREATE TABLE users (
    id            VARCHAR(64)  PRIMARY KEY,
    name          VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(512) NOT NULL,
    role          VARCHAR(32)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Key/value settings the control plane generates once and keeps (e.g. the token signing key).
CREATE TABLE settings (
    setting_name  VARCHAR(128)  PRIMARY KEY,
    setting_value VARCHAR(4096) NOT NULL
);

CREATE TABLE desktop_pools (
    id          VARCHAR(64)  PRIMARY KEY,
    project_id  VARCHAR(64)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    description VARCHAR(1024),
    type        VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT desktop_pools_name_unique UNIQUE (project_id, name)
);

CREATE TABLE agent_activations (
    id                  VARCHAR(64)  PRIMARY KEY,
    project_id          VARCHAR(64)  NOT NULL,
    pool_id             VARCHAR(64)  NOT NULL REFERENCES desktop_pools (id),
    code_hash           VARCHAR(255) NOT NULL,
    description         VARCHAR(256),
    registration_limit  INTEGER      NOT NULL,
    registrations_count INTEGER      NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE desktops (
    id                VARCHAR(64)  PRIMARY KEY,
    project_id        VARCHAR(64)  NOT NULL,
    pool_id           VARCHAR(64)  NOT NULL REFERENCES desktop_pools (id),
    activation_id     VARCHAR(64),
    computer_name     VARCHAR(255) NOT NULL,
    os_type           VARCHAR(32),
    -- ACTIVE | SHUTOFF | ERROR | HIBERNATED
    status            VARCHAR(16)  NOT NULL,
    -- UNREGISTER | REGISTERED | CONNECTED | DISCONNECTED
    login_status      VARCHAR(16)  NOT NULL,
    credential_hash   VARCHAR(255) NOT NULL,
    revoked           BOOLEAN      NOT NULL DEFAULT FALSE,
    agent_online      BOOLEAN      NOT NULL DEFAULT FALSE,
    agent_version     VARCHAR(64),
    boot_id           VARCHAR(64),
    -- comma-separated interpreters the agent reported: SHELL,POWERSHELL,BAT
    interpreters      VARCHAR(64),
    last_heartbeat_at TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX desktops_project_pool ON desktops (project_id, pool_id);

CREATE TABLE desktop_tags (
    desktop_id VARCHAR(64)  NOT NULL REFERENCES desktops (id) ON DELETE CASCADE,
    tag_key    VARCHAR(128) NOT NULL,
    tag_value  VARCHAR(255) NOT NULL,
    PRIMARY KEY (desktop_id, tag_key)
);
CREATE INDEX desktop_tags_key_value ON desktop_tags (tag_key, tag_value);
