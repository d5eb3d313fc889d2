package io.deskfleet.agent.link;

import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.state.CredentialStore;
import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.link.Backoff;
import io.deskfleet.link.LinkStatus;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Gets this desktop its credential: the stored one if there is one, otherwise by Register with the activation. */
public final class Enrollment {
    private static final System.Logger LOG = System.getLogger(Enrollment.class.getName());
    private static final long REGISTER_DEADLINE_SECONDS = 10;
    private static final int UNEXPECTED_EXIT = 1;

    /** Why the agent could not get a credential; the message is meant for the operator as is. */
    public static final class EnrollmentException extends Exception {
        private final int exitCode;

        public EnrollmentException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private Enrollment() {
    }

    /**
     * @param activation the filled-in Register request, or empty when no activation was given on the command line
     * @param noActivationExit the exit code when there is neither a stored credential nor an activation
     */
    public static Credential credential(CredentialStore store, ReplicaChannels replicas,
                                        Optional<RegisterRequest> activation, int noActivationExit)
            throws IOException, EnrollmentException {
        Optional<Credential> stored = store.load();
        if (stored.isPresent()) {
            LOG.log(Level.INFO, "using stored credential of desktop " + stored.get().desktopId());
            return stored.get();
        }
        if (activation.isEmpty()) {
            throw new EnrollmentException("no stored credential: the first start needs --project-id, "
                    + "--activation-id, --activation-code and --pool-id", noActivationExit);
        }
        // One id for every attempt: a retry of a registration whose answer was lost gets the same desktop.
        RegisterRequest request = activation.get().toBuilder().setRequestId(UUID.randomUUID().toString()).build();
        RegisterResponse response = register(replicas, request);
        Credential credential = new Credential(response.getDesktopId(), response.getDesktopCredential());
        store.save(credential);
        LOG.log(Level.INFO, "registered as desktop " + credential.desktopId());
        return credential;
    }

    /**
     * Retries every failure but a definitive refusal (see agent.proto): the control plane down or shedding a herd
     * (RESOURCE_EXHAUSTED, its retry hint honoured), a deadline missed under load, a TLS handshake not yet accepted,
     * a proxy's UNKNOWN or INTERNAL. Each attempt first cuts short gRPC's own connect backoff, which would otherwise
     * grow to 120 s under ours; a channel that comes back while we wait wakes the next attempt at once. Over
     * several replicas each failed attempt moves the next one to the next replica, as the stream does.
     */
    private static RegisterResponse register(ReplicaChannels replicas, RegisterRequest request)
            throws EnrollmentException, InterruptedIOException {
        Backoff backoff = Backoff.forRegistration(() -> ThreadLocalRandom.current().nextDouble());
        Semaphore reconnected = new Semaphore(0);
        Map<ManagedChannel, ChannelReadyWatch> watches = new HashMap<>();
        while (true) {
            ManagedChannel channel = replicas.current();
            channel.resetConnectBackoff();
            reconnected.drainPermits();
            try {
                RegisterResponse response = AgentLinkGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(REGISTER_DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .register(request);
                if (response.getDesktopId().isEmpty() || response.getDesktopCredential().isEmpty()) {
                    // A broken control plane: asking again would only register more desktops without credentials.
                    throw new EnrollmentException("registration failed: the control plane returned no credential",
                            UNEXPECTED_EXIT);
                }
                return response;
            } catch (StatusRuntimeException e) {
                Optional<Refusal> refusal = LinkStatus.refusal(e);
                if (refusal.isPresent()) {
                    throw new EnrollmentException("registration refused: " + LinkFailures.describe(e.getStatus())
                            + "; " + RefusalExit.advice(refusal.get()), RefusalExit.code(refusal.get()));
                }
                replicas.failover();
                long delay = backoff.nextDelayMillis(LinkStatus.retryAfterMillis(e));
                LOG.log(Level.WARNING, "registration did not go through (" + LinkFailures.describe(e.getStatus())
                        + "), retrying in " + delay + " ms"
                        + (replicas.several() ? " at " + replicas.current().authority() + " (was "
                        + channel.authority() + ")" : ""));
                watches.computeIfAbsent(replicas.current(),
                        c -> new ChannelReadyWatch(c, Runnable::run, reconnected::release)).arm();
                try {
                    reconnected.tryAcquire(delay, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry registration");
                }
            }
        }
    }
}
