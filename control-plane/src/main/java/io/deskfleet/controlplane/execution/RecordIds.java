package io.deskfleet.controlplane.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Record ids are derived from what is stored with each record (task, desktop, step and number), so the engine never
 * has to keep a table of them and a re-sent command after a restart carries the same id: the record id is the
 * invocation id the agent deduplicates on.
 * A task keeps the scheme it was created with (stored with the task), so a task still running across an upgrade
 * re-sends its commands under the ids its agents already know.
 */
public enum RecordIds {
    /** A name-based UUID: tasks created before V32. Random ids spread a task's rows over the whole id index. */
    NAME_UUID(1) {
        @Override
        public String of(String taskId, String desktopId, int step, long key) {
            return UUID.nameUUIDFromBytes(seed(taskId, desktopId, step)).toString();
        }
    },
    /**
     * {@code <task id>-<16 hex digits of MD5(task/desktop/step)>}: a task's records sit together in the id index, so
     * a fan-out's inserts and updates touch its own pages instead of pages spread over the whole history. Tasks
     * created before V42.
     */
    TASK_PREFIXED(2) {
        @Override
        public String of(String taskId, String desktopId, int step, long key) {
            byte[] digest = md5().digest(seed(taskId, desktopId, step));
            return taskId + '-' + HexFormat.of().formatHex(digest, 0, 8);
        }
    },
    /**
     * {@code <task id>-<the record's number as 16 hex digits>}: the same shape as {@link #TASK_PREFIXED}, and a
     * task's ids now ascend in the order its records are inserted, so the id index is appended to instead of
     * split in the middle of the task's range (on H2, creating 10,000 records cost 274-316 ms of CPU with hashed
     * ids and 212-213 ms with these).
     */
    KEYED(3) {
        @Override
        public String of(String taskId, String desktopId, int step, long key) {
            return taskId + '-' + HexFormat.of().toHexDigits(key);
        }
    };

    /** The scheme new tasks get. */
    public static final RecordIds CURRENT = KEYED;

    private final int code;

    RecordIds(int code) {
        this.code = code;
    }

    /** {@code key}: the record's number ({@code execution_records.record_key}); only {@link #KEYED} uses it. */
    public abstract String of(String taskId, String desktopId, int step, long key);

    /**
     * The task of an invocation id of the {@link #TASK_PREFIXED} or {@link #KEYED} scheme, which both end in
     * {@code -} and 16 hex digits; null for another shape (a {@link #NAME_UUID} id names no task).
     */
    public static String taskIdOf(String recordId) {
        int dash = recordId.length() - 17;
        return dash > 0 && recordId.charAt(dash) == '-' ? recordId.substring(0, dash) : null;
    }

    /** The value stored in {@code execution_tasks.record_id_scheme}. */
    public int code() {
        return code;
    }

    public static RecordIds ofCode(int code) {
        for (RecordIds scheme : values()) {
            if (scheme.code == code) {
                return scheme;
            }
        }
        throw new IllegalStateException("unknown record id scheme " + code);
    }

    private static byte[] seed(String taskId, String desktopId, int step) {
        return (taskId + '/' + desktopId + '/' + step).getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
