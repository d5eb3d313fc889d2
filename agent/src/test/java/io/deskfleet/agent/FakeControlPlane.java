package io.deskfleet.agent;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.ResultAck;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.link.LinkStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** An in-memory AgentLink server, in the style of grpc-java's route_guide tests: records what the agent sends. */
final class FakeControlPlane extends AgentLinkGrpc.AgentLinkImplBase {
    static final String DESKTOP_ID = "desk-1";
    static final String SECRET = "secret-1";

    final AtomicInteger registerCalls = new AtomicInteger();
    /** When each Register call arrived (System.nanoTime). */
    final List<Long> registerNanos = new CopyOnWriteArrayList<>();
    final List<RegisterRequest> registerRequests = new CopyOnWriteArrayList<>();
    /** Every Register call fails with this while set. */
    volatile StatusRuntimeException registerError;
    /** Failures for the next Register calls, one each, before registerError applies. */
    final Queue<StatusRuntimeException> registerFailures = new ConcurrentLinkedQueue<>();
    /** Failures for the next Hellos, one each (the stream is closed with it instead of a Welcome). */
    final Queue<StatusRuntimeException> helloFailures = new ConcurrentLinkedQueue<>();
    volatile boolean autoAck = true;
    volatile boolean revoked;

    private final List<Hello> hellos = new ArrayList<>();
    private final List<AgentMessage> messages = new ArrayList<>();
    private StreamObserver<ControlMessage> current;

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        registerCalls.incrementAndGet();
        registerNanos.add(System.nanoTime());
        registerRequests.add(request);
        StatusRuntimeException failure = registerFailures.poll();
        if (failure == null) {
            failure = registerError;
        }
        if (failure != null) {
            response.onError(failure);
            return;
        }
        response.onNext(RegisterResponse.newBuilder().setDesktopId(DESKTOP_ID).setDesktopCredential(SECRET).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(AgentMessage message) {
                synchronized (FakeControlPlane.this) {
                    if (message.hasHello()) {
                        hellos.add(message.getHello());
                        Hello hello = message.getHello();
                        if (revoked || !hello.getDesktopId().equals(DESKTOP_ID) || !hello.getDesktopCredential().equals(SECRET)) {
                            responses.onError(refusal(Status.UNAUTHENTICATED.withDescription("credential refused"),
                                    revoked ? Refusal.DESKTOP_REVOKED : Refusal.CREDENTIAL_REFUSED));
                            return;
                        }
                        StatusRuntimeException failure = helloFailures.poll();
                        if (failure != null) {
                            responses.onError(failure);
                            return;
                        }
                        current = responses;
                        responses.onNext(ControlMessage.newBuilder()
                                .setWelcome(Welcome.newBuilder().setDesktopId(DESKTOP_ID).setHeartbeatIntervalMs(200))
                                .build());
                        return;
                    }
                    messages.add(message);
                    if (autoAck && message.hasResult() && current == responses) {
                        responses.onNext(ack(message.getResult().getInvocationId()));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                synchronized (FakeControlPlane.this) {
                    if (current == responses) {
                        current = null;
                    }
                }
                responses.onCompleted();
            }
        };
    }

    /** A definitive refusal, as the control plane sends it. */
    static StatusRuntimeException refusal(Status status, Refusal refusal) {
        return status.asRuntimeException(LinkStatus.refusalTrailers(refusal));
    }

    /** A transient failure with a retry hint, as a shedding control plane sends it. */
    static StatusRuntimeException shed(long retryAfterMillis) {
        Metadata trailers = new Metadata();
        trailers.put(LinkStatus.RETRY_PUSHBACK, Long.toString(retryAfterMillis));
        return Status.RESOURCE_EXHAUSTED.withDescription("too many registrations").asRuntimeException(trailers);
    }

    static ControlMessage ack(String invocationId) {
        return ControlMessage.newBuilder().setAck(ResultAck.newBuilder().setInvocationId(invocationId)).build();
    }

    synchronized void send(ControlMessage message) {
        if (current == null) {
            throw new IllegalStateException("no agent connected");
        }
        current.onNext(message);
    }

    /** The control plane drops the agent's stream, as on a network failure. */
    synchronized void dropStream() {
        current.onError(Status.UNAVAILABLE.withDescription("dropped by test").asRuntimeException());
        current = null;
    }

    /** Revokes the credential and closes the stream with UNAUTHENTICATED. */
    synchronized void revoke() {
        revoked = true;
        if (current != null) {
            current.onError(refusal(Status.UNAUTHENTICATED.withDescription("revoked"), Refusal.DESKTOP_REVOKED));
            current = null;
        }
    }

    synchronized boolean connected() {
        return current != null;
    }

    synchronized List<Hello> hellos() {
        return new ArrayList<>(hellos);
    }

    synchronized List<AgentMessage> messages() {
        return new ArrayList<>(messages);
    }

    List<InvocationResult> results(String invocationId) {
        return messages().stream().filter(AgentMessage::hasResult).map(AgentMessage::getResult)
                .filter(r -> r.getInvocationId().equals(invocationId)).toList();
    }

    InvocationResult awaitResult(String invocationId) {
        return await(m -> m.hasResult() && m.getResult().getInvocationId().equals(invocationId)).getResult();
    }

    AgentMessage await(Predicate<AgentMessage> condition) {
        return Waits.until(() -> messages().stream().filter(condition).findFirst().orElse(null), Duration.ofSeconds(15));
    }

    Hello awaitHello(int count) {
        return Waits.until(() -> {
            List<Hello> all = hellos();
            return all.size() >= count && connected() ? all.get(count - 1) : null;
        }, Duration.ofSeconds(15));
    }
}
