-- Every UPDATE rewrites a row in each of its table's indexes (H2 removes and re-adds the row everywhere), so an
-- index on a table written once per result or per agent event costs on every write. These two served no hot
-- read: record queries always filter by project or task first, and the online flag is read per pool (through
-- desktops_project_pool) or once at start-up.
DROP INDEX execution_records_status;
DROP INDEX desktops_online;
