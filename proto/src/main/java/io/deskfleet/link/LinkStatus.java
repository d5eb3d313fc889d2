package io.deskfleet.link;

import io.deskfleet.agent.v1.Refusal;
import io.grpc.Metadata;
import io.grpc.Status;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a failed call to the control plane is told apart: a definitive refusal carries the {@code deskfleet-refusal}
 * trailer (set only by the control plane), everything else is transient, whatever its code, since proxies, TLS and
 * overload produce every code there is. See the comments at the top of agent.proto.
 */
public final class LinkStatus {
    public static final Metadata.Key<String> REFUSAL =
            Metadata.Key.of("deskfleet-refusal", Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC's standard retry pushback (gRFC A6), milliseconds as a decimal number. */
    public static final Metadata.Key<String> RETRY_PUSHBACK =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    private LinkStatus() {
    }

    /**
     * The refusal a failed call carries, or empty when the failure is transient. A reason this build does not know
     * (a newer control plane) is {@link Refusal#UNRECOGNIZED}: still a refusal.
     */
    public static Optional<Refusal> refusal(Throwable failure) {
        Metadata trailers = Status.trailersFromThrowable(failure);
        String reason = trailers == null ? null : trailers.get(REFUSAL);
        if (reason == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Refusal.valueOf(reason));
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.UNRECOGNIZED);
        }
    }

    /** The server's retry pushback, if the failure carries a valid one. */
    public static OptionalLong retryAfterMillis(Throwable failure) {
        Metadata trailers = Status.trailersFromThrowable(failure);
        String value = trailers == null ? null : trailers.get(RETRY_PUSHBACK);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long millis = Long.parseLong(value.trim());
            return millis >= 0 ? OptionalLong.of(millis) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Trailers of a definitive refusal. */
    public static Metadata refusalTrailers(Refusal refusal) {
        Metadata trailers = new Metadata();
        trailers.put(REFUSAL, refusal.name());
        return trailers;
    }

    /** Trailers of a shed call: come back after at least this long. */
    public static Metadata retryAfterTrailers(Duration after) {
        Metadata trailers = new Metadata();
        trailers.put(RETRY_PUSHBACK, Long.toString(after.toMillis()));
        return trailers;
    }
}
