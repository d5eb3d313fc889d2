package io.deskfleet.controlplane.auth;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Authenticates a request signed with an access key ({@link SdkSignature}): the key's user, with that user's role in
 * the request's project. The signature must cover {@code host} and {@code x-sdk-date}, and the date must be within
 * 15 minutes of the server's clock, so a captured request cannot be replayed later or elsewhere.
 */
@Singleton
public class SignedRequestAuthenticator {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    static final String DATE_HEADER = "X-Sdk-Date";
    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final AccessKeyStore accessKeys;
    private final UserStore users;
    private final TokenService tokens;
    private final Clock clock;

    public SignedRequestAuthenticator(AccessKeyStore accessKeys, UserStore users, TokenService tokens, Clock clock) {
        this.accessKeys = accessKeys;
        this.users = users;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @param projectId the project the request acts in
     * @throws ApiException 401 for a malformed, stale or wrong signature or an unknown key; 403 when the key's
     *                      user has no role in the project
     */
    public Caller authenticate(HttpRequest<?> request, byte[] body, String projectId) {
        SdkSignature.Authorization auth = SdkSignature.parse(request.getHeaders().get("Authorization"))
                .orElseThrow(() -> unauthorized("The Authorization header is not a valid SDK-HMAC-SHA256 signature."));
        if (!auth.signedHeaders().contains("host") || !auth.signedHeaders().contains("x-sdk-date")) {
            throw unauthorized("SignedHeaders must include host and x-sdk-date.");
        }
        String date = request.getHeaders().get(DATE_HEADER);
        Instant signedAt = parseDate(date);
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw unauthorized("X-Sdk-Date is more than 15 minutes away from the server time.");
        }
        AccessKeyStore.Created key = accessKeys.findWithSecret(auth.accessKey())
                .filter(k -> k.key().status().equals("active"))
                .orElseThrow(() -> unauthorized("Unknown access key."));
        String canonical;
        try {
            canonical = SdkSignature.canonicalRequest(request.getMethodName(), request.getUri().getRawPath(),
                    request.getUri().getRawQuery(), auth.signedHeaders(), request.getHeaders()::get, body);
        } catch (IllegalArgumentException e) {
            throw unauthorized("The request URI cannot be canonicalised.");
        }
        if (!SdkSignature.matches(SdkSignature.signature(key.secret(), date, canonical), auth.signature())) {
            throw unauthorized("The signature does not match.");
        }
        UserStore.User user = users.findById(key.key().userId())
                .orElseThrow(() -> unauthorized("Unknown access key."));
        Caller.Role role = tokens.roleIn(user, projectId)
                .orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN, "The access key's user has no role in this project."));
        return new Caller(user.id(), user.name(), role, projectId);
    }

    private static Instant parseDate(String date) {
        if (date == null) {
            throw unauthorized("X-Sdk-Date is required with an SDK-HMAC-SHA256 signature.");
        }
        try {
            return LocalDateTime.parse(date, SDK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw unauthorized("X-Sdk-Date must look like 20260101T120000Z.");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }
}
