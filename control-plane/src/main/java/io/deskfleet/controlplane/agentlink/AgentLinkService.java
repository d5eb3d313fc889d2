package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.ResultAck;
import io.deskfleet.agent.v1.Tag;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.api.auth.ProjectIds;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.controlplane.auth.Secrets;
import io.deskfleet.controlplane.inventory.ActivationStore;
import io.deskfleet.controlplane.inventory.DesktopStateWriter;
import io.deskfleet.controlplane.inventory.DesktopStore;
import io.deskfleet.link.LinkStatus;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** The AgentLink service: registration, and each agent's one long-lived stream. */
@Singleton
public class AgentLinkService extends AgentLinkGrpc.AgentLinkImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinkService.class);

    private final ActivationStore activations;
    private final CredentialLookup credentials;
    private final HelloAdmission hellos;
    private final DesktopStateWriter state;
    private final AgentSessions sessions;
    private final AgentEvents events;
    private final RegistrationQueue registrations;
    private final StreamRegistry registry;
    private final RepeatedLog refusals;
    private final RepeatedLog failures;
    private final Clock clock;
    private final long heartbeatIntervalMs;
    private final ExecutorService disconnects = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agent-disconnects");
        t.setDaemon(true);
        return t;
    });

    public AgentLinkService(ActivationStore activations, CredentialLookup credentials, HelloAdmission hellos,
                            DesktopStateWriter state, AgentSessions sessions, AgentEvents events,
                            RegistrationQueue registrations, StreamRegistry registry, Clock clock,
                            @Value("${deskfleet.agent.heartbeat-interval:5s}") Duration heartbeatInterval) {
        this.activations = activations;
        this.credentials = credentials;
        this.hellos = hellos;
        this.state = state;
        this.sessions = sessions;
        this.events = events;
        this.registrations = registrations;
        this.registry = registry;
        // A client retrying a wrong credential in a loop must not fill the log: a line per desktop and minute.
        this.refusals = new RepeatedLog(clock, Duration.ofMinutes(1), 1024);
        this.failures = new RepeatedLog(clock, Duration.ofMinutes(1), 64);
        this.clock = clock;
        this.heartbeatIntervalMs = heartbeatInterval.toMillis();
    }

    /**
     * Queues the registration for {@link RegistrationQueue}'s writer, or sheds it when the queue could not store it
     * in time: RESOURCE_EXHAUSTED with a retry hint at once, instead of waiting until its deadline.
     */
    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        ActivationStore.Registration registration;
        try {
            registration = validate(request);
        } catch (IllegalArgumentException | ApiException e) {
            response.onError(refused(Status.INVALID_ARGUMENT.withDescription(e.getMessage()),
                    Refusal.INVALID_REGISTRATION));
            return;
        }
        Context call = Context.current();
        Deadline deadline = call.getDeadline();
        long deadlineRemaining = deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.NANOSECONDS);
        boolean queued = registrations.offer(new RegistrationQueue.Pending(registration, call::isCancelled,
                new RegistrationQueue.Answer() {
                    @Override
                    public void stored(ActivationStore.Outcome outcome) {
                        answer(registration, outcome, response);
                    }

                    @Override
                    public void failed(RuntimeException e) {
                        notStored(e, response);
                    }
                }), deadlineRemaining);
        if (!queued) {
            response.onError(Status.RESOURCE_EXHAUSTED
                    .withDescription("too many registrations in progress; retry later")
                    .asRuntimeException(LinkStatus.retryAfterTrailers(registrations.retryAfter())));
        }
    }

    private void answer(ActivationStore.Registration registration, ActivationStore.Outcome outcome,
                        StreamObserver<RegisterResponse> response) {
        if (outcome instanceof ActivationStore.Registered registered) {
            response.onNext(RegisterResponse.newBuilder().setDesktopId(registered.desktopId())
                    .setDesktopCredential(registered.credential()).build());
            response.onCompleted();
            LOG.info("desktop registered desktop={} project={} pool={}", registered.desktopId(),
                    registration.projectId(), registration.poolId());
            events.each("registered", registered.desktopId(), l -> l.onRegistered(registered.desktopId()));
            return;
        }
        ActivationStore.Refused refused = (ActivationStore.Refused) outcome;
        Status status = switch (refused.refusal()) {
            case UNKNOWN_ACTIVATION, WRONG_CODE -> Status.UNAUTHENTICATED;
            case EXPIRED, USED_UP -> Status.FAILED_PRECONDITION;
            case WRONG_POOL, REQUEST_ID_TAKEN -> Status.INVALID_ARGUMENT;
        };
        Refusal reason = switch (refused.refusal()) {
            case UNKNOWN_ACTIVATION, WRONG_CODE -> Refusal.ACTIVATION_UNKNOWN;
            case EXPIRED -> Refusal.ACTIVATION_EXPIRED;
            case USED_UP -> Refusal.ACTIVATION_USED_UP;
            case WRONG_POOL -> Refusal.WRONG_POOL;
            case REQUEST_ID_TAKEN -> Refusal.INVALID_REGISTRATION;
        };
        response.onError(refused(status.withDescription(refused.message()), reason));
    }

    /** On the writer thread nobody else would answer: the agent would wait out its deadline. */
    private void notStored(RuntimeException e, StreamObserver<RegisterResponse> response) {
        long suppressed = failures.admit(e.getClass().getName());
        if (suppressed >= 0) {
            LOG.error("registration not stored{}", failures.repeats(suppressed), e);
        }
        response.onError(Status.UNAVAILABLE.withDescription("the registration could not be stored; retry")
                .asRuntimeException());
    }

    /** A definitive refusal: the reason trailer tells the agent that retrying cannot help (see agent.proto). */
    private static RuntimeException refused(Status status, Refusal reason) {
        return status.asRuntimeException(LinkStatus.refusalTrailers(reason));
    }

    private static ActivationStore.Registration validate(RegisterRequest r) {
        if (!ProjectIds.isValid(r.getProjectId())) {
            throw new IllegalArgumentException("project_id is missing or invalid");
        }
        requireText("activation_id", r.getActivationId(), 64);
        requireText("activation_code", r.getActivationCode(), 256);
        requireText("pool_id", r.getPoolId(), 64);
        requireText("computer_name", r.getComputerName(), 255);
        if (r.getRequestId().length() > 64) {
            throw new IllegalArgumentException("request_id is at most 64 characters");
        }
        if (r.getOsType().length() > 32 || r.getAgentVersion().length() > 64) {
            throw new IllegalArgumentException("os_type is at most 32 and agent_version at most 64 characters");
        }
        // A repeated key keeps its last value, as a map would.
        Map<String, DesktopTag> tags = new LinkedHashMap<>();
        for (Tag t : r.getTagsList()) {
            DesktopTag tag = new DesktopTag(t.getKey(), t.getValue());
            tag.validate();
            tags.put(tag.key(), tag);
        }
        return new ActivationStore.Registration(r.getProjectId(), r.getActivationId(), r.getActivationCode(),
                r.getPoolId(), r.getComputerName(), r.getOsType().isEmpty() ? null : r.getOsType(),
                r.getAgentVersion().isEmpty() ? null : r.getAgentVersion(), List.copyOf(tags.values()),
                r.getRequestId().isEmpty() ? null : r.getRequestId());
    }

    private static void requireText(String field, String value, int maxLength) {
        if (value.isEmpty() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be 1-" + maxLength + " characters");
        }
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responseObserver) {
        ServerCallStreamObserver<ControlMessage> out = (ServerCallStreamObserver<ControlMessage>) responseObserver;
        AgentSession session = new AgentSession(out);
        Stream stream = new Stream(session);
        // Both handlers must be set during this call, before any message flows.
        out.setOnReadyHandler(session::drain);
        out.setOnCancelHandler(stream::gone);
        return stream;
    }

    /** Inbound side of one stream. gRPC calls it for one message at a time. */
    private final class Stream implements StreamObserver<AgentMessage> {
        private final AgentSession session;
        /** Set by the Hello; what else the stream says before its Welcome is dropped (the agent sends nothing). */
        private boolean helloSeen;
        /** The agent's side ended, maybe while its Hello was still being checked and recorded. */
        private volatile boolean ended;

        Stream(AgentSession session) {
            this.session = session;
        }

        @Override
        public void onNext(AgentMessage message) {
            String desktopId = session.desktopId();
            if (desktopId == null) {
                if (!helloSeen) {
                    helloSeen = true;
                    hello(message);
                }
                return;
            }
            if (!sessions.isCurrent(session)) {
                // Replaced or swept: whatever this stream still says belongs to no live session.
                return;
            }
            session.touch();
            handler(desktopId, message).run();
        }

        /**
         * A switch expression without default: a new AgentMessage case does not compile until it is handled here.
         * A case this build does not know (a newer agent's) arrives as BODY_NOT_SET.
         */
        private Runnable handler(String desktopId, AgentMessage message) {
            return switch (message.getBodyCase()) {
                case HEARTBEAT -> () -> state.heartbeat(desktopId, clock.instant());
                case STARTED -> () -> events.each("started", desktopId,
                        l -> l.onStarted(desktopId, message.getStarted()));
                case OUTPUT -> () -> events.each("output", desktopId, l -> l.onOutput(desktopId, message.getOutput()));
                case RESULT -> () -> result(desktopId, message);
                case POWER_STATE_CHANGED -> () -> {
                    state.powerState(desktopId, message.getPowerStateChanged().getPowerState());
                    events.each("power", desktopId,
                            l -> l.onPowerStateChanged(desktopId, message.getPowerStateChanged()));
                };
                case SESSION_EVENT -> () -> events.each("session", desktopId,
                        l -> l.onSessionEvent(desktopId, message.getSessionEvent()));
                case HELLO -> () -> LOG.warn("second hello ignored desktop={}", desktopId);
                case BODY_NOT_SET -> () -> LOG.warn("empty or unknown agent message ignored desktop={}", desktopId);
            };
        }

        private void hello(AgentMessage message) {
            if (!message.hasHello()) {
                session.close(Status.UNAUTHENTICATED.withDescription("the first message must be a Hello"));
                return;
            }
            Hello hello = message.getHello();
            if (hello.getDesktopId().isEmpty()) {
                refuse(hello, Optional.empty());
                return;
            }
            Optional<HelloAdmission.Ticket> admitted = hellos.admit();
            if (admitted.isEmpty()) {
                // Before any database work: the agent comes back after the hint (see HelloAdmission).
                session.close(Status.RESOURCE_EXHAUSTED.withDescription("too many agents connecting; retry later"),
                        LinkStatus.retryAfterTrailers(hellos.retryAfter()));
                return;
            }
            HelloAdmission.Ticket ticket = admitted.get();
            credentials.credential(hello.getDesktopId()).whenComplete((found, error) -> {
                if (error != null) {
                    ticket.answered();
                    session.close(Status.UNAVAILABLE.withDescription("the credential could not be checked; retry"));
                    return;
                }
                Optional<DesktopStore.DesktopCredential> credential = found
                        .filter(c -> Secrets.matches(hello.getDesktopCredential(), c.credentialHash()));
                if (credential.isEmpty() || credential.get().revoked()) {
                    ticket.answered();
                    refuse(hello, credential);
                } else {
                    open(hello, ticket);
                }
            });
        }

        private void refuse(Hello hello, Optional<DesktopStore.DesktopCredential> credential) {
            // Revocation is told only to the holder of the right credential; a guess learns nothing.
            Refusal reason = credential.isEmpty() ? Refusal.CREDENTIAL_REFUSED : Refusal.DESKTOP_REVOKED;
            long suppressed = refusals.admit(reason + " " + hello.getDesktopId());
            if (suppressed >= 0) {
                LOG.warn("agent stream refused desktop={} reason={}{}", hello.getDesktopId(), reason,
                        refusals.repeats(suppressed));
            }
            session.close(Status.UNAUTHENTICATED.withDescription(credential.isEmpty()
                    ? "unknown desktop or wrong credential" : "desktop revoked"),
                    LinkStatus.refusalTrailers(reason));
        }

        private void open(Hello hello, HelloAdmission.Ticket ticket) {
            String desktopId = hello.getDesktopId();
            // Recorded in the registry first (replicas: a batched write; one node: at once); the agent sends
            // nothing before its Welcome, so the stream waits for it without holding a gRPC thread.
            registry.opened(desktopId, hello, () -> ended).whenComplete((epoch, error) -> {
                ticket.answered();
                if (error != null) {
                    LOG.warn("agent stream not recorded desktop={}: {}", desktopId, error.toString());
                    session.close(Status.UNAVAILABLE.withDescription("the stream could not be recorded; retry"));
                    return;
                }
                if (epoch == StreamRegistry.NOT_RECORDED) {
                    // Gone before its turn: nothing was recorded, nothing to undo.
                    return;
                }
                session.epoch(epoch);
                session.authenticated(desktopId);
                session.touch();
                if (ended) {
                    // Gone before its Welcome: it must not replace a newer stream of the same desktop, and it never
                    // counted as connected; only its registry row goes.
                    forget(session);
                    return;
                }
                sessions.put(desktopId, session);
                if (ended && sessions.remove(desktopId, session, StreamEnds.Why.AGENT)) {
                    forget(session);
                    return;
                }
                session.enqueue(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder().setDesktopId(desktopId)
                        .setHeartbeatIntervalMs(heartbeatIntervalMs)).build());
                state.connected(desktopId, clock.instant(), hello.getAgentVersion(), hello.getBootId(),
                        hello.getInterpretersList(), hello.getPowerState());
                LOG.info("agent connected desktop={} boot={} version={}", desktopId, hello.getBootId(),
                        hello.getAgentVersion());
                events.connected(desktopId, hello);
            });
        }

        private void result(String desktopId, AgentMessage message) {
            String invocationId = message.getResult().getInvocationId();
            events.result(desktopId, message.getResult()).whenComplete((ignored, error) -> {
                if (error != null) {
                    // Not acknowledged: the agent keeps the result and sends it again after a reconnect.
                    LOG.error("result not stored, not acknowledged desktop={} invocation={}", desktopId,
                            invocationId, error);
                    return;
                }
                session.enqueue(ControlMessage.newBuilder()
                        .setAck(ResultAck.newBuilder().setInvocationId(invocationId)).build());
            });
        }

        @Override
        public void onError(Throwable t) {
            gone();
        }

        @Override
        public void onCompleted() {
            session.close(Status.OK);
            gone();
        }

        /** The agent's side is gone (half-close, error or cancel); only the current stream marks it offline. */
        void gone() {
            ended = true;
            String desktopId = session.desktopId();
            if (desktopId != null && sessions.remove(desktopId, session, StreamEnds.Why.AGENT)) {
                disconnected(session, StreamEnds.Why.AGENT);
            }
        }
    }

    /**
     * Bookkeeping for a desktop whose current stream ended or went silent (unless it is online elsewhere), on a
     * thread of its own: it reads and writes the database, and the gRPC executor's threads, which call it, must stay
     * free for the heartbeats of the streams that are still up (see {@link CredentialLookup}).
     */
    void disconnected(AgentSession session, StreamEnds.Why why) {
        onDisconnectsThread(() -> recordDisconnect(session, why));
    }

    /** A stream that ended before it was welcomed: its registry row goes, nothing else changes. */
    private void forget(AgentSession session) {
        onDisconnectsThread(() -> registry.closed(session.desktopId(), session.epoch()));
    }

    private void onDisconnectsThread(Runnable work) {
        try {
            disconnects.execute(work);
        } catch (RejectedExecutionException stopping) {
            // Shutting down: every desktop is marked offline, and this replica's registry rows go, at the next start.
        }
    }

    private void recordDisconnect(AgentSession session, StreamEnds.Why why) {
        String desktopId = session.desktopId();
        if (!registry.closed(desktopId, session.epoch())) {
            return;
        }
        state.disconnected(desktopId);
        LOG.info("agent disconnected desktop={} why={}", desktopId, why.tag());
        events.each("disconnected", desktopId, l -> l.onDisconnected(desktopId));
    }
}
