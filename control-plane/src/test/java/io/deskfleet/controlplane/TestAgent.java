package io.deskfleet.controlplane;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Heartbeat;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.Tag;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal agent over a real channel to the control plane's gRPC port. */
public final class TestAgent implements AutoCloseable {
    private final ManagedChannel channel;

    public TestAgent(int port) {
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    public RegisterResponse register(String projectId, String activationId, String code, String poolId,
                                     String computerName, Map<String, String> tags) {
        RegisterRequest.Builder b = RegisterRequest.newBuilder().setProjectId(projectId)
                .setActivationId(activationId).setActivationCode(code).setPoolId(poolId)
                .setComputerName(computerName).setOsType("Linux").setAgentVersion("1.0.0");
        tags.forEach((k, v) -> b.addTags(Tag.newBuilder().setKey(k).setValue(v)));
        return register(b.build());
    }

    public RegisterResponse register(RegisterRequest request) {
        return AgentLinkGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).register(request);
    }

    public Link connect(String desktopId, String credential, String... runningInvocationIds) {
        Link link = new Link();
        link.out = AgentLinkGrpc.newStub(channel).connect(link);
        link.send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setDesktopId(desktopId)
                .setDesktopCredential(credential).setBootId("boot-1").setAgentVersion("1.2.3")
                .addInterpreters(Interpreter.INTERPRETER_SHELL).setPowerState(PowerState.POWER_STATE_RUNNING)
                .addAllRunningInvocationIds(java.util.List.of(runningInvocationIds))).build());
        return link;
    }

    /** Connects as a registered desktop, waits for the Welcome and sends a heartbeat: the desktop is online. */
    public Link online(RegisterResponse registered) throws InterruptedException {
        Link link = connect(registered.getDesktopId(), registered.getDesktopCredential());
        ControlMessage welcome = link.next();
        if (!welcome.hasWelcome()) {
            throw new AssertionError("expected a Welcome, got " + welcome);
        }
        link.heartbeat();
        return link;
    }

    /** One stream: what the control plane sent, and how it ended. */
    public static final class Link implements StreamObserver<ControlMessage> {
        public final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
        public final CompletableFuture<Status> closed = new CompletableFuture<>();
        /** The trailers of the error the stream ended with, if it did. */
        public volatile Metadata trailers = new Metadata();
        private StreamObserver<AgentMessage> out;

        public synchronized void send(AgentMessage message) {
            out.onNext(message);
        }

        public void heartbeat() {
            send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setSentAtUnixMs(System.currentTimeMillis())).build());
        }

        /** Answers the next RunCommand as exited with this code and waits for its acknowledgement. */
        public void answerNextRun(int exitCode) throws InterruptedException {
            String id = nextRun();
            send(exited(id, exitCode, ""));
            ControlMessage ack = next();
            if (!ack.hasAck() || !ack.getAck().getInvocationId().equals(id)) {
                throw new AssertionError("expected the ack of " + id + ", got " + ack);
            }
        }

        /** The invocation id of the next message, which must be a RunCommand. */
        public String nextRun() throws InterruptedException {
            ControlMessage message = next();
            if (!message.hasRun()) {
                throw new AssertionError("expected a RunCommand, got " + message);
            }
            return message.getRun().getInvocationId();
        }

        /** The invocation id of the next RunCommand, skipping what comes before it (acks of earlier results). */
        public String nextRunSkippingOthers() throws InterruptedException {
            while (true) {
                ControlMessage message = next();
                if (message.hasRun()) {
                    return message.getRun().getInvocationId();
                }
            }
        }

        /** Fails if a RunCommand arrives within {@code millis}; other messages (acks) may. */
        public void assertNoRunWithin(long millis, String what) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left; (left = until - System.nanoTime()) > 0; ) {
                ControlMessage message = received.poll(left, TimeUnit.NANOSECONDS);
                if (message != null && message.hasRun()) {
                    throw new AssertionError(what + " sent its desktop a command: " + message);
                }
            }
        }

        public ControlMessage next() throws InterruptedException {
            ControlMessage m = received.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no control message within 10 s");
            }
            return m;
        }

        public Status awaitClosed() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }

        public synchronized void hangUp() {
            out.onCompleted();
        }

        @Override
        public void onNext(ControlMessage value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            Metadata received = Status.trailersFromThrowable(t);
            if (received != null) {
                trailers = received;
            }
            closed.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            closed.complete(Status.OK);
        }
    }

    /** A result as an agent reports a process that exited: started a second ago, finished now. */
    public static AgentMessage exited(String invocationId, int exitCode, String output) {
        long now = System.currentTimeMillis();
        return AgentMessage.newBuilder().setResult(InvocationResult.newBuilder().setInvocationId(invocationId)
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(exitCode).setOutput(output)
                .setStartedAtUnixMs(now - 1_000).setFinishedAtUnixMs(now)).build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
