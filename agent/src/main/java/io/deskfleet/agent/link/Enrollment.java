package io.deskfleet.agent.link;

import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.state.CredentialStore;
import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Gets this desktop its credential: the stored one if there is one, otherwise by Register with the activation. */
public final class Enrollment {
    private static final System.Logger LOG = System.getLogger(Enrollment.class.getName());
    private static final long REGISTER_DEADLINE_SECONDS = 10;

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
        RegisterResponse response;
        try {
            response = AgentLinkGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(REGISTER_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .register(activation.get());
        } catch (StatusRuntimeException e) {
            String detail = e.getStatus().getDescription();
            throw new EnrollmentException("registration failed: " + e.getStatus().getCode()
                    + (detail == null ? "" : ": " + detail));
        }
        if (response.getDesktopId().isEmpty() || response.getDesktopCredential().isEmpty()) {
            throw new EnrollmentException("registration failed: the control plane returned no credential");
        }
        Credential credential = new Credential(response.getDesktopId(), response.getDesktopCredential());
        store.save(credential);
        LOG.log(Level.INFO, "registered as desktop " + credential.desktopId());
        return credential;
    }
}
