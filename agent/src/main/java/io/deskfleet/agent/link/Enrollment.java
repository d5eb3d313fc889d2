package io.deskfleet.agent.link;

import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.state.CredentialStore;
import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Gets this desktop its credential: the stored one if there is one, otherwise by Register with the activation. */
public final class Enrollment {
    private static final System.Logger LOG = System.getLogger(Enrollment.class.getName());
    private static final long REGISTER_DEADLINE_SECONDS = 10;
    private static final long RETRY_INITIAL_MILLIS = 500;
    private static final long RETRY_MAX_MILLIS = 30_000;

    /** Why the agent could not get a credential; the message is meant for the operator as is. */
    public static final class EnrollmentException extends Exception {
        public EnrollmentException(String message) {
            super(message);
        }
    }

    private Enrollment() {
    }

    /**
     * @param activation the filled-in Register request, or empty when no activation was given on the command line
     */
    public static Credential credential(CredentialStore store, Channel channel, Optional<RegisterRequest> activation)
            throws IOException, EnrollmentException {
        Optional<Credential> stored = store.load();
        if (stored.isPresent()) {
            LOG.log(Level.INFO, "using stored credential of desktop " + stored.get().desktopId());
            return stored.get();
        }
        if (activation.isEmpty()) {
            throw new EnrollmentException("no stored credential: the first start needs --project-id, "
                    + "--activation-id, --activation-code and --pool-id");
        }
        RegisterResponse response = register(channel, activation.get());
        if (response.getDesktopId().isEmpty() || response.getDesktopCredential().isEmpty()) {
            throw new EnrollmentException("registration failed: the control plane returned no credential");
        }
        Credential credential = new Credential(response.getDesktopId(), response.getDesktopCredential());
        store.save(credential);
        LOG.log(Level.INFO, "registered as desktop " + credential.desktopId());
        return credential;
    }

    /**
     * Retries while the control plane is unreachable (down, or the TLS handshake fails), so a desktop that boots
     * before its control plane, or with a certificate not yet accepted, registers once that is fixed; any answer
     * from the control plane itself is final.
     */
    private static RegisterResponse register(Channel channel, RegisterRequest request)
            throws EnrollmentException, InterruptedIOException {
        Backoff backoff = new Backoff(RETRY_INITIAL_MILLIS, RETRY_MAX_MILLIS,
                () -> ThreadLocalRandom.current().nextDouble());
        while (true) {
            try {
                return AgentLinkGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(REGISTER_DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .register(request);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw new EnrollmentException("registration failed: " + LinkFailures.describe(e.getStatus()));
                }
                long delay = backoff.nextDelayMillis();
                LOG.log(Level.WARNING, "cannot reach the control plane to register ("
                        + LinkFailures.describe(e.getStatus()) + "), retrying in " + delay + " ms");
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry registration");
                }
            }
        }
    }
}
