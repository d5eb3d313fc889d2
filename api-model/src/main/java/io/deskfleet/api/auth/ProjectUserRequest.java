package io.deskfleet.api.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /v2/{project_id}/users/{user_name}}: the user's role in the project and, to create the
 * user or change the password, a password.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProjectUserRequest(String password, String role) {
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 128;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    /** What a valid body asks for; the role upper-cased as the control plane's role names. */
    public record Valid(String password, String role) {
    }

    public static void validateUserName(String userName) {
        if (userName == null || !USER_NAME.matcher(userName).matches()) {
            throw ApiException.invalid("user_name must be 1-64 characters of A-Z, a-z, 0-9, '_', '.', '@' or '-'.");
        }
    }

    public Valid validate() {
        if (role == null || !(role.equals("admin") || role.equals("readonly"))) {
            throw ApiException.invalid("role must be \"admin\" or \"readonly\".");
        }
        if (password != null
                && (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH)) {
            throw ApiException.invalid("password must be " + MIN_PASSWORD_LENGTH + "-" + MAX_PASSWORD_LENGTH
                    + " characters.");
        }
        return new Valid(password, role.toUpperCase(Locale.ROOT));
    }
}
