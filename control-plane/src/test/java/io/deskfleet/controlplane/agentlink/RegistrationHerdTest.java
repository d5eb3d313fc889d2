package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.link.Backoff;
import io.deskfleet.link.LinkStatus;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent link under a herd of registrations and under a client that sends garbage. */
@MicronautTest(transactional = false)
class RegistrationHerdTest extends ControlPlaneTestBase {
    private static final String P = "herd";
    private static final int HERD = 40;

    private ManagedChannel channel;

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("deskfleet.agent.registration-max-wait", "1ms");
        properties.put("deskfleet.agent.registration-retry-after", "250ms");
        return properties;
    }

    @BeforeAll
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", agentLink.port()).usePlaintext().build();
    }

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * 40 registrations at once against a longest wait of 1 ms: those that would wait longer are answered
     * RESOURCE_EXHAUSTED with the retry hint at once (no deadline runs out), and retrying as the agent does registers
     * every one.
     */
    @Test
    void aHerdIsShedWithARetryHintAndEveryRetryingAgentEndsRegistered() throws Exception {
        String pool = createPool(P, "herd-pool");
        String[] activation = createActivation(P, pool, HERD);
        List<CompletableFuture<RegisterResponse>> first = new ArrayList<>();
        for (int i = 0; i < HERD; i++) {
            first.add(registerAsync(request(activation, pool, "herd-" + i)));
        }
        int shed = 0;
        List<Integer> toRetry = new ArrayList<>();
        for (int i = 0; i < HERD; i++) {
            try {
                first.get(i).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                StatusRuntimeException failure = (StatusRuntimeException) e.getCause();
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure.getStatus().getCode(), failure.toString());
                OptionalLong hint = LinkStatus.retryAfterMillis(failure);
                assertTrue(hint.isPresent() && hint.getAsLong() >= 250 && hint.getAsLong() <= 30_000,
                        "the hint is the queue's time, at least the configured 250 ms, at most the agents' cap: "
                                + hint);
                assertTrue(LinkStatus.refusal(failure).isEmpty(), "shedding is not a refusal");
                shed++;
                toRetry.add(i);
            }
        }
        assertTrue(shed > 0, "a herd of " + HERD + " against a wait of 1 ms must be shed in part");

        for (int i : toRetry) {
            registerRetrying(request(activation, pool, "herd-" + i));
        }
        Response desktops = get(P, "/desktops/detail?pool_id=" + pool);
        assertEquals(HERD, desktops.body().get("total_count").asInt(), () -> desktops.toString());
    }

    /** Garbage to Register fails in gRPC's parsing, which gRPC logs; 50 calls must not log 50 stack traces. */
    @Test
    void garbageSentToRegisterLogsOnceNotOncePerCall() throws Exception {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger grpc = Logger.getLogger("io.grpc");
        grpc.addHandler(capture);
        try {
            MethodDescriptor<byte[], byte[]> raw = AgentLinkGrpc.getRegisterMethod().toBuilder(BYTES, BYTES).build();
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
            for (int i = 0; i < 50; i++) {
                StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(channel, raw,
                                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), garbage));
                assertTrue(e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED, e.toString());
            }
        } finally {
            grpc.removeHandler(capture);
        }
        synchronized (capture) {
            assertTrue(!logged.isEmpty() && logged.size() <= 3, logged.size() + " records: "
                    + logged.stream().limit(3).map(r -> r.getLoggerName() + " " + r.getMessage()).toList());
        }
    }

    private RegisterRequest request(String[] activation, String pool, String name) {
        return RegisterRequest.newBuilder().setProjectId(P).setActivationId(activation[0])
                .setActivationCode(activation[1]).setPoolId(pool).setComputerName(name).build();
    }

    private CompletableFuture<RegisterResponse> registerAsync(RegisterRequest request) {
        return AsyncRegister.register(channel, request);
    }

    /** Retries as the agent does: the shared backoff, the server's hint honoured, only a refusal is final. */
    private void registerRetrying(RegisterRequest request) throws InterruptedException {
        Backoff backoff = Backoff.forRegistration(() -> ThreadLocalRandom.current().nextDouble());
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                AgentLinkGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).register(request);
                return;
            } catch (StatusRuntimeException e) {
                assertTrue(LinkStatus.refusal(e).isEmpty(), e.toString());
                Thread.sleep(backoff.nextDelayMillis(LinkStatus.retryAfterMillis(e)));
            }
        }
        throw new AssertionError("not registered after 20 attempts: " + request.getComputerName());
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
