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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Issues and checks X-Auth-Token values. */
@Singleton
public class TokenService {
    static final String SIGNING_KEY_SETTING = "auth.signing-key";
    /** Checked against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private static final String UNKNOWN_USER_HASH = PasswordHasher.hash(Secrets.newSecret());

    private final UserStore users;
    private final ProjectRoleStore roles;
    private final TokenCodec codec;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(UserStore users, ProjectRoleStore roles, SettingsStore settings, Clock clock,
                        @Value("${deskfleet.auth.signing-key:}") String configuredKey,
                        @Value("${deskfleet.auth.previous-signing-keys:}") String previousKeys,
                        @Value("${deskfleet.auth.token-ttl:24h}") Duration ttl) {
        this.users = users;
        this.roles = roles;
        this.clock = clock;
        this.ttl = ttl;
        // A configured key lets several instances share tokens; otherwise one is generated once and kept, so
        // tokens survive restarts.
        byte[] key = configuredKey != null && !configuredKey.isEmpty()
                ? configuredKey.getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(settings.getOrCreate(SIGNING_KEY_SETTING,
                        () -> Base64.getEncoder().encodeToString(Secrets.randomBytes(32))));
        // Comma-separated, so a key itself cannot contain a comma (README says so).
        List<byte[]> previous = previousKeys == null ? List.of() : Arrays.stream(previousKeys.split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.codec = new TokenCodec(key, previous);
    }

    public record Issued(String token, TokenClaims claims) {
    }

    /**
     * @throws ApiException 401 for an unknown user, a wrong password, or a user without a role in the project
     */
    public Issued issue(TokenRequest.Credentials credentials) {
        Optional<UserStore.User> found = users.findByName(credentials.userName());
        boolean passwordOk = PasswordHasher.matches(credentials.password(),
                found.map(UserStore.User::passwordHash).orElse(UNKNOWN_USER_HASH));
        UserStore.User user = found.filter(u -> passwordOk)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "The user name or password is wrong."));
        Caller.Role role = roleIn(user, credentials.projectId())
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "The user has no role in this project."));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        TokenClaims claims = new TokenClaims(user.id(), user.name(), role, credentials.projectId(), now,
                now.plus(ttl));
        return new Issued(codec.encode(claims), claims);
    }

    /** The administrator is ADMIN everywhere; anybody else has the role assigned in that project, if any. */
    public Optional<Caller.Role> roleIn(UserStore.User user, String projectId) {
        return user.administrator() ? Optional.of(Caller.Role.ADMIN) : roles.roleOf(user.id(), projectId);
    }

    public Optional<TokenClaims> verify(String token) {
        return codec.decode(token, clock.instant());
    }
}
