-- An outcome the control plane decided without a report from the agent (a deadline: UNDELIVERABLE, UNKNOWN,
-- TIMEOUT without a result, or CANCELLED for a stopped command never reported on) is provisional: a result the agent
-- reports later replaces it, and late_result says so on the record (docs/reliability.md). Outcomes stored before
-- this version keep what they were, as reported ones.
ALTER TABLE execution_results ADD COLUMN provisional BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE execution_results ADD COLUMN late_result BOOLEAN DEFAULT FALSE NOT NULL;
