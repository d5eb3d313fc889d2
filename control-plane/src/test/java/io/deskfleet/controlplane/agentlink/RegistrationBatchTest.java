package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.link.LinkStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registrations arriving together are written in batches (RegistrationQueue): the activation's limit and count stay
 * exact, and a retry with the same request_id, also in the same batch as its first attempt, gets the same desktop
 * and counts once.
 */
@MicronautTest(transactional = false)
class RegistrationBatchTest extends ControlPlaneTestBase {
    private static final String P = "batch";

    private ManagedChannel channel;

    @BeforeAll
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", agentLink.port()).usePlaintext().build();
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** 60 at once on a limit of 25: exactly 25 desktops, the other 35 refused as used up, none shed or lost. */
    @Test
    void concurrentRegistrationsPastTheLimitMakeExactlyTheLimitsDesktops() throws Exception {
        String pool = createPool(P, "limit-pool");
        String[] activation = createActivation(P, pool, 25);
        List<CompletableFuture<RegisterResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(registerAsync(request(activation, pool, "pc-" + i, "req-" + i)));
        }
        Set<String> desktops = new HashSet<>();
        int usedUp = 0;
        for (CompletableFuture<RegisterResponse> call : calls) {
            Optional<RegisterResponse> answer = answer(call);
            if (answer.isPresent()) {
                desktops.add(answer.get().getDesktopId());
            } else {
                usedUp++;
            }
        }
        assertEquals(25, desktops.size());
        assertEquals(35, usedUp);
        assertEquals(25, get(P, "/desktops/detail?pool_id=" + pool).body().get("total_count").asInt());
    }

    /**
     * 30 registrations sent twice each at once (as an agent whose first answer was lost) on a limit of 31: each pair
     * gets one desktop, 30 in all, and the activation counted 30: exactly one more desktop fits.
     */
    @Test
    void retriesWithTheSameRequestIdGetTheSameDesktopAndCountOnce() throws Exception {
        String pool = createPool(P, "retry-pool");
        String[] activation = createActivation(P, pool, 31);
        List<CompletableFuture<RegisterResponse>> first = new ArrayList<>();
        List<CompletableFuture<RegisterResponse>> again = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            first.add(registerAsync(request(activation, pool, "pc-" + i, "req-" + i)));
            again.add(registerAsync(request(activation, pool, "pc-" + i, "req-" + i)));
        }
        Set<String> desktops = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String desktop = answer(first.get(i)).orElseThrow().getDesktopId();
            assertEquals(desktop, answer(again.get(i)).orElseThrow().getDesktopId(), "req-" + i);
            desktops.add(desktop);
        }
        assertEquals(30, desktops.size());
        assertEquals(30, get(P, "/desktops/detail?pool_id=" + pool).body().get("total_count").asInt());

        assertTrue(answer(registerAsync(request(activation, pool, "pc-31", "req-31"))).isPresent(),
                "the 31st desktop fits");
        assertTrue(answer(registerAsync(request(activation, pool, "pc-32", "req-32"))).isEmpty(),
                "the 32nd does not");
    }

    private static RegisterRequest request(String[] activation, String pool, String name, String requestId) {
        return RegisterRequest.newBuilder().setProjectId(P).setActivationId(activation[0])
                .setActivationCode(activation[1]).setPoolId(pool).setComputerName(name).setRequestId(requestId)
                .build();
    }

    /** The registered desktop, or empty when refused as used up; any other answer fails the test. */
    private static Optional<RegisterResponse> answer(CompletableFuture<RegisterResponse> call) throws Exception {
        try {
            return Optional.of(call.get(20, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            StatusRuntimeException failure = (StatusRuntimeException) e.getCause();
            assertEquals(Status.Code.FAILED_PRECONDITION, failure.getStatus().getCode(), failure.toString());
            assertEquals(Optional.of(Refusal.ACTIVATION_USED_UP), LinkStatus.refusal(failure));
            return Optional.empty();
        }
    }

    private CompletableFuture<RegisterResponse> registerAsync(RegisterRequest request) {
        return AsyncRegister.register(channel, request);
    }
}
