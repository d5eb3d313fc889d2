package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.Query;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads output and exit code of records (only the record detail has them), a few requests at a time, so a
 * task of thousands of desktops neither takes one round trip per desktop in sequence nor floods the server.
 */
public final class RecordDetails {
    static final int PARALLEL_REQUESTS = 8;

    private RecordDetails() {
    }

    public static List<ScriptExecutionRecordDetail> fetch(Session session, List<ScriptExecutionRecord> records) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS);
        try {
            List<Future<ScriptExecutionRecordDetail>> pending = new ArrayList<>(records.size());
            for (ScriptExecutionRecord record : records) {
                pending.add(pool.submit(() -> session.api()
                        .get(session.path("/script-execution-records/" + Query.segment(record.id())))
                        .as(ScriptExecutionRecordDetail.class)));
            }
            List<ScriptExecutionRecordDetail> details = new ArrayList<>(records.size());
            for (Future<ScriptExecutionRecordDetail> future : pending) {
                details.add(future.get());
            }
            return details;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }
}
