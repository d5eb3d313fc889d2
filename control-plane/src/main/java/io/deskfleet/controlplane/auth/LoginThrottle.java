package io.deskfleet.controlplane.auth;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing: after {@code max-failed-logins} failures for one user name from one client address
 * within {@code failed-login-window}, logins for that pair are refused with 429 until the window has passed, even
 * with the right password. Keyed by address too, so a guesser elsewhere cannot lock the administrator out.
 */
@Singleton
public class LoginThrottle {
    /** Beyond this many tracked pairs, expired ones are dropped: the map stays bounded under a spray of names. */
    private static final int PRUNE_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(@Value("${deskfleet.auth.max-failed-logins:10}") int maxFailures,
                         @Value("${deskfleet.auth.failed-login-window:1m}") Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    private record Failures(Instant windowStart, int count) {
    }

    /** @throws ApiException 429 while the pair is locked out */
    public void check(String userName, String clientAddress) {
        Failures current = failures.get(key(userName, clientAddress));
        Instant now = clock.instant();
        if (current != null && current.count() >= maxFailures && now.isBefore(current.windowStart().plus(window))) {
            long seconds = Math.max(1, Duration.between(now, current.windowStart().plus(window)).toSeconds());
            throw new ApiException(ErrorCode.TOO_MANY_REQUESTS,
                    "Too many failed logins for this user; try again in " + seconds + " s.");
        }
    }

    public void failed(String userName, String clientAddress) {
        Instant now = clock.instant();
        failures.merge(key(userName, clientAddress), new Failures(now, 1), (old, one) ->
                now.isBefore(old.windowStart().plus(window)) ? new Failures(old.windowStart(), old.count() + 1) : one);
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(f -> !now.isBefore(f.windowStart().plus(window)));
        }
    }

    public void succeeded(String userName, String clientAddress) {
        failures.remove(key(userName, clientAddress));
    }

    private static String key(String userName, String clientAddress) {
        return userName.toLowerCase(Locale.ROOT) + '\n' + clientAddress;
    }
}
