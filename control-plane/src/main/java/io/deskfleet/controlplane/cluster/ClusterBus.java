package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.db.Database;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Wake-up hints between replicas: PostgreSQL LISTEN/NOTIFY on one dedicated connection. A notification sent inside a
 * transaction is delivered when it commits, never before and never if it rolls back; but one sent while a replica's
 * listening connection is down is never replayed. So a hint only makes things fast: every user of the bus also
 * sweeps the tables on a timer, and is told when the connection came back ({@link #onReconnect}) to sweep at once.
 */
@Context
@Requires(property = "deskfleet.replica.id")
public class ClusterBus {
    /** A replica has outbox rows for desktops it holds: lines of replica ids. */
    public static final String WAKE = "deskfleet_wake";
    /** A replica has inbox rows of tasks it owns: lines of "replica-id first-row-id" ({@link Inbox}). */
    public static final String INBOX = "deskfleet_inbox";
    /** A desktop's stream moved or was revoked: its former holder closes it; task owners re-send what is in flight. */
    public static final String SESSIONS = "deskfleet_sessions";
    /** A task's lease moved: its former owner stops running it. */
    public static final String LEASES = "deskfleet_leases";
    /** Ids a commit touched, for the live event streams of every replica. */
    public static final String LIVE = "deskfleet_live";
    private static final List<String> CHANNELS = List.of(WAKE, INBOX, SESSIONS, LEASES, LIVE);
    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7900;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);

    private final Database db;
    private final String url;
    private final String user;
    private final String password;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnects = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;

    public ClusterBus(Database db, @Value("${datasources.default.url}") String url,
                      @Value("${datasources.default.username:}") String user,
                      @Value("${datasources.default.password:}") String password) {
        this.db = db;
        this.url = url;
        this.user = user;
        this.password = password;
        this.listener = new Thread(this::listen, "cluster-bus");
        this.listener.setDaemon(true);
        this.listener.start();
    }

    /** Calls {@code handler} with each payload sent on {@code channel}, on the bus's one thread: keep it short. */
    public void on(String channel, Consumer<String> handler) {
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("unknown channel " + channel);
        }
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Runs {@code sweep} each time the listening connection is (re)established: hints may have been missed. */
    public void onReconnect(Runnable sweep) {
        reconnects.add(sweep);
    }

    /**
     * Sends a payload to every replica, this one included. Inside a transaction it goes out when that commits.
     */
    public void publish(String channel, String payload) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, channel);
                ps.setString(2, payload);
                ps.execute();
            }
            return null;
        });
    }

    /** Sends items as newline-separated payloads, as few as the payload limit allows. */
    public void publishAll(String channel, Collection<String> items) {
        for (String payload : pack(items)) {
            publish(channel, payload);
        }
    }

    static List<String> pack(Collection<String> items) {
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int bytes = 0;
        for (String item : items) {
            int size = item.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current.setLength(0);
                bytes = 0;
            }
            if (bytes > 0) {
                current.append('\n');
            }
            current.append(item);
            bytes += size;
        }
        if (bytes > 0) {
            payloads.add(current.toString());
        }
        return payloads;
    }

    private void listen() {
        long backoffMillis = 250;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                try (Statement s = c.createStatement()) {
                    for (String channel : CHANNELS) {
                        s.execute("LISTEN " + channel);
                    }
                }
                backoffMillis = 250;
                LOG.info("cluster bus listening");
                reconnects.forEach(ClusterBus::safely);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(1000);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        for (Consumer<String> handler : handlers.getOrDefault(n.getName(), List.of())) {
                            safely(() -> handler.accept(n.getParameter()));
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn("cluster bus connection lost; reconnecting in {} ms (the sweeps go on meanwhile): {}",
                        backoffMillis, e.getMessage());
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private static void safely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.error("cluster bus handler failed", e);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        closed = true;
        listener.interrupt();
        listener.join(5_000);
    }
}
