package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.Json;
import io.deskfleet.cli.http.ProtocolFailure;
import io.deskfleet.cli.http.Query;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Follows a task over GET .../script-execution-tasks/{task_id}/events until its {@code end} event. The server may
 * close a slow subscriber's stream; then the follower reconnects and the snapshot it gets again brings the watch up
 * to date (events are idempotent), giving up after several attempts in a row without a single event.
 */
public final class TaskFollower {
    static final int MAX_ATTEMPTS_WITHOUT_EVENT = 5;

    private final Session session;
    private final TaskListener listener;

    public TaskFollower(Session session, TaskListener listener) {
        this.session = session;
        this.listener = listener;
    }

    public void follow(TaskWatch watch) {
        String path = session.path("/script-execution-tasks/" + Query.segment(watch.taskId()) + "/events");
        int attemptsWithoutEvent = 0;
        while (true) {
            String lost;
            try (Stream<String> lines = session.api().openEventStream(path)) {
                SseParser parser = new SseParser();
                Iterator<String> iterator = lines.iterator();
                while (iterator.hasNext()) {
                    Optional<SseEvent> event = parser.line(iterator.next());
                    if (event.isPresent()) {
                        attemptsWithoutEvent = 0;
                        if (apply(event.get(), watch, listener)) {
                            listener.updated(watch, true);
                            return;
                        }
                        listener.updated(watch, false);
                        if (listener.satisfied()) {
                            return;
                        }
                    }
                }
                lost = "the server closed the event stream";
            } catch (UncheckedIOException e) {
                lost = "the event stream broke (" + e.getCause().getMessage() + ")";
            } catch (ProtocolFailure e) {
                lost = e.getMessage();
            }
            attemptsWithoutEvent++;
            if (attemptsWithoutEvent >= MAX_ATTEMPTS_WITHOUT_EVENT) {
                throw new ProtocolFailure("gave up following task " + watch.taskId() + ": " + lost
                        + "; the task goes on, see 'deskfleet tasks --task " + watch.taskId() + "'");
            }
            listener.note(lost + "; reconnecting");
            pause(attemptsWithoutEvent);
        }
    }

    /** Applies one event; true once the task has ended. Unknown event types are for newer clients. */
    static boolean apply(SseEvent event, TaskWatch watch, TaskListener listener) {
        switch (event.type()) {
            case "task" -> watch.task(Json.read(event.data(), ScriptExecutionTask.class));
            case "record" -> {
                ScriptExecutionRecord record = Json.read(event.data(), ScriptExecutionRecord.class);
                listener.record(record, watch.record(record));
            }
            case "output" -> listener.output(Json.read(event.data(), OutputChunk.class));
            case "end" -> {
                watch.end(Json.read(event.data(), TaskEnd.class).status());
                return true;
            }
            default -> {
                return false;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(8_000L, 500L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolFailure("interrupted");
        }
    }
}
