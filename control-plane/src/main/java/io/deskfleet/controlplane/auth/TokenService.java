package io.deskfleet.controlplane.auth;

import io.deskfleet.api.auth.TokenRequest;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/** Issues and checks X-Auth-Token values. */
@Singleton
public class TokenService {
    static final String SIGNING_KEY_SETTING = "auth.signing-key";

    private final UserStore users;
    private final TokenCodec codec;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(UserStore users, SettingsStore settings, Clock clock,
                        @Value("${deskfleet.auth.signing-key:}") String configuredKey,
                        @Value("${deskfleet.auth.token-ttl:24h}") Duration ttl) {
        this.users = users;
        this.clock = clock;
        this.ttl = ttl;
        // A configured key lets several instances share tokens; otherwise one is generated once and kept, so
        // tokens survive restarts.
        byte[] key = configuredKey != null && !configuredKey.isEmpty()
                ? configuredKey.getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(settings.getOrCreate(SIGNING_KEY_SETTING,
                        () -> Base64.getEncoder().encodeToString(Secrets.randomBytes(32))));
        this.codec = new TokenCodec(key);
    }

    public record Issued(String token, TokenClaims claims) {
    }

    /** @throws ApiException 401 for an unknown user or a wrong password */
    public Issued issue(TokenRequest.Credentials credentials) {
        UserStore.User user = users.findByName(credentials.userName())
                .filter(u -> PasswordHasher.matches(credentials.password(), u.passwordHash()))
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "The user name or password is wrong."));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        TokenClaims claims = new TokenClaims(user.id(), user.name(), user.role(), credentials.projectId(), now,
                now.plus(ttl));
        return new Issued(codec.encode(claims), claims);
    }

    public Optional<TokenClaims> verify(String token) {
        return codec.decode(token, clock.instant());
    }
}
