package io.deskfleet.bench.swarm;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.ResultAck;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.link.LinkStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for the control plane's AgentLink: hands out desktops for one activation, checks each
 * Hello's credential, and records every message per desktop so tests can see what the agents sent.
 */
final class FakeAgentLink extends AgentLinkGrpc.AgentLinkImplBase {
    static final String ACTIVATION_ID = "act-1";
    static final String ACTIVATION_CODE = "code-1";

    private final long heartbeatIntervalMs;
    private final AtomicInteger nextDesktop = new AtomicInteger();
    /** Register calls still to be shed (RESOURCE_EXHAUSTED with a retry hint), as an overloaded control plane does. */
    final AtomicInteger toShed = new AtomicInteger();
    private final Map<String, String> credentials = new ConcurrentHashMap<>();
    private final Map<String, String> computerNames = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<AgentMessage>> received = new ConcurrentHashMap<>();

    FakeAgentLink(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        if (!request.getActivationId().equals(ACTIVATION_ID) || !request.getActivationCode().equals(ACTIVATION_CODE)) {
            response.onError(Status.UNAUTHENTICATED.withDescription("unknown activation")
                    .asRuntimeException(LinkStatus.refusalTrailers(Refusal.ACTIVATION_UNKNOWN)));
            return;
        }
        if (toShed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            response.onError(Status.RESOURCE_EXHAUSTED.asRuntimeException(
                    LinkStatus.retryAfterTrailers(Duration.ofMillis(100))));
            return;
        }
        String desktopId = "desk-" + nextDesktop.incrementAndGet();
        String credential = UUID.randomUUID().toString();
        credentials.put(desktopId, credential);
        computerNames.put(desktopId, request.getComputerName());
        response.onNext(RegisterResponse.newBuilder().setDesktopId(desktopId).setDesktopCredential(credential).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> out) {
        return new StreamObserver<>() {
            private String desktopId;

            @Override
            public void onNext(AgentMessage message) {
                if (desktopId == null) {
                    Hello hello = message.getHello();
                    String credential = credentials.get(hello.getDesktopId());
                    if (!message.hasHello() || !hello.getDesktopCredential().equals(credential)) {
                        out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                        return;
                    }
                    desktopId = hello.getDesktopId();
                    Session session = new Session(out);
                    record(desktopId, message);
                    sessions.put(desktopId, session);
                    session.send(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder()
                            .setDesktopId(hello.getDesktopId()).setHeartbeatIntervalMs(heartbeatIntervalMs)).build());
                    return;
                }
                record(desktopId, message);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    private void record(String desktopId, AgentMessage message) {
        List<AgentMessage> list = received.computeIfAbsent(desktopId, id -> new ArrayList<>());
        synchronized (list) {
            list.add(message);
        }
    }

    void run(String desktopId, String invocationId) {
        sessions.get(desktopId).send(ControlMessage.newBuilder()
                .setRun(RunCommand.newBuilder().setInvocationId(invocationId).setContent("true")).build());
    }

    void ack(String desktopId, String invocationId) {
        sessions.get(desktopId).send(ControlMessage.newBuilder()
                .setAck(ResultAck.newBuilder().setInvocationId(invocationId)).build());
    }

    /** Ends the desktop's current stream as a server restart or network cut would. */
    void breakStream(String desktopId) {
        Session session = sessions.remove(desktopId);
        synchronized (session) {
            session.out.onError(Status.UNAVAILABLE.withDescription("cut by test").asRuntimeException());
        }
    }

    /** A copy of everything the desktop has sent so far, across all its streams. */
    List<AgentMessage> received(String desktopId) {
        List<AgentMessage> list = received.getOrDefault(desktopId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    List<Hello> hellos(String desktopId) {
        return received(desktopId).stream().filter(AgentMessage::hasHello).map(AgentMessage::getHello).toList();
    }

    String computerName(String desktopId) {
        return computerNames.get(desktopId);
    }

    boolean connected(String desktopId) {
        return sessions.containsKey(desktopId);
    }

    private record Session(StreamObserver<ControlMessage> out) {
        synchronized void send(ControlMessage message) {
            out.onNext(message);
        }
    }
}
