-- Listing desktops pages in creation order within a project, optionally by status; activations are looked up by id
-- only (primary key). Portable SQL for PostgreSQL and H2.
CREATE INDEX desktops_project_created ON desktops (project_id, created_at, id);
CREATE INDEX desktops_project_status ON desktops (project_id, status, created_at);
-- Startup marks every online desktop offline.
CREATE INDEX desktops_online ON desktops (agent_online);
