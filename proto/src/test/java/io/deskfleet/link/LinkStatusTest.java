package io.deskfleet.link;

import io.deskfleet.agent.v1.Refusal;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinkStatusTest {

    @Test
    void onlyTheRefusalTrailerMakesAFailureDefinitive() {
        for (Status.Code code : Status.Code.values()) {
            assertEquals(Optional.empty(), LinkStatus.refusal(Status.fromCode(code).asRuntimeException()), code.name());
        }
        assertEquals(Optional.of(Refusal.ACTIVATION_EXPIRED), LinkStatus.refusal(Status.FAILED_PRECONDITION
                .asRuntimeException(LinkStatus.refusalTrailers(Refusal.ACTIVATION_EXPIRED))));
    }

    @Test
    void aReasonFromANewerControlPlaneIsStillARefusal() {
        Metadata trailers = new Metadata();
        trailers.put(LinkStatus.REFUSAL, "SOMETHING_NEW");
        assertEquals(Optional.of(Refusal.UNRECOGNIZED),
                LinkStatus.refusal(Status.PERMISSION_DENIED.asRuntimeException(trailers)));
    }

    @Test
    void theRetryPushbackIsReadWhenItIsANonNegativeNumber() {
        assertEquals(OptionalLong.of(1_500), LinkStatus.retryAfterMillis(Status.RESOURCE_EXHAUSTED
                .asRuntimeException(LinkStatus.retryAfterTrailers(Duration.ofMillis(1_500)))));
        for (String bad : new String[] {"-1", "soon", ""}) {
            Metadata trailers = new Metadata();
            trailers.put(LinkStatus.RETRY_PUSHBACK, bad);
            assertEquals(OptionalLong.empty(),
                    LinkStatus.retryAfterMillis(Status.RESOURCE_EXHAUSTED.asRuntimeException(trailers)), bad);
        }
        assertEquals(OptionalLong.empty(), LinkStatus.retryAfterMillis(Status.UNAVAILABLE.asRuntimeException()));
    }
}
