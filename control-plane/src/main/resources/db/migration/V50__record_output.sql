-- The whole output of each record, up to deskfleet.output.max-bytes-per-record (issue 25). The record's row in
-- execution_results keeps its 64 KiB excerpt; this is the rest, served by GET .../script-execution-records/{id}/output.
--
-- Output arrives from the agent as chunks of at most 8 KiB; the output writer (output.OutputWriter) merges what
-- arrives for a record within one write batch into pieces of up to 64 KiB and inserts a batch of pieces per
-- transaction, so a chunk is never a transaction of its own and a megabyte of output is a few dozen rows. Pieces only
-- ever extend a record's output at its end (stored_bytes): the bytes of a record are the concatenation of its pieces
-- in byte_offset order, without gaps or overlaps.
--
-- Keyed by the record id, as the agent names the invocation; pieces are written once and never updated. Records are
-- never deleted, so there is no foreign key (as for execution_results, V42).
CREATE TABLE output_pieces (
    record_id   VARCHAR(64) NOT NULL,
    byte_offset BIGINT      NOT NULL,
    byte_count  INTEGER     NOT NULL,
    data        BYTEA       NOT NULL,
    CONSTRAINT output_pieces_key PRIMARY KEY (record_id, byte_offset)
);

-- One row per record that has output: how much is stored, whether the agent's result has settled it (complete), and
-- whether the process printed more than the cap (truncated).
CREATE TABLE record_outputs (
    record_id    VARCHAR(64) NOT NULL,
    stored_bytes BIGINT      NOT NULL,
    complete     BOOLEAN     NOT NULL,
    truncated    BOOLEAN     NOT NULL,
    CONSTRAINT record_outputs_key PRIMARY KEY (record_id)
);
