package io.deskfleet.agent;

import io.deskfleet.agent.v1.Refusal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The Connect stream: only the control plane's refusal reason stops the agent; every other failure is retried. */
class StreamRetryTest extends InProcessAgentTest {

    @Test
    void aStreamClosedWithAnyStatusButARefusalIsReopened() throws Exception {
        controlPlane.helloFailures.addAll(List.of(
                Status.UNAUTHENTICATED.withDescription("a proxy's, without a refusal reason").asRuntimeException(),
                Status.INTERNAL.withDescription("a proxy's error").asRuntimeException(),
                FakeControlPlane.shed(100),
                Status.CANCELLED.asRuntimeException(),
                Status.ABORTED.asRuntimeException()));
        Agent agent = startConnected(6);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return agent.awaitExit();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(exit.isDone(), "the agent must not exit on a transient failure");
        controlPlane.revoke();
        assertEquals(3, exit.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownCredentialEndsTheAgentWithExit3() throws Exception {
        controlPlane.helloFailures.add(FakeControlPlane.refusal(Status.UNAUTHENTICATED, Refusal.CREDENTIAL_REFUSED));
        assertEquals(3, startAgent().awaitExit());
    }
}
