package io.deskfleet.controlplane.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.controlplane.execution.ExecutionChangeListener;
import io.deskfleet.controlplane.execution.ExecutionChanges;
import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.controlplane.execution.ExecutionViews;
import io.deskfleet.controlplane.execution.ExecutionViews.ProjectTask;
import io.deskfleet.controlplane.inventory.PresenceListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The live event streams (Server-Sent Events) of tasks and projects.
 *
 * <p>Writers tell this class which ids a commit touched, never what they wrote: every event is read back from the
 * database after the commit, so a client sees only committed state, in exactly the JSON of the REST listings. All
 * reads and all sending happen on one thread ({@code live-events}) whatever the number of streams, and only for
 * ids someone follows. Changes that arrive while that thread is busy are merged, so a burst costs one read per
 * batch. Because the reads are serial, each one sees a state at least as new as the one before: per record,
 * events follow its state changes in order (a state that lasted less than one batch may be skipped), and a repeat
 * of an unchanged state is not sent.
 *
 * <p>A new task stream gets its snapshot on the same thread, after every change already queued, so nothing
 * committed after the snapshot's read is missed.
 */
@Singleton
public class LiveEvents implements ExecutionChangeListener, PresenceListener {
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
    /** Frames and bytes a client may fall behind (beyond its snapshot) before it is dropped. */
    static final long MAX_QUEUED_FRAMES = 4096;
    static final long MAX_QUEUED_BYTES = 8L * 1024 * 1024;
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int CHUNK = 500;

    private final ExecutionQueries queries;
    private final ExecutionViews views;
    private final DesktopProjects desktopProjects;
    private final ObjectMapper json;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> daemon(r, "live-events"));
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "live-keep-alive"));

    // Changed on the loop only; read by the writers' threads to drop ids nobody follows.
    private final Map<String, TaskTopic> tasks = new ConcurrentHashMap<>();
    private final Map<String, String> followedRecords = new ConcurrentHashMap<>();
    private final Map<String, ProjectTopic> projects = new ConcurrentHashMap<>();
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private Pending pending = new Pending();
    private boolean drainQueued;

    public LiveEvents(ExecutionQueries queries, ExecutionViews views, DesktopProjects desktopProjects,
                      ObjectMapper json) {
        this.queries = queries;
        this.views = views;
        this.desktopProjects = desktopProjects;
        this.json = json;
        ticker.scheduleWithFixedDelay(this::keepAlive, 1, 1, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The events of one task (which must exist): snapshot, changes, then end. */
    public Flux<byte[]> followTask(String taskId) {
        EventStream stream = newStream(s -> onLoop(() -> {
            TaskTopic topic = tasks.get(taskId);
            if (topic != null && topic.streams.remove(s) && topic.streams.isEmpty()) {
                drop(taskId, topic);
            }
        }));
        onLoop(() -> attachToTask(taskId, stream));
        return stream.flux();
    }

    /** The task and desktop events of a project, from now on. */
    public Flux<byte[]> followProject(String projectId) {
        EventStream stream = newStream(s -> projects.computeIfPresent(projectId, (p, topic) -> {
            topic.streams.remove(s);
            return topic.streams.isEmpty() ? null : topic;
        }));
        // Registered before the response starts, so a client that lists after connecting misses no change.
        projects.compute(projectId, (p, topic) -> {
            ProjectTopic t = topic == null ? new ProjectTopic() : topic;
            t.streams.add(stream);
            return t;
        });
        // The response (status and headers) goes out with the first frame: without this one a quiet project would
        // leave the client waiting for the first keep-alive to learn it is connected.
        stream.send(EventStream.KEEP_ALIVE);
        return stream.flux();
    }

    /**
     * An {@code output} event for the streams of a task (see {@code output.OutputFeed}), sent in the order of calls;
     * nothing is built when nobody follows the task.
     */
    public void taskOutput(String taskId, Supplier<String> json) {
        if (!tasks.containsKey(taskId)) {
            return;
        }
        byte[] frame = EventStream.frame("output", json.get());
        onLoop(() -> {
            TaskTopic topic = tasks.get(taskId);
            if (topic != null) {
                topic.send(frame);
            }
        });
    }

    private EventStream newStream(Consumer<EventStream> onClose) {
        EventStream stream = new EventStream(MAX_QUEUED_FRAMES, MAX_QUEUED_BYTES, s -> {
            streams.remove(s);
            onClose.accept(s);
        });
        streams.add(stream);
        return stream;
    }

    private void onLoop(Runnable work) {
        try {
            loop.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("live events failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: the streams are being closed anyway
        }
    }

    /** Whether any stream is open: while none is, changes are dropped on arrival and need not even be decoded. */
    public boolean followsAnything() {
        return !tasks.isEmpty() || !projects.isEmpty();
    }

    @Override
    public void committed(ExecutionChanges changes) {
        boolean anyProject = !projects.isEmpty();
        if (tasks.isEmpty() && !anyProject) {
            return;
        }
        synchronized (lock) {
            for (String recordId : changes.recordIds()) {
                if (followedRecords.containsKey(recordId)) {
                    pending.records.add(recordId);
                }
            }
            changes.closedDesktops().forEach((taskId, desktops) -> {
                if (tasks.containsKey(taskId)) {
                    pending.closed.computeIfAbsent(taskId, t -> new LinkedHashSet<>()).addAll(desktops);
                }
            });
            for (String taskId : changes.taskIds()) {
                if (anyProject || tasks.containsKey(taskId)) {
                    pending.tasks.add(taskId);
                }
            }
            queueDrain();
        }
    }

    @Override
    public void onlineCommitted(Map<String, Boolean> online) {
        if (projects.isEmpty()) {
            return;
        }
        synchronized (lock) {
            pending.online.putAll(online);
            queueDrain();
        }
    }

    private void queueDrain() {
        if (!drainQueued && !pending.isEmpty()) {
            drainQueued = true;
            onLoop(this::drain);
        }
    }

    private void drain() {
        Pending work;
        synchronized (lock) {
            work = pending;
            pending = new Pending();
            drainQueued = false;
        }
        sendRecords(work);
        sendTasks(work.tasks);
        sendPresence(work.online);
    }

    private void sendRecords(Pending work) {
        List<ScriptExecutionRecord> records = new ArrayList<>(inChunks(new ArrayList<>(work.records),
                views::recordsByIds));
        work.closed.forEach((taskId, desktops) ->
                records.addAll(inChunks(new ArrayList<>(desktops), ids -> views.recordsOfDesktops(taskId, ids))));
        for (ScriptExecutionRecord record : records) {
            TaskTopic topic = tasks.get(record.scriptTaskId());
            if (topic != null) {
                sendChangedRecords(topic, List.of(record));
            }
        }
    }

    private void sendChangedRecords(TaskTopic topic, List<ScriptExecutionRecord> records) {
        for (ScriptExecutionRecord record : records) {
            if (topic.recordChanged(record)) {
                topic.send(EventStream.frame("record", write(record)));
            }
        }
    }

    private void sendTasks(Set<String> taskIds) {
        for (ProjectTask pt : inChunks(new ArrayList<>(taskIds), views::tasksByIds)) {
            ScriptExecutionTask task = pt.task();
            byte[] frame = null;
            TaskTopic topic = tasks.get(task.id());
            if (topic != null && task.endTime() != null) {
                // The task was read after the records of this drain, so a later batch may have ended it: its last
                // records would come with the next drain, after the stream has ended. Every change not sent yet goes
                // out before the end.
                sendChangedRecords(topic, views.recordsOfTask(task.id()));
            }
            if (topic != null && topic.taskChanged(task)) {
                frame = EventStream.frame("task", write(task));
                topic.send(frame);
            }
            ProjectTopic project = projects.get(pt.projectId());
            if (project != null && project.taskChanged(task)) {
                project.send(frame != null ? frame : EventStream.frame("task", write(task)));
            }
            if (task.endTime() != null) {
                if (topic != null) {
                    topic.send(endFrame(task));
                    topic.streams.forEach(EventStream::close);
                    drop(task.id(), topic);
                }
                if (project != null) {
                    project.lastTaskState.remove(task.id());
                }
            }
        }
    }

    private void sendPresence(Map<String, Boolean> online) {
        if (online.isEmpty()) {
            return;
        }
        Map<String, String> projectOf = desktopProjects.of(online.keySet());
        online.forEach((desktopId, isOnline) -> {
            ProjectTopic project = projects.get(projectOf.get(desktopId));
            if (project != null) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("desktop_id", desktopId);
                event.put("online", isOnline);
                project.send(EventStream.frame("desktop", write(event)));
            }
        });
    }

    private void attachToTask(String taskId, EventStream stream) {
        List<ProjectTask> found = views.tasksByIds(List.of(taskId));
        if (found.isEmpty() || stream.isClosed()) {
            stream.close();
            return;
        }
        ScriptExecutionTask task = found.get(0).task();
        TaskTopic topic = tasks.get(taskId);
        if (topic == null) {
            // Follow the records before reading them, so a change committed after the read is not filtered out.
            topic = new TaskTopic();
            for (String recordId : queries.recordIdsOf(taskId)) {
                topic.recordIds.add(recordId);
                followedRecords.put(recordId, taskId);
            }
            tasks.put(taskId, topic);
            // Read again now that its changes are followed: one committed between the first read and here would
            // otherwise be in neither the snapshot nor the events (a last result there left the stream open for ever).
            found = views.tasksByIds(List.of(taskId));
            if (found.isEmpty()) {
                stream.close();
                drop(taskId, topic);
                return;
            }
            task = found.get(0).task();
        }
        boolean onlyStream = topic.streams.isEmpty();
        List<byte[]> snapshot = new ArrayList<>();
        snapshot.add(EventStream.frame("task", write(task)));
        for (ScriptExecutionRecord record : views.recordsOfTask(taskId)) {
            if (onlyStream) {
                // What the topic's only stream has seen; with other streams, a state they have not been sent yet
                // must not be marked as sent.
                topic.recordChanged(record);
            }
            snapshot.add(EventStream.frame("record", write(record)));
        }
        if (task.endTime() != null) {
            snapshot.add(endFrame(task));
        }
        stream.allowSnapshot(snapshot.size(), snapshot.stream().mapToLong(f -> f.length).sum());
        snapshot.forEach(stream::send);
        if (task.endTime() != null) {
            stream.close();
            if (topic.streams.isEmpty()) {
                drop(taskId, topic);
            }
            return;
        }
        topic.streams.add(stream);
    }

    private byte[] endFrame(ScriptExecutionTask task) {
        return EventStream.frame("end", write(Map.of("status", task.status().name())));
    }

    private void drop(String taskId, TaskTopic topic) {
        tasks.remove(taskId, topic);
        topic.recordIds.forEach(followedRecords::remove);
    }

    private void keepAlive() {
        long now = System.nanoTime();
        for (EventStream stream : streams) {
            stream.keepAliveIfIdle(KEEP_ALIVE_NANOS, now);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> inChunks(List<String> ids, Function<List<String>, List<T>> read) {
        List<T> all = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            all.addAll(read.apply(ids.subList(from, Math.min(ids.size(), from + CHUNK))));
        }
        return all;
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
        loop.shutdownNow();
        streams.forEach(EventStream::close);
    }

    /** Ids changed since the last drain; sets and maps, so a burst of changes to one row is read once. */
    private static final class Pending {
        final Set<String> records = new LinkedHashSet<>();
        final Map<String, Set<String>> closed = new LinkedHashMap<>();
        final Set<String> tasks = new LinkedHashSet<>();
        final Map<String, Boolean> online = new HashMap<>();

        boolean isEmpty() {
            return records.isEmpty() && closed.isEmpty() && tasks.isEmpty() && online.isEmpty();
        }
    }

    /** Streams following one thing; sent to on the loop only. */
    private abstract static class Topic {
        final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

        void send(byte[] frame) {
            streams.removeIf(stream -> !stream.send(frame));
        }
    }

    private static final class TaskTopic extends Topic {
        final List<String> recordIds = new ArrayList<>();
        /** What was last sent per record and for the task, to skip repeats of an unchanged state. */
        final Map<String, String> lastRecordState = new HashMap<>();
        String lastTaskState;

        boolean recordChanged(ScriptExecutionRecord r) {
            String state = r.status() + "|" + r.startTime() + "|" + r.endTime() + "|" + r.resultCode();
            return !state.equals(lastRecordState.put(r.id(), state));
        }

        boolean taskChanged(ScriptExecutionTask t) {
            String state = taskState(t);
            boolean changed = !state.equals(lastTaskState);
            lastTaskState = state;
            return changed;
        }
    }

    private static final class ProjectTopic extends Topic {
        final Map<String, String> lastTaskState = new HashMap<>();

        boolean taskChanged(ScriptExecutionTask t) {
            return !taskState(t).equals(lastTaskState.put(t.id(), taskState(t)));
        }
    }

    private static String taskState(ScriptExecutionTask t) {
        return t.status() + "|" + t.successNum() + "|" + t.failedNum() + "|" + t.skipNum() + "|" + t.startTime()
                + "|" + t.endTime();
    }
}
