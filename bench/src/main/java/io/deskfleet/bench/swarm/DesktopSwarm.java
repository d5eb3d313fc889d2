package io.deskfleet.bench.swarm;

import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Many simulated agents in one process. Each registers with its own Register call and then holds its own Connect
 * stream, as separate desktops would, on a connection of its own unless {@link SwarmConfig#agentsPerConnection} says
 * otherwise; they share one scheduler, one small callback pool and Netty's event loops, so 10,000 agents cost a few
 * threads, and a descriptor each.
 */
public final class DesktopSwarm implements AutoCloseable {
    static final String AGENT_VERSION = "bench-swarm";
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private final SwarmConfig config;
    private final Consumer<CommandArrival> arrivals;
    /** The control plane's default deskfleet.agent.offline-after. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    static final long LATE_HEARTBEAT_NANOS = Duration.ofSeconds(15).toNanos();

    private final List<SwarmConnection> connections = new ArrayList<>();
    private final List<SimulatedAgent> agents;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService callbacks;
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger gaveUp = new AtomicInteger();
    private final AtomicLong registerCalls = new AtomicLong();
    private final Map<Status.Code, AtomicLong> registerFailures = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failuresLeft;
    private final ExecutionLedger ledger = new ExecutionLedger();
    private final AtomicLong drops = new AtomicLong();
    private final AtomicLong lateHeartbeats = new AtomicLong();
    private final AtomicLong longestHeartbeatGapNanos = new AtomicLong();
    private volatile Duration latency;
    private volatile boolean closed;
    private volatile boolean churnStopped;

    private DesktopSwarm(SwarmConfig config, SwarmAddresses addresses, Consumer<CommandArrival> arrivals) {
        this.config = config;
        this.latency = config.latency();
        this.arrivals = arrivals;
        this.failuresLeft = new AtomicInteger(config.failFirst());
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.scheduler = new ScheduledThreadPoolExecutor(threads, daemonThreads("swarm-timer"));
        // Cancelled heartbeat tasks would otherwise stay queued until their next due time.
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.callbacks = Executors.newFixedThreadPool(threads, daemonThreads("swarm-grpc"));
        String swarmId = UUID.randomUUID().toString().substring(0, 8);
        this.agents = new ArrayList<>(config.agents());
        for (int i = 0; i < config.agents(); i++) {
            if (i % config.agentsPerConnection() == 0) {
                connections.add(new SwarmConnection(connections.size(), addresses, callbacks));
            }
            agents.add(new SimulatedAgent(this, "swarm-" + swarmId + "-" + (i + 1),
                    connections.get(connections.size() - 1)));
        }
    }

    /**
     * Registers every agent ({@link SwarmConfig#inFlight} at a time, or all at once), then opens every agent's
     * stream. Returns once each agent has registered and had its first handshake answered (welcomed or refused;
     * refused agents keep retrying with backoff). Agents retry registration as the real agent does; throws if any
     * gave up (a definitive refusal), with their count and the first one's agent and status.
     *
     * @param channelBuilder a fresh builder for the channel (connection) of this index, counted from 0; the swarm
     *                       sets its executor
     * @param arrivals       told about each invocation the first time it reaches an agent, on a gRPC thread
     */
    public static DesktopSwarm start(SwarmConfig config, IntFunction<ManagedChannelBuilder<?>> channelBuilder,
                                     Consumer<CommandArrival> arrivals) throws InterruptedException {
        return start(config, SwarmAddresses.single(channelBuilder), arrivals);
    }

    /**
     * As {@link #start(SwarmConfig, IntFunction, Consumer)}, on several addresses: each connection starts on the one
     * its order puts first and moves to the next when a stream on it fails.
     */
    public static DesktopSwarm start(SwarmConfig config, SwarmAddresses addresses, Consumer<CommandArrival> arrivals)
            throws InterruptedException {
        return start(config, addresses, arrivals, null);
    }

    /**
     * As {@link #start(SwarmConfig, SwarmAddresses, Consumer)}, and from the first registration on, every
     * {@link #PROGRESS_EVERY} a line to {@code progress} (a swarm part's log): registered and welcomed agents,
     * late heartbeats and the longest gap, GC time. Run logs then show when a fleet stalled, and whether it was the
     * swarm's own doing.
     */
    public static DesktopSwarm start(SwarmConfig config, SwarmAddresses addresses, Consumer<CommandArrival> arrivals,
                                     PrintStream progress) throws InterruptedException {
        DesktopSwarm swarm = new DesktopSwarm(config, addresses, arrivals);
        if (progress != null) {
            swarm.scheduler.scheduleAtFixedRate(() -> progress.println(swarm.progressLine()),
                    PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            swarm.registerAll();
            swarm.connectAll();
            return swarm;
        } catch (RuntimeException | InterruptedException e) {
            swarm.close();
            throw e;
        }
    }

    private void registerAll() throws InterruptedException {
        Semaphore inFlight = new Semaphore(permits());
        CountDownLatch done = new CountDownLatch(agents.size());
        AtomicReference<String> firstFailure = new AtomicReference<>();
        for (SimulatedAgent agent : agents) {
            inFlight.acquire();
            agent.register(config, error -> {
                if (error == null) {
                    registered.incrementAndGet();
                } else {
                    gaveUp.incrementAndGet();
                    firstFailure.compareAndSet(null, "Register of " + agent.name() + " failed: " + describe(error));
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await();
        if (firstFailure.get() != null) {
            throw new IllegalStateException(gaveUp.get() + " of " + agents.size() + " agents gave up registering; "
                    + "the first: " + firstFailure.get());
        }
    }

    private void connectAll() throws InterruptedException {
        int permits = permits();
        Semaphore handshaking = new Semaphore(permits);
        for (SimulatedAgent agent : agents) {
            awaitHandshakes(handshaking, 1);
            agent.connect(handshaking::release);
        }
        awaitHandshakes(handshaking, permits);
    }

    private int permits() {
        return config.inFlight() > 0 ? config.inFlight() : agents.size();
    }

    /** A server that neither welcomes nor refuses a Hello would otherwise stall the start for ever. */
    private static void awaitHandshakes(Semaphore handshaking, int permits) throws InterruptedException {
        if (!handshaking.tryAcquire(permits, HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the control plane answered no Hello (Welcome or error) within "
                    + HANDSHAKE_TIMEOUT);
        }
    }

    /** Waits until every agent holds a welcomed stream. */
    public void awaitConnected(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connected.get() < agents.size()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(connected.get() + " of " + agents.size() + " agents connected after "
                        + timeout);
            }
            Thread.sleep(50);
        }
    }

    /**
     * From now on each agent breaks its stream at random and reconnects: the gaps between one agent's drops are
     * exponentially distributed with this mean (a Poisson process per agent), so drops never come in step.
     */
    public void churn(Duration meanInterval) {
        for (SimulatedAgent agent : agents) {
            scheduleDrop(agent, meanInterval.toMillis());
        }
    }

    private void scheduleDrop(SimulatedAgent agent, long meanMillis) {
        if (closed || churnStopped) {
            return;
        }
        long delay = (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * meanMillis);
        scheduler.schedule(() -> {
            if (!closed && !churnStopped) {
                drops.incrementAndGet();
                agent.dropStream();
                scheduleDrop(agent, meanMillis);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** No more drops; agents whose stream is down reconnect as usual. */
    public void stopChurn() {
        churnStopped = true;
    }

    /** From now on, commands that arrive take this long before their result (the ones running keep theirs). */
    public void commandLatency(Duration latency) {
        this.latency = latency;
    }

    /**
     * Agents holding a welcomed stream, by the index of the address their connection uses now (the client's view
     * of which replica holds them).
     */
    public int[] welcomedByAddress(int addresses) {
        int[] counts = new int[addresses];
        for (SimulatedAgent agent : agents) {
            if (agent.isWelcomed()) {
                counts[agent.address()]++;
            }
        }
        return counts;
    }

    /** Streams broken by {@link #churn}. */
    public long drops() {
        return drops.get();
    }

    public ExecutionLedger ledger() {
        return ledger;
    }

    public int registered() {
        return registered.get();
    }

    public int connected() {
        return connected.get();
    }

    /** Agents that stopped trying to register (a definitive refusal); 0 unless the start threw. */
    public int gaveUp() {
        return gaveUp.get();
    }

    /** Register calls made, retries included. */
    public long registerCalls() {
        return registerCalls.get();
    }

    /** Register calls answered RESOURCE_EXHAUSTED (shed by the control plane, retried after its hint). */
    public long registerShed() {
        return registerFailures(Status.Code.RESOURCE_EXHAUSTED);
    }

    /** Register calls that failed with this status (and were retried): shed, deadline passed, no connection... */
    public long registerFailures(Status.Code code) {
        AtomicLong count = registerFailures.get(code);
        return count == null ? 0 : count.get();
    }

    public List<String> desktopIds() {
        return agents.stream().map(SimulatedAgent::desktopId).toList();
    }

    @Override
    public void close() {
        closed = true;
        agents.forEach(SimulatedAgent::disconnect);
        connections.forEach(SwarmConnection::shutdownNow);
        scheduler.shutdownNow();
        callbacks.shutdown();
        try {
            for (SwarmConnection connection : connections) {
                connection.awaitTermination(10, TimeUnit.SECONDS);
            }
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Duration latency() {
        return latency;
    }

    Duration reconnectBackoff() {
        return config.reconnectBackoff();
    }

    int nextExitCode() {
        return failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? 1 : config.exitCode();
    }

    void commandArrived(CommandArrival arrival) {
        arrivals.accept(arrival);
    }

    void registerCalled() {
        registerCalls.incrementAndGet();
    }

    void registerFailed(Status.Code code) {
        registerFailures.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }

    /**
     * A heartbeat went {@code gapNanos} after the stream's previous one (or its Welcome). One later than the control
     * plane's offline-after (15 s) is the swarm's own fault, not the control plane's: its threads or its GC kept it.
     */
    void heartbeatSent(long gapNanos) {
        if (gapNanos > LATE_HEARTBEAT_NANOS) {
            lateHeartbeats.incrementAndGet();
        }
        longestHeartbeatGapNanos.accumulateAndGet(gapNanos, Math::max);
    }

    private String progressLine() {
        return Instant.now() + " [swarm] registered " + registered() + ", welcomed " + connected()
                + ", heartbeats more than 15 s apart " + lateHeartbeats() + ", longest gap "
                + longestHeartbeatGap().toMillis() + " ms, GC " + gcMillis() + " ms";
    }

    /** JVM-wide GC time so far, ms (a swarm part is one swarm per JVM). */
    public static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** Heartbeats sent later than offline-after after the one before, since the start. */
    public long lateHeartbeats() {
        return lateHeartbeats.get();
    }

    /** The longest time between two heartbeats of a stream (or its Welcome and its first), since the start. */
    public Duration longestHeartbeatGap() {
        return Duration.ofNanos(longestHeartbeatGapNanos.get());
    }

    void agentConnected() {
        connected.incrementAndGet();
    }

    void agentDisconnected() {
        connected.decrementAndGet();
    }

    private static String describe(Throwable error) {
        Status status = Status.fromThrowable(error);
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription())
                + (status.getCause() == null ? "" : " (" + status.getCause().getMessage() + ")");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
