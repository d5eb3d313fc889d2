package io.deskfleet.api.auth;

import java.util.regex.Pattern;

/** Project ids are free-form namespaces: 1-64 characters of letters, digits, '_' and '-'. */
public final class ProjectIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ProjectIds() {
    }

    public static boolean isValid(String projectId) {
        return projectId != null && VALID.matcher(projectId).matches();
    }
}
