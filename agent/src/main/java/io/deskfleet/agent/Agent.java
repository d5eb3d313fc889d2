package io.deskfleet.agent;

import io.deskfleet.agent.execution.Executions;
import io.deskfleet.agent.execution.Interpreters;
import io.deskfleet.agent.execution.InvocationJournal;
import io.deskfleet.agent.link.ControlLink;
import io.deskfleet.agent.link.RefusalExit;
import io.deskfleet.agent.link.ReplicaChannels;
import io.deskfleet.agent.power.PowerStore;
import io.deskfleet.agent.session.SessionWatcher;
import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.PowerAction;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.PowerStateChanged;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.link.Backoff;
import io.grpc.Status;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A running agent for one desktop with a credential. All of its state lives on one event-loop thread: stream
 * callbacks, control messages, heartbeats, power and the session poll run there, and runner threads post to it.
 * Exit codes: {@link #EXIT_STOPPED} after {@link #shutdown}, {@link RefusalExit#code} of a definitive refusal.
 */
public final class Agent implements ControlLink.Handler {
    public static final int EXIT_STOPPED = 0;
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());
    private static final long REBOOT_MILLIS = 1_000;
    private static final long SESSION_POLL_MILLIS = 1_000;
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final Credential credential;
    private final String agentVersion;
    private final Interpreters interpreters;
    private final PowerStore power;
    private final Executions executions;
    private final ControlLink link;
    private final SessionWatcher sessions;
    private final ScheduledThreadPoolExecutor loop;
    private final LongSupplier clock = System::currentTimeMillis;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private String bootId = UUID.randomUUID().toString();
    private PowerStateChanged unsentPowerChange;
    private ScheduledFuture<?> sessionPoll;

    private Agent(Path stateDir, Credential credential, ReplicaChannels replicas, String agentVersion)
            throws IOException {
        this.credential = credential;
        this.agentVersion = agentVersion;
        this.interpreters = Interpreters.detect();
        this.power = new PowerStore(stateDir);
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "agent-loop");
            t.setDaemon(true);
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
        // A reconnect or reboot still pending at shutdown must not bring the stream back.
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        InvocationJournal journal = new InvocationJournal(stateDir);
        this.link = new ControlLink(replicas, loop, this,
                Backoff.forStream(() -> ThreadLocalRandom.current().nextDouble()), clock);
        this.executions = new Executions(journal, interpreters, loop, link::send, clock);
        this.sessions = new SessionWatcher(stateDir, link::send, clock);
        executions.restore(journal.recover(clock.getAsLong()));
    }

    /** Recovers what a previous run left in the state dir, then connects and keeps connecting until stopped. */
    public static Agent start(Path stateDir, Credential credential, ReplicaChannels replicas, String agentVersion)
            throws IOException {
        Agent agent = new Agent(stateDir, credential, replicas, agentVersion);
        agent.loop.execute(agent.link::open);
        agent.sessionPoll = agent.loop.scheduleWithFixedDelay(agent.sessions::poll,
                SESSION_POLL_MILLIS, SESSION_POLL_MILLIS, TimeUnit.MILLISECONDS);
        return agent;
    }

    public int awaitExit() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * SIGTERM: kills running commands (their INTERRUPTED results are spooled and go out on the next start if not
     * before), then closes the stream. Idempotent; a second caller waits for the first.
     */
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        LOG.log(Level.INFO, "stopping");
        try {
            onLoop(() -> {
                sessionPoll.cancel(false);
                executions.stop("the agent stopped");
                return null;
            });
            executions.awaitRunners(STOP_WAIT_MILLIS);
            // Queued behind the runners' results, so those are still sent if the stream is up.
            onLoop(() -> {
                link.close();
                return null;
            });
            loop.shutdown();
            loop.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop.shutdownNow();
            exit.complete(EXIT_STOPPED);
            stopped.countDown();
        }
    }

    @Override
    public Hello hello() {
        return Hello.newBuilder()
                .setDesktopId(credential.desktopId())
                .setDesktopCredential(credential.secret())
                .setBootId(bootId)
                .setAgentVersion(agentVersion)
                .addAllInterpreters(interpreters.available())
                .setPowerState(power.state())
                .addAllRunningInvocationIds(executions.runningIds())
                .build();
    }

    @Override
    public void welcomed(Welcome welcome) {
        executions.resendUnacked();
        if (unsentPowerChange != null && sendPowerChange(unsentPowerChange)) {
            unsentPowerChange = null;
        }
    }

    @Override
    public void received(ControlMessage message) {
        handler(message).run();
    }

    /**
     * A switch expression without default: a new ControlMessage case does not compile until it is handled here.
     * {@link ControlLink} takes the first Welcome; a case this build does not know (a newer control plane's)
     * arrives as BODY_NOT_SET.
     */
    private Runnable handler(ControlMessage message) {
        return switch (message.getBodyCase()) {
            case RUN -> () -> executions.run(message.getRun(), power.state() == PowerState.POWER_STATE_RUNNING);
            case CANCEL -> () -> executions.cancel(message.getCancel().getInvocationId());
            case ACK -> () -> executions.acknowledge(message.getAck().getInvocationId());
            case OUTPUT_REQUEST -> () -> executions.resendOutput(message.getOutputRequest().getInvocationId(),
                    message.getOutputRequest().getOffset());
            case POWER -> () -> applyPower(message.getPower());
            case WELCOME -> () -> LOG.log(Level.WARNING, "ignoring a second Welcome");
            case BODY_NOT_SET -> () -> LOG.log(Level.WARNING, "ignoring an empty or unknown control message");
        };
    }

    @Override
    public void refused(Refusal refusal, Status status) {
        LOG.log(Level.ERROR, "the control plane refused desktop " + credential.desktopId() + " for good ("
                + refusal + (status.getDescription() == null ? "" : ": " + status.getDescription()) + "): "
                + RefusalExit.advice(refusal));
        exit.complete(RefusalExit.code(refusal));
    }

    private void applyPower(PowerAction action) {
        String actionId = action.getActionId();
        if (power.alreadyApplied(actionId)) {
            LOG.log(Level.INFO, "power action " + actionId + " already applied");
            sendPowerChange(powerChange(power.state(), actionId));
            return;
        }
        LOG.log(Level.INFO, "power " + action.getAction() + " (" + actionId + ")");
        try {
            switch (action.getAction()) {
                case POWER_ACTION_TYPE_START -> setPower(PowerState.POWER_STATE_RUNNING, actionId);
                case POWER_ACTION_TYPE_STOP -> {
                    executions.interruptAll("the desktop was stopped");
                    setPower(PowerState.POWER_STATE_SHUTOFF, actionId);
                }
                case POWER_ACTION_TYPE_HIBERNATE -> {
                    executions.interruptAll("the desktop was hibernated");
                    setPower(PowerState.POWER_STATE_HIBERNATED, actionId);
                }
                case POWER_ACTION_TYPE_REBOOT -> reboot(actionId);
                default -> LOG.log(Level.WARNING, "ignoring power action " + action.getAction());
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not persist the power state; action " + actionId + " not applied: " + e);
        }
    }

    private void setPower(PowerState state, String actionId) throws IOException {
        power.apply(state, actionId);
        sendPowerChange(powerChange(state, actionId));
    }

    /**
     * The simulated machine goes away for about a second and comes back with a new boot id, which is how the
     * control plane sees the reboot; the PowerStateChanged follows the new stream's Welcome.
     */
    private void reboot(String actionId) throws IOException {
        executions.interruptAll("the desktop rebooted");
        power.apply(PowerState.POWER_STATE_RUNNING, actionId);
        unsentPowerChange = powerChange(PowerState.POWER_STATE_RUNNING, actionId);
        link.close();
        loop.schedule(() -> {
            if (stopping.get()) {
                return;
            }
            bootId = UUID.randomUUID().toString();
            LOG.log(Level.INFO, "rebooted, boot id " + bootId);
            link.open();
        }, REBOOT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private boolean sendPowerChange(PowerStateChanged change) {
        return link.send(AgentMessage.newBuilder().setPowerStateChanged(change).build());
    }

    private static PowerStateChanged powerChange(PowerState state, String actionId) {
        return PowerStateChanged.newBuilder().setPowerState(state).setActionId(actionId).build();
    }

    private <T> T onLoop(Supplier<T> task) throws InterruptedException {
        try {
            return CompletableFuture.supplyAsync(task, loop).get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("the agent loop did not respond", e);
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
