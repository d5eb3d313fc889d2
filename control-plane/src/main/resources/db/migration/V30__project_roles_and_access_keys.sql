-- users.role is now ADMIN (the bootstrap administrator: every project) or USER (only the projects below).

-- A user's role in one project: ADMIN (everything in the project) or READONLY (GET only).
CREATE TABLE project_roles (
    user_id    VARCHAR(64) NOT NULL REFERENCES users (id),
    project_id VARCHAR(64) NOT NULL,
    role       VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE INDEX project_roles_project ON project_roles (project_id);

-- Access keys (AK/SK) for SDK request signing. HMAC verification needs the secret itself, so it is kept
-- encrypted with the server's credential key (AES-GCM), not hashed.
CREATE TABLE access_keys (
    access_key       VARCHAR(64)  PRIMARY KEY,
    user_id          VARCHAR(64)  NOT NULL REFERENCES users (id),
    secret_encrypted VARCHAR(512) NOT NULL,
    description      VARCHAR(255),
    status           VARCHAR(16)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX access_keys_user ON access_keys (user_id);
